"""A ticket with its whole timeline, and its rendering as one Markdown transcript.

Bodies come from the models' Markdown views (``.content``, :mod:`glpi_python_client.richtext`).

:class:`GlpiTicketContext` is what ``get_ticket_context()`` returns: the ticket, its followups,
tasks, solutions and document links, plus the names the client resolved for them (user display
names, document names). :meth:`GlpiTicketContext.to_markdown` renders it; :class:`TicketMarkdownOptions`
selects the sections and metadata fields shown.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

from ._enums import GlpiSolutionStatus, GlpiTaskState, GlpiTicketStatus, _LabelledIntEnum
from ._models import GetFollowup, GetSolution, GetTeamMember, GetTicket, GetTicketTask, GetTimelineDocument, IdName

__all__ = ["GlpiTicketContext", "TicketMarkdownOptions", "member_display_name"]


@dataclass(frozen=True, kw_only=True, slots=True)
class TicketMarkdownOptions:
    """What :meth:`GlpiTicketContext.to_markdown` shows. Every flag defaults to True (the full transcript)."""

    #: The ``## Description`` section.
    include_description: bool = True
    #: Followup entries in ``## Timeline``.
    include_followups: bool = True
    #: Task entries in ``## Timeline``.
    include_tasks: bool = True
    #: Solution entries in ``## Timeline``.
    include_solutions: bool = True
    #: The ``## Documents`` section.
    include_documents: bool = True
    #: Status in the ticket subtitle.
    show_status: bool = True
    #: Requester in the ticket subtitle.
    show_requester: bool = True
    #: Last edited by in the ticket subtitle.
    show_editor: bool = True
    #: All ticket-level date fields (created, updated, solved, closed).
    show_dates: bool = True
    #: Created by in event subtitles.
    show_event_author: bool = True
    #: Last edited by in event subtitles.
    show_event_editor: bool = True
    #: All date fields in event subtitles.
    show_event_dates: bool = True
    #: State in (task) event subtitles.
    show_event_state: bool = True
    #: Status in (solution) event subtitles.
    show_event_status: bool = True
    #: Duration in task subtitles.
    show_duration: bool = True
    #: Technician / Technician group in task subtitles.
    show_technician: bool = True
    #: Approver in solution subtitles.
    show_approver: bool = True


def member_display_name(member: GetTeamMember) -> str | None:
    """``Firstname Realname`` when the member has either, else its ``name`` (login or group name)."""
    full = " ".join(part.strip() for part in (member.firstname, member.realname) if part and part.strip())
    return full or member.name or member.display_name or None


def _is_user(member: GetTeamMember) -> bool:
    return member.type in (None, "User")


def _ref_id(ref: IdName | None) -> int | None:
    """The id of a reference, or None when unset (GLPI uses 0 for 'nobody')."""
    if ref is None or not ref.id:
        return None
    return ref.id


def _label(enum: type[_LabelledIntEnum], value: int | None, fallback: str | None = None) -> str | None:
    """The enum's label for ``value`` (``fallback``, else the number, when the value is unknown)."""
    if value is None:
        return fallback
    try:
        return enum(value).label
    except ValueError:
        return fallback or str(value)


