"""``glpi ITEMTYPE list|get|count``: every collection of the resource index, through ``client.resource(name)``.

The root group resolves a command it does not know against the index (``Computer``, ``computer``,
``KnowbaseItem``, ``/Assets/Monitor``...), so the ~100 itemtypes need no hand-kept list and cost nothing until
one is used; ``glpi itemtypes`` lists them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from ._output import Column, Format, emit, record, to_json
from ._session import CliState, UsageError

__all__ = ["app", "command", "itemtypes"]

app = typer.Typer(no_args_is_help=True, add_completion=False)

Filter = Annotated[str | None, typer.Option("--filter", "-f", help="RSQL, e.g. 'location.id=isnull=true'.")]
#: Properties shown by default, when the itemtype has them (``--field`` picks others).
DEFAULT_FIELDS = ("id", "name", "completename", "username", "serial", "status", "state", "entity", "location",
                  "date_mod")  # fmt: skip


def _spec(ctx: typer.Context) -> Mapping[str, Any]:
    from .._resources import resource_spec

    assert ctx.parent is not None and ctx.parent.info_name is not None
    return resource_spec(ctx.parent.info_name)


def _value(item: Mapping[str, Any], path: str) -> Any:
    value: Any = item
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _columns(spec: Mapping[str, Any], fields: list[str] | None) -> list[Column]:
    from .._generated.resource_index import FIELDS

    known = FIELDS.get(spec["read_schema"], {})
    chosen = fields or [f for f in DEFAULT_FIELDS if f in known][:6] or ["id"]
    return [Column(name, functools.partial(_value, path=name)) for name in chosen]


@app.command("list")
def list_items(
    ctx: typer.Context,
    rsql_filter: Filter = None,
    sort: Annotated[str | None, typer.Option(help="field[:asc|desc],...")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many items.")] = 30,
    all_pages: Annotated[bool, typer.Option("--all", help="Every matching item (no limit).")] = False,
    fields: Annotated[
        list[str] | None, typer.Option("--field", "-F", help="Column for table/csv (repeatable; a.b for nested).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="table, json, jsonl or csv.")] = Format.table,
) -> None:
    """List items of this itemtype.

    Examples:

      glpi Computer list -f 'location.id=isnull=true' --all --format csv

      glpi Monitor list -F id -F name -F serial --sort name
    """
    state: CliState = ctx.obj
    spec = _spec(ctx)
    with state.client() as client:
        resource = client.resource(spec["itemtype"])
        if all_pages:
            items, total = list(resource.iterate(rsql_filter, sort=sort)), None
        else:
            page = resource.search(rsql_filter, sort=sort, limit=limit)
            items, total = page.items, page.total
    rows = [record(item) for item in items]
    emit(rows, _columns(spec, fields), fmt, console=state.out())
    if fmt is Format.table and total is not None and total > len(rows):
        state.err().print(f"{len(rows)} of {total} shown: --all for every one, or -n N", highlight=False)


@app.command("get")
def get_item(
    ctx: typer.Context,
    item_id: Annotated[int, typer.Argument(help="The item id.", show_default=False)],
    fmt: Annotated[Format, typer.Option("--format", help="table (property, value) or json.")] = Format.table,
) -> None:
    """Show one item (every property GLPI returns).

    Examples:

      glpi Computer get 12

      glpi KnowbaseItem get 3 --format json | jq .answer
    """
    state: CliState = ctx.obj
    spec = _spec(ctx)
    with state.client() as client:
        item = record(client.resource(spec["itemtype"]).get(item_id))
    if fmt is Format.table:
        pairs = [{"property": key, "value": value} for key, value in item.items()]
        emit(pairs, [Column("Property", lambda r: r["property"]), Column("Value", lambda r: r["value"])], fmt,
             console=state.out(), title=f"{spec['itemtype']} {item_id}")  # fmt: skip
    elif fmt in (Format.json, Format.jsonl):
        state.echo((to_json(item) if fmt is Format.json else to_json(item).replace("\n", "")) + "\n")
    else:
        raise UsageError("get prints a table or json")


@app.command("count")
def count_items(ctx: typer.Context, rsql_filter: Filter = None) -> None:
    """Count the items matching a filter, in one request.

    Examples:

      glpi Computer count -f 'location.id=isnull=true'
    """
    state: CliState = ctx.obj
    spec = _spec(ctx)
    with state.client() as client:
        total = client.resource(spec["itemtype"]).count(rsql_filter)
    state.echo(f"{total}\n")


@functools.cache
def command(name: str) -> Any:
    """The ``list|get|count`` group for the itemtype named ``name``; UnknownResourceError names the closest ones."""
    from .._resources import resource_spec

    spec = resource_spec(name)
    group = typer.main.get_command(app)
    group.name = name
    group.help = f"{spec['itemtype']} ({spec['path']}): list, get, count."
    return group


def itemtypes(
    ctx: typer.Context,
    fmt: Annotated[Format, typer.Option("--format", help="table, json, jsonl or csv.")] = Format.table,
) -> None:
    """List the itemtypes usable as commands (glpi ITEMTYPE list|get|count).

    Examples:

      glpi itemtypes

      glpi itemtypes --format json | jq -r '.[].itemtype'
    """
    from .._generated.resource_index import RESOURCES

    state: CliState = ctx.obj
    rows = [{"itemtype": r["itemtype"], "path": r["path"], "operations": r["operations"]} for r in RESOURCES]
    columns = [Column("Itemtype", lambda r: r["itemtype"]), Column("Path", lambda r: r["path"]),
               Column("Operations", lambda r: r["operations"])]  # fmt: skip
    emit(sorted(rows, key=lambda r: r["itemtype"].lower()), columns, fmt, console=state.out())
