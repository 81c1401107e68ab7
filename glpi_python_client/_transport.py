"""The wire: OAuth2 tokens, scope headers, re-authentication and retries, as an httpx transport.

:class:`AuthSession` holds the token state and writes the send path once, as a
plan (see :mod:`._plan`); :class:`GlpiTransport` and :class:`AsyncGlpiTransport`
drive it around a real httpx transport. Because the behaviour lives in the
transport, the facade and the generated ``glpi_api_v2`` functions (the escape
hatch) share the same session, auth, scope headers and retries.

* Tokens: password grant (client_credentials without a username), always
  ``scope=api``; refreshed ``auth_token_refresh`` seconds before expiry with the
  refresh_token grant, falling back to a full grant. Acquisition runs under a
  lock, so a concurrent fan-out acquires once. Token requests are retried like
  idempotent ones (repeating a grant only issues another token).
* A token rejected with 401, or with GLPI's 400 "Invalid OAuth token", causes
  one re-authentication and one replay of that request, never a loop.
* Idempotent requests (GET, HEAD, PUT, PATCH, DELETE) are retried with
  exponential backoff, jitter and ``Retry-After`` on connection errors, 429,
  502, 503 and 504, and when their body breaks off (it is read inside the retry
  loop, except for streamed downloads). POST is never retried: GLPI has no
  idempotency keys.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from typing import Any

import httpx

from ._config import ClientConfig
from ._constants import DEFAULT_MAX_RETRIES, INITIAL_RETRY_DELAY, MAX_RETRY_DELAY, RETRY_STATUSES
from ._errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    GlpiError,
    NotAGlpiApiError,
    status_error,
    summarize_body,
)
from ._logging import auth_log, facts, http_log, route
from ._plan import AsyncRuntime, Locked, Plan, Raw, Sleep, SyncRuntime, run_async, run_sync

__all__ = [
    "IDEMPOTENT_KEY",
    "READ_BODY_KEY",
    "UNSCOPED_KEY",
    "AsyncGlpiTransport",
    "AuthSession",
    "GlpiTransport",
    "TokenState",
]

IDEMPOTENT_KEY = "glpi_idempotent"
#: a request extension: send it without the client's entity/profile scope headers
UNSCOPED_KEY = "glpi_unscoped"
#: a request whose body the transport reads, so that a body cut short is retried like any connection error
READ_BODY_KEY = "glpi_read_body"
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})


class TokenState:
    """The current OAuth tokens. Its repr never shows them."""

    __slots__ = ("access_token", "expires_at", "refresh_token")

    def __init__(self) -> None:
        self.access_token: str | None = None
        self.refresh_token: str | None = None
        self.expires_at = 0.0

    def __repr__(self) -> str:
        has = "set" if self.access_token else "none"
        return f"TokenState(access_token=<{has}>, expires_in={max(0.0, self.expires_at - time.monotonic()):.0f}s)"

    def fresh(self, margin: float) -> bool:
        return self.access_token is not None and time.monotonic() < self.expires_at - margin

    def update(self, body: dict[str, Any]) -> None:
        self.access_token = str(body["access_token"])
        self.refresh_token = str(body["refresh_token"]) if body.get("refresh_token") else None
        self.expires_at = time.monotonic() + float(body.get("expires_in") or 3600)

    def invalidate(self, token: str | None) -> None:
        if token is not None and self.access_token == token:
            self.access_token = None
            self.expires_at = 0.0


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, float(parsed.timestamp()) - time.time())


def backoff(attempt: int, response: httpx.Response | None = None) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based): Retry-After, else exponential with jitter."""
    if response is not None:
        hinted = _retry_after(response)
        if hinted is not None:
            return min(hinted, 60.0)
    delay: float = min(MAX_RETRY_DELAY, INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1))
    return delay * (1 - 0.25 * random.random())


def _is_token_rejection(response: httpx.Response) -> bool:
    if response.status_code == 401:
        return True
    if response.status_code != 400:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "oauth token" in str(body.get("title", "")).lower()


