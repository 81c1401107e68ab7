"""The user guide's seed data (section 3) and end-to-end Examples 1-7 (section 6), run on both clients.

Each example is written as in the guide (same calls, same models; ``client`` is the harness's :class:`Driven`, so
every call is awaited) and runs after the seed snippet, like the guide assumes. Where it runs:

* ``GLPI_RECORD=1`` (``make record``): against the live GLPI named by the GLPI_* variables, recorded into
  ``cassettes/<scenario>.yaml`` (scenarios ``seed``, ``example_1`` ... ``example_7``);
* else, when ``cassettes/<scenario>.yaml`` exists: against that recording;
* else: against :class:`glpi_sim.GlpiSim`, a stateful in-memory GLPI, whose state is also checked.

The assertions that do not read the simulator's state hold on a live server too (no fixed ids or dates).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from glpi_harness import OWN, RECORDING, Driven, run
from glpi_sim import GlpiSim

from glpi_python_client import (
    NotFoundError,
    PostFollowup,
    PostLocation,
    PostSolution,
    PostTeamMember,
    PostTicket,
    PostTicketTask,
    PostUser,
)

DIAGNOSTIC = b"link layer ok\nradius timeout 3s\n"
PRIORITIES = {1: "VERY_LOW", 2: "LOW", 3: "MEDIUM", 4: "HIGH", 5: "VERY_HIGH", 6: "MAJOR"}
TYPES = {1: "INCIDENT", 2: "REQUEST"}


def play(mode: str, scenario: str, body: Callable[[GlpiSim | None, Driven], Awaitable[Any]]) -> GlpiSim | None:
    """Run ``body(sim, client)`` live (recording), on the project's recording of ``scenario``, or on a simulator."""
    if RECORDING or (OWN / f"{scenario}.yaml").exists():
        run(mode, lambda c: body(None, c), scenario=scenario)
        return None
    sim = GlpiSim()
    run(mode, lambda c: body(sim, c), transport=sim.transport())
    return sim


# -- the guide's snippets ---------------------------------------------------------------------------


async def seed(client: Driven) -> dict[str, int]:
    """Section 3: create the demo records reused by the rest of the user guide."""
    location_id = await client.create_location(PostLocation(name="HQ Paris"))
    alice_id = await client.create_user(
        PostUser(
            username="alice.dupont",
            password="initial-pwd",
            password2="initial-pwd",
            realname="Dupont",
            firstname="Alice",
        )
    )
    bob_id = await client.create_user(
        PostUser(
            username="bob.martin",
            password="initial-pwd",
            password2="initial-pwd",
            realname="Martin",
            firstname="Bob",
        )
    )
    ticket_id = await client.create_ticket(
        PostTicket(
            name="Wi-Fi unreachable",
            content="802.1X handshake fails on the 5 GHz radio.",
        )
    )
    await client.add_ticket_team_member(
        ticket_id,
        PostTeamMember(type="User", id=bob_id, role="assigned"),
    )
    await client.create_ticket_followup(
        ticket_id,
        PostFollowup(content="Reproduced on the lab laptop."),
    )
    return {
        "location_id": location_id,
        "alice_id": alice_id,
        "bob_id": bob_id,
        "ticket_id": ticket_id,
    }


async def timeline(client: Driven, ticket_id: int) -> None:
    """Section 4, "Ticket timeline": create one of each, list them, print the first followup (as Markdown)."""
    await client.create_ticket_followup(
        ticket_id,
        PostFollowup(content="Triaged: ongoing"),
    )
    await client.create_ticket_task(
        ticket_id,
        PostTicketTask(content="On-site visit", duration=900),
    )
    await client.create_ticket_solution(
        ticket_id,
        PostSolution(content="Replaced the access point"),
    )

    followups = await client.list_ticket_followups(ticket_id)
    tasks = await client.list_ticket_tasks(ticket_id)
    solutions = await client.list_ticket_solutions(ticket_id)

    print(len(followups), len(tasks), len(solutions))
    print(followups[0].content)


