"""The peer-compatible named methods on both clients: routes, bodies, paging and return shapes, over a fake GLPI.

The routes are those of GLPI's v2.2 document, except the three the document lacks and the peer
``glpi-python-client`` 0.6.5 sends anyway (contract types, contract costs, computer-contract links).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest
from glpi_harness import Driven, run
from glpi_sim import GlpiSim
from test_v1 import FakeGlpi, session

from glpi_python_client import (
    FollowupDocuments,
    GetComputer,
    GetContractCost,
    GetContractItem,
    GetContractType,
    GetDocumentItem,
    GetKBArticle,
    GetKBArticleComment,
    GetKBArticleRevision,
    GetUser,
    IdName,
    NotFoundError,
    PatchComputer,
    PostComputer,
    PostContractItem,
    PostKBArticle,
)

API = "/api.php/v2"
V1 = "/apirest.php"
COMPUTER = {"id": 5, "name": "pc-5", "status": {"id": 2, "name": "In use"}, "group": [{"id": 3, "name": "IT"}]}


def ok(payload: Any = None, status: int = 200, **headers: str) -> httpx.Response:
    content = b"" if payload is None else json.dumps(payload).encode()
    return httpx.Response(status, content=content, headers={"Content-Type": "application/json", **headers})


def created(item_id: int, path: str) -> httpx.Response:
    return ok({"id": item_id, "href": f"{API}/{path}/{item_id}"}, 201, Location=f"{API}/{path}/{item_id}")


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


def calls(fake: FakeGlpi, method: str | None = None) -> list[httpx.Request]:
    """The requests sent to GLPI's API (v2 or v1), token requests left out."""
    return [r for r in fake.sent(method) if r.url.path != "/api.php/token"]


def test_computer_crud(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", f"{API}/Assets/Computer"): [ok([COMPUTER], **{"Content-Range": "0-0/1"})],
            ("GET", f"{API}/Assets/Computer/5"): [ok(COMPUTER)],
            ("POST", f"{API}/Assets/Computer"): [created(9, "Assets/Computer")],
            ("PATCH", f"{API}/Assets/Computer/9"): [ok({**COMPUTER, "id": 9, "serial": "SN-9"})],
            ("DELETE", f"{API}/Assets/Computer/9"): [ok(status=204)],
        }
    )

    async def body(c: Driven) -> None:
        found = await c.search_computers("name==pc-5", limit=10, start=0, sort="id:desc")
        assert found == [GetComputer.model_validate(COMPUTER)]
        assert found[0].status == IdName(id=2, name="In use") and found[0].group[0].name == "IT"
        assert (await c.get_computer(5)).name == "pc-5"
        assert await c.create_computer(PostComputer(name="pc-9", status=IdName(id=2), location={"id": 3})) == 9
        updated = await c.update_computer(9, PatchComputer(serial="SN-9"))
        assert isinstance(updated, GetComputer) and updated.serial == "SN-9"
        assert await c.delete_computer(9, force=True) is None

    run(mode, body, transport=fake)
    search = fake.sent("GET", f"{API}/Assets/Computer")[0]
    assert dict(search.url.params) == {"filter": "name==pc-5", "start": "0", "limit": "10", "sort": "id:desc"}
    assert body_of(calls(fake, "POST")[0]) == {"name": "pc-9", "status": 2, "location": 3}
    assert body_of(calls(fake, "PATCH")[0]) == {"serial": "SN-9"}
    assert calls(fake, "DELETE")[0].url.params["force"] == "true"


def test_writes_are_checked_before_sending(mode: str) -> None:
    fake = FakeGlpi({})

    async def body(c: Driven) -> None:
        with pytest.raises(ValueError, match="nothing to send"):
            await c.create_contract({})
        with pytest.raises(TypeError):
            await c.update_kb_category(1, ["name"])

    run(mode, body, transport=fake)
    assert calls(fake) == []


