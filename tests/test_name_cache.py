"""The client's name cache (``_names.NameCache``): entries expire after the TTL, the bound drops the least recent.

Time is an injected clock, never waited for.
"""

from __future__ import annotations

import asyncio

from glpi_python_client import AsyncGlpiClient, GlpiClient
from glpi_python_client._constants import NAME_CACHE_SIZE, NAME_CACHE_TTL
from glpi_python_client._names import NameCache


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_ttl_seconds_from_when_it_was_stored() -> None:
    clock = Clock()
    cache = NameCache(ttl=60, max_entries=10, clock=clock)
    cache.put("user", 6, "Erin Tech")
    clock.now += 59.9
    assert cache.get("user", 6) == (True, "Erin Tech")
    cache.put("document", 9, "diagnostic.txt")  # stored later: expires later
    clock.now += 0.1
    assert cache.get("user", 6) == (False, None)
    assert len(cache) == 1  # the expired entry is dropped, not kept
    assert cache.get("document", 9) == (True, "diagnostic.txt")
    cache.put("user", 6, "Erin Renamed")  # stored again: a fresh TTL and the new name
    clock.now += 59
    assert cache.get("user", 6) == (True, "Erin Renamed")


def test_unreadable_names_are_remembered_as_none_until_they_expire() -> None:
    clock = Clock()
    cache = NameCache(ttl=10, clock=clock)
    cache.put("user", 8, None)
    assert cache.get("user", 8) == (True, None)  # a hit: not fetched again
    assert cache.get("user", 9) == (False, None)  # a miss
    clock.now += 10
    assert cache.get("user", 8) == (False, None)


def test_kinds_do_not_collide() -> None:
    cache = NameCache()
    cache.put("user", 9, "Jane Doe")
    cache.put("document", 9, "radius.log")
    assert cache.get("user", 9) == (True, "Jane Doe")
    assert cache.get("document", 9) == (True, "radius.log")


def test_the_bound_drops_the_least_recently_used() -> None:
    cache = NameCache(ttl=60, max_entries=3, clock=Clock())
    for i in (1, 2, 3):
        cache.put("user", i, f"user {i}")
    assert cache.get("user", 1) == (True, "user 1")  # 1 is now the most recently used; 2 the least
    cache.put("document", 4, "doc 4")
    assert len(cache) == 3
    assert cache.get("user", 2) == (False, None)
    assert [cache.get("user", 1)[0], cache.get("user", 3)[0], cache.get("document", 4)[0]] == [True, True, True]
    for i in range(100):
        cache.put("document", 100 + i, "x")
    assert len(cache) == 3


def test_clear_and_disabled_caches() -> None:
    cache = NameCache()
    cache.put("user", 1, "a")
    cache.clear()
    assert cache.get("user", 1) == (False, None) and len(cache) == 0
    for disabled in (NameCache(ttl=0), NameCache(max_entries=0)):
        disabled.put("user", 1, "a")
        assert disabled.get("user", 1) == (False, None) and len(disabled) == 0


def test_each_client_has_its_own_bounded_expiring_cache() -> None:
    settings = {"glpi_api_url": "http://glpi.test/api.php/v2", "client_id": "a", "client_secret": "b"}
    with GlpiClient(**settings) as one, GlpiClient(**settings) as two:
        assert one._ctx.names is not two._ctx.names
        assert (one._ctx.names.ttl, one._ctx.names.max_entries) == (NAME_CACHE_TTL, NAME_CACHE_SIZE)
    client = AsyncGlpiClient(**settings)
    assert (client._ctx.names.ttl, client._ctx.names.max_entries) == (NAME_CACHE_TTL, NAME_CACHE_SIZE)
    assert repr(client._ctx.names) == f"NameCache(0 of {NAME_CACHE_SIZE} names, ttl=300 s)"
    asyncio.run(client.close())
