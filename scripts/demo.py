"""The main job: the user guide's Example 6 as one story about one ticket, then a quarter's report.

1. a technician and a ticket are created; the ticket gets a followup, a task with a duration, the
   technician as assigned, and a solution (each step prints what GLPI now says about the ticket);
2. the ticket's Markdown transcript (``get_ticket_context(...).to_markdown()``);
3. a statistics report over a quarter (``get_ticket_statistics`` and ``get_task_durations``).

With GLPI_API_URL (and the other GLPI_* variables) set, it runs against that live GLPI, reports on the
last full quarter, and deletes what it created. Without them it runs on ``glpi_python_client.testing``'s
simulator, seeded with a quarter of tickets, and every line says ``[simulated]``. (The tests replay real
recordings of GLPI 11.0.6; the demo shows the workflow.)
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from glpi_python_client import (
    GlpiClient,
    PostFollowup,
    PostSolution,
    PostTeamMember,
    PostTicket,
    PostTicketTask,
    PostUser,
)

#: the seeded quarter (simulated runs): tickets spread over it, with a few tasks
QUARTER = (date(2026, 1, 1), date(2026, 3, 31))


def seed_quarter(sim: object) -> None:
    """Fill the simulator with a quarter of helpdesk work: 60 tickets over 13 weeks, some solved, with tasks."""
    from glpi_python_client.testing import GlpiSimulator

    assert isinstance(sim, GlpiSimulator)
    subjects = ["Printer jam", "VPN drops", "Password reset", "New laptop", "Mail quota", "Wi-Fi slow"]
    for n in range(60):
        sim.now = datetime(2026, 1, 2, 9, tzinfo=UTC) + timedelta(days=n * 1.45, hours=n % 7)
        fields = {"name": subjects[n % len(subjects)], "content": "Seeded", "type": 1 + n % 2}
        ticket_id = sim.seed("/Assistance/Ticket", {**fields, "urgency": 1 + n % 5, "priority": 1 + (n * 7) % 6})
        if n % 3 == 0:
            task = {"content": "Diagnosis", "duration": 900 * (1 + n % 4), "user_tech": 2}
            sim.seed(f"/Assistance/Ticket/{ticket_id}/Timeline/Task", task)
        if n % 4 == 0:
            sim.seed(f"/Assistance/Ticket/{ticket_id}/Timeline/Solution", {"content": "Fixed"})
    sim.now = datetime(2026, 4, 2, 9, tzinfo=UTC)


def story(client: GlpiClient, *, label: str, quarter: tuple[date, date]) -> None:
    """Example 6 on one ticket, its transcript, then the quarter's report; cleans up what it created."""

    def say(text: str) -> None:
        print(f"[{label}] {text}")

    user_id = client.create_user(
        PostUser(username="bob.workflow", password="initial-pwd", password2="initial-pwd",
                 realname="Workflow", firstname="Bob")
    )  # fmt: skip
    say(f"created technician #{user_id} (Bob Workflow)")
    ticket_id = client.create_ticket(PostTicket(name="VPN drops", content="Daily VPN drops at 11:00"))
    try:
        ticket = client.get_ticket(ticket_id)
        say(f"ticket #{ticket_id} {ticket.name!r} created: status {ticket.status.name!r}")
        followup = client.create_ticket_followup(ticket_id, PostFollowup(content="Reproduced on the lab laptop."))
        say(f"ticket #{ticket_id}: followup #{followup} added")
        task = client.create_ticket_task(ticket_id, PostTicketTask(content="Capture VPN logs", duration=1800))
        spent = client.get_ticket(ticket_id).actiontime
        say(f"ticket #{ticket_id}: task #{task} added (30 min); time spent now {spent} s")
        client.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=user_id, role="assigned"))
        team = ", ".join(f"{m.display_name or m.name} ({m.role})" for m in client.list_ticket_team_members(ticket_id))
        say(f"ticket #{ticket_id}: team is {team}; status {client.get_ticket(ticket_id).status.name!r}")
        solution = client.create_ticket_solution(ticket_id, PostSolution(content="Upgraded the VPN client."))
        say(f"ticket #{ticket_id}: solution #{solution} added; status {client.get_ticket(ticket_id).status.name!r}")

        context = client.get_ticket_context(ticket_id)
        say(f"ticket #{ticket_id}: {context.ticket.name} {len(context.followups)} (the guide's output), transcript:")
        print(context.to_markdown())
    finally:
        client.delete_ticket(ticket_id, force=True)
        client.delete_user(user_id, force=True)
        say(f"deleted ticket #{ticket_id} and technician #{user_id}")

    start, end = quarter
    stats = client.get_ticket_statistics(start_date=start, end_date=end)
    say(f"report {start} .. {end}: tickets created, per entity")
    for entity, figures in stats["entities"].items():
        say(f"  entity {entity}: {figures['total']} tickets")
        say(f"    by status:   {dict(sorted(figures['by_status'].items()))}")
        say(f"    by priority: {figures['by_priority']}")
        say(f"    by type:     {figures['by_type']}")
    durations = client.get_task_durations(start_date=start, end_date=end)
    hours = durations["total_duration"] / 3600
    say(f"task time in the quarter: {hours:.2f} h over {durations['task_count']} tasks")
    for user, seconds in durations["duration_by_user"].items():
        say(f"  technician {user}: {seconds / 3600:.2f} h")


def last_quarter(today: date) -> tuple[date, date]:
    first_month = ((today.month - 1) // 3) * 3 + 1
    end = date(today.year, first_month, 1) - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def main() -> int:
    if os.environ.get("GLPI_API_URL"):
        print(f"running against the live GLPI at {os.environ['GLPI_API_URL']}")
        with GlpiClient.from_env() as client:
            story(client, label="live", quarter=last_quarter(date.today()))
        return 0
    from glpi_python_client.testing import GlpiSimulator

    print("GLPI_API_URL is not set: running on the in-memory GLPI simulator (glpi_python_client.testing),")
    print(f"seeded with a quarter of tickets ({QUARTER[0]} .. {QUARTER[1]}). Nothing here touches a real server.")
    sim = GlpiSimulator()
    seed_quarter(sim)
    with sim.sync_client() as client:
        story(client, label="simulated", quarter=QUARTER)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
