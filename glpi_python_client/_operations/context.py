"""``get_ticket_context``: a ticket and its whole timeline in one round trip when the names are known, two when not.

The ticket and its four timeline lists are read concurrently. The names those answers reference but do not
carry are looked up as soon as the answer naming them arrives, not after all five: each distinct linked
document (its name is only on ``/Management/Document/{id}``) as soon as the document list is in, and each user
whose display name is known neither from the client's name cache nor from the ticket's team as soon as both
the list referencing it and the ticket (its team) are in. The events' ``{id, name}`` objects carry only the
login, kept as the fallback when a user cannot be read. What was fetched or read from a team goes into the
client's name cache (:mod:`glpi_python_client._names`: bounded, expiring), so a repeated context is one round.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from .._arguments import check_id
from .._context import GlpiTicketContext, member_display_name
from .._errors import NotFoundError, PermissionDeniedError
from .._logging import names_log
from .._models import GetFollowup, GetSolution, GetTicket, GetTicketTask, GetTimelineDocument, GetUser, IdName
from .._names import NameKind
from .._plan import Gather, Plan
from . import resources, timeline

if TYPE_CHECKING:
    from .._state import Context

__all__ = ["get_ticket_context"]

T = TypeVar("T")
Event = GetFollowup | GetTicketTask | GetSolution


def _optional(plan: Plan[Any]) -> Plan[Any]:
    """Run ``plan``; None when the item is gone or hidden (404/403), so one stale reference never fails the whole."""
    try:
        return (yield from plan)
    except (NotFoundError, PermissionDeniedError):
        return None


def _user_display_name(user: GetUser) -> str | None:
    full = " ".join(part.strip() for part in (user.firstname, user.realname) if part and part.strip())
    return full or user.username or None


def _event_user_refs(events: Iterable[Event]) -> Iterator[IdName]:
    """Every user reference an event of the transcript may print."""
    for event in events:
        refs: list[IdName | None] = [event.user, event.user_editor]
        if isinstance(event, GetTicketTask):
            refs.append(event.user_tech)
        elif isinstance(event, GetSolution):
            refs.append(event.approver)
        yield from (ref for ref in refs if ref is not None and ref.id)


def _ids(refs: Iterable[IdName | None]) -> list[int]:
    """The ids of the references that name someone (GLPI uses 0 for "nobody")."""
    return [ref.id for ref in refs if ref is not None and ref.id]


class _Names:
    """One context's name resolution: which names to look up when each answer arrives, and what was found.

    Each distinct id is looked up once per context, as soon as an answer makes the lookup necessary; the
    client's name cache answers first. A user's lookup waits for the ticket (its team may name the user), a
    document's for nothing but the document list. Lookups wait in one queue, worked by the plan whose answer
    just arrived (its read is over, so its slot is free) and by at most ``spare`` more workers: the slots of
    ``concurrency`` the five reads do not use. So the whole context never has more than ``concurrency``
    requests in flight. Arrivals may come from several threads (the sync client), hence the lock; no method
    here does I/O except the plans :meth:`work` returns.
    """

    def __init__(self, ctx: Context, *, readers: int) -> None:
        self.ctx = ctx
        self.lock = threading.Lock()
        self.spare = max(0, ctx.concurrency - readers)  # extra workers allowed beside the readers' own slots
        self.team: dict[int, str] | None = None  # display names from the ticket's team, once the ticket is in
        self.waiting: list[int] = []  # users referenced before the ticket arrived, not cached
        self.queue: deque[tuple[NameKind, int]] = deque()
        self.claimed: set[tuple[NameKind, int]] = set()
        self.found: dict[tuple[NameKind, int], str | None] = {}  # cached or fetched (None: unreadable)

    # -- arrivals: each queues the lookups its answer makes necessary ------------------------------------------

    def ticket_arrived(self, ticket: GetTicket) -> None:
        team: dict[int, str] = {}
        for member in ticket.team:
            if member.type in (None, "User") and member.id:
                display = member_display_name(member)
                if display:
                    team.setdefault(member.id, display)
        for user_id, display in team.items():
            self.ctx.names.put("user", user_id, display)
        with self.lock:
            self.team = team
            users = [*self.waiting, *_ids([ticket.user_editor])]
            self.waiting = []
            self._users_locked(users)

    def events_arrived(self, events: list[Event]) -> None:
        users = _ids(_event_user_refs(events))
        with self.lock:
            self._users_locked(users)

    def documents_arrived(self, documents: list[GetTimelineDocument]) -> None:
        ids = [d.documents_id for d in documents if d.documents_id is not None]
        with self.lock:
            for document_id in dict.fromkeys(ids):
                if self._needs_locked("document", document_id):
                    self._queue_locked("document", document_id)

    def _users_locked(self, ids: Iterable[int]) -> None:
        for user_id in dict.fromkeys(ids):
            if self.team is not None and user_id in self.team:
                continue
            if not self._needs_locked("user", user_id):
                continue
            if self.team is None:
                if user_id not in self.waiting:
                    self.waiting.append(user_id)  # the ticket's team may name this user: decide when it arrives
                continue
            self._queue_locked("user", user_id)

    def _needs_locked(self, kind: NameKind, key: int) -> bool:
        """Not yet claimed nor found in this context, and not in the client's cache (which then answers)."""
        if (kind, key) in self.claimed or (kind, key) in self.found:
            return False
        hit, name = self.ctx.names.get(kind, key)
        if hit:
            self.found[(kind, key)] = name
            return False
        return True

    def _queue_locked(self, kind: NameKind, key: int) -> None:
        self.claimed.add((kind, key))
        self.queue.append((kind, key))
        names_log.debug("fetching the name of %s %d (not in the name cache)", kind, key)

    # -- the lookups --------------------------------------------------------------------------------------

    def workers(self) -> list[Plan[None]]:
        """The workers to run now, after an answer's arrival: the arriving plan's own, plus spare ones."""
        with self.lock:
            if not self.queue:
                return []
            extra = min(len(self.queue) - 1, self.spare)
            self.spare -= extra
        return [self.work(spare=False), *(self.work(spare=True) for _ in range(extra))]

    def work(self, *, spare: bool) -> Plan[None]:
        """Fetch queued names until the queue is empty (then give a spare slot back)."""
        while True:
            with self.lock:
                if not self.queue:
                    self.spare += spare
                    return
                kind, key = self.queue.popleft()
            yield from self._fetch(kind, key)

    def _fetch(self, kind: NameKind, key: int) -> Plan[None]:
        name: str | None = None
        if kind == "document":
            document = yield from _optional(resources.get_document(self.ctx, key))
            name = (document.name or document.filename or None) if document is not None else None
        else:
            user = yield from _optional(resources.get_user(self.ctx, key))
            name = _user_display_name(user) if user is not None else None
        self.ctx.names.put(kind, key, name)
        with self.lock:
            self.found[(kind, key)] = name

    # -- the result ---------------------------------------------------------------------------------------

    def names(self, kind: NameKind) -> dict[int, str]:
        return {key: name for (k, key), name in self.found.items() if k == kind and name}


