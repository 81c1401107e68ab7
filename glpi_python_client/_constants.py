"""Default settings, named once."""

from __future__ import annotations

import httpx

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_LANGUAGE",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_QUIET_WINDOW",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TOKEN_REFRESH_MARGIN",
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_DELAY",
    "NAME_CACHE_SIZE",
    "NAME_CACHE_TTL",
    "RETRY_STATUSES",
]

DEFAULT_LANGUAGE = "en_GB"
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DEFAULT_MAX_RETRIES = 3
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
RETRY_STATUSES = frozenset({429, 502, 503, 504})
DEFAULT_TOKEN_REFRESH_MARGIN = 60.0
DEFAULT_PAGE_SIZE = 100
DEFAULT_CONCURRENCY = 8
#: Seconds a user or document name fetched for a ticket context stays in the client's name cache.
NAME_CACHE_TTL = 300.0
#: The most names the client's name cache holds (least recently used dropped first).
NAME_CACHE_SIZE = 4096
#: The most connections a client opens to GLPI at once (httpx's own default pool bound); see _connections.py.
DEFAULT_MAX_CONNECTIONS = 100
#: Repeats of an alert add at most one followup per this many seconds (10 minutes): see ``open_incident``.
DEFAULT_QUIET_WINDOW = 600.0