def test_contract_costs_types_and_links_use_the_peer_routes(mode: str) -> None:
    cost = {"id": 7, "name": "support", "cost": 120.5, "contract": {"id": 4, "name": "c"}}
    link = {"id": 2, "contract": {"id": 4, "name": "c"}, "itemtype": "Computer", "items_id": 5}
    fake = FakeGlpi(
        {
            ("GET", f"{API}/Management/Contract/4/Cost"): [ok([cost])],
            ("GET", f"{API}/Management/Contract/4/Cost/7"): [ok(cost)],
            ("POST", f"{API}/Management/Contract/4/Cost"): [created(8, "Management/Contract/4/Cost")],
            ("PATCH", f"{API}/Management/Contract/4/Cost/8"): [ok({**cost, "id": 8, "cost": 99.0})],
            ("DELETE", f"{API}/Management/Contract/4/Cost/8"): [ok(status=204)],
            ("GET", f"{API}/Dropdowns/ContractType"): [ok([{"id": 1, "name": "Support"}])],
            ("POST", f"{API}/Dropdowns/ContractType"): [created(2, "Dropdowns/ContractType")],
            ("GET", f"{API}/Assets/Computer/5/Contract"): [ok([link])],
            ("GET", f"{API}/Assets/Computer/5/Contract/2"): [ok(link)],
            ("POST", f"{API}/Assets/Computer/5/Contract"): [created(3, "Assets/Computer/5/Contract")],
            ("PATCH", f"{API}/Assets/Computer/5/Contract/3"): [ok({**link, "id": 3})],
            ("DELETE", f"{API}/Assets/Computer/5/Contract/3"): [ok(status=204)],
        }
    )

    async def body(c: Driven) -> None:
        assert await c.list_contract_costs(4, limit=2, start=0) == [GetContractCost.model_validate(cost)]
        assert (await c.get_contract_cost(4, 7)).cost == 120.5
        assert await c.create_contract_cost(4, {"name": "support", "cost": 120.5, "budget": 6}) == 8
        assert (await c.update_contract_cost(4, 8, {"cost": 99})).cost == 99.0
        await c.delete_contract_cost(4, 8)
        assert await c.search_contract_types() == [GetContractType(id=1, name="Support")]
        assert await c.create_contract_type({"name": "Leasing"}) == 2
        assert await c.list_computer_contracts(5) == [GetContractItem.model_validate(link)]
        assert (await c.get_computer_contract(5, 2)).contract == IdName(id=4, name="c")
        # whatever the body says, the link names this computer
        assert await c.link_computer_contract(5, PostContractItem(contract=4, itemtype="Printer", items_id=99)) == 3
        assert (await c.update_computer_contract(5, 3, {"contract": {"id": 4}})).id == 3
        await c.unlink_computer_contract(5, 3, force=True)
        with pytest.raises(NotFoundError):  # a server without the route
            await c.get_contract_type(1)

    run(mode, body, transport=fake)
    assert dict(fake.sent("GET", f"{API}/Management/Contract/4/Cost")[0].url.params) == {"limit": "2", "start": "0"}
    assert body_of(fake.sent("POST", f"{API}/Management/Contract/4/Cost")[0]) == {
        "name": "support",
        "cost": 120.5,
        "budget": 6,
    }
    assert body_of(fake.sent("POST", f"{API}/Dropdowns/ContractType")[0]) == {"name": "Leasing"}
    assert body_of(fake.sent("POST", f"{API}/Assets/Computer/5/Contract")[0]) == {
        "contract": 4,
        "itemtype": "Computer",
        "items_id": 5,
    }
    assert body_of(fake.sent("PATCH", f"{API}/Assets/Computer/5/Contract/3")[0]) == {
        "contract": 4,
        "itemtype": "Computer",
        "items_id": 5,
    }
    assert "force" not in fake.sent("DELETE", f"{API}/Management/Contract/4/Cost/8")[0].url.params
    assert fake.sent("DELETE", f"{API}/Assets/Computer/5/Contract/3")[0].url.params["force"] == "true"


def test_iter_search_contracts_follows_content_range(mode: str) -> None:
    contracts = [{"id": i, "name": f"c{i}"} for i in range(1, 6)]

    def page(request: httpx.Request) -> httpx.Response:
        start, limit = int(request.url.params["start"]), int(request.url.params["limit"])
        items = contracts[start : start + limit]
        end = start + len(items) - 1
        return ok(items, 206 if end < 4 else 200, **{"Content-Range": f"{start}-{end}/5"})

    fake = FakeGlpi({("GET", f"{API}/Management/Contract"): [page]})

    async def body(c: Driven) -> None:
        pages = [[x.id for x in p] async for p in c.iter_search_contracts("name=like=c*", batch_size=2)]
        assert pages == [[1, 2], [3, 4], [5]]

    run(mode, body, transport=fake)
    starts = [r.url.params["start"] for r in calls(fake) if r.url.path.endswith("/Contract")]
    assert starts[0] == "0" and sorted(starts) == ["0", "2", "4"]  # after the first, pages are fetched concurrently
    assert {r.url.params["filter"] for r in calls(fake) if r.url.path.endswith("/Contract")} == {"name=like=c*"}


