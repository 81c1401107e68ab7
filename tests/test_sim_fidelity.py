"""The public simulator agrees with the real GLPI: the same client calls, replayed and simulated, parse the same.

Each scenario below runs once inside a recording of GLPI 11.0.6 (``cassettes/<scenario>.yaml``) and once on a
fresh :class:`~glpi_python_client.testing.GlpiSimulator`, through both clients; the parsed results must be equal
once ids, hrefs and timestamps (which differ by nature) are set aside. A difference is a simulator bug.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from glpi_harness import Driven, run
from pydantic import BaseModel

from glpi_python_client import (
    BadRequestError,
    NotFoundError,
    PatchEntity,
    PatchFollowup,
    PatchLocation,
    PatchSolution,
    PatchTicket,
    PatchTicketTask,
    PatchUser,
    PostEntity,
    PostFollowup,
    PostLocation,
    PostSolution,
    PostTeamMember,
    PostTicket,
    PostTicketTask,
    PostUser,
)
from glpi_python_client.testing import GlpiSimulator

#: keys whose values differ between two servers by nature: identities, links and clocks
VOLATILE = re.compile(r"^(id|.*_id|href|links|date|date_.*|.*_date|time_to_.*|.*_duration|uuid)$")


def normalise(value: Any) -> Any:
    """A parsed result as plain data, with the volatile keys removed (recursively)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in sorted(value.items()) if not VOLATILE.match(str(k))}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    return value


def new_ticket(scenario: str) -> PostTicket:
    """The ticket each recording starts with (the recorder's own name and body)."""
    return PostTicket(name=f"[0015b4] {scenario}", content=f"Created by record.py scenario {scenario}")


# Each flow sends what its recording sent, in the same order (vcrpy matches method, path and query).


async def followup_flow(c: Driven) -> Any:
    ticket_id = await c.create_ticket(new_ticket("timeline_followup_crud"))
    first = await c.create_ticket_followup(ticket_id, PostFollowup(content="First followup", is_private=False))
    await c.create_ticket_followup(ticket_id, PostFollowup(content="Private note", is_private=True))
    listed = await c.list_ticket_followups(ticket_id)
    one = await c.get_ticket_followup(ticket_id, first)
    edited = await c.update_ticket_followup(ticket_id, first, PatchFollowup(content="Edited"))
    await c.delete_ticket_followup(ticket_id, first)
    with pytest.raises(NotFoundError):
        await c.get_ticket_followup(ticket_id, first)
    return listed, one, edited


async def task_flow(c: Driven) -> Any:
    ticket_id = await c.create_ticket(new_ticket("timeline_task_crud"))
    task_id = await c.create_ticket_task(
        ticket_id, PostTicketTask(content="Check the cable", duration=900, state=1, user_tech=2, is_private=False)
    )
    listed = await c.list_ticket_tasks(ticket_id)
    one = await c.get_ticket_task(ticket_id, task_id)
    done = await c.update_ticket_task(ticket_id, task_id, PatchTicketTask(state=2, duration=1800))
    await c.update_ticket_task(ticket_id, task_id, {"user_tech": {"id": 4}})
    ticket = await c.get_ticket(ticket_id)
    await c.delete_ticket_task(ticket_id, task_id)
    with pytest.raises(NotFoundError):
        await c.get_ticket_task(ticket_id, task_id)
    return listed, one, done, ticket.actiontime


async def team_flow(c: Driven) -> Any:
    ticket_id = await c.create_ticket(new_ticket("team_members_add_assigned_user"))
    before = await c.list_ticket_team_members(ticket_id)
    await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="assigned"))
    after = await c.list_ticket_team_members(ticket_id)
    with pytest.raises(BadRequestError):
        await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="assigned"))
    return before, after


