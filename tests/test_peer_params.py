"""The peer glpi-python-client 0.6.5's parameters on the methods both packages have, beside the guide's spellings."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import httpx
import pytest
from glpi_harness import Driven, run
from test_v1 import FakeGlpi, session

from glpi_python_client import (
    GetPluginFieldsValueRow,
    GetTeamMember,
    GlpiClient,
    InvalidArgumentError,
    PostTeamMember,
    PostTimelineDocument,
)
from glpi_python_client._operations import reporting

API = "/api.php/v2"
V1 = "/apirest.php"


def ok(payload: Any = None, status: int = 200, **headers: str) -> httpx.Response:
    content = b"" if payload is None else json.dumps(payload).encode()
    return httpx.Response(status, content=content, headers={"Content-Type": "application/json", **headers})


def test_timeline_deletes_take_force(mode: str) -> None:
    routes = {("DELETE", f"{API}/Assistance/Ticket/3/Timeline/{kind}/9"): [ok(status=204)] for kind in
              ("Followup", "Task", "Solution", "Document")}  # fmt: skip
    fake = FakeGlpi(routes)

    async def body(c: Driven) -> None:
        await c.delete_ticket_followup(3, 9, force=True)
        await c.delete_ticket_task(3, 9, force=True)
        await c.delete_ticket_solution(3, 9)
        await c.unlink_ticket_timeline_document(3, 9, force=True)

    run(mode, body, transport=fake)
    sent = {r.url.path.split("/")[-2]: r.url.params.get("force") for r in fake.sent("DELETE")}
    assert sent == {"Followup": "true", "Task": "true", "Solution": None, "Document": "true"}


def test_timeline_documents_by_the_peer_names(mode: str) -> None:
    link = {"id": 9, "documents_id": 4, "timeline_position": 1}
    fake = FakeGlpi(
        {
            ("GET", f"{API}/Assistance/Ticket/3/Timeline/Document/9"): [ok(link)],
            ("PATCH", f"{API}/Assistance/Ticket/3/Timeline/Document/9"): [ok({**link, "timeline_position": 4})],
            ("GET", f"{V1}/initSession"): [session("s")],
            ("POST", f"{V1}/Document_Item"): [ok({"id": 12, "message": ""}, 201)],
        }
    )

    async def body(c: Driven) -> None:
        assert (await c.get_ticket_timeline_document(ticket_id=3, document_link_id=9)).documents_id == 4
        updated = await c.update_ticket_timeline_document(3, 9, {"timeline_position": 4})
        assert updated.timeline_position == 4
        assert await c.link_ticket_timeline_document(3, 4) == 12  # the guide: a document id
        assert await c.link_ticket_timeline_document(3, document_link=PostTimelineDocument(documents_id=5)) == 12
        assert await c.link_ticket_timeline_document(3, {"documents_id": 6}) == 12
        with pytest.raises(ValueError, match="documents_id"):
            await c.link_ticket_timeline_document(3, PostTimelineDocument(timeline_position=1))

    run(mode, body, transport=fake)
    assert json.loads(fake.sent("PATCH")[0].content) == {"timeline_position": 4}
    linked = [json.loads(r.content)["input"]["documents_id"] for r in fake.sent("POST", f"{V1}/Document_Item")]
    assert linked == [4, 5, 6]


def test_search_tickets_fields_and_search_users_skip_entity(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", f"{API}/Assistance/Ticket"): [ok([{"id": 1, "name": "t"}], **{"Content-Range": "0-0/1"})],
            ("GET", f"{API}/Administration/User"): [ok([{"id": 2, "username": "bob"}], **{"Content-Range": "0-0/1"})],
        }
    )

    async def body(c: Driven) -> None:
        assert [t.id for t in await c.search_tickets("id==1", fields=("id", "name"))] == [1]
        assert [[t.id for t in p] async for p in c.iter_search_tickets(fields=["id"])] == [[1]]
        await c.search_tickets()
        assert [u.id for u in await c.search_users("username==bob", skip_entity=True)] == [2]
        assert [[u.id for u in p] async for p in c.iter_search_users(skip_entity=True)] == [[2]]
        await c.search_users()

    run(mode, body, transport=fake, glpi_entity=3, glpi_profile=4)
    tickets = fake.sent("GET", f"{API}/Assistance/Ticket")
    assert [r.url.params.get("fields") for r in tickets] == ["id,name", "id", None]
    users = fake.sent("GET", f"{API}/Administration/User")
    assert [(r.headers.get("GLPI-Entity"), r.headers.get("GLPI-Profile")) for r in users] == [
        (None, None),
        (None, None),
        ("3", "4"),
    ]
    assert all(r.headers.get("GLPI-Entity") == "3" for r in tickets)


def test_from_env_reads_a_given_mapping_and_prefix() -> None:
    env = {
        "ACME_GLPI_API_URL": "https://glpi.example.com/api.php/v2",
        "ACME_GLPI_CLIENT_ID": "id",
        "ACME_GLPI_CLIENT_SECRET": "secret",
        "ACME_GLPI_ENTITY": "3",
        "ACME_GLPI_AUTH_TOKEN_REFRESH": "45",
        "GLPI_API_URL": "https://wrong.example.com/api.php/v2",
    }
    with GlpiClient.from_env(env=env, prefix="ACME_GLPI_", language="fr_FR") as client:
        assert client.config.glpi_api_url == "https://glpi.example.com/api.php/v2"
        assert client.config.glpi_entity == 3
        assert client.config.auth_token_refresh == 45.0
        assert client.config.language == "fr_FR"
    from glpi_python_client import ConfigurationError

    with pytest.raises(ConfigurationError, match="ACME_API_URL"):
        GlpiClient.from_env(env={}, prefix="ACME_")


def test_upload_document_name_and_entity(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", f"{V1}/initSession"): [session("s")],
            ("POST", f"{V1}/Document"): [ok({"id": 88, "message": ""}, 201)],
        }
    )

    async def body(c: Driven) -> None:
        assert await c.upload_document(filename="a.txt", content=b"a", document_name="Report", entity_id=2) == 88
        with pytest.raises(ValueError, match="same option"):
            await c.upload_document(filename="a.txt", content=b"a", name="x", document_name="y")

    run(mode, body, transport=fake)
    (post,) = fake.sent("POST", f"{V1}/Document")
    manifest = post.content.split(b'name="uploadManifest"\r\nContent-Type: application/json\r\n\r\n')[1]
    assert json.loads(manifest.split(b"\r\n--")[0]) == {
        "input": {"name": "Report", "_filename": ["a.txt"], "entities_id": 2}
    }


def test_plugin_field_rows_in_both_argument_orders(mode: str) -> None:
    row = {"id": 7, "items_id": 12, "itemtype": "Ticket", "plugin_fields_containers_id": 2, "serialfield": "SN-1"}
    fake = FakeGlpi(
        {
            ("GET", f"{V1}/initSession"): [session("s")],
            ("GET", f"{V1}/PluginFieldsTicketinfo"): [ok([row])],
            ("POST", f"{V1}/PluginFieldsTicketinfo"): [ok({"id": 8, "message": ""}, 201)],
        }
    )

    async def body(c: Driven) -> None:
        peer = await c.list_item_plugin_field_rows("Ticket", 12, "infos")
        guide = await c.list_item_plugin_field_rows("Ticket", "infos", 12)
        assert peer == guide and isinstance(peer[0], GetPluginFieldsValueRow)
        assert peer[0].id == 7 and peer[0].extra_payload == {"serialfield": "SN-1"}
        assert peer[0]["serialfield"] == "SN-1" and peer[0]["id"] == 7 and "serialfield" in peer[0]
        assert dict(peer[0]) == row and peer[0].get("nosuch", 0) == 0
        with pytest.raises(TypeError):
            await c.list_item_plugin_field_rows("Ticket", 12, 13)
        row_id = await c.create_item_plugin_field_row(
            itemtype="Ticket", items_id=12, container_id=2, container_name="infos", values={"serialfield": "x"},
            entities_id=4,
        )  # fmt: skip
        assert row_id == 8

    run(mode, body, transport=fake)
    assert json.loads(fake.sent("POST", f"{V1}/PluginFieldsTicketinfo")[0].content) == {
        "input": {"items_id": 12, "itemtype": "Ticket", "plugin_fields_containers_id": 2, "serialfield": "x",
                  "entities_id": 4}
    }  # fmt: skip


def test_remove_team_member_by_the_peer_member_body(mode: str) -> None:
    fake = FakeGlpi({("DELETE", f"{API}/Assistance/Ticket/3/TeamMember"): [ok(status=204)]})

    async def body(c: Driven) -> None:
        await c.remove_ticket_team_member(3, PostTeamMember(type="User", id=4, role="assigned"))
        await c.remove_ticket_team_member(3, member=GetTeamMember(type="Group", id=5, role="observer"))
        await c.remove_ticket_team_member(3, {"type": "User", "id": 6, "role": "requester"})
        with pytest.raises(ValueError, match="different members"):
            await c.remove_ticket_team_member(3, PostTeamMember(type="User", id=4, role="assigned"), team_member_id=5)
        with pytest.raises(InvalidArgumentError, match="team_member_id must be an int id"):
            await c.remove_ticket_team_member(3)

    run(mode, body, transport=fake)
    bodies = [json.loads(r.content) for r in fake.sent("DELETE")]
    assert bodies == [
        {"type": "User", "id": 4, "role": "assigned"},
        {"type": "Group", "id": 5, "role": "observer"},
        {"type": "User", "id": 6, "role": "requester"},
    ]


def test_ticket_statistics_default_days(mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reporting, "_today", lambda: date(2026, 1, 31))
    fake = FakeGlpi({("GET", f"{API}/Assistance/Ticket"): [ok([], **{"Content-Range": "0--1/0"})]})

    async def body(c: Driven) -> None:
        assert await c.get_ticket_statistics(default_days=30) == {"entities": {}}
        await c.get_ticket_statistics()  # the guide: no bound without dates
        with pytest.raises(ValueError, match="default_days"):
            await c.get_ticket_statistics(default_days=-1)

    run(mode, body, transport=fake)
    filters = [r.url.params.get("filter") for r in fake.sent("GET", f"{API}/Assistance/Ticket")]
    assert filters == ["date_creation=ge=2026-01-01 00:00:00;date_creation=le=2026-01-31 23:59:59", None]


def test_peer_models_and_enums_build_as_written_for_the_peer() -> None:
    """The peer's reference classes, enum helpers and write-model fields are accepted and sent as given."""
    from datetime import datetime

    from glpi_python_client import (
        GlpiContractRenewalType,
        GlpiEnum,
        GlpiTicketStatus,
        IdNameCompletenameRef,
        IdNameRef,
        IdRef,
        PostComputer,
        PostContract,
        PostTicket,
        PostTicketTask,
    )

    ticket = PostTicket(name="x", sla_ttr=IdRef(id=2), entity=IdNameCompletenameRef(id=0, completename="Root"))
    assert ticket.to_payload() == {"name": "x", "sla_ttr": 2, "entity": 0}
    stamped = PostComputer(name="pc", date_creation=datetime(2026, 1, 2, 10, 0), group=[IdNameRef(id=3)])
    assert stamped.to_payload() == {"name": "pc", "date_creation": "2026-01-02T10:00:00", "group": [3]}
    assert PostTicketTask(content_html="<p>x</p>", tickets_id=3).to_payload() == {
        "content": "<p>x</p>",
        "tickets_id": 3,
    }
    assert PostContract(renewal_type=GlpiContractRenewalType.TACIT).to_payload() == {"renewal_type": 1}
    assert GlpiTicketStatus.SOLVED.glpi_id == 5 and isinstance(GlpiTicketStatus.SOLVED, GlpiEnum)
    assert GlpiTicketStatus.NEW.rsql_equals("status.id") == "status.id==1"
    with pytest.raises(ValueError, match="did you mean 'name'"):  # still strict about names neither package knows
        PostComputer(nmae="pc")
