"""open_incident / resolve_incident on both clients, against the stateful simulator.

Time is injected (``now=``): nothing sleeps. Concurrency runs on threads (sync client) or ``asyncio.gather``
(async client); the simulator yields between requests so that unserialised calls would interleave.
"""

from __future__ import annotations

import asyncio
import html
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from glpi_harness import OWN, RECORDING, Driven, run
from glpi_sim import GlpiSim

from glpi_python_client import (
    APITimeoutError,
    ConfigurationError,
    IncidentKeyError,
    IncidentResult,
    InvalidArgumentError,
    PostTeamMember,
)

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
ALERT = {"title": "Disk full on srv-05", "content": "/var is 98% full"}


def transport(sim: GlpiSim, mode: str, fault: Callable[[httpx.Request], Any] | None = None) -> httpx.BaseTransport:
    """The simulator, yielding to other threads/tasks before each request; ``fault`` may replace an answer."""

    def answer(request: httpx.Request) -> httpx.Response:
        if fault is not None:
            replaced = fault(request)
            if replaced is not None:
                return replaced  # type: ignore[no-any-return]
        return sim(request)

    if mode == "async":

        async def handler(request: httpx.Request) -> httpx.Response:
            await asyncio.sleep(0)
            return answer(request)

        return httpx.MockTransport(handler)

    def sync_handler(request: httpx.Request) -> httpx.Response:
        time.sleep(0)
        return answer(request)

    return httpx.MockTransport(sync_handler)


def tickets(sim: GlpiSim, key: str | None = None) -> list[dict[str, Any]]:
    return [t for t in sim.items["Ticket"].values() if key is None or t["external_id"] == key]


def followups(sim: GlpiSim, ticket_id: int) -> list[dict[str, Any]]:
    return [f for f in sim.items["Followup"].values() if f["items_id"] == ticket_id]


def posts(sim: GlpiSim, path_end: str) -> int:
    return sum(1 for r in sim.requests if r.method == "POST" and r.url.path.endswith(path_end))


async def concurrently(c: Driven, count: int, call: Callable[[], Any]) -> list[Any]:
    """``count`` simultaneous calls: ``asyncio.gather`` on the async client, threads on the sync one."""
    if c.is_async:
        return list(await asyncio.gather(*(call() for _ in range(count))))
    with ThreadPoolExecutor(max_workers=32) as pool:
        futures = [pool.submit(call) for _ in range(count)]
        return [f.result() for f in futures]