async def example_1(client: Driven) -> tuple[int, str]:
    new_id = await client.create_ticket(
        PostTicket(
            name="Printer offline",
            content="The third-floor printer cannot be reached.",
        )
    )
    context = await client.get_ticket_context(new_id)
    return new_id, context.to_markdown()


async def example_2(client: Driven, ticket_id: int) -> str:
    await client.create_ticket_followup(
        ticket_id,
        PostFollowup(content="Capturing radius logs."),
    )
    context = await client.get_ticket_context(ticket_id)
    return str(context.to_markdown())


async def example_3(client: Driven, ticket_id: int) -> str:
    await client.create_ticket_task(
        ticket_id,
        PostTicketTask(
            content="On-site visit to swap the access point.",
            duration=1800,
        ),
    )
    context = await client.get_ticket_context(ticket_id)
    return str(context.to_markdown())


async def example_4(client: Driven, ticket_id: int) -> str:
    await client.create_ticket_solution(
        ticket_id,
        PostSolution(content="Replaced the access point firmware."),
    )
    context = await client.get_ticket_context(ticket_id)
    return str(context.to_markdown())


async def example_5(client: Driven, ticket_id: int) -> tuple[int, str]:
    document_id = await client.upload_document(
        filename="diagnostic.txt",
        content=DIAGNOSTIC,
        mime_type="text/plain",
        ticket_id=ticket_id,
    )
    context = await client.get_ticket_context(ticket_id)
    return document_id, context.to_markdown()


async def workflow(client: Driven) -> tuple[int, int]:
    """Example 6 (the ids are returned for the checks)."""
    user_id = await client.create_user(
        PostUser(
            username="bob.workflow",
            password="initial-pwd",
            password2="initial-pwd",
            realname="Workflow",
            firstname="Bob",
        )
    )
    new_ticket_id = await client.create_ticket(PostTicket(name="VPN drops", content="Daily VPN drops at 11:00"))
    try:
        await client.create_ticket_followup(
            new_ticket_id,
            PostFollowup(content="Reproduced on lab laptop"),
        )
        await client.create_ticket_task(
            new_ticket_id,
            PostTicketTask(content="Capture VPN logs", duration=1800),
        )
        await client.add_ticket_team_member(
            new_ticket_id,
            PostTeamMember(type="User", id=user_id, role="assigned"),
        )
        await client.create_ticket_solution(
            new_ticket_id,
            PostSolution(content="Upgraded VPN client"),
        )
        context = await client.get_ticket_context(new_ticket_id)
        print(context.ticket.name, len(context.followups))
    finally:
        await client.delete_ticket(new_ticket_id, force=True)
        await client.delete_user(user_id, force=True)
    return user_id, new_ticket_id


async def monthly_report(client: Driven, start: str, end: str) -> dict[str, object]:
    """Example 7."""
    ticket_stats = await client.get_ticket_statistics(start_date=start, end_date=end)
    solved_tickets = await client.search_tickets("status==5", limit=200)
    task_stats = await client.get_task_statistics([t.id for t in solved_tickets])
    return {"tickets": ticket_stats, "tasks": task_stats}


# -- helpers ----------------------------------------------------------------------------------------


def section(markdown: str, heading: str) -> str:
    """The block of ``markdown`` that starts with the line ``heading`` (up to the next ``#`` heading)."""
    lines = markdown.split("\n")
    start = lines.index(heading)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    return "\n".join(lines[start:end])


def headings(markdown: str, kind: str) -> list[str]:
    return [line for line in markdown.split("\n") if line.startswith(f"### {kind} #")]


# -- tests ------------------------------------------------------------------------------------------


