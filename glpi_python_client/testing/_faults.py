"""Faults the simulator injects for resilience tests: an error status, a timeout after applying, a cut body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import httpx

__all__ = ["Fault", "FaultKind"]

FaultKind = Literal["status", "timeout_after_apply", "truncated", "connect_error"]
_TOKEN_PATH = "/api.php/token"


@dataclass
class Fault:
    """One fault, armed for ``times`` matching requests; ``hits`` counts the requests it hit."""

    kind: FaultKind
    status: int = 503
    times: int = 1
    method: str | None = None
    path: str | None = None
    retry_after: float | None = None
    hits: int = 0

    def __post_init__(self) -> None:
        if self.kind not in ("status", "timeout_after_apply", "truncated", "connect_error"):
            raise ValueError(f"unknown fault kind {self.kind!r}")
        if self.times < 1:
            raise ValueError(f"times must be >= 1, got {self.times}")

    @staticmethod
    def selects(method: str | None, path: str | None, request: httpx.Request, *, token: bool) -> bool:
        """Whether ``request`` has ``method`` (any when None) and a URL path where ``path`` is found.

        The OAuth token endpoint is selected only with ``token`` (callers pass whether a path was given).
        """
        if method is not None and request.method != method.upper():
            return False
        if not token and request.url.path == _TOKEN_PATH:
            return False
        return path is None or re.search(path, request.url.path) is not None

    def matches(self, request: httpx.Request) -> bool:
        """Whether this fault is still armed and selects ``request``."""
        return self.hits < self.times and self.selects(self.method, self.path, request, token=self.path is not None)

    def before(self, request: httpx.Request) -> httpx.Response | None:
        """The answer given instead of applying the request (None: apply it, then :meth:`after`)."""
        if self.kind == "connect_error":
            raise httpx.ConnectError("simulated: connection refused", request=request)
        if self.kind != "status":
            return None
        headers = {"Content-Type": "application/json"}
        if self.retry_after is not None:
            headers["Retry-After"] = f"{self.retry_after:g}"
        body = b'{"status": "ERROR", "title": "Simulated fault", "detail": null}'
        return httpx.Response(self.status, content=body, headers=headers)

    def after(self, request: httpx.Request, response: httpx.Response) -> httpx.Response:
        """What the client sees of a response the server produced (and applied)."""
        if self.kind == "timeout_after_apply":
            raise httpx.ReadTimeout("simulated: the server applied the request, the answer never came", request=request)
        if self.kind == "truncated":
            content = response.content[: len(response.content) // 2]
            headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
            return httpx.Response(response.status_code, content=content, headers=headers)
        return response
