"""Error paths through a fake transport: typed errors, retries, never a blind POST retry."""

from __future__ import annotations

import httpx
import pytest
from fake_glpi import FakeGlpi, ok
from glpi_harness import Driven, run

import glpi_python_client._transport as transport_module
from glpi_python_client import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    PostFollowup,
    PostTicket,
    RateLimitError,
    UnauthorizedError,
)

waits_real: list = []
TICKET = {"id": 1, "name": "t", "status": {"id": 1, "name": "New"}}


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits are recorded instead of slept."""
    waits: list[float] = []
    real = transport_module.backoff
    monkeypatch.setattr(
        transport_module, "backoff", lambda attempt, response=None: waits.append((attempt, response)) or 0.0
    )
    waits_real.append(real)
    return waits


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (500, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_status_errors_are_typed(mode: str, status: int, error: type[APIStatusError]) -> None:
    fake = FakeGlpi([ok({"status": "ERROR_X", "title": "Nope", "detail": {"f": "Unknown property"}}, status)])

    async def body(c: Driven) -> None:
        with pytest.raises(error) as info:
            await c.get_ticket(1)
        exc = info.value
        assert type(exc) is error and exc.status_code == status
        assert (exc.error_code, exc.title, exc.detail) == ("ERROR_X", "Nope", {"f": "Unknown property"})
        assert "GET http://127.0.0.1:8088/api.php/v2/Assistance/Ticket/1" in str(exc)

    run(mode, body, transport=fake.transport())


PAGE = (
    b"<!DOCTYPE html><html><head><title>502 Bad\n  Gateway</title><style>body{color:red}</style></head>"
    b"<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from nginx/1.25</p>"
    + b"<script>var secret_layout = 1;</script>" * 20
    + b"</body></html>"
)


def test_html_error_page_and_html_success_page(mode: str) -> None:
    """An HTML page is summarised by its title and status, never pasted into the message."""
    page = httpx.Response(502, content=PAGE, headers={"Content-Type": "text/html"})
    fine_but_html = httpx.Response(200, content=b"<html><head><title>Login</title></head>x</html>")
    untitled = httpx.Response(404, content=b"<html><body><p>nothing here at all</p></body></html>")
    fake = FakeGlpi([page, page, page, page, fine_but_html, untitled])

    async def body(c: Driven) -> None:
        with pytest.raises(InternalServerError) as info:
            await c.get_ticket(1)
        message = str(info.value)
        assert message == (
            "GLPI answered 502 to GET http://127.0.0.1:8088/api.php/v2/Assistance/Ticket/1:"
            " an HTML page titled '502 Bad Gateway'"
        )
        assert info.value.body.startswith("<!DOCTYPE html>")  # the page itself stays available
        with pytest.raises(APIResponseValidationError) as bad:
            await c.get_ticket(1)
        assert "not valid JSON" in str(bad.value) and "an HTML page titled 'Login'" in str(bad.value)
        assert "<html" not in str(bad.value)
        assert not bad.value.may_have_been_applied  # a GET changes nothing
        with pytest.raises(NotFoundError) as missing:
            await c.get_ticket(1)
        assert str(missing.value).endswith(": an HTML page without a title") and "nothing here" not in str(
            missing.value
        )

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 6  # 1 try + 3 retries on 502, then the HTML 200 and the 404


def test_truncated_json(mode: str) -> None:
    fake = FakeGlpi(
        [httpx.Response(200, content=b'{"id": 1, "name": "tru', headers={"Content-Type": "application/json"})]
    )

    async def body(c: Driven) -> None:
        with pytest.raises(APIResponseValidationError) as info:
            await c.get_ticket(1)
        assert info.value.status_code == 200

    run(mode, body, transport=fake.transport())


def test_timeout_on_get_is_retried_then_typed(mode: str, no_sleep: list[float]) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        with pytest.raises(APITimeoutError) as info:
            await c.get_ticket(1)
        assert not info.value.may_have_been_applied

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 4 and [a for a, _ in no_sleep] == [1, 2, 3]


def test_post_is_never_retried_and_says_it_may_have_been_applied(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        with pytest.raises(APITimeoutError) as info:
            await c.create_ticket(PostTicket(name="x"))
        assert info.value.may_have_been_applied and "may have applied this POST" in str(info.value)

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 1


def test_post_503_is_not_retried(mode: str) -> None:
    fake = FakeGlpi([ok({"status": "ERROR", "title": "down"}, 503)])

    async def body(c: Driven) -> None:
        with pytest.raises(InternalServerError) as info:
            await c.create_ticket(PostTicket(name="x"))
        assert info.value.may_have_been_applied

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 1


def test_followup_404_after_create_says_it_may_exist(mode: str) -> None:
    """glpi-project/glpi#24506: GLPI can answer 404 to a followup POST it has applied."""
    fake = FakeGlpi([ok({"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found", "detail": None}, 404)])

    async def body(c: Driven) -> None:
        with pytest.raises(NotFoundError) as info:
            await c.create_ticket_followup(1, PostFollowup(content="hello"))
        assert info.value.may_have_been_applied and "Check whether it took effect" in str(info.value)

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 1


