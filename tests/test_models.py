"""Tests of the GLPI pydantic models, including bodies recorded from a real GLPI 11.0.6."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from glpi_python_client._models import (
    DeleteTeamMember,
    DeleteTicket,
    GetDocument,
    GetEntity,
    GetFollowup,
    GetLocation,
    GetSolution,
    GetTeamMember,
    GetTicket,
    GetTicketTask,
    GetTimelineDocument,
    GetUser,
    IdName,
    PatchTicket,
    PatchTicketTask,
    PostEntity,
    PostLocation,
    PostSolution,
    PostTeamMember,
    PostTicket,
    PostTicketTask,
    PostUser,
)

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"


def recorded_body(cassette: str, method: str, uri_suffix: str, index: int = 0) -> Any:
    """The JSON body of the ``index``-th response to ``method`` on a URI ending with ``uri_suffix``."""
    data = yaml.safe_load((CASSETTES / f"{cassette}.yaml").read_text(encoding="utf-8"))
    bodies = [
        json.loads(i["response"]["body"]["string"])
        for i in data["interactions"]
        if i["request"]["method"] == method and i["request"]["uri"].endswith(uri_suffix)
    ]
    return bodies[index]


# --- permissive base -------------------------------------------------------------------------------


def test_unknown_keys_land_in_extra_payload() -> None:
    ticket = GetTicket.model_validate({"id": 1, "name": "x", "brand_new_key": [1, 2]})
    assert ticket.id == 1
    assert ticket.extra_payload == {"brand_new_key": [1, 2]}


def test_a_page_read_from_bytes_keeps_extra_keys_and_lenient_values() -> None:
    """One validate_json call per page: undeclared keys, bare ids and blank dates take their fallbacks there too."""
    from pydantic import TypeAdapter

    page = (
        b'[{"id": 1, "brand_new": 1, "entity": {"id": 0, "completename": "Root"}, "category": 4, "location": "",'
        b' "date": "", "date_mod": "0000-00-00 00:00:00", "status": null, "team": [{"id": 2, "role": "assigned",'
        b' "href": "/front/group.form.php?id=2", "extra": true}]}, {"id": 2, "status": 3, "date": null}]'
    )
    first, second = TypeAdapter(list[GetTicket]).validate_json(page)
    assert first.extra_payload == {"brand_new": 1} and "brand_new" not in first.model_fields_set
    assert first.entity is not None and first.entity.extra_payload == {"completename": "Root"}
    assert first.category == IdName(id=4) and first.location is None and first.status == IdName()
    assert first.date is None and first.date_mod is None
    (member,) = first.team
    assert (member.type, member.extra_payload) == ("Group", {"extra": True})
    assert second.status == IdName(id=3) and second.extra_payload == {}
    assert "brand_new" not in first.model_dump() and first.model_dump()["extra_payload"] == {"brand_new": 1}
    given = GetTicket.model_validate({"id": 3, "x": 1, "y": 2, "extra_payload": {"y": "mine"}})
    assert given.extra_payload == {"x": 1, "y": "mine"}  # the caller's extra_payload wins
    with pytest.raises(ValueError, match='"GetTicket" object has no field "nmae"'):
        first.nmae = "typo"  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match=r"date\n  Input should be an ISO 8601 date-time"):
        GetTicket.model_validate({"id": 1, "date": "yesterday"})
    with pytest.raises(ValidationError, match=r"entity\n  Input should be an \{id, name\} object or an int id"):
        GetTicket.model_validate({"id": 1, "entity": "Root"})


def test_write_models_send_undeclared_fields_only_through_extra_payload() -> None:
    ticket = PostTicket.model_validate({"name": "n", "extra_payload": {"_room_code": "PAR-3F-12", "_other": 1}})
    assert ticket.extra_payload == {"_room_code": "PAR-3F-12", "_other": 1}
    assert ticket.to_payload() == {"name": "n", "_room_code": "PAR-3F-12", "_other": 1}
    with pytest.raises(ValidationError, match=r"PostTicket has no field '_room_code', '_other'"):
        PostTicket.model_validate({"name": "n", "_room_code": "ambient", "_other": 1})


def test_extra_payload_wins_over_fields_in_payload() -> None:
    ticket = PostTicket(name="n", extra_payload={"name": "override", "_x": 1})
    assert ticket.to_payload() == {"name": "override", "_x": 1}


def test_to_payload_sends_only_set_fields() -> None:
    assert PatchTicket(content="x").to_payload() == {"content": "<p>x</p>"}  # Markdown, rendered
    assert PatchTicket().to_payload() == {}


def test_to_payload_sends_explicit_none() -> None:
    assert PatchTicket(content="x", location=None).to_payload() == {"content": "<p>x</p>", "location": None}
    assert PatchTicket(content=None).to_payload() == {"content": None}


def test_to_payload_renders_json_types() -> None:
    when = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
    payload = PostTicket(name="n", date=when, extra_payload={"_when": when}).to_payload()
    assert payload == {"name": "n", "date": "2026-01-02T09:00:00Z", "_when": "2026-01-02T09:00:00Z"}


def test_refs_reduce_to_int_ids() -> None:
    ticket = PostTicket(
        status=IdName(id=2, name="Processing (assigned)"),
        entity={"id": 0},  # type: ignore[arg-type]
        category=7,
    )
    assert ticket.to_payload() == {"status": 2, "entity": 0, "category": 7}
    with pytest.raises(ValidationError):
        PostTicket(entity={"name": "no id"})  # type: ignore[arg-type]


def test_ref_accepts_a_read_model() -> None:
    user = GetUser(id=9, username="jane")
    assert PostTicketTask(user_tech=user).to_payload() == {"user_tech": 9}  # type: ignore[arg-type]


def test_idname_str_is_pydantic_default() -> None:
    assert str(IdName(id=1, name="New")) == "id=1 name='New'"


def test_idname_accepts_bare_int() -> None:
    assert IdName.model_validate(3) == IdName(id=3)


def test_priority_major_6_validates() -> None:
    assert GetTicket.model_validate({"id": 1, "priority": 6}).priority == 6
    assert PostTicket(priority=6).to_payload() == {"priority": 6}


def test_empty_date_is_none() -> None:
    ticket = GetTicket.model_validate({"id": 1, "date_solve": "", "date": "2026-11-22T08:41:06+00:00"})
    assert ticket.date_solve is None
    assert ticket.date == datetime(2026, 11, 22, 8, 41, 6, tzinfo=UTC)


def test_delete_model_defaults() -> None:
    assert DeleteTicket().force is False
    assert DeleteTicket(force=True).force is True


# --- team members ----------------------------------------------------------------------------------


def test_post_team_member_requires_id() -> None:
    with pytest.raises(ValidationError):
        PostTeamMember.model_validate({"type": "User", "role": "assigned"})


def test_post_team_member_validates_role() -> None:
    with pytest.raises(ValidationError, match="invalid team member role 'bogus'"):
        PostTeamMember(id=2, role="bogus")
    assert PostTeamMember(id=2, role="Observer").role == "observer"
    assert PostTeamMember(id=2, role="watcher").role == "observer"


def test_post_team_member_payload_always_has_type() -> None:
    assert PostTeamMember(id=2, role="assigned").to_payload() == {"type": "User", "id": 2, "role": "assigned"}
    assert PostTeamMember(type="Group", id=1, role="observer").to_payload() == {
        "type": "Group",
        "id": 1,
        "role": "observer",
    }
    assert DeleteTeamMember(id=2, role="assigned").to_payload() == {"type": "User", "id": 2, "role": "assigned"}


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/front/user.form.php?id=2", "User"),
        ("/front/group.form.php?id=1", "Group"),
        ("/front/supplier.form.php?id=3", "Supplier"),
        (None, None),
    ],
)
def test_get_team_member_infers_type_from_href(href: str | None, expected: str | None) -> None:
    assert GetTeamMember.model_validate({"id": 2, "role": "assigned", "href": href}).type == expected


def test_get_team_member_keeps_explicit_type() -> None:
    member = GetTeamMember.model_validate({"id": 2, "type": "Group", "href": "/front/user.form.php?id=2"})
    assert member.type == "Group"


def test_ticket_team_embedded_members() -> None:
    ticket = GetTicket.model_validate(
        {"id": 1, "team": [{"id": 5, "name": "normal", "type": "User", "role": "requester"}]}
    )
    assert ticket.team[0].id == 5
    assert ticket.team[0].type == "User"
    assert ticket.team[0].role == "requester"


# --- tasks and users -------------------------------------------------------------------------------


def test_task_user_tech_int_or_object() -> None:
    assert GetTicketTask.model_validate({"id": 1, "user_tech": 2}).user_tech == IdName(id=2)
    task = GetTicketTask.model_validate({"id": 1, "user_tech": {"id": 2, "name": "glpi"}, "group_tech": 4})
    assert task.user_tech == IdName(id=2, name="glpi")
    assert task.group_tech == IdName(id=4)
    assert PatchTicketTask(user_tech={"id": 4}).to_payload() == {"user_tech": 4}  # type: ignore[arg-type]


def test_task_begin_end_aliases() -> None:
    task = PostTicketTask.model_validate({"content": "c", "begin": "2026-01-01T10:00:00"})
    assert task.to_payload() == {"content": "<p>c</p>", "planned_begin": "2026-01-01T10:00:00"}


def test_solution_type_alias() -> None:
    assert PostSolution.model_validate({"content": "c", "solutiontype": 3}).to_payload() == {
        "content": "<p>c</p>",
        "type": 3,
    }


def test_password_not_in_repr() -> None:
    user = PostUser(username="jane", password="s3cret-pwd", password2="s3cret-pwd", realname="Doe")
    assert "s3cret-pwd" not in repr(user)
    assert "s3cret-pwd" not in str(user)
    assert user.to_payload() == {
        "username": "jane",
        "password": "s3cret-pwd",
        "password2": "s3cret-pwd",
        "realname": "Doe",
    }


def test_write_models_from_user_guide() -> None:
    assert PostLocation(name="HQ Paris").to_payload() == {"name": "HQ Paris"}
    assert PostEntity(name="Paris", parent=0).to_payload() == {"name": "Paris", "parent": 0}
    assert PostTicketTask(content="On-site visit", duration=900).to_payload() == {
        "content": "<p>On-site visit</p>",
        "duration": 900,
    }


# --- real bodies -----------------------------------------------------------------------------------


def test_parse_recorded_ticket() -> None:
    ticket = GetTicket.model_validate(recorded_body("ticket_crud", "GET", "/Assistance/Ticket/57", 1))
    assert ticket.id == 57
    assert ticket.status == IdName(id=2, name="Processing (assigned)")
    assert str(ticket.status) == "id=2 name='Processing (assigned)'"
    assert ticket.entity is not None
    assert ticket.entity.id == 0
    assert ticket.entity.extra_payload == {"completename": "Root entity"}
    assert ticket.urgency == 4
    assert ticket.type == 1
    assert ticket.category is None
    assert ticket.team == []
    assert ticket.date_creation == datetime(2026, 11, 22, 8, 44, 25, tzinfo=UTC)
    assert ticket.extra_payload == {}


def test_parse_recorded_ticket_list_with_team() -> None:
    tickets = [GetTicket.model_validate(t) for t in recorded_body("ticket_list_default", "GET", "/Assistance/Ticket")]
    members = [m for t in tickets for m in t.team]
    assert members
    assert all(m.type == "User" for m in members)
    assert {m.role for m in members} <= {"requester", "assigned", "observer"}


def test_parse_recorded_followup() -> None:
    envelopes = recorded_body("timeline_followup_crud", "GET", "/Timeline/Followup")
    assert envelopes[0]["type"] == "Followup"
    followup = GetFollowup.model_validate(envelopes[0]["item"])
    assert followup.id == 7
    assert followup.items_id == 82
    assert followup.itemtype == "Ticket"
    assert followup.is_private is False
    assert followup.user == IdName(id=2, name="glpi")
    assert followup.timeline_position == 1
    assert followup.extra_payload == {}
    assert GetFollowup.model_validate(recorded_body("timeline_followup_crud", "GET", "/Followup/7")) == followup


def test_parse_recorded_task() -> None:
    task = GetTicketTask.model_validate(recorded_body("timeline_task_crud", "GET", "/Timeline/Task/4"))
    assert task.id == 4
    assert task.duration == 900
    assert task.state == 1
    assert task.tickets_id == 83
    assert task.user_tech == IdName(id=2, name="glpi")
    assert task.group_tech is None
    assert task.uuid == "fa87a65c-b6e0-45ef-900a-aa92c685f462"
    assert task.extra_payload == {}


def test_parse_recorded_solution() -> None:
    solution = GetSolution.model_validate(recorded_body("timeline_solution_crud", "GET", "/Timeline/Solution/4"))
    assert solution.id == 4
    assert solution.status == 2
    assert solution.items_id == 84
    assert solution.type is None
    assert solution.user == IdName(id=2, name="glpi")
    assert solution.extra_payload == {}


def test_parse_recorded_timeline_document() -> None:
    envelope = recorded_body("timeline_document", "GET", "/Timeline/Document")[0]
    assert envelope["type"] == "Document"
    link = GetTimelineDocument.model_validate(envelope["item"])
    assert link.id == 5
    assert link.documents_id == 12
    assert link.items_id == 85
    assert link.itemtype == "Ticket"
    assert link.filepath == "/front/document.send.php?docid=12"
    assert link.timeline_position == 1
    assert link.extra_payload == {}


def test_parse_recorded_team_member() -> None:
    body = recorded_body("team_members_add_assigned_user", "GET", "/TeamMember", 1)
    member = GetTeamMember.model_validate(body[0])
    assert member.id == 2
    assert member.type == "User"
    assert member.role == "assigned"
    assert member.display_name == "glpi"
    assert member.extra_payload == {}


def test_parse_recorded_user() -> None:
    user = GetUser.model_validate(recorded_body("users_crud", "GET", "/Administration/User/9"))
    assert user.id == 9
    assert user.username == "refrec_0015b4"
    assert (user.realname, user.firstname) == ("Doe", "Jane")
    assert user.is_active is True
    assert user.authtype == 1
    assert user.emails == []
    assert user.default_entity == IdName(id=0, name="Root entity")
    assert user.extra_payload == {}


def test_parse_recorded_entity() -> None:
    root = GetEntity.model_validate(recorded_body("entities_crud", "GET", "/Administration/Entity/0"))
    assert (root.id, root.name, root.level, root.parent) == (0, "Root entity", 1, None)
    child = GetEntity.model_validate(recorded_body("entities_crud", "GET", "/Administration/Entity/3"))
    assert child.parent == IdName(id=0, name="Root entity")
    assert child.completename == "Root entity > refrec child 0015b4"
    assert child.level == 2
    assert child.extra_payload == {}


def test_parse_recorded_location() -> None:
    location = GetLocation.model_validate(recorded_body("locations_crud", "GET", "/Dropdowns/Location/6"))
    assert location.id == 6
    assert location.completename == "HQ 0015b4 > Floor 2"
    assert location.parent == IdName(id=5, name="HQ 0015b4")
    assert location.entity == IdName(id=0, name="Root entity")
    assert location.extra_payload == {}


def test_parse_recorded_document() -> None:
    document = GetDocument.model_validate(recorded_body("documents_crud_metadata", "GET", "/Management/Document/14"))
    assert document.id == 14
    assert document.name == "refrec metadata 0015b4"
    assert document.filepath == "/front/document.send.php?docid=14"
    assert document.filename is None
    assert document.is_deleted is False
    assert document.entity == IdName(id=0, name="Root entity")
    assert document.extra_payload == {}


def test_numbers_accepted_for_string_fields() -> None:
    assert GetLocation.model_validate({"id": 1, "latitude": 48.85, "postcode": 75001}).latitude == "48.85"


def test_single_items_and_timeline_lists_are_read_from_bytes_with_the_same_results_and_errors() -> None:
    import httpx

    from glpi_python_client import APIResponseValidationError, GetFollowup
    from glpi_python_client._operations._common import parse_envelopes, parse_item

    def answer(body: bytes) -> httpx.Response:
        request = httpx.Request("GET", "http://glpi.test/api.php/v2/Assistance/Ticket/5")
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"}, request=request)

    ticket = parse_item(GetTicket, answer(b'{"id": 5, "status": 2, "entity": {"id": 0, "completename": "R"}, "x": 1}'))
    assert (ticket.id, ticket.status, ticket.extra_payload) == (5, IdName(id=2), {"x": 1})
    with pytest.raises(APIResponseValidationError, match="is not a valid GetTicket: id: Field required"):
        parse_item(GetTicket, answer(b'{"name": "no id"}'))
    with pytest.raises(APIResponseValidationError, match="not valid JSON"):
        parse_item(GetTicket, answer(b'{"id": 5, "na'))
    enveloped = (
        b'[{"type": "Followup", "item": {"id": 1, "content": "<p>a</p>"}}, {"type": "Followup", "item": {"id": 2}}]'
    )
    assert [f.id for f in parse_envelopes(GetFollowup, answer(enveloped))] == [1, 2]
    assert [f.id for f in parse_envelopes(GetFollowup, answer(b'[{"id": 3}, {"type": "x", "item": {"id": 4}}]'))] == [
        3,
        4,
    ]
    with pytest.raises(APIResponseValidationError, match=r"GetFollowup: id: Field required"):
        parse_envelopes(GetFollowup, answer(b'[{"type": "Followup", "item": {"content": "no id"}}]'))


def test_json_schemas_say_which_models_take_undeclared_keys() -> None:
    """Reads keep undeclared keys (additionalProperties true); writes refuse them, and their schema says so."""
    assert GetTicket.model_json_schema()["additionalProperties"] is True
    assert PostTicket.model_json_schema()["additionalProperties"] is False
    date = GetTicket.model_json_schema()["properties"]["date"]
    assert date["anyOf"] == [{"format": "date-time", "type": "string"}, {"type": "null"}]  # no fallback noise
