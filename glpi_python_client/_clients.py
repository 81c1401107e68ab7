"""The two public clients."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._generated.client_methods import AsyncGlpiClientMethods, GlpiClientMethods

if TYPE_CHECKING:  # the typed twins of the light runtime bases (same behaviour; see _itemtypes)
    from ._generated.resource_api import AsyncItemtypesAPI, SyncItemtypesAPI
else:
    from ._itemtypes import AsyncItemtypes as AsyncItemtypesAPI
    from ._itemtypes import SyncItemtypes as SyncItemtypesAPI

__all__ = ["AsyncGlpiClient", "GlpiClient"]


class GlpiClient(GlpiClientMethods, SyncItemtypesAPI):
    """Blocking client of GLPI's v2 API (with the v1 fallbacks), for scripts, CLIs and cron jobs.

    Give ``glpi_api_url`` (``https://host/api.php/v2``) and at least one complete credential pair
    (``client_id``/``client_secret``, ``username``/``password``, or both). Use it as a context manager,
    or call :meth:`close`. ``client.api`` is the generated ``glpi_api_v2`` client on the same session.
    """


class AsyncGlpiClient(AsyncGlpiClientMethods, AsyncItemtypesAPI):
    """The asyncio client: the same methods as :class:`GlpiClient`, as coroutines (pages as async generators).

    It takes the same arguments, plus ``executor``, which opens and closes the files of uploads and downloads.
    """
