"""Behaviours of the real GLPI that its document does not describe (../shared/GLPI_LIVE.md), replayed."""

from __future__ import annotations

import pytest
from glpi_harness import Driven, run
from pydantic import ValidationError

from glpi_python_client import NotFoundError, PostTeamMember, PostTicket, UnauthorizedError, rsql


def test_client_credentials_token_is_refused_with_a_hint(mode: str) -> None:
    async def body(c: Driven) -> None:
        with pytest.raises(UnauthorizedError, match="configure username and password"):
            await c.search_tickets(limit=1)

    run(mode, body, scenario="oauth_client_credentials_token_rejected_by_ticket_endpoint", repeats=True,
        username=None, password=None)  # fmt: skip


def test_escape_hatch_reaches_any_route_with_the_same_session(mode: str) -> None:
    """GET /status through the generated layer: the api-scoped token is refused (403), as recorded.

    The generated function rides on the facade's session (token, scope headers), and the refusal is the
    facade's typed error, not the generated layer's silent None.
    """
    from glpi_api_v2.api.status import get_status

    from glpi_python_client import PermissionDeniedError

    async def body(c: Driven) -> None:
        with pytest.raises(PermissionDeniedError) as info:
            if c.is_async:
                await get_status.asyncio_detailed(client=c.client.api)
            else:
                get_status.sync_detailed(client=c.client.api)
        assert info.value.status_code == 403 and info.value.error_code == "ERROR_RIGHT_MISSING"

    run(mode, body, scenario="request_missing_scope")


def test_unknown_route_is_not_found(mode: str) -> None:
    from glpi_python_client._plan import Plan, Send

    def get_json(step: Send) -> Plan[object]:
        response = yield step  # a 4xx raises at the yield
        return response.json()

    async def body(c: Driven) -> None:
        with pytest.raises(NotFoundError) as info:
            outcome = c.client._run(get_json(Send("GET", "Assistance/NoSuchThing")))
            if c.is_async:
                await outcome
        assert info.value.error_code == "ERROR_ITEM_NOT_FOUND"

    run(mode, body, scenario="request_unknown_route")


def test_rsql_builder_against_the_live_string_operators(mode: str) -> None:
    async def body(c: Driven) -> None:
        first = await c.create_ticket(PostTicket(name="strops-0015b4 #1"))
        second = await c.create_ticket(PostTicket(name="strops-0015b4 #2"))
        exact = await c.search_tickets(rsql.eq("name", "strops-0015b4 #1"))
        assert [t.id for t in exact] == [first]
        assert len(await c.search_tickets(rsql.like("name", "strops-0015b4*"))) == 2
        assert len(await c.search_tickets(rsql.ilike("name", "STROPS-0015B4*"))) == 2
        assert {t.id for t in await c.search_tickets(rsql.in_("id", [first, second]))} == {first, second}
        grouped = rsql.all_of(
            rsql.any_of(rsql.eq("id", first), rsql.eq("id", second)), rsql.like("name", "strops-0015b4*")
        )
        assert grouped == f'(id=={first},id=={second});name=like="strops-0015b4*"'
        assert len(await c.search_tickets(grouped)) == 2

    run(mode, body, scenario="ticket_search_filter_string_operators")


def test_inclusive_date_window_matches_the_live_syntax(mode: str) -> None:
    async def body(c: Driven) -> None:
        await c.create_ticket(PostTicket(name="date window"))
        window = rsql.date_window("date_creation", "2026-01-01", "2026-12-31")
        assert window == "date_creation=ge=2026-01-01 00:00:00;date_creation=le=2026-12-31 23:59:59"
        assert 1 <= len(await c.search_tickets(window, limit=3)) <= 3  # at least the ticket just created
        empty = rsql.date_window("date_creation", "2000-01-01", "2000-12-31")
        assert await c.search_tickets(empty, limit=3) == []

    run(mode, body, scenario="ticket_search_date_window_space_separated_works")


def test_out_of_range_urgency_is_refused_before_sending() -> None:
    """GLPI silently drops ``urgency: 9`` (ticket_create_invalid_urgency_silently_ignored): the model refuses it."""
    with pytest.raises(ValidationError, match="urgency"):
        PostTicket(name="x", urgency=9)
    with pytest.raises(ValidationError, match="role"):
        PostTeamMember(type="User", id=2, role="bogus")


def test_team_members_by_role_accepts_an_object_keyed_by_index(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="roles"))
        await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=4, role="observer"))
        await c.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="assigned"))
        everyone = await c.list_ticket_team_members(ticket_id)
        assert {(m.id, m.role) for m in everyone} == {(4, "observer"), (2, "assigned")}
        assert await c.list_ticket_team_members(ticket_id, role="requester") == []
        assert [m.id for m in await c.list_ticket_team_members(ticket_id, role="assigned")] == [2]
        observers = await c.list_ticket_team_members(ticket_id, role="observer")  # served as {"1": {...}}
        assert [(m.id, m.role, m.type) for m in observers] == [(4, "observer", "User")]

    run(mode, body, scenario="team_members_list_by_role")
