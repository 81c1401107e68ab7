"""Search, RSQL mapping and pagination against recordings of the real server."""

from __future__ import annotations

import pytest
from glpi_harness import Driven, run

from glpi_python_client import BadRequestError, PostTicket


def test_iter_search_pages_until_content_range_ends(mode: str) -> None:
    async def body(c: Driven) -> None:
        for _ in range(7):
            await c.create_ticket(PostTicket(name="paging-0015b4"))
        pages = [page async for page in c.iter_search_tickets('name=like="paging-0015b4*"', batch_size=3)]
        assert [len(p) for p in pages] == [3, 3, 1]
        assert len({t.id for p in pages for t in p}) == 7

    run(mode, body, scenario="ticket_search_paging")


def test_guide_filter_status_is_mapped_to_status_id(mode: str) -> None:
    """The live server refuses ``status==1``; the client sends ``status.id==1``, which the recording answers."""

    async def body(c: Driven) -> None:
        await c.create_ticket(PostTicket(name="status filter"))
        new = await c.search_tickets("status==1", limit=2)
        assert new and all(t.status.id == 1 for t in new)
        either = await c.search_tickets("status.id=in=(1,2)", limit=2)
        assert 1 <= len(either) <= 2 and all(t.status.id in (1, 2) for t in either)

    run(mode, body, scenario="ticket_search_filter_status_requires_status_id")


def test_odd_content_ranges(mode: str) -> None:
    async def body(c: Driven) -> None:
        assert await c.search_tickets(start=100000, limit=5) == []
        assert await c.search_tickets("id==999999999") == []

    run(mode, body, scenario="ticket_search_start_beyond_total")


def test_unknown_property_error_carries_glpi_detail(mode: str) -> None:
    async def body(c: Driven) -> None:
        with pytest.raises(BadRequestError) as info:
            await c.search_tickets("nosuchfield==1")
        assert info.value.error_code == "ERROR_INVALID_PARAMETER"
        assert info.value.detail == {"nosuchfield": "Unknown property"}

    run(mode, body, scenario="ticket_search_invalid_filter_unknown_property")


def test_sort(mode: str) -> None:
    async def body(c: Driven) -> None:
        for _ in range(3):
            await c.create_ticket(PostTicket(name="sort-0015b4"))
        desc = await c.search_tickets('name=like="sort-0015b4*"', sort="id:desc")
        asc = await c.search_tickets('name=like="sort-0015b4*"', sort="id")
        assert [t.id for t in desc] == sorted((t.id for t in desc), reverse=True)
        assert [t.id for t in asc] == list(reversed([t.id for t in desc]))

    run(mode, body, scenario="ticket_search_sort_id_desc")


def test_priority_major(mode: str) -> None:
    from glpi_python_client import GlpiPriority, PatchTicket

    async def body(c: Driven) -> None:
        first = await c.create_ticket(PostTicket(name="major", priority=GlpiPriority.MAJOR))
        assert (await c.get_ticket(first)).priority == GlpiPriority.MAJOR
        second = await c.create_ticket(PostTicket(name="medium", priority=3))
        assert (await c.update_ticket(second, PatchTicket(priority=6))).priority == 6

    run(mode, body, scenario="ticket_priority_major_6")
