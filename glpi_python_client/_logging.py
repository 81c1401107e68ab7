"""The library's loggers: what the client does on the user's behalf, never a secret.

Everything is logged under the ``glpi_python_client`` logger (it has a ``NullHandler``; configure
``logging`` to see the records)::

    glpi_python_client
    ├── .http    each response (DEBUG), each retry (INFO) and each failure not retried (DEBUG)
    ├── .auth    token grants and refreshes, a rejected refresh token, re-authentication on a rejected token (INFO)
    ├── .v1      the legacy v1 session: opened, renewed after ERROR_SESSION_TOKEN_INVALID (INFO), closed (DEBUG)
    ├── .pages   each search page fetched: start, count, where the next page starts (DEBUG)
    ├── .names   each user or document name a ticket context fetches because the name cache lacks it (DEBUG)
    └── .incidents  open_incident/resolve_incident: created, adopted after an uncertain create, reopened,
                 solved (INFO); a repeat suppressed (DEBUG); an item GLPI refused to link (WARNING)

A record says the method, the route (the URL's path: never its query string, its host's credentials or a
header), and where it applies the status, the attempt and the delay before a retry. The same facts are on the
record as attributes for filters and structured handlers: ``glpi_method``, ``glpi_route``, ``glpi_status``,
``glpi_attempt``, ``glpi_delay``. Tokens, passwords, client secrets and v1 session tokens are never logged.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

__all__ = ["auth_log", "facts", "http_log", "incidents_log", "names_log", "pages_log", "route", "v1_log"]

root_log = logging.getLogger("glpi_python_client")
root_log.addHandler(logging.NullHandler())
http_log = logging.getLogger("glpi_python_client.http")
auth_log = logging.getLogger("glpi_python_client.auth")
v1_log = logging.getLogger("glpi_python_client.v1")
pages_log = logging.getLogger("glpi_python_client.pages")
names_log = logging.getLogger("glpi_python_client.names")
incidents_log = logging.getLogger("glpi_python_client.incidents")


def route(url: httpx.URL | str) -> str:
    """The path of ``url``: what a log line may show of a request's address."""
    return httpx.URL(url).path if isinstance(url, str) else url.path


def facts(
    request: httpx.Request,
    *,
    status: int | None = None,
    attempt: int | None = None,
    delay: float | None = None,
) -> dict[str, Any]:
    """The ``extra=`` attributes of a record about ``request``."""
    return {
        "glpi_method": request.method,
        "glpi_route": route(request.url),
        "glpi_status": status,
        "glpi_attempt": attempt,
        "glpi_delay": delay,
    }
