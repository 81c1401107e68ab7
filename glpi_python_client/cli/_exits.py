"""Exit codes, and the one line (with its fix) that each kind of failure prints.

``0`` success, ``1`` GLPI or network error, ``2`` usage (bad option, bad input, dry run that would read),
``3`` configuration or authentication, ``130`` interrupted (Ctrl-C).
"""

from __future__ import annotations

import ssl

import httpx

from .._errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    ConfigurationError,
    GlpiError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    UnauthorizedError,
    V1Error,
)

__all__ = ["CONFIG", "GLPI", "INTERRUPTED", "OK", "USAGE", "describe", "fix_for", "is_tls"]

OK = 0
GLPI = 1
USAGE = 2
CONFIG = 3
INTERRUPTED = 130


def is_tls(exc: BaseException) -> bool:
    """Whether a connection failed on the server's TLS certificate."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def fix_for(exc: BaseException) -> str | None:
    from ._session import SetupError

    if isinstance(exc, SetupError):
        return None
    if isinstance(exc, ConfigurationError):
        return "run `glpi config init`, or check `glpi config show`"
    if isinstance(exc, AuthenticationError | UnauthorizedError):
        return "check the credentials with `glpi doctor`"
    if isinstance(exc, APIConnectionError | httpx.TransportError):
        if is_tls(exc):
            return (
                "the server's TLS certificate was refused: install its CA, or set verify_ssl = false for a test server"
            )
        return "check glpi_api_url and that the server is reachable (`glpi doctor`)"
    if isinstance(exc, PermissionDeniedError) and "scope" in str(exc).lower():
        return "allow the `api` scope on the OAuth client in GLPI (Setup > OAuth clients)"
    if isinstance(exc, PermissionDeniedError):
        return "the GLPI profile in use lacks this right: try another glpi_profile"
    if isinstance(exc, V1Error) and exc.error_code == "ERROR_GLPI_LOGIN_USER_TOKEN":
        return "check v1_user_token (GLPI: My settings > Remote access keys)"
    return None


def describe(exc: BaseException, *, with_fix: bool = True) -> tuple[int, str]:
    """The exit code and the one-line message (with its fix, unless not ``with_fix``) for an error."""
    from ._session import UsageError

    if isinstance(exc, UsageError | InvalidArgumentError):  # refused by the client before sending
        code = USAGE
    elif isinstance(exc, ConfigurationError | AuthenticationError | UnauthorizedError):
        code = CONFIG
    elif isinstance(exc, GlpiError | httpx.HTTPError | OSError):
        code = GLPI
    elif isinstance(exc, ValueError | TypeError):  # incl. pydantic's ValidationError: refused before sending
        code = USAGE
    else:
        return GLPI, f"internal error: {exc.__class__.__name__}: {exc} (run with --debug for the traceback)"
    errors = getattr(exc, "errors", None)
    if callable(errors) and exc.__class__.__name__ == "ValidationError":  # pydantic: one clause per field
        message = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'input'}: {e['msg']}" for e in errors())
    else:
        message = " ".join(str(exc).split()) or exc.__class__.__name__
    if isinstance(exc, NotFoundError | APIStatusError) and not message.startswith("GLPI"):
        message = f"GLPI answered {exc.status_code}: {message}"
    if isinstance(exc, httpx.TransportError):
        message = f"{exc.__class__.__name__}: {message}"
    fix = fix_for(exc) if with_fix else None
    return code, f"{message} (fix: {fix})" if fix else message
