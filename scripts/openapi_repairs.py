"""Repairs applied to GLPI's OpenAPI document before code generation.

GLPI serves a document that openapi-python-client refuses (invalid schemas),
that names no operation, and that differs from what the live server does.
Two kinds of repair live here:

* normalisation *rules*: small pure functions over the whole document, each
  with a one-line reason, applied in order by :func:`apply_rules`;
* *patches*: RFC 6902 JSON Patch operations kept as data in
  ``openapi/repairs.json``, each with a ``reason`` and its ``evidence``,
  applied by :func:`apply_patches`.

Nothing here touches generated code: the generator only ever sees the
repaired document.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "RULES",
    "DocumentError",
    "apply_patches",
    "apply_rules",
    "operation_name",
    "repair",
    "validate_document",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Json = dict[str, Any]


class DocumentError(ValueError):
    """The input is not a GLPI v2 OpenAPI document, or a repair no longer applies."""


def validate_document(doc: Any, *, source: str) -> str:
    """Check that ``doc`` is a GLPI High-Level API v2 OpenAPI document; return its API version."""
    if not isinstance(doc, dict):
        raise DocumentError(f"{source}: expected a JSON object, got {type(doc).__name__}")
    openapi = doc.get("openapi")
    if not isinstance(openapi, str) or not openapi.startswith("3."):
        raise DocumentError(f"{source}: not an OpenAPI 3 document (no 'openapi: 3.x' key)")
    info = doc.get("info") or {}
    title = str(info.get("title", ""))
    version = str(info.get("version", ""))
    if "GLPI" not in title:
        raise DocumentError(f"{source}: not a GLPI document (info.title is {title!r})")
    if not version.startswith("2."):
        raise DocumentError(f"{source}: not a GLPI v2 API document (info.version is {version!r})")
    if not isinstance(doc.get("paths"), dict) or not doc["paths"]:
        raise DocumentError(f"{source}: the document has no paths")
    return version


# --------------------------------------------------------------------------- helpers


def _operations(doc: Json) -> Iterator[tuple[str, str, Json]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS and isinstance(op, dict):
                yield path, method, op


def _walk(node: Any) -> Iterator[Json]:
    """Yield every JSON object in ``node``, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)


def _snake(segment: str) -> str:
    """``TeamMember`` -> ``team_member``; ``ITILCategory`` -> ``itil_category``."""
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", segment)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    s = re.sub(r"[^0-9A-Za-z]+", "_", s)
    return s.strip("_").lower()


def operation_name(method: str, path: str) -> str:
    """The stable, guessable name of an operation: method, then each path segment.

    Literal segments are snake-cased and path parameters become ``by_<name>``::

        GET /Assistance/Ticket                       -> get_assistance_ticket
        GET /Assistance/Ticket/{id}                  -> get_assistance_ticket_by_id
        GET /Assistance/Ticket/{id}/Timeline/Followup
            -> get_assistance_ticket_by_id_timeline_followup
        GET /                                        -> get_root
    """
    parts = [method.lower()]
    for segment in path.strip("/").split("/"):
        if not segment:
            continue
        match = re.fullmatch(r"\{(.+)\}", segment)
        parts.append(f"by_{_snake(match.group(1))}" if match else _snake(segment))
    if len(parts) == 1:
        parts.append("root")
    return "_".join(p for p in parts if p)


def _tag(path: str) -> str:
    first = next((s for s in path.strip("/").split("/") if s and not s.startswith("{")), "")
    return _snake(first) or "root"


# --------------------------------------------------------------------------- rules


def rule_invalid_list_schemas(doc: Json) -> None:
    """A schema written as ``[]`` (the fallback route ``/{req}``) is invalid: read it as 'any'."""
    for node in _walk(doc):
        for key in ("schema", "items"):
            if node.get(key) == []:
                node[key] = {}


def rule_enum_objects_to_lists(doc: Json) -> None:
    """An enum given as a JSON object (``DashboardCard.widget``) is invalid: keep its values as a list."""
    for node in _walk(doc):
        enum = node.get("enum")
        if isinstance(enum, dict):
            node["enum"] = list(dict.fromkeys(enum.values()))


def rule_operation_ids(doc: Json) -> None:
    """GLPI names no operation: derive every operationId from method + path (see :func:`operation_name`)."""
    seen: dict[str, str] = {}
    for path, method, op in _operations(doc):
        name = operation_name(method, path)
        where = f"{method.upper()} {path}"
        if name in seen:
            raise DocumentError(f"operation name {name!r} collides: {seen[name]} and {where}")
        seen[name] = where
        op["operationId"] = name


def rule_tags_by_first_segment(doc: Json) -> None:
    """Group operations by their first path segment, so a function's module follows from its URL."""
    for path, _method, op in _operations(doc):
        op["tags"] = [_tag(path)]


def rule_nullable_properties(doc: Json) -> None:
    """The live server returns ``null`` for properties the document never marks nullable."""
    for schema in doc.get("components", {}).get("schemas", {}).values():
        for node in _walk(schema):
            props = node.get("properties")
            if isinstance(props, dict):
                for prop in props.values():
                    if isinstance(prop, dict) and "$ref" not in prop:
                        prop["nullable"] = True


def rule_read_only_not_required(doc: Json) -> None:
    """readOnly properties cannot be sent, so they are never required in request bodies."""
    for node in _walk(doc):
        required = node.get("required")
        props = node.get("properties")
        if isinstance(required, list) and isinstance(props, dict):
            kept = [r for r in required if not (isinstance(props.get(r), dict) and props[r].get("readOnly"))]
            if kept != required:
                if kept:
                    node["required"] = kept
                else:
                    del node["required"]


