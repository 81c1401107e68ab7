"""The repair rules and patches that make GLPI's document generable and truthful."""

from __future__ import annotations

import json

import pytest
from conftest import OPENAPI_DOCS, ROOT
from openapi_repairs import (
    DocumentError,
    apply_patches,
    apply_rules,
    load_patches,
    operation_name,
    repair,
    rule_enum_objects_to_lists,
    rule_invalid_list_schemas,
    rule_read_only_not_required,
    validate_document,
)

V22 = OPENAPI_DOCS / "glpi-11.0.6-api-v2.2.json"


@pytest.fixture(scope="module")
def doc() -> dict:
    return json.loads(V22.read_text())


@pytest.fixture(scope="module")
def repaired(doc: dict) -> dict:
    return repair(doc, load_patches(ROOT / "openapi" / "repairs.json"))


@pytest.mark.parametrize(
    ("method", "path", "name"),
    [
        ("get", "/Assistance/Ticket", "get_assistance_ticket"),
        ("get", "/Assistance/Ticket/{id}", "get_assistance_ticket_by_id"),
        ("get", "/Assistance/Ticket/{id}/Timeline/Followup", "get_assistance_ticket_by_id_timeline_followup"),
        ("delete", "/Assistance/Ticket/{id}/TeamMember", "delete_assistance_ticket_by_id_team_member"),
        ("get", "/Administration/User/username/{username}", "get_administration_user_username_by_username"),
        ("get", "/Dropdowns/ITILCategory", "get_dropdowns_itil_category"),
        ("get", "/", "get_root"),
        ("post", "/{req}", "post_by_req"),
    ],
)
def test_operation_names_follow_method_and_path(method: str, path: str, name: str) -> None:
    assert operation_name(method, path) == name


def test_every_operation_gets_a_unique_operation_id(doc: dict, repaired: dict) -> None:
    ids = [op["operationId"] for item in repaired["paths"].values() for m, op in item.items() if isinstance(op, dict)]
    total = sum(
        1 for item in doc["paths"].values() for m in item if m in ("get", "post", "put", "patch", "delete", "options")
    )
    assert len(ids) == total == len(set(ids))


def test_colliding_names_are_an_error() -> None:
    doc = {"paths": {"/A/B": {"get": {}}, "/a/b": {"get": {}}}}
    from openapi_repairs import rule_operation_ids

    with pytest.raises(DocumentError, match="collides"):
        rule_operation_ids(doc)


