"""What the client does on the user's behalf is logged under ``glpi_python_client``, never with a secret.

Each test drives the stateful simulator through both clients, captures the library's loggers at DEBUG, and
checks the records (logger, message, ``glpi_*`` attributes) and that no record holds a token, a password, a
client secret or a v1 session token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import httpx
import pytest
from glpi_harness import Driven, run
from glpi_sim import GlpiSim

import glpi_python_client._transport as transport_module

PASSWORD = "pw-S3cr3t-horse-battery"
CLIENT_SECRET = "cs-S3cr3t-staple"
USER_TOKEN = "ut-S3cr3t-correct"
CREDENTIALS = {"password": PASSWORD, "client_secret": CLIENT_SECRET, "v1_user_token": USER_TOKEN}


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exponential backoff starts at 1 ms, so retries are computed and logged without real waiting."""
    monkeypatch.setattr(transport_module, "INITIAL_RETRY_DELAY", 0.001)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """The library's records, from DEBUG up."""
    caplog.set_level(logging.DEBUG, logger="glpi_python_client")
    return caplog


def sim() -> GlpiSim:
    return GlpiSim(password=PASSWORD, client_secret=CLIENT_SECRET, user_token=USER_TOKEN)


def through(server: GlpiSim, fault: Callable[[httpx.Request], httpx.Response | None]) -> httpx.MockTransport:
    """The simulator behind ``fault``, which may answer (or raise) instead of it."""

    def handler(request: httpx.Request) -> httpx.Response:
        return fault(request) or server(request)

    return httpx.MockTransport(handler)


def library(records: list[logging.LogRecord], name: str, level: int | None = None) -> list[logging.LogRecord]:
    return [r for r in records if r.name == name and (level is None or r.levelno == level)]


def assert_no_secret(records: list[logging.LogRecord], server: GlpiSim) -> None:
    """No record's message, arguments or attributes show a credential or a token the simulator issued."""
    issued = [f"access-{i}" for i in range(1, server.issued + 1)] + [
        f"refresh-{i}" for i in range(1, server.issued + 1)
    ]
    sessions = [f"session-{i}" for i in range(1, 10)]
    secrets = [PASSWORD, CLIENT_SECRET, USER_TOKEN, *issued, *sessions]
    assert records
    for record in records:
        text = " ".join([record.getMessage(), repr(record.args), repr(vars(record))])
        for secret in secrets:
            assert not re.search(rf"\b{re.escape(secret)}\b", text), (secret, record.getMessage())


def test_retries_are_logged_with_method_route_status_attempt_and_delay(
    mode: str, logs: pytest.LogCaptureFixture
) -> None:
    server = sim()
    ticket_id = server.allocate("Ticket")
    server.items["Ticket"][ticket_id] = server._ticket_record(ticket_id, {"name": "t"}, server.stamp())
    server.team[ticket_id] = []
    faults = iter([httpx.Response(503, headers={"Retry-After": "0"}), httpx.ConnectError("refused")])

    def fault(request: httpx.Request) -> httpx.Response | None:
        if request.url.path.endswith(f"/Ticket/{ticket_id}"):
            answer = next(faults, None)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return None

    async def body(c: Driven) -> None:
        assert (await c.get_ticket(ticket_id)).id == ticket_id

    run(mode, body, transport=through(server, fault), **CREDENTIALS)
    records = logs.records
    path = f"/api.php/v2/Assistance/Ticket/{ticket_id}"
    retries = library(records, "glpi_python_client.http", logging.INFO)
    assert [r.getMessage().split(" (")[0] for r in retries] == [
        f"retrying GET {path} after 503",
        f"retrying GET {path} after ConnectError",
    ]
    first, second = retries
    assert (first.glpi_method, first.glpi_route, first.glpi_status, first.glpi_attempt) == ("GET", path, 503, 1)
    assert first.glpi_delay == 0.0  # Retry-After
    assert (second.glpi_status, second.glpi_attempt) == (None, 2)
    assert 0.001 * 2 * 0.75 <= second.glpi_delay <= 0.001 * 2  # exponential backoff with jitter
    responses = [r.getMessage() for r in library(records, "glpi_python_client.http", logging.DEBUG)]
    assert f"GET {path} -> 503 (attempt 1)" in responses
    assert f"GET {path} -> 200 (attempt 3)" in responses
    assert_no_secret(records, server)


