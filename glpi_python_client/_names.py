"""The client's name cache: user display names and document names, bounded and expiring.

``get_ticket_context`` prints names that GLPI's answers do not carry: a document link names only its
``documents_id`` (the name is on ``/Management/Document/{id}``) and an event's user reference carries the
login, not ``Firstname Realname``. Each name it had to fetch, or read from a ticket's team, is kept here so
that the next context of the same people and documents needs no second round of requests.

Why bounded and expiring: a long-lived client (a chatbot, a service rendering tickets all day) sees an
unbounded stream of ids, and names change (a user is renamed, a document is renamed or deleted). So an entry
lives the client's ``name_cache_ttl`` seconds after it was stored (:data:`~._constants.NAME_CACHE_TTL` by
default; 0 disables the cache), and at most :data:`~._constants.NAME_CACHE_SIZE` entries are kept, the least
recently used dropped first. A name that
could not be read (404/403: deleted, or hidden from this account) is remembered too, as None, for the same
time, so that an unreadable user does not cost a request in every context. The cache belongs to one client
(its token, entity and profile decide what it may read) and is never shared.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Literal

from ._constants import NAME_CACHE_SIZE, NAME_CACHE_TTL

__all__ = ["NameCache", "NameKind"]

#: What a cached name names.
NameKind = Literal["user", "document"]


class NameCache:
    """Names by ``(kind, id)``, each kept ``ttl`` seconds, at most ``max_entries`` (least recently used out first).

    A stored value of None means "looked up, not readable": a hit all the same, so it is not fetched again
    before it expires. ``clock`` (monotonic seconds) is injectable for tests. Safe to share between threads;
    no method blocks on I/O, so the async client uses it as is.
    """

    def __init__(
        self,
        *,
        ttl: float = NAME_CACHE_TTL,
        max_entries: int = NAME_CACHE_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[tuple[NameKind, int], tuple[float, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, kind: NameKind, key: int) -> tuple[bool, str | None]:
        """``(True, name)`` for a fresh entry (name None: known unreadable), ``(False, None)`` otherwise."""
        with self._lock:
            entry = self._entries.get((kind, key))
            if entry is None:
                return False, None
            expires, name = entry
            if self.clock() >= expires:
                del self._entries[(kind, key)]
                return False, None
            self._entries.move_to_end((kind, key))
            return True, name

    def put(self, kind: NameKind, key: int, name: str | None) -> None:
        """Remember ``name`` (None: not readable) for ``ttl`` seconds from now; drop the oldest over the bound."""
        if self.max_entries <= 0 or self.ttl <= 0:
            return
        with self._lock:
            self._entries[(kind, key)] = (self.clock() + self.ttl, name)
            self._entries.move_to_end((kind, key))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every name."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"NameCache({len(self._entries)} of {self.max_entries} names, ttl={self.ttl:g} s)"
