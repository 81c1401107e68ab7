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
    (``client_id``/``client_secret``, ``username``/``password``, or both), or build it with
    :meth:`from_env` from the ``GLPI_*`` variables. Use it as a context manager, or call :meth:`close`.

    Its methods, by area: tickets (``search_tickets``, ``get_ticket``, ``create_ticket``...), a ticket's
    timeline (followups, tasks, solutions, documents) and team, users, entities, locations, documents
    and their files, the ticket context and its Markdown transcript, reports, the Fields plugin, incidents,
    and every itemtype as a typed resource (``client.assets.computers``, ``client.resource("Computer")``).
    ``client.api`` is the generated ``glpi_api_v2`` client on the same session, for any other operation.

    Example:
        >>> with GlpiClient.from_env() as client:  # doctest: +SKIP
        ...     ticket_id = client.create_ticket(PostTicket(name="Printer offline", content="3rd floor"))
        ...     print(client.get_ticket_context(ticket_id).to_markdown())
    """


class AsyncGlpiClient(AsyncGlpiClientMethods, AsyncItemtypesAPI):
    """The asyncio client: the same methods as :class:`GlpiClient`, as coroutines (pages as async generators).

    It takes the same arguments, plus ``executor``, which opens and closes the files of uploads and downloads.
    The methods' examples are written for ``GlpiClient``: here, ``await`` each call, and iterate pages with
    ``async for``. Concurrent calls share one connection pool and one token.

    Example:
        >>> async with AsyncGlpiClient.from_env() as client:  # doctest: +SKIP
        ...     tickets, users = await asyncio.gather(client.search_tickets("status==1"), client.search_users())
    """
