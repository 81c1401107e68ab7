"""Render the data of ``scripts/resource_index.py`` as the Python modules under ``glpi_python_client/_generated/``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from resource_index import HEADER, identifier

__all__ = ["aliases", "render_accessors", "render_api", "render_areas", "render_index", "render_models"]

Json = dict[str, Any]

#: Names a field may not take on a pydantic model (BaseModel and GlpiModel attributes): they get an alias.
_RESERVED = frozenset(
    {
        "construct", "copy", "dict", "json", "parse_obj", "parse_raw", "parse_file", "schema", "schema_json",
        "validate", "update_forward_refs", "fields", "extra_payload", "to_payload", "always_sent_fields",
        "model_config", "model_fields", "model_computed_fields", "model_extra", "model_fields_set",
    }
)  # fmt: skip
_READ_TYPES = {
    "int": "Int",
    "float": "Float",
    "bool": "Bool",
    "str": "Str",
    "datetime": "GlpiDateTime",
    "date": "Date",
    "ref": "IdNameRef",
    "refs": "Refs",
    "object": "Object",
    "list": "List",
    "any": "Any",
}
_WRITE_TYPES = {
    "int": "int | None",
    "float": "float | None",
    "bool": "bool | None",
    "str": "str | None",
    "datetime": "datetime | str | None",
    "date": "date | str | None",
    "ref": "Ref | None",
    "refs": "list[Ref] | None",
    "object": "dict[str, Any] | None",
    "list": "list[Any] | None",
    "any": "Any",
}


def _all(names: list[str]) -> str:
    """``__all__`` in ruff's isort-style order (RUF022): CONSTANTS, then Classes, then the rest."""

    def key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)

    return f"__all__ = {sorted(names, key=key)!r}\n"


def _text(what: str) -> str:
    return HEADER.format(what=what)


def aliases(index: Json) -> dict[str, str]:
    """Every name ``client.resource()`` accepts -> itemtype: the schema name, the path and GLPI's itemtype name.

    Schema names and paths are unique; GLPI's itemtype name is an alias only where no schema has that name and
    no other collection shares it (``SoftwareLicense`` is the schema of ``/Assets/SoftwareLicense``, although
    ``/Management/License`` serves GLPI's ``SoftwareLicense`` itemtype too).
    """
    names = {e["itemtype"]: e["itemtype"] for e in index["resources"]}
    names.update({e["path"]: e["itemtype"] for e in index["resources"]})
    names.update({e["path"].rstrip("/"): e["itemtype"] for e in index["resources"]})
    extra: dict[str, set[str]] = defaultdict(set)
    for entry in index["resources"]:
        if entry["x_itemtype"] and entry["x_itemtype"] not in names:
            extra[entry["x_itemtype"]].add(entry["itemtype"])
    names.update({name: next(iter(types)) for name, types in extra.items() if len(types) == 1})
    return dict(sorted(names.items()))


def render_index(index: Json) -> str:
    resources = []
    for e in index["resources"]:
        subs = tuple(
            {k: s[k] for k in ("name", "path", "item_path", "schema", "operations")} for s in e["subcollections"]
        )
        resources.append(
            {
                "itemtype": e["itemtype"],
                "x_itemtype": e["x_itemtype"],
                "path": e["path"],
                "item_path": e["item_path"],
                "area": e["area"],
                "attribute": e["attribute"],
                "read_schema": e["read_schema"],
                "write_schema": e["write_schema"],
                "operations": e["operations"],
                "subcollections": subs,
            }
        )
    objects = {
        name: sorted(k for k, (kind, _w, _t) in fields.items() if kind == "ref")
        for name, fields in index["fields"].items()
    }
    areas = {e["area"]: e["area_title"] for e in index["resources"]}
    lines = [
        _text(
            "The itemtype collections of GLPI's High-Level API: paths, schemas, operations, object properties."
            "\n\nOne entry per collection with a list route and a by-id route (``operations``: l=list, g=get,"
            " c=create,\nu=update, d=delete, as the document declares them). ``FIELDS`` gives each schema's"
            " properties as\n(kind, writable, referenced schema)."
        ),
        "from __future__ import annotations\n",
        "from typing import Final, TypedDict\n",
        '__all__ = ["API_VERSION", "AREAS", "FIELDS", "NAMES", "OBJECT_PROPERTIES", "RESOURCES", "ResourceSpec",'
        ' "SubSpec"]\n\n',
        "class SubSpec(TypedDict):",
        '    """A sub-collection under ``{id}/`` (in paths, the first ``{...}`` is the parent id)."""\n',
        "    name: str\n    path: str\n    item_path: str | None\n    schema: str\n    operations: str\n\n",
        "class ResourceSpec(TypedDict):",
        '    """A collection: accessor ``client.<area>.<attribute>``, models named after its schemas."""\n',
        "    itemtype: str\n    x_itemtype: str | None\n    path: str\n    item_path: str\n    area: str",
        "    attribute: str\n    read_schema: str\n    write_schema: str\n    operations: str",
        "    subcollections: tuple[SubSpec, ...]\n\n",
        f"API_VERSION: Final = {index['version']!r}",
        f"AREAS: Final[dict[str, str]] = {areas!r}",
        f"RESOURCES: Final[tuple[ResourceSpec, ...]] = {tuple(resources)!r}",
        "#: Every name client.resource() accepts (schema name, GLPI itemtype, path) -> the collection's itemtype.",
        f"NAMES: Final[dict[str, str]] = {aliases(index)!r}",
        "#: Properties that are ``{id, ...}`` objects, per schema: RSQL filters address them as ``<property>.id``.",
        "OBJECT_PROPERTIES: Final[dict[str, frozenset[str]]] = {",
        *(f"    {name!r}: frozenset({props!r})," for name, props in objects.items()),
        "}",
        f"FIELDS: Final[dict[str, dict[str, tuple[str, bool, str | None]]]] = {index['fields']!r}",
        "",
    ]
    return "\n".join(lines)


