"""Typed resources for every GLPI itemtype collection, on both clients.

``client.assets.computers``, ``client.dropdowns.locations`` or ``client.resource("Computer")`` give a resource
offering the operations the OpenAPI document declares for that collection: ``get``, ``search`` (a
:class:`SearchPage` with the ``Content-Range`` total), ``iterate`` (every page), ``count`` (one request), and where
declared ``create``, ``update``, ``delete``. ``sub(name, parent_id)`` reaches a sub-collection under ``{id}/``.

Naming rule (mechanical, from the path): the area is the first path segment snake-cased, the accessor the last
segment snake-cased and pluralised (``/Assets/NetworkEquipment`` -> ``client.assets.network_equipments``,
``/Dropdowns/ITILCategory`` -> ``client.dropdowns.itil_categories``); an area's root collection takes the area's
name (``/Project/`` -> ``client.project.projects``).

The sync and async classes are twin shells: each method hands a plan (:mod:`._operations.items`) to its
client's runtime, so the logic is written once.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel

from ._constants import DEFAULT_PAGE_SIZE
from ._errors import InvalidArgumentError, UnknownResourceError
from ._operations import crud, items
from ._operations.crud import PathResource, SearchPage

if TYPE_CHECKING:
    from ._generated.resource_index import ResourceSpec, SubSpec
    from ._pages import Paginator
    from ._plan import Plan

__all__ = [
    "AsyncArea",
    "AsyncCreatable",
    "AsyncDeletable",
    "AsyncReadable",
    "AsyncUpdatable",
    "SearchPage",
    "SyncArea",
    "SyncCreatable",
    "SyncDeletable",
    "SyncReadable",
    "SyncUpdatable",
    "UnknownResourceError",
    "model_class",
    "resource_spec",
    "template",
]

G = TypeVar("G", bound=BaseModel)
W = TypeVar("W", bound=BaseModel)
Since = datetime | date | str | None
Body = Mapping[str, Any]


T = TypeVar("T")


class _SyncRunner(Protocol):
    """What a sync resource needs of its client: run a plan, walk pages."""

    @property
    def config(self) -> Any: ...
    def _run(self, plan: Plan[T]) -> T: ...
    def _pages(self, paginator: Paginator[T]) -> Iterator[list[T]]: ...


class _AsyncRunner(Protocol):
    @property
    def config(self) -> Any: ...
    async def _run(self, plan: Plan[T]) -> T: ...
    def _pages(self, paginator: Paginator[T]) -> AsyncIterator[list[T]]: ...


@functools.cache
def _names() -> dict[str, str]:
    from ._generated.resource_index import NAMES

    return {**NAMES, **{k.lstrip("/"): v for k, v in NAMES.items() if k.startswith("/")}}


@functools.cache
def _specs() -> dict[str, ResourceSpec]:
    from ._generated.resource_index import RESOURCES

    return {spec["itemtype"]: spec for spec in RESOURCES}


def resource_spec(name: str) -> ResourceSpec:
    """The index entry of an itemtype name (``Computer``, ``KnowbaseItem``) or path (``/Assets/Computer``)."""
    if not isinstance(name, str):
        raise InvalidArgumentError(f"a resource name is a str, got {type(name).__name__}")
    key = name.strip().rstrip("/")
    itemtype = _names().get(key) or _names().get(key.lstrip("/"))
    if itemtype is None:
        folded = {k.lower(): v for k, v in _names().items()}
        itemtype = folded.get(key.lower()) or folded.get(key.lstrip("/").lower())
    if itemtype is None:
        close = difflib.get_close_matches(key, [k for k in _names() if not k.startswith("/")], n=4, cutoff=0.6)
        close += [p for p in difflib.get_close_matches("/" + key.lstrip("/"), list(_names()), n=3) if p not in close]
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UnknownResourceError(f"no GLPI collection is named {name!r}{hint}")
    return _specs()[itemtype]


def model_class(schema: str) -> type[BaseModel]:
    from ._generated import itemtype_models

    cls: type[BaseModel] = getattr(itemtype_models, schema)
    return cls


def template(path: str) -> str:
    """``/Assets/Computer/{asset_id}/Note`` -> ``Assets/Computer/{}/Note`` (the form :class:`Resource` binds)."""
    import re

    return re.sub(r"\{[^}]+\}", "{}", path.lstrip("/"))


class _Shell(Generic[G, W]):
    """What both clients' resources hold: the client, the collection and its models."""

    operations: ClassVar[str] = "lg"

    def __init__(
        self,
        client: Any,
        res: PathResource[G],
        write: type[W],
        subs: tuple[SubSpec, ...] = (),
        classes: Mapping[str, type[_Shell[Any, Any]]] | None = None,
    ) -> None:
        self._client = client
        self._res = res
        self._write = write
        self._subs = {s["name"]: s for s in subs}
        self._classes = classes or {}

    @property
    def itemtype(self) -> str:
        """The itemtype (schema) name: ``Computer``."""
        return self._res.name

    @property
    def path(self) -> str:
        """The collection's path relative to the API root: ``Assets/Computer``, ``Assets/Computer/5/Note``."""
        return self._res.path.format(*self._res.parents)

    @property
    def model(self) -> type[G]:
        """The read model items are returned as."""
        return self._res.model

    @property
    def write_model(self) -> type[W]:
        """The write model dict bodies are checked against."""
        return self._write

    @property
    def subcollections(self) -> tuple[str, ...]:
        """The names :meth:`sub` accepts (``Note``, ``SoftwareInstallation``, ``Timeline/Followup``...)."""
        return tuple(self._subs)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._res.name} /{self.path}>"

    def _zone(self, given: tzinfo | None) -> tzinfo | None:
        """The server's time zone for ``modified_since``: the call's, else the client's ``server_timezone``."""
        if given is not None:
            return given
        zone: tzinfo | None = getattr(self._client.config, "server_timezone", None)
        return zone

    # the plans both clients' methods run (their signatures are the public ones, twice, for the type checker)

    def _search(
        self, flt: str | None, sort: str | None, limit: int, start: int, since: Since, zone: tzinfo | None
    ) -> Plan[SearchPage[G]]:
        return items.search(
            self._res, flt, sort=sort, limit=limit, start=start, modified_since=since, server_timezone=self._zone(zone)
        )

    def _paginator(
        self, flt: str | None, sort: str | None, page_size: int, since: Since, zone: tzinfo | None
    ) -> Paginator[G]:
        return items.paginate(
            self._res, flt, sort=sort, page_size=page_size, modified_since=since, server_timezone=self._zone(zone)
        )

    def _count(self, flt: str | None, since: Since, zone: tzinfo | None) -> Plan[int]:
        return items.count(self._res, flt, modified_since=since, server_timezone=self._zone(zone))

    def _sub_parts(self, name: str, parent_id: int) -> tuple[type[_Shell[Any, Any]], PathResource[Any], type[Any], str]:
        spec = self._subs.get(name)
        if spec is None:
            close = difflib.get_close_matches(name, list(self._subs), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            known = f" (it has {', '.join(self._subs)})" if self._subs and not close else ""
            raise UnknownResourceError(f"{self._res.name} has no sub-collection {name!r}{hint}{known}")
        res: PathResource[Any] = PathResource(
            spec["schema"], model_class(spec["schema"]), "", "", path=template(spec["path"])
        )
        cls = self._classes.get(spec["operations"], type(self))
        return cls, res.under(parent_id), model_class(spec["schema"] + "Write"), spec["name"]


# -- sync --------------------------------------------------------------------------------------------


class SyncReadable(_Shell[G, W]):
    """get, search, iterate and count on :class:`~glpi_python_client.GlpiClient`."""

    _client: _SyncRunner

    def get(self, item_id: int) -> G:
        """Fetch one item by id (trashed ones too); a missing id raises ``NotFoundError``."""
        return self._client._run(crud.get(self._res, item_id))

    def search(
        self,
        filter: str | None = None,
        *,
        sort: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        start: int = 0,
        modified_since: Since = None,
        server_timezone: tzinfo | None = None,
    ) -> SearchPage[G]:
        """One page of items matching an RSQL ``filter`` (``state==2`` is sent as ``state.id==2``).

        The page carries ``items``, ``total`` (from ``Content-Range``) and ``next_start``. ``sort`` is
        ``field[:asc|desc],...``. ``modified_since`` keeps items whose ``date_mod`` is at or after it: GLPI
        compares in its own local time, so an aware datetime is converted to ``server_timezone`` (this call's,
        else the client's ``server_timezone`` setting) and refused when neither is known; a naive one is taken
        as the server's wall-clock time.
        """
        return self._client._run(self._search(filter, sort, limit, start, modified_since, server_timezone))

    def iterate(
        self,
        filter: str | None = None,
        *,
        sort: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: Since = None,
        server_timezone: tzinfo | None = None,
    ) -> Iterator[G]:
        """Every matching item, fetching ``page_size`` at a time until ``Content-Range`` says the end is reached."""
        paginator = self._paginator(filter, sort, page_size, modified_since, server_timezone)
        for page in self._client._pages(paginator):
            yield from page

    def count(
        self, filter: str | None = None, *, modified_since: Since = None, server_timezone: tzinfo | None = None
    ) -> int:
        """How many items match, in one request (the ``Content-Range`` total of a one-row page)."""
        return self._client._run(self._count(filter, modified_since, server_timezone))

    def sub(self, name: str, parent_id: int) -> SyncReadable[Any, Any]:
        """The sub-collection ``name`` of item ``parent_id``: ``computers.sub("SoftwareInstallation", 5)``."""
        cls, res, write, _ = self._sub_parts(name, parent_id)
        shell: SyncReadable[Any, Any] = cls(self._client, res, write, classes=self._classes)  # type: ignore[assignment]
        return shell


class SyncCreatable(SyncReadable[G, W]):
    def create(self, data: W | Body) -> int:
        """Create an item and return its id; a dict is checked against the write model first. Never retried."""
        return self._client._run(items.create(self._res, self._write, data))


class SyncUpdatable(SyncReadable[G, W]):
    def update(self, item_id: int, data: W | Body) -> G:
        """Update the given fields (a dict is checked first) and return the updated item."""
        return self._client._run(items.update(self._res, self._write, item_id, data))


class SyncDeletable(SyncReadable[G, W]):
    def delete(self, item_id: int, *, force: bool = False) -> None:
        """Move an item to the trash, or purge it with ``force=True`` (itemtypes without a trash always purge)."""
        self._client._run(crud.delete(self._res, item_id, force=force))


# -- async -------------------------------------------------------------------------------------------


class AsyncReadable(_Shell[G, W]):
    """get, search, iterate and count on :class:`~glpi_python_client.AsyncGlpiClient` (see :class:`SyncReadable`)."""

    _client: _AsyncRunner

    async def get(self, item_id: int) -> G:
        """Fetch one item by id (trashed ones too); a missing id raises ``NotFoundError``."""
        return await self._client._run(crud.get(self._res, item_id))

    async def search(
        self,
        filter: str | None = None,
        *,
        sort: str | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
        start: int = 0,
        modified_since: Since = None,
        server_timezone: tzinfo | None = None,
    ) -> SearchPage[G]:
        """One page of matching items with the ``Content-Range`` total (see :meth:`SyncReadable.search`)."""
        return await self._client._run(self._search(filter, sort, limit, start, modified_since, server_timezone))

    async def iterate(
        self,
        filter: str | None = None,
        *,
        sort: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        modified_since: Since = None,
        server_timezone: tzinfo | None = None,
    ) -> AsyncIterator[G]:
        """Every matching item, page by page (an async generator)."""
        paginator = self._paginator(filter, sort, page_size, modified_since, server_timezone)
        async for page in self._client._pages(paginator):
            for item in page:
                yield item

    async def count(
        self, filter: str | None = None, *, modified_since: Since = None, server_timezone: tzinfo | None = None
    ) -> int:
        """How many items match, in one request."""
        return await self._client._run(self._count(filter, modified_since, server_timezone))

    def sub(self, name: str, parent_id: int) -> AsyncReadable[Any, Any]:
        """The sub-collection ``name`` of item ``parent_id``."""
        cls, res, write, _ = self._sub_parts(name, parent_id)
        shell: AsyncReadable[Any, Any] = cls(self._client, res, write, classes=self._classes)  # type: ignore[assignment]
        return shell


class AsyncCreatable(AsyncReadable[G, W]):
    async def create(self, data: W | Body) -> int:
        """Create an item and return its id; a dict is checked against the write model first. Never retried."""
        return await self._client._run(items.create(self._res, self._write, data))


class AsyncUpdatable(AsyncReadable[G, W]):
    async def update(self, item_id: int, data: W | Body) -> G:
        """Update the given fields (a dict is checked first) and return the updated item."""
        return await self._client._run(items.update(self._res, self._write, item_id, data))


class AsyncDeletable(AsyncReadable[G, W]):
    async def delete(self, item_id: int, *, force: bool = False) -> None:
        """Move an item to the trash, or purge it with ``force=True``."""
        await self._client._run(crud.delete(self._res, item_id, force=force))


# -- areas -------------------------------------------------------------------------------------------


class _Area:
    def __init__(self, client: Any) -> None:
        self._client = client

    def _resource(self, itemtype: str) -> Any:
        return self._client.resource(itemtype)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class SyncArea(_Area):
    """The collections of one area on :class:`~glpi_python_client.GlpiClient`."""


class AsyncArea(_Area):
    """The collections of one area on :class:`~glpi_python_client.AsyncGlpiClient`."""
