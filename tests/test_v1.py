"""The legacy v1 session: lazy initSession, reuse, renewal once, killSession on close, secrets kept out of sight."""

from __future__ import annotations

import inspect
import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from glpi_harness import Driven, cassette, run

from glpi_python_client import ConfigurationError, V1Error
from glpi_python_client._operations import v1
from glpi_python_client._plan import Gather, Plan

V1 = "http://127.0.0.1:8088/apirest.php"
TOKEN_BODY = {"token_type": "Bearer", "expires_in": 3600, "access_token": "at", "refresh_token": "rt"}


async def drive(c: Driven, plan: Callable[..., Plan[Any]], *args: Any, **kwargs: Any) -> Any:
    """Run an internal plan on either client, as its public methods do."""
    result = c.client._run(plan(c.client._ctx, *args, **kwargs))
    if inspect.isawaitable(result):
        result = await result
    return result


Reply = httpx.Response | Callable[[httpx.Request], httpx.Response]


class FakeGlpi(httpx.MockTransport):
    """Answers ``(METHOD, path)`` from per-route queues (the last answer repeats) and records every request.

    ``streams`` keeps each request's body stream as built by the client, before the mock reads it.
    """

    def __init__(self, routes: dict[tuple[str, str], list[Reply]]) -> None:
        super().__init__(self._handle)
        self.routes = {key: list(value) for key, value in routes.items()}
        self.requests: list[httpx.Request] = []
        self.streams: list[Any] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.streams.append(request.stream)
        return super().handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.streams.append(request.stream)
        return await super().handle_async_request(request)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            if request.url.path == "/api.php/token":
                return httpx.Response(200, json=TOKEN_BODY)
            queue = self.routes.get((request.method, request.url.path))
            if not queue:
                return httpx.Response(404, json=["ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "no such route"])
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
        if callable(reply):
            return reply(request)
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)  # a fresh copy

    def sent(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        return [
            r for r in self.requests if (method is None or r.method == method) and (path is None or r.url.path == path)
        ]


def session(token: str) -> httpx.Response:
    return httpx.Response(200, json={"session_token": token})


def v1_fail(status: int, code: str, message: str = "failed") -> httpx.Response:
    return httpx.Response(status, json=[code, message])


EXPIRED = ("ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid")


# -- replays ----------------------------------------------------------------------------------


def test_session_opened_lazily_and_killed_on_close(mode: str) -> None:
    async def body(c: Driven) -> None:
        assert c.client._ctx.v1_session_token is None  # nothing happens before the first v1 call
        token = await drive(c, v1.open_session)
        assert token == c.client._ctx.v1_session_token
        again = await drive(c, v1.open_session)  # reused: the cassette holds one initSession only
        assert again == token

    with cassette("v1_init_session_user_token") as cass:
        run(mode, body)
    assert cass.all_played  # initSession, then killSession from close()


def test_real_v1_call_then_close_kills_the_session(mode: str) -> None:
    holder: dict[str, Any] = {}

    async def body(c: Driven) -> None:
        holder["client"] = c.client
        containers = await c.list_plugin_fields_containers()
        assert [x.name for x in containers] == ["aidelarsolution"]
        assert c.client._ctx.v1_session_token is not None

    with cassette("fields_list_containers") as cass:
        run(mode, body)
    # initSession, the list, killSession (the recorded GET of one container is not issued)
    assert cass.play_count == 3
    assert holder["client"]._ctx.v1_session_token is None


def test_kill_session_cassette(mode: str) -> None:
    async def body(c: Driven) -> None:
        await drive(c, v1.open_session)

    with cassette("v1_kill_session") as cass:
        run(mode, body)
    assert cass.all_played


# -- fake transport ---------------------------------------------------------------------------


def test_session_headers_and_app_token(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("sess-secret-1")],
            ("GET", "/apirest.php/Ticket/1"): [httpx.Response(200, json={"id": 1})],
            ("GET", "/apirest.php/killSession"): [httpx.Response(200, json=True)],
        }
    )

    async def body(c: Driven) -> None:
        first = await drive(c, v1.v1_request, "GET", "Ticket/1")
        second = await drive(c, v1.v1_request, "GET", "Ticket/1")
        assert first.json() == second.json() == {"id": 1}

    run(mode, body, transport=fake, v1_app_token="app-secret-9")
    init = fake.sent("GET", "/apirest.php/initSession")
    assert len(init) == 1
    assert init[0].headers["Authorization"] == "user_token replayed-user-token"
    assert init[0].headers["App-Token"] == "app-secret-9"
    calls = fake.sent("GET", "/apirest.php/Ticket/1")
    assert [r.headers["Session-Token"] for r in calls] == ["sess-secret-1", "sess-secret-1"]
    assert all(r.headers["App-Token"] == "app-secret-9" for r in calls)
    assert all("Bearer" not in r.headers.get("Authorization", "") for r in calls)  # no OAuth on v1
    kill = fake.sent("GET", "/apirest.php/killSession")
    assert len(kill) == 1 and kill[0].headers["Session-Token"] == "sess-secret-1"
    assert not fake.sent("POST", "/api.php/token")  # v1 alone never needs the OAuth token