def _field(name: str, annotation: str, *, required: bool = False) -> str:
    ident = identifier(name)
    if ident in _RESERVED or ident.startswith("model_"):
        ident += "_"
    default = "" if required else " = None"
    if ident != name:
        default = f" = Field({'...' if required else 'None'}, alias={name!r})"
    return f"    {ident}: {annotation}{default}"


def _read_field(name: str, kind: str) -> str:
    """A read-model field; rich text (``format: html``) is stored as ``<name>_html`` and read as Markdown."""
    if kind != "html":
        return _field(name, _READ_TYPES[kind])
    return f"    {name}_html: str | None = html_field({name!r})\n    {name} = markdown_view({name + '_html'!r})"


def _write_field(name: str, kind: str) -> str:
    """A write-model field; rich text is Markdown in ``<name>`` (rendered on sending) or HTML in ``<name>_html``."""
    if kind != "html":
        return _field(name, _WRITE_TYPES[kind])
    return f"    {name}: MarkdownText = None\n    {name}_html: str | None = None"


def render_models(index: Json) -> str:
    users: dict[str, list[str]] = defaultdict(list)
    for e in index["resources"]:
        users[e["read_schema"]].append(e["path"])
        for s in e["subcollections"]:
            users[s["schema"]].append(s["path"])
    lines = [
        _text(
            "A pydantic read model and write model for every schema of GLPI's itemtype collections.\n\n"
            "Read models (``Computer``) are permissive: undeclared keys land in ``extra_payload``, nulls and"
            " blanks are None.\nWrite models (``ComputerWrite``) hold the writable properties only and refuse"
            " unknown ones."
        ),
        "from __future__ import annotations\n",
        "from datetime import date, datetime",
        "from typing import Any\n",
        "from pydantic import Field\n",
        "from .._models._base import GlpiDateTime, IdNameRef, Ref",
        "from .._models._rich_text import MarkdownText, html_field, markdown_view",
        "from .._models.itemtype import Bool, Date, Float, Int, ItemModel, ItemWrite, List, Object, Refs, Str\n",
    ]
    names: list[str] = []
    for schema, fields in index["fields"].items():
        paths = sorted(set(users.get(schema, [])))
        where = f"``{paths[0]}``" + (f" and {len(paths) - 1} more" if len(paths) > 1 else "") if paths else "a body"
        names.append(schema)
        lines.append(f"\nclass {schema}(ItemModel):")
        lines.append(f'    """``{schema}`` as GLPI returns it ({where})."""\n')
        body = [_field("id", "int", required=True)] if "id" in fields else []
        body += [_read_field(k, kind) for k, (kind, _w, _t) in fields.items() if k != "id"]
        lines.extend(body or ["    pass"])
        writable = [(k, kind) for k, (kind, w, _t) in fields.items() if w and k != "id"]
        names.append(f"{schema}Write")
        lines.append(f"\nclass {schema}Write(ItemWrite):")
        lines.append(f'    """The writable properties of ``{schema}`` (create, update); unknown keys are refused."""\n')
        lines.extend([_write_field(k, kind) for k, kind in writable] or ["    pass"])
    lines.append("\n\n" + _all(names))
    return "\n".join(lines)


