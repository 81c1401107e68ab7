"""Custom fields of the Fields plugin (pluginsGLPI/fields), through the legacy v1 API.

The plugin is only reachable with v1: containers are ``PluginFieldsContainer``, their fields
``PluginFieldsField``, and the values of one container for one item are a row of the itemtype
``PluginFields<Itemtype><containername>`` (e.g. ``PluginFieldsTicketaidelarsolution``). v1's
``searchText`` is a substring match, so every id filter is anchored (``^96$``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._arguments import check_id
from .._errors import InvalidArgumentError, PluginFieldsError, V1Error
from .._models.plugin_fields import GetPluginFieldsValueRow, GlpiPluginFieldsContainer, GlpiPluginFieldsField
from .._plan import Gather, Plan
from .v1 import v1_created_id, v1_error, v1_list, v1_request

if TYPE_CHECKING:
    from .._state import Context

__all__ = [
    "create_item_plugin_field_row",
    "get_ticket_custom_fields",
    "list_item_plugin_field_rows",
    "list_plugin_fields_containers",
    "list_plugin_fields_fields",
    "set_ticket_custom_fields",
    "update_item_plugin_field_row",
    "values_itemtype",
]

CONTAINER = "PluginFieldsContainer"
FIELD = "PluginFieldsField"
#: Keys of a values row that are not custom fields.
ROW_KEYS = frozenset({"id", "items_id", "itemtype", "plugin_fields_containers_id", "entities_id", "links"})
_MISSING_CODES = frozenset(
    {"ERROR_ITEM_NOT_FOUND", "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "ERROR_RESOURCE_MISSING"}
)


def values_itemtype(itemtype: str, container_name: str) -> str:
    """The itemtype holding a container's values, as the plugin names it.

    ``"PluginFields" + ucfirst(strtolower(itemtype + container_name without a trailing "s"))``:
    ``("Ticket", "aidelarsolution")`` → ``"PluginFieldsTicketaidelarsolution"``.
    """
    system = (itemtype.replace("\\", "") + container_name.removesuffix("s")).lower()
    return "PluginFields" + system[:1].upper() + system[1:]


def _is_missing(exc: V1Error) -> bool:
    return exc.status_code == 404 or (exc.status_code == 400 and exc.error_code in _MISSING_CODES)


def _plugin_list(ctx: Context, path: str, params: dict[str, Any] | None = None) -> Plan[list[dict[str, Any]]]:
    """A v1 list of a plugin itemtype; an unknown itemtype means the plugin is not there."""
    try:
        rows = yield from v1_list(ctx, path, params)
    except V1Error as exc:
        if _is_missing(exc):
            raise PluginFieldsError(
                f"the Fields plugin is not installed or not enabled on this GLPI (v1 answered {exc.status_code}"
                f" {exc.error_code or ''} for {path.split('?')[0]})".replace(" )", ")")
            ) from exc
        raise
    return rows


def list_plugin_fields_containers(ctx: Context, itemtype: str | None = None) -> Plan[list[GlpiPluginFieldsContainer]]:
    """The Fields plugin's containers (blocks of custom fields), optionally only those of one itemtype.

    It uses GLPI's legacy v1 API (``v1_base_url`` and ``v1_user_token``).

    Args:
        itemtype: Only the containers attached to this itemtype (e.g. ``"Ticket"``); None lists them all.

    Returns:
        The containers, as ``GlpiPluginFieldsContainer``.

    Raises:
        PluginFieldsError: The Fields plugin is not installed, or a name is unknown (the error lists the
            known ones).
        ConfigurationError: The v1 settings are missing.
    """
    rows = yield from _plugin_list(ctx, CONTAINER)
    containers = [GlpiPluginFieldsContainer.model_validate(row) for row in rows]
    if itemtype is not None:
        containers = [c for c in containers if itemtype in c.itemtypes]
    return containers


def list_plugin_fields_fields(ctx: Context, container_id: int | None = None) -> Plan[list[GlpiPluginFieldsField]]:
    """The fields of every Fields plugin container, or of one container.

    It uses GLPI's legacy v1 API (``v1_base_url`` and ``v1_user_token``).

    Args:
        container_id: Only the fields of this container; None lists every field.

    Returns:
        The fields, as ``GlpiPluginFieldsField``.

    Raises:
        PluginFieldsError: The Fields plugin is not installed, or a name is unknown (the error lists the
            known ones).
        ConfigurationError: The v1 settings are missing.
    """
    params = None if container_id is None else {"searchText[plugin_fields_containers_id]": f"^{container_id}$"}
    rows = yield from _plugin_list(ctx, FIELD, params)
    fields = [GlpiPluginFieldsField.model_validate(row) for row in rows]
    if container_id is not None:
        fields = [f for f in fields if f.plugin_fields_containers_id in (None, container_id)]
    return fields


def _rows(ctx: Context, itemtype: str, container_name: str, items_id: int) -> Plan[list[dict[str, Any]]]:
    params = {"searchText[items_id]": f"^{items_id}$", "searchText[itemtype]": itemtype}
    rows = yield from _plugin_list(ctx, values_itemtype(itemtype, container_name), params)
    return [r for r in rows if str(r.get("items_id")) == str(items_id) and r.get("itemtype") in (None, itemtype)]


def list_item_plugin_field_rows(
    ctx: Context, itemtype: str, items_id: int | str, container_name: str | int
) -> Plan[list[GetPluginFieldsValueRow]]:
    """The values rows of a container for one item (at most one row).

    It uses GLPI's legacy v1 API (``v1_base_url`` and ``v1_user_token``). A row reads like the raw v1
    row ``{id, items_id, itemtype, plugin_fields_containers_id, entities_id, <field name>: value, ...}``
    (``row["serialfield"]``, ``dict(row)``) and as a model (``row.id``, the field columns in
    ``row.extra_payload``). The order ``(itemtype, container_name, items_id)`` is accepted too: an int id
    and a str name are told apart by their type.

    Args:
        itemtype: The item's itemtype, e.g. ``"Ticket"``.
        items_id: The item's id.
        container_name: The container's name (or its id).

    Returns:
        The rows (an empty list when the item has no values yet).

    Raises:
        PluginFieldsError: The Fields plugin is not installed, or a name is unknown (the error lists the
            known ones).
        ConfigurationError: The v1 settings are missing.
    """
    if isinstance(items_id, str) and isinstance(container_name, int):
        items_id, container_name = container_name, items_id
    if not isinstance(items_id, int) or not isinstance(container_name, str):
        raise InvalidArgumentError(
            f"list_item_plugin_field_rows takes an int items_id and a str container_name,"
            f" got {type(items_id).__name__} and {type(container_name).__name__}"
        )
    items_id = check_id(items_id, "items_id")
    rows = yield from _rows(ctx, itemtype, container_name, items_id)
    return [GetPluginFieldsValueRow.model_validate(row) for row in rows]


def _container_named(ctx: Context, itemtype: str, container_name: str) -> Plan[GlpiPluginFieldsContainer]:
    containers = yield from list_plugin_fields_containers(ctx, itemtype)
    for container in containers:
        if container.name == container_name:
            return container
    raise _unknown("container", container_name, [c.name for c in containers], f"for {itemtype}")


def _unknown(kind: str, name: str, known: list[str | None], where: str) -> PluginFieldsError:
    names = ", ".join(sorted(repr(n) for n in known if n)) or "none"
    return PluginFieldsError(f"unknown Fields plugin {kind} {name!r} {where}; known {kind}s: {names}")


def _post_row(
    ctx: Context,
    itemtype: str,
    container_name: str,
    items_id: int,
    container_id: int,
    values: Mapping[str, Any],
    entities_id: int | None = None,
) -> Plan[int]:
    scope = {} if entities_id is None else {"entities_id": entities_id}
    body = {
        "input": {
            "items_id": items_id,
            "itemtype": itemtype,
            "plugin_fields_containers_id": container_id,
            **values,
            **scope,
        }
    }
    response = yield from v1_request(ctx, "POST", values_itemtype(itemtype, container_name), json=body)
    return v1_created_id(response)


def create_item_plugin_field_row(
    ctx: Context,
    itemtype: str,
    container_name: str,
    items_id: int,
    values: Mapping[str, Any],
    *,
    container_id: int | None = None,
    entities_id: int | None = None,
) -> Plan[int]:
    """Create the values row of a container for one item and return the row id.

    It uses GLPI's legacy v1 API (``v1_base_url`` and ``v1_user_token``).

    Args:
        itemtype: The item's itemtype, e.g. ``"Ticket"``.
        container_name: The container's name.
        items_id: The item's id.
        values: Field names to values, sent as they are.
        container_id: The container's id, which skips looking it up by name.
        entities_id: The entity of the row; default: the server's choice (the active entity).

    Returns:
        The new row's id.

    Raises:
        PluginFieldsError: The Fields plugin is not installed, or a name is unknown (the error lists the
            known ones).
        ConfigurationError: The v1 settings are missing.
    """
    if entities_id is not None:
        entities_id = check_id(entities_id, "entities_id", minimum=0)
    if container_id is None:
        container = yield from _container_named(ctx, itemtype, container_name)
        assert container.id is not None
        container_id = container.id
    row_id = yield from _post_row(ctx, itemtype, container_name, items_id, container_id, values, entities_id)
    return row_id


def update_item_plugin_field_row(
    ctx: Context, itemtype: str, container_name: str, row_id: int, values: Mapping[str, Any]
) -> Plan[None]:
    """Update the given fields of an existing values row.

    It uses GLPI's legacy v1 API (``v1_base_url`` and ``v1_user_token``):
    ``PUT .../PluginFields<Itemtype><container>/{row_id}``.

    Args:
        itemtype: The item's itemtype, e.g. ``"Ticket"``.
        container_name: The container's name.
        row_id: The values row's id (see ``list_item_plugin_field_rows``).
        values: Field names to their new values.

    Raises:
        PluginFieldsError: The Fields plugin is not installed, or a name is unknown (the error lists the
            known ones).
        ConfigurationError: The v1 settings are missing.
    """
    response = yield from v1_request(
        ctx, "PUT", f"{values_itemtype(itemtype, container_name)}/{row_id}", json={"input": dict(values)}
    )
    try:
        answer = response.json()
    except ValueError:
        return
    results = answer if isinstance(answer, list) else [answer]
    for result in results:
        if isinstance(result, dict) and result.get(str(row_id)) is False:
            target = f"{values_itemtype(itemtype, container_name)}/{row_id}"
            raise v1_error(response, f"GLPI v1 did not update {target}: {result.get('message') or 'no reason given'}")


def get_ticket_custom_fields(ctx: Context, ticket_id: int) -> Plan[dict[str, dict[str, Any]]]:
    """A ticket's custom field values, for every container attached to tickets.

    It uses GLPI's legacy v1 API (``v1_base_url`` and ``v1_user_token``).

    Args:
        ticket_id: The ticket's id.

    Returns:
        ``{container_name: {field_name: value}}``; a container without values for this ticket maps to ``{}``.

    Raises:
        PluginFieldsError: The Fields plugin is not installed, or a name is unknown (the error lists the
            known ones).
        ConfigurationError: The v1 settings are missing.
    """
    ticket_id = check_id(ticket_id, "ticket_id")
    containers = yield from list_plugin_fields_containers(ctx, "Ticket")
    named = [c for c in containers if c.name]
    all_rows: list[list[dict[str, Any]]] = yield Gather(
        [_rows(ctx, "Ticket", str(c.name), ticket_id) for c in named], limit=ctx.concurrency
    )
    result: dict[str, dict[str, Any]] = {}
    for container, rows in zip(named, all_rows, strict=True):
        row = rows[0] if rows else {}
        result[str(container.name)] = {k: v for k, v in row.items() if k not in ROW_KEYS}
    return result


def set_ticket_custom_fields(ctx: Context, ticket_id: int, values: Mapping[str, Mapping[str, Any]]) -> Plan[None]:
    """Set custom field values of a ticket.

    It uses GLPI's legacy v1 API (``v1_base_url`` and ``v1_user_token``). Every container and field
    name is checked first, before anything is written; then, per container, the ticket's values row is
    created, or updated in place when it exists.

    Args:
        ticket_id: The ticket's id.
        values: ``{container_name: {field_name: value}}``.

    Raises:
        PluginFieldsError: The Fields plugin is not installed, or a name is unknown (the error lists the
            known ones).
        ConfigurationError: The v1 settings are missing.
    """
    ticket_id = check_id(ticket_id, "ticket_id")
    containers = yield from list_plugin_fields_containers(ctx, "Ticket")
    by_name = {c.name: c for c in containers if c.name}
    for container_name in values:
        if container_name not in by_name:
            raise _unknown("container", container_name, list(by_name), "for Ticket")
    chosen = [by_name[name] for name in values]
    field_lists: list[list[GlpiPluginFieldsField]] = yield Gather(
        [list_plugin_fields_fields(ctx, c.id) for c in chosen], limit=ctx.concurrency
    )
    for container, fields in zip(chosen, field_lists, strict=True):
        known = [f.name for f in fields]
        for field_name in values[str(container.name)]:
            if field_name not in known:
                raise _unknown("field", field_name, known, f"in container {container.name!r}")
    for container in chosen:
        wanted = values[str(container.name)]
        if not wanted:
            continue
        name = str(container.name)
        rows = yield from _rows(ctx, "Ticket", name, ticket_id)
        if rows:
            yield from update_item_plugin_field_row(ctx, "Ticket", name, int(rows[0]["id"]), wanted)
        else:
            assert container.id is not None
            yield from _post_row(ctx, "Ticket", name, ticket_id, container.id, wanted)