def test_no_app_token_header_unless_configured(mode: str) -> None:
    fake = FakeGlpi(
        {("GET", "/apirest.php/initSession"): [session("s")], ("GET", "/apirest.php/X"): [httpx.Response(200, json=[])]}
    )

    async def body(c: Driven) -> None:
        await drive(c, v1.v1_request, "GET", "X")

    run(mode, body, transport=fake)
    assert all("App-Token" not in r.headers for r in fake.requests)


def test_concurrent_first_calls_open_one_session(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("only-one")],
            ("GET", "/apirest.php/X"): [httpx.Response(200, json=[])],
        }
    )

    async def body(c: Driven) -> None:
        def fan_out(ctx: Any) -> Plan[Any]:
            result = yield Gather([v1.v1_request(ctx, "GET", "X") for _ in range(6)], limit=6)
            return result

        responses = await drive(c, fan_out)
        assert len(responses) == 6

    run(mode, body, transport=fake)
    assert len(fake.sent("GET", "/apirest.php/initSession")) == 1
    assert {r.headers["Session-Token"] for r in fake.sent("GET", "/apirest.php/X")} == {"only-one"}


def test_expired_session_is_renewed_once_and_the_call_replayed(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("old-secret"), session("new-secret")],
            ("GET", "/apirest.php/X"): [v1_fail(401, *EXPIRED), httpx.Response(200, json=[{"id": 1}])],
        }
    )

    async def body(c: Driven) -> None:
        response = await drive(c, v1.v1_request, "GET", "X")
        assert response.json() == [{"id": 1}]
        assert c.client._ctx.v1_session_token == "new-secret"

    run(mode, body, transport=fake)
    assert len(fake.sent("GET", "/apirest.php/initSession")) == 2
    assert [r.headers["Session-Token"] for r in fake.sent("GET", "/apirest.php/X")] == ["old-secret", "new-secret"]


def test_second_expiry_raises_without_looping(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("old-secret"), session("new-secret")],
            ("GET", "/apirest.php/X"): [v1_fail(401, *EXPIRED)],
        }
    )

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await drive(c, v1.v1_request, "GET", "X")
        error = info.value
        assert error.status_code == 401 and error.error_code == "ERROR_SESSION_TOKEN_INVALID"
        assert "session_token seems invalid" in str(error)
        for secret in ("old-secret", "new-secret"):
            assert secret not in str(error) and secret not in repr(error)
            assert secret not in repr(error.response.request.headers)
            assert secret not in repr(c.client) and secret not in repr(c.client._ctx)

    run(mode, body, transport=fake)
    assert len(fake.sent("GET", "/apirest.php/initSession")) == 2
    assert len(fake.sent("GET", "/apirest.php/X")) == 2


BOOM_PAGE = "<html><head><title>boom</title></head><body>stack trace</body></html>"


def test_v1_error_codes(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("s")],
            ("GET", "/apirest.php/Ticket/9"): [v1_fail(404, "ERROR_ITEM_NOT_FOUND", "Item not found")],
            ("GET", "/apirest.php/Html"): [httpx.Response(500, text=BOOM_PAGE)],
        }
    )

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await drive(c, v1.v1_request, "GET", "Ticket/9")
        assert (info.value.status_code, info.value.error_code) == (404, "ERROR_ITEM_NOT_FOUND")
        assert "Item not found" in str(info.value)
        with pytest.raises(V1Error) as info:
            await drive(c, v1.v1_request, "GET", "Html")
        assert info.value.status_code == 500 and info.value.error_code is None
        assert str(info.value).endswith("an HTML page titled 'boom'") and "stack trace" not in str(info.value)

    run(mode, body, transport=fake)


