"""get_ticket_context through both clients, against a fake GLPI (httpx.MockTransport).

The fake serves a ticket, its four timeline lists as ``{"type", "item"}`` envelopes (as the live
server does), document metadata and users. It proves the five first reads run concurrently without
timing: each of them waits, in its handler, until all five have arrived (a ``threading.Barrier`` for
the sync client's threads, an ``asyncio.Event`` for the async client). Run one after the other, the
first would wait in vain and the test fail after 5 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import Counter
from typing import Any

import httpx
import pytest
from glpi_harness import Driven, run

from glpi_python_client import NotFoundError
from glpi_python_client._context import GlpiTicketContext

API = "/api.php/v2/"
TOKEN = {"access_token": "t", "expires_in": 3600, "refresh_token": "r", "token_type": "Bearer"}


def at(minute: int) -> str:
    return f"2026-01-02T09:{minute:02d}:00+00:00"


def envelope(kind: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": kind, "item": item} for item in items]


TICKET = {
    "id": 123,
    "name": "Wi-Fi unreachable",
    "content": "&lt;p&gt;802.1X handshake fails on the &lt;b&gt;5 GHz&lt;/b&gt; radio.&lt;/p&gt;",
    "status": {"id": 1, "name": "New"},
    "user_editor": {"id": 2, "name": "bob"},
    "date_creation": at(0),
    "date_mod": at(20),
    "team": [
        {
            "role": "requester",
            "name": "alice",
            "realname": "Dupont",
            "firstname": "Alice",
            "display_name": "Dupont Alice",
            "id": 1,
            "href": "/front/user.form.php?id=1",
        },
        {
            "role": "assigned",
            "name": "bob",
            "realname": "Martin",
            "firstname": "Bob",
            "display_name": "Martin Bob",
            "id": 2,
            "href": "/front/user.form.php?id=2",
        },
        {"role": "observer", "name": "Network", "id": 2, "href": "/front/group.form.php?id=2"},
    ],
}
BOB = {"id": 2, "name": "bob"}
FOLLOWUPS = [
    {
        "id": 45,
        "itemtype": "Ticket",
        "items_id": 123,
        "content": "&lt;p&gt;Reproduced on the lab laptop.&lt;/p&gt;",
        "user": BOB,
        "user_editor": None,
        "date_creation": at(5),
        "date_mod": at(5),
    },
]
TASKS = [
    {
        "id": 12,
        "content": "<p>On-site visit.</p>",
        "duration": 900,
        "state": 1,
        "user": BOB,
        "user_tech": 6,
        "date_creation": at(10),
        "date_mod": at(10),
        "tickets_id": 123,
    },
    {
        "id": 13,
        "content": "<p>Swap the AP.</p>",
        "duration": 0,
        "state": 2,
        "user": BOB,
        "user_tech": {"id": 6},
        "date_creation": at(12),
        "date_mod": at(12),
        "tickets_id": 123,
    },
]
SOLUTIONS = [
    {
        "id": 7,
        "itemtype": "Ticket",
        "items_id": 123,
        "content": "<p>Replaced the access point.</p>",
        "status": 3,
        "user": BOB,
        "user_editor": {"id": 8, "name": "dan"},
        "approver": None,
        "date_creation": at(20),
        "date_mod": at(20),
    },
]
DOCUMENTS = [
    {
        "id": 30,
        "itemtype": "Ticket",
        "items_id": 123,
        "documents_id": 9,
        "filepath": "/front/document.send.php?docid=9",
        "date_creation": at(15),
    },
    {
        "id": 31,
        "itemtype": "Ticket",
        "items_id": 123,
        "documents_id": 10,
        "filepath": "/front/document.send.php?docid=10",
        "date_creation": at(16),
    },
    {
        "id": 32,
        "itemtype": "Ticket",
        "items_id": 123,
        "documents_id": 9,
        "filepath": "/front/document.send.php?docid=9",
        "date_creation": at(17),
    },
]

FIRST_ROUND = {
    "Assistance/Ticket/123": TICKET,
    "Assistance/Ticket/123/Timeline/Followup": envelope("Followup", FOLLOWUPS),
    "Assistance/Ticket/123/Timeline/Task": envelope("Task", TASKS),
    "Assistance/Ticket/123/Timeline/Solution": envelope("Solution", SOLUTIONS),
    "Assistance/Ticket/123/Timeline/Document": envelope("Document", DOCUMENTS),
}
SECOND_ROUND = {
    "Management/Document/9": {"id": 9, "name": "diagnostic.txt", "filename": "diagnostic.txt", "mime": "text/plain"},
    "Management/Document/10": {"id": 10, "name": "radius.log", "filename": "radius.log"},
    "Administration/User/6": {"id": 6, "username": "erin", "firstname": "Erin", "realname": "Tech"},
    "Administration/User/8": {"id": 8, "username": "dan", "firstname": "Dan", "realname": "Editor"},
}

EXPECTED_MARKDOWN = """\
# Ticket #123 — Wi-Fi unreachable
> Status: New | Requester: Alice Dupont | Last edited by: Bob Martin | Created at: 2026-01-02T09:00:00+00:00 | Updated at: 2026-01-02T09:20:00+00:00