_OP_NAMES = {"l": "list", "g": "get", "c": "create", "u": "update", "d": "delete"}
_MIXINS = {"c": "Creatable", "u": "Updatable", "d": "Deletable"}


def _combo(ops: str) -> str:
    return "Resource" + "".join(c.upper() for c in ops)


def collection_type(side: str, e: Json, *, prefix: str = "") -> str:
    """The type a checker sees for a collection: its operations' class, or the class typing its ``sub()``."""
    if e["subcollections"]:
        return f"{prefix}{side}{e['itemtype']}Collection"
    return f"{prefix}{side}{_combo(e['operations'])}[m.{e['read_schema']}, m.{e['write_schema']}Write]"


def _typed_subs(side: str, resources: list[Json]) -> list[str]:
    """For type checkers only: per collection with sub-collections, a ``sub()`` overload per name.

    ``client.assets.computers.sub("Component/Battery", 5)`` then types as a collection of ``BatteryItem``;
    at run time the accessors return the plain operation classes above (these names exist only for checkers).
    """
    lines = ["\nif TYPE_CHECKING:"]
    for e in resources:
        if not e["subcollections"]:
            continue
        base = f"{side}{_combo(e['operations'])}[m.{e['read_schema']}, m.{e['write_schema']}Write]"
        lines.append(f"\n    class {side}{e['itemtype']}Collection({base}):")
        lines.append(f'        """``{e["path"]}`` with its {len(e["subcollections"])} typed sub-collections."""\n')
        for sub in e["subcollections"]:
            typ = f"{side}{_combo(sub['operations'])}[m.{sub['schema']}, m.{sub['schema']}Write]"
            lines.append("        @overload")
            lines.append(f"        def sub(self, name: Literal[{sub['name']!r}], parent_id: int) -> {typ}: ...")
        lines.append("        @overload")
        lines.append(f"        def sub(self, name: str, parent_id: int) -> {side}Readable[Any, Any]: ...")
        lines.append(f"        def sub(self, name: str, parent_id: int) -> {side}Readable[Any, Any]: ...")
    return lines


def render_accessors(index: Json) -> str:
    resources = index["resources"]
    combos = sorted(
        {e["operations"] for e in resources} | {s["operations"] for e in resources for s in e["subcollections"]}
    )
    by_area: dict[str, list[Json]] = defaultdict(list)
    for e in resources:
        by_area[e["area"]].append(e)
    lines = [
        _text(
            "Typed access to every itemtype collection on both clients: ``client.assets.computers``,"
            ' ``client.resource("Computer")``.\n\nOne area class per first path segment and one resource class'
            " per set of declared operations, for each\nclient; the logic they call is written once, in"
            " ``glpi_python_client._resources`` and the plans it runs."
        ),
        "from __future__ import annotations\n",
        "from functools import cached_property",
        "from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast, overload\n",
        "from pydantic import BaseModel\n",
        "from .._resources import (",
        "    AsyncArea, AsyncCreatable, AsyncDeletable, AsyncReadable, AsyncUpdatable,",
        "    SyncArea, SyncCreatable, SyncDeletable, SyncReadable, SyncUpdatable,",
        ")\n",
        "if TYPE_CHECKING:",
        "    from . import itemtype_models as m\n",
        'G = TypeVar("G", bound=BaseModel)',
        'W = TypeVar("W", bound=BaseModel)\n',
    ]
    exported: list[str] = []
    for side in ("Sync", "Async"):
        for ops in combos:
            cls = f"{side}{_combo(ops)}"
            exported.append(cls)
            bases = [f"{side}{_MIXINS[c]}[G, W]" for c in ops if c in _MIXINS] or [f"{side}Readable[G, W]"]
            if len(bases) == 1:
                bases.append("Generic[G, W]")
            label = ", ".join(_OP_NAMES[c] for c in ops)
            lines.append(f"\nclass {cls}({', '.join(bases)}):")
            lines.append(f'    """A collection declaring {label}."""\n')
            lines.append(f"    operations = {ops!r}\n")
        lines.append(f"\n{side.upper()}_CLASSES: dict[str, type[{side}Readable[Any, Any]]] = {{")
        lines.extend(f"    {ops!r}: {side}{_combo(ops)}," for ops in combos)
        lines.append("}\n")
        lines.extend(_typed_subs(side, resources))
        for entries in by_area.values():
            cls = f"{side}{entries[0]['area_title']}Area"
            exported.append(cls)
            lines.append(f"\nclass {cls}({side}Area):")
            lines.append(f'    """``/{entries[0]["area_title"]}``: {len(entries)} collections."""\n')
            for e in entries:
                typ = collection_type(side, e)
                label = ", ".join(_OP_NAMES[c] for c in e["operations"])
                lines.append("    @cached_property")
                lines.append(f"    def {e['attribute']}(self) -> {typ}:")
                lines.append(f'        """``{e["path"]}``: ``{e["itemtype"]}`` items ({label})."""')
                lines.append(f"        return cast({typ!r}, self._resource({e['itemtype']!r}))\n")
    lines.append("\n" + _all([*exported, "ASYNC_CLASSES", "SYNC_CLASSES", "AsyncReadable", "SyncReadable"]))
    return "\n".join(lines)


