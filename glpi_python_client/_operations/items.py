"""The plans behind the typed resources of every itemtype (``client.assets.computers.get(1)``...).

Each wraps a :mod:`.crud` plan with what the generic resources add: write validation against the schema's
write model (before anything is sent), the ``modified_since`` window and ``count``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .._errors import InvalidArgumentError, WriteValidationError
from .._pages import Paginator
from .._plan import Plan
from . import crud
from .crud import Resource, SearchPage

__all__ = ["WriteValidationError", "count", "create", "paginate", "search", "update", "validated_body"]

G = TypeVar("G", bound=BaseModel)
Since = datetime | date | str | None


def validated_body(itemtype: str, data: BaseModel | Mapping[str, Any], write: type[BaseModel]) -> dict[str, Any]:
    """The JSON body of a write, ``data`` checked against ``write`` (a mapping) or taken from a model as it is."""
    if isinstance(data, BaseModel) and not isinstance(data, write):
        # another model (a read model, say): its set fields must fit the write schema like a dict's
        data = data.model_dump(mode="json", exclude_unset=True, exclude={"extra_payload"}, by_alias=True)
    if isinstance(data, Mapping):
        try:
            model: BaseModel = write.model_validate(dict(data))
        except ValidationError as exc:
            errors = [(".".join(str(p) for p in err["loc"]) or "(body)", _message(err)) for err in exc.errors()]
            raise WriteValidationError(itemtype, errors) from None
    elif isinstance(data, BaseModel):
        model = data
    else:
        raise InvalidArgumentError(f"a {itemtype} body is a {write.__name__} or a mapping, got {type(data).__name__}")
    return crud.write_body(model, write)


def _message(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "not a writable property of this itemtype"
    return str(err["msg"])


def search(
    res: Resource[G],
    rsql_filter: str | None,
    *,
    sort: str | None,
    limit: int,
    start: int,
    modified_since: Since,
    server_timezone: tzinfo | None,
) -> Plan[SearchPage[G]]:
    flt = crud.modified_window(rsql_filter, modified_since, server_timezone=server_timezone)
    return crud.search_result(res, flt, start=start, limit=limit, sort=sort)


def paginate(
    res: Resource[G],
    rsql_filter: str | None,
    *,
    sort: str | None,
    page_size: int,
    modified_since: Since,
    server_timezone: tzinfo | None,
) -> Paginator[G]:
    flt = crud.modified_window(rsql_filter, modified_since, server_timezone=server_timezone)
    return crud.paginate(res, flt, batch_size=page_size, sort=sort)


def count(
    res: Resource[Any], rsql_filter: str | None, *, modified_since: Since, server_timezone: tzinfo | None
) -> Plan[int]:
    return crud.count(res, crud.modified_window(rsql_filter, modified_since, server_timezone=server_timezone))


def create(res: Resource[Any], write: type[BaseModel], data: BaseModel | Mapping[str, Any]) -> Plan[int]:
    return crud.create(res, validated_body(res.name, data, write))


def update(res: Resource[G], write: type[BaseModel], item_id: int, data: BaseModel | Mapping[str, Any]) -> Plan[G]:
    return crud.update(res, item_id, validated_body(res.name, data, write))
