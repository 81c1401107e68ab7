"""Search / get / count / create / update / delete, written once for every GLPI collection.

The ticket, user, location, entity and document methods, the peer-compatible entry points and the typed
resources of every itemtype (``client.assets.computers``) all run on these plans. A :class:`Resource` reaches
its routes through the generated layer's request builders; a :class:`PathResource` by its path alone (the
itemtype resources, built from the resource index, and routes the document does not declare).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from typing import Any, Generic, Self, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from .._arguments import check_flag, check_id, check_int, check_text
from .._errors import APIResponseValidationError, InvalidArgumentError
from .._logging import facts, pages_log, route
from .._pages import Page, Paginator
from .._plan import Plan
from ..rsql import date_window, map_object_properties
from ._common import (
    ContentRange,
    Payload,
    created_id,
    endpoint,
    json_body,
    next_start,
    parse_item,
    parse_page,
    send,
    validation_problems,
)

__all__ = [
    "PathResource",
    "Resource",
    "SearchPage",
    "count",
    "create",
    "delete",
    "get",
    "modified_window",
    "paginate",
    "search",
    "search_page",
    "search_result",
    "update",
    "write_body",
]

G = TypeVar("G", bound=BaseModel)
W = TypeVar("W", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Resource(Generic[G]):
    """A GLPI itemtype: its name in RSQL property maps, its read model, and its generated operations.

    A sub-collection (``/Knowledgebase/Article/{article_id}/Comment``) is a resource whose ``stem`` names
    the route and whose ``parents`` (set by :meth:`under`) fill the path parameters before the item id.
    """

    name: str
    model: type[G]
    tag: str
    stem: str
    #: The smallest valid id (0 for entities: the root entity).
    first_id: int = 1
    #: The generated operation's suffix for ``{id}`` routes.
    item_suffix: str = "_by_id"
    #: The public name of the id argument, when it is not ``<name>_id``.
    id_name: str = ""
    parents: tuple[int | str, ...] = ()

    @property
    def id_argument(self) -> str:
        """The public name of this resource's id argument: ``ticket_id``, ``user_id``..."""
        return self.id_name or f"{self.name.lower()}_id"

    def check_id(self, item_id: Any) -> int:
        return check_id(item_id, self.id_argument, minimum=self.first_id)

    def op(self, verb: str, *, item: bool) -> Any:
        """The generated module of ``VERB /Tag/Name`` or ``VERB /Tag/Name/{id}``."""
        module = endpoint(f"{self.tag}.{verb}_{self.stem}{self.item_suffix if item else ''}")
        return _Bound(module, self.parents) if self.parents else module

    def under(self, *parents: int | str) -> Self:
        """This sub-collection of the parent item(s) ``parents`` (the path parameters, in order)."""
        checked = tuple(p if isinstance(p, str) else check_id(p, f"{self.name} parent id") for p in parents)
        return replace(self, parents=checked)