def test_kb_articles_categories_go_through_v1(mode: str) -> None:
    article = {
        "id": 11,
        "name": "VPN",
        "content": "<p>Use <b>vpn.example.com</b></p>",
        "categories": [{"id": 1, "name": "Network"}],
    }
    fake = FakeGlpi(
        {
            ("GET", f"{API}/Knowledgebase/Article"): [ok([article])],
            ("POST", f"{API}/Knowledgebase/Article"): [created(11, "Knowledgebase/Article")],
            ("GET", f"{API}/Knowledgebase/Article/11"): [ok(article)],
            ("GET", f"{V1}/initSession"): [session("s")],
            ("PUT", f"{V1}/KnowbaseItem/11"): [ok([{"11": True, "message": ""}])],
        }
    )

    async def body(c: Driven) -> None:
        found = await c.search_kb_articles("name==VPN", language="fr_FR")
        assert isinstance(found[0], GetKBArticle) and found[0].categories == [IdName(id=1, name="Network")]
        assert found[0].content == "Use **vpn.example.com**"  # Markdown, read from GLPI's HTML
        assert await c.create_kb_article(PostKBArticle(name="VPN", content="See **x**", categories=[1, 2])) == 11
        cleared = await c.update_kb_article(11, {"categories": []})  # nothing else to patch: no v2 PATCH
        assert cleared.id == 11
        await c.set_kb_article_categories(11, [3])

    run(mode, body, transport=fake)
    assert fake.sent("GET", f"{API}/Knowledgebase/Article")[0].url.params["language"] == "fr_FR"
    # Markdown rendered as HTML; categories are read-only on v2, so they go through v1
    assert body_of(calls(fake, "POST")[0]) == {"name": "VPN", "content": "<p>See <strong>x</strong></p>"}
    puts = [body_of(r) for r in calls(fake, "PUT")]
    assert puts == [{"input": {"_categories": [1, 2]}}, {"input": {"_categories": []}}, {"input": {"_categories": [3]}}]
    assert calls(fake, "PATCH") == []


def test_kb_comments_and_revisions(mode: str) -> None:
    comment = {"id": 4, "comment": "thanks", "kbarticle": {"id": 11, "name": "VPN"}}
    revision = {"id": 30, "revision": 2, "name": "VPN (old)", "language": "fr_FR"}
    fake = FakeGlpi(
        {
            ("GET", f"{API}/Knowledgebase/Article/11/Comment"): [ok([comment])],
            ("GET", f"{API}/Knowledgebase/Article/11/Comment/4"): [ok(comment)],
            ("POST", f"{API}/Knowledgebase/Article/11/Comment"): [created(5, "Knowledgebase/Article/11/Comment")],
            ("PATCH", f"{API}/Knowledgebase/Article/11/Comment/5"): [ok({**comment, "id": 5, "comment": "edited"})],
            ("DELETE", f"{API}/Knowledgebase/Article/11/Comment/5"): [ok(status=204)],
            ("GET", f"{API}/Knowledgebase/Article/11/Revision"): [ok([revision])],
            ("GET", f"{API}/Knowledgebase/Article/11/fr_FR/Revision"): [ok([revision])],
            ("GET", f"{API}/Knowledgebase/Article/11/fr_FR/Revision/2"): [ok(revision)],
        }
    )

    async def body(c: Driven) -> None:
        assert await c.list_kb_article_comments(11) == [GetKBArticleComment.model_validate(comment)]
        assert (await c.get_kb_article_comment(11, 4)).comment == "thanks"
        assert await c.create_kb_article_comment(11, {"comment": "hello", "language": "en_GB"}) == 5
        assert (await c.update_kb_article_comment(11, 5, {"comment": "edited"})).comment == "edited"
        await c.delete_kb_article_comment(11, 5, force=True)
        assert await c.list_kb_article_revisions(11) == [GetKBArticleRevision.model_validate(revision)]
        assert len(await c.list_kb_article_revisions(11, language="fr_FR")) == 1
        assert (await c.get_kb_article_revision(11, 2, language="fr_FR")).name == "VPN (old)"
        with pytest.raises(ValueError, match="language"):
            await c.list_kb_article_revisions(11, language="../etc")

    run(mode, body, transport=fake)
    assert body_of(calls(fake, "POST")[0]) == {"comment": "hello", "language": "en_GB"}
    assert calls(fake, "DELETE")[0].url.params["force"] == "true"