## Description

802.1X handshake fails on the **5 GHz** radio.

## Timeline

### Followup #45
> Created by: Bob Martin | Created at: 2026-01-02T09:05:00+00:00

Reproduced on the lab laptop.

### Task #12
> Created by: Bob Martin | Created at: 2026-01-02T09:10:00+00:00 | Duration: 900s | State: Todo | Technician: Erin Tech

On-site visit.

### Task #13
> Created by: Bob Martin | Created at: 2026-01-02T09:12:00+00:00 | State: Done | Technician: Erin Tech

Swap the AP.

### Solution #7
> Created by: Bob Martin | Last edited by: Dan Editor | Created at: 2026-01-02T09:20:00+00:00 | Status: Approved

Replaced the access point.

## Documents
- diagnostic.txt
- radius.log
- diagnostic.txt
"""  # noqa: E501


class FakeGlpi:
    """Serves FIRST_ROUND and SECOND_ROUND; logs ("start"/"end", path); the first round waits for all five."""

    def __init__(
        self, mode: str, *, missing: frozenset[str] = frozenset(), holds: dict[str, set[str]] | None = None
    ) -> None:
        self.mode = mode
        self.missing = missing
        # path -> the paths whose requests must have started before it is answered (waited for at most 5 s);
        # ``held`` records, per held path, whether they all had
        self.holds = holds or {}
        self.held: dict[str, bool] = {}
        self.started: dict[str, threading.Event] = {}
        self.started_async: dict[str, asyncio.Event] = {}
        self.log: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.barrier = threading.Barrier(len(FIRST_ROUND), timeout=5)
        self.arrived = 0
        self.all_arrived: asyncio.Event | None = None
        self.gate = True  # only the first get_ticket_context call is gated

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_async if self.mode == "async" else self.handle_sync)

    def _path(self, request: httpx.Request) -> str | None:
        path = request.url.path
        return path.split(API, 1)[1] if API in path else None

    def _answer(self, request: httpx.Request, path: str) -> httpx.Response:
        with self.lock:
            self.log.append(("end", path))
        if path in self.missing:
            return httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found", "detail": None})
        body = FIRST_ROUND.get(path, SECOND_ROUND.get(path))
        if body is None:
            return httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found", "detail": None})
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})

    def _start(self, request: httpx.Request) -> str | None:
        path = self._path(request)
        if path is None:
            return None
        assert request.method == "GET", request
        with self.lock:
            self.log.append(("start", path))
            self.started.setdefault(path, threading.Event()).set()
        if self.mode == "async":
            self.started_async.setdefault(path, asyncio.Event()).set()
        return path

    def _hold_sync(self, path: str) -> None:
        if path in self.holds:
            with self.lock:
                events = [self.started.setdefault(p, threading.Event()) for p in self.holds[path]]
            self.held[path] = all(event.wait(timeout=5) for event in events)

    async def _hold_async(self, path: str) -> None:
        if path in self.holds:
            events = [self.started_async.setdefault(p, asyncio.Event()) for p in self.holds[path]]
            try:
                await asyncio.wait_for(asyncio.gather(*(event.wait() for event in events)), timeout=5)
                self.held[path] = True
            except TimeoutError:
                self.held[path] = False

    def handle_sync(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api.php/token":
            return httpx.Response(200, json=TOKEN)
        path = self._start(request)
        assert path is not None
        if self.gate and path in FIRST_ROUND:
            self.barrier.wait()  # BrokenBarrierError after 5 s unless all five are in flight together
        self._hold_sync(path)
        return self._answer(request, path)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api.php/token":
            return httpx.Response(200, json=TOKEN)
        path = self._start(request)
        assert path is not None
        if self.gate and path in FIRST_ROUND:
            if self.all_arrived is None:
                self.all_arrived = asyncio.Event()
            self.arrived += 1
            if self.arrived == len(FIRST_ROUND):
                self.all_arrived.set()
            await asyncio.wait_for(self.all_arrived.wait(), timeout=5)
        await self._hold_async(path)
        return self._answer(request, path)

    def paths(self, kind: str) -> list[str]:
        return [path for event, path in self.log if event == kind]


def test_ticket_context(mode: str) -> None:
    fake = FakeGlpi(mode)

    async def body(c: Driven) -> None:
        context = await c.get_ticket_context(123)
        assert isinstance(context, GlpiTicketContext)
        assert context.ticket.id == 123 and context.ticket.name == "Wi-Fi unreachable"
        assert [f.id for f in context.followups] == [45]
        assert [t.id for t in context.tasks] == [12, 13]
        assert [s.id for s in context.solutions] == [7]
        assert [(d.id, d.documents_id) for d in context.documents] == [(30, 9), (31, 10), (32, 9)]
        assert context.document_names == {9: "diagnostic.txt", 10: "radius.log"}
        # Team (real names) first, then GET (once per distinct id) for users the team does not name.
        assert context.user_names == {1: "Alice Dupont", 2: "Bob Martin", 6: "Erin Tech", 8: "Dan Editor"}

        # One request per distinct URL: no per-event user lookup, each document and unknown user fetched once.
        starts = fake.paths("start")
        assert Counter(starts) == Counter({**dict.fromkeys(FIRST_ROUND, 1), **dict.fromkeys(SECOND_ROUND, 1)})
        # The five first reads were all issued before any was answered; the lookups came after them (they need
        # the answers naming them).
        assert set(starts[:5]) == set(FIRST_ROUND)
        first_end = fake.log.index(next(e for e in fake.log if e[0] == "end"))
        assert first_end >= 5 and all(event == "start" for event, _ in fake.log[:5])
        assert set(starts[5:]) == set(SECOND_ROUND)

        assert context.to_markdown() == EXPECTED_MARKDOWN

        # Users and documents fetched once are in the client's name cache: a second call is the five reads alone.
        fake.gate = False
        fake.log.clear()
        again = await c.get_ticket_context(123)
        assert sorted(fake.paths("start")) == sorted(FIRST_ROUND)
        assert again.document_names == context.document_names
        assert again.user_names == context.user_names
        assert again.to_markdown() == EXPECTED_MARKDOWN

    run(mode, body, transport=fake.transport())


def test_ticket_context_tolerates_vanished_documents_and_users(mode: str) -> None:
    fake = FakeGlpi(
        mode, missing=frozenset({"Management/Document/10", "Administration/User/6", "Administration/User/8"})
    )

    async def body(c: Driven) -> None:
        context = await c.get_ticket_context(123)
        assert context.document_names == {9: "diagnostic.txt"}
        assert 6 not in context.user_names
        assert context.user_names[8] == "dan"  # unreadable user: the event's login is the fallback
        text = context.to_markdown()
        assert "- Document #10\n" in text
        assert "Technician: User #6" in text

    run(mode, body, transport=fake.transport())


def test_ticket_context_missing_ticket_raises(mode: str) -> None:
    fake = FakeGlpi(mode, missing=frozenset({"Assistance/Ticket/123"}))

    async def body(c: Driven) -> None:
        with pytest.raises(NotFoundError):
            await c.get_ticket_context(123)

    run(mode, body, transport=fake.transport())


def test_ticket_context_lookups_start_as_soon_as_the_answer_naming_them_arrives(mode: str) -> None:
    # The followups stay unanswered until the document lookups and the lookup of user 6 (named by a task) have
    # started: a context waiting for all five reads before looking names up would never start them, and the
    # followups would be answered after 5 s with held False.
    followups = "Assistance/Ticket/123/Timeline/Followup"
    lookups = {"Management/Document/9", "Management/Document/10", "Administration/User/6"}
    fake = FakeGlpi(mode, holds={followups: lookups})
    fake.gate = False

    async def body(c: Driven) -> None:
        context = await c.get_ticket_context(123)
        assert fake.held == {followups: True}
        starts = fake.paths("start")
        assert all(starts.index(path) < fake.log.index(("end", followups)) for path in lookups)
        assert context.document_names == {9: "diagnostic.txt", 10: "radius.log"}
        assert context.user_names[6] == "Erin Tech"
        assert context.to_markdown() == EXPECTED_MARKDOWN

    run(mode, body, transport=fake.transport())


def test_ticket_context_user_lookups_wait_for_the_team(mode: str) -> None:
    # The ticket is answered last: a user referenced by the lists is only looked up once the ticket's team is
    # known, so Bob (in the team) is never fetched, and Erin and Dan (not in it) after the ticket's answer.
    ticket = "Assistance/Ticket/123"
    lists = {path for path in FIRST_ROUND if path != ticket}
    fake = FakeGlpi(mode, holds={ticket: {"Management/Document/9", "Management/Document/10"}})
    fake.gate = False

    async def body(c: Driven) -> None:
        context = await c.get_ticket_context(123)
        assert fake.held == {ticket: True}
        log = fake.log
        assert all(log.index(("end", path)) < log.index(("end", ticket)) for path in lists)
        assert "Administration/User/2" not in fake.paths("start")
        for user in ("Administration/User/6", "Administration/User/8"):
            assert log.index(("start", user)) > log.index(("end", ticket))
        assert context.user_names == {1: "Alice Dupont", 2: "Bob Martin", 6: "Erin Tech", 8: "Dan Editor"}

    run(mode, body, transport=fake.transport())


def test_ticket_context_names_expire_after_the_ttl(mode: str) -> None:
    fake = FakeGlpi(mode, missing=frozenset({"Administration/User/8"}))
    fake.gate = False
    now = [1000.0]
    lookups = set(SECOND_ROUND)

    async def body(c: Driven) -> None:
        cache = c.client._ctx.names
        cache.clock = lambda: now[0]
        first = await c.get_ticket_context(123)
        assert set(fake.paths("start")) == set(FIRST_ROUND) | lookups
        assert first.user_names[8] == "dan"  # unreadable: the login, and remembered as unreadable

        fake.log.clear()
        now[0] += cache.ttl - 1
        again = await c.get_ticket_context(123)
        assert sorted(fake.paths("start")) == sorted(FIRST_ROUND)  # every name from the cache, 404 included
        assert again.user_names == first.user_names and again.document_names == first.document_names

        fake.log.clear()
        now[0] += 1  # the names stored at the first call are now ttl old: fetched again
        renewed = await c.get_ticket_context(123)
        assert sorted(fake.paths("start")) == sorted([*FIRST_ROUND, *lookups])
        assert renewed.user_names == first.user_names

    run(mode, body, transport=fake.transport())


def test_ticket_context_logs_each_name_fetched(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeGlpi(mode)
    fake.gate = False

    async def body(c: Driven) -> None:
        with caplog.at_level(logging.DEBUG, logger="glpi_python_client.names"):
            await c.get_ticket_context(123)
            fetched = sorted(r.getMessage() for r in caplog.records if r.name == "glpi_python_client.names")
            caplog.clear()
            await c.get_ticket_context(123)  # all cached: nothing fetched, nothing logged
            again = [r for r in caplog.records if r.name == "glpi_python_client.names"]
        assert fetched == [
            "fetching the name of document 10 (not in the name cache)",
            "fetching the name of document 9 (not in the name cache)",
            "fetching the name of user 6 (not in the name cache)",
            "fetching the name of user 8 (not in the name cache)",
        ]
        assert again == []

    run(mode, body, transport=fake.transport())


class CountingGlpi:
    """A ticket naming 12 documents and 4 unknown users; records the most requests ever in flight at once.

    Each request is held until more than ``limit`` are in flight or 30 ms have passed, so that requests
    overlap as much as the client lets them: a client exceeding ``limit`` is caught, one within it only
    waits (the assertion never depends on how long).
    """

    def __init__(self, mode: str, limit: int) -> None:
        self.mode = mode
        self.limit = limit
        self.in_flight = 0
        self.most = 0
        self.condition = threading.Condition()
        self.async_condition: asyncio.Condition | None = None
        tasks = [{**TASKS[0], "id": 20 + i, "user_tech": {"id": 60 + i, "name": f"tech{i}"}} for i in range(4)]
        documents = [{**DOCUMENTS[0], "id": 40 + i, "documents_id": 90 + i} for i in range(12)]
        self.bodies: dict[str, Any] = {
            **FIRST_ROUND,
            "Assistance/Ticket/123/Timeline/Task": envelope("Task", tasks),
            "Assistance/Ticket/123/Timeline/Document": envelope("Document", documents),
            **{f"Management/Document/{90 + i}": {"id": 90 + i, "name": f"doc{i}.txt"} for i in range(12)},
            **{f"Administration/User/{60 + i}": {"id": 60 + i, "firstname": "T", "realname": str(i)} for i in range(4)},
            "Administration/User/8": SECOND_ROUND["Administration/User/8"],
        }

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_async if self.mode == "async" else self.handle_sync)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        body = self.bodies[request.url.path.split(API, 1)[1]]
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})

    def handle_sync(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api.php/token":
            return httpx.Response(200, json=TOKEN)
        with self.condition:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.condition.notify_all()
            self.condition.wait_for(lambda: self.in_flight > self.limit, timeout=0.03)
            self.in_flight -= 1
        return self._answer(request)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api.php/token":
            return httpx.Response(200, json=TOKEN)
        if self.async_condition is None:
            self.async_condition = asyncio.Condition()
        async with self.async_condition:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            self.async_condition.notify_all()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.async_condition.wait_for(lambda: self.in_flight > self.limit), 0.03)
            self.in_flight -= 1
        return self._answer(request)


@pytest.mark.parametrize("concurrency", [3, 8])
def test_ticket_context_keeps_at_most_concurrency_requests_in_flight(mode: str, concurrency: int) -> None:
    fake = CountingGlpi(mode, concurrency)

    async def body(c: Driven) -> None:
        context = await c.get_ticket_context(123)
        assert fake.most <= concurrency
        assert context.document_names == {90 + i: f"doc{i}.txt" for i in range(12)}
        assert [context.user_names[60 + i] for i in range(4)] == ["T 0", "T 1", "T 2", "T 3"]

    run(mode, body, transport=fake.transport(), concurrency=concurrency)


def test_ticket_context_name_cache_ttl_0_looks_names_up_every_time(mode: str) -> None:
    fake = FakeGlpi(mode)
    fake.gate = False

    async def body(c: Driven) -> None:
        first = await c.get_ticket_context(123)
        fake.log.clear()
        again = await c.get_ticket_context(123)
        assert sorted(fake.paths("start")) == sorted([*FIRST_ROUND, *SECOND_ROUND])
        assert again.user_names == first.user_names and again.document_names == first.document_names
        assert len(c.client._ctx.names) == 0

    run(mode, body, transport=fake.transport(), name_cache_ttl=0)


def test_name_cache_ttl_is_the_clients_setting(mode: str) -> None:
    fake = FakeGlpi(mode, missing=frozenset({"Administration/User/8"}))
    fake.gate = False
    now = [0.0]

    async def body(c: Driven) -> None:
        c.client._ctx.names.clock = lambda: now[0]
        await c.get_ticket_context(123)
        fake.log.clear()
        now[0] = 29.9
        await c.get_ticket_context(123)
        assert sorted(fake.paths("start")) == sorted(FIRST_ROUND)
        fake.log.clear()
        now[0] = 30
        await c.get_ticket_context(123)
        assert sorted(fake.paths("start")) == sorted([*FIRST_ROUND, *SECOND_ROUND])

    run(mode, body, transport=fake.transport(), name_cache_ttl=30)