class _Bound:
    """A generated operation with its leading path parameters given."""

    __slots__ = ("module", "parents")

    def __init__(self, module: Any, parents: tuple[int | str, ...]) -> None:
        self.module, self.parents = module, parents

    def request_kwargs(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.module.request_kwargs(*self.parents, *args, **kwargs)
        return result


@dataclass(frozen=True, slots=True)
class PathResource(Resource[G]):
    """A collection addressed by its path relative to the API root (``{}`` marks a parent id, see ``under``)."""

    path: str = ""

    def op(self, verb: str, *, item: bool) -> Any:
        return _PathOperation(verb, self.path.format(*self.parents), item=item)


class _PathOperation:
    """Builds a request like a generated ``request_kwargs`` does, from a path."""

    __slots__ = ("item", "path", "verb")

    def __init__(self, verb: str, path: str, *, item: bool) -> None:
        self.verb, self.path, self.item = verb, path, item

    def request_kwargs(self, *ids: Any, body: Any = None, filter_: Any = None, **query: Any) -> dict[str, Any]:
        from glpi_api_v2.types import UNSET

        if len(ids) != (1 if self.item else 0):
            raise InvalidArgumentError(f"{self.verb} /{self.path} takes {1 if self.item else 0} id, got {len(ids)}")
        url = "/" + (self.path.rstrip("/") if ids else self.path) + "".join(f"/{i}" for i in ids)
        params = {"filter": filter_, **query}
        kwargs: dict[str, Any] = {"method": self.verb, "url": url}
        kept = {k: v for k, v in params.items() if v is not None and v is not UNSET}
        if kept:
            kwargs["params"] = kept
        if body is not None and body is not UNSET:
            kwargs["json"] = body.to_dict()
            kwargs["headers"] = {"Content-Type": "application/json"}
        return kwargs


@dataclass(frozen=True, slots=True)
class SearchPage(Generic[G]):
    """One page of a search: its items, where it started, and the total GLPI reported (``Content-Range``).

    ``total`` is None when the server sent no range. ``next_start`` is where the next page starts (None: last page).
    Iterating a page iterates its items.
    """

    items: list[G]
    start: int
    total: int | None
    next_start: int | None

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def _unset(value: Any) -> Any:
    from glpi_api_v2.types import UNSET

    return UNSET if value is None else value


def write_body(model: BaseModel | Mapping[str, Any], cls: type[W]) -> dict[str, Any]:
    """The JSON body of a write: a model's set fields (plus its extra_payload), or a mapping validated as ``cls``."""
    if not isinstance(model, BaseModel):
        if not isinstance(model, Mapping):
            raise InvalidArgumentError(f"expected a {cls.__name__} or a mapping, got {type(model).__name__}")
        try:
            model = cls.model_validate(dict(model))
        except ValidationError as exc:
            raise InvalidArgumentError(f"invalid {cls.__name__}: {validation_problems(exc)}") from None
    to_payload = getattr(model, "to_payload", None)
    body = dict(to_payload()) if to_payload is not None else model.model_dump(mode="json", exclude_unset=True)
    if not body:
        # GLPI validates almost nothing: an empty create makes an empty record (ticket_create_empty_body).
        raise InvalidArgumentError(f"{type(model).__name__} has no field set: there is nothing to send")
    return body


#: Extra query parameters of a request (``language``, ``fields``...); None values are left out.
Params = Mapping[str, Any] | None


def _with_params(kwargs: dict[str, Any], params: Params) -> dict[str, Any]:
    extra = {k: v for k, v in (params or {}).items() if v is not None}
    if extra:
        kwargs = {**kwargs, "params": {**(kwargs.get("params") or {}), **extra}}
    return kwargs


def _search_kwargs(
    res: Resource[Any], rsql_filter: str | None, start: int | None, limit: int | None, sort: str | None, params: Params
) -> dict[str, Any]:
    check_text(rsql_filter, "rsql_filter")
    check_text(sort, "sort")
    if start is not None:
        start = check_int(start, "start", minimum=0)
    if limit is not None:
        limit = check_int(limit, "limit", minimum=1)
    rsql = map_object_properties(rsql_filter, res.name) if rsql_filter else None
    kwargs: dict[str, Any] = res.op("get", item=False).request_kwargs(
        filter_=_unset(rsql), start=_unset(start), limit=_unset(limit), sort=_unset(sort)
    )
    return _with_params(kwargs, params)


def search(
    res: Resource[G],
    rsql_filter: str | None,
    *,
    limit: int | None,
    start: int | None,
    sort: str | None,
    params: Params = None,
    unscoped: bool = False,
) -> Plan[list[G]]:
    """One page of matching items; ``unscoped`` searches without the client's entity/profile headers."""
    kwargs = _search_kwargs(res, rsql_filter, start, limit, sort, params)
    response: httpx.Response = yield send(kwargs, unscoped=unscoped)
    return parse_page(res.model, response)


def search_result(
    res: Resource[G],
    rsql_filter: str | None,
    *,
    start: int,
    limit: int,
    sort: str | None,
    params: Params = None,
    unscoped: bool = False,
) -> Plan[SearchPage[G]]:
    """One page with the total from ``Content-Range``."""
    kwargs = _search_kwargs(res, rsql_filter, start, limit, sort, params)
    response: httpx.Response = yield send(kwargs, unscoped=unscoped)
    items = parse_page(res.model, response)
    rng = ContentRange.parse(response.headers.get("Content-Range"))
    following = next_start(response, start, len(items), limit)
    if pages_log.isEnabledFor(logging.DEBUG):  # a disabled logger costs this check, not the arguments
        pages_log.debug(
            "page fetched: GET %s start %d, %d items, %s",
            route(response.request.url),
            start,
            len(items),
            "last page" if following is None else f"next at {following}",
            extra=facts(response.request, status=response.status_code),
        )
    return SearchPage(items, start, rng.total if rng is not None else None, following)


def search_page(
    res: Resource[G],
    rsql_filter: str | None,
    *,
    start: int,
    limit: int,
    sort: str | None,
    params: Params = None,
    unscoped: bool = False,
) -> Plan[Page[G]]:
    page = yield from search_result(
        res, rsql_filter, start=start, limit=limit, sort=sort, params=params, unscoped=unscoped
    )
    return Page(page.items, page.next_start, total=page.total, limit=limit)


def paginate(
    res: Resource[G],
    rsql_filter: str | None,
    *,
    batch_size: int,
    sort: str | None,
    params: Params = None,
    unscoped: bool = False,
) -> Paginator[G]:
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    check_text(rsql_filter, "rsql_filter")
    check_text(sort, "sort")
    return Paginator(
        lambda start: search_page(
            res, rsql_filter, start=start, limit=batch_size, sort=sort, params=params, unscoped=unscoped
        )
    )


def count(res: Resource[Any], rsql_filter: str | None) -> Plan[int]:
    """How many items match, in one request: a one-row page and the total of its ``Content-Range``."""
    response: httpx.Response = yield send(_search_kwargs(res, rsql_filter, 0, 1, None, None))
    rng = ContentRange.parse(response.headers.get("Content-Range"))
    if rng is not None and rng.total is not None:
        return rng.total
    data = json_body(response)
    if isinstance(data, list | dict) and not data:
        return 0
    raise APIResponseValidationError(
        f"GLPI sent no Content-Range total for {res.name}: cannot count in one request", response=response
    )


def modified_window(
    rsql_filter: str | None, modified_since: datetime | date | str | None, *, server_timezone: tzinfo | None = None
) -> str | None:
    """``rsql_filter`` AND ``date_mod=ge=<modified_since>``, in the server's wall-clock time.

    GLPI ignores a timestamp's offset and reads its naive part as server-local time, so an aware datetime is
    converted to ``server_timezone`` first (and refused without one: sending its own wall-clock time would shift
    the window by the offset). A naive datetime is taken as server-local already; a date means its midnight.
    The bound is inclusive and kept to the second, so a poller that passes its last check time sees every change.
    """
    if modified_since is None:
        return rsql_filter
    check_text(rsql_filter, "rsql_filter")
    if isinstance(modified_since, datetime) and modified_since.tzinfo is not None:
        if server_timezone is None:
            raise InvalidArgumentError(
                "modified_since is timezone-aware but GLPI compares dates in its own local time: pass"
                " server_timezone= (e.g. zoneinfo.ZoneInfo('Europe/Paris')) or a naive server-local datetime"
            )
        modified_since = modified_since.astimezone(server_timezone).replace(tzinfo=None)
    window = date_window("date_mod", modified_since)
    return f"({rsql_filter});{window}" if rsql_filter else window


def get(res: Resource[G], item_id: int, *, params: Params = None) -> Plan[G]:
    item_id = res.check_id(item_id)
    response: httpx.Response = yield send(_with_params(res.op("get", item=True).request_kwargs(item_id), params))
    return parse_item(res.model, response)


def create(res: Resource[Any], body: dict[str, Any]) -> Plan[int]:
    kwargs = res.op("post", item=False).request_kwargs(body=Payload(body))
    response: httpx.Response = yield send(kwargs)
    return created_id(response)


def update(res: Resource[G], item_id: int, body: dict[str, Any]) -> Plan[G]:
    item_id = res.check_id(item_id)
    kwargs = res.op("patch", item=True).request_kwargs(item_id, body=Payload(body))
    response: httpx.Response = yield send(kwargs)
    return parse_item(res.model, response)


def delete(res: Resource[Any], item_id: int, *, force: bool) -> Plan[None]:
    item_id = res.check_id(item_id)
    check_flag(force, "force")
    kwargs = res.op("delete", item=True).request_kwargs(item_id, force=True if force else _unset(None))
    yield send(kwargs)