def test_seed(mode: str) -> None:
    seen: dict[str, int] = {}

    async def body(sim: GlpiSim | None, client: Driven) -> None:
        ids = await seed(client)
        seen.update(ids)
        assert list(ids) == ["location_id", "alice_id", "bob_id", "ticket_id"]
        assert all(isinstance(v, int) and v > 0 for v in ids.values())
        assert ids["alice_id"] != ids["bob_id"]
        assert (await client.get_location(ids["location_id"])).name == "HQ Paris"
        alice, bob = await client.get_user(ids["alice_id"]), await client.get_user(ids["bob_id"])
        assert (alice.username, alice.firstname, alice.realname) == ("alice.dupont", "Alice", "Dupont")
        assert (bob.username, bob.firstname, bob.realname) == ("bob.martin", "Bob", "Martin")
        ticket = await client.get_ticket(ids["ticket_id"])
        assert ticket.name == "Wi-Fi unreachable" and not ticket.is_deleted
        team = await client.list_ticket_team_members(ids["ticket_id"])
        assert [(m.type, m.id, m.role) for m in team] == [("User", ids["bob_id"], "assigned")]
        followups = await client.list_ticket_followups(ids["ticket_id"])
        assert len(followups) == 1 and "Reproduced on the lab laptop." in (followups[0].content or "")

    sim = play(mode, "seed", body)
    if sim is not None:
        assert set(sim.items["Location"]) == {seen["location_id"]}
        assert sim.team[seen["ticket_id"]] == [("User", seen["bob_id"], "assigned")]
        # Assigning a technician moves a New ticket to "Processing (assigned)", as GLPI does.
        assert sim.items["Ticket"][seen["ticket_id"]]["status"] == {"id": 2, "name": "Processing (assigned)"}


