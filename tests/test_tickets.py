"""Tickets through both clients, replaying the real server."""

from __future__ import annotations

import pytest
from glpi_harness import Driven, run

from glpi_python_client import GetTicket, NotFoundError, PatchTicket, PostTicket


def test_ticket_crud(mode: str) -> None:
    async def body(c: Driven) -> None:
        ticket_id = await c.create_ticket(PostTicket(name="refrec ticket", content="created by the client"))
        assert isinstance(ticket_id, int)
        ticket = await c.get_ticket(ticket_id)
        assert isinstance(ticket, GetTicket) and ticket.id == ticket_id and ticket.status.id == 1
        updated = await c.update_ticket(ticket_id, PatchTicket(content="updated", status=2))
        assert updated.status.id == 2
        again = await c.get_ticket(ticket_id)
        assert again.status.id == 2
        found = await c.search_tickets(f"id=={ticket_id}")
        assert [t.id for t in found] == [ticket_id]
        await c.delete_ticket(ticket_id)
        trashed = await c.get_ticket(ticket_id)
        assert trashed.is_deleted is True
        await c.delete_ticket(ticket_id, force=True)
        with pytest.raises(NotFoundError) as info:
            await c.get_ticket(ticket_id)
        assert info.value.error_code == "ERROR_ITEM_NOT_FOUND"

    run(mode, body, scenario="ticket_crud")
