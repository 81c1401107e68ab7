"""Reporting helpers: ticket and task statistics aggregated client-side.

Each helper is a plan that fetches (every page of the matching tickets, then the task lists of those tickets with
bounded concurrency) and hands the records to a pure aggregation function (``aggregate_*``, ``filter_*``) that can
be unit-tested on its own. All results are plain dictionaries with the shapes documented in the user guide.

What the live GLPI 11 server imposes on these helpers:

* The v2 search returns trashed tickets (``is_deleted: true``): they are dropped client-side.
* Ticket actors cannot be filtered in RSQL (glpi-project/glpi#20743): ``user_id`` / ``user_recipient_id`` and the
  technician / recipient counts of :func:`get_user_activity` are matched on each ticket's embedded ``team``
  (members of type ``User`` only; a group with the same id does not match).
* Searches are paginated through to the end: results are never capped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from .._arguments import check_id, shown
from .._constants import DEFAULT_PAGE_SIZE
from .._enums import GlpiPriority, GlpiTicketType, enum_name
from .._errors import InvalidArgumentError
from .._models import GetEntity, GetTicket, GetTicketTask, GetUser
from .._models.ticket import CountedTicket
from .._pages import EVERY_PAGE, Page, Paginator, Walk
from .._plan import Gather, Plan
from ..rsql import all_of, any_of, bound_datetime, date_window, eq, like, parse_bound
from . import crud
from .resources import ENTITY, TICKET, USER
from .timeline import list_ticket_tasks

if TYPE_CHECKING:
    from .._state import Context

__all__ = [
    "DateWindow",
    "TicketStatistics",
    "aggregate_task_durations",
    "aggregate_task_statistics",
    "aggregate_ticket_statistics",
    "filter_tickets_by_actor",
    "get_task_durations",
    "get_task_statistics",
    "get_ticket_statistics",
    "get_user_activity",
    "resolve_window",
    "user_display_key",
]

#: Page size of the searches these helpers paginate through (module-level so tests can shrink it).
PAGE_SIZE = DEFAULT_PAGE_SIZE
T = TypeVar("T", GetTicket, CountedTicket)
#: The tickets a count report reads: only the fields it counts by (see ``CountedTicket``).
COUNTED_TICKET = crud.Resource(TICKET.name, CountedTicket, TICKET.tag, TICKET.stem)
UNKNOWN = "unknown"
ASSIGNED = "assigned"
REQUESTER = "requester"

DateInput = str | date | None


# -- pure helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DateWindow:
    """An inclusive window: ``start`` from 00:00:00, ``end`` through 23:59:59 (datetimes kept to the second)."""

    start: date | datetime
    end: date | datetime

    @property
    def start_at(self) -> datetime:
        return bound_datetime(self.start, False)

    @property
    def end_at(self) -> datetime:
        return bound_datetime(self.end, True)

    def label(self, bound: date | datetime) -> str:
        """``YYYY-MM-DD`` for a date, ``YYYY-MM-DD HH:MM:SS`` for a datetime."""
        if isinstance(bound, datetime):
            return bound.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")
        return bound.isoformat()

    def rsql(self, field: str) -> str:
        return date_window(field, self.start, self.end)

    def contains(self, moment: datetime | None) -> bool:
        """Whether ``moment`` (compared as naive server-local wall-clock time) falls in the window."""
        if moment is None:
            return False
        naive = moment.replace(tzinfo=None)
        return self.start_at <= naive <= self.end_at


def _today() -> date:
    return date.today()


def resolve_window(
    start_date: DateInput, end_date: DateInput, default_days: int, *, today: date | None = None
) -> DateWindow:
    """The window of the duration helpers; ``end_date`` defaults to today.

    Without ``start_date`` the window starts ``default_days`` days before its end (so by default it is
    ``today - default_days .. today``).
    """
    end = parse_bound(end_date, "end_date") if end_date is not None else (today or _today())
    if start_date is not None:
        start = parse_bound(start_date, "start_date")
    else:
        if default_days < 0:
            raise InvalidArgumentError(f"default_days must be >= 0, got {default_days}")
        start = (end.date() if isinstance(end, datetime) else end) - timedelta(days=default_days)
    window = DateWindow(start, end)
    if window.start_at > window.end_at:
        raise InvalidArgumentError(f"date window start {window.start_at} is after its end {window.end_at}")
    return window


def _id_key(ref: Any, *, zero_is_missing: bool = False) -> str:
    """The id of an ``{id, name}`` reference as a string; ``"unknown"`` when missing."""
    value = getattr(ref, "id", None) if ref is not None else None
    if value is None or (zero_is_missing and value == 0):
        return UNKNOWN
    return str(value)


def _sorted_counts(counts: dict[str, int], order: Callable[[str], Any] | None = None) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: order(item[0]) if order else _numeric_first(item[0])))


def _numeric_first(key: str) -> tuple[int, int, str]:
    """Sort numeric keys by value, then other keys (``"unknown"``) alphabetically."""
    stripped = key.lstrip("-")
    return (0, int(key), "") if stripped.isdigit() else (1, 0, key)


def _enum_order(enum_cls: type[GlpiPriority] | type[GlpiTicketType]) -> Callable[[str], Any]:
    """Sort member names by value, then unknown raw values numerically, ``"unknown"`` last."""

    def order(key: str) -> tuple[int, int, str]:
        if key in enum_cls.__members__:
            return (0, int(enum_cls[key]), "")
        rank, value, text = _numeric_first(key)
        return (rank + 1, value, text)

    return order


def _live(tickets: Iterable[GetTicket]) -> list[GetTicket]:
    """Drop trashed tickets (the v2 search returns them) and repeated ids."""
    seen: set[int] = set()
    kept: list[GetTicket] = []
    for ticket in tickets:
        if ticket.is_deleted:
            continue
        if ticket.id is not None:
            if ticket.id in seen:
                continue
            seen.add(ticket.id)
        kept.append(ticket)
    return kept


class TicketStatistics:
    """The counts of :func:`aggregate_ticket_statistics`, fed page by page: a report holds counters, not tickets.

    Each ticket costs one dict update keyed by its raw ``(entity id, status id, priority, type)``; the keys are
    named and sorted once, by :meth:`result`. Trashed tickets and repeated ids are skipped.
    """

    __slots__ = ("_counts", "_seen")

    def __init__(self) -> None:
        self._counts: dict[tuple[Any, Any, Any, Any], int] = {}
        self._seen: set[int] = set()

    def add(self, tickets: Iterable[GetTicket | CountedTicket]) -> TicketStatistics:
        counts, seen = self._counts, self._seen
        for ticket in tickets:
            if ticket.is_deleted or ticket.id in seen:
                continue
            seen.add(ticket.id)
            entity, status = ticket.entity, ticket.status
            key = (
                None if entity is None else entity.id,
                None if status is None else status.id,
                ticket.priority,
                ticket.type,
            )
            counts[key] = counts.get(key, 0) + 1
        return self

    def result(self) -> dict[str, Any]:
        """``{"entities": {entity_id: {total, by_status, by_priority, by_type}}}`` (see the aggregate function)."""
        buckets: dict[str, dict[str, Any]] = {}
        for (entity, status, priority, kind), count in self._counts.items():
            bucket = buckets.setdefault(
                UNKNOWN if entity is None else str(entity),
                {"total": 0, "by_status": {}, "by_priority": {}, "by_type": {}},
            )
            bucket["total"] += count
            for group, key in (
                ("by_status", UNKNOWN if status is None else str(status)),
                ("by_priority", enum_name(GlpiPriority, priority)),
                ("by_type", enum_name(GlpiTicketType, kind)),
            ):
                bucket[group][key] = bucket[group].get(key, 0) + count
        entities: dict[str, Any] = {}
        for key in sorted(buckets, key=_numeric_first):
            bucket = buckets[key]
            entities[key] = {
                "total": bucket["total"],
                "by_status": _sorted_counts(bucket["by_status"]),
                "by_priority": _sorted_counts(bucket["by_priority"], _enum_order(GlpiPriority)),
                "by_type": _sorted_counts(bucket["by_type"], _enum_order(GlpiTicketType)),
            }
        return {"entities": entities}


def aggregate_ticket_statistics(tickets: Iterable[GetTicket]) -> dict[str, Any]:
    """``{"entities": {entity_id: {total, by_status, by_priority, by_type}}}``; trashed tickets are skipped.

    Entity and status keys are the numeric ids as strings (``"unknown"`` when missing); priority and type keys are
    :class:`GlpiPriority` / :class:`GlpiTicketType` member names, the raw value as a string when not a member.
    """
    return TicketStatistics().add(tickets).result()


def aggregate_task_statistics(tasks_by_ticket: Sequence[tuple[int, Sequence[GetTicketTask]]]) -> dict[str, Any]:
    """Totals over the tasks of the given tickets (every ticket appears in ``duration_by_ticket``, 0 without tasks).

    ``duration_by_user`` is keyed by the technician's (``user_tech``) id as a string, ``"unknown"`` when the task
    has none (missing or 0); ``duration_by_ticket`` by the int ticket id. Durations are seconds (None counts as 0).
    """
    by_user: dict[str, int] = {}
    by_ticket: dict[int, int] = {}
    task_count = 0
    total = 0
    for ticket_id, tasks in tasks_by_ticket:
        by_ticket.setdefault(ticket_id, 0)
        for task in tasks:
            duration = task.duration or 0
            task_count += 1
            total += duration
            by_ticket[ticket_id] += duration
            user = _id_key(task.user_tech, zero_is_missing=True)
            by_user[user] = by_user.get(user, 0) + duration
    return {
        "ticket_count": len(by_ticket),
        "task_count": task_count,
        "total_duration": total,
        "duration_by_user": _sorted_counts(by_user),
        "duration_by_ticket": by_ticket,
    }


def _task_moment(task: GetTicketTask) -> datetime | None:
    return task.date or task.date_creation


def aggregate_task_durations(
    tickets: Iterable[GetTicket],
    tasks_by_ticket: Mapping[int, Sequence[GetTicketTask]],
    window: DateWindow,
    *,
    details: bool = False,
) -> dict[str, Any]:
    """Sum the durations of the tickets' tasks dated inside ``window``.

    A task counts when its own ``date`` (its ``date_creation`` when it has no ``date``) falls in the window; a task
    with neither is skipped. Per-user keys are the ``user_tech`` id (``"unknown"`` when missing), per-entity keys the
    ticket's entity id. ``tasks`` is None unless ``details`` (then one dict per counted task).
    """
    by_user: dict[str, int] = {}
    by_entity: dict[str, int] = {}
    rows: list[dict[str, Any]] = []
    total = 0
    count = 0
    for ticket in _live(tickets):
        if ticket.id is None:
            continue
        entity = _id_key(ticket.entity)
        for task in tasks_by_ticket.get(ticket.id, ()):
            moment = _task_moment(task)
            if not window.contains(moment):
                continue
            duration = task.duration or 0
            user = _id_key(task.user_tech, zero_is_missing=True)
            count += 1
            total += duration
            by_user[user] = by_user.get(user, 0) + duration
            by_entity[entity] = by_entity.get(entity, 0) + duration
            if details:
                rows.append(
                    {
                        "task_id": task.id,
                        "ticket_id": ticket.id,
                        "entity_id": entity,
                        "user_id": user,
                        "duration": duration,
                        "date": moment.isoformat() if moment else None,
                        "content": task.content,
                    }
                )
    return {
        "start_date": window.label(window.start),
        "end_date": window.label(window.end),
        "total_duration": total,
        "task_count": count,
        "duration_by_user": _sorted_counts(by_user),
        "duration_by_entity": _sorted_counts(by_entity),
        "tasks": rows if details else None,
    }


def _has_actor(ticket: GetTicket | CountedTicket, user_ids: Collection[int], roles: Collection[str]) -> bool:
    return any(
        member.id in user_ids and member.role in roles and member.type in (None, "User") for member in ticket.team
    )


def filter_tickets_by_actor(
    tickets: Iterable[T],
    *,
    user_ids: Collection[int] | None = None,
    recipient_ids: Collection[int] | None = None,
) -> list[T]:
    """Keep tickets whose ``team`` has one of ``user_ids`` as assigned or requester, and (when given) one of
    ``recipient_ids`` as requester. ``None`` means no condition."""
    kept = []
    for ticket in tickets:
        if user_ids is not None and not _has_actor(ticket, user_ids, (ASSIGNED, REQUESTER)):
            continue
        if recipient_ids is not None and not _has_actor(ticket, recipient_ids, (REQUESTER,)):
            continue
        kept.append(ticket)
    return kept


def user_display_key(user: GetUser) -> str:
    """``"<firstname> <realname>"``; the username, then ``"user <id>"``, when both names are empty."""
    name = " ".join(part.strip() for part in (user.firstname, user.realname) if part and part.strip())
    return name or (user.username or "") or f"user {user.id}"


def _durations_only(result: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in result.items() if key != "tasks"}


# -- fetching plans -------------------------------------------------------------------------------


def _search_all(ctx: Context, res: crud.Resource[Any], rsql_filter: str | None) -> Plan[list[Any]]:
    """Every item matching ``rsql_filter``: the first page, then the others ``concurrency`` at a time (see Walk)."""
    paginator = crud.paginate(res, rsql_filter or None, batch_size=PAGE_SIZE, sort="id")
    walk = Walk(paginator, width=ctx.concurrency)
    items: list[Any] = []
    while (batch := walk.plan()) is not None:
        pages = yield from batch
        for page_items in walk.accept(pages):
            items.extend(page_items)
    return items


def _consume_pages(
    ctx: Context, res: crud.Resource[Any], rsql_filter: str | None, consume: Callable[[list[Any]], object]
) -> Plan[None]:
    """Hand each page of the items matching ``rsql_filter`` to ``consume`` as soon as it is parsed.

    For a report that aggregates: it keeps no page, so once the first page tells the total every other
    page is fetched in one batch, ``concurrency`` requests at a time, a new one as soon as one ends; at
    most ``concurrency`` pages exist at once, whatever the total. Pages arrive in any order (and on
    several threads in ``GlpiClient``): ``consume`` runs under a lock, must not depend on the order,
    and skips the items it already saw (an item can move to a later page while the walk runs). A page that
    fails ends the report with its error, and no page not yet requested is requested after it (``Gather``
    starts nothing once one of its plans failed).
    """
    paginator = crud.paginate(res, rsql_filter or None, batch_size=PAGE_SIZE, sort="id")
    lock = threading.Lock()

    def fetch(start: int) -> Plan[Page[Any]]:
        page = yield from paginator.fetch(start)
        with lock:
            consume(page.items)
        return Page([], page.next_start, total=page.total, limit=page.limit)

    walk = Walk(Paginator(fetch, start=paginator.start), width=ctx.concurrency, span=EVERY_PAGE)
    while (batch := walk.plan()) is not None:
        walk.accept((yield from batch))


def _search_tickets(ctx: Context, rsql_filter: str) -> Plan[list[GetTicket]]:
    tickets: list[GetTicket] = yield from _search_all(ctx, TICKET, rsql_filter)
    return _live(tickets)


def _entity_clause(ctx: Context, entity_id: int | None, entity_name: str | None) -> Plan[str | None]:
    """The RSQL clause restricting tickets to the entity; None when ``entity_name`` matches no entity."""
    if entity_id is not None:
        return eq("entity.id", check_id(entity_id, "entity_id", minimum=0))
    if entity_name is None:
        return ""
    entities: list[GetEntity] = yield from _search_all(ctx, ENTITY, like("name", f"*{entity_name}*"))
    ids = sorted({e.id for e in entities if e.id is not None})
    if not ids:
        return None
    return any_of(*(eq("entity.id", i) for i in ids))


def _fetch_tasks(ctx: Context, ticket_ids: Sequence[int]) -> Plan[dict[int, list[GetTicketTask]]]:
    """Each ticket's task list, at most ``ctx.concurrency`` requests in flight."""
    if not ticket_ids:
        return {}
    lists: list[list[GetTicketTask]] = yield Gather(
        [list_ticket_tasks(ctx, i) for i in ticket_ids], limit=max(1, ctx.concurrency)
    )
    return dict(zip(ticket_ids, lists, strict=True))