def _then(plan: Plan[T], arrived: Callable[[T], None], names: _Names) -> Plan[T]:
    """Run ``plan``, then at once the lookups its answer makes necessary, and return its value."""
    value = yield from plan
    arrived(value)
    workers = names.workers()
    if workers:
        yield Gather(workers, limit=len(workers))
    return value


def get_ticket_context(ctx: Context, ticket_id: int) -> Plan[GlpiTicketContext]:
    """A ticket with its whole timeline: followups, tasks, solutions and linked documents, names resolved.

    The five reads run concurrently (threads on ``GlpiClient``, ``asyncio.gather`` on ``AsyncGlpiClient``).
    The names the answers lack start being fetched as soon as the answer that references them arrives: each
    linked document's name (``get_document``), and the display name of each user the ticket's team does not
    name (``get_user``), each distinct id once; the whole context keeps at most ``concurrency`` requests in
    flight. Names already in the client's name cache are not fetched: a repeated context costs one round
    trip, a cold one two. The cache keeps each name (user display names, document names; also "unreadable"
    for a 404/403) for the client's ``name_cache_ttl`` seconds (300 by default; 0 disables the cache), at
    most ``NAME_CACHE_SIZE`` (4,096) names, least recently used out first; each fetch is logged (DEBUG,
    ``glpi_python_client.names``). An item that vanished or is hidden (404/403) is left out rather than
    failing the whole; an unreadable user keeps the event's login.

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
    readers = max(1, min(5, ctx.concurrency))
    names = _Names(ctx, readers=readers)
    first: list[Any] = yield Gather(
        [
            _then(resources.get_ticket(ctx, ticket_id), names.ticket_arrived, names),
            _then(timeline.list_ticket_followups(ctx, ticket_id), names.events_arrived, names),
            _then(timeline.list_ticket_tasks(ctx, ticket_id), names.events_arrived, names),
            _then(timeline.list_ticket_solutions(ctx, ticket_id), names.events_arrived, names),
            _then(timeline.list_ticket_timeline_documents(ctx, ticket_id), names.documents_arrived, names),
        ],
        limit=readers,
    )
    ticket, followups, tasks, solutions, documents = first

    # User display names: the team (real names), then the cache or GET, then the events' logins.
    user_names: dict[int, str] = dict(names.team or {})
    for user_id, display in names.names("user").items():
        user_names.setdefault(user_id, display)
    refs = [
        *([ticket.user_editor] if ticket.user_editor is not None else []),
        *_event_user_refs([*followups, *tasks, *solutions]),
    ]
    for ref in refs:
        if ref.id and ref.name:
            user_names.setdefault(ref.id, ref.name)

    return GlpiTicketContext(
        ticket=ticket,
        followups=followups,
        tasks=tasks,
        solutions=solutions,
        documents=documents,
        user_names=user_names,
        document_names=names.names("document"),
    )
