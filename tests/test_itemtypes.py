"""Every itemtype collection of the OpenAPI document as a typed resource, walked through both clients.

The simulator serves every collection from the document (``glpi_collections``); each test body runs once per
client (``mode``).
"""

from __future__ import annotations

import inspect
import json
from datetime import UTC, timedelta, timezone
from typing import Any

import pytest
from conftest import OPENAPI_DOCS
from glpi_harness import Driven, collect, run
from glpi_harness import settle as aw
from glpi_sim import GlpiSim

from glpi_python_client import AsyncGlpiClient, GlpiClient, NotFoundError
from glpi_python_client._generated.resource_index import FIELDS, NAMES, OBJECT_PROPERTIES, RESOURCES
from glpi_python_client._operations.items import WriteValidationError
from glpi_python_client._resources import SearchPage, UnknownResourceError
from glpi_python_client.rsql import map_object_properties

DOCUMENT = json.loads((OPENAPI_DOCS / "glpi-11.0.6-api-v2.2.json").read_text(encoding="utf-8"))
BY_TYPE = {spec["itemtype"]: spec for spec in RESOURCES}


def sim_run(mode: str, body: Any, sim: GlpiSim | None = None) -> GlpiSim:
    sim = sim or GlpiSim()
    run(mode, body, transport=sim.transport())
    return sim


# -- the index against the document --------------------------------------------------------------


def _document_collections() -> set[str]:
    """Literal paths with a GET listing items and a by-id GET (``{id}`` or ``{article_id}``), derived afresh."""
    paths = DOCUMENT["paths"]
    found = set()
    for path, item in paths.items():
        if "{" in path or "get" not in item:
            continue
        schema = item["get"].get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
        if schema.get("schema", {}).get("type") != "array":
            continue
        base = path.rstrip("/")
        if any(p in paths and "get" in paths[p] for p in (f"{base}/{{id}}", f"{base}/{{article_id}}")):
            found.add(base)
    return found


def test_the_index_holds_every_collection_of_the_document() -> None:
    indexed = {spec["path"].rstrip("/") for spec in RESOURCES}
    assert indexed == _document_collections()
    # 103: the 102 collections whose by-id route declares an integer id, plus EventLog, whose {id}
    # the document does not declare.
    assert len(RESOURCES) == 103
    areas = {spec["area"] for spec in RESOURCES}
    assert areas == {"assets", "components", "assistance", "administration", "management", "project",
                     "dropdowns", "knowledgebase", "tools", "setup"}  # fmt: skip
    assert sum(spec["area"] == "dropdowns" for spec in RESOURCES) == 32
    assert BY_TYPE["EventLog"]["operations"] == "lg" and BY_TYPE["ApprovalSubstitute"]["operations"] == "lgcd"
    for spec in RESOURCES:
        item = DOCUMENT["paths"][spec["item_path"]]
        assert ("d" in spec["operations"]) == ("delete" in item), spec["path"]
        assert ("c" in spec["operations"]) == ("post" in DOCUMENT["paths"][spec["path"]]), spec["path"]


def test_accessor_names_follow_the_rule_and_are_unique() -> None:
    seen = {(spec["area"], spec["attribute"]) for spec in RESOURCES}
    assert len(seen) == len(RESOURCES)
    expected = {
        "/Assets/Computer": ("assets", "computers"),
        "/Assets/NetworkEquipment": ("assets", "network_equipments"),
        "/Assistance/Problem": ("assistance", "problems"),
        "/Dropdowns/Location": ("dropdowns", "locations"),
        "/Dropdowns/ITILCategory": ("dropdowns", "itil_categories"),
        "/Components/Battery": ("components", "batteries"),
        "/Project": ("project", "projects"),
        "/Project/Task": ("project", "tasks"),
        "/Knowledgebase/Article": ("knowledgebase", "articles"),
        "/Setup/LDAPDirectory": ("setup", "ldap_directories"),
    }
    by_path = {spec["path"].rstrip("/"): (spec["area"], spec["attribute"]) for spec in RESOURCES}
    for path, names in expected.items():
        assert by_path[path] == names