def test_invalid_list_schema_becomes_any() -> None:
    doc = {"paths": {"/{req}": {"get": {"responses": {"200": {"content": {"application/json": {"schema": []}}}}}}}}
    rule_invalid_list_schemas(doc)
    assert doc["paths"]["/{req}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {}


def test_enum_object_becomes_list_of_values() -> None:
    node = {"components": {"schemas": {"X": {"enum": {"0": "bigNumber", "57": "pie", "9": "pie"}}}}}
    rule_enum_objects_to_lists(node)
    assert node["components"]["schemas"]["X"]["enum"] == ["bigNumber", "pie"]


def test_read_only_properties_are_not_required() -> None:
    node = {"type": "object", "required": ["id", "name"], "properties": {"id": {"readOnly": True}, "name": {}}}
    rule_read_only_not_required(node)
    assert node["required"] == ["name"]


def test_live_shapes_are_in_the_repaired_document(repaired: dict) -> None:
    paths = repaired["paths"]
    create = paths["/Assistance/Ticket"]["post"]["responses"]
    assert set(create["200"]["content"]["application/json"]["schema"]["properties"]) == {"id", "href"}
    search = paths["/Assistance/Ticket"]["get"]["responses"]
    assert "206" in search and "Content-Range" in search["206"]["headers"]
    followups = paths["/Assistance/Ticket/{id}/Timeline/Followup"]["get"]["responses"]["200"]
    item = followups["content"]["application/json"]["schema"]["items"]
    assert set(item["properties"]) == {"type", "item"}
    team = paths["/Assistance/Ticket/{id}/TeamMember"]
    body = team["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "readOnly" not in body["properties"]["id"] and body["required"] == ["type", "id", "role"]
    assert "content" not in team["post"]["responses"]["201"] and "200" not in team["post"]["responses"]
    assert "requestBody" in team["delete"] and "200" in team["delete"]["responses"]
    assert 6 in repaired["components"]["schemas"]["Ticket"]["properties"]["priority"]["enum"]
    status = repaired["components"]["schemas"]["Ticket"]["properties"]["status"]
    assert status["nullable"] is True
    params = {p["name"] for op in paths["/Assistance/Ticket"].values() for p in op.get("parameters", [])}
    assert "GLPI-Entity" not in params


def test_rules_do_not_mutate_their_input(doc: dict) -> None:
    before = json.dumps(doc, sort_keys=True)
    apply_rules(doc)
    assert json.dumps(doc, sort_keys=True) == before


def test_every_patch_has_reason_and_evidence() -> None:
    for patch in load_patches(ROOT / "openapi" / "repairs.json"):
        assert patch["reason"].strip() and patch["evidence"].strip()


def test_a_patch_that_no_longer_applies_names_itself() -> None:
    with pytest.raises(DocumentError, match="does not apply"):
        apply_patches({"paths": {}}, [{"op": "remove", "path": "/paths/~1Nope", "reason": "gone upstream"}])


def test_a_patch_without_reason_is_refused() -> None:
    with pytest.raises(DocumentError, match="no reason"):
        apply_patches({"a": 1}, [{"op": "remove", "path": "/a"}])


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected a JSON object"),
        ({"swagger": "2.0"}, "not an OpenAPI 3"),
        ({"openapi": "3.0.0", "info": {"title": "Petstore", "version": "2.0"}}, "not a GLPI document"),
        ({"openapi": "3.0.0", "info": {"title": "GLPI", "version": "1.0"}}, "not a GLPI v2"),
        ({"openapi": "3.0.0", "info": {"title": "GLPI", "version": "2.2.0"}, "paths": {}}, "no paths"),
    ],
)
def test_documents_that_are_not_glpi_v2_are_refused(doc: object, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        validate_document(doc, source="x")


def test_versions_are_read(doc: dict) -> None:
    assert validate_document(doc, source=str(V22)) == "2.2.0"


def test_dangling_reference_becomes_an_object() -> None:
    from openapi_repairs import rule_dangling_references

    doc = {"components": {"schemas": {"A": {}}}, "x": {"$ref": "#/components/schemas/CustomAsset_{itemtype}"}}
    doc["y"] = {"$ref": "#/components/schemas/A"}
    rule_dangling_references(doc)
    assert doc["x"] == {"type": "object"} and doc["y"] == {"$ref": "#/components/schemas/A"}


def test_undeclared_path_parameters_are_declared_and_stale_ones_dropped() -> None:
    from openapi_repairs import rule_declare_path_parameters

    op = {"parameters": [{"name": "gone", "in": "path"}, {"name": "q", "in": "query"}]}
    doc = {"paths": {"/Assets/Computer/{asset_id}/SoftwareInstallation/{id}/{kind}": {"get": op}}}
    rule_declare_path_parameters(doc)
    params = {p["name"]: p for p in op["parameters"]}
    assert set(params) == {"q", "asset_id", "id", "kind"}
    assert params["asset_id"]["schema"] == {"type": "integer"} and params["kind"]["schema"] == {"type": "string"}
    assert all(params[n]["required"] for n in ("asset_id", "id", "kind"))


def test_scope_headers_leave_operations() -> None:
    from openapi_repairs import rule_scope_headers_on_client

    op = {"parameters": [{"name": "GLPI-Entity", "in": "header"}, {"name": "If-None-Match", "in": "header"}]}
    rule_scope_headers_on_client({"paths": {"/x": {"get": op}}})
    assert op["parameters"] == [{"name": "If-None-Match", "in": "header"}]


def test_timeline_lists_become_envelopes_but_single_items_do_not() -> None:
    from openapi_repairs import rule_timeline_envelopes

    def listing() -> dict:
        schema = {"type": "array", "items": {"$ref": "#/components/schemas/Followup"}}
        return {"get": {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}}

    doc = {"paths": {"/T/{id}/Timeline/Followup": listing(), "/T/{id}/Timeline/Followup/{subitem_id}": listing()}}
    rule_timeline_envelopes(doc)
    wrapped = doc["paths"]["/T/{id}/Timeline/Followup"]["get"]["responses"]["200"]["content"]["application/json"]
    assert wrapped["schema"]["items"]["properties"]["item"] == {"$ref": "#/components/schemas/Followup"}
    single = doc["paths"]["/T/{id}/Timeline/Followup/{subitem_id}"]["get"]["responses"]["200"]["content"]
    assert single["application/json"]["schema"]["items"] == {"$ref": "#/components/schemas/Followup"}


def test_creates_answer_200_and_searches_206() -> None:
    from openapi_repairs import rule_create_answers_200, rule_search_partial_content

    created = {"content": {"application/json": {"schema": {"properties": {"id": {}, "href": {}}}}}}
    search = {"parameters": [{"name": "start"}, {"name": "limit"}], "responses": {"200": {"description": "ok"}}}
    doc = {"paths": {"/T": {"post": {"responses": {"201": created}}, "get": search}}}
    rule_create_answers_200(doc)
    rule_search_partial_content(doc)
    assert doc["paths"]["/T"]["post"]["responses"]["200"]["content"] == created["content"]
    assert "Content-Range" in doc["paths"]["/T"]["get"]["responses"]["206"]["headers"]