def test_find_user_by_email_scans_every_entity(mode: str) -> None:
    users = [
        {"id": 1, "username": "glpi", "emails": []},
        {"id": 2, "username": "bob", "emails": [{"email": "bob@example.com"}]},
        {"id": 3, "username": "alice", "emails": [{"email": "x@example.com"}, {"email": " Alice@Example.COM "}]},
    ]

    def page(request: httpx.Request) -> httpx.Response:
        start, limit = int(request.url.params["start"]), int(request.url.params["limit"])
        items = users[start : start + limit]
        return ok(items, 206, **{"Content-Range": f"{start}-{start + len(items) - 1}/3"})

    fake = FakeGlpi({("GET", f"{API}/Administration/User"): [page]})

    async def body(c: Driven) -> None:
        found = await c.find_user_by_email("alice@example.com", batch_size=2, rsql_filter="is_active==true")
        assert isinstance(found, GetUser) and found.id == 3
        assert await c.find_user_by_email("nobody@example.com", batch_size=2) is None
        scoped = await c.find_user_by_email("bob@example.com", skip_entity=False)
        assert scoped is not None and scoped.username == "bob"
        with pytest.raises(ValueError, match="non-empty"):
            await c.find_user_by_email("  ")

    run(mode, body, transport=fake, glpi_entity=3)
    sent = fake.sent("GET", f"{API}/Administration/User")
    assert [r.url.params["start"] for r in sent[:2]] == ["0", "2"]  # stopped at the match
    assert sent[0].url.params["filter"] == "is_active==true"
    assert [r.headers.get("GLPI-Entity") for r in sent] == [None, None, None, None, "3"]


def test_documents_of_items_and_followups(mode: str) -> None:
    followups = [
        {"type": "ITILFollowup", "item": {"id": 22, "content": "public", "is_private": False}},
        {"type": "ITILFollowup", "item": {"id": 21, "content": "secret", "is_private": True}},
        {"type": "ITILFollowup", "item": {"id": 20, "content": "old", "is_private": False}},
    ]

    def links(request: httpx.Request) -> httpx.Response:
        followup = int(request.url.path.split("/")[-2])
        row = {"id": 100 + followup, "documents_id": 7, "itemtype": "ITILFollowup", "items_id": followup}
        stray = {"id": 1, "documents_id": 8, "itemtype": "Ticket", "items_id": 3}
        return ok([row, stray] if followup == 22 else [], **{"Content-Range": "0-1/2" if followup == 22 else "0-0/0"})

    routes = {
        ("GET", f"{API}/Assistance/Ticket/3/Timeline/Followup"): [ok(followups)],
        ("GET", f"{V1}/initSession"): [session("s")],
        ("GET", f"{V1}/ITILFollowup/20/Document_Item"): [links],
        ("GET", f"{V1}/ITILFollowup/21/Document_Item"): [links],
        ("GET", f"{V1}/ITILFollowup/22/Document_Item"): [links],
        ("GET", f"{V1}/Computer/5/Document_Item"): [
            ok([{"id": 9, "documents_id": 4, "itemtype": "Computer", "items_id": 5, "date_mod": "2026-01-02 10:00:00"}])
        ],
    }
    fake = FakeGlpi(routes)

    async def body(c: Driven) -> None:
        rows = await c.list_item_documents("Computer", 5)
        assert rows == [GetDocumentItem.model_validate(routes[("GET", f"{V1}/Computer/5/Document_Item")][0].json()[0])]
        assert rows[0].date_mod is not None and rows[0].date_mod.hour == 10
        public = await c.list_ticket_followup_documents(3)
        assert [type(e) for e in public] == [FollowupDocuments, FollowupDocuments]
        assert [(e.followup.id, [d.documents_id for d in e.documents]) for e in public] == [(20, []), (22, [7])]
        everything = await c.list_ticket_followup_documents(3, include_private=True)
        assert [e.followup.id for e in everything] == [20, 21, 22]
        with pytest.raises(ValueError, match="itemtype"):
            await c.list_item_documents("Computer/../User", 5)

    run(mode, body, transport=fake)


