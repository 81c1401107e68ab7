"""The exceptions raised by glpi_python_client.

Every error the client raises derives from :class:`GlpiError`::

    GlpiError
    ├── ConfigurationError            incomplete or invalid client settings (names what is missing)
    │   └── NotAGlpiApiError          the configured URL answers, but not as GLPI's API (says what it found)
    ├── InvalidArgumentError          a method argument has the wrong type or value (raised before sending)
    │   ├── IncidentKeyError          an incident's correlation key GLPI cannot store and match exactly
    │   └── WriteValidationError      an itemtype's create/update body does not fit its write schema
    ├── ClientClosedError             the client was closed: make a new one
    ├── AuthenticationError           the token endpoint refused the credentials (bad password/secret)
    ├── APIError                      something went wrong talking to GLPI
    │   ├── APIConnectionError        the server could not be reached or the connection broke
    │   │   └── APITimeoutError       the request timed out
    │   ├── APIResponseValidationError  the answer is not what GLPI sends (HTML page, truncated JSON, bad shape)
    │   └── APIStatusError            GLPI answered 4xx/5xx (status_code, error_code, title, detail, body)
    │       ├── BadRequestError               400 (error_code e.g. ERROR_INVALID_PARAMETER, detail)
    │       ├── UnauthorizedError             401
    │       ├── PermissionDeniedError         403
    │       ├── NotFoundError                 404
    │       ├── ConflictError                 409
    │       ├── RateLimitError                429
    │       └── InternalServerError           5xx
    ├── V1Error                       the legacy v1 API answered ["ERROR_CODE", "message"]
    ├── PluginFieldsError             unknown Fields plugin container or field (raised before any write)
    ├── NotATeamMemberError           remove_ticket_team_member found no such member on the ticket
    ├── UnknownResourceError          no itemtype collection has this name or path (names the closest)
    └── RichTextError                 a body could not be read as Markdown (names the record), or a write
                                      model was given both Markdown and HTML for one field

``may_have_been_applied`` (on ``APIError`` and ``V1Error``) is True when a write
(POST, PUT, PATCH, DELETE) failed in a way that does not prove the server ignored
it: a timeout or broken connection after sending, a 5xx, an answer that could not
be read, or GLPI's 404-after-create (glpi-project/glpi#24506). When it is False,
the server did not apply the request. A POST is never retried automatically: check
the server before sending it again. PUT, PATCH and DELETE are idempotent (they
were retried already, and sending them again is safe).
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

__all__ = [
    "WRITE_METHODS",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "GlpiError",
    "IncidentKeyError",
    "InternalServerError",
    "InvalidArgumentError",
    "NotAGlpiApiError",
    "NotATeamMemberError",
    "NotFoundError",
    "PermissionDeniedError",
    "PluginFieldsError",
    "RateLimitError",
    "RichTextError",
    "UnauthorizedError",
    "UnknownResourceError",
    "V1Error",
    "WriteValidationError",
    "applied_note",
]

_MAY_HAVE_BEEN_APPLIED = (
    " The server may have applied this {method} before failing: GLPI has no idempotency keys, so it was not"
    " retried. Check whether it took effect before sending it again."
)
_MAY_HAVE_BEEN_APPLIED_IDEMPOTENT = (
    " The server may have applied this {method} before failing; it is idempotent, so sending it again is safe."
)
#: the methods that change the server's state
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def applied_note(method: str) -> str:
    """What a failed write that may have been applied adds to its error message."""
    template = _MAY_HAVE_BEEN_APPLIED if method == "POST" else _MAY_HAVE_BEEN_APPLIED_IDEMPOTENT
    return template.format(method=method)


#: Request headers that carry a credential: an OAuth bearer token, a v1 ``user_token``, session or app token.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "session-token", "app-token", "cookie"})


def redacted(request: httpx.Request) -> httpx.Request:
    """A copy of a sent request fit to keep on an error: credential headers replaced by ``REDACTED``, no body.

    An error outlives the call (it is logged, reported to an error tracker, pickled to another process), so
    it never holds the bearer token, the v1 session or user token, nor a body: the token request's body is
    the password and the client secret.
    """
    headers = [(k, "REDACTED" if k.lower() in SECRET_HEADERS else v) for k, v in request.headers.multi_items()]
    return httpx.Request(request.method, request.url, headers=headers)


def _rebuilt(cls: type[GlpiError], args: tuple[Any, ...], state: dict[str, Any]) -> GlpiError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class GlpiError(Exception):
    """Base class of every error raised by glpi_python_client.

    Every one pickles (to a worker process, a task queue) with its message and attributes, whatever its
    constructor's keyword-only arguments.
    """

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (type(self), self.args, self.__dict__))


class ConfigurationError(GlpiError, ValueError):
    """The client configuration is incomplete or invalid."""


class NotAGlpiApiError(ConfigurationError):
    """The URL answers, but not as GLPI's API would (an HTML page, 404, 405, 501...): check ``glpi_api_url``."""

    def __init__(self, message: str, *, url: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.status_code = status_code


class InvalidArgumentError(GlpiError, TypeError, ValueError):
    """A method argument has the wrong type or value; nothing was sent.

    It is both a ``TypeError`` and a ``ValueError``, so code catching either keeps working.
    """


class ClientClosedError(GlpiError, RuntimeError):
    """The client was closed (``close()`` or the end of its ``with`` block); create a new client."""


class AuthenticationError(GlpiError):
    """GLPI's token endpoint refused the credentials (``invalid_grant``, ``invalid_client``...)."""

    def __init__(self, message: str, *, error: str | None = None, status_code: int | None = None) -> None:
        super().__init__(message)
        self.error = error
        self.status_code = status_code


class APIError(GlpiError):
    """A request to GLPI failed."""

    def __init__(self, message: str, *, request: httpx.Request | None, may_have_been_applied: bool = False) -> None:
        if may_have_been_applied and request is not None:
            message += applied_note(request.method)
        super().__init__(message)
        self.message = message
        self.request = None if request is None else redacted(request)
        self.may_have_been_applied = may_have_been_applied


class APIConnectionError(APIError):
    """GLPI could not be reached, or the connection broke."""


class APITimeoutError(APIConnectionError):
    """The request to GLPI timed out."""


class APIResponseValidationError(APIError):
    """GLPI's answer could not be read as the expected data.

    The answer to a write could not be read, so the write may have been applied (``may_have_been_applied``).
    """

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        request = response.request
        super().__init__(message, request=request, may_have_been_applied=request.method in WRITE_METHODS)
        response.request = self.request  # type: ignore[assignment]  # the redacted copy
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """GLPI answered with an error status. ``error_code``/``title``/``detail`` come from its JSON error body."""

    def __init__(
        self, message: str, *, response: httpx.Response, body: Any, may_have_been_applied: bool = False
    ) -> None:
        super().__init__(message, request=response.request, may_have_been_applied=may_have_been_applied)
        response.request = self.request  # type: ignore[assignment]  # the redacted copy
        self.response = response
        self.status_code = response.status_code
        self.body = body
        error = body if isinstance(body, dict) else {}
        self.error_code: str | None = str(error["status"]) if isinstance(error.get("status"), str) else None
        self.title: str | None = error.get("title") if isinstance(error.get("title"), str) else None
        self.detail: Any = error.get("detail")


class BadRequestError(APIStatusError):
    """400: GLPI refused the parameters (also a rejected OAuth token, after one re-authentication)."""


class UnauthorizedError(APIStatusError):
    """401: not authenticated, even after one re-authentication."""


class PermissionDeniedError(APIStatusError):
    """403: the profile or the token scope does not allow this."""


class NotFoundError(APIStatusError):
    """404: no such item or route."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the item's state."""


class RateLimitError(APIStatusError):
    """429: too many requests (idempotent ones were retried first)."""


class InternalServerError(APIStatusError):
    """5xx: GLPI failed (idempotent requests were retried first on 502, 503, 504)."""


class V1Error(GlpiError):
    """The legacy v1 API (apirest.php) answered an error ``["ERROR_CODE", "message"]``."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error_code: str | None,
        response: httpx.Response,
        may_have_been_applied: bool = False,
    ) -> None:
        if may_have_been_applied:
            message += applied_note(response.request.method)
        super().__init__(message)
        response.request = redacted(response.request)
        self.status_code = status_code
        self.error_code = error_code
        self.response = response
        self.may_have_been_applied = may_have_been_applied


class PluginFieldsError(GlpiError, LookupError):
    """A Fields plugin container or field name is unknown, or the plugin is missing."""


class IncidentKeyError(InvalidArgumentError):
    """The correlation key cannot be stored in ``external_id`` and matched exactly by GLPI's RSQL."""


class NotATeamMemberError(GlpiError, LookupError):
    """``remove_ticket_team_member`` found no member with that id (and type/role) on the ticket."""


class UnknownResourceError(GlpiError, ValueError):
    """No collection has this itemtype name or path; the message names the closest ones."""


class WriteValidationError(InvalidArgumentError):
    """A create or update body does not fit the itemtype's write schema; nothing was sent.

    ``itemtype`` names the collection, ``errors`` lists ``(field, message)`` pairs.
    """

    def __init__(self, itemtype: str, errors: list[tuple[str, str]]) -> None:
        detail = "; ".join(f"{field!r}: {message}" for field, message in errors)
        super().__init__(f"invalid {itemtype} body: {detail}")
        self.itemtype = itemtype
        self.errors = errors


class RichTextError(GlpiError, ValueError):
    """A rich-text field could not be converted: ``model``, ``record_id`` and ``field`` name where.

    Raised when a read model's body is read (``ticket.content``), never while a page is parsed, so one bad
    body spoils only its own record; the stored HTML stays readable as ``<field>_html``.
    """

    def __init__(
        self, message: str, *, model: str | None = None, record_id: Any = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.model = model
        self.record_id = record_id
        self.field = field


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: UnauthorizedError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_HEADING = re.compile(r"<h1[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def is_html(response: httpx.Response, text: str | None = None) -> bool:
    """Whether the answer is an HTML page (by its Content-Type, or a body starting like one)."""
    if "html" in response.headers.get("Content-Type", "").lower():
        return True
    head = (text if text is not None else response.text[:200]).lstrip()[:15].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<body"))


def summarize_body(response: httpx.Response, text: str) -> str:
    """A short, one-line description of a non-JSON body: an HTML page by its title, never pasted whole."""
    if is_html(response, text):
        match = _TITLE.search(text) or _HEADING.search(text)
        title = " ".join(_TAG.sub("", match.group(1)).split())[:100] if match else ""
        return f"an HTML page titled {title!r}" if title else "an HTML page without a title"
    line = " ".join(text.split())
    return repr(line[:200] + ("..." if len(line) > 200 else ""))


def decode_error_body(response: httpx.Response) -> Any:
    """The JSON error body, the text when it is not JSON, or None when empty (some GLPI 500s)."""
    content = response.content
    if not content.strip():
        return None
    try:
        return json.loads(content)
    except ValueError:
        return response.text[:2000]


def response_error(response: httpx.Response, *, grant_type: str) -> APIStatusError:
    """The typed error of an error answer, as the facade and ``client.api`` raise it.

    A write answered 5xx, or a POST answered 404, may have been applied (see the module docstring); a 401
    to a client_credentials token gets the hint that such a token has no user behind it.
    """
    status = response.status_code
    method = response.request.method.upper()
    applied = method in WRITE_METHODS and (status >= 500 or (method == "POST" and status == 404))
    error = status_error(response, may_have_been_applied=applied)
    if status == 401 and grant_type == "client_credentials":
        error.args = (
            f"{error.args[0]}. A client_credentials token has no GLPI user behind it and most endpoints"
            " refuse it: configure username and password for the password grant.",
        )
    return error


def status_error(response: httpx.Response, *, may_have_been_applied: bool = False) -> APIStatusError:
    """Build the typed error for an error response."""
    body = decode_error_body(response)
    cls = _STATUS_CLASSES.get(response.status_code)
    if cls is None:
        cls = InternalServerError if response.status_code >= 500 else APIStatusError
    request = response.request
    where = f"{request.method} {request.url.copy_with(query=None)}"
    text = f"GLPI answered {response.status_code} to {where}"
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("status", "title") if body.get(k)]
        if parts:
            text += ": " + " - ".join(parts)
        if body.get("detail"):
            text += f" ({body['detail']})"
        for extra in body.get("additional_messages") or []:
            if isinstance(extra, dict) and extra.get("message"):
                text += f" [{extra['message']}]"
    elif isinstance(body, str):
        text += f": {summarize_body(response, body)}"
    else:
        text += " with an empty body"
    return cls(text, response=response, body=body, may_have_been_applied=may_have_been_applied)


# Tracebacks and reprs name the public import path (``glpi_python_client.NotFoundError``), not this module.
for _name in __all__:
    if isinstance(globals()[_name], type):
        globals()[_name].__module__ = "glpi_python_client"
del _name