def get_ticket_statistics(
    ctx: Context,
    *,
    start_date: str | date | None = None,
    end_date: str | date | None = None,
    default_days: int | None = None,
    entity_id: int | None = None,
    entity_name: str | None = None,
    extra_filter: str | None = None,
    user_id: int | None = None,
) -> Plan[dict[str, Any]]:
    """Count the tickets created in a window, per entity, by status, priority and type.

    ``start_date`` is inclusive from 00:00:00 and ``end_date`` through 23:59:59 (either may be omitted: no bound).
    With ``default_days`` the window is that of ``get_task_durations``: ``end_date`` defaults to today and,
    without ``start_date``, the window starts ``default_days`` days before it.
    ``entity_id`` restricts to one entity; otherwise ``entity_name`` is matched as a substring through
    ``search_entities`` and the matching ids are ORed (no match: ``{"entities": {}}`` without searching tickets).
    ``extra_filter`` is a raw RSQL fragment AND-joined with the rest. ``user_id`` keeps the tickets where that user
    is assigned or requester, matched on each ticket's ``team`` (GLPI's RSQL cannot filter actors). Every matching
    ticket is read (all pages); trashed tickets are left out.

    Returns ``{"entities": {"<entity id>": {"total", "by_status", "by_priority", "by_type"}}}``: status keys are the
    numeric status as a string, priority/type keys :class:`GlpiPriority` / :class:`GlpiTicketType` names (the raw value
    as a string when unknown), ``"unknown"`` for a missing id.

    Args:
        start_date: First day of the window (``date`` or ``"YYYY-MM-DD"``), inclusive.
        end_date: Last day of the window, inclusive.
        default_days: The window's length when ``start_date`` is omitted (``end_date`` then defaults to today).
        entity_id: Only this entity's tickets.
        entity_name: Only the tickets of the entities whose name contains this.
        extra_filter: A raw RSQL fragment, AND-joined.
        user_id: Only the tickets where this user is assigned or requester.

    Returns:
        The counts per entity (see above).

    Raises:
        InvalidArgumentError: A date, id or window is invalid (nothing is sent).
        BadRequestError: GLPI refused ``extra_filter``.
    """
    if default_days is None:
        window = date_window("date_creation", start_date, end_date)
    else:
        window = resolve_window(start_date, end_date, default_days).rsql("date_creation")
    entity = yield from _entity_clause(ctx, entity_id, entity_name)
    if entity is None:
        return {"entities": {}}
    counts = TicketStatistics()

    def count(tickets: list[CountedTicket]) -> None:
        counts.add(tickets if user_id is None else filter_tickets_by_actor(tickets, user_ids={user_id}))

    # Counted as each page is parsed: the report holds counters and at most `concurrency` pages, never the tickets.
    yield from _consume_pages(ctx, COUNTED_TICKET, all_of(window, entity, extra_filter or ""), count)
    return counts.result()


