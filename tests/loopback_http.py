"""Serve an httpx-style handler over real HTTP/1.1 on loopback (asyncio + h11).

Any callable taking an ``httpx.Request`` and returning an ``httpx.Response`` (plain or async: the
simulator in ``glpi_sim.py``, a ``MockTransport``'s handler) becomes a server that real clients reach
through real sockets: keep-alive connections, Content-Length framing, resets. ``origin`` is the base URL
the handler expects to see in request URLs (the simulator answers for ``http://127.0.0.1:8088``), so a
handler written for a mock transport serves unchanged on any port.

``read_request`` and ``write_response`` are the two halves of one HTTP/1.1 exchange; the fault proxy
(``fault_proxy.py``) uses them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import h11
import httpx

__all__ = ["Handler", "HttpServer", "abort", "call_handler", "read_request", "write_response"]

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]
_NO_BODY = {204, 304}
_HOP_BY_HOP = {b"connection", b"content-length", b"transfer-encoding", b"keep-alive"}


async def read_request(conn: h11.Connection, reader: asyncio.StreamReader) -> tuple[h11.Request, bytes] | None:
    """The next request on the connection and its whole body; None when the client closed it."""
    request: h11.Request | None = None
    body = bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await reader.read(65536)
            conn.receive_data(data)
            if not data and request is None and conn.their_state in (h11.IDLE, h11.DONE, h11.MUST_CLOSE):
                return None
            continue
        if isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            assert request is not None
            return request, bytes(body)
        elif isinstance(event, h11.ConnectionClosed):
            return None


def response_headers(response: httpx.Response, body: bytes) -> list[tuple[bytes, bytes]]:
    """The handler's headers, framed for ``body`` (Content-Length; none on 204/304)."""
    headers = [(k, v) for k, v in response.headers.raw if k.lower() not in _HOP_BY_HOP]
    if response.status_code not in _NO_BODY:
        headers.append((b"content-length", str(len(body)).encode()))
    return headers


async def write_response(
    conn: h11.Connection,
    writer: asyncio.StreamWriter,
    status: int,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    *,
    reason: bytes = b"",
) -> None:
    """Send one complete response."""
    data = conn.send(h11.Response(status_code=status, headers=headers, reason=reason)) or b""
    if body and status not in _NO_BODY:
        data += conn.send(h11.Data(data=body)) or b""
    data += conn.send(h11.EndOfMessage()) or b""
    writer.write(data)
    await writer.drain()


def abort(writer: asyncio.StreamWriter) -> None:
    """Close the connection with a TCP reset (SO_LINGER 0), as a crashed server or a cut network does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            import socket
            import struct

            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class HttpServer:
    """``handler`` served on ``host:port`` (0: any free port) until :meth:`close`."""

    def __init__(self, handler: Handler, *, host: str = "127.0.0.1", port: int = 0, origin: str | None = None) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.origin = origin
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self.url

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._connections):
            writer.close()
        if self._server is not None:
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER)
        self._connections.add(writer)
        try:
            while True:
                received = await read_request(conn, reader)
                if received is None:
                    break
                request, body = received
                response = await self.respond(request, body)
                content = response.content
                await write_response(
                    conn,
                    writer,
                    response.status_code,
                    response_headers(response, content),
                    content,
                    reason=response.reason_phrase.encode(),
                )
                if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                    break
                conn.start_next_cycle()
        except (ConnectionError, h11.ProtocolError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(writer)
            writer.close()

    async def respond(self, request: h11.Request, body: bytes) -> httpx.Response:
        return await call_handler(self.handler, request, body, origin=self.origin or self.url)


async def call_handler(handler: Handler, request: h11.Request, body: bytes, *, origin: str) -> httpx.Response:
    """The handler's answer to one request (a handler's exception answers 500, as a crashed PHP does)."""
    target = request.target.decode()
    headers = [(k.decode(), v.decode("latin-1")) for k, v in request.headers]
    built = httpx.Request(request.method.decode(), origin + target, headers=headers, content=body)
    try:
        answer: Any = handler(built)
        if inspect.isawaitable(answer):
            answer = await answer
    except Exception as exc:
        return httpx.Response(500, text=f"handler error: {type(exc).__name__}")
    response: httpx.Response = answer
    response.read()
    return response
