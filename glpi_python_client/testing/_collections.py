"""The document-driven core of the GLPI simulator: every itemtype collection of the OpenAPI document, served.

Driven only by the resource index generated from the document (``glpi_python_client._generated.resource_index``:
paths, declared operations, schema properties and their kinds) and the RSQL evaluator of ``fake_rsql``, so the
public ``glpi_python_client.testing`` package can adopt it as it is. It answers like the live server does
(``../shared/GLPI_LIVE.md``): searches evaluate RSQL (a bare object property such as ``state==1`` is a 400
"Unknown property": use ``state.id``), sort, and page with 206 + ``Content-Range`` (200 on the last page); creates
answer 200 ``{id, href}`` with a relative ``Location``; PATCH answers the object; DELETE answers 204, moving items
with an ``is_deleted`` property to the trash unless ``force=true``; object properties are stored as
``{id, name}``; a missing id, parent or route answers 404. Sub-collections under ``{id}/`` are served the same way,
per parent (timeline lists as ``{"type", "item"}`` envelopes).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from glpi_python_client._generated.resource_index import FIELDS, RESOURCES

from ._rsql import BadFilter, Rsql

__all__ = ["Collections", "page_rows", "reply"]


def reply(status: int, payload: Any = None, **headers: str) -> httpx.Response:
    content = b"" if payload is None else json.dumps(payload).encode()
    return httpx.Response(status, content=content, headers={"Content-Type": "application/json", **headers})


def _error(status: int, code: str, title: str, detail: Any = None) -> httpx.Response:
    return reply(status, {"status": code, "title": title, "detail": detail})


def _not_found() -> httpx.Response:
    return _error(404, "ERROR_ITEM_NOT_FOUND", "Not found")


def page_rows(rows: list[dict[str, Any]], fields: set[str], objects: set[str], params: Any) -> httpx.Response:
    """Filter (RSQL), sort and page ``rows`` as GLPI's search does: 206 while more remain, ``Content-Range``."""
    if params.get("filter"):
        try:
            rsql = Rsql(params["filter"], fields, objects & fields)
        except BadFilter as exc:
            return _error(400, "ERROR_INVALID_PARAMETER", "RSQL query has invalid filters", {exc.prop: exc.reason})
        rows = [row for row in rows if rsql.matches(row)]
    for key in reversed([k for k in params.get("sort", "").split(",") if k]):
        name, _, direction = key.partition(":")
        if name not in fields:
            return _error(400, "ERROR", f"Invalid property for sorting: {name}")

        def by_field(row: dict[str, Any], field: str = name) -> Any:
            return _sort_key(row.get(field))

        rows.sort(key=by_field, reverse=direction == "desc")
    start, limit = int(params.get("start", 0)), int(params.get("limit", 100))
    page = rows[start : start + limit]
    status = 206 if start + len(page) < len(rows) else 200
    return reply(status, page, **{"Content-Range": f"{start}-{start + len(page) - 1}/{len(rows)}"})


def _sort_key(value: Any) -> tuple[bool, Any]:
    if isinstance(value, dict):
        value = value.get("id")
    return (value is not None, value)


class _Route:
    """One collection (or sub-collection template) of the index."""

    def __init__(self, path: str, schema: str, operations: str, *, parent: str | None, envelope: str | None) -> None:
        self.path, self.schema, self.operations = path, schema, operations
        self.parent, self.envelope = parent, envelope
        pattern = re.sub(r"\\\{[^}]+\\\}", r"(\\d+)", re.escape(path))
        self.list = re.compile(pattern)
        self.item = re.compile(pattern.rstrip("/") + r"/(\d+)")
        self.fields = FIELDS.get(schema, {})
        self.objects = {k for k, (kind, _w, _t) in self.fields.items() if kind == "ref"}


