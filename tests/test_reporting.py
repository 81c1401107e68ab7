"""Reporting helpers against a fake GLPI that evaluates the RSQL it receives, for both clients.

The fake answers like the live GLPI 11 server: paginated searches with ``Content-Range: start-end/total`` (206 while
more remain, 200 on the last page), trashed tickets included in searches, 400 "Unknown property" for a bare
object-valued selector (``status==1``), timeline lists as ``{"type", "item"}`` envelopes, team members without
``type`` (only ``href``). Filters are evaluated, so a wrong filter gives wrong numbers.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, ClassVar

import httpx
import pytest
from fake_rsql import BadFilter, Rsql
from glpi_harness import Driven, run

from glpi_python_client import InvalidArgumentError, PermissionDeniedError
from glpi_python_client._models import GetTicket, GetTicketTask, GetUser
from glpi_python_client._operations import reporting

BASE = "/api.php/v2"
TOKEN = {"access_token": "t", "expires_in": 3600, "refresh_token": "r", "token_type": "Bearer"}
JAN = {"start_date": "2026-01-01", "end_date": "2026-01-31"}

# -- dataset --------------------------------------------------------------------------------------

ENTITIES = [
    {"id": 0, "name": "Root entity"},
    {"id": 1, "name": "Helpdesk Paris"},
    {"id": 2, "name": "Helpdesk Lyon"},
    {"id": 3, "name": "Sales"},
]
USERS = [
    {"id": 21, "username": "alice", "firstname": "Alice", "realname": "Smith"},
    {"id": 22, "username": "bob", "firstname": "Bob", "realname": "Jones"},
    {"id": 23, "username": "asmith", "firstname": "Alice", "realname": "Smith"},
    {"id": 24, "username": "carol", "firstname": "Carol", "realname": "Smith"},
]
STATUS_NAMES = {1: "New", 2: "Processing (assigned)", 3: "Processing (planned)", 4: "Pending", 5: "Solved",
                6: "Closed", 10: "Approval"}  # fmt: skip


def _member(role: str, user_id: int, kind: str = "user") -> dict[str, Any]:
    return {"role": role, "id": user_id, "name": f"{kind}{user_id}", "href": f"/front/{kind}.form.php?id={user_id}"}


def _ticket(
    ticket_id: int, entity: int | None, status: int | None, priority: int | None, type_: int, created: str,
    team: list[dict[str, Any]], editor: int | None, *, deleted: bool = False,
) -> dict[str, Any]:  # fmt: skip
    return {
        "id": ticket_id,
        "name": f"ticket {ticket_id}",
        "entity": None if entity is None else {"id": entity, "name": ENTITIES[entity]["name"]},
        "status": None if status is None else {"id": status, "name": STATUS_NAMES[status]},
        "priority": priority,
        "type": type_,
        "date_creation": created.replace(" ", "T") + "+00:00",
        "is_deleted": deleted,
        "user_editor": None if editor is None else {"id": editor, "name": f"user{editor}"},
        "team": team,
    }


REQ, ASG, OBS = "requester", "assigned", "observer"
TICKETS = [
    _ticket(101, 1, 1, 3, 1, "2026-01-01 00:00:00", [_member(REQ, 24), _member(ASG, 21)], 21),  # start boundary
    _ticket(102, 1, 2, 6, 2, "2026-01-05 10:00:00", [_member(REQ, 22), _member(ASG, 21)], 22),  # MAJOR
    _ticket(103, 1, 3, 7, 1, "2026-01-10 12:00:00", [_member(REQ, 21), _member(ASG, 22)], 21),  # unknown priority
    _ticket(104, 2, 4, 1, 2, "2026-01-12 08:00:00", [_member(ASG, 23), _member(REQ, 24)], 22),
    _ticket(105, 2, 5, 2, 1, "2026-01-15 09:00:00", [_member(ASG, 22), _member(OBS, 21)], 22),
    _ticket(106, 2, 6, 4, 1, "2026-01-20 14:00:00", [_member(REQ, 22), _member(ASG, 21, "group")], 21),
    _ticket(107, 0, 10, 5, 2, "2026-01-31 23:59:59", [_member(ASG, 21), _member(REQ, 23)], None),  # end boundary
    _ticket(108, 3, 1, 3, 1, "2026-01-25 11:00:00", [], 23),
    _ticket(109, 1, 2, 3, 1, "2026-01-06 10:00:00", [_member(ASG, 21)], 21, deleted=True),  # trashed
    _ticket(110, 1, 2, 3, 1, "2026-01-18 16:00:00", [_member(ASG, 22)], 22),
    _ticket(111, 1, 1, 3, 1, "2025-12-31 23:59:59", [_member(ASG, 21)], 21),  # just before the window
    _ticket(112, 1, 1, 3, 1, "2026-02-01 00:00:00", [_member(ASG, 21)], 21),  # just after the window
    _ticket(113, None, 2, None, 1, "2026-01-22 10:00:00", [_member(ASG, 22)], 22),  # no entity, no priority
]


def _task(
    task_id: int, duration: int, tech: int | None, when: str | None, created: str = "2026-01-01 08:00:00"
) -> dict[str, Any]:
    return {
        "id": task_id,
        "content": f"task {task_id}",
        "duration": duration,
        "user_tech": None if tech is None else {"id": tech, "name": f"user{tech}"},
        "date": None if when is None else when.replace(" ", "T") + "+00:00",
        "date_creation": created.replace(" ", "T") + "+00:00",
    }


TASKS: dict[int, list[dict[str, Any]]] = {
    101: [_task(1, 3600, 21, "2026-01-02 09:00:00"), _task(2, 1800, 22, "2026-01-03 10:00:00")],
    102: [_task(3, 900, 21, "2026-01-06 10:00:00"), _task(4, 600, None, "2026-01-07 10:00:00")],  # no technician
    103: [_task(5, 1200, 22, "2026-01-11 10:00:00"), _task(6, 300, 22, "2026-02-02 10:00:00")],  # T6 after window
    104: [_task(7, 2400, 23, "2026-01-13 10:00:00")],
    105: [],
    106: [_task(8, 1500, 21, "2026-01-21 10:00:00")],
    107: [_task(9, 60, 21, "2026-01-31 23:59:59")],
    108: [_task(10, 0, 24, "2026-01-26 10:00:00")],
    109: [_task(11, 9999, 21, "2026-01-06 11:00:00")],
    110: [_task(12, 700, 22, None, created="2026-01-19 10:00:00")],  # no date: date_creation is used
    111: [_task(13, 5000, 21, "2026-01-01 10:00:00")],
    112: [],
    113: [_task(14, 100, 22, "2026-01-01 00:00:00"), _task(15, 200, 22, "2025-12-31 23:59:59")],
}


# -- RSQL evaluation ------------------------------------------------------------------------------


# -- the fake server ------------------------------------------------------------------------------


class FakeGlpi:
    """Serves the dataset; records requests; counts in-flight task requests."""

    COLLECTIONS: ClassVar[dict[str, list[dict[str, Any]]]] = {
        "Assistance/Ticket": TICKETS,
        "Administration/Entity": ENTITIES,
        "Administration/User": USERS,
    }

    def __init__(self, *, delay: float = 0.0, max_page: int | None = None) -> None:
        self.delay = delay
        self.max_page = max_page
        self.requests: list[httpx.Request] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0

    def searches(self, collection: str) -> list[dict[str, str]]:
        return [dict(r.url.params) for r in self.requests if r.url.path == f"{BASE}/{collection}"]

    def task_requests(self) -> list[int]:
        found = (re.fullmatch(rf"{BASE}/Assistance/Ticket/(\d+)/Timeline/Task", r.url.path) for r in self.requests)
        return sorted(int(m.group(1)) for m in found if m)

    def respond(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "POST" and path.endswith("/token"):
            return httpx.Response(200, json=TOKEN)
        with self.lock:
            self.requests.append(request)
        rel = path.removeprefix(BASE + "/")
        task = re.fullmatch(r"Assistance/Ticket/(\d+)/Timeline/Task", rel)
        if request.method == "GET" and task:
            items = TASKS.get(int(task.group(1)))
            if items is None:
                return httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found"})
            tid = int(task.group(1))
            return httpx.Response(200, json=[{"type": "Task", "item": {**t, "tickets_id": tid}} for t in items])
        if request.method == "GET" and rel in self.COLLECTIONS:
            return self.search(self.COLLECTIONS[rel], request.url.params)
        return httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Unknown route"})

    def search(self, items: list[dict[str, Any]], params: httpx.QueryParams) -> httpx.Response:
        matched = list(items)
        text = params.get("filter")
        if text:
            fields = {key for item in items for key in item}
            objects = {key for item in items for key, value in item.items() if isinstance(value, dict)}
            try:
                rsql = Rsql(text, fields, objects)
            except BadFilter as exc:
                return httpx.Response(
                    400,
                    json={"status": "ERROR_INVALID_PARAMETER", "title": "RSQL query has invalid filters",
                          "detail": {exc.prop: exc.reason}},
                )  # fmt: skip
            matched = [item for item in items if rsql.matches(item)]
        start = int(params.get("start", 0))
        limit = int(params.get("limit", 100))
        if self.max_page is not None:
            limit = min(limit, self.max_page)
        page = matched[start : start + limit]
        total = len(matched)
        status = 206 if start + len(page) < total else 200
        return httpx.Response(status, json=page, headers={"Content-Range": f"{start}-{start + len(page) - 1}/{total}"})

    @contextmanager
    def _counting(self, request: httpx.Request) -> Iterator[bool]:
        is_task = request.url.path.endswith("/Timeline/Task")
        if is_task:
            with self.lock:
                self.in_flight += 1
                self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            yield is_task
        finally:
            if is_task:
                with self.lock:
                    self.in_flight -= 1

    def transport(self, mode: str) -> httpx.MockTransport:
        if mode == "async":

            async def async_handler(request: httpx.Request) -> httpx.Response:
                with self._counting(request) as is_task:
                    if is_task and self.delay:
                        await asyncio.sleep(self.delay)
                    return self.respond(request)

            return httpx.MockTransport(async_handler)

        def handler(request: httpx.Request) -> httpx.Response:
            with self._counting(request) as is_task:
                if is_task and self.delay:
                    time.sleep(self.delay)
                return self.respond(request)

        return httpx.MockTransport(handler)


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    """The helpers search with ``limit=4``, so the 11 tickets of January take three pages."""
    monkeypatch.setattr(reporting, "PAGE_SIZE", 4)
    return 4


def drive(mode: str, fake: FakeGlpi, body: Any, **overrides: Any) -> Any:
    return run(mode, body, transport=fake.transport(mode), **overrides)


# -- expected results -----------------------------------------------------------------------------

JANUARY_STATS = {
    "entities": {
        "0": {"total": 1, "by_status": {"10": 1}, "by_priority": {"VERY_HIGH": 1}, "by_type": {"REQUEST": 1}},
        "1": {
            "total": 4,
            "by_status": {"1": 1, "2": 2, "3": 1},
            "by_priority": {"MEDIUM": 2, "MAJOR": 1, "7": 1},
            "by_type": {"INCIDENT": 3, "REQUEST": 1},
        },
        "2": {
            "total": 3,
            "by_status": {"4": 1, "5": 1, "6": 1},
            "by_priority": {"VERY_LOW": 1, "LOW": 1, "HIGH": 1},
            "by_type": {"INCIDENT": 2, "REQUEST": 1},
        },
        "3": {"total": 1, "by_status": {"1": 1}, "by_priority": {"MEDIUM": 1}, "by_type": {"INCIDENT": 1}},
        "unknown": {"total": 1, "by_status": {"2": 1}, "by_priority": {"unknown": 1}, "by_type": {"INCIDENT": 1}},
    }
}

JANUARY_DURATIONS = {
    "start_date": "2026-01-01",
    "end_date": "2026-01-31",
    "total_duration": 12860,
    "task_count": 11,
    "duration_by_user": {"21": 6060, "22": 3800, "23": 2400, "24": 0, "unknown": 600},
    "duration_by_entity": {"0": 60, "1": 8800, "2": 3900, "3": 0, "unknown": 100},
    "tasks": None,
}


# -- get_ticket_statistics ------------------------------------------------------------------------


def test_ticket_statistics_window_paginates_and_skips_trash(mode: str, small_pages: int) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        assert await c.get_ticket_statistics(**JAN) == JANUARY_STATS

    drive(mode, fake, body)
    pages = fake.searches("Assistance/Ticket")
    starts = [p["start"] for p in pages]  # after the first, pages are fetched concurrently: any order
    assert starts[0] == "0" and sorted(starts, key=int) == ["0", "4", "8"]  # 11 matches (10 live + 1 trashed)
    assert {p["limit"] for p in pages} == {"4"}
    assert pages[0]["filter"] == "date_creation=ge=2026-01-01 00:00:00;date_creation=le=2026-01-31 23:59:59"


def test_ticket_statistics_follows_content_range_when_server_pages_are_smaller(mode: str) -> None:
    fake = FakeGlpi(max_page=3)  # the client asks for 100, the server answers 3 at a time

    async def body(c: Driven) -> None:
        assert await c.get_ticket_statistics(start_date=date(2026, 1, 1), end_date=date(2026, 1, 31)) == JANUARY_STATS

    drive(mode, fake, body)
    starts = [p["start"] for p in fake.searches("Assistance/Ticket")]
    assert starts[0] == "0" and sorted(starts, key=int) == ["0", "3", "6", "9"]


def test_ticket_statistics_filters(mode: str, small_pages: int) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        by_name = await c.get_ticket_statistics(**JAN, entity_name="Helpdesk")
        assert by_name == {"entities": {k: JANUARY_STATS["entities"][k] for k in ("1", "2")}}
        narrowed = await c.get_ticket_statistics(**JAN, entity_id=2, extra_filter="priority=ge=2")
        assert narrowed == {
            "entities": {
                "2": {
                    "total": 2,
                    "by_status": {"5": 1, "6": 1},
                    "by_priority": {"LOW": 1, "HIGH": 1},
                    "by_type": {"INCIDENT": 2},
                }
            }
        }
        # A bare object selector in extra_filter is rewritten to status.id (the server would answer 400).
        status = await c.get_ticket_statistics(**JAN, extra_filter="status==2")
        assert status == {
            "entities": {
                "1": {
                    "total": 2,
                    "by_status": {"2": 2},
                    "by_priority": {"MEDIUM": 1, "MAJOR": 1},
                    "by_type": {"INCIDENT": 1, "REQUEST": 1},
                },
                "unknown": {
                    "total": 1,
                    "by_status": {"2": 1},
                    "by_priority": {"unknown": 1},
                    "by_type": {"INCIDENT": 1},
                },
            }
        }
        # entity_id wins over entity_name: no entity search.
        assert await c.get_ticket_statistics(**JAN, entity_id=3, entity_name="Helpdesk") == {
            "entities": {"3": JANUARY_STATS["entities"]["3"]}
        }

    drive(mode, fake, body)
    assert fake.searches("Administration/Entity") == [{"filter": 'name=like="*Helpdesk*"', "start": "0", "limit": "4",
                                                       "sort": "id"}]  # fmt: skip
    filters = [p["filter"] for p in fake.searches("Assistance/Ticket") if p["start"] == "0"]
    assert filters[0].endswith(";(entity.id==1,entity.id==2)")
    assert filters[2].endswith(";status.id==2")


def test_ticket_statistics_of_one_user(mode: str, small_pages: int) -> None:
    """``user_id``: assigned or requester users of the team; not observers, not a group with that id, not trash."""
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        assert await c.get_ticket_statistics(**JAN, user_id=21) == {
            "entities": {
                "0": JANUARY_STATS["entities"]["0"],
                "1": {
                    "total": 3,
                    "by_status": {"1": 1, "2": 1, "3": 1},
                    "by_priority": {"MEDIUM": 1, "MAJOR": 1, "7": 1},
                    "by_type": {"INCIDENT": 2, "REQUEST": 1},
                },
            }
        }

    drive(mode, fake, body)
    assert all("team" not in p["filter"] for p in fake.searches("Assistance/Ticket"))  # matched client-side


def test_ticket_statistics_unmatched_entity_name_searches_no_ticket(mode: str) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        assert await c.get_ticket_statistics(**JAN, entity_name="Nowhere") == {"entities": {}}

    drive(mode, fake, body)
    assert len(fake.searches("Administration/Entity")) == 1
    assert fake.searches("Assistance/Ticket") == []


# -- get_task_statistics --------------------------------------------------------------------------


def test_task_statistics(mode: str) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        result = await c.get_task_statistics([101, 102, 103, 105, 101, 109])
        assert result == {
            "ticket_count": 5,
            "task_count": 7,
            "total_duration": 18399,
            "duration_by_user": {"21": 14499, "22": 3300, "unknown": 600},
            "duration_by_ticket": {101: 5400, 102: 1500, 103: 1500, 105: 0, 109: 9999},
        }
        assert await c.get_task_statistics([]) == {
            "ticket_count": 0,
            "task_count": 0,
            "total_duration": 0,
            "duration_by_user": {},
            "duration_by_ticket": {},
        }

    drive(mode, fake, body)
    assert fake.task_requests() == [101, 102, 103, 105, 109]


# -- get_task_durations ---------------------------------------------------------------------------


def test_task_durations_window(mode: str, small_pages: int) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        assert await c.get_task_durations(**JAN) == JANUARY_DURATIONS

    drive(mode, fake, body)
    # Only live tickets created in the window have their tasks read.
    assert fake.task_requests() == [101, 102, 103, 104, 105, 106, 107, 108, 110, 113]


def test_task_durations_default_days(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reporting, "_today", lambda: date(2026, 1, 31))
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        assert await c.get_task_durations() == JANUARY_DURATIONS  # today-30 .. today
        assert await c.get_task_durations(default_days=11, entity_id=2) == {
            "start_date": "2026-01-20",
            "end_date": "2026-01-31",
            "total_duration": 1500,
            "task_count": 1,
            "duration_by_user": {"21": 1500},
            "duration_by_entity": {"2": 1500},
            "tasks": None,
        }

    drive(mode, fake, body)


def test_task_durations_actor_filters_and_details(mode: str, small_pages: int) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        detailed = await c.get_task_durations(**JAN, entity_name="Helpdesk", user_id=21, return_task_details=True)
        tasks = detailed.pop("tasks")
        assert detailed == {
            "start_date": "2026-01-01",
            "end_date": "2026-01-31",
            "total_duration": 8100,
            "task_count": 5,
            "duration_by_user": {"21": 4500, "22": 3000, "unknown": 600},
            "duration_by_entity": {"1": 8100},
        }
        assert [(t["task_id"], t["ticket_id"], t["duration"]) for t in tasks] == [
            (1, 101, 3600), (2, 101, 1800), (3, 102, 900), (4, 102, 600), (5, 103, 1200),
        ]  # fmt: skip
        assert tasks[3] == {
            "task_id": 4,
            "ticket_id": 102,
            "entity_id": "1",
            "user_id": "unknown",
            "duration": 600,
            "date": "2026-01-07T10:00:00+00:00",
            "content": "task 4",
        }
        assert await c.get_task_durations(**JAN, user_recipient_id=24) == {
            **JANUARY_DURATIONS,
            "total_duration": 7800,
            "task_count": 3,
            "duration_by_user": {"21": 3600, "22": 1800, "23": 2400},
            "duration_by_entity": {"1": 5400, "2": 2400},
        }
        assert await c.get_task_durations(**JAN, user_editor_id=22) == {
            **JANUARY_DURATIONS,
            "total_duration": 4700,
            "task_count": 5,
            "duration_by_user": {"21": 900, "22": 800, "23": 2400, "unknown": 600},
            "duration_by_entity": {"1": 2200, "2": 2400, "unknown": 100},
        }

    drive(mode, fake, body)
    editor_search = [p for p in fake.searches("Assistance/Ticket") if "user_editor" in p["filter"]]
    assert editor_search[0]["filter"].endswith(";user_editor.id==22")


def test_task_durations_unmatched_entity_name(mode: str) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        empty = {**JANUARY_DURATIONS, "total_duration": 0, "task_count": 0, "duration_by_user": {},
                 "duration_by_entity": {}}  # fmt: skip
        assert await c.get_task_durations(**JAN, entity_name="Nowhere") == empty
        assert await c.get_task_durations(**JAN, entity_name="Nowhere", return_task_details=True) == {
            **empty,
            "tasks": [],
        }

    drive(mode, fake, body)
    assert fake.searches("Assistance/Ticket") == []
    assert fake.task_requests() == []


# -- get_user_activity ----------------------------------------------------------------------------


def test_user_activity_merges_display_names(mode: str, small_pages: int) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        report = await c.get_user_activity(realname="Smith", **JAN)
        assert report == {
            "users": {
                "Alice Smith": {
                    "user_ids": [21, 23],
                    "tickets_as_technician": 4,
                    "tickets_as_recipient": 2,
                    "task_durations": {
                        "start_date": "2026-01-01",
                        "end_date": "2026-01-31",
                        "total_duration": 10560,
                        "task_count": 7,
                        "duration_by_user": {"21": 4560, "22": 3000, "23": 2400, "unknown": 600},
                        "duration_by_entity": {"0": 60, "1": 8100, "2": 2400},
                    },
                },
                "Carol Smith": {
                    "user_ids": [24],
                    "tickets_as_technician": 0,
                    "tickets_as_recipient": 2,
                    "task_durations": {
                        "start_date": "2026-01-01",
                        "end_date": "2026-01-31",
                        "total_duration": 7800,
                        "task_count": 3,
                        "duration_by_user": {"21": 3600, "22": 1800, "23": 2400},
                        "duration_by_entity": {"1": 5400, "2": 2400},
                    },
                },
            }
        }

    drive(mode, fake, body)
    assert fake.searches("Administration/User")[0]["filter"] == 'realname=like="*Smith*"'


def test_user_activity_by_username_and_id(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reporting, "_today", lambda: date(2026, 1, 31))
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        report = await c.get_user_activity(username="bob", user_id=22)
        assert report == {
            "users": {
                "Bob Jones": {
                    "user_ids": [22],
                    "tickets_as_technician": 4,
                    "tickets_as_recipient": 2,
                    "task_durations": {
                        "start_date": "2026-01-01",
                        "end_date": "2026-01-31",
                        "total_duration": 5000,
                        "task_count": 6,
                        "duration_by_user": {"21": 2400, "22": 2000, "unknown": 600},
                        "duration_by_entity": {"1": 3400, "2": 1500, "unknown": 100},
                    },
                }
            }
        }
        alice = await c.get_user_activity(username="alice", firstname="Ali", **JAN)
        assert list(alice["users"]) == ["Alice Smith"]
        assert alice["users"]["Alice Smith"]["user_ids"] == [21]
        assert alice["users"]["Alice Smith"]["tickets_as_technician"] == 3  # 101, 102, 107 (106 is a group)

    drive(mode, fake, body)
    assert fake.searches("Administration/User")[0]["filter"] == 'id==22;username=like="*bob*"'


def test_user_activity_in_one_entity(mode: str) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        paris = await c.get_user_activity(username="bob", entity_id=1, **JAN)
        assert paris["users"]["Bob Jones"] == {
            "user_ids": [22],
            "tickets_as_technician": 2,  # 103, 110 (109 is trashed, 105 is in Lyon)
            "tickets_as_recipient": 1,  # 102
            "task_durations": {
                "start_date": "2026-01-01",
                "end_date": "2026-01-31",
                "total_duration": 3400,
                "task_count": 4,
                "duration_by_user": {"21": 900, "22": 1900, "unknown": 600},
                "duration_by_entity": {"1": 3400},
            },
        }
        by_name = await c.get_user_activity(username="bob", entity_name="Paris", **JAN)
        assert by_name == paris
        nowhere = await c.get_user_activity(username="bob", entity_name="Nowhere", **JAN)
        bob = nowhere["users"]["Bob Jones"]
        assert (bob["tickets_as_technician"], bob["tickets_as_recipient"], bob["task_durations"]["task_count"]) == (
            0,
            0,
            0,
        )
        sent = len(fake.requests)
        with pytest.raises(InvalidArgumentError, match="entity_id"):
            await c.get_user_activity(username="bob", entity_id=-1, **JAN)
        assert len(fake.requests) == sent  # refused before sending

    drive(mode, fake, body)
    ticket_filters = [f["filter"] for f in fake.searches("Assistance/Ticket")]
    assert all("entity.id==1" in f for f in ticket_filters[:2])


def test_user_activity_errors(mode: str) -> None:
    fake = FakeGlpi()

    async def body(c: Driven) -> None:
        with pytest.raises(ValueError, match="needs username"):
            await c.get_user_activity(**JAN)
        with pytest.raises(ValueError, match="no user matches"):
            await c.get_user_activity(username="nobody", **JAN)
        with pytest.raises(ValueError, match="no user matches"):
            await c.get_user_activity(realname="Smith", user_id=22, **JAN)

    drive(mode, fake, body)
    assert fake.searches("Assistance/Ticket") == []


# -- concurrency and the fake itself --------------------------------------------------------------


def test_task_fetches_respect_concurrency(mode: str) -> None:
    fake = FakeGlpi(delay=0.02)

    async def body(c: Driven) -> None:
        stats = await c.get_task_statistics(sorted(TASKS))
        assert stats["ticket_count"] == len(TASKS)
        durations = await c.get_task_durations(**JAN)
        assert durations == JANUARY_DURATIONS

    drive(mode, fake, body, concurrency=2)
    assert fake.max_in_flight == 2


def test_fake_rejects_bare_object_filters() -> None:
    fake = FakeGlpi()
    with httpx.Client(transport=fake.transport("sync"), base_url="http://127.0.0.1:8088") as http:
        bad = http.get(f"{BASE}/Assistance/Ticket", params={"filter": "status==1"})
        assert bad.status_code == 400 and bad.json()["detail"] == {"status": "Unknown property"}
        assert http.get(f"{BASE}/Assistance/Ticket", params={"filter": "nosuch==1"}).status_code == 400
        ok = http.get(f"{BASE}/Assistance/Ticket", params={"filter": "status.id==1;(entity.id==3,entity.id==0)"})
        assert ok.status_code == 200 and [t["id"] for t in ok.json()] == [108]


# -- pure helpers ---------------------------------------------------------------------------------


def test_resolve_window() -> None:
    today = date(2026, 3, 10)
    window = reporting.resolve_window(None, None, 30, today=today)
    assert (window.start, window.end) == (date(2026, 2, 8), today)
    window = reporting.resolve_window(None, "2026-01-31", 30, today=today)
    assert (window.start, window.end) == (date(2026, 1, 1), date(2026, 1, 31))
    assert window.rsql("date_creation") == ("date_creation=ge=2026-01-01 00:00:00;date_creation=le=2026-01-31 23:59:59")
    with pytest.raises(ValueError, match="after its end"):
        reporting.resolve_window("2026-02-01", "2026-01-31", 30)


def test_aggregations_are_pure() -> None:
    tickets = [GetTicket.model_validate(t) for t in TICKETS]
    assert (
        reporting.aggregate_ticket_statistics(
            t for t in tickets if t.date_creation and t.date_creation.strftime("%Y-%m") == "2026-01"
        )
        == JANUARY_STATS
    )
    tasks = {tid: [GetTicketTask.model_validate(t) for t in items] for tid, items in TASKS.items()}
    in_window = [t for t in tickets if t.id not in (111, 112)]
    window = reporting.resolve_window("2026-01-01", "2026-01-31", 30)
    assert reporting.aggregate_task_durations(in_window, tasks, window) == JANUARY_DURATIONS
    assert reporting.user_display_key(GetUser(id=5, username="svc")) == "svc"
    assert reporting.user_display_key(GetUser(id=5)) == "user 5"
    assert reporting.user_display_key(GetUser(id=5, firstname="Ann", realname=" ")) == "Ann"


def test_ticket_statistics_stop_requesting_pages_once_one_failed(mode: str) -> None:
    """A refused page ends the report: the pages after it are not requested (the async client's gather went on
    requesting all 48 in the background after raising; the sync one, with more threads, before raising)."""
    starts: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 3600})
        start, limit = int(request.url.params["start"]), int(request.url.params["limit"])
        starts.append(start)
        if start == limit:  # the second page
            return httpx.Response(403, json={"status": "ERROR_RIGHT_MISSING", "title": "Forbidden"})
        page = [{"id": i + 1, "name": "t", "status": {"id": 1, "name": "New"}} for i in range(start, start + limit)]
        headers = {"Content-Range": f"{start}-{start + limit - 1}/{50 * limit}"}
        return httpx.Response(206, json=page, headers=headers)

    async def body(c: Driven) -> None:
        with pytest.raises(PermissionDeniedError):
            await c.get_ticket_statistics(**JAN)

    run(mode, body, transport=httpx.MockTransport(handler), concurrency=1)
    assert starts == [0, reporting.PAGE_SIZE]


def test_the_report_reads_only_what_it_counts_and_reads_it_like_get_ticket() -> None:
    """``get_ticket_statistics`` parses ``CountedTicket``s: the same values as ``GetTicket`` for the fields it uses."""
    from test_models import recorded_body

    from glpi_python_client._models.ticket import CountedTicket

    assert reporting.COUNTED_TICKET.model is CountedTicket
    bodies = [recorded_body("ticket_crud", "GET", "/Assistance/Ticket/57", i) for i in (0, 1)]
    bodies += [*TICKETS, {"id": 5, "status": None, "entity": 3, "priority": None}]  # lenient: a bare ref, nulls
    for body in bodies:
        counted, full = CountedTicket.model_validate(body), GetTicket.model_validate(body)
        for name in CountedTicket.model_fields:
            assert getattr(counted, name) == getattr(full, name), (body["id"], name)
        assert not hasattr(counted, "content") and counted.model_extra in (None, {})  # nothing else is built
