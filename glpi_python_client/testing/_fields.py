"""The Fields plugin (pluginsGLPI/fields) as GLPI 11.0.6's legacy v1 API serves it, for the simulator.

Absent until a container is added (:meth:`FieldsPlugin.add_container`, reached through
``GlpiSimulator.fields_container``): until then every ``PluginFields*`` itemtype answers v1's
``ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM``, as a GLPI without the plugin does. Once present it serves
what the recordings in ``cassettes/fields_*.yaml`` show:

* ``GET PluginFieldsContainer`` (and ``/{id}``): ``itemtypes`` is a JSON string (``'["Ticket"]'``);
* ``GET PluginFieldsField``, ``GET PluginFieldsContainer/{id}/PluginFieldsField``;
* ``GET|POST PluginFields<Itemtype><container>`` and ``PUT .../{id}``: the values rows, one column per field.

Lists answer ``Content-Range: 0-<n-1>/<n>`` (none when empty) and ``searchText[key]`` filters are v1's: a
case-insensitive regular-expression search, so ``1`` matches ``12`` and ``^1$`` only ``1``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import httpx

from ._collections import reply

__all__ = ["FieldsPlugin"]

_OK = {"Content-Type": "application/json; charset=UTF-8"}
_ROW_KEYS = ("items_id", "itemtype", "plugin_fields_containers_id", "entities_id")


def _error(status: int, code: str, message: str) -> httpx.Response:
    return reply(status, [code, message], **_OK)


def _reply(status: int, body: Any, **headers: str) -> httpx.Response:
    return reply(status, body, **_OK, **headers)


def values_itemtype(itemtype: str, container: str) -> str:
    """The plugin's name for a container's values itemtype (``Ticket`` + ``aidelarsolution``).

    Written from the plugin's rule, not imported from the client's ``_operations.fields``: a stand-in
    server that reused the client's naming could not catch a mistake in it.
    """
    system = (itemtype + container.removesuffix("s")).lower()
    return "PluginFields" + system[:1].upper() + system[1:]


class FieldsPlugin:
    """The plugin's state: containers, their fields, and one table of values rows per (itemtype, container)."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.containers: dict[int, dict[str, Any]] = {}
        self.fields: dict[int, dict[str, Any]] = {}
        #: values itemtype (``PluginFieldsTicketaidelarsolution``) -> row id -> row
        self.rows: dict[str, dict[int, dict[str, Any]]] = {}
        self._tables: dict[str, tuple[str, int]] = {}  # values itemtype -> (itemtype, container id)
        self._next_row = 1

    @property
    def installed(self) -> bool:
        return bool(self.containers)

    def add_container(
        self,
        name: str,
        *,
        fields: Mapping[str, str],
        label: str | None = None,
        itemtypes: Iterable[str] = ("Ticket",),
        kind: str = "dom",
    ) -> int:
        """Add a container and its fields (name -> plugin field type: ``"text"``, ``"richtext"``...)."""
        if not re.fullmatch(r"[a-z]+", name):
            raise ValueError(f"the Fields plugin names a container in lowercase letters only, not {name!r}")
        container_id = len(self.containers) + 1
        kinds = list(itemtypes)
        self.containers[container_id] = {
            "id": container_id, "name": name, "label": label or name, "itemtypes": json.dumps(kinds),
            "type": kind, "subtype": None, "entities_id": 0, "is_recursive": 1, "is_active": 1,
            "links": [{"rel": "Entity", "href": f"{self.origin}/api.php/v1/Entity/0"}],
        }  # fmt: skip
        for ranking, (field_name, field_type) in enumerate(fields.items(), start=1):
            field_id = len(self.fields) + 1
            self.fields[field_id] = {
                "id": field_id, "name": field_name, "label": field_name, "type": field_type,
                "plugin_fields_containers_id": container_id, "ranking": ranking, "default_value": None,
                "is_active": 1, "is_readonly": 0, "mandatory": 0, "multiple": 0, "allowed_values": None,
                "links": [{"rel": "PluginFieldsContainer",
                           "href": f"{self.origin}/api.php/v1/PluginFieldsContainer/{container_id}"}],
            }  # fmt: skip
        for itemtype in kinds:
            table = values_itemtype(itemtype, name)
            self._tables[table] = (itemtype, container_id)
            self.rows.setdefault(table, {})
        return container_id

    def answer(self, request: httpx.Request, path: str, body: Any) -> httpx.Response | None:
        """The answer to a v1 request on a ``PluginFields*`` itemtype, or None for another itemtype."""
        parts = path.strip("/").split("/")
        if not parts[0].startswith("PluginFields"):
            return None
        if not self.installed or (parts[0] not in ("PluginFieldsContainer", "PluginFieldsField")
                                  and parts[0] not in self._tables):  # fmt: skip
            return _error(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "resource not found or not an instance")
        method = request.method
        if parts[0] == "PluginFieldsContainer" and method == "GET":
            if len(parts) == 1:
                return self._list(parts[0], self.containers.values(), request)
            found = self.containers.get(int(parts[1])) if parts[1].isdigit() else None
            if found is None:
                return _error(404, "ERROR_ITEM_NOT_FOUND", "Item not found")
            if len(parts) == 3 and parts[2] == "PluginFieldsField":
                mine = [f for f in self.fields.values() if f["plugin_fields_containers_id"] == found["id"]]
                return self._list(parts[2], mine, request)
            return _reply(200, found)
        if parts[0] == "PluginFieldsField" and method == "GET" and len(parts) == 1:
            return self._list(parts[0], self.fields.values(), request)
        if parts[0] in self._tables:
            return self._values(request, parts, body)
        return _error(400, "ERROR_METHOD_NOT_ALLOWED", "method not allowed in the simulator's Fields plugin")

    def _values(self, request: httpx.Request, parts: list[str], body: Any) -> httpx.Response:
        table = parts[0]
        rows = self.rows[table]
        fields = body.get("input") if isinstance(body, dict) else None
        if request.method == "GET" and len(parts) == 1:
            return self._list(table, rows.values(), request)
        if request.method == "POST" and len(parts) == 1 and isinstance(fields, dict):
            row_id = self._new_row(table, fields)["id"]
            message = f"Item successfully added: General - ID {row_id}"
            location = f"{self.origin}/api.php/v1/{table}/{row_id}"
            return _reply(201, {"id": row_id, "message": message}, Location=location)
        if request.method == "PUT" and len(parts) == 2 and parts[1].isdigit() and isinstance(fields, dict):
            row = rows.get(int(parts[1]))
            if row is None:
                return _error(400, "ERROR_GLPI_UPDATE", json.dumps([{parts[1]: False, "message": "Item not found"}]))
            row.update({k: v for k, v in fields.items() if k in row and k not in ("id", "links", *_ROW_KEYS)})
            return _reply(200, [{parts[1]: True, "message": ""}])
        return _error(400, "ERROR_METHOD_NOT_ALLOWED", "method not allowed in the simulator's Fields plugin")

    def _new_row(self, table: str, fields: dict[str, Any]) -> dict[str, Any]:
        """A values row: one column per field of the container (None when not given), and v1's links."""
        itemtype, container_id = self._tables[table]
        row_id, self._next_row = self._next_row, self._next_row + 1
        columns = {f["name"]: None for f in self.fields.values() if f["plugin_fields_containers_id"] == container_id}
        row: dict[str, Any] = {
            "id": row_id, "items_id": int(fields.get("items_id", 0)), "itemtype": fields.get("itemtype", itemtype),
            "plugin_fields_containers_id": container_id, "entities_id": int(fields.get("entities_id", 0)),
            **columns, **{k: v for k, v in fields.items() if k in columns},
        }  # fmt: skip
        v1 = f"{self.origin}/api.php/v1"
        row["links"] = [
            {"rel": row["itemtype"], "href": f"{v1}/{row['itemtype']}/{row['items_id']}"},
            {"rel": "PluginFieldsContainer", "href": f"{v1}/PluginFieldsContainer/{container_id}"},
            {"rel": "Entity", "href": f"{v1}/Entity/{row['entities_id']}"},
        ]
        self.rows[table][row_id] = row
        return row

    def _list(self, itemtype: str, rows: Iterable[dict[str, Any]], request: httpx.Request) -> httpx.Response:
        """A v1 list: ``searchText[key]`` regular expressions (case-insensitive), ``range=a-b``, Content-Range."""
        kept = list(rows)
        for key, value in request.url.params.multi_items():
            match = re.fullmatch(r"searchText\[(\w+)\]", key)
            if match:
                pattern = re.compile(value, re.IGNORECASE)
                kept = [r for r in kept if pattern.search("" if r.get(match[1]) is None else str(r[match[1]]))]
        total = len(kept)
        first, last = 0, total - 1
        asked = re.fullmatch(r"(\d+)-(\d+)", request.url.params.get("range", ""))
        if asked:
            first, last = int(asked[1]), min(int(asked[2]), total - 1)
        page = kept[first : last + 1]
        headers = {"Accept-Range": f"{itemtype} 1000"}
        if page:
            headers["Content-Range"] = f"{first}-{first + len(page) - 1}/{total}"
        return _reply(200, page, **headers)