def _date(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _sort_key(value: datetime | None) -> tuple[bool, datetime]:
    """Undated events last; naive dates read as UTC so that they compare with aware ones."""
    if value is None:
        return True, datetime.min.replace(tzinfo=UTC)
    return False, value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _subtitle(fields: Iterable[tuple[str, str | None]]) -> str | None:
    shown = [f"{label}: {value}" for label, value in fields if value]
    return "> " + " | ".join(shown) if shown else None


Event = GetFollowup | GetTicketTask | GetSolution
_KIND_ORDER: dict[type[BaseModel], tuple[int, str]] = {
    GetFollowup: (0, "Followup"),
    GetTicketTask: (1, "Task"),
    GetSolution: (2, "Solution"),
}


class GlpiTicketContext(BaseModel):
    """A ticket, its timeline (followups, tasks, solutions, linked documents) and the names resolved for them.

    ``user_names`` maps user ids to display names (``Firstname Realname`` when known);
    ``document_names`` maps ``documents_id`` to the document's name.
    """

    model_config = ConfigDict(frozen=False, extra="ignore", defer_build=True)

    ticket: GetTicket
    followups: list[GetFollowup] = Field(default_factory=list)
    tasks: list[GetTicketTask] = Field(default_factory=list)
    solutions: list[GetSolution] = Field(default_factory=list)
    documents: list[GetTimelineDocument] = Field(default_factory=list)
    user_names: dict[int, str] = Field(default_factory=dict)
    document_names: dict[int, str] = Field(default_factory=dict)

    # -- names ----------------------------------------------------------------------------------

    def user_name(self, ref: IdName | None) -> str | None:
        """The display name of a user reference: resolved name, else the reference's name, else ``User #id``."""
        user_id = _ref_id(ref)
        if ref is None or user_id is None:
            return None
        return self.user_names.get(user_id) or ref.name or f"User #{user_id}"

    def document_name(self, document: GetTimelineDocument) -> str:
        """The linked document's name (``Document #id`` when it could not be resolved)."""
        if document.documents_id is not None and document.documents_id in self.document_names:
            return self.document_names[document.documents_id]
        return f"Document #{document.documents_id if document.documents_id is not None else document.id}"

    def requesters(self) -> list[str]:
        """Display names of the ticket's requesters (team members with the ``requester`` role)."""
        names: list[str] = []
        for member in self.ticket.team:
            if (member.role or "").lower() != "requester":
                continue
            name = self.user_names.get(member.id) if _is_user(member) and member.id else None
            name = name or member_display_name(member)
            if name:
                names.append(name)
        return names

    def events(self, options: TicketMarkdownOptions | None = None) -> list[Event]:
        """Followups, tasks and solutions merged, ordered by ``date_creation`` (ties: kind, then id)."""
        opts = options or TicketMarkdownOptions()
        merged: list[Event] = []
        if opts.include_followups:
            merged.extend(self.followups)
        if opts.include_tasks:
            merged.extend(self.tasks)
        if opts.include_solutions:
            merged.extend(self.solutions)
        return sorted(merged, key=lambda e: (*_sort_key(e.date_creation), _KIND_ORDER[type(e)][0], e.id or 0))

    # -- rendering ------------------------------------------------------------------------------

    def to_markdown(self, options: TicketMarkdownOptions | None = None) -> str:
        """The ticket and its timeline as one Markdown transcript (see :class:`TicketMarkdownOptions`)."""
        opts = options or TicketMarkdownOptions()
        blocks = [self._header(opts)]
        if opts.include_description:
            description = self.ticket.content
            if description:
                blocks.append(f"## Description\n\n{description}")
        events = [self._event(event, opts) for event in self.events(opts)]
        if events:
            blocks.append("## Timeline")
            blocks.extend(events)
        if opts.include_documents and self.documents:
            lines = [f"- {self.document_name(document)}" for document in self.documents]
            blocks.append("## Documents\n" + "\n".join(lines))
        return "\n\n".join(blocks) + "\n"

    def _header(self, opts: TicketMarkdownOptions) -> str:
        ticket = self.ticket
        name = html.unescape(ticket.name or "").strip()
        title = f"# Ticket #{ticket.id}" + (f" — {name}" if name else "")
        fields: list[tuple[str, str | None]] = []
        if opts.show_status and ticket.status.id is not None:
            fields.append(("Status", _label(GlpiTicketStatus, ticket.status.id, ticket.status.name)))
        if opts.show_requester:
            requesters = self.requesters()
            fields.append(("Requesters" if len(requesters) > 1 else "Requester", ", ".join(requesters)))
        if opts.show_editor:
            fields.append(("Last edited by", self.user_name(ticket.user_editor)))
        if opts.show_dates:
            fields += [
                ("Created at", _date(ticket.date_creation)),
                ("Updated at", _date(ticket.date_mod)),
                ("Solved at", _date(ticket.date_solve)),
                ("Closed at", _date(ticket.date_close)),
            ]
        subtitle = _subtitle(fields)
        return title if subtitle is None else f"{title}\n{subtitle}"

    def _event(self, event: Event, opts: TicketMarkdownOptions) -> str:
        kind = _KIND_ORDER[type(event)][1]
        heading = f"### {kind} #{event.id}"
        fields: list[tuple[str, str | None]] = []
        author_id = _ref_id(event.user)
        if opts.show_event_author:
            fields.append(("Created by", self.user_name(event.user)))
        editor_id = _ref_id(event.user_editor)
        if opts.show_event_editor and editor_id is not None and editor_id != author_id:
            fields.append(("Last edited by", self.user_name(event.user_editor)))
        if opts.show_event_dates:
            fields.append(("Created at", _date(event.date_creation)))
            if event.date_mod != event.date_creation:
                fields.append(("Updated at", _date(event.date_mod)))
        if isinstance(event, GetTicketTask):
            if opts.show_duration and event.duration:
                fields.append(("Duration", f"{event.duration}s"))
            if opts.show_event_state:
                fields.append(("State", _label(GlpiTaskState, event.state)))
            if opts.show_technician:
                fields.append(("Technician", self.user_name(event.user_tech)))
                group = event.group_tech
                if group is not None and _ref_id(group) is not None:
                    fields.append(("Technician group", group.name or f"Group #{group.id}"))
        elif isinstance(event, GetSolution):
            if opts.show_event_status:
                fields.append(("Status", _label(GlpiSolutionStatus, event.status)))
            if opts.show_approver:
                fields.append(("Approver", self.user_name(event.approver)))
        parts = [heading]
        subtitle = _subtitle(fields)
        if subtitle is not None:
            parts.append(subtitle)
        text = "\n".join(parts)
        content = event.content
        return f"{text}\n\n{content}" if content else text
