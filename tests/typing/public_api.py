"""What a user's code sees: the inferred types of the facade on both clients, checked by ``make typecheck``.

Not run: ``mypy --strict`` reads it (``[tool.mypy] files`` includes ``tests/typing``), and every
``assert_type`` fails the check when a method's signature or result type regresses (an ``Any``
leaking out, a coroutine where a model was, a lost page type).
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Coroutine, Iterator
from typing import Any, Literal, assert_type

from glpi_python_client import (
    AsyncGlpiClient,
    GetDocument,
    GetEntity,
    GetFollowup,
    GetLocation,
    GetSolution,
    GetTeamMember,
    GetTicket,
    GetTicketTask,
    GetTimelineDocument,
    GetUser,
    GlpiClient,
    GlpiPluginFieldsContainer,
    GlpiPluginFieldsField,
    GlpiTicketContext,
    IncidentResult,
    PatchTicket,
    PostFollowup,
    PostTeamMember,
    PostTicket,
    PostTicketTask,
)


def sync_usage(client: GlpiClient) -> None:
    # tickets
    assert_type(client.search_tickets("status==1", limit=10, sort="date_mod:desc"), list[GetTicket])
    assert_type(client.iter_search_tickets("status==1", batch_size=50), Iterator[list[GetTicket]])
    for page in client.iter_search_tickets():
        assert_type(page, list[GetTicket])
    ticket = client.get_ticket(1)
    assert_type(ticket, GetTicket)
    assert_type(ticket.id, int)  # GLPI always returns it
    assert_type(ticket.status.name, str | None)  # the status object is always there
    assert_type(client.create_ticket(PostTicket(name="Printer", content="Jammed")), int)
    assert_type(client.create_ticket({"name": "Printer", "content": "Jammed"}), int)
    assert_type(client.update_ticket(1, PatchTicket(name="Printer (floor 2)")), GetTicket)
    assert_type(client.delete_ticket(1, force=True), None)
    # timeline
    assert_type(client.list_ticket_followups(1), list[GetFollowup])
    assert_type(client.get_ticket_followup(1, 2), GetFollowup)
    assert_type(client.create_ticket_followup(1, PostFollowup(content="Called the user")), int)
    assert_type(client.delete_ticket_followup(1, 2), None)
    assert_type(client.list_ticket_tasks(1), list[GetTicketTask])
    assert_type(client.get_ticket_task(1, 2), GetTicketTask)
    assert_type(client.create_ticket_task(1, PostTicketTask(content="Replaced the drum", duration=900)), int)
    assert_type(client.update_ticket_task(1, 2, {"duration": 1200}), GetTicketTask)
    assert_type(client.list_ticket_solutions(1), list[GetSolution])
    assert_type(client.get_ticket_solution(1, 2), GetSolution)
    assert_type(client.list_ticket_timeline_documents(1), list[GetTimelineDocument])
    assert_type(client.get_ticket_timeline_document(1, 2), GetTimelineDocument)
    # team
    assert_type(client.add_ticket_team_member(1, PostTeamMember(type="User", id=7, role="assigned")), None)
    assert_type(client.list_ticket_team_members(1, role="assigned"), list[GetTeamMember])
    assert_type(client.remove_ticket_team_member(1, team_member_id=7), None)
    # directory and documents
    assert_type(client.search_users("username==alice"), list[GetUser])
    assert_type(client.iter_search_users(), Iterator[list[GetUser]])
    assert_type(client.get_user(7), GetUser)
    assert_type(client.search_entities(), list[GetEntity])
    assert_type(client.iter_search_entities(), Iterator[list[GetEntity]])
    assert_type(client.get_entity(0), GetEntity)
    assert_type(client.search_locations(), list[GetLocation])
    assert_type(client.get_location(3), GetLocation)
    assert_type(client.search_documents(), list[GetDocument])
    assert_type(client.get_document(4), GetDocument)
    # context, reporting
    context = client.get_ticket_context(1)
    assert_type(context, GlpiTicketContext)
    assert_type(context.to_markdown(), str)
    assert_type(client.get_ticket_statistics(start_date="2026-01-01", end_date="2026-01-31"), dict[str, Any])
    assert_type(client.get_task_statistics([1, 2]), dict[str, Any])
    # v1: documents and the Fields plugin
    assert_type(client.upload_document(filename="a.txt", content=b"hello", ticket_id=1), int)
    assert_type(client.link_ticket_timeline_document(1, 4), int)
    assert_type(client.download_document_content(4), bytes)
    assert_type(client.download_document_to(4, io.BytesIO()), int)
    assert_type(client.list_plugin_fields_containers(itemtype="Ticket"), list[GlpiPluginFieldsContainer])
    assert_type(client.list_plugin_fields_fields(), list[GlpiPluginFieldsField])
    assert_type(client.get_ticket_custom_fields(1), dict[str, dict[str, Any]])
    assert_type(client.set_ticket_custom_fields(1, {"container": {"field": "value"}}), None)
    # incidents
    opened = client.open_incident("srv-05/disk", title="Disk full", content="98%", items=[("Computer", 12)])
    assert_type(opened, IncidentResult)
    assert_type(opened.action, Literal["created", "updated", "suppressed", "resolved", "none"])
    assert_type(opened.ticket_id, int | None)
    assert_type(client.resolve_incident("srv-05/disk", solution="Rotated"), IncidentResult)
    # the client itself
    with GlpiClient.from_env() as scoped:
        assert_type(scoped, GlpiClient)
    client.close()


async def async_usage(client: AsyncGlpiClient) -> None:
    # a call is a coroutine of the same result
    pending = client.get_ticket(1)
    _ = assert_type(pending, Coroutine[Any, Any, GetTicket])  # assigned: an unused coroutine is an error
    assert_type(await pending, GetTicket)
    assert_type(await client.search_tickets("status==1", limit=10), list[GetTicket])
    assert_type(client.iter_search_tickets(batch_size=50), AsyncIterator[list[GetTicket]])
    async for page in client.iter_search_tickets():
        assert_type(page, list[GetTicket])
    assert_type(await client.get_ticket(1), GetTicket)
    assert_type(await client.create_ticket(PostTicket(name="Printer", content="Jammed")), int)
    assert_type(await client.update_ticket(1, {"name": "Printer (floor 2)"}), GetTicket)
    assert_type(await client.delete_ticket(1), None)
    assert_type(await client.list_ticket_followups(1), list[GetFollowup])
    assert_type(await client.get_ticket_followup(1, 2), GetFollowup)
    assert_type(await client.create_ticket_followup(1, {"content": "Called the user"}), int)
    assert_type(await client.list_ticket_tasks(1), list[GetTicketTask])
    assert_type(await client.get_ticket_task(1, 2), GetTicketTask)
    assert_type(await client.list_ticket_solutions(1), list[GetSolution])
    assert_type(await client.list_ticket_timeline_documents(1), list[GetTimelineDocument])
    assert_type(await client.list_ticket_team_members(1), list[GetTeamMember])
    assert_type(await client.remove_ticket_team_member(1, team_member_id=7, type="User", role="observer"), None)
    assert_type(await client.search_users(), list[GetUser])
    assert_type(client.iter_search_users(), AsyncIterator[list[GetUser]])
    assert_type(await client.get_user(7), GetUser)
    assert_type(await client.search_entities(), list[GetEntity])
    assert_type(client.iter_search_entities(), AsyncIterator[list[GetEntity]])
    assert_type(await client.get_entity(0), GetEntity)
    assert_type(await client.search_locations(), list[GetLocation])
    assert_type(await client.get_location(3), GetLocation)
    assert_type(await client.search_documents(), list[GetDocument])
    assert_type(await client.get_document(4), GetDocument)
    assert_type(await client.get_ticket_context(1), GlpiTicketContext)
    assert_type(await client.get_task_statistics([1]), dict[str, Any])
    assert_type(await client.upload_document(filename="a.txt", content=b"hello"), int)
    assert_type(await client.download_document_content(4), bytes)
    assert_type(await client.list_plugin_fields_containers(), list[GlpiPluginFieldsContainer])
    assert_type(await client.get_ticket_custom_fields(1), dict[str, dict[str, Any]])
    assert_type(await client.open_incident("k", title="t", content="c", quiet_window=0), IncidentResult)
    assert_type(await client.resolve_incident("k", solution="s"), IncidentResult)
    async with AsyncGlpiClient.from_env() as scoped:
        assert_type(scoped, AsyncGlpiClient)
    await client.close()


def webhook_usage(body: bytes, headers: dict[str, str]) -> None:
    from glpi_python_client.webhooks import WebhookEvent, cra_response, parse_webhook

    event = parse_webhook(body, headers, secret="s", itemtype="Ticket")
    assert_type(event, WebhookEvent)
    assert_type(event.delivery_key, str)
    assert_type(cra_response("token", secret="s"), str)
