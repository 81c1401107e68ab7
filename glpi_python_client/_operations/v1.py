"""The legacy v1 API (``apirest.php``): its session and a request helper for the features v2 lacks.

A v1 session is opened lazily by the first v1 call (``GET initSession`` with ``Authorization: user_token ...``,
plus ``App-Token`` when configured), once per client even under concurrency (it runs :class:`Locked`), and
reused: every v1 request carries ``Session-Token``. A request refused with 401 ``ERROR_SESSION_TOKEN_INVALID``
renews the session once and is replayed once. ``close()`` ends the session with ``GET killSession``.

The session token lives in ``Context.v1_session_token`` and never appears in a repr, a log line or an error.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx

from .._errors import WRITE_METHODS, ConfigurationError, V1Error, decode_error_body, summarize_body
from .._logging import facts, pages_log, route, v1_log
from .._plan import Call, Locked, Plan, Send
from ._common import ContentRange, json_body

if TYPE_CHECKING:
    from .._state import Context

__all__ = ["close_session", "open_session", "v1_created_id", "v1_error", "v1_list", "v1_request", "v1_url"]

SESSION_INVALID = "ERROR_SESSION_TOKEN_INVALID"


def _require_v1(ctx: Context) -> str:
    """The v1 base URL, or a ConfigurationError naming the missing settings."""
    missing = ctx.config.missing_v1()
    if missing:
        names = " and ".join(missing)
        env = " / ".join(f"GLPI_{name.upper()}" for name in missing)
        raise ConfigurationError(
            f"this operation uses GLPI's legacy v1 API (apirest.php), which is not configured: set {names}"
            f" on the client (or {env} in the environment)"
        )
    assert ctx.config.v1_base_url is not None
    return ctx.config.v1_base_url


def v1_url(ctx: Context, path: str) -> str:
    """The absolute URL of ``path`` under the v1 base URL."""
    return f"{_require_v1(ctx)}/{path.lstrip('/')}"


def _headers(ctx: Context, session_token: str | None = None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if ctx.config.v1_app_token:
        headers["App-Token"] = ctx.config.v1_app_token
    if session_token:
        headers["Session-Token"] = session_token
    return headers


def _error_code(body: Any) -> str | None:
    if isinstance(body, list) and body and isinstance(body[0], str):
        return body[0]
    if isinstance(body, dict):
        for key in ("status", "error", "code"):
            if isinstance(body.get(key), str):
                return str(body[key])
    return None


def v1_error(response: httpx.Response, message: str | None = None) -> V1Error:
    """A :class:`V1Error` for a v1 error answer (``["ERROR_CODE", "message"]`` or anything else).

    The request kept on ``error.response.request`` is a copy without its credentials (see ``V1Error``).
    """
    request = response.request
    body = decode_error_body(response)
    code = _error_code(body)
    where = f"{request.method} {request.url.copy_with(query=None)}"
    text = message or f"GLPI v1 answered {response.status_code} to {where}"
    if isinstance(body, list) and body:
        text += ": " + " - ".join(str(part) for part in body[:2])
    elif isinstance(body, dict):
        text += f": {body}"[:300]
    elif isinstance(body, str):
        text += f": {summarize_body(response, body)}"
    elif message is None:
        text += " with an empty body"
    applied = request.method in WRITE_METHODS and response.status_code >= 500
    return V1Error(
        text, status_code=response.status_code, error_code=code, response=response, may_have_been_applied=applied
    )


# -- session ----------------------------------------------------------------------------------


def open_session(ctx: Context) -> Plan[str]:
    """The v1 session token, opening the session (once, under the lock) when none is open."""
    _require_v1(ctx)
    token = ctx.v1_session_token
    if token is not None:
        return token
    opened: str = yield Locked(_init_session(ctx, stale=None))
    return opened


def _init_session(ctx: Context, stale: str | None) -> Plan[str]:
    current = ctx.v1_session_token
    if current is not None and current != stale:
        return current  # another call opened (or renewed) it while this one waited for the lock
    headers = {**_headers(ctx), "Authorization": f"user_token {ctx.config.v1_user_token}"}
    response: httpx.Response = yield Send("GET", v1_url(ctx, "initSession"), headers=headers, expect_error=True)
    if response.status_code >= 400:
        raise v1_error(response, f"GLPI v1 refused initSession ({response.status_code})")
    body = json_body(response)
    token = body.get("session_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise V1Error(
            "GLPI v1 answered initSession without a session_token",
            status_code=response.status_code,
            error_code=None,
            response=response,
        )
    ctx.v1_session_token = token
    v1_log.info("v1 session %s", "renewed" if stale else "opened", extra=facts(response.request, status=200))
    return token


def close_session(ctx: Context) -> Plan[None]:
    """End the v1 session if one is open (``GET killSession``); errors are ignored, the session is forgotten."""
    token = ctx.v1_session_token
    ctx.v1_session_token = None
    if token is None or not ctx.config.v1_base_url:
        return
    with contextlib.suppress(Exception):  # closing must not fail because the server is gone
        response = yield Send("GET", v1_url(ctx, "killSession"), headers=_headers(ctx, token), expect_error=True)
        v1_log.debug(
            "v1 session closed (%d)", response.status_code, extra=facts(response.request, status=response.status_code)
        )


# -- requests ---------------------------------------------------------------------------------


def _file_objects(files: Any) -> Iterator[Any]:
    """The file objects (not bytes or str) among httpx ``files=`` values."""
    if not files:
        return
    items = files.values() if isinstance(files, dict) else (value for _, value in files)
    for value in items:
        content = value[1] if isinstance(value, tuple) else value
        if not isinstance(content, str | bytes | bytearray | memoryview):
            yield content


def _rewind(files: Any) -> Plan[bool]:
    """Seek the uploaded file objects back to their start; False when one cannot be rewound."""
    objects = list(_file_objects(files))
    for fileobj in objects:
        seekable = getattr(fileobj, "seekable", None)
        if seekable is None or not (yield Call(seekable)):
            return False
    for fileobj in objects:
        yield Call(functools.partial(fileobj.seek, 0))
    return True


def v1_request(
    ctx: Context,
    method: str,
    path: str,
    *,
    params: dict[str, Any] | None = None,
    json: Any = None,
    data: dict[str, Any] | None = None,
    files: Any = None,
) -> Plan[httpx.Response]:
    """Send one v1 request in the session; a v1 error answer raises :class:`V1Error`.

    A 401 ``ERROR_SESSION_TOKEN_INVALID`` renews the session once and replays the request once (an upload
    only when its file objects can be rewound). JSON bodies go with ``Content-Type: application/json``.
    POST is never retried on other failures.
    """
    url = v1_url(ctx, path)
    token = yield from open_session(ctx)
    renewed = False
    while True:
        response: httpx.Response = yield Send(
            method.upper(),
            url,
            params=params,
            json=json,
            data=data,
            files=files,
            headers=_headers(ctx, token),
            expect_error=True,
        )
        if response.status_code < 400:
            return response
        if not renewed and response.status_code == 401 and _error_code(decode_error_body(response)) == SESSION_INVALID:
            renewed = True
            v1_log.info(
                "v1 session token rejected (%s) on %s %s: renewing the session and replaying the request once",
                SESSION_INVALID,
                method.upper(),
                route(url),
                extra=facts(response.request, status=401),
            )
            if (yield from _rewind(files)):
                token = yield Locked(_init_session(ctx, stale=token))
                continue
            raise v1_error(
                response,
                f"GLPI v1 session expired during {method.upper()} {path} and the upload cannot be replayed"
                " (its file object is not seekable)",
            )
        raise v1_error(response)


def _as_rows(response: httpx.Response) -> list[dict[str, Any]]:
    data = json_body(response)
    if isinstance(data, dict):
        data = list(data.values())
    if not isinstance(data, list):
        raise v1_error(response, f"GLPI v1 answered {type(data).__name__} where a list was expected")
    return [row for row in data if isinstance(row, dict)]


def _log_page(response: httpx.Response, start: int, count: int, total: int | None) -> None:
    if not pages_log.isEnabledFor(logging.DEBUG):
        return
    pages_log.debug(
        "v1 page fetched: GET %s start %d, %d rows of %s",
        route(response.request.url),
        start,
        count,
        "?" if total is None else total,
        extra=facts(response.request, status=response.status_code),
    )


def v1_list(ctx: Context, path: str, params: dict[str, Any] | None = None) -> Plan[list[dict[str, Any]]]:
    """Every row of a v1 list: the first page as asked, then ``range=`` pages while Content-Range says more."""
    response = yield from v1_request(ctx, "GET", path, params=params)
    rows = _as_rows(response)
    page_size = max(len(rows), 1)
    page_start, page_count = 0, len(rows)
    while True:
        content_range = ContentRange.parse(response.headers.get("Content-Range"))
        total = content_range.total if content_range is not None else None
        _log_page(response, page_start, page_count, total)
        if total is None or len(rows) >= total:
            return rows
        page_start = len(rows)
        page_params = {**(params or {}), "range": f"{page_start}-{page_start + page_size - 1}"}
        response = yield from v1_request(ctx, "GET", path, params=page_params)
        page = _as_rows(response)
        if not page:
            return rows
        page_count = len(page)
        rows.extend(page)


def v1_created_id(response: httpx.Response) -> int:
    """The id of an item created by v1: ``{"id": N, ...}`` (or ``[{...}]``), else the Location header."""
    data: Any = json_body(response) if response.content.strip() else None
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if isinstance(data, dict) and isinstance(data.get("id"), int) and not isinstance(data["id"], bool):
        return int(data["id"])
    location = response.headers.get("Location", "").rstrip("/")
    tail = location.rsplit("/", 1)[-1]
    if tail.isdigit():
        return int(tail)
    raise v1_error(response, "GLPI v1 answered a create without an id")
