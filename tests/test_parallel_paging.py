"""Walks fetch the pages after the first concurrently once Content-Range gives the total, in order, each item once."""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import pytest

from glpi_python_client._pages import BATCH_WIDTHS, Page, Paginator, Walk
from glpi_python_client._plan import Gather
from glpi_python_client.testing import GlpiSimulator


@dataclass
class Item:
    id: int


def _fetcher(pages: dict[int, Page[Item]]) -> Paginator[Item]:
    def fetch(start: int) -> Generator[Any, Any, Page[Item]]:
        yield ("fetch", start)
        return pages[start]

    return Paginator(fetch)


def _drive(plan: Generator[Any, Any, Any]) -> tuple[list[Any], Any]:
    """Run a walk's batch by hand: the steps it yields (a Gather's sub-plans are run in order), and its value."""
    steps: list[Any] = []
    value: Any = None
    try:
        while True:
            step = plan.send(value)
            steps.append(step)
            value = [_drive(p)[1] for p in step.plans] if isinstance(step, Gather) else None
    except StopIteration as stop:
        return steps, stop.value


def test_after_the_first_page_the_rest_is_fetched_width_at_a_time_in_order() -> None:
    pages = {s: Page([Item(s), Item(s + 1)], s + 2 if s + 2 < 10 else None, total=10, limit=2) for s in range(0, 10, 2)}
    walk = Walk(_fetcher(pages), width=1)  # batches of BATCH_WIDTHS pages, one request in flight
    seen: list[list[int]] = []
    batches: list[tuple[int, int]] = []
    while (batch := walk.plan()) is not None:
        steps, value = _drive(batch)
        batches.append((len(steps[0].plans), steps[0].limit) if isinstance(steps[0], Gather) else (1, 1))
        seen += [[i.id for i in items] for items in walk.accept(value)]
    rest = [BATCH_WIDTHS] * (4 // BATCH_WIDTHS) + ([4 % BATCH_WIDTHS] if 4 % BATCH_WIDTHS else [])
    assert batches == [(1, 1)] + [(n, 1) for n in rest]  # the first page alone, then BATCH_WIDTHS at a time
    assert seen == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    walk = Walk(_fetcher(pages), width=2, span=3)
    batches = []
    while (batch := walk.plan()) is not None:
        steps, value = _drive(batch)
        batches.append((len(steps[0].plans), steps[0].limit) if isinstance(steps[0], Gather) else (1, 1))
        walk.accept(value)
    assert batches == [(1, 1), (3, 2), (1, 1)]  # 3 pages per batch, 2 in flight


def test_items_seen_twice_are_handed_out_once_and_a_grown_total_is_followed() -> None:
    pages = {
        0: Page([Item(1), Item(2)], 2, total=4, limit=2),
        2: Page([Item(2), Item(3)], 4, total=5, limit=2),  # item 2 moved down a page; one more item appeared
        4: Page([Item(4)], None, total=5, limit=2),
    }
    walk = Walk(_fetcher(pages), width=8)
    out: list[int] = []
    while (batch := walk.plan()) is not None:
        out += [i.id for items in walk.accept(_drive(batch)[1]) for i in items]
    assert out == [1, 2, 3, 4]


def test_without_a_total_the_walk_goes_page_by_page() -> None:
    pages = {0: Page([Item(1)], 1), 1: Page([Item(2)], 2), 2: Page([], None)}
    walk = Walk(_fetcher(pages), width=8)
    out: list[int] = []
    while (batch := walk.plan()) is not None:
        steps, value = _drive(batch)
        assert not any(isinstance(s, Gather) for s in steps)
        out += [i.id for items in walk.accept(value) for i in items]
    assert out == [1, 2]


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_both_clients_walk_every_ticket_once_in_order(mode: str) -> None:
    sim = GlpiSimulator()
    ids = [sim.seed("/Assistance/Ticket", {"name": f"t{n}", "content": "x"}) for n in range(23)]

    async def scenario() -> list[int]:
        if mode == "sync":
            with sim.sync_client(concurrency=4) as client:
                return [t.id for page in client.iter_search_tickets(batch_size=5, sort="id") for t in page]
        async with sim.async_client(concurrency=4) as aclient:
            return [t.id async for page in aclient.iter_search_tickets(batch_size=5, sort="id") for t in page]

    assert asyncio.run(scenario()) == ids
    starts = [int(r.url.params.get("start", 0)) for r in sim.requests if r.url.path.endswith("/Assistance/Ticket")]
    assert sorted(starts) == [0, 5, 10, 15, 20]  # each page asked for once


def test_a_walk_remembers_the_ids_of_its_last_batches_only() -> None:
    """Memory stays bounded: an item repeated within DEDUP_BATCHES batches is dropped, the ids before are forgotten."""
    from glpi_python_client._pages import DEDUP_BATCHES

    # 40 pages of 2 items; page 1 repeats an item of page 0 (a shift of one), page 39 one of page 0 (39 pages on).
    pages = {
        s: Page([Item(1 if s == 39 else 2 * s + 1), Item(0 if s == 1 else 2 * s + 2)], s + 1 if s < 39 else None)
        for s in range(40)
    }
    pages[0] = Page([Item(0), Item(1)], 1)
    walk = Walk(_fetcher(pages), width=1, span=2)
    out: list[int] = []
    sizes: list[int] = []
    while (batch := walk.plan()) is not None:
        out += [i.id for items in walk.accept(_drive(batch)[1]) for i in items]
        sizes.append(len(walk._seen))
    assert out.count(0) == 1  # repeated one page later: handed out once
    assert out.count(1) == 2  # repeated 39 pages later, past the remembered pages: handed out again
    assert max(sizes) <= 2 * DEDUP_BATCHES * 2  # ids of DEDUP_BATCHES batches of 2 pages of 2 items


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_report_counts_every_page_once_as_it_arrives(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from glpi_python_client._operations import reporting

    monkeypatch.setattr(reporting, "PAGE_SIZE", 3)
    sim = GlpiSimulator()
    for n in range(20):
        sim.seed("/Assistance/Ticket", {"name": f"t{n}", "content": "x", "priority": 1 + n % 6, "type": 1 + n % 2})
    counted: list[int] = []
    real_add = reporting.TicketStatistics.add

    def add(self: reporting.TicketStatistics, tickets: Any) -> reporting.TicketStatistics:
        counted.append(len(tickets))
        return real_add(self, tickets)

    monkeypatch.setattr(reporting.TicketStatistics, "add", add)

    async def scenario() -> tuple[dict[str, Any], list[Any]]:
        if mode == "sync":
            with sim.sync_client(concurrency=4) as client:
                return client.get_ticket_statistics(), client.search_tickets(limit=100)
        async with sim.async_client(concurrency=4) as aclient:
            return await aclient.get_ticket_statistics(), await aclient.search_tickets(limit=100)

    stats, tickets = asyncio.run(scenario())
    assert sorted(counted) == [2] + [3] * 6  # the report's 7 pages, each counted once as it arrived
    assert stats == reporting.aggregate_ticket_statistics(tickets)
    starts = sorted(int(r.url.params.get("start", 0)) for r in sim.requests if r.url.params.get("limit") == "3")
    assert starts == [0, 3, 6, 9, 12, 15, 18]  # each page asked for once