def test_stream_document_content_yields_chunks(mode: str) -> None:
    content = bytes(range(256)) * 40  # 10 KiB
    fake = FakeGlpi(
        {
            ("GET", f"{API}/Management/Document/4/Download"): [
                httpx.Response(200, content=content, headers={"Content-Type": "application/octet-stream"})
            ],
            ("GET", f"{API}/Management/Document/5/Download"): [
                ok({"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found"}, 404)
            ],
        }
    )

    async def body(c: Driven) -> None:
        chunks = [chunk async for chunk in c.stream_document_content(4, chunk_size=4096)]
        assert [len(x) for x in chunks] == [4096, 4096, 2048]
        assert b"".join(chunks) == content
        with pytest.raises(NotFoundError):
            [chunk async for chunk in c.stream_document_content(5)]
        with pytest.raises(ValueError, match="chunk_size"):
            [chunk async for chunk in c.stream_document_content(4, chunk_size=0)]

    run(mode, body, transport=fake)
    assert calls(fake)[-1].headers["Accept"] == "*/*"


# -- on the document-driven simulator ------------------------------------------------------------


def _sim_run(mode: str, body: Any) -> GlpiSim:
    sim = GlpiSim(document_only=True)
    run(mode, body, transport=sim.transport())
    return sim


def test_computers_and_contracts_on_the_simulator(mode: str) -> None:
    async def body(c: Driven) -> None:
        ids = [await c.create_computer(PostComputer(name=f"pc-{i}", status=2 if i else 3)) for i in range(3)]
        in_use = await c.search_computers("status==2", sort="id")  # sent as status.id==2, which GLPI accepts
        assert [pc.id for pc in in_use] == ids[1:] and all(pc.status and pc.status.id == 2 for pc in in_use)
        pages = [[pc.id for pc in page] async for page in c.iter_search_computers(batch_size=2)]
        assert pages == [ids[:2], ids[2:]]
        updated = await c.update_computer(ids[0], {"serial": "SN-0"})
        assert updated.serial == "SN-0"
        resource = c.client.assets.computers.get(ids[0])  # the same item through the typed resource
        resource = await resource if inspect.isawaitable(resource) else resource
        assert (resource.id, resource.serial) == (updated.id, updated.serial)
        await c.delete_computer(ids[0], force=True)
        with pytest.raises(NotFoundError):
            await c.get_computer(ids[0])
        contract = await c.create_contract({"name": "support", "comment": "24/7"})
        assert (await c.get_contract(contract)).comment == "24/7"
        assert [x.id async for page in c.iter_search_contracts('name=="support"') for x in page] == [contract]

    _sim_run(mode, body)


def test_knowledge_base_on_the_simulator(mode: str) -> None:
    async def body(c: Driven) -> None:
        category = await c.create_kb_category({"name": "Network"})
        child = await c.create_kb_category({"name": "VPN", "parent": category})
        assert [x.id for x in await c.search_kb_categories(f"parent=={category}")] == [child]
        article = await c.create_kb_article(PostKBArticle(name="VPN", content="Use **vpn.example.com**"))
        read = await c.get_kb_article(article)
        assert read.content == "Use **vpn.example.com**" and read.content_html is not None
        assert (await c.update_kb_article(article, {"name": "VPN (2026)"})).name == "VPN (2026)"
        comment = await c.create_kb_article_comment(article, {"comment": "thanks"})
        assert [x.id for x in await c.list_kb_article_comments(article)] == [comment]
        assert (await c.update_kb_article_comment(article, comment, {"comment": "edited"})).comment == "edited"
        await c.delete_kb_article_comment(article, comment)
        assert await c.list_kb_article_comments(article) == []
        assert await c.list_kb_article_revisions(article) == []
        await c.delete_kb_article(article, force=True)
        with pytest.raises(NotFoundError):
            await c.list_kb_article_comments(article)  # a missing parent

    _sim_run(mode, body)
