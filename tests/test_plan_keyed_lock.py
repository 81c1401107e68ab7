"""``Locked(plan, key=...)``: one lock per key on both runtimes, released and forgotten after use."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from glpi_python_client._plan import AsyncRuntime, Call, Gather, Locked, Plan, SyncRuntime, run_async, run_sync


class Tracker:
    """Counts how many plans of each key are inside their critical section at once."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.inside: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.peak_total = 0

    def enter(self, key: str) -> None:
        with self.guard:
            self.inside[key] = self.inside.get(key, 0) + 1
            self.peak[key] = max(self.peak.get(key, 0), self.inside[key])
            self.peak_total = max(self.peak_total, sum(self.inside.values()))

    def leave(self, key: str) -> None:
        with self.guard:
            self.inside[key] -= 1


def critical(tracker: Tracker, key: str, pause: Any) -> Plan[str]:
    yield Call(lambda: tracker.enter(key))
    yield pause
    yield Call(lambda: tracker.leave(key))
    return key


def outer(tracker: Tracker, key: str, pause: Any) -> Plan[str]:
    value: str = yield Locked(critical(tracker, key, pause), key=key)
    return value


def gather(plans: list[Plan[str]]) -> Plan[list[str]]:
    values: list[str] = yield Gather(plans, limit=10)
    return values


def test_async_same_key_is_serialised_different_keys_overlap() -> None:
    runtime = AsyncRuntime()
    tracker = Tracker()

    class Pause:
        """A step that lets the other tasks run."""

    async def execute(step: Any) -> Any:
        if isinstance(step, Pause):
            for _ in range(3):
                await asyncio.sleep(0)
            return None
        if isinstance(step, Call):
            return step.fn()
        return await original(step)

    original = runtime.execute
    runtime.execute = execute  # type: ignore[method-assign]
    keys = ["a", "a", "a", "b", "b", "c"]
    plan = gather([outer(tracker, k, Pause()) for k in keys])
    assert asyncio.run(run_async(plan, runtime)) == keys
    assert tracker.peak == {"a": 1, "b": 1, "c": 1}
    assert tracker.peak_total == 3  # a, b and c were inside at the same time
    assert runtime.keyed._locks == {}  # nothing kept once released


def test_sync_same_key_is_serialised_across_threads() -> None:
    runtime = SyncRuntime(max_threads=8)
    tracker = Tracker()
    barrier = threading.Barrier(2, timeout=5)

    def rendezvous() -> None:
        barrier.wait()  # the two keys must be inside together, or this times out

    keys = ["a", "b"]
    plan = gather([outer(tracker, k, Call(rendezvous)) for k in keys])
    assert run_sync(plan, runtime) == keys
    assert tracker.peak_total == 2

    same = gather([outer(tracker, "a", Call(lambda: None)) for _ in range(20)])
    assert run_sync(same, runtime) == ["a"] * 20
    assert tracker.peak["a"] == 1
    assert runtime.keyed._locks == {}


def _failing_group(started: list[int]) -> list[Plan[Any]]:
    """Five sub-plans: the first two fail, the others would succeed; each records that it started."""

    def plan(index: int) -> Plan[int]:
        started.append(index)
        yield Call(lambda: None)  # one step, so concurrently running plans interleave
        if index < 2:
            raise ValueError(f"plan {index} failed")
        return index

    return [plan(i) for i in range(5)]


def test_a_failed_gather_starts_nothing_more_and_raises_the_first_error_on_both_runtimes() -> None:
    import pytest

    for limit, allowed in ((1, {0}), (2, {0, 1})):  # with 2 at a time, plan 1 may start before plan 0 fails
        started_sync: list[int] = []

        def group(started: list[int], limit: int = limit) -> Plan[Any]:
            return (yield Gather(_failing_group(started), limit=limit))

        runtime = SyncRuntime(max_threads=limit)
        with pytest.raises(ValueError, match="plan 0 failed"):
            run_sync(group(started_sync), runtime)
        runtime.close()
        assert 0 in started_sync and set(started_sync) <= allowed, (limit, started_sync)

        started_async: list[int] = []
        with pytest.raises(ValueError, match="plan 0 failed"):
            asyncio.run(run_async(group(started_async), AsyncRuntime()))
        assert 0 in started_async and set(started_async) <= allowed, (limit, started_async)  # before: all five