def test_object_properties_come_from_every_schema() -> None:
    assert OBJECT_PROPERTIES["Computer"] >= {"state", "location", "entity", "manufacturer"} or OBJECT_PROPERTIES[
        "Computer"
    ] >= {"status", "location", "entity", "manufacturer"}
    assert map_object_properties("status==2;location==3", "Computer") == "status.id==2;location.id==3"
    assert map_object_properties("name==pc", "Computer") == "name==pc"
    assert {"Ticket", "Followup", "TicketTask", "Solution", "KBArticle"} <= set(OBJECT_PROPERTIES)


def test_every_collection_is_reachable_on_both_clients() -> None:
    for cls in (GlpiClient, AsyncGlpiClient):
        client = cls(glpi_api_url="http://127.0.0.1:8088/api.php/v2", username="u", password="p")
        for spec in RESOURCES:
            res = getattr(getattr(client, spec["area"]), spec["attribute"])
            assert res is client.resource(spec["itemtype"]) is client.resource(spec["path"])
            assert (res.itemtype, "/" + res.path) == (spec["itemtype"], spec["path"])
            declared = {"create": "c", "update": "u", "delete": "d"}
            for method, code in declared.items():
                assert hasattr(res, method) == (code in spec["operations"]), (spec["path"], method)
            for method in ("get", "search", "iterate", "count"):
                assert callable(getattr(res, method))
        assert inspect.isasyncgenfunction(type(client.assets.computers).iterate) == (cls is AsyncGlpiClient)


def test_an_unknown_name_names_the_closest_ones() -> None:
    client = GlpiClient(glpi_api_url="http://127.0.0.1:8088/api.php/v2", username="u", password="p")
    with pytest.raises(UnknownResourceError, match="'Computer'") as info:
        client.resource("Computr")
    assert isinstance(info.value, ValueError)
    assert client.resource("computer") is client.assets.computers  # case does not matter
    assert client.resource("KnowbaseItem") is client.knowledgebase.articles  # GLPI's own itemtype name
    assert client.resource("Assets/Monitor/") is client.assets.monitors
    with pytest.raises(UnknownResourceError, match="Note"):
        client.assets.computers.sub("Notes", 1)
    assert "Computer" in NAMES and "/Assets/Computer" in NAMES


# -- every itemtype through both clients ----------------------------------------------------------


_VALUES = {
    "str": lambda i: f"walk {i}",
    "int": lambda i: 10 + i,
    "float": lambda i: 1.5 + i,
    "bool": lambda i: i % 2 == 0,
    "datetime": lambda i: f"2026-01-0{i + 1} 08:00:00",
    "date": lambda i: f"2026-01-0{i + 1}",
    "ref": lambda i: 100 + i,
}


def _key(itemtype: str, *, besides: str | None = None) -> tuple[str, str]:
    """A writable property to fill in (``name`` when there is one) and its kind; any one if none is writable."""
    fields = FIELDS[BY_TYPE[itemtype]["write_schema"]]
    some = any(w for _k, (_kind, w, _t) in fields.items())
    writable = [(k, kind) for k, (kind, w, _t) in fields.items() if (w or not some) and kind in _VALUES]
    writable = [(k, kind) for k, kind in writable if k not in (besides, "id")]
    writable.sort(key=lambda kv: (kv[0] != "name", list(_VALUES).index(kv[1])))
    return writable[0]


def _body(itemtype: str, index: int, *, ref: str | None) -> dict[str, Any]:
    key, kind = _key(itemtype, besides=ref)
    body: dict[str, Any] = {key: _VALUES[kind](index)}
    if ref and index == 0:
        body[ref] = 7
    return body


def _plain(value: Any, kind: str) -> Any:
    """A read model's value in the form it was written."""
    if kind == "ref":
        return value.id
    if kind == "datetime":
        return f"{value:%Y-%m-%d %H:%M:%S}"
    if kind == "date":
        return value.isoformat()
    return value


