"""A scripted fake GLPI for error paths: answers the token endpoint, then a queue of responses."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

API = "http://127.0.0.1:8088/api.php/v2"
TOKEN_URL = "http://127.0.0.1:8088/api.php/token"


def token_response(n: int = 1, *, expires_in: int = 3600) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "token_type": "Bearer",
            "expires_in": expires_in,
            "access_token": f"access-{n}",
            "refresh_token": f"refresh-{n}",
        },
    )


class FakeGlpi:
    """Records every request; ``api`` answers API requests (a list is served in order, a callable decides)."""

    def __init__(self, api: list[httpx.Response] | Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.tokens_issued = 0
        self.authorizations: list[str | None] = []  # as sent (a replayed request is the same object)
        self.token_grants: list[dict[str, str]] = []
        self._api = api if api is not None else []
        self.expires_in = 3600

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if str(request.url) != TOKEN_URL:
            self.authorizations.append(request.headers.get("Authorization"))
        if str(request.url) == TOKEN_URL:
            form = dict(httpx.QueryParams(request.content.decode()))
            self.token_grants.append(form)
            self.tokens_issued += 1
            return token_response(self.tokens_issued, expires_in=self.expires_in)
        if callable(self._api):
            return self._api(request)
        if not self._api:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        return self._api.pop(0)

    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if str(r.url) != TOKEN_URL]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def ok(payload: Any, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(
        status, content=json.dumps(payload).encode(), headers={"Content-Type": "application/json", **headers}
    )
