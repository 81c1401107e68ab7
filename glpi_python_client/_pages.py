"""What a paginated operation returns: how to fetch each page (:class:`Paginator`) and one page (:class:`Page`).

The clients drive a :class:`Paginator` page after page (``GlpiClient`` as a generator,
``AsyncGlpiClient`` as an async generator) until a page says there is no next one. A streamed operation
returns :class:`Chunks`: one request whose body the clients hand out chunk by chunk, the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._plan import Plan, Send

__all__ = ["Chunks", "Page", "Paginator"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a search: its items and where the next one starts (None: this was the last)."""

    items: list[T]
    next_start: int | None


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
