"""Incidents keyed by a correlation key: monitoring alerts become one ticket each, never duplicates.

``open_incident(key, ...)`` looks for the open ticket whose ``external_id`` is ``key`` (an exact, quoted RSQL
match among tickets that are not solved or closed). None: it creates one (the key in ``external_id``), adds the
team and links the affected items (v1 ``Item_Ticket``: the v2.2 API has no route for it). Found: the repeat adds
one followup (occurrence count, last seen, the new content), at most one per ``quiet_window``; the other repeats
are counted and ``suppressed``. A refire within ``quiet_window`` of a resolution reopens that ticket instead of
opening another (a flapping alert). ``resolve_incident(key, solution=...)`` adds the solution, or does nothing
(``action="none"``) when no ticket is open for the key.

Duplicates are prevented in three ways:

* calls with the same key on one client run one at a time (a per-key :class:`~.._plan.Locked`, on both runtimes);
* a write that may have been applied (``APIError.may_have_been_applied``: a timeout after sending, a 5xx, GLPI's
  404-after-create) is never sent again: the ticket is looked up by its key (a followup by its occurrence
  number) and adopted when found; when not found the error is raised, and the next call looks up again first;
* the key itself is the look-up, so a restarted process finds the tickets an earlier one opened.

What remains: two *processes* (or two clients) handling the same key at the same instant can both miss the other's
ticket and create two (GLPI has no unique constraint or idempotency key). Run one receiver per GLPI, or route every
alert of a key to one worker (a queue partitioned by key). When two open tickets share a key, the oldest one is
updated and ``resolve_incident`` solves them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from .._arguments import check_id, shown
from .._constants import DEFAULT_QUIET_WINDOW
from .._errors import APIError, IncidentKeyError, InvalidArgumentError, NotFoundError, V1Error
from .._logging import incidents_log
from .._models import GetTicket, PatchTicket, PostFollowup, PostSolution, PostTeamMember, PostTicket
from .._plan import Locked, Plan
from ..rsql import all_of, out
from . import crud
from .resources import TICKET
from .team import add_ticket_team_member
from .timeline import FOLLOWUP, SOLUTION, create_item, list_items
from .v1 import v1_created_id, v1_request, v1_url

if TYPE_CHECKING:
    from .._state import Context

__all__ = [
    "DEFAULT_QUIET_WINDOW",
    "IncidentAction",
    "IncidentKeyError",
    "IncidentResult",
    "open_incident",
    "resolve_incident",
]

log = incidents_log

#: Ticket statuses that are no longer open: Solved (5) and Closed (6).
_DONE = (5, 6)
_MAX_KEY = 255  # glpi_tickets.external_id is a VARCHAR(255)
_MAX_STATES = 10_000  # keys remembered per client
_OCCURRENCE = re.compile(r"occurrence (\d+) \(last seen")

IncidentAction = Literal["created", "updated", "suppressed", "resolved", "none"]


@dataclass(frozen=True, slots=True)
class IncidentResult:
    """What ``open_incident``/``resolve_incident`` did.

    ``action``: ``created`` (a new ticket), ``updated`` (a followup added, or a recently solved ticket reopened),
    ``suppressed`` (a repeat inside the quiet window: only counted), ``resolved`` (a solution added), ``none``
    (nothing open to resolve). ``occurrences`` counts the firings this ticket has seen (1 on creation).
    ``unlinked_items`` are the ``items`` GLPI refused to link, ``unadded_members`` the ``team`` members it refused
    to add (``(type, id, role)``): the ticket exists regardless, and the reasons are logged.
    """

    action: IncidentAction
    ticket_id: int | None
    occurrences: int = 0
    followup_id: int | None = None
    solution_id: int | None = None
    unlinked_items: tuple[tuple[str, int], ...] = ()
    unadded_members: tuple[tuple[str, int, str], ...] = ()


@dataclass
class _State:
    """What this client remembers of a key between calls (the quiet window and the occurrence count)."""

    ticket_id: int
    occurrences: int
    last_posted: datetime | None = None
    resolved_at: datetime | None = None


def _state(ctx: Context, key: str) -> _State | None:
    state: _State | None = ctx.incidents.get(key)
    return state


def _remember(ctx: Context, key: str, state: _State | None) -> None:
    """Keep (or, with None, forget) the key's state; the least recently used beyond :data:`_MAX_STATES` go.

    Forgetting a key only costs one followup more than the quiet window allows: the count is recovered.
    """
    with ctx.lock:
        states: dict[str, _State] = ctx.incidents
        states.pop(key, None)
        if state is not None:
            states[key] = state
        while len(states) > _MAX_STATES:
            del states[next(iter(states))]


def _id(ticket: GetTicket) -> int:
    assert ticket.id is not None  # find_open keeps only tickets with an id
    return ticket.id


def check_key(key: object) -> str:
    """``key`` if GLPI can store and match it exactly, else :class:`IncidentKeyError`."""
    if not isinstance(key, str):
        raise IncidentKeyError(f"an incident key is a string, not {type(key).__name__}")
    if not key or key != key.strip():
        raise IncidentKeyError("an incident key must be non-empty, without leading or trailing spaces")
    if len(key) > _MAX_KEY:
        raise IncidentKeyError(f"an incident key has at most {_MAX_KEY} characters (external_id), not {len(key)}")
    # GLPI's RSQL lexer keeps a backslash in the value and ends a quoted value at the next quote, escaped or not.
    bad = sorted({c for c in key if c in '"\\' or ord(c) < 32 or ord(c) == 127})
    if bad:
        raise IncidentKeyError(f"an incident key cannot contain {', '.join(repr(c) for c in bad)}")
    return key


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if not isinstance(now, datetime) or now.tzinfo is None:
        raise InvalidArgumentError(f"now must be a timezone-aware datetime, e.g. datetime.now(UTC) (got {shown(now)})")
    return now


def _window(quiet_window: float | timedelta) -> timedelta:
    if isinstance(quiet_window, timedelta):
        window = quiet_window
    elif isinstance(quiet_window, int | float) and not isinstance(quiet_window, bool):
        window = timedelta(seconds=quiet_window)
    else:
        raise InvalidArgumentError(f"quiet_window must be seconds or a timedelta (got {shown(quiet_window)})")
    if window < timedelta(0):
        raise InvalidArgumentError(f"quiet_window must be >= 0 (got {shown(quiet_window)})")
    return window


def _items(items: Sequence[tuple[str, int]] | None) -> list[tuple[str, int]]:
    out_items: list[tuple[str, int]] = []
    for entry in items or ():
        wrong = InvalidArgumentError(f"items are (itemtype, id) pairs such as ('Computer', 12) (got {shown(entry)})")
        if not (isinstance(entry, tuple | list) and len(entry) == 2):
            raise wrong
        itemtype, item_id = entry
        if not isinstance(itemtype, str) or not itemtype:
            raise wrong
        out_items.append((itemtype, check_id(item_id, f"the id of item {itemtype!r}")))
    return out_items


# -- look-ups -------------------------------------------------------------------------------------


def find_open(ctx: Context, key: str) -> Plan[list[GetTicket]]:
    """The open (not solved, closed or trashed) tickets whose ``external_id`` is exactly ``key``, oldest first."""
    rsql = all_of(f'external_id=="{key}"', out("status.id", _DONE))
    tickets = yield from crud.search(TICKET, rsql, limit=100, start=None, sort="id")
    # GLPI compares with the database collation (case-insensitive, trailing spaces ignored): check exactly.
    return [t for t in tickets if t.external_id == key and not t.is_deleted and t.id is not None]


def _followup_text(key: str, occurrences: int, now: datetime, content: str, *, reopened: bool) -> str:
    what = "Alert fired again after its resolution: ticket reopened" if reopened else "Alert repeated"
    from ..richtext import escape_markdown  # the converter loads on first use

    # Markdown (the followup is rendered): the key is escaped so that it shows, and reads back, as it is.
    return f"{what}, occurrence {occurrences} (last seen {now.isoformat()})\nKey: {escape_markdown(key)}\n\n{content}"


def _mentions(markdown: str, key: str) -> bool:
    """Whether a followup's content (read as Markdown, however GLPI stored it) names ``key``."""
    from ..richtext import escape_markdown

    return escape_markdown(key) in markdown