class AuthSession:
    """Token state and the send path of one client (shared by its sync or async transport)."""

    def __init__(self, config: ClientConfig, *, max_retries: int = DEFAULT_MAX_RETRIES) -> None:
        self.config = config
        self.tokens = TokenState()
        self.max_retries = max_retries
        self._api_prefix = config.glpi_api_url + "/"
        self._scope = config.scope_headers()

    def __repr__(self) -> str:
        return f"AuthSession(api={self.config.glpi_api_url!r}, grant={self.config.grant_type!r}, {self.tokens!r})"

    # -- tokens -------------------------------------------------------------------------------

    def _token_request(self, fields: dict[str, str]) -> httpx.Request:
        cfg = self.config
        data = {**fields, "scope": "api"}
        if cfg.client_id:
            data["client_id"] = cfg.client_id
            data["client_secret"] = cfg.client_secret or ""
        request = httpx.Request("POST", cfg.token_url, data=data, headers={"Accept": "application/json"})
        request.extensions[READ_BODY_KEY] = True
        return request

    def _grant(self) -> dict[str, str]:
        cfg = self.config
        if cfg.username:
            return {"grant_type": "password", "username": cfg.username, "password": cfg.password or ""}
        return {"grant_type": "client_credentials"}

    def token(self) -> Plan[str]:
        """A valid access token, acquiring or refreshing it (once, under the lock) when needed."""
        if self.tokens.fresh(self.config.auth_token_refresh):
            assert self.tokens.access_token is not None
            return self.tokens.access_token
        token: str = yield Locked(self._acquire(self.tokens.access_token))
        return token

    def _acquire(self, stale: str | None) -> Plan[str]:
        tokens = self.tokens
        current = tokens.access_token
        if current is not None and current != stale and tokens.fresh(self.config.auth_token_refresh):
            return current  # another worker got one while we waited for the lock
        grant = self.config.grant_type
        if tokens.refresh_token:
            refreshed = yield from self._refresh(tokens.refresh_token)
            if refreshed is not None:
                return refreshed
        request, response = yield from self._token_exchange(self._grant())
        if response.status_code != 200:
            auth_log.debug(
                "the %s grant was refused (%d)",
                grant,
                response.status_code,
                extra=facts(request, status=response.status_code),
            )
            raise _token_error(response, self.config)
        try:
            tokens.update(response.json())
        except (ValueError, KeyError, TypeError):
            raise _token_error(response, self.config) from None
        auth_log.info("access token obtained (%s grant)", grant, extra=facts(request, status=200))
        assert tokens.access_token is not None
        return tokens.access_token

    def _refresh(self, refresh_token: str) -> Plan[str | None]:
        """A new access token from the refresh grant, or None (rejected, unreadable, unreachable): do a full grant."""
        tokens = self.tokens
        tokens.refresh_token = None  # refresh tokens work once
        try:
            request, response = yield from self._token_exchange(
                {"grant_type": "refresh_token", "refresh_token": refresh_token}
            )
        except APIConnectionError:
            return None  # the full grant will say so if the endpoint stays unreachable
        if response.status_code == 200:
            try:
                tokens.update(response.json())
            except (ValueError, KeyError, TypeError):
                pass  # an unreadable answer (a proxy's page, a cut body): fall back to a full grant
            else:
                auth_log.info("access token refreshed (refresh_token grant)", extra=facts(request, status=200))
                return tokens.access_token
        auth_log.info(
            "refresh token rejected (%d): requesting a new access token with the %s grant",
            response.status_code,
            self.config.grant_type,
            extra=facts(request, status=response.status_code),
        )
        return None

    def _token_exchange(self, fields: dict[str, str]) -> Plan[tuple[httpx.Request, httpx.Response]]:
        """A token request and its answer, retried like an idempotent request (a repeated grant only issues
        another token; a repeated refresh is refused, and the caller falls back to a full grant).

        An unreachable endpoint raises :class:`APIConnectionError` (``may_have_been_applied`` False: the API
        request waiting for the token was not sent); it carries no request, whose body holds the credentials.
        """
        attempt = 0
        while True:
            request = self._token_request(fields)
            try:
                response: httpx.Response = yield Raw(request)
            except httpx.TransportError as exc:
                if attempt < self.max_retries:
                    attempt += 1
                    delay = backoff(attempt)
                    self._log_retry(request, type(exc).__name__, None, attempt, delay)
                    yield Sleep(delay)
                    continue
                cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
                tries = f"{attempt + 1} attempts" if attempt else "1 attempt"
                raise cls(
                    f"{type(exc).__name__} on POST {self.config.token_url} (GLPI's token endpoint, {tries}): {exc}",
                    request=None,
                ) from None
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                attempt += 1
                delay = backoff(attempt, response)
                self._log_retry(request, str(response.status_code), response.status_code, attempt, delay)
                yield Sleep(delay)
                continue
            return request, response

    # -- the send path ------------------------------------------------------------------------

    def is_api_request(self, request: httpx.Request) -> bool:
        return str(request.url).startswith(self._api_prefix)

    def send(self, request: httpx.Request) -> Plan[httpx.Response]:
        """Authenticate, send, re-authenticate once on a rejected token, retry idempotent failures."""
        authenticated = self.is_api_request(request)
        idempotent = request.extensions.get(IDEMPOTENT_KEY)
        if idempotent is None:
            idempotent = request.method in _IDEMPOTENT_METHODS
        if authenticated and not request.extensions.get(UNSCOPED_KEY):
            for name, value in self._scope.items():
                request.headers.setdefault(name, value)
        replayed = False
        attempt = 0
        while True:
            token = None
            if authenticated:
                token = yield from self.token()
                request.headers["Authorization"] = f"Bearer {token}"
            try:
                response: httpx.Response = yield Raw(request)
            except httpx.TransportError as exc:
                if idempotent and attempt < self.max_retries:
                    attempt += 1
                    delay = backoff(attempt)
                    self._log_retry(request, type(exc).__name__, None, attempt, delay)
                    yield Sleep(delay)
                    continue
                if http_log.isEnabledFor(logging.DEBUG):
                    why = "retries exhausted" if idempotent else f"{request.method} is never retried"
                    http_log.debug(
                        "%s %s failed with %s on attempt %d (%s)",
                        request.method,
                        route(request.url),
                        type(exc).__name__,
                        attempt + 1,
                        why,
                        extra=facts(request, attempt=attempt + 1),
                    )
                raise
            status = response.status_code
            if http_log.isEnabledFor(logging.DEBUG):
                http_log.debug(
                    "%s %s -> %d (attempt %d)",
                    request.method,
                    route(request.url),
                    status,
                    attempt + 1,
                    extra=facts(request, status=status, attempt=attempt + 1),
                )
            if authenticated and not replayed and _is_token_rejection(response):
                replayed = True
                self.tokens.invalidate(token)
                auth_log.info(
                    "access token rejected (%d) on %s %s: re-authenticating and replaying the request once",
                    status,
                    request.method,
                    route(request.url),
                    extra=facts(request, status=status, attempt=attempt + 1),
                )
                continue
            if idempotent and status in RETRY_STATUSES and attempt < self.max_retries:
                attempt += 1
                delay = backoff(attempt, response)
                self._log_retry(request, str(status), status, attempt, delay)
                yield Sleep(delay)
                continue
            return response

    def _log_retry(self, request: httpx.Request, cause: str, status: int | None, retry: int, delay: float) -> None:
        if not http_log.isEnabledFor(logging.INFO):
            return
        http_log.info(
            "retrying %s %s after %s (attempt %d failed; retry %d of %d in %.2f s)",
            request.method,
            route(request.url),
            cause,
            retry,
            retry,
            self.max_retries,
            delay,
            extra=facts(request, status=status, attempt=retry, delay=delay),
        )