def get_task_statistics(ctx: Context, ticket_ids: Iterable[int]) -> Plan[dict[str, Any]]:
    """Sum the task durations (seconds) of the given tickets.

    Each ticket's tasks are fetched (at most the client's ``concurrency`` at a time); repeated ids count once.
    Returns ``{"ticket_count", "task_count", "total_duration", "duration_by_user", "duration_by_ticket"}``:
    ``duration_by_user`` is keyed by the technician's id as a string (``"unknown"`` when a task has none),
    ``duration_by_ticket`` by the int ticket id (0 for a ticket without tasks).

    Args:
        ticket_ids: The tickets' ids (int ids; repeats count once).

    Returns:
        The sums (see above).

    Raises:
        InvalidArgumentError: ``ticket_ids`` is not an iterable of int ids (nothing is sent).
        NotFoundError: A ticket does not exist, or the account cannot see it.
    """
    if isinstance(ticket_ids, str | bytes) or not isinstance(ticket_ids, Iterable):
        raise InvalidArgumentError(f"ticket_ids must be an iterable of int ids (got {shown(ticket_ids)})")
    ids = list(dict.fromkeys(check_id(i, "ticket_ids[]") for i in ticket_ids))
    tasks = yield from _fetch_tasks(ctx, ids)
    return aggregate_task_statistics([(i, tasks[i]) for i in ids])