def _occurrence_posted(ctx: Context, ticket_id: int, key: str, occurrences: int) -> Plan[int | None]:
    """The id of the followup that records ``occurrences`` of ``key`` on the ticket, if it exists."""
    followups = yield from list_items(FOLLOWUP, ticket_id)
    for followup in followups:
        text = followup.content or ""
        match = _OCCURRENCE.search(text)
        if match and int(match.group(1)) == occurrences and _mentions(text, key):
            return followup.id
    return None


def _recover(ctx: Context, ticket_id: int, key: str) -> Plan[_State]:
    """State for a ticket this client has not handled yet: the highest occurrence its followups record."""
    followups = yield from list_items(FOLLOWUP, ticket_id)
    counts = [
        int(m.group(1))
        for f in followups
        if _mentions(f.content or "", key) and (m := _OCCURRENCE.search(f.content or ""))
    ]
    return _State(ticket_id, occurrences=max(counts, default=1))


# -- open -----------------------------------------------------------------------------------------


def open_incident(
    ctx: Context,
    key: str,
    *,
    title: str,
    content: str,
    urgency: int | None = None,
    impact: int | None = None,
    category: int | None = None,
    entity: int | None = None,
    team: Sequence[PostTeamMember | Mapping[str, Any]] = (),
    items: Sequence[tuple[str, int]] = (),
    quiet_window: float | timedelta = DEFAULT_QUIET_WINDOW,
    now: datetime | None = None,
) -> Plan[IncidentResult]:
    """Open the incident for ``key``, or record a repeat on the ticket already open for it.

    ``key`` is the alert's correlation key (an Alertmanager fingerprint, ``zabbix:<eventid>``...), stored in the
    ticket's ``external_id``. A new ticket gets ``title``/``content``/``urgency``/``impact``/``category``/
    ``entity``, the ``team`` members (``PostTeamMember``) and the affected ``items`` as ``(itemtype, id)`` pairs,
    linked through GLPI's v1 API (``Item_Ticket``; the v2.2 API has no route for it: needs the v1 settings).
    A repeat adds one followup with the occurrence count, the time it was last seen and ``content``, at most
    one per ``quiet_window`` (seconds or a timedelta; 0 posts every repeat); a refire within ``quiet_window``
    of ``resolve_incident`` reopens the solved ticket. ``now`` is the time of this occurrence (default: the
    current time, timezone-aware). Calls with the same key on this client are serialised; a create that may
    have been applied is looked up by key, never sent twice.

    Args:
        key: The alert's correlation key, stored in ``external_id``.
        title: The new ticket's name.
        content: The new ticket's content, or the repeat's followup text (Markdown).
        urgency: The new ticket's urgency (1-5).
        impact: The new ticket's impact (1-5).
        category: The new ticket's ITIL category id.
        entity: The new ticket's entity id.
        team: Team members of a new ticket (``PostTeamMember``).
        items: Affected assets of a new ticket, as ``(itemtype, id)`` (legacy v1 API).
        quiet_window: At most one followup per window for repeats; the reopen window after a resolve.
        now: The time of this occurrence (timezone-aware; default: now).

    Returns:
        An :class:`IncidentResult`: ``action`` (``"created"``, ``"updated"`` for a followup added or a
        solved ticket reopened, ``"suppressed"``), ``ticket_id`` and ``occurrences``.

    Raises:
        IncidentKeyError: ``key`` cannot be stored and matched exactly (nothing is sent).
        InvalidArgumentError: ``title`` is empty, or another argument is invalid (nothing is sent).
        APIError: A request failed; ``may_have_been_applied`` says whether GLPI may hold the change.
    """
    key = check_key(key)
    if not isinstance(title, str) or not title.strip():
        raise InvalidArgumentError(f"open_incident needs a non-empty title (got {shown(title)})")
    if not isinstance(content, str):
        raise InvalidArgumentError(f"content must be a str (got {shown(content)})")
    category = None if category is None else check_id(category, "category")
    entity = None if entity is None else check_id(entity, "entity", minimum=0)
    body = crud.write_body(
        PostTicket(
            name=title,
            content=content,
            urgency=urgency,
            impact=impact,
            category=category,
            entity=entity,
            type=1,
            external_id=key,
        ),
        PostTicket,
    )
    members = [m if isinstance(m, PostTeamMember) else PostTeamMember.model_validate(dict(m)) for m in team]
    links = _items(items)
    if links:
        v1_url(ctx, "Item_Ticket")  # a missing v1 configuration fails before anything is sent
    window, moment = _window(quiet_window), _now(now)
    plan = _open(ctx, key, body, content, members, links, window, moment)
    result: IncidentResult = yield Locked(plan, key=("incident", key))
    return result