class Collections:
    """The items of every collection the index lists (except ``exclude``), and the routes serving them.

    ``stamp()`` gives the time of a write (ISO). ``items[path]`` maps ids to records, ``path`` being the concrete
    collection path (``/Assets/Computer``, ``/Assets/Computer/3/Note``).
    """

    def __init__(self, *, stamp: Callable[[], str], exclude: frozenset[str] = frozenset()) -> None:
        self.stamp = stamp
        self.items: dict[str, dict[int, dict[str, Any]]] = {}
        self.next_id: dict[str, int] = {}
        self.by_schema, self.table = _routes(exclude)

    # -- records ---------------------------------------------------------------------------------

    def ref(self, target: str | None, value: Any) -> dict[str, Any] | None:
        if isinstance(value, dict):
            value = value.get("id")
        try:
            number = int(value)
        except (TypeError, ValueError):
            return None
        found = self.items.get(self.by_schema.get(target or "", "").rstrip("/"), {}).get(number)
        return {"id": number, "name": (found or {}).get("name")}

    def _apply(self, route: _Route, record: dict[str, Any], body: dict[str, Any], *, seed: bool = False) -> None:
        for key, value in body.items():
            spec = route.fields.get(key)
            if spec is None or not (spec[1] or seed):
                continue  # GLPI ignores unknown and read-only properties
            kind, _writable, target = spec
            if kind == "ref":
                record[key] = self.ref(target, value)
            elif kind == "refs" and isinstance(value, list):
                record[key] = [r for r in (self.ref(target, v) for v in value) if r]
            else:
                record[key] = value

    def add(self, path: str, body: dict[str, Any], *, seed: bool = False) -> dict[str, Any]:
        """Create a record in the collection ``path``; ``seed`` also sets read-only properties (test data)."""
        route = next(r for r in self.table.get(_head(path), ()) if r.list.fullmatch(path))
        path = path.rstrip("/")  # the store's key (/Project/ lists what /Project/{id} reads)
        item_id = self.next_id.get(path, 1)
        self.next_id[path] = item_id + 1
        record: dict[str, Any] = {k: ([] if spec[0] in ("refs", "list") else None) for k, spec in route.fields.items()}
        stamp = self.stamp()
        record.update({k: v for k, v in (("date_creation", stamp), ("date_mod", stamp)) if k in record})
        if "is_deleted" in record:
            record["is_deleted"] = False
        self._apply(route, record, body, seed=seed)
        record["id"] = item_id
        self.items.setdefault(path, {})[item_id] = record
        return record

    # -- routing ---------------------------------------------------------------------------------

    def handle(self, request: httpx.Request, path: str) -> httpx.Response | None:
        """Answer ``request`` for ``path`` (relative to ``/api.php/v2``) if a collection serves it, else None."""
        for route in self.table.get(_head(path), ()):
            match = route.list.fullmatch(path)
            if match:
                return self._collection(request, route, path, match.groups())
            match = route.item.fullmatch(path)
            if match:
                *parents, item_id = match.groups()
                return self._item(request, route, path.rsplit("/", 1)[0], parents, int(item_id))
        return None

    def _parent_missing(self, route: _Route, parents: Any) -> bool:
        if route.parent is None or not parents:
            return False
        return int(parents[0]) not in self.items.get(route.parent.rstrip("/"), {})

    def _collection(self, request: httpx.Request, route: _Route, path: str, parents: Any) -> httpx.Response:
        if self._parent_missing(route, parents):
            return _not_found()
        if request.method == "GET" and "l" in route.operations:
            rows = [dict(r) for _, r in sorted(self.items.get(path.rstrip("/"), {}).items())]
            response = page_rows(rows, set(route.fields), route.objects, request.url.params)
            if route.envelope and response.status_code < 400:
                rows = json.loads(response.content)
                return reply(response.status_code, [{"type": route.envelope, "item": r} for r in rows])
            return response
        if request.method == "POST" and "c" in route.operations:
            body = _json(request)
            if body is None:
                return _error(400, "ERROR", "Invalid JSON body")
            record = self.add(path, body)
            href = f"{path.rstrip('/')}/{record['id']}"
            return reply(200, {"id": record["id"], "href": href}, Location=href)
        return _error(405, "ERROR_METHOD_NOT_ALLOWED", "Method not allowed")

    def _item(self, request: httpx.Request, route: _Route, path: str, parents: Any, item_id: int) -> httpx.Response:
        if self._parent_missing(route, parents):
            return _not_found()
        record = self.items.get(path, {}).get(item_id)
        if record is None:
            return _not_found()
        if request.method == "GET" and "g" in route.operations:
            return reply(200, record)
        if request.method == "PATCH" and "u" in route.operations:
            body = _json(request)
            if body is None:
                return _error(400, "ERROR", "Invalid JSON body")
            self._apply(route, record, body)
            if "date_mod" in record:
                record["date_mod"] = self.stamp()
            return reply(200, record)
        if request.method == "DELETE" and "d" in route.operations:
            if "is_deleted" in record and request.url.params.get("force") != "true":
                record["is_deleted"] = True
            else:
                del self.items[path][item_id]
            return httpx.Response(204)
        return _error(405, "ERROR_METHOD_NOT_ALLOWED", "Method not allowed")


@functools.cache
def _routes(exclude: frozenset[str]) -> tuple[dict[str, str], dict[str, list[_Route]]]:
    """Schema/itemtype name -> collection path, and the routes grouped by :func:`_head` (built once per process)."""
    by_schema: dict[str, str] = {}
    routes: list[_Route] = []
    for spec in RESOURCES:
        if spec["path"] in exclude:
            continue
        by_schema.setdefault(spec["read_schema"], spec["path"])
        if spec["x_itemtype"]:
            by_schema.setdefault(spec["x_itemtype"], spec["path"])
        routes.append(_Route(spec["path"], spec["read_schema"], spec["operations"], parent=None, envelope=None))
        for sub in spec["subcollections"]:
            kind = sub["name"].split("/", 1)[1] if sub["name"].startswith("Timeline/") else None
            routes.append(_Route(sub["path"], sub["schema"], sub["operations"], parent=spec["path"], envelope=kind))
    # longest paths first, so /Assets/Rack/{id}/Item wins over a shorter prefix; grouped by their first two
    # segments so a request only tries the routes that can match it
    routes.sort(key=lambda r: -len(r.path))
    table: dict[str, list[_Route]] = {}
    for route in routes:
        for head in dict.fromkeys((_head(route.path), _head(route.path.rstrip("/") + "/{id}"))):
            table.setdefault(head, []).append(route)
    return by_schema, table


def _head(path: str) -> str:
    """The first two segments of a path, ids and parameters as ``*``: ``/Computer/5/Note`` -> ``/Computer/*``."""
    parts = path.strip("/").split("/")[:2]
    return "/" + "/".join("*" if p.isdigit() or p.startswith("{") else p for p in parts)


def _json(request: httpx.Request) -> dict[str, Any] | None:
    """The JSON object of a body; only ``Content-Type: application/json`` exactly counts (else ``{}``, like GLPI)."""
    if request.headers.get("Content-Type") != "application/json":
        return {}
    try:
        data = json.loads(request.content or b"null")
    except ValueError:
        return None
    return data if isinstance(data, dict) else {}