#: What each OAuth error of GLPI's token endpoint means for this client's settings (RFC 6749, section 5.2).
_OAUTH_HINTS = {
    "invalid_grant": "the username or password is wrong (or that user may not log in)",
    "invalid_client": "client_id or client_secret is wrong (check the OAuth client in Setup > OAuth clients)",
    "unauthorized_client": "this OAuth client may not use the {grant} grant (enable it on the client)",
    "unsupported_grant_type": "GLPI does not support the {grant} grant here",
    "invalid_scope": "the OAuth client does not allow scope 'api' (enable it on the client)",
    "invalid_request": "the token request was malformed",
}


def _token_error(response: httpx.Response, config: ClientConfig) -> GlpiError:
    """Why the token endpoint gave no token: bad credentials, or a URL that is not GLPI's API at all.

    Only an OAuth error body (``{"error": "invalid_grant", ...}``) is an authentication failure; an HTML
    page, a 404/405/501, or JSON of another shape means ``glpi_api_url`` points somewhere else, and a
    proxy's 502/503/504 means the server is down, so neither sends the user to check a password.
    """
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    status = response.status_code
    where = f"POST {config.token_url}"
    if isinstance(body, dict) and isinstance(body.get("error"), str) and status != 200:
        error = body["error"]
        description = body.get("error_description") or ""
        hint = _OAUTH_HINTS.get(error, "GLPI refused the credentials").format(grant=config.grant_type)
        return AuthenticationError(
            f"GLPI refused the {config.grant_type} grant ({where} answered {status} {error}): {hint}."
            + (f" GLPI says: {description}" if description else ""),
            error=error,
            status_code=status,
        )
    if status in (502, 503, 504) and not isinstance(body, dict):
        return status_error(response)
    if body is None:
        found = summarize_body(response, response.text[:4000]) if response.content.strip() else "an empty body"
    elif isinstance(body, dict):
        keys = ", ".join(sorted(str(k) for k in body)[:6])
        found = f"JSON that is not an OAuth answer (keys: {keys})" if keys else "an empty JSON object"
    else:
        found = f"JSON {type(body).__name__} that is not an OAuth answer"
    return NotAGlpiApiError(
        f"glpi_api_url does not look like a GLPI API: {where} answered {status}"
        f" {response.reason_phrase} with {found}. Give the URL of GLPI's v2 API,"
        " e.g. https://glpi.example.com/api.php/v2 (the token URL is derived from it).",
        url=config.token_url,
        status_code=status,
    )


