"""An error holds no credential and crosses a process boundary whole: redacted, picklable, on both clients."""

from __future__ import annotations

import pickle

import pytest
from glpi_harness import Driven, run

from glpi_python_client import APIError, GlpiError, NotFoundError, V1Error
from glpi_python_client.testing import GlpiSimulator


def _secrets(sim: GlpiSimulator) -> list[bytes]:
    """Every credential the simulator issued or was given: tokens, password, client secret, user token."""
    issued = [*sim.access, *sim.refresh, *sim.sessions]
    given = [sim.credentials["password"], sim.client["client_secret"], sim.user_token]
    return [s.encode() for s in [*issued, *given] if s]


def _check(error: GlpiError, secrets: list[bytes]) -> GlpiError:
    # nothing chained: httpx's exception (or the token request's) would hold the request as sent
    assert error.__context__ is None and error.__cause__ is None, repr(error.__context__)
    blob = pickle.dumps(error)
    for secret in secrets:
        assert secret not in blob, secret  # neither in the message nor in any attribute (request, response)
    rebuilt = pickle.loads(blob)
    assert type(rebuilt) is type(error) and str(rebuilt) == str(error)
    for name in ("status_code", "may_have_been_applied", "error_code", "body"):
        assert getattr(rebuilt, name, None) == getattr(error, name, None), name
    return rebuilt


def test_a_status_error_keeps_a_redacted_request(mode: str) -> None:
    sim = GlpiSimulator()
    caught: list[GlpiError] = []

    async def body(c: Driven) -> None:
        with pytest.raises(NotFoundError) as info:
            await c.get_ticket(999)
        caught.append(info.value)

    run(mode, body, transport=sim.transport())
    (error,) = caught
    assert isinstance(error, APIError) and error.request is not None
    assert error.request.headers["Authorization"] == "REDACTED"
    assert error.response.request is error.request  # the response's request is the redacted copy too
    assert error.request.url.path == "/api.php/v2/Assistance/Ticket/999"
    rebuilt = _check(error, _secrets(sim))
    assert isinstance(rebuilt, NotFoundError) and rebuilt.response.status_code == 404


def test_a_failed_token_request_leaves_no_credential_on_the_error(mode: str) -> None:
    sim = GlpiSimulator()
    sim.inject(status=500, path=r"/api\.php/token$", times=10)
    caught: list[GlpiError] = []

    async def body(c: Driven) -> None:
        with pytest.raises(GlpiError) as info:
            await c.get_ticket(1)
        caught.append(info.value)

    run(mode, body, transport=sim.transport())
    (error,) = caught
    request = getattr(error, "request", None)
    assert request is None or request.content == b""  # the grant's body (password, client secret) is gone
    _check(error, _secrets(sim))


def test_a_v1_error_keeps_no_user_or_session_token(mode: str) -> None:
    sim = GlpiSimulator()
    caught: list[GlpiError] = []

    async def body(c: Driven) -> None:
        with pytest.raises(V1Error) as info:
            await c.get_ticket_custom_fields(1)  # initSession refuses the user token: a V1Error
        caught.append(info.value)

    run(mode, body, transport=sim.transport(), v1_user_token="wrong-user-token-secret")
    (error,) = caught
    assert isinstance(error, V1Error)
    assert error.response.request.headers["Authorization"] == "REDACTED"
    _check(error, [*_secrets(sim), b"wrong-user-token-secret"])


def test_a_connection_error_is_not_chained_to_httpx_s(mode: str) -> None:
    sim = GlpiSimulator()
    caught: list[GlpiError] = []

    async def body(c: Driven) -> None:
        sim.inject("connect_error", path=r"/Assistance/Ticket$", times=10)
        with pytest.raises(APIError) as info:
            await c.create_ticket({"name": "n", "content": "c"})  # a POST: never retried, fails at once
        caught.append(info.value)

    run(mode, body, transport=sim.transport())
    (error,) = caught
    assert error.may_have_been_applied is False and error.request is not None
    _check(error, _secrets(sim))
