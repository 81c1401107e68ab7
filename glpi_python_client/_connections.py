"""The clients' connections to GLPI: at most ``max_connections`` sockets, reused.

The sync client uses httpx's own pool, bounded at ``max_connections`` (idle connections kept alive up to the
same bound, so a burst does not close and reopen them). The async client uses :class:`ConnectionLanes`:
``max_connections`` single-connection httpx transports ("lanes") and a FIFO of requests waiting for a free
one. The reason is httpcore's pool bookkeeping (httpcore 1.0.9): every time a request starts or ends it walks
every connection it holds, polling each idle socket and counting the others once per connection
(encode/httpcore#1035, open), and it hands one freed connection to every queued request at once, so the CPU
per request grows with the pool: 200 concurrent ``get_ticket`` on a 100-connection pool spent about 2 ms
of CPU each in it, more than the rest of the request. A lane's pool holds one connection, so that walk is
O(1); requests queue here, where a freed lane wakes exactly one of them.

Both bounds are the same setting, so a client never opens more than ``max_connections`` sockets (default
100, httpx's own default), whatever the number of concurrent calls. A ``transport=`` given to a client
replaces all of this (its own limits apply).
"""

from __future__ import annotations

import ssl
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

import httpx

from ._deferred import DeferredModule

if TYPE_CHECKING:
    import asyncio
else:  # only the async client's lanes use it: not imported with the blocking client
    asyncio = DeferredModule("asyncio", globals(), "asyncio")

__all__ = ["ConnectionLanes", "http_transport", "limits"]


def limits(max_connections: int) -> httpx.Limits:
    """At most ``max_connections`` connections, all of them kept alive when idle (for 5 s, httpx's default)."""
    return httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections)


def http_transport(*, verify: bool, max_connections: int) -> httpx.HTTPTransport:
    """The sync client's transport: httpx's pool, bounded at ``max_connections``."""
    return httpx.HTTPTransport(verify=verify, limits=limits(max_connections))


class _Released(httpx.AsyncByteStream):
    """A response body that gives its lane back when it is closed (read to the end or abandoned) or its read fails."""

    def __init__(self, stream: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release: Callable[[], None] | None = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._stream:
                yield chunk
        except BaseException:  # a body cut short or a cancelled read: whoever read it may never close it
            await self.aclose()  # (the transport's retry loop drops the response and sends again)
            raise

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            release, self._release = self._release, None
            if release is not None:
                release()


class ConnectionLanes(httpx.AsyncBaseTransport):
    """At most ``size`` connections, each its own httpx transport; requests wait for a free one in order.

    A lane is busy from the moment a request is sent on it until its response is closed. Lanes are
    created on demand and reused last-freed first, so sequential calls keep using one warm connection.
    A request waits for a free lane at most its pool timeout (``timeout.pool``, as in httpx's pool), then
    fails with ``httpx.PoolTimeout``.
    """

    def __init__(self, *, size: int, verify: bool) -> None:
        if size < 1:
            raise ValueError(f"size must be >= 1 (got {size})")
        self.size = size
        self._verify = verify
        self._ssl: ssl.SSLContext | None = None
        self._lanes: list[httpx.AsyncHTTPTransport] = []
        self._free: list[httpx.AsyncHTTPTransport] = []
        self._waiting: deque[asyncio.Future[httpx.AsyncHTTPTransport]] = deque()

    def __repr__(self) -> str:
        return f"ConnectionLanes(size={self.size}, open={len(self._lanes)}, free={len(self._free)})"

    @property
    def opened(self) -> int:
        """How many lanes exist (each holds at most one connection)."""
        return len(self._lanes)

    def _new_lane(self) -> httpx.AsyncHTTPTransport:
        if self._ssl is None:  # one SSL context for every lane: building one loads the CA bundle
            self._ssl = httpx.create_ssl_context(verify=self._verify)
        lane = httpx.AsyncHTTPTransport(verify=self._ssl, limits=limits(1))
        self._lanes.append(lane)
        return lane

    async def _acquire(self, timeout: float | None) -> httpx.AsyncHTTPTransport:
        """A free lane; waits at most ``timeout`` seconds (the request's pool timeout) when all are busy."""
        if self._free:
            return self._free.pop()
        if len(self._lanes) < self.size:
            return self._new_lane()
        waiter: asyncio.Future[httpx.AsyncHTTPTransport] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            async with asyncio.timeout(timeout):
                return await waiter
        except BaseException as exc:  # cancelled or timed out: pass on a lane it was given meanwhile
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())
            elif waiter in self._waiting:
                self._waiting.remove(waiter)
            if isinstance(exc, TimeoutError):
                raise httpx.PoolTimeout(
                    f"no free connection within {timeout} s: all {self.size} (max_connections) are busy"
                ) from None
            raise

    def _release(self, lane: httpx.AsyncHTTPTransport) -> None:
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(lane)
                return
        self._free.append(lane)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        lane = await self._acquire(request.extensions.get("timeout", {}).get("pool"))
        try:
            response = await lane.handle_async_request(request)
        except BaseException:
            self._release(lane)
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Released(response.stream, lambda: self._release(lane))
        return response

    async def aclose(self) -> None:
        """Close every connection; a call still waiting for one fails at once with ``ClientClosedError``."""
        from ._errors import ClientClosedError

        waiting, self._waiting = self._waiting, deque()
        for waiter in waiting:
            if not waiter.done():
                waiter.set_exception(ClientClosedError("the client was closed while this call waited for a connection"))
        lanes, self._lanes, self._free = self._lanes, [], []
        for lane in lanes:
            await lane.aclose()