class GlpiTransport(httpx.BaseTransport):
    """An httpx transport adding GLPI auth and retries around a real transport."""

    def __init__(self, session: AuthSession, inner: httpx.BaseTransport) -> None:
        self.session = session
        self._inner = inner
        self._runtime = SyncRuntime(raw=self._raw)

    def _raw(self, step: Raw) -> httpx.Response:
        response = self._inner.handle_request(step.request)
        response.request = step.request  # error messages name the request, even on the token endpoint
        if response.status_code >= 400 or step.request.extensions.get(READ_BODY_KEY):
            response.read()
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return run_sync(self.session.send(request), self._runtime)

    def close(self) -> None:
        self._inner.close()


class AsyncGlpiTransport(httpx.AsyncBaseTransport):
    """The asyncio twin of :class:`GlpiTransport`, driving the same send plan."""

    def __init__(self, session: AuthSession, inner: httpx.AsyncBaseTransport) -> None:
        self.session = session
        self._inner = inner
        self._runtime = AsyncRuntime(raw=self._raw)

    async def _raw(self, step: Raw) -> httpx.Response:
        response = await self._inner.handle_async_request(step.request)
        response.request = step.request  # error messages name the request, even on the token endpoint
        if response.status_code >= 400 or step.request.extensions.get(READ_BODY_KEY):
            await response.aread()
        return response

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await run_async(self.session.send(request), self._runtime)

    async def aclose(self) -> None:
        await self._inner.aclose()
