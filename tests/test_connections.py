"""Both clients open at most ``max_connections`` connections to GLPI, however many calls run at once.

A loopback HTTP server counts the connections it accepts and the requests in flight; it holds the first
requests until ``max_connections`` of them are in flight, so a client that opened more connections (or fewer,
serialising calls) would be seen. The async client's connection lanes also give a lane back when a call
fails or is cancelled while it waits for one.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import threading
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor

import h11
import httpx
import pytest
from loopback_http import HttpServer, abort, read_request, response_headers, write_response

from glpi_python_client import APITimeoutError, AsyncGlpiClient, GlpiClient, NotFoundError
from glpi_python_client import _transport as transport_module
from glpi_python_client._connections import ConnectionLanes, _Released

TOKEN = {"access_token": "a", "refresh_token": "r", "expires_in": 3600, "token_type": "Bearer"}
LIMIT = 3
CALLS = 12


class CountingServer(HttpServer):
    """Tickets 1..100 (ticket 404 is missing); counts accepted connections and requests in flight."""

    def __init__(self, *, hold_until: int) -> None:
        super().__init__(self.answer)
        self.hold_until = hold_until
        self.accepted = 0
        self.tokens = 0
        self.in_flight = 0
        self.peak = 0
        self.released: asyncio.Event | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        await super()._serve(reader, writer)

    async def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            self.tokens += 1
            return httpx.Response(200, json=TOKEN)
        if self.released is None:
            self.released = asyncio.Event()
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.in_flight >= self.hold_until:
                self.released.set()  # never cleared: the calls after the first burst pass straight through
            await self.released.wait()
            ticket_id = int(request.url.path.rsplit("/", 1)[1])
            if ticket_id == 404:
                return httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found"})
            body = {"id": ticket_id, "name": f"t{ticket_id}", "status": {"id": 1, "name": "New"}}
            return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        finally:
            self.in_flight -= 1


def _settings(url: str) -> dict[str, object]:
    return {"glpi_api_url": url + "/api.php/v2", "client_id": "c", "client_secret": "s", "max_connections": LIMIT}


def test_async_client_opens_at_most_max_connections() -> None:
    async def body() -> None:
        server = CountingServer(hold_until=LIMIT)
        url = await server.start()
        try:
            async with AsyncGlpiClient(**_settings(url)) as client:
                tickets = await asyncio.gather(*(client.get_ticket(i) for i in range(1, CALLS + 1)))
                assert [t.id for t in tickets] == list(range(1, CALLS + 1))
                assert server.peak == LIMIT  # as many in flight as allowed, never more
                assert server.accepted == LIMIT  # the token's connection is reused too
                assert server.tokens == 1  # the calls waited for one token request, sent through a lane
                again = await asyncio.gather(*(client.get_ticket(i) for i in range(1, CALLS + 1)))
                assert [t.name for t in again] == [f"t{i}" for i in range(1, CALLS + 1)]
                assert server.accepted == LIMIT  # kept alive between bursts
        finally:
            await server.close()

    asyncio.run(body())


@pytest.fixture
def threaded_server() -> Iterator[CountingServer]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="counting-server", daemon=True)
    thread.start()
    server = CountingServer(hold_until=LIMIT)
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(timeout=10)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def test_sync_client_opens_at_most_max_connections(threaded_server: CountingServer) -> None:
    with GlpiClient(**_settings(threaded_server.url)) as client, ThreadPoolExecutor(CALLS) as threads:
        tickets = list(threads.map(client.get_ticket, range(1, CALLS + 1)))
    assert [t.id for t in tickets] == list(range(1, CALLS + 1))
    assert threaded_server.peak == LIMIT
    assert threaded_server.accepted == LIMIT
    assert threaded_server.tokens == 1


def test_a_failed_or_cancelled_call_gives_its_connection_back() -> None:
    async def body() -> None:
        server = CountingServer(hold_until=1)
        url = await server.start()
        try:
            async with AsyncGlpiClient(**{**_settings(url), "max_connections": 1}) as client:
                with pytest.raises(NotFoundError):
                    await client.get_ticket(404)
                server.hold_until, server.released = 2, None  # hold the next request until a second arrives
                first = asyncio.ensure_future(client.get_ticket(1))
                waiting = asyncio.ensure_future(client.get_ticket(2))  # waits for the only connection
                while server.in_flight < 1:
                    await asyncio.sleep(0.001)
                lanes = client._wire._inner
                assert isinstance(lanes, ConnectionLanes)
                while not lanes._waiting:  # the second call is queued for the lane (not merely on its way)
                    await asyncio.sleep(0.001)
                waiting.cancel()
                assert server.in_flight == 1
                assert server.released is not None
                server.released.set()
                assert (await first).id == 1
                with pytest.raises(asyncio.CancelledError):
                    await waiting
                assert not lanes._waiting  # the cancelled waiter left the queue
                assert (await client.get_ticket(3)).id == 3  # the lane was not lost
                assert server.accepted == 1
        finally:
            await server.close()

    asyncio.run(body())


def test_waiting_for_a_connection_ends_at_the_pool_timeout() -> None:
    async def body() -> None:
        server = CountingServer(hold_until=2)  # holds the first request: the only connection stays busy
        url = await server.start()
        try:
            settings = {
                **_settings(url),
                "max_connections": 1,
                "max_retries": 0,
                "timeout": httpx.Timeout(10.0, pool=0.01),
            }
            async with AsyncGlpiClient(**settings) as client:
                held = asyncio.ensure_future(client.get_ticket(1))
                while server.in_flight < 1:
                    await asyncio.sleep(0.001)
                with pytest.raises(APITimeoutError, match="PoolTimeout") as info:
                    await client.get_ticket(2)
                assert info.value.may_have_been_applied is False  # it never left the client
                assert server.in_flight == 1  # the second call never reached the server
                assert server.released is not None
                server.released.set()
                assert (await held).id == 1
                assert (await client.get_ticket(3)).id == 3  # the held lane works on
                assert server.accepted == 1
        finally:
            await server.close()

    asyncio.run(body())


def test_closing_the_client_fails_the_calls_waiting_for_a_connection_at_once() -> None:
    from glpi_python_client import ClientClosedError

    async def body() -> None:
        server = CountingServer(hold_until=2)  # holds the first request: the only connection stays busy
        url = await server.start()
        try:
            settings = {**_settings(url), "max_connections": 1, "max_retries": 0, "timeout": httpx.Timeout(30.0)}
            client = AsyncGlpiClient(**settings)
            held = asyncio.ensure_future(client.get_ticket(1))
            while server.in_flight < 1:
                await asyncio.sleep(0.001)
            waiting = asyncio.ensure_future(client.get_ticket(2))
            await asyncio.sleep(0)  # it queues for the lane
            await client.close()
            # (wait_for only guards against a hang: before, the call waited for its 30 s pool timeout)
            with pytest.raises(ClientClosedError, match="closed while this call waited"):
                await asyncio.wait_for(waiting, 10)
            assert server.in_flight <= 1 and server.accepted == 1  # it never reached the server
            held.cancel()
            with contextlib.suppress(BaseException):
                await held
        finally:
            if server.released is not None:
                server.released.set()
            await server.close()

    asyncio.run(body())


def test_lanes_are_reused_last_freed_first_and_closed() -> None:
    served: list[int] = []

    async def body() -> None:
        server = HttpServer(lambda request: httpx.Response(200, json={"ok": True}))
        url = await server.start()
        lanes = ConnectionLanes(size=4, verify=True)
        try:
            async with httpx.AsyncClient(transport=lanes) as http:
                for _ in range(5):
                    served.append((await http.get(url + "/x")).status_code)
                assert lanes.opened == 1  # sequential calls keep one warm connection
                await asyncio.gather(*(http.get(url + "/y") for _ in range(10)))
                assert lanes.opened == 4
            assert lanes.opened == 0
        finally:
            await server.close()

    asyncio.run(body())
    assert served == [200] * 5


def test_lane_size_is_checked() -> None:
    with pytest.raises(ValueError, match="size must be >= 1"):
        ConnectionLanes(size=0, verify=True)


class CutBodyServer(HttpServer):
    """Tickets as CountingServer's, but the first ``cuts`` ticket bodies break off halfway (the connection dropped)."""

    def __init__(self, *, cuts: int) -> None:
        super().__init__(self.answer)
        self.cuts = cuts
        self.accepted = 0

    async def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json=TOKEN)
        ticket_id = int(request.url.path.rsplit("/", 1)[1])
        return httpx.Response(200, json={"id": ticket_id, "name": f"t{ticket_id}"})

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        conn = h11.Connection(h11.SERVER)
        self._connections.add(writer)
        try:
            while (received := await read_request(conn, reader)) is not None:
                request, body = received
                response = await self.respond(request, body)
                headers = response_headers(response, response.content)
                if self.cuts and b"/Ticket/" in request.target:
                    self.cuts -= 1
                    writer.write(conn.send(h11.Response(status_code=200, headers=headers)) or b"")
                    writer.write(conn.send(h11.Data(data=response.content[:5])) or b"")
                    await writer.drain()
                    abort(writer)
                    return
                await write_response(conn, writer, 200, headers, response.content)
                conn.start_next_cycle()
        finally:
            self._connections.discard(writer)
            writer.close()


