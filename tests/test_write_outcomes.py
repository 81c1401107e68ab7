"""Found by the chaos soak (``tests/chaos_soak.py``): what a failed write says about the server, and retries of bodies.

``may_have_been_applied`` must be truthful both ways for every write: True whenever the server may have
applied it (a 5xx or a broken connection after a PATCH too, an unreadable answer to a create, a v1 5xx),
False only when it did not. An HTML page answering a JSON request is an error, even for a write whose body
the client does not read. A refresh grant answered with an unreadable 200 falls back to a full grant.
A GET whose body is cut short is retried like any connection error.
"""

from __future__ import annotations

import httpx
import pytest
from fake_glpi import TOKEN_URL, FakeGlpi, ok, token_response
from glpi_harness import Driven, run

import glpi_python_client._transport as transport_module
from glpi_python_client import (
    APIConnectionError,
    APIResponseValidationError,
    InternalServerError,
    V1Error,
)

TICKET = {"id": 1, "name": "t", "status": {"id": 1, "name": "New"}}
HTML = {"Content-Type": "text/html; charset=UTF-8"}


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transport_module, "backoff", lambda attempt, response=None: 0.0)


def test_a_patch_answered_500_may_have_been_applied(mode: str) -> None:
    fake = FakeGlpi([httpx.Response(500)])

    async def body(c: Driven) -> None:
        with pytest.raises(InternalServerError) as info:
            await c.update_ticket(1, {"name": "new"})
        assert info.value.may_have_been_applied
        assert "may have applied this PATCH" in str(info.value) and "sending it again is safe" in str(info.value)

    run(mode, body, transport=fake.transport())


def test_a_patch_reset_after_sending_may_have_been_applied_and_a_refused_one_was_not(mode: str) -> None:
    errors = iter([httpx.ReadError("reset")] * 4 + [httpx.ConnectError("refused")] * 4)

    def answer(request: httpx.Request) -> httpx.Response:
        raise next(errors)

    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        with pytest.raises(APIConnectionError) as sent:
            await c.update_ticket(1, {"name": "new"})
        assert sent.value.may_have_been_applied
        with pytest.raises(APIConnectionError) as refused:
            await c.update_ticket(1, {"name": "new"})
        assert not refused.value.may_have_been_applied

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 8  # each PATCH: one try and three retries


def test_an_unreadable_answer_to_a_create_may_have_been_applied(mode: str) -> None:
    cut = httpx.Response(200, content=b'{"id": 12, "hr', headers={"Content-Type": "application/json"})
    fake = FakeGlpi([cut])

    async def body(c: Driven) -> None:
        with pytest.raises(APIResponseValidationError) as info:
            await c.create_ticket({"name": "n", "content": "c"})
        assert info.value.may_have_been_applied and "Check whether it took effect" in str(info.value)

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 1


def test_an_html_page_answering_a_team_member_add_is_an_error(mode: str) -> None:
    """GLPI answers 201 with an empty body, which the client does not read: a login page must not pass for it."""
    fake = FakeGlpi([httpx.Response(200, content=b"<html><body>Sign in</body></html>", headers=HTML)])

    async def body(c: Driven) -> None:
        with pytest.raises(APIResponseValidationError, match="not valid JSON") as info:
            await c.add_ticket_team_member(1, {"type": "User", "id": 2, "role": "observer"})
        assert info.value.may_have_been_applied

    run(mode, body, transport=fake.transport())