def test_bad_user_token(mode: str) -> None:
    fake = FakeGlpi(
        {("GET", "/apirest.php/initSession"): [v1_fail(401, "ERROR_GLPI_LOGIN_USER_TOKEN", "user_token invalid")]}
    )

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await drive(c, v1.v1_request, "GET", "X")
        assert info.value.error_code == "ERROR_GLPI_LOGIN_USER_TOKEN"
        assert "replayed-user-token" not in str(info.value)

    run(mode, body, transport=fake)
    assert len(fake.sent("GET", "/apirest.php/initSession")) == 1  # a refused login is not retried


def test_kill_errors_are_swallowed_and_the_session_forgotten(mode: str) -> None:
    holder: dict[str, Any] = {}
    fake = FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("s")],
            ("GET", "/apirest.php/killSession"): [v1_fail(401, *EXPIRED)],
        }
    )

    async def body(c: Driven) -> None:
        holder["ctx"] = c.client._ctx
        await drive(c, v1.open_session)

    run(mode, body, transport=fake)  # close() does not raise
    assert holder["ctx"].v1_session_token is None
    assert len(fake.sent("GET", "/apirest.php/killSession")) == 1


def test_close_without_session_sends_nothing(mode: str) -> None:
    fake = FakeGlpi({})

    async def body(c: Driven) -> None:
        return None

    run(mode, body, transport=fake)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"v1_base_url": None, "v1_user_token": None}, ["v1_base_url", "v1_user_token"]),
        ({"v1_user_token": None}, ["v1_user_token"]),
        ({"v1_base_url": None}, ["v1_base_url"]),
    ],
)
def test_missing_v1_configuration(mode: str, overrides: dict[str, Any], missing: list[str]) -> None:
    fake = FakeGlpi({})

    async def body(c: Driven) -> None:
        for call in (
            lambda: c.list_plugin_fields_containers(),
            lambda: c.upload_document(filename="a.txt", content=b"a"),
            lambda: c.link_ticket_timeline_document(1, 2),
            lambda: c.get_ticket_custom_fields(1),
        ):
            with pytest.raises(ConfigurationError) as info:
                await call()
            for name in missing:
                assert name in str(info.value)

    run(mode, body, transport=fake, **overrides)
    assert fake.requests == []


def test_v1_list_follows_content_range(mode: str) -> None:
    def page(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("range") == "2-3":
            return httpx.Response(200, json=[{"id": 3}], headers={"Content-Range": "2-2/3"})
        return httpx.Response(206, json=[{"id": 1}, {"id": 2}], headers={"Content-Range": "0-1/3"})

    fake = FakeGlpi({("GET", "/apirest.php/initSession"): [session("s")], ("GET", "/apirest.php/X"): [page]})

    async def body(c: Driven) -> None:
        rows = await drive(c, v1.v1_list, "X", {"searchText[name]": "a"})
        assert [r["id"] for r in rows] == [1, 2, 3]

    run(mode, body, transport=fake)
    pages = fake.sent("GET", "/apirest.php/X")
    assert [p.url.params.get("range") for p in pages] == [None, "2-3"]
    assert all(p.url.params["searchText[name]"] == "a" for p in pages)


def test_json_bodies_use_plain_application_json(mode: str) -> None:
    fake = FakeGlpi(
        {
            ("GET", "/apirest.php/initSession"): [session("s")],
            ("POST", "/apirest.php/Document_Item"): [httpx.Response(201, json={"id": 7, "message": "ok"})],
        }
    )

    async def body(c: Driven) -> None:
        assert await c.link_ticket_timeline_document(94, 18) == 7

    run(mode, body, transport=fake)
    (post,) = fake.sent("POST", "/apirest.php/Document_Item")
    assert post.headers["Content-Type"] == "application/json"
    assert json.loads(post.content) == {"input": {"documents_id": 18, "itemtype": "Ticket", "items_id": 94}}