def render_api(index: Json) -> str:
    """The typed ``SyncItemtypesAPI``/``AsyncItemtypesAPI`` the clients present to type checkers."""
    resources = index["resources"]
    by_area: dict[str, list[Json]] = defaultdict(list)
    for e in resources:
        by_area[e["area"]].append(e)
    names = aliases(index)
    per_type: dict[str, list[str]] = defaultdict(list)
    for name, itemtype in names.items():
        per_type[itemtype].append(name)
    lines = [
        _text(
            "The typed itemtype accessors of both clients: ``client.assets.computers``, ``client.resource(name)``."
            "\n\nWhat a type checker sees: each area typed with its collections, and a ``resource()`` overload per"
            " name\n(``Literal``) giving the itemtype's models. At run time the clients use the light"
            " ``glpi_python_client._itemtypes``\nbases these classes extend (same behaviour, nothing big imported)."
        ),
        "from __future__ import annotations\n",
        "from functools import cached_property",
        "from typing import TYPE_CHECKING, Any, Literal, overload\n",
        "from .._itemtypes import AsyncItemtypes, SyncItemtypes",
        "from . import resource_accessors as acc\n",
        "if TYPE_CHECKING:",
        "    from . import itemtype_models as m\n",
    ]
    exported: list[str] = []
    for side in ("Sync", "Async"):
        api = f"{side}ItemtypesAPI"
        exported.append(api)
        lines.append(f"\nclass {api}({side}Itemtypes):")
        lines.append(
            '    """The areas of GLPI\'s collections (``assets``, ``dropdowns``...) and ``resource(name)``."""\n'
        )
        for area, entries in by_area.items():
            cls = f"acc.{side}{entries[0]['area_title']}Area"
            some = ", ".join(e["attribute"] for e in entries[:4])
            lines.append("    @cached_property")
            lines.append(f"    def {area}(self) -> {cls}:")
            lines.append(f'        """``/{entries[0]["area_title"]}``: {some}..."""')
            lines.append(f"        return {cls}(self)\n")
        for e in resources:
            typ = collection_type(side, e, prefix="acc.")
            literal = ", ".join(repr(n) for n in per_type[e["itemtype"]])
            lines.append("    @overload")
            lines.append(f"    def resource(self, name: Literal[{literal}]) -> {typ}: ...")
        lines.append("    @overload")
        lines.append(f"    def resource(self, name: str) -> acc.{side}Readable[Any, Any]: ...")
        lines.append("    def resource(self, name: str) -> Any:")
        lines.append(
            '        """The collection named by an itemtype (``"Computer"``, ``"KnowbaseItem"``) or a path'
            ' (``"/Assets/Computer"``).\n\n        An unknown name raises ``UnknownResourceError`` (a ``ValueError``)'
            ' naming the closest matches.\n        """'
        )
        lines.append("        return super().resource(name)\n")
    lines.append("\n" + _all(exported))
    return "\n".join(lines)


def render_areas(index: Json) -> str:
    """The small module the clients import at start: area attribute -> the path's first segment."""
    areas = {e["area"]: e["area_title"] for e in index["resources"]}
    return "\n".join(
        [
            _text("The areas of GLPI's itemtype collections: ``client.<attribute>`` -> the path's first segment."),
            "from __future__ import annotations\n",
            "from typing import Final\n",
            '__all__ = ["AREAS"]\n',
            f"AREAS: Final[dict[str, str]] = {areas!r}",
            "",
        ]
    )