def test_timeline_prints_the_followup_as_markdown(mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    async def body(sim: GlpiSim | None, client: Driven) -> None:
        ids = await seed(client)
        await timeline(client, ids["ticket_id"])
        assert capsys.readouterr().out == "2 1 1\nReproduced on the lab laptop.\n"  # the guide's output
        first = (await client.list_ticket_followups(ids["ticket_id"]))[0]
        assert first.content_html == "<p>Reproduced on the lab laptop.</p>"  # what GLPI stores: the rendered HTML

    sim = play(mode, "timeline_example", body)
    if sim is not None:
        stored = {item["content"] for kind in ("Followup", "Task", "Solution") for item in sim.items[kind].values()}
        assert stored >= {"<p>Triaged: ongoing</p>", "<p>On-site visit</p>", "<p>Replaced the access point</p>"}


def test_example_1_create_and_read_back(mode: str) -> None:
    async def body(sim: GlpiSim | None, client: Driven) -> None:
        await seed(client)
        new_id, markdown = await example_1(client)
        assert markdown.startswith(f"# Ticket #{new_id} — Printer offline\n> Status: New")
        assert "\n## Description\n\nThe third-floor printer cannot be reached.\n" in markdown
        assert "## Timeline" not in markdown and "## Documents" not in markdown

    sim = play(mode, "example_1", body)
    if sim is not None:
        assert [t["name"] for t in sim.items["Ticket"].values()] == ["Wi-Fi unreachable", "Printer offline"]


def test_example_2_followup(mode: str) -> None:
    async def body(sim: GlpiSim | None, client: Driven) -> None:
        ids = await seed(client)
        markdown = await example_2(client, ids["ticket_id"])
        assert markdown.startswith(f"# Ticket #{ids['ticket_id']} — Wi-Fi unreachable\n")
        assert "\n## Timeline\n" in markdown
        followups = headings(markdown, "Followup")
        assert len(followups) == 2  # the seed's, then this one
        assert "Reproduced on the lab laptop." in section(markdown, followups[0])
        latest = section(markdown, followups[1])
        subtitle = latest.split("\n")[1]
        assert subtitle.startswith("> ") and "Created at: " in subtitle
        assert latest.rstrip().endswith("Capturing radius logs.")

    play(mode, "example_2", body)


def test_example_3_task_with_duration(mode: str) -> None:
    async def body(sim: GlpiSim | None, client: Driven) -> None:
        ids = await seed(client)
        markdown = await example_3(client, ids["ticket_id"])
        (task,) = headings(markdown, "Task")
        block = section(markdown, task)
        subtitle = block.split("\n")[1]
        assert subtitle.startswith("> ") and "Duration: 1800s" in subtitle
        assert block.rstrip().endswith("On-site visit to swap the access point.")
        assert (await client.get_ticket(ids["ticket_id"])).actiontime == 1800

    play(mode, "example_3", body)


def test_example_4_solution_solves(mode: str) -> None:
    async def body(sim: GlpiSim | None, client: Driven) -> None:
        ids = await seed(client)
        markdown = await example_4(client, ids["ticket_id"])
        assert markdown.startswith(f"# Ticket #{ids['ticket_id']} — Wi-Fi unreachable\n> Status: Solved")
        (solution,) = headings(markdown, "Solution")
        assert section(markdown, solution).rstrip().endswith("Replaced the access point firmware.")
        assert markdown.index("## Timeline") < markdown.index(solution)
        assert (await client.get_ticket(ids["ticket_id"])).status.id == 5

    play(mode, "example_4", body)


def test_example_5_upload_document(mode: str) -> None:
    async def body(sim: GlpiSim | None, client: Driven) -> None:
        ids = await seed(client)
        document_id, markdown = await example_5(client, ids["ticket_id"])
        assert markdown.rstrip().endswith("## Documents\n- diagnostic.txt")
        (link,) = await client.list_ticket_timeline_documents(ids["ticket_id"])
        assert link.documents_id == document_id
        assert await client.download_document_content(document_id) == DIAGNOSTIC
        if sim is not None:
            assert sim.items["Document"][document_id]["mime"] == "text/plain"
            assert len(sim.sessions) == 1  # the client's v1 session, open until the client closes

    sim = play(mode, "example_5", body)
    if sim is not None:
        assert not sim.sessions  # killSession on close
        assert any(r.url.path == "/apirest.php/killSession" for r in sim.requests)


def test_example_6_full_workflow(mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    made: list[int] = []

    async def body(sim: GlpiSim | None, client: Driven) -> None:
        await seed(client)
        user_id, new_ticket_id = await workflow(client)
        made.extend((user_id, new_ticket_id))
        with pytest.raises(NotFoundError):
            await client.get_ticket(new_ticket_id)
        with pytest.raises(NotFoundError):
            await client.get_user(user_id)

    sim = play(mode, "example_6", body)
    assert capsys.readouterr().out == "VPN drops 1\n"
    if sim is not None:
        user_id, ticket_id = made
        assert ticket_id not in sim.items["Ticket"] and user_id not in sim.items["User"]
        assert ticket_id not in sim.team
        left = [r for kind in ("Followup", "Task", "Solution") for r in sim.items[kind].values()]
        assert all(r.get("items_id", r.get("tickets_id")) != ticket_id for r in left)


def expected_report(sim: GlpiSim, start: str, end: str) -> dict[str, Any]:
    """Example 7's result, computed straight from the simulator's state."""
    tickets = sim.items["Ticket"].values()
    entities: dict[str, dict[str, Any]] = {}
    for ticket in tickets:
        if ticket["is_deleted"] or not start <= ticket["date_creation"][:10] <= end:
            continue
        bucket = entities.setdefault(
            str(ticket["entity"]["id"]),
            {"total": 0, "by_status": Counter(), "by_priority": Counter(), "by_type": Counter()},
        )
        bucket["total"] += 1
        bucket["by_status"][str(ticket["status"]["id"])] += 1
        bucket["by_priority"][PRIORITIES[ticket["priority"]]] += 1
        bucket["by_type"][TYPES[ticket["type"]]] += 1
    solved = sorted(t["id"] for t in tickets if t["status"]["id"] == 5)[:200]  # trashed ones too, like the search
    by_user: Counter[str] = Counter()
    by_ticket = dict.fromkeys(solved, 0)
    count = 0
    for task in sim.items["Task"].values():
        if task["tickets_id"] in by_ticket:
            count += 1
            by_ticket[task["tickets_id"]] += task["duration"]
            by_user[str(task["user_tech"]["id"]) if task["user_tech"] else "unknown"] += task["duration"]
    return {
        "tickets": {
            "entities": {
                key: {k: dict(v) if isinstance(v, Counter) else v for k, v in b.items()} for key, b in entities.items()
            }
        },
        "tasks": {
            "ticket_count": len(solved),
            "task_count": count,
            "total_duration": sum(by_ticket.values()),
            "duration_by_user": dict(by_user),
            "duration_by_ticket": by_ticket,
        },
    }


def test_example_7_monthly_report(mode: str) -> None:
    report: dict[str, Any] = {}

    async def body(sim: GlpiSim | None, client: Driven) -> None:
        ids = await seed(client)
        await example_3(client, ids["ticket_id"])
        await example_4(client, ids["ticket_id"])
        await example_1(client)
        if sim is not None:  # more January activity, and some outside the window, to make the numbers tell
            await client.create_ticket_task(
                ids["ticket_id"], PostTicketTask(content="Follow-up visit", duration=900, user_tech=ids["bob_id"])
            )
            request = await client.create_ticket(PostTicket(name="New laptop", content="For Alice", type=2, priority=4))
            await client.create_ticket_task(request, PostTicketTask(content="Order", duration=600))
            await client.create_ticket_solution(request, PostSolution(content="Delivered"))
            trashed = await client.create_ticket(PostTicket(name="Duplicate", content="Same as above"))
            await client.create_ticket_task(trashed, PostTicketTask(content="Triage", duration=300))
            await client.create_ticket_solution(trashed, PostSolution(content="Duplicate"))
            await client.delete_ticket(trashed)
            sim.now = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
            december = await client.create_ticket(PostTicket(name="Old one", content="Last year"))
            sim.now = datetime(2026, 2, 1, 0, 0, tzinfo=UTC)
            await client.create_ticket_task(
                december, PostTicketTask(content="Late fix", duration=1200, user_tech=ids["alice_id"])
            )
            await client.create_ticket_solution(december, PostSolution(content="Fixed in February"))
            await client.create_ticket(PostTicket(name="February", content="Next month"))
        report.update(await monthly_report(client, "2026-01-01", "2026-01-31"))
        report["seeded"] = ids["ticket_id"]

    sim = play(mode, "example_7", body)
    seeded = report.pop("seeded")
    assert set(report) == {"tickets", "tasks"}
    for bucket in report["tickets"]["entities"].values():
        assert set(bucket) == {"total", "by_status", "by_priority", "by_type"}
        for key in ("by_status", "by_priority", "by_type"):
            assert sum(bucket[key].values()) == bucket["total"]
    tasks = report["tasks"]
    assert set(tasks) == {"ticket_count", "task_count", "total_duration", "duration_by_user", "duration_by_ticket"}
    assert tasks["ticket_count"] == len(tasks["duration_by_ticket"])
    assert (
        tasks["total_duration"] == sum(tasks["duration_by_ticket"].values()) == sum(tasks["duration_by_user"].values())
    )
    if tasks["ticket_count"] < 200:  # the seeded ticket, solved with a 1800 s task, is among the solved ones
        assert tasks["duration_by_ticket"][seeded] >= 1800
    if sim is not None:
        assert report == expected_report(sim, "2026-01-01", "2026-01-31")
        assert report["tickets"]["entities"]["0"]["total"] == 3  # seed, Example 1, New laptop (trash excluded)
        assert report["tasks"]["ticket_count"] == 4  # seed, New laptop, Duplicate (trashed), Old one


# -- the simulator answers like the live server where the examples depend on it ----------------------


def test_simulator_mimics_the_live_server() -> None:
    import httpx

    sim = GlpiSim()
    api = "http://127.0.0.1:8088/api.php/v2"
    with httpx.Client(transport=sim.transport()) as http:
        assert http.get(f"{api}/Assistance/Ticket").status_code == 401
        bad = http.get(f"{api}/Assistance/Ticket", headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 400 and bad.json()["title"] == "Invalid OAuth token"
        grant = {"grant_type": "password", "username": "glpi", "password": "replayed-password", "scope": "api",
                 "client_id": sim.client["client_id"], "client_secret": "replayed-secret"}  # fmt: skip
        assert http.post("http://127.0.0.1:8088/api.php/token", data={**grant, "password": "x"}).status_code == 400
        token = http.post("http://127.0.0.1:8088/api.php/token", data=grant).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"

        created = http.post(f"{api}/Assistance/Ticket", json={"name": "a", "content": "b"})
        assert created.status_code == 200 and created.headers["Location"] == created.json()["href"]
        ignored = http.post(
            f"{api}/Assistance/Ticket",
            content=b'{"name": "c"}',
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        empty = http.get(f"{api}/Assistance/Ticket/{ignored.json()['id']}").json()
        assert (empty["name"], empty["content"], empty["team"], empty["status"]) == (
            "",
            "",
            [],
            {"id": 1, "name": "New"},
        )
        http.post(f"{api}/Assistance/Ticket", json={"name": "d"})

        bare = http.get(f"{api}/Assistance/Ticket", params={"filter": "status==1"})
        assert bare.status_code == 400 and bare.json()["detail"] == {"status": "Unknown property"}
        first = http.get(f"{api}/Assistance/Ticket", params={"filter": "status.id==1", "limit": 2})
        assert (first.status_code, first.headers["Content-Range"]) == (206, "0-1/3")
        last = http.get(f"{api}/Assistance/Ticket", params={"filter": "status.id==1", "limit": 2, "start": 2})
        assert (last.status_code, last.headers["Content-Range"], len(last.json())) == (200, "2-2/3", 1)
        none = http.get(f"{api}/Assistance/Ticket", params={"filter": 'name=like="zz*"'})
        assert (none.status_code, none.headers["Content-Range"], none.json()) == (200, "0--1/0", [])

        ticket = created.json()["id"]
        without_id = http.post(
            f"{api}/Assistance/Ticket/{ticket}/TeamMember", json={"type": "User", "role": "assigned"}
        )
        assert (without_id.status_code, without_id.content) == (500, b"")
        added = http.post(
            f"{api}/Assistance/Ticket/{ticket}/TeamMember", json={"type": "User", "id": 2, "role": "assigned"}
        )
        assert (added.status_code, added.content) == (201, b"")
        (member,) = http.get(f"{api}/Assistance/Ticket/{ticket}/TeamMember").json()
        assert "type" not in member and member["href"] == "/front/user.form.php?id=2"
        http.post(f"{api}/Assistance/Ticket/{ticket}/Timeline/Task", json={"content": "t", "duration": 600})
        http.post(f"{api}/Assistance/Ticket/{ticket}/Timeline/Solution", json={"content": "s"})
        solved = http.get(f"{api}/Assistance/Ticket/{ticket}").json()
        assert (solved["status"], solved["actiontime"]) == ({"id": 5, "name": "Solved"}, 600)
        (envelope,) = http.get(f"{api}/Assistance/Ticket/{ticket}/Timeline/Task").json()
        assert envelope["type"] == "Task" and envelope["item"]["duration"] == 600

        assert http.delete(f"{api}/Assistance/Ticket/{ticket}").status_code == 204
        assert http.get(f"{api}/Assistance/Ticket/{ticket}").json()["is_deleted"] is True
        assert http.delete(f"{api}/Assistance/Ticket/{ticket}", params={"force": "true"}).status_code == 204
        gone = http.get(f"{api}/Assistance/Ticket/{ticket}")
        assert (gone.status_code, gone.json()["status"]) == (404, "ERROR_ITEM_NOT_FOUND")
        assert http.get(f"{api}/Assistance/NoSuchThing").status_code == 404
        assert http.get(f"{api}/Administration/Entity").json()[0]["name"] == "Root entity"
        killed = http.get("http://127.0.0.1:8088/apirest.php/killSession", headers={"Session-Token": "x"})
        assert killed.status_code == 401 and killed.json()[0] == "ERROR_SESSION_TOKEN_INVALID"