def _ticket_filter(window: DateWindow, entity: str, user_editor_id: int | None, extra_filter: str | None) -> str:
    editor = eq("user_editor.id", user_editor_id) if user_editor_id is not None else ""
    return all_of(window.rsql("date_creation"), entity, editor, extra_filter or "")


def get_task_durations(
    ctx: Context,
    *,
    start_date: str | date | None = None,
    end_date: str | date | None = None,
    default_days: int = 30,
    entity_id: int | None = None,
    entity_name: str | None = None,
    user_id: int | None = None,
    user_editor_id: int | None = None,
    user_recipient_id: int | None = None,
    extra_filter: str | None = None,
    return_task_details: bool = False,
) -> Plan[dict[str, Any]]:
    """Sum task durations over a date window, per technician and per entity.

    Window: ``start_date`` inclusive from 00:00:00, ``end_date`` through 23:59:59; ``end_date`` defaults to today and,
    without ``start_date``, the window is ``today - default_days .. end_date``. The tickets created
    (``date_creation``) in the window are read (all pages, trashed ones left out), then their tasks, and a task counts
    when its own ``date`` (``date_creation`` when it has no ``date``) also falls in the window.

    Filters: ``entity_id``, or ``entity_name`` (substring, resolved through ``search_entities``); ``user_editor_id``
    (sent as ``user_editor.id==N``); ``extra_filter`` (raw RSQL, AND-joined). ``user_id`` (assigned OR requester) and
    ``user_recipient_id`` (requester) are matched on each ticket's ``team``, because the server cannot filter actors.
    An ``entity_name`` matching no entity gives the empty result (zero totals, empty maps) without searching tickets.

    Returns ``{"start_date", "end_date", "total_duration", "task_count", "duration_by_user", "duration_by_entity",
    "tasks"}``; ``tasks`` is None, or with ``return_task_details`` a list of ``{"task_id", "ticket_id", "entity_id",
    "user_id", "duration", "date", "content"}``. Task lists are fetched at most ``concurrency`` at a time.

    Args:
        start_date: First day of the window (``date`` or ``"YYYY-MM-DD"``), inclusive.
        end_date: Last day of the window, inclusive (default: today).
        default_days: The window's length when ``start_date`` is omitted.
        entity_id: Only this entity's tickets.
        entity_name: Only the tickets of the entities whose name contains this.
        user_id: Only the tickets where this user is assigned or requester.
        user_editor_id: Only the tickets last edited by this user.
        user_recipient_id: Only the tickets where this user is requester.
        extra_filter: A raw RSQL fragment, AND-joined.
        return_task_details: Also list every task counted.

    Returns:
        The sums (see above).

    Raises:
        InvalidArgumentError: A date, id or window is invalid (nothing is sent).
        BadRequestError: GLPI refused ``extra_filter``.
    """
    for name, value in (
        ("user_id", user_id),
        ("user_editor_id", user_editor_id),
        ("user_recipient_id", user_recipient_id),
    ):
        if value is not None:
            check_id(value, name)
    window = resolve_window(start_date, end_date, default_days)
    entity = yield from _entity_clause(ctx, entity_id, entity_name)
    if entity is None:
        return aggregate_task_durations([], {}, window, details=return_task_details)
    tickets = yield from _search_tickets(ctx, _ticket_filter(window, entity, user_editor_id, extra_filter))
    tickets = filter_tickets_by_actor(
        tickets,
        user_ids=None if user_id is None else {user_id},
        recipient_ids=None if user_recipient_id is None else {user_recipient_id},
    )
    tasks = yield from _fetch_tasks(ctx, [t.id for t in tickets if t.id is not None])
    return aggregate_task_durations(tickets, tasks, window, details=return_task_details)


