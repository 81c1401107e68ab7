"""Timeline items and team members through both clients, replaying the real server."""

from __future__ import annotations

import pytest
from glpi_harness import Driven, run

from glpi_python_client import (
    BadRequestError,
    GetFollowup,
    GetTeamMember,
    InternalServerError,
    NotATeamMemberError,
    NotFoundError,
    PatchFollowup,
    PatchSolution,
    PatchTicketTask,
    PostFollowup,
    PostSolution,
    PostTeamMember,
    PostTicket,
    PostTicketTask,
)


def test_followup_crud_unwraps_envelopes(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec followups"))
        first = await c.create_ticket_followup(ticket_id, PostFollowup(content="first followup"))
        await c.create_ticket_followup(ticket_id, PostFollowup(content="private", is_private=True))
        followups = await c.list_ticket_followups(ticket_id)
        assert len(followups) == 2 and all(isinstance(f, GetFollowup) for f in followups)
        assert first in [f.id for f in followups]
        one = await c.get_ticket_followup(ticket_id, first)
        assert one.id == first and one.items_id == ticket_id
        updated = await c.update_ticket_followup(ticket_id, first, PatchFollowup(content="edited"))
        assert updated.id == first
        await c.delete_ticket_followup(ticket_id, first)
        with pytest.raises(NotFoundError):
            await c.get_ticket_followup(ticket_id, first)

    run(mode, body, scenario="timeline_followup_crud")


def test_task_crud(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec tasks"))
        task_id = await c.create_ticket_task(
            ticket_id, PostTicketTask(content="on site", duration=900, state=1, user_tech=2)
        )
        tasks = await c.list_ticket_tasks(ticket_id)
        assert [t.id for t in tasks] == [task_id] and tasks[0].duration == 900
        task = await c.get_ticket_task(ticket_id, task_id)
        assert task.user_tech is not None and task.user_tech.id == 2
        done = await c.update_ticket_task(ticket_id, task_id, PatchTicketTask(state=2, duration=1800))
        assert done.duration == 1800 and done.state == 2
        reassigned = await c.update_ticket_task(ticket_id, task_id, PatchTicketTask(user_tech=4))
        assert reassigned.user_tech is not None and reassigned.user_tech.id == 4
        ticket = await c.get_ticket(ticket_id)
        assert ticket.actiontime == 1800
        await c.delete_ticket_task(ticket_id, task_id)
        with pytest.raises(NotFoundError):
            await c.get_ticket_task(ticket_id, task_id)

    run(mode, body, scenario="timeline_task_crud")


def test_solution_crud_solves_the_ticket(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec solution"))
        assert (await c.get_ticket(ticket_id)).status.id == 1
        solution_id = await c.create_ticket_solution(ticket_id, PostSolution(content="fixed"))
        assert (await c.get_ticket(ticket_id)).status.id == 5
        solutions = await c.list_ticket_solutions(ticket_id)
        assert [s.id for s in solutions] == [solution_id] and solutions[0].status == 2
        assert (await c.get_ticket_solution(ticket_id, solution_id)).id == solution_id
        await c.update_ticket_solution(ticket_id, solution_id, PatchSolution(content="fixed for good"))
        await c.delete_ticket_solution(ticket_id, solution_id)
        assert (await c.get_ticket(ticket_id)).status.id == 5

    run(mode, body, scenario="timeline_solution_crud")


def test_team_member_add_and_list(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec team"))
        assert await c.list_ticket_team_members(ticket_id) == []
        assert await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="assigned")) is None
        members = await c.list_ticket_team_members(ticket_id)
        assert len(members) == 1 and isinstance(members[0], GetTeamMember)
        member = members[0]
        assert (member.id, member.type, member.role) == (2, "User", "assigned")
        with pytest.raises(BadRequestError):
            await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="assigned"))

    run(mode, body, scenario="team_members_add_assigned_user")


def test_team_member_without_id_is_a_server_error_without_body(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec team 500"))
        with pytest.raises(InternalServerError) as info:
            await c.add_ticket_team_member(ticket_id, {"type": "User", "id": 0, "role": "assigned"})
        assert info.value.body is None and "empty body" in str(info.value)
        assert info.value.may_have_been_applied

    run(mode, body, scenario="team_members_add_without_id_500")


def test_team_member_remove_resolves_type_and_role(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec team delete"))
        await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=4, role="assigned"))
        await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=3, role="observer"))
        await c.remove_ticket_team_member(ticket_id, team_member_id=4)
        remaining = await c.list_ticket_team_members(ticket_id)
        assert [(m.id, m.role) for m in remaining] == [(3, "observer")]
        await c.remove_ticket_team_member(ticket_id, team_member_id=4, type="User", role="assigned")

    run(mode, body, scenario="team_members_delete_json_body")


def test_removing_an_unknown_member_is_a_clear_error(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec team"))
        with pytest.raises(NotATeamMemberError, match="no team member with id 99"):
            await c.remove_ticket_team_member(ticket_id, team_member_id=99)

    run(mode, body, scenario="team_members_add_assigned_user")