async def solution_flow(c: Driven) -> Any:
    ticket_id = await c.create_ticket(new_ticket("timeline_solution_crud"))
    before = (await c.get_ticket(ticket_id)).status
    solution_id = await c.create_ticket_solution(ticket_id, PostSolution(content="Replaced the toner."))
    solved = (await c.get_ticket(ticket_id)).status
    listed = await c.list_ticket_solutions(ticket_id)
    one = await c.get_ticket_solution(ticket_id, solution_id)
    edited = await c.update_ticket_solution(
        ticket_id, solution_id, PatchSolution(content="Replaced the toner cartridge.")
    )
    await c.delete_ticket_solution(ticket_id, solution_id)
    after = (await c.get_ticket(ticket_id)).status
    return before, solved, listed, one, edited, after


async def ticket_flow(c: Driven) -> Any:
    ticket_id = await c.create_ticket(
        PostTicket(name="[0015b4] Printer on floor 2 is jammed", content="The printer shows error E-204.",
                   urgency=4, impact=3, priority=4, type=1, entity=0)
    )  # fmt: skip
    created = await c.get_ticket(ticket_id)
    updated = await c.update_ticket(
        ticket_id, PatchTicket(content="Paper removed, waiting for the technician.", status=2)
    )
    read = await c.get_ticket(ticket_id)
    found = await c.search_tickets(f"id=={ticket_id}")
    await c.delete_ticket(ticket_id)
    trashed = await c.get_ticket(ticket_id)
    await c.delete_ticket(ticket_id, force=True)
    with pytest.raises(NotFoundError):
        await c.get_ticket(ticket_id)
    return created, updated, read, found, trashed


async def entity_flow(c: Driven) -> Any:
    await c.search_entities(limit=2)  # the live server's own entities: not compared
    root = await c.get_entity(0)
    entity_id = await c.create_entity(PostEntity(name="refrec child 0015b4", parent=0, comment="created by record.py"))
    created = await c.get_entity(entity_id)
    patched = await c.update_entity(entity_id, PatchEntity(name="refrec child 0015b4 renamed", comment="patched"))
    await c.delete_entity(entity_id)
    with pytest.raises(NotFoundError):
        await c.get_entity(entity_id)
    return root.name, created, patched


async def location_flow(c: Driven) -> Any:
    await c.search_locations(limit=5)  # the live server's own locations: not compared
    hq = await c.create_location(
        PostLocation(name="HQ 0015b4", building="B1", room="101", comment="created by record.py")
    )
    floor = await c.create_location(PostLocation(name="Floor 2", parent=hq))
    child = await c.get_location(floor)
    found = await c.search_locations('name=="HQ 0015b4"')
    patched = await c.update_location(hq, PatchLocation(room="102"))
    await c.delete_location(floor)
    with pytest.raises(NotFoundError):
        await c.get_location(floor)
    await c.delete_location(hq, force=True)
    with pytest.raises(NotFoundError):
        await c.get_location(hq)
    return child, found, patched


async def user_flow(c: Driven) -> Any:
    user_id = await c.create_user(
        PostUser(username="refrec_0015b4", password="Secret-0015b4", password2="Secret-0015b4", realname="Doe",
                 firstname="Jane")
    )  # fmt: skip
    created = await c.get_user(user_id)
    found = await c.search_users("username==refrec_0015b4")
    by_login = await c.get_user_by_username("refrec_0015b4")
    patched = await c.update_user(user_id, PatchUser(realname="Smith", phone="+33 1 23 45 67 89"))
    await c.delete_user(user_id)
    trashed = await c.get_user(user_id)
    await c.delete_user(user_id, force=True)
    with pytest.raises(NotFoundError):
        await c.get_user(user_id)
    assert by_login.id == user_id
    return created, found, by_login, patched, trashed


SCENARIOS: dict[str, Callable[[Driven], Awaitable[Any]]] = {
    "users_crud": user_flow,
    "timeline_followup_crud": followup_flow,
    "timeline_task_crud": task_flow,
    "team_members_add_assigned_user": team_flow,
    "timeline_solution_crud": solution_flow,
    "ticket_crud": ticket_flow,
    "entities_crud": entity_flow,
    "locations_crud": location_flow,
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_simulator_answers_like_the_recording(mode: str, scenario: str) -> None:
    flow = SCENARIOS[scenario]
    recorded = run(mode, flow, scenario=scenario)
    simulated = run(mode, flow, transport=GlpiSimulator().transport())
    assert normalise(simulated) == normalise(recorded)