def get_user_activity(
    ctx: Context,
    *,
    username: str | None = None,
    realname: str | None = None,
    firstname: str | None = None,
    user_id: int | None = None,
    start_date: str | date | None = None,
    end_date: str | date | None = None,
    default_days: int = 30,
    entity_id: int | None = None,
    entity_name: str | None = None,
) -> Plan[dict[str, Any]]:
    """Per-user activity over a window: tickets as technician, as recipient, and task durations.

    Users are found with ``search_users`` (``username``, ``realname`` and ``firstname`` are substring matches, ANDed,
    with ``user_id`` an exact id); users sharing the display key ``"<firstname> <realname>"`` are merged into one
    bucket.

    For each bucket, over the tickets created in the window (window rules of :func:`get_task_durations`, trashed
    tickets left out): ``tickets_as_technician`` counts those where one of its users is an assigned team member,
    ``tickets_as_recipient`` those where one is a requester, and ``task_durations`` is what
    ``get_task_durations(user_id=...)`` gives for its users (tickets where they are assigned or requester), without the
    ``tasks`` key. Returns ``{"users": {display key: {"user_ids", "tickets_as_technician", "tickets_as_recipient",
    "task_durations"}}}``.

    Args:
        username: Substring of the users' login.
        realname: Substring of the users' last name.
        firstname: Substring of the users' first name.
        user_id: The user's id.
        start_date: First day of the window, inclusive.
        end_date: Last day of the window, inclusive (default: today).
        default_days: The window's length when ``start_date`` is omitted.
        entity_id: Count only this entity's tickets.
        entity_name: Count only the tickets of the entities whose name contains this (none matching: every
            figure is zero).

    Returns:
        The activity per user (see above).

    Raises:
        InvalidArgumentError: No identifier is given, none matches a user, or a date is invalid (a ``ValueError``).
    """
    clauses = [
        eq("id", user_id) if user_id is not None else "",
        like("username", f"*{username}*") if username else "",
        like("realname", f"*{realname}*") if realname else "",
        like("firstname", f"*{firstname}*") if firstname else "",
    ]
    if not any(clauses):
        raise InvalidArgumentError("get_user_activity needs username, realname, firstname or user_id")
    window = resolve_window(start_date, end_date, default_days)
    entity = yield from _entity_clause(ctx, entity_id, entity_name)
    users: list[GetUser] = yield from _search_all(ctx, USER, all_of(*clauses))
    buckets: dict[str, list[int]] = {}
    for user in users:
        if user.id is not None:
            ids = buckets.setdefault(user_display_key(user), [])
            if user.id not in ids:
                ids.append(user.id)
    if not buckets:
        given = {"username": username, "realname": realname, "firstname": firstname, "user_id": user_id}
        raise InvalidArgumentError(
            "no user matches " + ", ".join(f"{k}={v!r}" for k, v in given.items() if v is not None)
        )
    all_ids = {i for ids in buckets.values() for i in ids}
    tickets = [] if entity is None else (yield from _search_tickets(ctx, all_of(window.rsql("date_creation"), entity)))
    involved = filter_tickets_by_actor(tickets, user_ids=all_ids)
    tasks = yield from _fetch_tasks(ctx, [t.id for t in involved if t.id is not None])
    report: dict[str, Any] = {}
    for key in sorted(buckets):
        ids = sorted(buckets[key])
        report[key] = {
            "user_ids": ids,
            "tickets_as_technician": sum(_has_actor(t, ids, (ASSIGNED,)) for t in tickets),
            "tickets_as_recipient": sum(_has_actor(t, ids, (REQUESTER,)) for t in tickets),
            "task_durations": _durations_only(
                aggregate_task_durations(filter_tickets_by_actor(involved, user_ids=ids), tasks, window)
            ),
        }
    return {"users": report}