def test_429_honours_retry_after_then_succeeds(mode: str, no_sleep: list) -> None:
    fake = FakeGlpi([ok({"status": "ERROR"}, 429, **{"Retry-After": "2"}), ok(TICKET)])

    async def body(c: Driven) -> None:
        assert (await c.get_ticket(1)).id == 1

    run(mode, body, transport=fake.transport())
    ((attempt, response),) = no_sleep
    assert attempt == 1 and response.headers["Retry-After"] == "2"


def test_retry_after_and_backoff_values() -> None:
    backoff = waits_real[-1]

    assert backoff(1, httpx.Response(429, headers={"Retry-After": "7"})) == 7.0
    for attempt in (1, 2, 3, 10):
        expected = min(8.0, 0.5 * 2 ** (attempt - 1))
        assert 0.75 * expected <= backoff(attempt) <= expected


def test_429_exhausted_is_rate_limit_error(mode: str) -> None:
    fake = FakeGlpi([ok({"status": "ERROR"}, 429)] * 4)

    async def body(c: Driven) -> None:
        with pytest.raises(RateLimitError):
            await c.get_ticket(1)

    run(mode, body, transport=fake.transport())


def test_connection_error_is_typed(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        with pytest.raises(APIConnectionError) as info:
            await c.search_tickets("id==1")
        assert not isinstance(info.value, APITimeoutError)

    run(mode, body, transport=fake.transport())


def test_401_reauthenticates_once_then_gives_up(mode: str) -> None:
    unauth = ok({"title": "You are not authenticated", "status": "ERROR_UNAUTHENTICATED"}, 401)
    fake = FakeGlpi([unauth, unauth, unauth])

    async def body(c: Driven) -> None:
        with pytest.raises(UnauthorizedError):
            await c.get_ticket(1)

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 2  # one replay, never a loop
    assert [g["grant_type"] for g in fake.token_grants] == ["password", "refresh_token"]


def test_invalid_oauth_token_400_reauthenticates(mode: str) -> None:
    rejected = ok({"status": "ERROR_INVALID_PARAMETER", "title": "Invalid OAuth token", "detail": "revoked"}, 400)
    fake = FakeGlpi([rejected, ok(TICKET)])

    async def body(c: Driven) -> None:
        assert (await c.get_ticket(1)).id == 1

    run(mode, body, transport=fake.transport())
    assert fake.authorizations == ["Bearer access-1", "Bearer access-2"]


def test_unset_parameters_are_not_sent(mode: str) -> None:
    fake = FakeGlpi([ok([]), ok([])])

    async def body(c: Driven) -> None:
        await c.search_tickets()
        await c.search_tickets(None, limit=5)

    run(mode, body, transport=fake.transport())
    first, second = fake.api_requests()
    assert first.url.query == b"" and second.url.query == b"limit=5"


def test_empty_writes_are_refused_before_sending(mode: str) -> None:
    """GLPI creates an EMPTY ticket from ``{}`` (ticket_create_empty_body): the client refuses to send one."""
    from glpi_python_client import PatchTicket

    fake = FakeGlpi([])

    async def body(c: Driven) -> None:
        with pytest.raises(ValueError, match="PostTicket has no field set"):
            await c.create_ticket(PostTicket())
        with pytest.raises(ValueError, match="PatchTicket has no field set"):
            await c.update_ticket(1, PatchTicket())

    run(mode, body, transport=fake.transport())
    assert fake.requests == []