def test_a_v1_upload_answered_500_may_have_been_applied(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/initSession"):
            return ok({"session_token": "session-1"})
        if request.url.path.endswith("/Document"):
            return ok(["ERROR", "Internal error"], 500)
        return ok(True)

    fake = FakeGlpi(answer)

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await c.upload_document(filename="a.txt", content=b"x")
        assert info.value.may_have_been_applied and "may have applied this POST" in str(info.value)
        assert "session-1" not in str(info.value)

    run(mode, body, transport=fake.transport())


def test_a_v1_error_that_proves_nothing_was_applied_says_so(mode: str) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/initSession"):
            return ok({"session_token": "session-1"})
        if request.url.path.endswith("/Document"):
            return ok(["ERROR_GLPI_ADD", "No file uploaded"], 400)
        return ok(True)

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await c.upload_document(filename="a.txt", content=b"x")
        assert info.value.may_have_been_applied is False

    run(mode, body, transport=FakeGlpi(answer).transport())


def test_a_refresh_answered_with_an_html_page_falls_back_to_a_full_grant(mode: str) -> None:
    grants: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            grant = dict(httpx.QueryParams(request.content.decode()))["grant_type"]
            grants.append(grant)
            if grant == "refresh_token":
                return httpx.Response(200, content=b"<html>portal</html>", headers=HTML)
            return token_response(len(grants))
        if request.headers["Authorization"] == "Bearer access-1":
            return ok({"status": "ERROR_INVALID_PARAMETER", "title": "Invalid OAuth token"}, 400)
        return ok(TICKET)

    async def body(c: Driven) -> None:
        assert (await c.get_ticket(1)).id == 1

    run(mode, body, transport=httpx.MockTransport(handler))
    assert grants == ["password", "refresh_token", "password"]


class _CutStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that breaks after its first chunk, as a connection reset mid-answer does."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield b'{"id": 1,'
        raise httpx.ReadError("connection reset")

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield b'{"id": 1,'
        raise httpx.ReadError("connection reset")


def test_a_get_whose_body_is_cut_short_is_retried(mode: str) -> None:
    answers = [httpx.Response(200, stream=_CutStream(), headers={"Content-Type": "application/json"}), ok(TICKET)]
    fake = FakeGlpi(answers)

    async def body(c: Driven) -> None:
        assert (await c.get_ticket(1)).id == 1

    run(mode, body, transport=fake.transport())
    assert len(fake.api_requests()) == 2


def test_a_login_page_answering_a_download_is_an_error_and_an_html_document_is_not(mode: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GLPI sends a document's file with Content-Disposition; a portal page without it is not the document."""
    page = httpx.Response(200, content=b"<html><title>Sign in</title></html>", headers=HTML)
    document = httpx.Response(
        200, content=b"<html>report</html>", headers={**HTML, "Content-Disposition": 'attachment; filename="r.html"'}
    )
    fake = FakeGlpi([page, page, document])

    async def body(c: Driven) -> None:
        with pytest.raises(APIResponseValidationError, match="an HTML page titled 'Sign in'"):
            await c.download_document_content(5)
        target = tmp_path / "out.html"
        with pytest.raises(APIResponseValidationError):
            await c.download_document_to(5, target)
        assert not target.exists() or target.read_bytes() == b""  # nothing of the page was written
        assert await c.download_document_content(5) == b"<html>report</html>"

    run(mode, body, transport=fake.transport())


def test_a_token_endpoint_answering_503_is_retried(mode: str) -> None:
    """A fan-out must not fail because the token endpoint had a bad moment: repeating a grant is harmless."""
    grants: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            grants.append(1)
            if len(grants) == 1:
                return httpx.Response(503, content=b"<html><title>Service Unavailable</title></html>", headers=HTML)
            return token_response(len(grants))
        return ok(TICKET)

    async def body(c: Driven) -> None:
        assert (await c.get_ticket(1)).id == 1

    run(mode, body, transport=httpx.MockTransport(handler))
    assert len(grants) == 2


def test_an_unreachable_token_endpoint_fails_a_create_that_was_never_sent(mode: str) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        if str(request.url) == TOKEN_URL:
            raise httpx.ConnectError("connection refused")
        return ok({"id": 1})

    async def body(c: Driven) -> None:
        with pytest.raises(APIConnectionError, match="token endpoint") as info:
            await c.create_ticket({"name": "n", "content": "c"})
        assert info.value.may_have_been_applied is False
        assert info.value.request is None  # the token request's body holds the credentials
        assert "replayed-password" not in str(info.value) and "replayed-password" not in repr(info.value)

    run(mode, body, transport=httpx.MockTransport(handler))
    assert sent == ["/api.php/token"] * 4  # one try and three retries; the create itself was never sent
