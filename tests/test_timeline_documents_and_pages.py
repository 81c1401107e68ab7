"""Timeline document links (replayed) and the user/entity page iterators (fake server)."""

from __future__ import annotations

import httpx
from fake_glpi import FakeGlpi, ok
from glpi_harness import Driven, run

from glpi_python_client import GetTimelineDocument, PostTicket


def test_linked_document_appears_then_unlinks(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="timeline document"))
        document_id = await c.upload_document(
            filename="diagnostic.txt", content=b"link layer ok\n", mime_type="text/plain", ticket_id=ticket_id
        )
        links = await c.list_ticket_timeline_documents(ticket_id)
        assert len(links) == 1 and isinstance(links[0], GetTimelineDocument)
        link = links[0]
        assert (link.documents_id, link.items_id, link.itemtype) == (document_id, ticket_id, "Ticket")
        one = await c.get_ticket_timeline_document(ticket_id, link.id)
        assert one.id == link.id and one.documents_id == document_id
        await c.unlink_ticket_timeline_document(ticket_id, link.id)
        assert await c.list_ticket_timeline_documents(ticket_id) == []

    run(mode, body, scenario="timeline_document")


def _paged(rows: list[dict], seen: list[str]):  # type: ignore[no-untyped-def]
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url.copy_with(scheme="http").raw_path, "ascii"))
        start = int(request.url.params.get("start", 0))
        limit = int(request.url.params.get("limit", 100))
        page = rows[start : start + limit]
        end = start + len(page) - 1
        status = 206 if start + len(page) < len(rows) else 200
        return ok(page, status, **{"Content-Range": f"{start}-{end}/{len(rows)}"})

    return answer


def test_iter_search_users_and_entities_walk_every_page(mode: str) -> None:
    users = [{"id": i, "username": f"u{i}"} for i in range(1, 6)]
    entities = [{"id": i, "name": f"e{i}"} for i in range(0, 4)]
    seen: list[str] = []
    user_pages = _paged(users, seen)
    entity_pages = _paged(entities, seen)

    def answer(request: httpx.Request) -> httpx.Response:
        return user_pages(request) if "/User" in request.url.path else entity_pages(request)

    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        pages = [p async for p in c.iter_search_users('username=like="u*"', batch_size=2)]
        assert [[u.id for u in p] for p in pages] == [[1, 2], [3, 4], [5]]
        pages = [p async for p in c.iter_search_entities(batch_size=3)]
        assert [[e.id for e in p] for p in pages] == [[0, 1, 2], [3]]

    run(mode, body, transport=fake.transport())
    assert len(seen) == 5  # 3 user pages + 2 entity pages, no request past the end
