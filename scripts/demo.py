"""The main job: the user guide's full ticket workflow (Example 6), printing what it does.

With GLPI_API_URL (and the other GLPI_* variables) set, it runs against that live GLPI:
creates a technician and a ticket, adds a followup, a task, the technician as assigned,
a solution, prints the ticket context as Markdown, then deletes what it created.

Without them it replays recordings of a real GLPI 11.0.6 (cassettes/ in this repository),
one recorded scenario per step, and says so on every line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from glpi_python_client import (
    GlpiClient,
    PatchTicket,
    PostFollowup,
    PostSolution,
    PostTeamMember,
    PostTicket,
    PostTicketTask,
    PostUser,
)


def live_workflow() -> None:
    with GlpiClient.from_env() as client:
        user_id = client.create_user(
            PostUser(username="bob.workflow", password="initial-pwd", password2="initial-pwd",
                     realname="Workflow", firstname="Bob")
        )  # fmt: skip
        print(f"created user #{user_id} (bob.workflow)")
        ticket_id = client.create_ticket(PostTicket(name="VPN drops", content="Daily VPN drops at 11:00"))
        print(f"created ticket #{ticket_id}")
        try:
            followup = client.create_ticket_followup(ticket_id, PostFollowup(content="Reproduced on lab laptop"))
            print(f"added followup #{followup}")
            task = client.create_ticket_task(ticket_id, PostTicketTask(content="Capture VPN logs", duration=1800))
            print(f"added task #{task} (1800 s)")
            client.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=user_id, role="assigned"))
            print(f"assigned user #{user_id}")
            solution = client.create_ticket_solution(ticket_id, PostSolution(content="Upgraded VPN client"))
            print(f"added solution #{solution}")
            context = client.get_ticket_context(ticket_id)
            print(context.ticket.name, len(context.followups))
            print(context.to_markdown())
        finally:
            client.delete_ticket(ticket_id, force=True)
            client.delete_user(user_id, force=True)
            print(f"deleted ticket #{ticket_id} and user #{user_id}")


def _ticket_and_followup(client: GlpiClient) -> str:
    ticket_id = client.create_ticket(PostTicket(name="VPN drops", content="Daily VPN drops at 11:00"))
    followup = client.create_ticket_followup(ticket_id, PostFollowup(content="Reproduced on lab laptop"))
    listed = client.list_ticket_followups(ticket_id)
    return f"created ticket #{ticket_id}, followup #{followup}; the timeline lists {len(listed)} followup(s)"


def _task(client: GlpiClient) -> str:
    ticket_id = client.create_ticket(PostTicket(name="VPN drops"))
    task = client.create_ticket_task(
        ticket_id, PostTicketTask(content="Capture VPN logs", duration=900, state=1, user_tech=2)
    )
    tasks = client.list_ticket_tasks(ticket_id)
    return f"ticket #{ticket_id}: task #{task}, {sum(t.duration or 0 for t in tasks)} s logged"


def _assign(client: GlpiClient) -> str:
    ticket_id = client.create_ticket(PostTicket(name="VPN drops"))
    client.list_ticket_team_members(ticket_id)
    client.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="assigned"))
    team = client.list_ticket_team_members(ticket_id)
    who = ", ".join(f"{m.display_name or m.name} ({m.type} #{m.id}, {m.role})" for m in team)
    return f"ticket #{ticket_id}: team is {who}"


def _solve(client: GlpiClient) -> str:
    ticket_id = client.create_ticket(PostTicket(name="VPN drops"))
    before = client.get_ticket(ticket_id).status
    solution = client.create_ticket_solution(ticket_id, PostSolution(content="Upgraded VPN client"))
    after = client.get_ticket(ticket_id).status
    return f"ticket #{ticket_id}: solution #{solution}; status {before.name!r} -> {after.name!r}"


def _update_and_cleanup(client: GlpiClient) -> str:
    ticket_id = client.create_ticket(PostTicket(name="VPN drops"))
    client.get_ticket(ticket_id)
    updated = client.update_ticket(ticket_id, PatchTicket(content="Now assigned", status=2))
    client.get_ticket(ticket_id)
    client.search_tickets(f"id=={ticket_id}")
    client.delete_ticket(ticket_id)
    trashed = client.get_ticket(ticket_id).is_deleted
    client.delete_ticket(ticket_id, force=True)
    return f"ticket #{ticket_id}: status {updated.status.name!r}; trashed={trashed}; then purged"


REPLAY_STEPS: list[tuple[str, Callable[[GlpiClient], str]]] = [
    ("timeline_followup_crud", _ticket_and_followup),
    ("timeline_task_crud", _task),
    ("team_members_add_assigned_user", _assign),
    ("timeline_solution_crud", _solve),
    ("ticket_crud", _update_and_cleanup),
]


def replay_workflow() -> None:
    from glpi_harness import REPLAY_SETTINGS, cassette

    print("GLPI_API_URL is not set: replaying recordings of a real GLPI 11.0.6 (cassettes/)")
    for scenario, step in REPLAY_STEPS:
        with cassette(scenario), GlpiClient(**REPLAY_SETTINGS) as client:
            print(f"[replayed: {scenario}] {step(client)}")


def main() -> int:
    if os.environ.get("GLPI_API_URL"):
        live_workflow()
    else:
        replay_workflow()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