def _ref_property(itemtype: str) -> str | None:
    fields = FIELDS[BY_TYPE[itemtype]["read_schema"]]
    refs = [k for k, (kind, writable, _t) in fields.items() if kind == "ref" and writable]
    return refs[0] if refs else None


@pytest.mark.parametrize("itemtype", sorted(BY_TYPE))
def test_walk_every_itemtype(mode: str, itemtype: str) -> None:
    spec = BY_TYPE[itemtype]
    ops = spec["operations"]
    ref = _ref_property(itemtype)
    sim = GlpiSim(document_only=True)

    async def body(c: Driven) -> None:
        res = c.client.resource(itemtype)
        if "c" in ops:
            ids = [await aw(res.create(_body(itemtype, i, ref=ref))) for i in range(3)]
        else:  # read-only collections (EventLog): seed the simulator
            ids = [sim.collections.add(spec["path"], _body(itemtype, i, ref=ref), seed=True)["id"] for i in range(3)]
        page = await aw(res.search(limit=2))
        assert isinstance(page, SearchPage)
        assert ([i.id for i in page.items], page.total, page.next_start) == (ids[:2], 3, 2)
        assert [i.id for i in await collect(res.iterate(page_size=2))] == ids
        assert await aw(res.count()) == 3
        item = await aw(res.get(ids[0]))
        assert isinstance(item, res.model) and item.id == ids[0]
        if ref:
            assert getattr(item, ref).id == 7
            assert await aw(res.count(f"{ref}==7")) == 1  # rewritten to ref.id==7: the server refuses bare refs
            assert f"{ref}.id==7" in sim.requests[-1].url.params["filter"]
        if "u" in ops:
            key, kind = _key(itemtype, besides=ref)
            value = _VALUES[kind](5)
            updated = await aw(res.update(ids[0], {key: value}))
            assert isinstance(updated, res.model)
            assert _plain(getattr(updated, key), kind) == value
        if "c" in ops:
            sent = len(sim.requests)
            with pytest.raises(WriteValidationError) as info:
                await aw(res.create({"no_such_property": 1}))
            assert "no_such_property" in str(info.value) and itemtype in str(info.value)
            assert len(sim.requests) == sent  # refused before sending
        if "d" in ops:
            await aw(res.delete(ids[1], force=True))
            with pytest.raises(NotFoundError):
                await aw(res.get(ids[1]))
            assert await aw(res.count()) == 2
        with pytest.raises(NotFoundError):
            await aw(res.get(9999))

    sim_run(mode, body, sim)


def test_trash_then_purge(mode: str) -> None:
    async def body(c: Driven) -> None:
        computers = c.client.assets.computers
        pc = await aw(computers.create({"name": "to trash"}))
        await aw(computers.delete(pc))
        assert (await aw(computers.get(pc))).is_deleted is True
        await aw(computers.delete(pc, force=True))
        with pytest.raises(NotFoundError):
            await aw(computers.get(pc))

    sim_run(mode, body)


def test_sub_collections_of_every_collection(mode: str) -> None:
    sim = GlpiSim(document_only=True)

    async def body(c: Driven) -> None:
        walked = 0
        for spec in RESOURCES:
            if not spec["subcollections"]:
                continue
            parent = sim.collections.add(spec["path"], {"name": "parent"})["id"]
            res = c.client.resource(spec["itemtype"])
            for sub in spec["subcollections"]:
                child = res.sub(sub["name"], parent)
                if "c" in sub["operations"]:
                    fields = FIELDS[sub["schema"]]
                    key = next((k for k, (kind, w, _t) in fields.items() if w and kind == "str"), None)
                    if key is None:
                        continue
                    new_id = await aw(child.create({key: "child"}))
                    page = await aw(child.search())
                    # (/Management/License and /Assets/SoftwareLicense share GLPI's SoftwareLicense notes)
                    assert new_id in [i.id for i in page.items], (spec["path"], sub["name"])
                    if "g" in sub["operations"]:
                        assert (await aw(child.get(new_id))).id == new_id
                else:
                    assert (await aw(child.search())).items == []
                walked += 1
            with pytest.raises(NotFoundError):  # a missing parent
                await aw(res.sub(spec["subcollections"][0]["name"], 9999).search())
        assert walked > 200

    sim_run(mode, body, sim)


