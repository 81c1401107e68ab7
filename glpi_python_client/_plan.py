"""Operations written once, driven synchronously or asynchronously.

Every operation of the client is a *plan*: a generator that yields the I/O it
needs (:class:`Send` a request, :class:`Sleep`, :class:`Gather` sub-plans
concurrently, run a plan :class:`Locked`, :class:`Call` a blocking function)
and receives each result. It never performs I/O itself, so one plan serves
both clients: :func:`run_sync` drives it with blocking calls (threads for
``Gather``), :func:`run_async` with native asyncio (``gather`` for ``Gather``).
Exceptions raised by a step are thrown back into the plan at its ``yield``.

This is the idea of httpx's sans-I/O auth flows, applied to whole operations.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Hashable, Iterator, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ._deferred import DeferredModule

if TYPE_CHECKING:
    import asyncio
else:  # the blocking client never needs it (~8 ms of import): imported on the async runtime's first use
    asyncio = DeferredModule("asyncio", globals(), "asyncio")

__all__ = [
    "AsyncRuntime",
    "Call",
    "Gather",
    "Locked",
    "Plan",
    "Raw",
    "Send",
    "Sleep",
    "SyncRuntime",
    "run_async",
    "run_sync",
]

T = TypeVar("T")
Plan = Generator[Any, Any, T]


@dataclass(frozen=True, slots=True)
class Send:
    """Send a request through the client (auth, retries); the result is the ``httpx.Response``.

    ``stream_to`` receives the body chunk by chunk instead of reading it into memory.
    ``idempotent`` overrides the method's default (GET/PUT/PATCH/DELETE retry, POST never).
    ``unscoped`` leaves out the client's GLPI-Entity/GLPI-Profile/GLPI-Entity-Recursive headers.
    """

    method: str
    url: str
    params: dict[str, Any] | None = None
    json: Any = None
    headers: dict[str, str] | None = None
    data: dict[str, Any] | None = None
    files: Any = None
    content: bytes | None = None
    stream_to: Callable[[bytes], object] | None = None
    idempotent: bool | None = None
    expect_error: bool = False
    unscoped: bool = False


@dataclass(frozen=True, slots=True)
class Raw:
    """Send a built request on the wire (the transport's own step); the result is the response."""

    request: httpx.Request


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


@dataclass(frozen=True, slots=True)
class Gather:
    """Run sub-plans concurrently, at most ``limit`` at a time; the result is their values, in order.

    Once one fails, no other is started; those running finish, then the error of the first failed one (in
    the order given) is raised: on both runtimes alike, and no request is left running after the raise.
    """

    plans: Sequence[Plan[Any]]
    limit: int = 8


@dataclass(frozen=True, slots=True)
class Locked:
    """Run a sub-plan while holding the runtime's lock (serialises token acquisition).

    With a ``key``, the lock is that key's own one instead: plans locked on different keys run
    concurrently, plans locked on the same key one at a time (the per-correlation-key incident lock).
    """

    plan: Plan[Any]
    key: Hashable | None = None


class _KeyedLocks:
    """One lock per key, created on first use and dropped when nobody holds or awaits it."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._guard = threading.Lock()
        self._locks: dict[Hashable, tuple[Any, int]] = {}

    def acquire_ref(self, key: Hashable) -> Any:
        with self._guard:
            lock, users = self._locks.get(key) or (self._factory(), 0)
            self._locks[key] = (lock, users + 1)
            return lock

    def release_ref(self, key: Hashable) -> None:
        with self._guard:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    @contextlib.contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        lock = self.acquire_ref(key)
        try:
            with lock:
                yield
        finally:
            self.release_ref(key)

    @contextlib.asynccontextmanager
    async def hold_async(self, key: Hashable) -> AsyncIterator[None]:
        lock = self.acquire_ref(key)
        try:
            async with lock:
                yield
        finally:
            self.release_ref(key)


@dataclass(frozen=True, slots=True)
class Call:
    """Call a blocking function (file I/O): inline when sync, on the executor when async."""

    fn: Callable[[], Any]


@dataclass
class SyncRuntime:
    """Executes steps with blocking calls. ``send``/``raw`` are supplied by the owner.

    ``Gather`` runs on ONE thread pool per runtime (so per client), created on first use with
    ``max_threads`` workers and shut down by :meth:`close`. The calling thread works too, and takes
    over whatever no pool thread has started, so a ``Gather`` nested in a pooled plan never waits for
    a free thread (no deadlock however deep the nesting).
    """

    send: Callable[[Send], Any] = field(default=lambda step: _unsupported(step))
    raw: Callable[[Raw], Any] = field(default=lambda step: _unsupported(step))
    lock: threading.Lock = field(default_factory=threading.Lock)
    max_threads: int = 8
    keyed: _KeyedLocks = field(default_factory=lambda: _KeyedLocks(threading.Lock))
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)
    _pool_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def pool(self) -> ThreadPoolExecutor:
        """This runtime's thread pool, created on first use."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=self.max_threads, thread_name_prefix="glpi-client")
            return self._pool

    def close(self) -> None:
        """Shut the thread pool down (a later ``Gather`` would start a new one)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def gather(self, plans: Sequence[Plan[Any]], limit: int) -> list[Any]:
        """Run ``plans`` at most ``limit`` at a time (the caller's thread included); values in order."""
        helpers = min(limit, self.max_threads, len(plans)) - 1
        if helpers < 1:
            return [run_sync(p, self) for p in plans]  # the first failure ends the loop: nothing else starts
        results: list[Any] = [None] * len(plans)
        errors: dict[int, Exception] = {}
        pending = iter(enumerate(plans))
        taking = threading.Lock()

        def work() -> None:
            while True:
                with taking:
                    entry = None if errors else next(pending, None)  # after a failure, start nothing new
                if entry is None:
                    return
                index, plan = entry
                try:
                    results[index] = run_sync(plan, self)
                except Exception as exc:
                    errors[index] = exc

        pool = self.pool()
        futures = [pool.submit(work) for _ in range(helpers)]
        work()
        for future in futures:
            if not future.cancel():
                future.result()
        if errors:
            raise errors[min(errors)]
        return results

    def execute(self, step: Any) -> Any:
        if isinstance(step, Send):
            return self.send(step)
        if isinstance(step, Raw):
            return self.raw(step)
        if isinstance(step, Sleep):
            time.sleep(step.seconds)
            return None
        if isinstance(step, Gather):
            return self.gather(list(step.plans), step.limit)
        if isinstance(step, Locked):
            with self.lock if step.key is None else self.keyed.hold(step.key):
                return run_sync(step.plan, self)
        if isinstance(step, Call):
            return step.fn()
        return _unsupported(step)


@dataclass
class AsyncRuntime:
    """Executes steps with native asyncio."""

    send: Callable[[Send], Awaitable[Any]] = field(default=lambda step: _unsupported(step))
    raw: Callable[[Raw], Awaitable[Any]] = field(default=lambda step: _unsupported(step))
    lock: asyncio.Lock = field(default_factory=lambda: asyncio.Lock())
    executor: Executor | None = None
    keyed: _KeyedLocks = field(default_factory=lambda: _KeyedLocks(asyncio.Lock))

    async def _gather(self, plans: list[Plan[Any]], limit: int) -> list[Any]:
        """Run ``plans`` at most ``limit`` at a time; values in order (see :class:`Gather` for a failure)."""
        semaphore = asyncio.Semaphore(limit)
        failed = False

        async def bounded(plan: Plan[Any]) -> Any:
            nonlocal failed
            async with semaphore:
                if failed:  # after a failure, start nothing new
                    plan.close()
                    return _SKIPPED
                try:
                    return await run_async(plan, self)
                except Exception:
                    failed = True
                    raise

        outcomes = await asyncio.gather(*(bounded(p) for p in plans), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
                raise outcome  # a cancellation
        for outcome in outcomes:
            if isinstance(outcome, Exception):
                raise outcome
        return list(outcomes)

    async def execute(self, step: Any) -> Any:
        if isinstance(step, Send):
            return await self.send(step)
        if isinstance(step, Raw):
            return await self.raw(step)
        if isinstance(step, Sleep):
            await asyncio.sleep(step.seconds)
            return None
        if isinstance(step, Gather):
            return await self._gather(list(step.plans), step.limit)
        if isinstance(step, Locked):
            if step.key is not None:
                async with self.keyed.hold_async(step.key):
                    return await run_async(step.plan, self)
            async with self.lock:
                return await run_async(step.plan, self)
        if isinstance(step, Call):
            return await asyncio.get_running_loop().run_in_executor(self.executor, step.fn)
        return _unsupported(step)


#: What a sub-plan of a failed ``Gather`` returns when it was never started (never seen: the error is raised).
_SKIPPED = object()


def _unsupported(step: Any) -> Any:
    raise TypeError(f"this runtime cannot execute {step!r}")


def run_sync(plan: Plan[T], runtime: SyncRuntime) -> T:
    """Drive ``plan`` to completion with blocking I/O and return its value."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = plan.send(value) if error is None else plan.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            value = runtime.execute(step)
        except Exception as exc:
            error = exc


async def run_async(plan: Plan[T], runtime: AsyncRuntime) -> T:
    """Drive ``plan`` to completion with asyncio and return its value."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = plan.send(value) if error is None else plan.throw(error)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        value, error = None, None
        try:
            value = await runtime.execute(step)
        except Exception as exc:
            error = exc
