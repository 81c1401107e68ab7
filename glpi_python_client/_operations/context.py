"""``get_ticket_context``: a ticket and its whole timeline in about two round trips.

Round 1 fetches the ticket and its four timeline lists concurrently. Round 2, only when needed,
resolves what round 1 referenced but did not name: each distinct linked document (its name is only
on ``/Management/Document/{id}``) and each user whose display name is known neither from the ticket's
team nor from the client's cache (the events' ``{id, name}`` objects carry only the login, kept as the
fallback when a user cannot be read).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .._arguments import check_id
from .._context import GlpiTicketContext, member_display_name
from .._errors import NotFoundError, PermissionDeniedError
from .._models import GetDocument, GetFollowup, GetSolution, GetTicket, GetTicketTask, GetUser, IdName
from .._plan import Gather, Plan
from . import resources, timeline

if TYPE_CHECKING:
    from .._state import Context

__all__ = ["get_ticket_context"]


def _optional(plan: Plan[Any]) -> Plan[Any]:
    """Run ``plan``; None when the item is gone or hidden (404/403), so one stale reference never fails the whole."""
    try:
        return (yield from plan)
    except (NotFoundError, PermissionDeniedError):
        return None


def _user_display_name(user: GetUser) -> str | None:
    full = " ".join(part.strip() for part in (user.firstname, user.realname) if part and part.strip())
    return full or user.username or None


def _user_refs(
    ticket: GetTicket, followups: list[GetFollowup], tasks: list[GetTicketTask], solutions: list[GetSolution]
) -> Iterator[IdName]:
    """Every user reference the transcript may print."""
    if ticket.user_editor is not None:
        yield ticket.user_editor
    events: Iterable[GetFollowup | GetTicketTask | GetSolution] = [*followups, *tasks, *solutions]
    for event in events:
        refs: list[IdName | None] = [event.user, event.user_editor]
        if isinstance(event, GetTicketTask):
            refs.append(event.user_tech)
        elif isinstance(event, GetSolution):
            refs.append(event.approver)
        yield from (ref for ref in refs if ref is not None)


def get_ticket_context(ctx: Context, ticket_id: int) -> Plan[GlpiTicketContext]:
    """A ticket with its whole timeline: followups, tasks, solutions and linked documents, names resolved.

    The five reads run concurrently (threads on ``GlpiClient``, ``asyncio.gather`` on ``AsyncGlpiClient``);
    then the names the answers lack (document names, users known only by id) are fetched concurrently, each
    distinct id once. An item that vanished or is hidden (404/403) is left out rather than failing the whole.

    Args:
        ticket_id: The ticket's id.

    Returns:
        A ``GlpiTicketContext``; ``.to_markdown()`` renders the transcript of the user guide.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Printer offline", content="3rd floor"))
        >>> print(client.get_ticket_context(ticket_id).to_markdown().splitlines()[0])
        # Ticket #120 — Printer offline
    """
    ticket_id = check_id(ticket_id, "ticket_id")
    first: list[Any] = yield Gather(
        [
            resources.get_ticket(ctx, ticket_id),
            timeline.list_ticket_followups(ctx, ticket_id),
            timeline.list_ticket_tasks(ctx, ticket_id),
            timeline.list_ticket_solutions(ctx, ticket_id),
            timeline.list_ticket_timeline_documents(ctx, ticket_id),
        ],
        limit=max(1, min(5, ctx.concurrency)),
    )
    ticket, followups, tasks, solutions, documents = first

    # User display names: the team (real names), then the client's cache, then GET, then the events' logins.
    names: dict[int, str] = {}
    known: dict[int, str] = {}  # display names worth caching (team members, fetched users)
    for member in ticket.team:
        if member.type in (None, "User") and member.id:
            display = member_display_name(member)
            if display:
                names.setdefault(member.id, display)
                known.setdefault(member.id, display)
    # An event's {id, name} carries the login ("bob.martin"), not the display name: it is only the fallback
    # when the user cannot be read. Each distinct unknown id is fetched once, then cached on the client.
    logins: dict[int, str] = {}
    unnamed: list[int] = []
    for ref in _user_refs(ticket, followups, tasks, solutions):
        if not ref.id or ref.id in names:
            continue
        if ref.name:
            logins.setdefault(ref.id, ref.name)
        if ref.id not in unnamed:
            unnamed.append(ref.id)
    with ctx.lock:
        ctx.user_names.update(known)
        for user_id in list(unnamed):
            cached = ctx.user_names.get(user_id)
            if cached:
                names[user_id] = cached
                unnamed.remove(user_id)

    document_ids = list(dict.fromkeys(d.documents_id for d in documents if d.documents_id is not None))
    plans: list[Plan[Any]] = [_optional(resources.get_document(ctx, i)) for i in document_ids]
    plans += [_optional(resources.get_user(ctx, i)) for i in unnamed]
    document_names: dict[int, str] = {}
    if plans:
        resolved: list[Any] = yield Gather(plans, limit=max(1, ctx.concurrency))
        fetched_documents: list[GetDocument | None] = resolved[: len(document_ids)]
        fetched_users: list[GetUser | None] = resolved[len(document_ids) :]
        for document_id, document in zip(document_ids, fetched_documents, strict=True):
            if document is not None and (document.name or document.filename):
                document_names[document_id] = document.name or document.filename or ""
        fetched: dict[int, str] = {}
        for user_id, user in zip(unnamed, fetched_users, strict=True):
            display = _user_display_name(user) if user is not None else None
            if display:
                fetched[user_id] = display
        names.update(fetched)
        if fetched:
            with ctx.lock:
                ctx.user_names.update(fetched)
    for user_id, login in logins.items():
        names.setdefault(user_id, login)

    return GlpiTicketContext(
        ticket=ticket,
        followups=followups,
        tasks=tasks,
        solutions=solutions,
        documents=documents,
        user_names=names,
        document_names=document_names,
    )
