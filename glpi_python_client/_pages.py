"""What a paginated operation returns: how to fetch each page (:class:`Paginator`) and one page (:class:`Page`).

The clients drive a :class:`Paginator` page after page (``GlpiClient`` as a generator,
``AsyncGlpiClient`` as an async generator) until a page says there is no next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from ._plan import Plan

__all__ = ["Page", "Paginator"]

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
