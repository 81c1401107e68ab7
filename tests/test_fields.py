"""The Fields plugin through v1: containers, fields, values rows, ticket custom fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import vcr
import yaml
from glpi_harness import OWN, Driven, cassette, run
from test_v1 import FakeGlpi, session, v1_fail
from vcr.record_mode import RecordMode

from glpi_python_client import PluginFieldsError, PostTicket
from glpi_python_client._models.plugin_fields import GlpiPluginFieldsContainer, GlpiPluginFieldsField
from glpi_python_client._operations.fields import values_itemtype
from glpi_python_client.testing import GlpiSimulator

# -- replays ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("fields_plugin")
def test_list_containers(mode: str) -> None:
    async def body(c: Driven) -> None:
        containers = await c.list_plugin_fields_containers(itemtype="Ticket")
        assert len(containers) == 1
        container = containers[0]
        assert isinstance(container, GlpiPluginFieldsContainer)
        assert (container.id, container.name, container.label) == (1, "aidelarsolution", "Aide à la résolution")
        assert container.itemtypes == ["Ticket"]  # decoded from the JSON-encoded string
        assert (container.type, container.subtype, container.is_active, container.is_recursive) == (
            "dom",
            None,
            True,
            True,
        )

    with cassette("fields_list_containers") as cass:
        run(mode, body)
    assert cass.play_count == 3  # initSession, list, killSession


@pytest.mark.usefixtures("fields_plugin")
def test_list_fields_of_a_container(mode: str) -> None:
    async def body(c: Driven) -> None:
        (container,) = await c.list_plugin_fields_containers()
        fields = await c.list_plugin_fields_fields(container_id=container.id)
        assert [(f.id, f.name, f.type) for f in fields] == [(1, "aidelarsolutionfield", "richtext")]
        field = fields[0]
        assert isinstance(field, GlpiPluginFieldsField)
        assert field.plugin_fields_containers_id == 1 and field.is_readonly is False and field.mandatory is False

    with cassette("fields_list_fields_of_container") as cass:
        run(mode, body)
    # initSession, containers, the ANCHORED fields query (^1$, not the substring one), killSession
    assert cass.play_count == 4
    played = [cass.requests[i].uri for i, n in cass.play_counts.items() if n]
    assert any("%5E1%24" in uri for uri in played)
    assert not any(uri.endswith("plugin_fields_containers_id%5D=1") for uri in played)


def _assembled(tmp_path: Path, picks: list[tuple[str, int]]) -> Path:
    """A cassette of recorded interactions (``(scenario, index)``), in the order the client's flow issues them.

    Every answer is one the real server gave; an interaction appears twice where the flow repeats a request
    while the server's state is the one recorded (e.g. the container list, before and after a write).
    """
    sources: dict[str, Any] = {}
    interactions = []
    for name, index in picks:
        if name not in sources:
            sources[name] = yaml.safe_load((OWN / f"{name}.yaml").read_text())
        interactions.append(sources[name]["interactions"][index])
    path = tmp_path / "assembled.yaml"
    path.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}, allow_unicode=True))
    return path


def _same_plugin_json_body(r1: Any, r2: Any) -> None:
    """The POST/PUT of a values row must send exactly the recorded JSON (other bodies hold scrubbed secrets)."""
    plugin_writes = [r for r in (r1, r2) if "/apirest.php/PluginFields" in r.path and r.method in ("POST", "PUT")]
    if len(plugin_writes) == 2:
        assert json.loads(r1.body or b"null") == json.loads(r2.body or b"null")


@pytest.mark.usefixtures("fields_plugin")
def test_ticket_custom_fields_get_create_update(mode: str, tmp_path: Path) -> None:
    v, f = "fields_values_for_ticket", "fields_list_fields_of_container"
    # v: 0 token, 1 ticket, 2 initSession, 3 containers, 4 rows [], 5 POST row, 6 rows [row], 8 PUT row, 10 kill
    # f: 3 fields of container 1 (anchored ^1$)
    picks = [(v, 0), (v, 1), (v, 2)]
    picks += [(v, 3), (v, 4)]  # get: no values yet
    picks += [(v, 3), (f, 3), (v, 4), (v, 5)]  # set: validate, no row -> POST
    picks += [(v, 3), (v, 6)]  # get: the created row
    picks += [(v, 3), (f, 3), (v, 6), (v, 8)]  # set: validate, a row -> PUT
    picks += [(v, 10)]

    recorder = vcr.VCR(
        record_mode=RecordMode.NONE,
        match_on=["method", "scheme", "host", "port", "path", "query", "plugin_body"],
        decode_compressed_response=True,
    )
    recorder.register_matcher("plugin_body", _same_plugin_json_body)
    with recorder.use_cassette(str(_assembled(tmp_path, picks)), allow_playback_repeats=False) as cass:
        recorded = run(mode, custom_fields_flow)
    assert cass.all_played
    assert recorded == (96, [{"aidelarsolution": {}}, {"aidelarsolution": {"aidelarsolutionfield": CREATED}}])


CREATED = "<p>Redémarrer le spouleur d'impression.</p>"
UPDATED = "<p>Vider la file puis redémarrer le spouleur.</p>"


async def custom_fields_flow(c: Driven) -> tuple[int, list[dict[str, dict[str, Any]]]]:
    """What fields_values_for_ticket recorded: no values, a row created, then updated in place."""
    ticket_id = await c.create_ticket(PostTicket(name="fields", content="fields"))
    seen = [await c.get_ticket_custom_fields(ticket_id)]
    await c.set_ticket_custom_fields(ticket_id, {"aidelarsolution": {"aidelarsolutionfield": CREATED}})
    seen.append(await c.get_ticket_custom_fields(ticket_id))
    await c.set_ticket_custom_fields(ticket_id, {"aidelarsolution": {"aidelarsolutionfield": UPDATED}})
    return ticket_id, seen


def _recorded_plugin() -> GlpiSimulator:
    """A simulator whose Fields plugin holds what the recorded GLPI held: one ticket container, one field."""
    sim = GlpiSimulator()
    sim.fields_container("aidelarsolution", label="Aide à la résolution", fields={"aidelarsolutionfield": "richtext"})
    return sim


#: what differs between two servers by nature (ids, links) or by hand (a field's label)
_VOLATILE = {"id", "entities_id", "plugin_fields_containers_id", "extra_payload"}


@pytest.mark.usefixtures("fields_plugin")
def test_the_simulator_plugin_answers_like_the_recording(mode: str) -> None:
    async def listing(c: Driven) -> Any:
        (container,) = [x for x in await c.list_plugin_fields_containers() if x.name == "aidelarsolution"]
        fields = await c.list_plugin_fields_fields(container_id=container.id)
        return container.model_dump(exclude=_VOLATILE), [f.model_dump(exclude={*_VOLATILE, "label"}) for f in fields]

    with cassette("fields_list_fields_of_container"):
        recorded = run(mode, listing)
    assert run(mode, listing, transport=_recorded_plugin().transport()) == recorded
    sim = _recorded_plugin()
    ticket_id, seen = run(mode, custom_fields_flow, transport=sim.transport())
    assert seen == [{"aidelarsolution": {}}, {"aidelarsolution": {"aidelarsolutionfield": CREATED}}]
    (row,) = sim.fields_plugin.rows["PluginFieldsTicketaidelarsolution"].values()
    assert (row["items_id"], row["aidelarsolutionfield"]) == (ticket_id, UPDATED)  # updated in place, one row


def test_the_simulator_has_no_plugin_until_a_container_is_added(mode: str) -> None:
    sim = GlpiSimulator()

    async def body(c: Driven) -> None:
        with pytest.raises(PluginFieldsError, match="Fields plugin is not installed"):
            await c.get_ticket_custom_fields(1)
        sim.fields_container("infos", fields={"serialfield": "text"}, itemtypes=("Computer", "Ticket"))
        assert [x.name for x in await c.list_plugin_fields_containers("Computer")] == ["infos"]
        with pytest.raises(PluginFieldsError, match="unknown Fields plugin field 'colour'"):
            await c.set_ticket_custom_fields(1, {"infos": {"colour": "b"}})

    run(mode, body, transport=sim.transport())


# -- fake transport ---------------------------------------------------------------------------

CONTAINERS = [
    {"id": 1, "name": "aidelarsolution", "label": "Aide", "itemtypes": '["Ticket"]', "type": "dom", "is_active": 1},
    {"id": 2, "name": "infos", "label": "Infos", "itemtypes": '["Computer","Ticket"]', "type": "tab", "is_active": 1},
    {"id": 3, "name": "hardware", "label": "HW", "itemtypes": '["Computer"]', "type": "tab", "is_active": 1},
]
FIELDS = {
    "1": [{"id": 1, "name": "aidelarsolutionfield", "plugin_fields_containers_id": 1, "type": "richtext"}],
    "2": [
        {"id": 4, "name": "serialfield", "plugin_fields_containers_id": 2, "type": "text"},
        {"id": 5, "name": "ownerfield", "plugin_fields_containers_id": 2, "type": "text"},
    ],
}


def _fields(request: httpx.Request) -> httpx.Response:
    container = request.url.params["searchText[plugin_fields_containers_id]"].strip("^$")
    return httpx.Response(200, json=FIELDS.get(container, []))


def _fake(**routes: Any) -> FakeGlpi:
    base: dict[tuple[str, str], list[Any]] = {
        ("GET", "/apirest.php/initSession"): [session("s")],
        ("GET", "/apirest.php/PluginFieldsContainer"): [httpx.Response(200, json=CONTAINERS)],
        ("GET", "/apirest.php/PluginFieldsField"): [_fields],
        ("GET", "/apirest.php/PluginFieldsTicketaidelarsolution"): [httpx.Response(200, json=[])],
        ("GET", "/apirest.php/PluginFieldsTicketinfo"): [
            httpx.Response(
                200,
                json=[
                    {
                        "id": 7,
                        "items_id": 12,
                        "itemtype": "Ticket",
                        "plugin_fields_containers_id": 2,
                        "entities_id": 0,
                        "serialfield": "SN-1",
                        "ownerfield": "bob",
                        "links": [],
                    },
                    {
                        "id": 8,
                        "items_id": 120,
                        "itemtype": "Ticket",
                        "plugin_fields_containers_id": 2,
                        "entities_id": 0,
                        "serialfield": "SN-2",
                        "ownerfield": "eve",
                        "links": [],
                    },
                ],
            )
        ],
        ("POST", "/apirest.php/PluginFieldsTicketaidelarsolution"): [httpx.Response(201, json={"id": 9})],
        ("PUT", "/apirest.php/PluginFieldsTicketinfo/7"): [httpx.Response(200, json=[{"7": True, "message": ""}])],
    }
    base.update({tuple(k.split(" ", 1)): v for k, v in routes.items()})  # type: ignore[misc]
    return FakeGlpi(base)


def _writes(fake: FakeGlpi) -> list[httpx.Request]:
    return [r for r in fake.requests if r.method in ("POST", "PUT", "PATCH", "DELETE")]


def test_values_itemtype_naming() -> None:
    assert values_itemtype("Ticket", "aidelarsolution") == "PluginFieldsTicketaidelarsolution"
    assert values_itemtype("Ticket", "infos") == "PluginFieldsTicketinfo"  # a trailing "s" is dropped
    assert values_itemtype("Computer", "Hardware") == "PluginFieldsComputerhardware"


def test_containers_filtered_by_itemtype_client_side(mode: str) -> None:
    fake = _fake()

    async def body(c: Driven) -> None:
        assert [x.name for x in await c.list_plugin_fields_containers("Computer")] == ["infos", "hardware"]
        assert [x.name for x in await c.list_plugin_fields_containers()] == ["aidelarsolution", "infos", "hardware"]

    run(mode, body, transport=fake)
    assert all(not r.url.params for r in fake.sent("GET", "/apirest.php/PluginFieldsContainer"))


def test_get_and_set_with_two_containers(mode: str) -> None:
    fake = _fake()

    async def body(c: Driven) -> None:
        values = await c.get_ticket_custom_fields(12)
        # the substring match also returned ticket 120's row: it is filtered out
        assert values == {"aidelarsolution": {}, "infos": {"serialfield": "SN-1", "ownerfield": "bob"}}
        rows = await c.list_item_plugin_field_rows("Ticket", "infos", 12)
        assert [r["id"] for r in rows] == [7]
        await c.set_ticket_custom_fields(
            12, {"aidelarsolution": {"aidelarsolutionfield": "<p>x</p>"}, "infos": {"ownerfield": "alice"}}
        )

    run(mode, body, transport=fake)
    row_queries = fake.sent("GET", "/apirest.php/PluginFieldsTicketinfo")
    assert row_queries[0].url.params["searchText[items_id]"] == "^12$"
    assert row_queries[0].url.params["searchText[itemtype]"] == "Ticket"
    post, put = _writes(fake)
    assert post.url.path == "/apirest.php/PluginFieldsTicketaidelarsolution"
    assert json.loads(post.content) == {
        "input": {
            "items_id": 12,
            "itemtype": "Ticket",
            "plugin_fields_containers_id": 1,
            "aidelarsolutionfield": "<p>x</p>",
        }
    }
    assert put.url.path == "/apirest.php/PluginFieldsTicketinfo/7"
    assert json.loads(put.content) == {"input": {"ownerfield": "alice"}}


def test_unknown_container_is_refused_before_any_write(mode: str) -> None:
    fake = _fake()

    async def body(c: Driven) -> None:
        with pytest.raises(PluginFieldsError) as info:
            await c.set_ticket_custom_fields(12, {"aidelarsolution": {"aidelarsolutionfield": "x"}, "nosuch": {"a": 1}})
        message = str(info.value)
        assert "'nosuch'" in message and "'aidelarsolution'" in message and "'infos'" in message
        assert "'hardware'" not in message  # not a Ticket container

    run(mode, body, transport=fake)
    assert _writes(fake) == []


def test_unknown_field_is_refused_before_any_write(mode: str) -> None:
    fake = _fake()

    async def body(c: Driven) -> None:
        with pytest.raises(PluginFieldsError) as info:
            await c.set_ticket_custom_fields(
                12, {"aidelarsolution": {"aidelarsolutionfield": "x"}, "infos": {"serialfield": "a", "colour": "b"}}
            )
        message = str(info.value)
        assert "'colour'" in message and "'infos'" in message
        assert "'ownerfield'" in message and "'serialfield'" in message

    run(mode, body, transport=fake)
    assert _writes(fake) == []


@pytest.mark.parametrize(
    "reply",
    [
        v1_fail(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "resource not found or not an instance of CommonDBTM"),
        v1_fail(400, "ERROR_ITEM_NOT_FOUND", "Item not found"),
        v1_fail(404, "ERROR_ITEM_NOT_FOUND", "Item not found"),
    ],
)
def test_missing_plugin(mode: str, reply: httpx.Response) -> None:
    fake = _fake(**{"GET /apirest.php/PluginFieldsContainer": [reply]})

    async def body(c: Driven) -> None:
        for call in (
            lambda: c.list_plugin_fields_containers(),
            lambda: c.get_ticket_custom_fields(1),
            lambda: c.set_ticket_custom_fields(1, {"a": {"b": 1}}),
        ):
            with pytest.raises(PluginFieldsError, match="Fields plugin is not installed or not enabled"):
                await call()

    run(mode, body, transport=fake)
    assert _writes(fake) == []


def test_create_and_update_rows_directly(mode: str) -> None:
    fake = _fake()

    async def body(c: Driven) -> None:
        row_id = await c.create_item_plugin_field_row("Ticket", "aidelarsolution", 12, {"aidelarsolutionfield": "y"})
        assert row_id == 9
        assert await c.update_item_plugin_field_row("Ticket", "infos", 7, {"serialfield": "z"}) is None
        with pytest.raises(PluginFieldsError, match="'nosuch'"):
            await c.create_item_plugin_field_row("Ticket", "nosuch", 12, {"a": 1})

    run(mode, body, transport=fake)
    post, put = _writes(fake)
    assert json.loads(post.content)["input"]["plugin_fields_containers_id"] == 1
    assert json.loads(put.content) == {"input": {"serialfield": "z"}}