def _open(
    ctx: Context,
    key: str,
    body: dict[str, Any],
    content: str,
    members: list[PostTeamMember],
    links: list[tuple[str, int]],
    window: timedelta,
    now: datetime,
) -> Plan[IncidentResult]:
    found = yield from find_open(ctx, key)
    state = _state(ctx, key)
    if found:
        if state is None or state.ticket_id != _id(found[0]):
            state = yield from _recover(ctx, _id(found[0]), key)
        _remember(ctx, key, state)
        return (yield from _repeat(ctx, key, state, content, window, now, reopened=False))
    if state is not None and state.resolved_at is not None and now - state.resolved_at < window:
        reopened = yield from _reopen(ctx, key, state)
        if reopened:
            return (yield from _repeat(ctx, key, state, content, window, now, reopened=True))
    ticket_id = yield from _create(ctx, key, body)
    _remember(ctx, key, _State(ticket_id, occurrences=1, last_posted=now))
    unadded = yield from _add_team(ctx, ticket_id, members)
    unlinked = yield from _link(ctx, ticket_id, links)
    log.info("incident %s: created ticket %d", key, ticket_id)
    return IncidentResult("created", ticket_id, occurrences=1, unlinked_items=unlinked, unadded_members=unadded)


def _create(ctx: Context, key: str, body: dict[str, Any]) -> Plan[int]:
    try:
        return (yield from crud.create(TICKET, body))
    except APIError as exc:
        if not exc.may_have_been_applied:
            raise
        log.warning("incident %s: the ticket create may have been applied (%s); looking it up", key, type(exc).__name__)
        found = yield from find_open(ctx, key)
        if not found:
            raise
        ticket_id = _id(found[0])
        log.info("incident %s: the create was applied: ticket %d", key, ticket_id)
        return ticket_id


