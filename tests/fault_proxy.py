"""A fault-injecting HTTP proxy on loopback: the network and the GLPI of a bad day, seeded and bounded.

:class:`FaultProxy` listens on loopback and hands each request to its upstream: an HTTP server's URL, or a
handler (``httpx.Request -> httpx.Response``, the simulator itself) called in-process, which saves a
loopback hop per request. With probability ``rate`` it injects a fault instead, drawn from the kinds
applicable to the request (see :data:`KINDS`). Some faults answer or cut the connection *before* the request
reaches the server (nothing applied); others forward it first, so the server applied it, and then break the
answer (``applied`` in the log). Every injected fault is logged (:attr:`FaultProxy.log`).

Reproducible: the decisions come from ``random.Random(seed)`` in the order requests arrive, so a run with
the same seed and the same arrival order injects the same faults (with concurrent clients the order, hence
which request gets which fault, depends on scheduling). Bounded: at most ``max_faults`` faults, and the proxy
stops by itself after ``lifetime`` seconds (it closes its listener and every connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import h11
import httpx
from loopback_http import Handler, abort, call_handler, read_request, write_response

__all__ = ["APPLIED", "KINDS", "FaultProxy", "InjectedFault"]

#: every fault kind, and what it does
KINDS: dict[str, str] = {
    "connection_refused": "cut this connection, then stop listening for a moment: new connections are refused",
    "reset_before_send": "reset the connection before forwarding (nothing applied)",
    "reset_after_send": "forward (the server applies it), then reset instead of answering",
    "timeout_after_send": "forward (applied), then never answer: the client's read timeout fires",
    "status_500": "forward (applied), then answer 500 with an empty body (a PHP fatal after the write)",
    "status_502": "answer 502 Bad Gateway without forwarding",
    "status_503": "answer 503 Service Unavailable without forwarding",
    "status_504": "forward (applied), then answer 504 Gateway Timeout",
    "status_429": "answer 429 without Retry-After, without forwarding",
    "status_429_retry_after": "answer 429 with Retry-After, without forwarding",
    "html_200": "answer a 200 HTML page (a captive portal or a login page) without forwarding",
    "html_502": "answer a 502 HTML page (a reverse proxy's error page) without forwarding",
    "truncated_json": "forward (applied), then send the JSON answer cut in half (correctly framed)",
    "slow_body": "forward (applied), send the headers and half the body, then stall past the read timeout",
    "oauth_token_revoked": "answer GLPI's 400 'Invalid OAuth token' to a bearer request, without forwarding",
    "refresh_token_rejected": "answer 400 invalid_grant to a refresh_token grant, without forwarding",
    "v1_session_invalid": "answer v1's 401 ERROR_SESSION_TOKEN_INVALID to a session request, without forwarding",
}
#: the kinds that forward the request first (the server applied it before the fault)
APPLIED = frozenset(
    {"reset_after_send", "timeout_after_send", "status_500", "status_504", "truncated_json", "slow_body"}
)
_GENERIC = [k for k in KINDS if k not in {"oauth_token_revoked", "refresh_token_rejected", "v1_session_invalid"}]
_HTML = b"<!DOCTYPE html><html><head><title>%s</title></head><body><h1>%s</h1></body></html>"


@dataclass(frozen=True, slots=True)
class InjectedFault:
    """One fault: its kind, the request it hit (method and path, never headers or query), whether it was forwarded."""

    kind: str
    method: str
    path: str
    applied: bool
    status: int | None = None


@dataclass
class FaultProxy:
    """See the module docstring. ``stall``: how long a stalled answer waits (longer than the client's read timeout)."""

    upstream: str | Handler
    seed: int = 0
    rate: float = 0.1
    kinds: tuple[str, ...] = tuple(KINDS)
    max_faults: int = 10_000
    lifetime: float = 600.0
    stall: float = 2.0
    retry_after: str = "1"
    outage: float = 0.05
    host: str = "127.0.0.1"
    port: int = 0
    origin: str | None = None
    log: list[InjectedFault] = field(default_factory=list)
    forwarded: int = 0
    received: int = 0

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        self._rng = random.Random(self.seed)
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self._http: httpx.AsyncClient | None = None
        self._started = 0.0
        self._stopped = asyncio.Event()
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> str:
        if isinstance(self.upstream, str):
            self._http = httpx.AsyncClient(base_url=self.upstream, timeout=httpx.Timeout(30.0))
        await self._listen()
        self._started = time.monotonic()
        self._spawn(self._expire())
        return self.url

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _expire(self) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stopped.wait(), self.lifetime)
        await self.close()

    async def close(self) -> None:
        """Stop listening and drop every connection (also what ``lifetime`` does by itself)."""
        self._stopped.set()
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._connections):
            abort(writer)
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    # -- faults ---------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(self.kinds, 0)
        for fault in self.log:
            out[fault.kind] += 1
        return out

    def draw(self, request: h11.Request, body: bytes) -> str | None:
        """The fault for this request, or None (consumes the seeded generator in arrival order).

        The kinds only some requests can get (a revoked bearer token, a rejected refresh token, an invalid v1
        session) are drawn for a quarter of those requests, whatever ``rate``: they are rarer, and the paths
        they exercise matter.
        """
        roll, pick, focus = self._rng.random(), self._rng.random(), self._rng.random()
        if len(self.log) >= self.max_faults:
            return None
        headers = {k.lower(): v for k, v in request.headers}
        path = request.target.split(b"?", 1)[0].decode()
        special: list[str] = []
        if path.endswith("/token") and b"refresh_token" in parse_qs(body).get(b"grant_type", []):
            special.append("refresh_token_rejected")
        if b"session-token" in headers and not path.endswith(("/initSession", "/killSession")):
            special.append("v1_session_invalid")
        special = [kind for kind in special if kind in self.kinds]
        if special and focus < 0.25:
            return special[0]
        if roll >= self.rate:
            return None
        generic = [kind for kind in _GENERIC if kind in self.kinds]
        if headers.get(b"authorization", b"").startswith(b"Bearer ") and "oauth_token_revoked" in self.kinds:
            generic += ["oauth_token_revoked"] * 2
        return generic[int(pick * len(generic))] if generic else None

    # -- serving --------------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER)
        self._connections.add(writer)
        try:
            while not self._stopped.is_set():
                received = await read_request(conn, reader)
                if received is None:
                    break
                self.received += 1
                if not await self._exchange(conn, reader, writer, *received):
                    return
                if conn.our_state is h11.MUST_CLOSE or conn.their_state is h11.MUST_CLOSE:
                    break
                conn.start_next_cycle()
        except (ConnectionError, h11.ProtocolError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(writer)
            writer.close()

    async def _forward(self, request: h11.Request, body: bytes) -> httpx.Response:
        """The upstream's answer: over HTTP to an upstream URL, or by calling an upstream handler in-process."""
        if not isinstance(self.upstream, str):
            self.forwarded += 1
            return await call_handler(self.upstream, request, body, origin=self.origin or self.url)
        assert self._http is not None
        headers = [(k, v) for k, v in request.headers if k.lower() not in {b"host", b"connection", b"content-length"}]
        response = await self._http.request(
            request.method.decode(), request.target.decode(), headers=headers, content=body
        )
        self.forwarded += 1
        return response

    def _record(self, kind: str, request: h11.Request, status: int | None = None) -> None:
        path = request.target.split(b"?", 1)[0].decode()
        self.log.append(InjectedFault(kind, request.method.decode(), path, kind in APPLIED, status))

    async def _exchange(
        self, conn: h11.Connection, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
        request: h11.Request, body: bytes,
    ) -> bool:  # fmt: skip
        """Answer one request, faulty or not; False when the connection was cut."""
        kind = self.draw(request, body)
        if kind is None:
            response = await self._forward(request, body)
            await self._send(conn, writer, response.status_code, response.headers.raw, response.content)
            return True
        if kind in ("connection_refused", "reset_before_send"):
            self._record(kind, request)
            abort(writer)
            if kind == "connection_refused":
                await self._outage()
            return False
        if kind in APPLIED:
            response = await self._forward(request, body)
            return await self._after(kind, conn, writer, request, response)
        status, headers, content = self._answer(kind)
        self._record(kind, request, status)
        await self._send(conn, writer, status, headers, content)
        return True

    async def _outage(self) -> None:
        """Stop listening for ``outage`` seconds: connection attempts meanwhile are refused by the kernel."""
        if self._server is None:
            return
        self._server.close()
        self._server = None
        await asyncio.sleep(self.outage)
        if not self._stopped.is_set():
            await self._listen()

    async def _after(
        self, kind: str, conn: h11.Connection, writer: asyncio.StreamWriter, request: h11.Request,
        response: httpx.Response,
    ) -> bool:  # fmt: skip
        content = response.content
        is_json = "json" in response.headers.get("Content-Type", "")
        if kind == "truncated_json" and (len(content) < 2 or not is_json):
            await self._send(conn, writer, response.status_code, response.headers.raw, content)
            return True  # no JSON to cut: not a fault
        if kind == "slow_body" and not content:
            kind = "timeout_after_send"  # no body to stall in: stall before the headers
        self._record(kind, request, response.status_code)
        if kind == "reset_after_send":
            abort(writer)
            return False
        if kind == "timeout_after_send":
            await asyncio.sleep(self.stall)
            abort(writer)
            return False
        if kind in ("status_500", "status_504"):
            status = 500 if kind == "status_500" else 504
            body = b"" if status == 500 else _HTML % (b"504 Gateway Time-out", b"504 Gateway Time-out")
            kind_header = b"application/json" if status == 500 else b"text/html"
            await self._send(conn, writer, status, [(b"Content-Type", kind_header)], body)
            return True
        if kind == "truncated_json":
            await self._send(conn, writer, response.status_code, response.headers.raw, content[: len(content) // 2])
            return True
        # slow_body: headers and half the body, then nothing until after the client's read timeout
        headers = _framed(response.headers.raw, len(content))
        writer.write(conn.send(h11.Response(status_code=response.status_code, headers=headers)) or b"")
        writer.write(conn.send(h11.Data(data=content[: len(content) // 2])) or b"")
        await writer.drain()
        await asyncio.sleep(self.stall)
        abort(writer)
        return False

    def _answer(self, kind: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        json_type = [(b"Content-Type", b"application/json")]
        html_type = [(b"Content-Type", b"text/html; charset=UTF-8")]
        if kind == "status_502":
            return 502, [(b"Content-Type", b"text/plain")], b"Bad Gateway"
        if kind == "status_503":
            return 503, json_type, b""
        if kind == "status_429":
            return 429, json_type, json.dumps({"status": "ERROR", "title": "Too many requests"}).encode()
        if kind == "status_429_retry_after":
            return 429, [*json_type, (b"Retry-After", self.retry_after.encode())], b""
        if kind == "html_200":
            return 200, html_type, _HTML % (b"Sign in", b"Please sign in to continue")
        if kind == "html_502":
            return 502, html_type, _HTML % (b"502 Bad Gateway", b"502 Bad Gateway")
        if kind == "oauth_token_revoked":
            error = {"status": "ERROR_INVALID_PARAMETER", "title": "Invalid OAuth token",
                     "detail": "Access token could not be verified"}  # fmt: skip
            return 400, json_type, json.dumps(error).encode()
        if kind == "refresh_token_rejected":
            error = {"error": "invalid_grant", "error_description": "The refresh token is invalid.",
                     "hint": "Token has been revoked", "message": "The refresh token is invalid."}  # fmt: skip
            return 400, json_type, json.dumps(error).encode()
        if kind == "v1_session_invalid":
            return 401, json_type, json.dumps(["ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid"]).encode()
        raise AssertionError(kind)

    async def _send(
        self, conn: h11.Connection, writer: asyncio.StreamWriter, status: int, headers: Any, body: bytes
    ) -> None:
        await write_response(conn, writer, status, _framed(headers, len(body), status), body)


def _framed(headers: Any, length: int, status: int = 200) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() not in {b"connection", b"content-length", b"transfer-encoding"}]
    if status not in (204, 304):
        kept.append((b"content-length", str(length).encode()))
    return kept
