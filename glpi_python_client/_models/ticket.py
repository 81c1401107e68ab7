"""Ticket models (``/Assistance/Ticket``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdName, IdNameAlways, IdNameRef, Ref
from ._rich_text import MarkdownText, html_field, markdown_view
from .peer_fields import ServerStamps
from .team import GetTeamMember

__all__ = ["DeleteTicket", "GetTicket", "PatchTicket", "PostTicket"]


class _TicketFields(GlpiModel):
    """Scalar ticket properties shared by the read and write models."""

    name: str | None = None
    #: 1..5 (``GlpiPriority``); the server silently drops values outside the range.
    urgency: int | None = None
    impact: int | None = None
    #: 1..6: the server accepts and returns 6 (Major) although the OpenAPI document says 1..5.
    priority: int | None = None
    #: ``GlpiTicketType``: 1 incident, 2 request.
    type: int | None = None
    external_id: str | None = None
    #: ``GlpiGlobalValidation``.
    global_validation: int | None = None
    date: GlpiDateTime = None


class GetTicket(_TicketFields):
    """A ticket as returned by the server; ``content`` reads its description as Markdown."""

    id: int
    #: The description as GLPI stored it (HTML); ``content`` is the same as Markdown.
    content_html: str | None = html_field("content")
    content = markdown_view("content_html")
    is_deleted: bool | None = None
    #: ``{id, name}``, always sent by GLPI; filter on it as ``status.id==N``.
    status: IdNameAlways = Field(default_factory=IdName)
    entity: IdNameRef = None
    category: IdNameRef = None
    location: IdNameRef = None
    request_type: IdNameRef = None
    user_recipient: IdNameRef = None
    user_editor: IdNameRef = None
    sla_ttr: IdNameRef = None
    sla_tto: IdNameRef = None
    ola_ttr: IdNameRef = None
    ola_tto: IdNameRef = None
    sla_level_ttr: IdNameRef = None
    ola_level_ttr: IdNameRef = None
    #: Total task duration in seconds.
    actiontime: int | None = None
    waiting_duration: int | None = None
    resolution_duration: int | None = None
    close_duration: int | None = None
    take_into_account_duration: int | None = None
    sla_waiting_duration: int | None = None
    ola_waiting_duration: int | None = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None
    date_solve: GlpiDateTime = None
    date_close: GlpiDateTime = None
    begin_waiting_date: GlpiDateTime = None
    resolution_date: GlpiDateTime = None
    take_into_account_date: GlpiDateTime = None
    ola_ttr_begin_date: GlpiDateTime = None
    ola_tto_begin_date: GlpiDateTime = None
    internal_resolution_date: GlpiDateTime = None
    internal_take_into_account_date: GlpiDateTime = None
    #: Actors (requesters, observers, assignees); empty on a new ticket.
    team: list[GetTeamMember] = Field(default_factory=list)


#: GLPI silently drops an out-of-range urgency/impact (``urgency: 9`` keeps the default 3), so writes check it.
Scale = Annotated[int, Field(ge=1, le=5)]


class _TicketWrite(_TicketFields, ServerStamps):
    """Writable ticket fields; references are plain int ids. Out-of-range scales are refused before sending.

    ``content`` is Markdown, rendered as HTML when the request is built; ``content_html`` sends HTML as-is.
    """

    content: MarkdownText = None
    content_html: str | None = None

    urgency: Scale | None = None
    impact: Scale | None = None
    priority: Annotated[int, Field(ge=1, le=6)] | None = None
    type: Annotated[int, Field(ge=1, le=2)] | None = None

    #: ``GlpiTicketStatus``; the server accepts ``2`` or ``{"id": 2}``, this model sends the int.
    status: Ref | None = None
    entity: Ref | None = None
    category: Ref | None = None
    location: Ref | None = None
    request_type: Ref | None = None
    user_recipient: Ref | None = None
    time_to_resolve: GlpiDateTime = None
    is_deleted: bool | None = None
    date_solve: GlpiDateTime = None
    date_close: GlpiDateTime = None
    sla_ttr: Ref | None = None
    sla_tto: Ref | None = None
    ola_ttr: Ref | None = None
    ola_tto: Ref | None = None
    sla_level_ttr: Ref | None = None
    ola_level_ttr: Ref | None = None


class PostTicket(_TicketWrite):
    """Body of a ticket create. Only the fields you set are sent."""


class PatchTicket(_TicketWrite):
    """Body of a ticket update. Only the fields you set are sent, so other fields are never blanked."""


class DeleteTicket(DeleteModel):
    """Ticket delete options (``force=True`` purges instead of trashing)."""


class CountedTicket(BaseModel):
    """A ticket as ``get_ticket_statistics`` reads it: the fields it counts by, every other key skipped.

    A report over thousands of tickets needs six fields of each, not the forty a ``GetTicket`` builds
    (dates, rich text, references): pydantic-core skips the rest unbuilt, about a third of the time of a
    ``GetTicket`` page and less than ``json.loads`` of it. The field types are ``GetTicket``'s, so a value
    reads the same in both.
    """

    model_config = ConfigDict(extra="ignore", defer_build=True)

    id: int
    is_deleted: bool | None = None
    status: IdNameAlways = Field(default_factory=IdName)
    entity: IdNameRef = None
    priority: int | None = None
    type: int | None = None
    team: list[GetTeamMember] = Field(default_factory=list)
