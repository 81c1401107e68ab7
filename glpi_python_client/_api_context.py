"""The aggregated ticket context: one method on both clients."""

from __future__ import annotations

from ._operation import operation
from ._operations import context

__all__ = ["TicketContextAPI"]


class TicketContextAPI:
    """A ticket with its whole timeline (:class:`~._context.GlpiTicketContext`), renderable as Markdown."""

    get_ticket_context = operation(context.get_ticket_context)
