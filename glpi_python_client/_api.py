"""The declarations of both clients' public methods, grouped by area; each names the one plan implementing it.

``scripts/generate_methods.py`` turns them into the real methods of ``GlpiClient`` and
``AsyncGlpiClient`` (``glpi_python_client/_generated/client_methods.py``): add a method by adding a
line here (or in an area module beside this one), then run ``make methods``.
"""

from __future__ import annotations

from ._api_context import TicketContextAPI
from ._api_incidents import IncidentsAPI
from ._api_reporting import ReportingAPI
from ._api_v1 import PluginFieldsAPI, V1DocumentsAPI
from ._generated.entry_points import EntryPointsAPI
from ._operation import operation, paginated
from ._operations import resources as r
from ._operations import team, timeline

__all__ = ["GlpiAPI"]


class TicketsAPI:
    """``/Assistance/Ticket``."""

    search_tickets = operation(r.search_tickets)
    iter_search_tickets = paginated(r.iter_search_tickets)
    get_ticket = operation(r.get_ticket)
    create_ticket = operation(r.create_ticket)
    update_ticket = operation(r.update_ticket)
    delete_ticket = operation(r.delete_ticket)


class TimelineAPI:
    """``/Assistance/Ticket/{id}/Timeline/{Followup,Task,Solution,Document}``."""

    list_ticket_followups = operation(timeline.list_ticket_followups)
    get_ticket_followup = operation(timeline.get_ticket_followup)
    create_ticket_followup = operation(timeline.create_ticket_followup)
    update_ticket_followup = operation(timeline.update_ticket_followup)
    delete_ticket_followup = operation(timeline.delete_ticket_followup)
    list_ticket_tasks = operation(timeline.list_ticket_tasks)
    get_ticket_task = operation(timeline.get_ticket_task)
    create_ticket_task = operation(timeline.create_ticket_task)
    update_ticket_task = operation(timeline.update_ticket_task)
    delete_ticket_task = operation(timeline.delete_ticket_task)
    list_ticket_solutions = operation(timeline.list_ticket_solutions)
    get_ticket_solution = operation(timeline.get_ticket_solution)
    create_ticket_solution = operation(timeline.create_ticket_solution)
    update_ticket_solution = operation(timeline.update_ticket_solution)
    delete_ticket_solution = operation(timeline.delete_ticket_solution)
    list_ticket_timeline_documents = operation(timeline.list_ticket_timeline_documents)
    get_ticket_timeline_document = operation(timeline.get_ticket_timeline_document)
    update_ticket_timeline_document = operation(timeline.update_ticket_timeline_document)
    unlink_ticket_timeline_document = operation(timeline.unlink_ticket_timeline_document)


class TeamAPI:
    """``/Assistance/Ticket/{id}/TeamMember``."""

    add_ticket_team_member = operation(team.add_ticket_team_member)
    list_ticket_team_members = operation(team.list_ticket_team_members)
    remove_ticket_team_member = operation(team.remove_ticket_team_member)


class DirectoryAPI:
    """Users (``/Administration/User``), entities (``/Administration/Entity``), locations (``/Dropdowns/Location``)."""

    search_users = operation(r.search_users)
    iter_search_users = paginated(r.iter_search_users)
    get_user = operation(r.get_user)
    get_user_by_username = operation(r.get_user_by_username)
    create_user = operation(r.create_user)
    update_user = operation(r.update_user)
    delete_user = operation(r.delete_user)
    search_entities = operation(r.search_entities)
    iter_search_entities = paginated(r.iter_search_entities)
    get_entity = operation(r.get_entity)
    create_entity = operation(r.create_entity)
    update_entity = operation(r.update_entity)
    delete_entity = operation(r.delete_entity)
    search_locations = operation(r.search_locations)
    get_location = operation(r.get_location)
    create_location = operation(r.create_location)
    update_location = operation(r.update_location)
    delete_location = operation(r.delete_location)


class DocumentsAPI:
    """Document metadata (``/Management/Document``)."""

    search_documents = operation(r.search_documents)
    get_document = operation(r.get_document)
    create_document = operation(r.create_document)
    update_document = operation(r.update_document)
    delete_document = operation(r.delete_document)


class GlpiAPI(
    TicketsAPI,
    TimelineAPI,
    TeamAPI,
    DirectoryAPI,
    DocumentsAPI,
    TicketContextAPI,
    ReportingAPI,
    IncidentsAPI,
    V1DocumentsAPI,
    PluginFieldsAPI,
    EntryPointsAPI,
):
    """Every public operation."""