def _repeat(
    ctx: Context, key: str, state: _State, content: str, window: timedelta, now: datetime, *, reopened: bool
) -> Plan[IncidentResult]:
    state.occurrences += 1
    state.resolved_at = None
    if state.last_posted is not None and now - state.last_posted < window:
        log.debug("incident %s: repeat %d on ticket %d suppressed", key, state.occurrences, state.ticket_id)
        action: IncidentAction = "updated" if reopened else "suppressed"
        return IncidentResult(action, state.ticket_id, occurrences=state.occurrences)
    text = _followup_text(key, state.occurrences, now, content, reopened=reopened)
    body = crud.write_body(PostFollowup(content=text), PostFollowup)
    try:
        followup_id = yield from create_item(FOLLOWUP, state.ticket_id, body)
    except APIError as exc:
        if not exc.may_have_been_applied:
            state.occurrences -= 1
            raise
        posted = yield from _occurrence_posted(ctx, state.ticket_id, key, state.occurrences)
        if posted is None:
            state.occurrences -= 1
            raise
        followup_id = posted
    state.last_posted = now
    return IncidentResult("updated", state.ticket_id, occurrences=state.occurrences, followup_id=followup_id)


def _reopen(ctx: Context, key: str, state: _State) -> Plan[bool]:
    """Put the ticket solved for ``key`` back in progress; False when it is gone, closed or not ours any more."""
    try:
        ticket = yield from crud.get(TICKET, state.ticket_id)
    except NotFoundError:
        return False
    status = ticket.status.id if ticket.status is not None else None
    if ticket.external_id != key or ticket.is_deleted or status != 5:
        return False
    assigned = any(member.role == "assigned" for member in ticket.team)
    patch = crud.write_body(PatchTicket(status=2 if assigned else 1), PatchTicket)
    yield from crud.update(TICKET, state.ticket_id, patch)
    log.info("incident %s: reopened ticket %d (fired again within the quiet window)", key, state.ticket_id)
    return True