def _created_schema(response: Any) -> bool:
    try:
        props = response["content"]["application/json"]["schema"]["properties"]
    except (KeyError, TypeError):
        return False
    return set(props) == {"id", "href"}


def rule_create_answers_200(doc: Json) -> None:
    """HL creates answer 200 ``{id, href}`` where the document says 201 (reference-cassettes/ticket_crud)."""
    for _path, method, op in _operations(doc):
        responses = op.get("responses", {})
        created = responses.get("201")
        if method == "post" and _created_schema(created) and "200" not in responses:
            responses["200"] = copy.deepcopy(created)
            responses["200"]["description"] = "Success (created; the live server answers 200)"


def rule_search_partial_content(doc: Json) -> None:
    """Searches answer 206 while more rows remain, with Content-Range (reference-cassettes/ticket_search_paging)."""
    for _path, method, op in _operations(doc):
        params = {p.get("name") for p in op.get("parameters", []) if isinstance(p, dict)}
        responses = op.get("responses", {})
        if method == "get" and {"start", "limit"} <= params and "200" in responses and "206" not in responses:
            partial = copy.deepcopy(responses["200"])
            partial["description"] = "Partial content: more rows remain (see the Content-Range header)"
            partial["headers"] = {"Content-Range": {"description": "start-end/total", "schema": {"type": "string"}}}
            responses["206"] = partial


_TIMELINE_LIST = re.compile(r"/Timeline(/[A-Za-z]+)?$")


def rule_timeline_envelopes(doc: Json) -> None:
    """Timeline lists are ``[{"type", "item"}]`` envelopes, not bare items (reference-cassettes/timeline_*)."""
    for path, method, op in _operations(doc):
        if method != "get" or not _TIMELINE_LIST.search(path):
            continue
        for response in op.get("responses", {}).values():
            for media in (response.get("content") or {}).values():
                schema = media.get("schema")
                if isinstance(schema, dict) and schema.get("type") == "array":
                    item = schema.get("items") or {}
                    schema["items"] = {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "nullable": True},
                            "item": item or {"type": "object"},
                        },
                    }


SCOPE_HEADERS = frozenset({"GLPI-Entity", "GLPI-Profile", "GLPI-Entity-Recursive", "Accept-Language"})


def rule_scope_headers_on_client(doc: Json) -> None:
    """Scope headers are client-wide, not per call: drop them (and their ~1,200 per-operation enum classes)."""
    for _path, _method, op in _operations(doc):
        params = op.get("parameters")
        if isinstance(params, list):
            op["parameters"] = [
                p
                for p in params
                if not (isinstance(p, dict) and p.get("in") == "header" and p.get("name") in SCOPE_HEADERS)
            ]


_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def rule_declare_path_parameters(doc: Json) -> None:
    """Some paths (``.../{asset_id}/SoftwareInstallation/{id}``) declare none of their parameters."""
    for path, _method, op in _operations(doc):
        names = _TEMPLATE.findall(path)
        params = op.setdefault("parameters", [])
        declared = {p.get("name") for p in params if isinstance(p, dict) and p.get("in") == "path"}
        for name in names:
            if name not in declared:
                is_id = name == "id" or name.endswith("_id")
                params.append(
                    {"name": name, "in": "path", "required": True, "schema": {"type": "integer" if is_id else "string"}}
                )
        op["parameters"] = [
            p for p in params if not (isinstance(p, dict) and p.get("in") == "path" and p.get("name") not in names)
        ]


def rule_dangling_references(doc: Json) -> None:
    """References to schemas that do not exist (``CustomAsset_{itemtype}``) become free-form objects."""
    schemas = doc.get("components", {}).get("schemas", {})
    for node in _walk(doc):
        ref = node.get("$ref")
        prefix = "#/components/schemas/"
        if isinstance(ref, str) and ref.startswith(prefix) and ref.removeprefix(prefix) not in schemas:
            del node["$ref"]
            node["type"] = "object"


RULES: tuple[Callable[[Json], None], ...] = (
    rule_invalid_list_schemas,
    rule_enum_objects_to_lists,
    rule_dangling_references,
    rule_declare_path_parameters,
    rule_scope_headers_on_client,
    rule_operation_ids,
    rule_tags_by_first_segment,
    rule_nullable_properties,
    rule_read_only_not_required,
    rule_create_answers_200,
    rule_search_partial_content,
    rule_timeline_envelopes,
)


def apply_rules(doc: Json) -> Json:
    """Return a copy of ``doc`` with every rule of :data:`RULES` applied in order."""
    out = copy.deepcopy(doc)
    for rule in RULES:
        rule(out)
    return out


def apply_patches(doc: Json, patches: list[Json]) -> Json:
    """Apply the RFC 6902 operations of ``patches``; each must carry a ``reason``.

    A patch whose target no longer exists (the document changed upstream) is an
    error naming the patch, so an upgrade never silently drops a repair.
    """
    import jsonpatch

    out = doc
    for index, patch in enumerate(patches):
        if not patch.get("reason"):
            raise DocumentError(f"repair #{index} ({patch.get('path')}) has no reason")
        operation = {k: v for k, v in patch.items() if k not in {"reason", "evidence"}}
        try:
            out = jsonpatch.apply_patch(out, [operation])
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
            raise DocumentError(f"repair #{index} ({patch['path']}: {patch['reason']}) does not apply: {exc}") from exc
    return out


def load_patches(path: Path) -> list[Json]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data["patches"])


def repair(doc: Json, patches: list[Json]) -> Json:
    """The full repair: rules first (they name operations), then the data patches."""
    return apply_patches(apply_rules(doc), patches)
