"""A URL that is not GLPI's API is diagnosed as such; real credential errors say which; tracebacks stay short."""

from __future__ import annotations

import socket
import traceback

import httpx
import pytest
from fake_glpi import TOKEN_URL, FakeGlpi, ok
from glpi_harness import Driven, run

from glpi_python_client import (
    AuthenticationError,
    ConfigurationError,
    InternalServerError,
    NotAGlpiApiError,
)

NOT_IMPLEMENTED = httpx.Response(
    501,
    content=b"<html><head><title>501 Not Implemented</title></head><body>" + b"<p>Unsupported method</p>" * 50,
    headers={"Content-Type": "text/html"},
)


class TokenAnswers(FakeGlpi):
    """A server whose token URL answers ``token`` (the API answers a ticket, if it is ever reached)."""

    def __init__(self, token: httpx.Response) -> None:
        super().__init__(lambda request: ok({"id": 1}))
        self.token = token

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            self.requests.append(request)
            return self.token
        return super().__call__(request)


@pytest.mark.parametrize(
    ("token", "found"),
    [
        (NOT_IMPLEMENTED, "answered 501 Not Implemented with an HTML page titled '501 Not Implemented'"),
        (httpx.Response(404, text="<!DOCTYPE html><html><body>nope</body></html>"), "404 Not Found with an HTML page"),
        (httpx.Response(405), "answered 405 Method Not Allowed with an empty body"),
        (
            ok({"status": "ERROR_NOT_FOUND", "title": "Route not found"}, 404),
            "404 Not Found with JSON that is not an OAuth answer (keys: status, title)",
        ),
        (httpx.Response(200, text="<html><head><title>Login</title></head></html>"), "200 OK with an HTML page titled"),
        (ok({"hello": "world"}), "200 OK with JSON that is not an OAuth answer (keys: hello)"),
    ],
)
def test_a_token_url_that_is_not_glpi_is_a_configuration_error(mode: str, token: httpx.Response, found: str) -> None:
    fake = TokenAnswers(token)

    async def body(c: Driven) -> None:
        with pytest.raises(NotAGlpiApiError) as info:
            await c.get_ticket(1)
        error = info.value
        assert isinstance(error, ConfigurationError) and not isinstance(error, AuthenticationError)
        message = str(error)
        assert message.startswith(
            "glpi_api_url does not look like a GLPI API: POST http://127.0.0.1:8088/api.php/token answered"
        )
        assert found in message and "e.g. https://glpi.example.com/api.php/v2" in message
        assert "<p>" not in message and "password" not in message
        assert error.url == TOKEN_URL and error.status_code == token.status_code

    run(mode, body, transport=fake.transport())
    assert fake.api_requests() == []  # nothing is sent without a token


def test_a_proxy_502_at_the_token_url_is_a_server_error(mode: str) -> None:
    page = httpx.Response(502, text="<html><head><title>502 Bad Gateway</title></head></html>")
    fake = TokenAnswers(page)

    async def body(c: Driven) -> None:
        with pytest.raises(InternalServerError, match=r"502 to POST .*: an HTML page titled '502 Bad Gateway'"):
            await c.get_ticket(1)

    run(mode, body, transport=fake.transport())


@pytest.mark.parametrize(
    ("scenario", "error", "hint"),
    [
        ("oauth_bad_password", "invalid_grant", "400 invalid_grant): the username or password is wrong"),
        ("oauth_bad_client_secret", "invalid_client", "401 invalid_client): client_id or client_secret is wrong"),
    ],
)
def test_refused_credentials_say_which(mode: str, scenario: str, error: str, hint: str) -> None:
    """Real recordings of GLPI 11.0.6 refusing a password, then a client secret."""

    async def body(c: Driven) -> None:
        with pytest.raises(AuthenticationError) as info:
            await c.get_ticket(1)
        assert info.value.error == error and hint in str(info.value)
        assert not isinstance(info.value, ConfigurationError)
        lines = traceback.format_exception(info.value)
        assert len("".join(lines).splitlines()) <= 30, "".join(lines)

    run(mode, body, scenario=scenario)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_connection_reads_in_a_few_lines(mode: str) -> None:
    from glpi_python_client import APIConnectionError

    url = f"http://127.0.0.1:{_closed_port()}/api.php/v2"

    async def body(c: Driven) -> None:
        with pytest.raises(APIConnectionError) as info:
            await c.get_ticket(1)
        text = "".join(traceback.format_exception(info.value))
        assert len(text.splitlines()) <= 30, text
        assert "httpcore" not in text and "During handling" not in text and "direct cause" not in text
        # the token request, sent first, is what could not connect; the message names it
        assert text.splitlines()[-1].startswith("glpi_python_client.APIConnectionError: ConnectError on POST")
        assert "token endpoint" in text.splitlines()[-1]

    run(mode, body, glpi_api_url=url, max_retries=0)
