"""What a paginated operation returns: how to fetch each page (:class:`Paginator`) and one page (:class:`Page`).

The clients drive a :class:`Paginator` through a :class:`Walk` (``GlpiClient`` as a generator,
``AsyncGlpiClient`` as an async generator): the first page alone, then the following pages ``concurrency``
at a time when the first one tells the total, else page after page. A streamed operation
returns :class:`Chunks`: one request whose body the clients hand out chunk by chunk, the same way.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._plan import Gather, Plan, Send

__all__ = ["BATCH_WIDTHS", "DEDUP_BATCHES", "EVERY_PAGE", "Chunks", "Page", "Paginator", "Walk"]

T = TypeVar("T")

#: A batch is this many times ``concurrency`` pages, fetched ``concurrency`` at a time: a new request starts
#: as soon as one ends (no wait for the slowest of each group), and a walk holds at most one batch of pages.
BATCH_WIDTHS = 1
#: ``Walk(span=EVERY_PAGE)``: every page after the first in one batch, for fetches that keep no item (a report
#: counting each page as it is parsed): still ``width`` requests at a time, and no wait between batches.
EVERY_PAGE = sys.maxsize
#: How many batches of pages' ids a walk remembers to hand an item out once (see Walk).
DEDUP_BATCHES = 2


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a search: its items and where the next one starts (None: this was the last).

    ``total`` (from ``Content-Range``) and ``limit`` (the page size asked for), when known, let a walk fetch
    the following pages concurrently instead of one after the other.
    """

    items: list[T]
    next_start: int | None
    total: int | None = None
    limit: int | None = None


class Paginator(Generic[T]):
    """What a paginated plan returns: how to fetch the page starting at ``start``."""

    def __init__(self, fetch: Callable[[int], Plan[Page[T]]], *, start: int = 0) -> None:
        self.fetch = fetch
        self.start = start


@dataclass(frozen=True, slots=True)
class Chunks:
    """What a streamed plan returns: the request whose body is handed out ``chunk_size`` bytes at a time."""

    send: Send
    chunk_size: int


class Walk(Generic[T]):
    """Every page of a :class:`Paginator`, in order: the first page alone, then the rest ``width`` at a time.

    Once the first page tells the total (``Content-Range``) and its size, the starts of all the following
    pages are known, so they are fetched ``width`` (the client's ``concurrency``) at a time, a new request as
    soon as one ends, in batches of ``span`` pages (``BATCH_WIDTHS`` times ``width`` unless told: what a walk
    holds at most), and handed out in order. Without a total it walks one page after the other, as GLPI's
    ``next_start`` says. Items are deduplicated by ``id``: an item that moves to a later page while the walk
    runs (a record created before it in the sort order) is handed out once, as long as it moved less than
    ``DEDUP_BATCHES`` batches of pages ahead (the ids of those pages are all a walk remembers, so its memory
    stays bounded however many items it hands out). An item that moves to an earlier page already fetched
    (a record deleted before it) is missed: a walk is a snapshot per page, not a transaction (GLPI has no
    cursor). When the last batch ends and GLPI still says there is more (the total grew), the walk goes on
    page by page. The clients drive it: ``plan()`` is the next batch to run, ``accept()`` its pages.
    """

    def __init__(self, paginator: Paginator[T], *, width: int, span: int | None = None) -> None:
        self._paginator = paginator
        self._width = max(1, width)
        #: Pages per batch (``width`` of them in flight at once); a batch's pages are held until it ends.
        self._span = self._width * BATCH_WIDTHS if span is None else max(1, span)
        self._next: int | None = paginator.start
        self._pending: list[int] = []
        #: The ids of the last pages handed out (at most DEDUP_BATCHES batches); per page, oldest first, its new ids.
        self._seen: set[object] = set()
        self._recent: deque[tuple[int, list[object]]] = deque()
        self._pages = 0
        self._first = True

    def plan(self) -> Plan[list[Page[T]]] | None:
        """The next batch of page fetches (None: the walk is over)."""
        if self._pending:
            starts, self._pending = self._pending[: self._span], self._pending[self._span :]
        elif self._next is not None:
            starts, self._next = [self._next], None
        else:
            return None
        return _batch([self._paginator.fetch(start) for start in starts], self._width)

    def accept(self, pages: list[Page[T]]) -> list[list[T]]:
        """The new items of a fetched batch, page by page (empty pages dropped); plans what follows."""
        if self._first and pages:
            self._first = False
            first = pages[0]
            if first.total is not None and first.limit and first.next_start is not None:
                self._pending = list(range(first.next_start, first.total, first.limit))
            else:
                self._next = first.next_start
        elif pages and not self._pending:
            self._next = pages[-1].next_start  # None after an empty page
        out: list[list[T]] = []
        for page in pages:
            fresh = self._fresh(page.items)
            if fresh:
                out.append(fresh)
        return out

    def _fresh(self, items: list[T]) -> list[T]:
        """The items of one page not handed out by the recent pages; remembers their ids, forgets the oldest."""
        number = self._pages = self._pages + 1
        seen = self._seen
        fresh: list[T] = []
        keys: list[object] = []
        for item in items:
            key = getattr(item, "id", None)
            if key is None:
                fresh.append(item)
            elif key not in seen:
                seen.add(key)
                keys.append(key)
                fresh.append(item)
        self._recent.append((number, keys))
        while self._recent and self._recent[0][0] <= number - DEDUP_BATCHES * self._span:
            seen.difference_update(self._recent.popleft()[1])  # each id is in one page's list: its first
        return fresh


def _batch(fetches: list[Plan[Page[T]]], width: int) -> Plan[list[Page[T]]]:
    """Run page fetches: a single one inline, several at most ``width`` at a time (results in order)."""
    if len(fetches) == 1:
        page = yield from fetches[0]
        return [page]
    pages: list[Page[T]] = yield Gather(fetches, limit=width)
    return pages