def test_hundred_concurrent_identical_alerts_make_one_ticket(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> list[IncidentResult]:
        client = c.client
        return await concurrently(c, 100, lambda: client.open_incident("fp-1", **ALERT, now=T0))

    results = run(mode, body, transport=transport(sim, mode))
    assert len(tickets(sim, "fp-1")) == 1
    assert posts(sim, "/Assistance/Ticket") == 1
    assert sorted(r.action for r in results).count("created") == 1
    assert {r.action for r in results} == {"created", "suppressed"}
    assert {r.ticket_id for r in results} == {tickets(sim)[0]["id"]}
    assert max(r.occurrences for r in results) == 100


def test_concurrent_alerts_of_different_keys_get_one_ticket_per_key(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> list[IncidentResult]:
        keys = iter([f"k{i % 5}" for i in range(40)])
        client = c.client
        return await concurrently(c, 40, lambda: client.open_incident(next(keys), **ALERT, now=T0))

    results = run(mode, body, transport=transport(sim, mode))
    assert sorted(t["external_id"] for t in tickets(sim)) == ["k0", "k1", "k2", "k3", "k4"]
    assert sum(r.action == "created" for r in results) == 5


def test_firing_repeat_resolved(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> list[IncidentResult]:
        first = await c.open_incident("fp-2", **ALERT, urgency=4, impact=3, now=T0)
        repeat = await c.open_incident(
            "fp-2", title=ALERT["title"], content="/var is 99% full", now=T0 + timedelta(minutes=11)
        )
        resolved = await c.resolve_incident("fp-2", solution="Logs rotated", now=T0 + timedelta(minutes=12))
        again = await c.resolve_incident("fp-2", solution="Logs rotated", now=T0 + timedelta(minutes=13))
        return [first, repeat, resolved, again]

    first, repeat, resolved, again = run(mode, body, transport=transport(sim, mode))
    (ticket,) = tickets(sim, "fp-2")
    assert (first.action, first.ticket_id, first.occurrences) == ("created", ticket["id"], 1)
    assert ticket["name"] == ALERT["title"] and ticket["urgency"] == 4 and ticket["type"] == 1
    assert (repeat.action, repeat.ticket_id, repeat.occurrences) == ("updated", ticket["id"], 2)
    (followup,) = followups(sim, ticket["id"])
    assert followup["id"] == repeat.followup_id
    assert "occurrence 2" in followup["content"] and "/var is 99% full" in followup["content"]
    assert "2026-03-01T08:11:00+00:00" in followup["content"]  # last seen
    assert (resolved.action, resolved.ticket_id) == ("resolved", ticket["id"])
    assert ticket["status"]["id"] == 5
    assert [s["items_id"] for s in sim.items["Solution"].values()] == [ticket["id"]]
    assert (again.action, again.ticket_id) == ("none", None)
    assert len(sim.items["Solution"]) == 1  # nothing changed


def test_resolving_an_unknown_key_changes_nothing(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> IncidentResult:
        return await c.resolve_incident("never-fired", solution="ok")

    result = run(mode, body, transport=transport(sim, mode))
    assert (result.action, result.ticket_id) == ("none", None)
    assert [r.method for r in sim.requests if r.url.path.startswith("/api.php/v2")] == ["GET"]


def test_flapping_inside_and_outside_the_quiet_window(mode: str) -> None:
    sim = GlpiSim()
    minute = timedelta(minutes=1)

    async def body(c: Driven) -> list[str]:
        actions = [(await c.open_incident("flap", **ALERT, now=T0)).action]
        for offset in (1, 2, 3, 9):  # inside the 10-minute window opened by the creation
            actions.append((await c.open_incident("flap", **ALERT, now=T0 + offset * minute)).action)
        actions.append((await c.open_incident("flap", **ALERT, now=T0 + 10 * minute)).action)  # window over
        actions.append((await c.open_incident("flap", **ALERT, now=T0 + 15 * minute)).action)  # inside the next
        actions.append((await c.open_incident("flap", **ALERT, now=T0 + 21 * minute)).action)
        return actions

    actions = run(mode, body, transport=transport(sim, mode))
    assert actions == [
        "created",
        "suppressed",
        "suppressed",
        "suppressed",
        "suppressed",
        "updated",
        "suppressed",
        "updated",
    ]
    (ticket,) = tickets(sim, "flap")
    contents = [f["content"] for f in followups(sim, ticket["id"])]
    assert len(contents) == 2
    assert "occurrence 6 " in contents[0] and "occurrence 8 " in contents[1]  # suppressed repeats still counted


def test_quiet_window_zero_posts_every_repeat(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> list[str]:
        return [(await c.open_incident("every", **ALERT, quiet_window=0, now=T0)).action for _ in range(3)]

    assert run(mode, body, transport=transport(sim, mode)) == ["created", "updated", "updated"]


def test_refire_soon_after_resolution_reopens_the_ticket(mode: str) -> None:
    sim = GlpiSim()
    minute = timedelta(minutes=1)

    async def body(c: Driven) -> list[IncidentResult]:
        out = [await c.open_incident("bounce", **ALERT, now=T0)]
        out.append(await c.resolve_incident("bounce", solution="recovered", now=T0 + 2 * minute))
        out.append(await c.open_incident("bounce", **ALERT, now=T0 + 4 * minute))  # within 10 min: same ticket
        out.append(await c.resolve_incident("bounce", solution="recovered", now=T0 + 5 * minute))
        out.append(await c.open_incident("bounce", **ALERT, now=T0 + 30 * minute))  # long after: a new incident
        return out

    created, solved, reopened, solved_again, fresh = run(mode, body, transport=transport(sim, mode))
    assert [r.action for r in (created, solved, reopened, solved_again, fresh)] == [
        "created", "resolved", "updated", "resolved", "created"
    ]  # fmt: skip
    assert reopened.ticket_id == created.ticket_id and reopened.occurrences == 2
    assert fresh.ticket_id != created.ticket_id
    assert len(tickets(sim, "bounce")) == 2
    assert followups(sim, created.ticket_id or 0) == []  # reopened inside the creation's quiet window: no followup


def test_a_create_that_times_out_after_sending_is_not_repeated(mode: str) -> None:
    sim = GlpiSim()

    def fault(request: httpx.Request) -> None:
        if request.method == "POST" and request.url.path.endswith("/Assistance/Ticket"):
            sim(request)  # GLPI creates the ticket, the answer never arrives
            raise httpx.ReadTimeout("timed out", request=request)

    async def body(c: Driven) -> IncidentResult:
        return await c.open_incident("slow", **ALERT, now=T0)

    result = run(mode, body, transport=transport(sim, mode, fault))
    (ticket,) = tickets(sim, "slow")
    assert (result.action, result.ticket_id) == ("created", ticket["id"])
    assert posts(sim, "/Assistance/Ticket") == 1


def test_a_create_lost_before_glpi_applied_it_raises_and_the_next_call_creates(mode: str) -> None:
    sim = GlpiSim()
    lost = [True]

    def fault(request: httpx.Request) -> None:
        if request.method == "POST" and request.url.path.endswith("/Assistance/Ticket") and lost[0]:
            lost[0] = False
            raise httpx.ReadTimeout("timed out", request=request)  # sent, never applied

    async def body(c: Driven) -> IncidentResult:
        with pytest.raises(APITimeoutError) as caught:
            await c.open_incident("lost", **ALERT, now=T0)
        assert caught.value.may_have_been_applied
        assert tickets(sim) == []
        return await c.open_incident("lost", **ALERT, now=T0)

    result = run(mode, body, transport=transport(sim, mode, fault))
    assert result.action == "created" and len(tickets(sim, "lost")) == 1


def test_glpi_404_after_creating_a_followup_is_not_repeated(mode: str) -> None:
    sim = GlpiSim()

    def fault(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST" and request.url.path.endswith("/Timeline/Followup"):
            sim(request)  # glpi-project/glpi#24506: created, then 404
            return httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found"})
        return None

    async def body(c: Driven) -> IncidentResult:
        await c.open_incident("echo", **ALERT, quiet_window=0, now=T0)
        return await c.open_incident("echo", **ALERT, quiet_window=0, now=T0)

    result = run(mode, body, transport=transport(sim, mode, fault))
    (ticket,) = tickets(sim, "echo")
    (followup,) = followups(sim, ticket["id"])
    assert (result.action, result.followup_id) == ("updated", followup["id"])


def test_a_restarted_client_finds_the_open_ticket_and_continues_the_count(mode: str) -> None:
    sim = GlpiSim()

    async def first(c: Driven) -> None:
        await c.open_incident("restart", **ALERT, quiet_window=0, now=T0)
        await c.open_incident("restart", **ALERT, quiet_window=0, now=T0)

    async def second(c: Driven) -> IncidentResult:
        return await c.open_incident("restart", **ALERT, now=T0)

    run(mode, first, transport=transport(sim, mode))
    result = run(mode, second, transport=transport(sim, mode))
    assert (result.action, result.occurrences) == ("updated", 3)
    assert len(tickets(sim)) == 1


def test_solved_closed_trashed_and_case_different_tickets_are_not_reused(mode: str) -> None:
    sim = GlpiSim()
    filters: list[str] = []

    def collation(request: httpx.Request) -> httpx.Response | None:
        """GLPI compares with MySQL's case-insensitive collation: ``==`` on "same" also finds "SAME"."""
        rsql = request.url.params.get("filter", "")
        if request.method != "GET" or not rsql.startswith("external_id=="):
            return None
        filters.append(rsql)
        loose = request.url.copy_set_param("filter", rsql.replace("external_id==", "external_id=ilike=", 1))
        return sim(httpx.Request("GET", loose, headers=request.headers))

    async def body(c: Driven) -> IncidentResult:
        for key, status, deleted in (("same", 5, False), ("same", 6, False), ("same", 1, True), ("SAME", 1, False)):
            ticket_id = await c.create_ticket({"name": "old", "content": "x", "external_id": key})
            sim.items["Ticket"][ticket_id].update(status={"id": status, "name": "x"}, is_deleted=deleted)
        return await c.open_incident("same", **ALERT, now=T0)

    result = run(mode, body, transport=transport(sim, mode, collation))
    assert result.action == "created"
    assert len(tickets(sim, "same")) == 4 and len(tickets(sim, "SAME")) == 1
    assert filters[0] == 'external_id=="same";status.id=out=(5,6)'


def test_team_and_items_are_attached_to_a_new_ticket(mode: str) -> None:
    sim = GlpiSim()

    def fault(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith("/Item_Ticket") and json.loads(request.content)["input"]["items_id"] == 99:
            return httpx.Response(400, json=["ERROR_GLPI_ADD", "Item not found"])
        if request.url.path.endswith("/TeamMember") and json.loads(request.content)["id"] == 77:
            return httpx.Response(400, json={"status": "ERROR_INVALID_PARAMETER", "title": "invalid"})
        return None

    async def body(c: Driven) -> IncidentResult:
        return await c.open_incident(
            "srv-05/disk",
            **ALERT,
            team=[PostTeamMember(type="User", id=2, role="observer"), {"type": "User", "id": 77, "role": "assigned"}],
            items=[("Computer", 12), ("NetworkEquipment", 99)],
            now=T0,
        )

    result = run(mode, body, transport=transport(sim, mode, fault))
    (ticket,) = tickets(sim, "srv-05/disk")
    assert result.action == "created" and result.ticket_id == ticket["id"]
    assert sim.team[ticket["id"]] == [("User", 2, "observer")]
    links = list(sim.items["Item_Ticket"].values())
    assert [(x["itemtype"], x["items_id"], x["tickets_id"]) for x in links] == [("Computer", 12, ticket["id"])]
    assert result.unlinked_items == (("NetworkEquipment", 99),)
    assert result.unadded_members == (("User", 77, "assigned"),)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"title": "  "}, "non-empty title"),
        ({"content": None}, "content must be a str"),
        ({"now": datetime(2026, 3, 1, 8, 0)}, "timezone-aware"),
        ({"quiet_window": -1}, "quiet_window must be >= 0"),
        ({"quiet_window": "10m"}, "seconds or a timedelta"),
        ({"items": [("Computer", "12")]}, "int id"),
        ({"items": ["Computer"]}, "pairs"),
        ({"category": 0}, "category"),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(mode: str, options: dict[str, Any], message: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> None:
        with pytest.raises(InvalidArgumentError, match=message):
            await c.open_incident("k", **{**ALERT, **options})

    run(mode, body, transport=transport(sim, mode))
    assert sim.requests == []


def test_items_need_the_v1_settings_before_anything_is_sent(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> None:
        with pytest.raises(ConfigurationError, match="v1"):
            await c.open_incident("k", **ALERT, items=[("Computer", 1)])

    run(mode, body, transport=transport(sim, mode), v1_base_url=None, v1_user_token=None)
    assert sim.requests == []


@pytest.mark.parametrize("key", ["", " padded", 'quo"te', "back\\slash", "new\nline", "x" * 256, 42])
def test_keys_glpi_cannot_match_exactly_are_refused(mode: str, key: Any) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> None:
        with pytest.raises(IncidentKeyError):
            await c.open_incident(key, **ALERT)
        with pytest.raises(IncidentKeyError):
            await c.resolve_incident(key, solution="x")

    run(mode, body, transport=transport(sim, mode))
    assert sim.requests == []


def test_keys_with_rsql_separators_are_quoted(mode: str) -> None:
    sim = GlpiSim()
    key = "job=backup;host=a,b (eu)"

    async def body(c: Driven) -> list[str]:
        first = await c.open_incident(key, **ALERT, now=T0)
        second = await c.open_incident(key, **ALERT, now=T0)
        return [first.action, second.action]

    assert run(mode, body, transport=transport(sim, mode)) == ["created", "suppressed"]
    assert len(tickets(sim, key)) == 1


def test_the_count_is_recovered_from_followups_glpi_stored_html_escaped(mode: str) -> None:
    sim = GlpiSim()
    key = "job=backup&host=<db-1>"

    async def first(c: Driven) -> None:
        for _ in range(3):
            await c.open_incident(key, **ALERT, quiet_window=0, now=T0)

    async def second(c: Driven) -> IncidentResult:
        return await c.open_incident(key, **ALERT, quiet_window=0, now=T0)

    run(mode, first, transport=transport(sim, mode))
    for followup in sim.items["Followup"].values():  # GLPI keeps rich text HTML-encoded
        followup["content"] = html.escape(followup["content"], quote=False)
    result = run(mode, second, transport=transport(sim, mode))
    assert (result.action, result.occurrences) == ("updated", 4)


def test_a_client_remembers_a_bounded_number_of_keys(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from glpi_python_client._operations import incidents

    monkeypatch.setattr(incidents, "_MAX_STATES", 3)
    sim = GlpiSim()

    async def body(c: Driven) -> tuple[int, IncidentResult]:
        for number in range(6):
            await c.open_incident(f"key-{number}", **ALERT, now=T0)
        remembered = len(c.client._ctx.incidents)
        # key-0 was forgotten: its repeat is not suppressed, and the count comes back from GLPI
        return remembered, await c.open_incident("key-0", **ALERT, now=T0 + timedelta(minutes=1))

    remembered, result = run(mode, body, transport=transport(sim, mode))
    assert remembered == 3
    assert (result.action, result.occurrences) == ("updated", 2)
    assert len(tickets(sim)) == 6


LIVE_KEY = "glpi-python-client-tests:incident-lifecycle"
LIVE_SCENARIO = "incident_lifecycle"  # recorded by make record; until then the test runs on the simulator


def test_incident_lifecycle_recordable(mode: str) -> None:
    """Firing, repeat, resolve, resolve again: on the project's recording when made (``make record``), else the
    simulator. The assertions read only what a live GLPI returns; leftovers of an earlier run are purged first.
    """

    async def body(c: Driven) -> None:
        for leftover in await c.search_tickets(f'external_id=="{LIVE_KEY}"'):
            await c.delete_ticket(leftover.id, force=True)
        created = await c.open_incident(LIVE_KEY, title="client test: disk full", content="98% used", urgency=4)
        try:
            assert created.action == "created" and created.ticket_id is not None
            ticket = await c.get_ticket(created.ticket_id)
            assert ticket.external_id == LIVE_KEY and ticket.urgency == 4 and ticket.type == 1
            repeat = await c.open_incident(LIVE_KEY, title="client test: disk full", content="99% used", quiet_window=0)
            assert (repeat.action, repeat.ticket_id, repeat.occurrences) == ("updated", created.ticket_id, 2)
            (followup,) = await c.list_ticket_followups(created.ticket_id)
            assert "occurrence 2" in (followup.content or "") and "99% used" in (followup.content or "")
            resolved = await c.resolve_incident(LIVE_KEY, solution="space freed")
            assert (resolved.action, resolved.ticket_id) == ("resolved", created.ticket_id)
            assert (await c.get_ticket(created.ticket_id)).status.id == 5
            assert (await c.resolve_incident(LIVE_KEY, solution="space freed")).action == "none"
        finally:
            await c.delete_ticket(created.ticket_id, force=True)

    if RECORDING or (OWN / f"{LIVE_SCENARIO}.yaml").exists():
        run(mode, body, scenario=LIVE_SCENARIO)
    else:
        sim = GlpiSim()
        run(mode, body, transport=transport(sim, mode))
        assert sim.items["Ticket"] == {}
