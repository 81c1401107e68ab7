"""The fault proxy does what ``fault_proxy.KINDS`` says, and the client reads each fault as documented.

Each case lets a token through, then injects one kind of fault into a create (a POST) or a read, and checks
the error the client raises, its ``may_have_been_applied``, and whether the simulator applied the request.
The proxy runs in-process on a background event loop in front of the simulator.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from chaos_soak import CLIENT_ID, CLIENT_SECRET, PASSWORD, USER_TOKEN
from fault_proxy import APPLIED, KINDS, FaultProxy
from glpi_sim import ORIGIN, GlpiSim

from glpi_python_client import (
    APIConnectionError,
    APIResponseValidationError,
    APITimeoutError,
    BadRequestError,
    GlpiClient,
    GlpiError,
    InternalServerError,
    RateLimitError,
)


class Proxied:
    """The simulator behind a :class:`FaultProxy` on its own event loop thread, and a client through it."""

    def __init__(self) -> None:
        self.sim = GlpiSim(password=PASSWORD, client_secret=CLIENT_SECRET, client_id=CLIENT_ID, user_token=USER_TOKEN)
        self.loop = asyncio.new_event_loop()
        self.proxy = FaultProxy(self.sim, origin=ORIGIN, rate=0.0, stall=1.0, seed=1)
        self.thread = threading.Thread(target=self.loop.run_forever, name="fault-proxy", daemon=True)
        self.thread.start()
        url = asyncio.run_coroutine_threadsafe(self.proxy.start(), self.loop).result(timeout=10)
        self.client = GlpiClient(
            glpi_api_url=url + "/api.php/v2", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, username="glpi",
            password=PASSWORD, v1_base_url=url + "/apirest.php", v1_user_token=USER_TOKEN, timeout=0.4, max_retries=0,
        )  # fmt: skip

    def inject(self, kind: str) -> None:
        self.proxy.kinds, self.proxy.rate = (kind,), 1.0

    def close(self) -> None:
        self.client.close()
        asyncio.run_coroutine_threadsafe(self.proxy.close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


@pytest.fixture
def proxied() -> Iterator[Proxied]:
    running = Proxied()
    try:
        running.client.search_tickets()  # the token, fetched without faults
        yield running
    finally:
        running.close()


#: kind -> the error a ticket create gets, and whether it says it may have been applied
ON_CREATE: dict[str, tuple[type[GlpiError], bool]] = {
    "reset_before_send": (APIConnectionError, True),  # the client cannot know the request was not read
    "reset_after_send": (APIConnectionError, True),
    "timeout_after_send": (APITimeoutError, True),
    "status_500": (InternalServerError, True),
    "status_502": (InternalServerError, True),
    "status_503": (InternalServerError, True),
    "status_504": (InternalServerError, True),
    "status_429": (RateLimitError, False),
    "status_429_retry_after": (RateLimitError, False),
    "html_200": (APIResponseValidationError, True),
    "html_502": (InternalServerError, True),
    "truncated_json": (APIResponseValidationError, True),
    "slow_body": (APITimeoutError, True),
}


@pytest.mark.parametrize("kind", sorted(ON_CREATE))
def test_each_fault_on_a_create(proxied: Proxied, kind: str) -> None:
    error, applied_flag = ON_CREATE[kind]
    proxied.inject(kind)
    with pytest.raises(error) as info:
        proxied.client.create_ticket({"name": f"fault {kind}", "content": "c"})
    assert info.value.may_have_been_applied is applied_flag
    created = [t for t in proxied.sim.items["Ticket"].values() if t["name"] == f"fault {kind}"]
    assert len(created) == (1 if kind in APPLIED else 0)
    assert [f.kind for f in proxied.proxy.log] == [kind]
    assert proxied.proxy.log[0].applied is (kind in APPLIED)


def test_a_revoked_token_is_renewed_and_the_request_replayed_once(proxied: Proxied) -> None:
    issued = proxied.sim.issued
    proxied.inject("oauth_token_revoked")
    with pytest.raises(BadRequestError, match="Invalid OAuth token"):
        proxied.client.get_ticket(1)  # the replay is refused again: one re-authentication, never a loop
    assert proxied.sim.issued == issued + 1  # refreshed once
    assert [f.kind for f in proxied.proxy.log] == ["oauth_token_revoked"] * 2


def test_every_kind_is_described_and_the_applied_ones_are_kinds() -> None:
    assert set(KINDS) >= APPLIED and all(KINDS.values())
    with pytest.raises(ValueError, match="unknown fault kinds"):
        FaultProxy("http://127.0.0.1:1", kinds=("no_such_fault",))