# -- polling: modified_since ----------------------------------------------------------------------


def test_modified_since_builds_the_date_mod_window(mode: str) -> None:
    sim = GlpiSim()  # a fixed clock (server-local time, +00:00) that advances a minute per write

    async def body(c: Driven) -> None:
        monitors = c.client.assets.monitors
        ids = [await aw(monitors.create({"name": f"screen {i}"})) for i in range(3)]
        stamps = [(await aw(monitors.get(i))).date_mod for i in ids]
        assert stamps[1] - stamps[0] == timedelta(minutes=1)
        since = stamps[1].replace(tzinfo=None)  # naive: already the server's wall-clock time
        assert await aw(monitors.count(modified_since=since)) == 2
        assert sim.requests[-1].url.params["filter"] == f"date_mod=ge={since:%Y-%m-%d %H:%M:%S}"
        paris = timezone(timedelta(hours=1))
        aware = stamps[2].astimezone(paris)  # the same instant, written in another offset
        page = await aw(monitors.search("name=like=screen*", modified_since=aware, server_timezone=UTC))
        assert [m.name for m in page.items] == ["screen 2"]
        expected = f"(name=like=screen*);date_mod=ge={stamps[2]:%Y-%m-%d %H:%M:%S}"
        assert sim.requests[-1].url.params["filter"] == expected
        items = await collect(monitors.iterate(modified_since=stamps[0].date(), page_size=1))
        assert len(items) == 3
        sent = len(sim.requests)
        with pytest.raises(ValueError, match="server_timezone"):
            await aw(monitors.count(modified_since=aware))
        assert len(sim.requests) == sent

    sim_run(mode, body, sim)


# -- one machinery --------------------------------------------------------------------------------