def _add_team(ctx: Context, ticket_id: int, members: list[PostTeamMember]) -> Plan[tuple[tuple[str, int, str], ...]]:
    """Add the team (GLPI ignores a team sent with the create); the members it refuses are returned, not raised."""
    unadded: list[tuple[str, int, str]] = []
    for member in members:
        try:
            yield from add_ticket_team_member(ctx, ticket_id, member)
        except APIError as exc:
            log.warning("ticket %d: GLPI refused to add team member %s %s: %s", ticket_id, member.type, member.id, exc)
            unadded.append((member.type, member.id, member.role))
    return tuple(unadded)


def _link(ctx: Context, ticket_id: int, links: list[tuple[str, int]]) -> Plan[tuple[tuple[str, int], ...]]:
    """Link the affected items (v1 ``Item_Ticket``); the ones GLPI refuses are returned, not raised."""
    unlinked: list[tuple[str, int]] = []
    for itemtype, item_id in links:
        payload = {"input": {"itemtype": itemtype, "items_id": item_id, "tickets_id": ticket_id}}
        try:
            response = yield from v1_request(ctx, "POST", "Item_Ticket", json=payload)
            v1_created_id(response)
        except (V1Error, APIError) as exc:
            log.warning("ticket %d: GLPI refused to link %s %d: %s", ticket_id, itemtype, item_id, exc)
            unlinked.append((itemtype, item_id))
    return tuple(unlinked)


# -- resolve --------------------------------------------------------------------------------------


def resolve_incident(
    ctx: Context, key: str, *, solution: str | PostSolution, now: datetime | None = None
) -> Plan[IncidentResult]:
    """Solve the ticket open for ``key`` with ``solution`` (text or a ``PostSolution``).

    With no ticket open for the key it changes nothing and returns ``action="none"``. When a race across
    processes left several open tickets with the key, each is solved (``ticket_id`` is the oldest). A refire
    within the quiet window after this reopens the ticket (see :meth:`open_incident`).

    Args:
        key: The alert's correlation key.
        solution: The solution's text (Markdown) or a ``PostSolution``.
        now: The time of the resolve (timezone-aware; default: now).

    Returns:
        An :class:`IncidentResult`: ``action`` ``"resolved"`` or ``"none"``, and ``ticket_id``.

    Raises:
        IncidentKeyError: ``key`` cannot be stored and matched exactly (nothing is sent).
        APIError: A request failed; ``may_have_been_applied`` says whether GLPI may hold the change.
    """
    key = check_key(key)
    body = crud.write_body(
        solution if isinstance(solution, PostSolution) else PostSolution(content=solution), PostSolution
    )
    moment = _now(now)
    result: IncidentResult = yield Locked(_resolve(ctx, key, body, moment), key=("incident", key))
    return result


def _resolve(ctx: Context, key: str, body: dict[str, Any], now: datetime) -> Plan[IncidentResult]:
    found = yield from find_open(ctx, key)
    state = _state(ctx, key)
    if not found:
        if state is not None and state.resolved_at is None:
            _remember(ctx, key, None)  # solved or closed by someone else: forget it
        return IncidentResult("none", None)
    solution_ids = []
    for ticket in found:
        solution_ids.append((yield from _solve(ctx, key, _id(ticket), body)))
    first = _id(found[0])
    if state is None or state.ticket_id != first:
        state = _State(first, occurrences=1)
    state.resolved_at = now
    _remember(ctx, key, state)
    log.info("incident %s: solved ticket %d", key, first)
    return IncidentResult("resolved", first, occurrences=state.occurrences, solution_id=solution_ids[0])


def _solve(ctx: Context, key: str, ticket_id: int, body: dict[str, Any]) -> Plan[int | None]:
    try:
        return (yield from create_item(SOLUTION, ticket_id, body))
    except APIError as exc:
        if not exc.may_have_been_applied:
            raise
        ticket = yield from crud.get(TICKET, ticket_id)
        if ticket.status is None or ticket.status.id not in _DONE:
            raise
        log.info("incident %s: the solution of ticket %d was applied", key, ticket_id)
        return None