def test_a_post_failure_is_logged_as_not_retried(mode: str, logs: pytest.LogCaptureFixture) -> None:
    server = sim()

    def fault(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST" and request.url.path.endswith("/Assistance/Ticket"):
            raise httpx.ReadError("reset")
        return None

    async def body(c: Driven) -> None:
        with pytest.raises(Exception, match="ReadError"):
            await c.create_ticket({"name": "n", "content": "c"})

    run(mode, body, transport=through(server, fault), **CREDENTIALS)
    records = logs.records
    failed = [r.getMessage() for r in library(records, "glpi_python_client.http", logging.DEBUG)]
    assert "POST /api.php/v2/Assistance/Ticket failed with ReadError on attempt 1 (POST is never retried)" in failed
    assert not library(records, "glpi_python_client.http", logging.INFO)


def test_reauthentication_and_token_refresh_are_logged(mode: str, logs: pytest.LogCaptureFixture) -> None:
    server = sim()

    async def body(c: Driven) -> None:
        first = await c.create_ticket({"name": "n", "content": "c"})
        server.access.clear()  # the access token is revoked: GLPI answers 400 "Invalid OAuth token"
        await c.get_ticket(first)
        server.access.clear()
        server.refresh.clear()  # and now the refresh token is refused too
        await c.get_ticket(first)

    run(mode, body, transport=server.transport(), **CREDENTIALS)
    records = logs.records
    auth = [r.getMessage() for r in library(records, "glpi_python_client.auth")]
    rejected = "access token rejected (400) on GET /api.php/v2/Assistance/Ticket/120: re-authenticating"
    assert [m.split(" and ")[0] if m.startswith("access token rejected") else m for m in auth] == [
        "access token obtained (password grant)",
        rejected,
        "access token refreshed (refresh_token grant)",
        rejected,
        "refresh token rejected (400): requesting a new access token with the password grant",
        "access token obtained (password grant)",
    ]
    assert {r.glpi_route for r in library(records, "glpi_python_client.auth")} >= {"/api.php/token"}
    assert_no_secret(records, server)


def test_v1_session_opening_renewal_and_closing_are_logged(mode: str, logs: pytest.LogCaptureFixture) -> None:
    server = sim()

    async def body(c: Driven) -> None:
        await c.upload_document(filename="a.txt", content=b"one")
        server.sessions.clear()  # the session expired on the server
        await c.upload_document(filename="b.txt", content=b"two")

    run(mode, body, transport=server.transport(), **CREDENTIALS)
    records = logs.records
    v1 = [(r.levelname, r.getMessage()) for r in library(records, "glpi_python_client.v1")]
    assert v1 == [
        ("INFO", "v1 session opened"),
        (
            "INFO",
            "v1 session token rejected (ERROR_SESSION_TOKEN_INVALID) on POST /apirest.php/Document: renewing the"
            " session and replaying the request once",
        ),
        ("INFO", "v1 session renewed"),
        ("DEBUG", "v1 session closed (200)"),
    ]
    assert_no_secret(records, server)


def test_each_page_fetched_is_logged(mode: str, logs: pytest.LogCaptureFixture) -> None:
    server = sim()

    async def body(c: Driven) -> None:
        for n in range(3):
            await c.create_ticket({"name": f"t{n}", "content": "c"})
        pages = [page async for page in c.iter_search_tickets(batch_size=2)]
        assert [len(p) for p in pages] == [2, 1]

    run(mode, body, transport=server.transport(), **CREDENTIALS)
    records = logs.records
    assert [r.getMessage() for r in library(records, "glpi_python_client.pages")] == [
        "page fetched: GET /api.php/v2/Assistance/Ticket start 0, 2 items, next at 2",
        "page fetched: GET /api.php/v2/Assistance/Ticket start 2, 1 items, last page",
    ]
    assert_no_secret(records, server)


def test_the_library_logger_has_a_null_handler() -> None:
    import glpi_python_client  # noqa: F401

    handlers = logging.getLogger("glpi_python_client").handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)


@pytest.mark.parametrize("level", [logging.WARNING, logging.DEBUG])
def test_a_disabled_logger_costs_one_check_not_its_arguments(
    mode: str, level: int, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the library's loggers above INFO, a page fetched and a retry build no record attributes at all."""
    import glpi_python_client._operations.crud as crud_module

    built: list[str] = []

    def counting_facts(request: httpx.Request, **fields: object) -> dict[str, object]:
        built.append(request.method)
        return {}

    monkeypatch.setattr(crud_module, "facts", counting_facts)
    monkeypatch.setattr(transport_module, "facts", counting_facts)
    caplog.set_level(level, logger="glpi_python_client")
    server = sim()
    failed: list[str] = []

    def once_503(request: httpx.Request) -> httpx.Response | None:
        if request.method == "GET" and "/Ticket/" in request.url.path and not failed:
            failed.append(request.url.path)
            return httpx.Response(503)
        return None

    async def body(c: Driven) -> None:
        created = await c.create_ticket({"name": "t", "content": "c"})
        built.clear()  # the token's record (once per token) is not the per-call path measured here
        assert (await c.get_ticket(created)).name == "t"  # after one retried 503
        assert [len(p) async for p in c.iter_search_tickets(batch_size=2)] == [1]

    run(mode, body, transport=through(server, once_503), **CREDENTIALS)
    assert failed
    if level == logging.DEBUG:
        assert built.count("GET") >= 2  # the retry and the page: what the WARNING case must not build
    else:
        assert built == []
        assert [r for r in caplog.records if r.levelno < logging.WARNING] == []