def test_ticket_methods_and_the_ticket_resource_send_the_same_requests(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket({"name": "printer on fire", "content": "smoke"})
        await c.search_tickets("status==1", limit=5, start=0)
        tickets = c.client.assistance.tickets
        page = await aw(tickets.search("status==1", limit=5))
        one, two = sim.requests[-2], sim.requests[-1]
        assert (one.method, one.url) == (two.method, two.url)
        assert [t.id for t in page.items] == [ticket_id] and page.total == 1
        assert (await aw(tickets.get(ticket_id))).status.id == 1
        assert await aw(tickets.count("status==1")) == 1

    sim_run(mode, body, sim)


def test_validation_names_the_field_and_the_itemtype(mode: str) -> None:
    async def body(c: Driven) -> None:
        with pytest.raises(WriteValidationError) as info:
            await aw(c.client.assets.computers.create({"name": ["not", "a", "string"]}))
        assert info.value.itemtype == "Computer" and info.value.errors[0][0] == "name"
        with pytest.raises(WriteValidationError, match="'uuid': not a writable property"):
            await aw(c.client.assets.computers.update(1, {"uuid": "read-only"}))
        with pytest.raises(ValueError, match="nothing to send"):
            await aw(c.client.assets.computers.create({}))
        model = c.client.assets.computers.write_model(name="typed", serial="SN-1")
        new_id = await aw(c.client.assets.computers.create(model))
        assert (await aw(c.client.assets.computers.get(new_id))).serial == "SN-1"

    sim_run(mode, body)


def test_read_models_are_permissive() -> None:
    from glpi_python_client._generated import itemtype_models as m

    pc = m.Computer.model_validate({"id": 3, "name": None, "date_mod": "", "status": 2, "future_field": {"x": 1}})
    assert (pc.id, pc.name, pc.date_mod, pc.status.id if pc.status else None) == (3, None, None, 2)
    assert pc.extra_payload == {"future_field": {"x": 1}}
    assert "UNSET" not in repr(pc)


def test_modified_since_uses_the_clients_server_timezone(mode: str) -> None:
    sim = GlpiSim()

    async def body(c: Driven) -> None:
        phones = c.client.assets.phones
        first = await aw(phones.create({"name": "desk phone"}))
        stamp = (await aw(phones.get(first))).date_mod
        tokyo = stamp.astimezone(timezone(timedelta(hours=9)))  # the same instant, another offset
        assert await aw(phones.count(modified_since=tokyo)) == 1
        assert sim.requests[-1].url.params["filter"] == f"date_mod=ge={stamp:%Y-%m-%d %H:%M:%S}"

    run(mode, body, transport=sim.transport(), server_timezone="UTC")


def test_readme_table_lists_every_area_with_its_count() -> None:
    import re

    from conftest import ROOT

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `/(\w+)` \| `client\.(\w+)` \| (\d+) \| (.*) \|$", text, flags=re.M)
    counts: dict[str, int] = {}
    for spec in RESOURCES:
        counts[spec["area"]] = counts.get(spec["area"], 0) + 1
    assert {area: int(n) for _title, area, n, _ex in rows} == counts
    attributes = {(spec["area"], spec["attribute"]) for spec in RESOURCES}
    for _title, area, _n, examples in rows:
        for name in re.findall(r"`(\w+)`", examples):
            assert (area, name) in attributes, (area, name)


def test_inventory_example(mode: str) -> None:
    """The README's inventory report: computers per status and per location, then a filtered walk."""
    from collections import Counter

    from glpi_python_client import rsql

    sim = GlpiSim(document_only=True)
    states = [sim.collections.add("/Dropdowns/State", {"name": n})["id"] for n in ("In use", "In stock")]
    places = [sim.collections.add("/Dropdowns/Location", {"name": n})["id"] for n in ("Paris", "Lyon")]
    for i, (state, place) in enumerate([(0, 0), (0, 0), (0, 1), (1, None), (1, 1)]):
        body = {"name": f"PC-{i:03}" if i != 4 else "LAPTOP-9", "status": states[state]}
        if place is not None:
            body["location"] = places[place]
        sim.collections.add("/Assets/Computer", body)

    async def body(c: Driven) -> None:
        computers = c.client.assets.computers
        assert await aw(computers.count()) == 5
        per_status = {
            s.name: await aw(computers.count(rsql.eq("status", s.id)))
            for s in await collect(c.client.dropdowns.states.iterate())
        }
        assert per_status == {"In use": 3, "In stock": 2}
        per_location = Counter(
            pc.location.name if pc.location else "(none)" for pc in await collect(computers.iterate(page_size=2))
        )
        assert per_location == {"Paris": 2, "Lyon": 2, "(none)": 1}
        flt = rsql.all_of(rsql.like("name", "PC-*"), rsql.eq("is_deleted", False))
        names = [pc.name for pc in await collect(computers.iterate(flt, sort="name:desc"))]
        assert names == ["PC-003", "PC-002", "PC-001", "PC-000"]

    sim_run(mode, body, sim)


def test_importing_the_package_leaves_the_generated_itemtype_modules_alone() -> None:
    import subprocess
    import sys

    code = (
        "import sys, glpi_python_client, glpi_python_client.itemtypes, glpi_python_client.rsql\n"
        "print(sorted(m for m in sys.modules if m.startswith('glpi_python_client._generated.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = eval(out)
    assert not {"itemtype_models", "resource_index", "resource_accessors", "resource_api"} & {
        m.rsplit(".", 1)[1] for m in loaded
    }, loaded


def test_a_read_model_given_to_a_write_is_checked_like_a_dict(mode: str) -> None:
    from glpi_python_client.itemtypes import Computer

    async def body(c: Driven) -> None:
        computers = c.client.assets.computers
        with pytest.raises(WriteValidationError, match="'id': not a writable property"):
            await aw(computers.create(Computer(id=5, name="copy")))  # a read model sets its id
        source = Computer.model_construct(_fields_set={"name", "serial"}, name="from a read model", serial="SN-9")
        new_id = await aw(computers.create(source))
        assert (await aw(computers.get(new_id))).serial == "SN-9"

    sim_run(mode, body)
