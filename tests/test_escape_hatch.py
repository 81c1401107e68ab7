"""``client.api`` (generated functions on the facade's session) is as safe as the facade, on both clients."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fake_glpi import FakeGlpi, ok
from glpi_api_v2.api.assistance import (
    get_assistance_ticket,
    get_assistance_ticket_by_id,
    post_assistance_ticket,
)
from glpi_api_v2.api.status import get_status
from glpi_api_v2.models.ticket import Ticket
from glpi_harness import REPLAY_SETTINGS, Driven, run

from glpi_python_client import (
    APIResponseValidationError,
    AsyncGlpiClient,
    ClientClosedError,
    ConfigurationError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
)

NOT_FOUND = {"status": "ERROR_ITEM_NOT_FOUND", "title": "Item not found", "detail": {"id": "no such ticket"}}
HTML_500 = b"<html><head><title>Whoops</title></head><body>" + b"<pre>stack</pre>" * 30 + b"</body></html>"
TOTAL = 7


def answer(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/Ticket/404"):
        return ok(NOT_FOUND, 404)
    if path.endswith("/Ticket/500"):
        return httpx.Response(500, content=HTML_500, headers={"Content-Type": "text/html"})
    if path.endswith("/Ticket/200"):  # a proxy's login page, answered 200
        return httpx.Response(200, content=HTML_500, headers={"Content-Type": "text/html; charset=UTF-8"})
    if path.endswith("/Assistance/Ticket") and request.method == "GET":
        start, limit = int(request.url.params["start"]), int(request.url.params["limit"])
        rows = [{"id": i + 1, "name": f"t{i + 1}"} for i in range(start, min(start + limit, TOTAL))]
        status = 206 if start + len(rows) < TOTAL else 200
        return ok(rows, status, **{"Content-Range": f"{start}-{start + len(rows) - 1}/{TOTAL}"})
    if path.endswith("/Assistance/Ticket"):
        return ok({"status": "ERROR", "title": "down"}, 503)
    return ok({"id": int(path.rsplit("/", 1)[-1]), "name": "x"})


async def both_flavours(c: Driven, module: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """Call a generated operation with ``c.client.api`` through ``sync`` AND ``asyncio``, on either client."""
    api = c.client.api
    return [module.sync(*args, client=api, **kwargs), await module.asyncio(*args, client=api, **kwargs)]


def test_both_flavours_share_the_session_on_both_clients(mode: str) -> None:
    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        tickets = await both_flavours(c, get_assistance_ticket_by_id, 3)
        assert all(isinstance(t, Ticket) and t.id == 3 for t in tickets)
        detailed = c.client.api.get_httpx_client()
        assert detailed is c.client.api.get_httpx_client()  # one httpx client per flavour, reused

    run(mode, body, transport=fake.transport(), glpi_entity=2)
    assert len(fake.token_grants) == 1  # the facade's token, for both flavours
    assert fake.authorizations == ["Bearer access-1", "Bearer access-1"]  # never an unauthenticated request
    assert all(r.headers["GLPI-Entity"] == "2" for r in fake.api_requests())


def test_error_statuses_raise_the_facade_errors(mode: str) -> None:
    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        api = c.client.api
        for call in (
            lambda: get_assistance_ticket_by_id.sync(404, client=api),
            lambda: get_assistance_ticket_by_id.sync_detailed(404, client=api),
        ):
            with pytest.raises(NotFoundError) as info:
                call()
            assert info.value.detail == {"id": "no such ticket"} and "Item not found" in str(info.value)
        with pytest.raises(NotFoundError):
            await get_assistance_ticket_by_id.asyncio(404, client=api)
        for flavour in ("sync", "asyncio"):
            with pytest.raises(InternalServerError) as failed:
                result = getattr(get_assistance_ticket_by_id, flavour)(500, client=api)
                if flavour == "asyncio":
                    await result
            assert str(failed.value).endswith(
                "500 to GET http://127.0.0.1:8088/api.php/v2/Assistance/Ticket/500: an HTML page titled 'Whoops'"
            )
        for flavour in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            with pytest.raises(APIResponseValidationError) as page:
                result = getattr(get_assistance_ticket_by_id, flavour)(200, client=api)
                if flavour.startswith("asyncio"):
                    await result
            assert "200 to GET http://127.0.0.1:8088/api.php/v2/Assistance/Ticket/200" in str(page.value)
            assert str(page.value).endswith("an HTML page titled 'Whoops'")
        raw = c.client.api.raw_httpx_client().get("Assistance/Ticket/200")
        assert raw.status_code == 200 and raw.content == HTML_500  # the untyped client hands the page back
        with pytest.raises(InternalServerError) as post:
            post_assistance_ticket.sync(client=api, body=Ticket(name="printer"))
        assert post.value.may_have_been_applied

    run(mode, body, transport=fake.transport())
    assert [r.method for r in fake.api_requests()].count("POST") == 1  # never retried


class AsyncOnly(httpx.AsyncBaseTransport):
    def __init__(self, fake: FakeGlpi) -> None:
        self.fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.fake(request)


def test_a_flavour_the_transport_cannot_serve_is_refused_before_sending() -> None:
    import asyncio

    fake = FakeGlpi(answer)

    async def main() -> None:
        async with AsyncGlpiClient(**REPLAY_SETTINGS, transport=AsyncOnly(fake)) as client:
            with pytest.raises(ConfigurationError) as info:
                get_assistance_ticket_by_id.sync(1, client=client.api)
            assert str(info.value).startswith(
                "AsyncGlpiClient.api cannot run the generated sync functions: the transport given to"
                " AsyncGlpiClient (AsyncOnly) has no sync side."
            )
            assert fake.requests == []
            assert (await get_assistance_ticket_by_id.asyncio(1, client=client.api)).id == 1

    asyncio.run(main())
    assert fake.authorizations == ["Bearer access-1"]


def test_the_escape_hatch_closes_with_its_client(mode: str) -> None:
    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        api = c.client.api
        with api:  # entering and leaving the generated client neither opens nor closes the session
            await both_flavours(c, get_assistance_ticket_by_id, 1)
        await both_flavours(c, get_assistance_ticket_by_id, 2)
        assert "glpi_api_v2 client on the session of" in repr(api) and "token" not in repr(api)
        with pytest.raises(ConfigurationError, match="cannot be replaced"):
            api.set_httpx_client(httpx.Client())
        closing = c.client.close()
        if c.is_async:
            await closing
        with pytest.raises(ClientClosedError):
            get_status.sync_detailed(client=api)
        with pytest.raises(ClientClosedError):
            await get_status.asyncio_detailed(client=api)

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 4


@pytest.mark.parametrize(
    "operation", [get_assistance_ticket, get_assistance_ticket.sync, get_assistance_ticket.asyncio]
)
def test_paginate_walks_every_page_with_content_range(mode: str, operation: Any) -> None:
    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        pages = [page async for page in c.paginate(operation, filter_="status==1;entity=in=(0,1)", limit=3)]
        assert [[t.id for t in page] for page in pages] == [[1, 2, 3], [4, 5, 6], [7]]
        assert all(isinstance(t, Ticket) for page in pages for t in page)

    run(mode, body, transport=fake.transport())
    requests = fake.api_requests()
    assert [(r.url.params["start"], r.url.params["limit"]) for r in requests] == [("0", "3"), ("3", "3"), ("6", "3")]
    # The RSQL rewriting of the facade: object-valued properties are filtered on their id.
    assert {r.url.params["filter"] for r in requests} == {"status.id==1;entity.id=in=(0,1)"}
    assert all(r.headers["Authorization"] == "Bearer access-1" for r in requests)


def test_paginate_refuses_what_it_cannot_page(mode: str) -> None:
    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        for operation, message in (
            (get_assistance_ticket_by_id, "get_assistance_ticket_by_id is not a paged list operation"),
            (len, r"paginate\(\) takes a generated operation"),
        ):
            with pytest.raises(InvalidArgumentError, match=message):
                async for _ in c.paginate(operation):
                    pass
        with pytest.raises(InvalidArgumentError, match="limit must be an int >= 1"):
            async for _ in c.paginate(get_assistance_ticket, limit=0):
                pass
        with pytest.raises(InvalidArgumentError, match="do not give client="):
            async for _ in c.paginate(get_assistance_ticket, client=c.client.api):
                pass
        pages = [page async for page in c.paginate(get_assistance_ticket, start=5, itemtype="Ticket")]
        assert [[t.id for t in page] for page in pages] == [[6, 7]]

    run(mode, body, transport=fake.transport())


def test_raw_httpx_clients_return_error_answers_on_the_same_session(mode: str) -> None:
    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        raw = c.client.api.raw_httpx_client()
        assert raw.get("Assistance/Ticket/404").status_code == 404  # read, not raised
        araw = c.client.api.raw_async_httpx_client()
        assert (await araw.get("Assistance/Ticket/404")).json() == NOT_FOUND

    run(mode, body, transport=fake.transport())
    assert fake.authorizations == ["Bearer access-1", "Bearer access-1"]
