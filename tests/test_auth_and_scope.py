"""OAuth2 tokens, re-authentication, scope headers and secrets."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fake_glpi import FakeGlpi, ok
from glpi_harness import Driven, make_client, run

from glpi_python_client import AuthenticationError, GlpiClient, PostTicket

TICKET = {"id": 1, "name": "t", "status": {"id": 1, "name": "New"}}


def test_token_rejected_with_400_after_refresh_is_reacquired(mode: str) -> None:
    """Real recording: an old token answers 400 'Invalid OAuth token'; the client refreshes and replays once."""

    async def body(c: Driven) -> None:
        tickets = await c.search_tickets(limit=1)
        assert len(tickets) == 1

    run(mode, body, scenario="oauth_old_access_token_rejected_after_refresh")


@pytest.mark.parametrize(
    ("scenario", "error"), [("oauth_bad_password", "invalid_grant"), ("oauth_bad_client_secret", "invalid_client")]
)
def test_refused_credentials(mode: str, scenario: str, error: str) -> None:
    async def body(c: Driven) -> None:
        with pytest.raises(AuthenticationError) as info:
            await c.get_ticket(1)
        assert info.value.error == error
        assert "replayed-password" not in str(info.value) and "replayed-secret" not in str(info.value)

    run(mode, body, scenario=scenario)


def test_grant_sends_scope_api_and_scope_headers(mode: str) -> None:
    fake = FakeGlpi([ok({"id": 5, "href": "/Assistance/Ticket/5"}), ok(TICKET)])

    async def body(c: Driven) -> None:
        assert await c.create_ticket(PostTicket(name="n", content="c")) == 5
        await c.get_ticket(5)

    run(mode, body, transport=fake.transport(), glpi_entity=3, glpi_profile=4, entity_recursive=True, language="fr_FR")
    (grant,) = fake.token_grants
    assert grant["scope"] == "api" and grant["grant_type"] == "password" and grant["username"] == "glpi"
    post, get = fake.api_requests()
    for request in (post, get):
        assert request.headers["GLPI-Entity"] == "3" and request.headers["GLPI-Profile"] == "4"
        assert request.headers["GLPI-Entity-Recursive"] == "true" and request.headers["Accept-Language"] == "fr_FR"
    assert post.headers["Content-Type"] == "application/json"  # exactly: with a charset GLPI ignores the body
    assert json.loads(post.content) == {"name": "n", "content": "<p>c</p>"}  # Markdown, rendered


def test_client_credentials_without_username(mode: str) -> None:
    fake = FakeGlpi([ok(TICKET)])

    async def body(c: Driven) -> None:
        await c.get_ticket(1)

    run(mode, body, transport=fake.transport(), username=None, password=None)
    assert fake.token_grants[0]["grant_type"] == "client_credentials" and "username" not in fake.token_grants[0]


def test_proactive_refresh_then_full_grant_fallback(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return ok(TICKET)

    fake = FakeGlpi(answer)
    fake.expires_in = 30  # inside the 60 s refresh margin: every call refreshes first

    async def body(c: Driven) -> None:
        await c.get_ticket(1)
        await c.get_ticket(1)

    run(mode, body, transport=fake.transport())
    assert [g["grant_type"] for g in fake.token_grants] == ["password", "refresh_token"]
    assert fake.token_grants[1]["refresh_token"] == "refresh-1"
    assert fake.authorizations == ["Bearer access-1", "Bearer access-2"]


def test_failed_refresh_falls_back_to_a_full_grant(mode: str) -> None:
    fake = FakeGlpi(lambda request: ok(TICKET))
    fake.expires_in = 30
    real_call = fake.__call__

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url).endswith("/token") and b"refresh_token" in request.content:
            fake.token_grants.append({"grant_type": "refresh_token(refused)"})
            return ok({"error": "invalid_grant", "error_description": "The refresh token is invalid."}, 400)
        return real_call(request)

    async def body(c: Driven) -> None:
        await c.get_ticket(1)
        await c.get_ticket(1)

    run(mode, body, transport=httpx.MockTransport(handler))
    assert [g["grant_type"] for g in fake.token_grants] == ["password", "refresh_token(refused)", "password"]


def test_concurrent_fan_out_acquires_one_token_async() -> None:
    fake = FakeGlpi(lambda request: ok(TICKET))

    async def main() -> None:
        client = make_client("async", transport=fake.transport())
        async with client:
            await asyncio.gather(*(client.get_ticket(1) for _ in range(10)))

    asyncio.run(main())
    assert fake.tokens_issued == 1 and len(fake.api_requests()) == 10


def test_concurrent_fan_out_acquires_one_token_sync() -> None:
    fake = FakeGlpi(lambda request: ok(TICKET))
    with make_client("sync", transport=fake.transport()) as client:
        assert isinstance(client, GlpiClient)
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: client.get_ticket(1), range(16)))
    assert fake.tokens_issued == 1 and len(fake.api_requests()) == 16


def test_secrets_stay_out_of_reprs(mode: str) -> None:
    client = make_client(mode, transport=FakeGlpi().transport(), v1_app_token="app-secret")
    text = repr(client) + repr(client.config) + repr(client._session) + repr(client._ctx)
    for secret in ("replayed-secret", "replayed-password", "replayed-user-token", "app-secret"):
        assert secret not in text
    closing = client.close()
    if asyncio.iscoroutine(closing):
        asyncio.run(closing)