def test_a_body_cut_short_gives_its_lane_back_before_the_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    """The transport reads the body inside its retry loop: a read that fails must free the lane it held."""
    monkeypatch.setattr(transport_module, "backoff", lambda attempt, response=None: 0.0)

    async def body() -> None:
        server = CutBodyServer(cuts=2)
        url = await server.start()
        try:
            settings = {**_settings(url), "max_connections": 1, "timeout": httpx.Timeout(10.0, pool=5.0)}
            async with AsyncGlpiClient(**settings) as client:
                lanes = client._wire._inner
                assert isinstance(lanes, ConnectionLanes)
                assert (await client.get_ticket(7)).id == 7  # two bodies cut, the second retry reads it whole
                assert server.cuts == 0
                assert (lanes.opened, len(lanes._free)) == (1, 1)  # the one lane is free again
                assert (await client.get_ticket(8)).id == 8
        finally:
            await server.close()

    asyncio.run(body())


def test_a_lane_is_given_back_when_its_body_stream_fails_or_is_cancelled() -> None:
    class Failing(httpx.AsyncByteStream):
        def __init__(self, error: BaseException) -> None:
            self.error, self.closed = error, False

        async def __aiter__(self) -> AsyncIterator[bytes]:
            yield b"{"
            raise self.error

        async def aclose(self) -> None:
            self.closed = True

    async def body() -> None:
        for error in (httpx.ReadError("cut"), asyncio.CancelledError()):
            released: list[bool] = []
            inner = Failing(error)
            stream = _Released(inner, functools.partial(released.append, True))
            with pytest.raises(type(error)):
                async for _ in stream:
                    pass
            assert released == [True]  # the lane is free although nobody closed the response
            assert inner.closed
            await stream.aclose()
            assert released == [True]  # given back once

    asyncio.run(body())
