"""What operations read: the settings and one client's caches (:class:`Context`).

It lives apart from the clients so that operations can name it without importing the client
machinery (and the client machinery can run operations without an import cycle).
"""

from __future__ import annotations

import threading
from typing import Any

from ._config import ClientConfig
from ._names import NameCache

__all__ = ["Context"]


class Context:
    """What operations read: the settings and this client's caches. Never holds I/O objects."""

    def __init__(self, config: ClientConfig, *, concurrency: int) -> None:
        self.config = config
        self.concurrency = concurrency
        self.v1_session_token: str | None = None
        self.names = NameCache(ttl=config.name_cache_ttl)  # user and document names, bounded, expiring (_names.py)
        self.incidents: dict[str, Any] = {}  # incident key -> what open_incident remembers (quiet window, count)
        self.lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Context(api={self.config.glpi_api_url!r}, v1_session={'open' if self.v1_session_token else 'none'})"
