"""One test body for both clients, replaying recordings of a real GLPI.

``both`` runs a test once with :class:`GlpiClient` and once with :class:`AsyncGlpiClient`.
The test body is a coroutine taking a :class:`Driven` client: ``await c.get_ticket(1)`` works for
both (sync methods are called directly, without threads; sync pages become async iterators).

Cassettes: ``cassettes/<name>.yaml`` in this repository (recorded from a real GLPI 11.0.6; see
``cassettes/README.md``). With ``GLPI_RECORD=1`` the GLPI_* variables point at a live server and
the cassette is (re-)recorded there, scrubbed.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import os
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import vcr
from vcr.record_mode import RecordMode

from glpi_python_client import AsyncGlpiClient, GlpiClient

ROOT = Path(__file__).resolve().parent.parent
OWN = ROOT / "cassettes"
RECORDING = os.environ.get("GLPI_RECORD") == "1"

REPLAY_SETTINGS: dict[str, Any] = {
    "glpi_api_url": "http://127.0.0.1:8088/api.php/v2",
    "client_id": "f4e4f8655f70706b1a6e4e3b801ede1c8960abcb6e91dcd2636ffd91cd1ec9fa",
    "client_secret": "replayed-secret",
    "username": "glpi",
    "password": "replayed-password",
    "v1_base_url": "http://127.0.0.1:8088/apirest.php",
    "v1_user_token": "replayed-user-token",
}

SECRET_FIELDS = ("client_secret", "password", "password2", "refresh_token", "access_token", "session_token")


def settings() -> dict[str, Any]:
    if RECORDING:
        from glpi_python_client._config import config_from_env

        return config_from_env()
    return dict(REPLAY_SETTINGS)


def _scrub_text(text: str) -> str:
    for name in SECRET_FIELDS:
        text = re.sub(rf'("{name}"\s*:\s*")[^"]*(")', r"\1REDACTED\2", text)
        text = re.sub(rf"({name}=)[^&\s]*", r"\1REDACTED", text)
    return text


def _scrub_request(request: Any) -> Any:
    for header in ("authorization", "session-token", "app-token"):
        if header in {k.lower() for k in request.headers}:
            for key in list(request.headers):
                if key.lower() == header:
                    value = request.headers[key]
                    scheme = value.split(" ", 1)[0] if " " in value else ""
                    request.headers[key] = f"{scheme} REDACTED".strip()
    if isinstance(request.body, bytes):
        with contextlib.suppress(UnicodeDecodeError):
            request.body = _scrub_text(request.body.decode()).encode()
    elif isinstance(request.body, str):
        request.body = _scrub_text(request.body)
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes):
        try:
            text = body.decode()
        except UnicodeDecodeError:
            return response
        text = _scrub_text(text)
        text = re.sub(r'("valid_id"\s*:\s*")[^"]*(")', r"\1REDACTED\2", text)
        response["body"]["string"] = text.encode()
    return response


def cassette(name: str, *, repeats: bool = False) -> Any:
    """The vcrpy context for scenario ``name`` (see the module docstring).

    ``repeats`` lets a recorded answer serve the same request again (a re-authentication that asks for
    a new token the recording gave once).
    """
    mode = RecordMode.ALL if RECORDING else RecordMode.NONE
    recorder = vcr.VCR(
        cassette_library_dir=str(OWN),
        record_mode=mode,
        match_on=["method", "scheme", "host", "port", "path", "query"],
        before_record_request=_scrub_request,
        before_record_response=_scrub_response,
        decode_compressed_response=True,
    )
    return recorder.use_cassette(f"{name}.yaml", allow_playback_repeats=repeats)


#: create method -> the delete method that purges what it made (cleanup when recording against a live GLPI)
CLEANUP = {
    "create_ticket": "delete_ticket",
    "create_user": "delete_user",
    "create_location": "delete_location",
    "create_entity": "delete_entity",
    "create_document": "delete_document",
    "upload_document": "delete_document",
}


class Driven:
    """Awaitable access to either client's methods (see the module docstring).

    It remembers what ``create_*`` made: when recording against a live server, everything is purged
    after the test, so a re-recording starts from the same state. Replays skip the cleanup, since the
    reference recordings end without it.
    """

    def __init__(self, client: GlpiClient | AsyncGlpiClient) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncGlpiClient)
        self.created: list[tuple[str, int]] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)
        if not callable(method):
            return method

        async def call_async(*args: Any, **kwargs: Any) -> Any:
            result = await method(*args, **kwargs)
            self._remember(name, result)
            return result

        def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if inspect.isgenerator(result):
                return _as_async(result)
            self._remember(name, result)
            return _ready(result)

        if self.is_async:
            return method if inspect.isasyncgenfunction(method) or name not in CLEANUP else call_async
        return call

    def _remember(self, name: str, result: Any) -> None:
        if name in CLEANUP and isinstance(result, int):
            self.created.append((CLEANUP[name], result))

    async def cleanup(self) -> None:
        for delete, item_id in reversed(self.created):
            with contextlib.suppress(Exception):
                await getattr(self, delete)(item_id, force=True)


async def _ready(value: Any) -> Any:
    return value


async def _as_async(gen: Any) -> AsyncIterator[Any]:
    for item in gen:
        yield item


def make_client(mode: str, **overrides: Any) -> GlpiClient | AsyncGlpiClient:
    """A client of ``mode``; one given a fake ``transport`` always uses the replay settings, even when recording."""
    cls = AsyncGlpiClient if mode == "async" else GlpiClient
    base = dict(REPLAY_SETTINGS) if "transport" in overrides else settings()
    return cls(**{**base, **overrides})


def run(
    mode: str,
    body: Callable[[Driven], Awaitable[Any]],
    *,
    scenario: str | None = None,
    repeats: bool = False,
    **overrides: Any,
) -> Any:
    """Run ``body`` with a fresh client of ``mode``, inside the cassette ``scenario`` when given."""

    async def main() -> Any:
        client = make_client(mode, **overrides)
        driven = Driven(client)
        try:
            return await body(driven)
        finally:
            if RECORDING and "transport" not in overrides:
                await driven.cleanup()
            closing = client.close()
            if inspect.isawaitable(closing):
                await closing

    if scenario is None:
        return asyncio.run(main())
    with cassette(scenario, repeats=repeats):
        return asyncio.run(main())


def body_json(text: str | bytes) -> Any:
    return json.loads(text)


async def settle(value: Any) -> Any:
    """The value of a call on either client: awaited when it is a coroutine (the async client), else as is."""
    return await value if inspect.isawaitable(value) else value


async def collect(iterator: Any) -> list[Any]:
    """Every item of a generator (sync client) or an async generator (async client)."""
    if inspect.isasyncgen(iterator):
        return [item async for item in iterator]
    return list(iterator)
