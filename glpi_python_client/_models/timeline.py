"""Ticket timeline models: followups, tasks, solutions and document links.

Lists (``.../Timeline/Followup`` ...) come from the live server as ``[{"type": ..., "item": {...}}]``
envelopes; these models describe the bare ``item`` (a single GET returns it unwrapped).
"""

from __future__ import annotations

from pydantic import AliasChoices, Field

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref
from ._rich_text import MarkdownText, html_field, markdown_view
from .peer_fields import ServerStamps

__all__ = [
    "DeleteFollowup",
    "DeleteSolution",
    "DeleteTicketTask",
    "DeleteTimelineDocument",
    "GetFollowup",
    "GetSolution",
    "GetTicketTask",
    "GetTimelineDocument",
    "PatchFollowup",
    "PatchSolution",
    "PatchTicketTask",
    "PatchTimelineDocument",
    "PostFollowup",
    "PostSolution",
    "PostTicketTask",
    "PostTimelineDocument",
]


class _TimelineRead(GlpiModel):
    """Properties every timeline item returns."""

    id: int
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _ContentRead(GlpiModel):
    """A body as GLPI stored it (``content_html``) and read as Markdown (``content``)."""

    content_html: str | None = html_field("content")
    content = markdown_view("content_html")


class _ContentWrite(GlpiModel):
    """A body given as Markdown (``content``, rendered on sending) or as HTML sent as-is (``content_html``)."""

    content: MarkdownText = None
    content_html: str | None = None


class _ParentItem(GlpiModel):
    """The ITIL object a followup, solution or document link belongs to."""

    itemtype: str | None = None
    items_id: int | None = None


class _Positioned(GlpiModel):
    #: ``GlpiTimelinePosition``.
    timeline_position: int | None = None


# --- Followup --------------------------------------------------------------------------------------


class _FollowupFields(_Positioned):
    is_private: bool | None = None
    date: GlpiDateTime = None


class GetFollowup(_ContentRead, _FollowupFields, _ParentItem, _TimelineRead):
    """A followup as returned by the server."""

    source_item_id: int | None = None
    source_of_item_id: int | None = None
    user: IdNameRef = None
    user_editor: IdNameRef = None
    request_type: IdNameRef = None


class _FollowupWrite(_ContentWrite, _FollowupFields, _ParentItem, ServerStamps):
    #: ``user_editor``, ``source_item_id``... (and the parent) are the peer's fields: GLPI sets them itself.
    user_editor: Ref | None = None
    source_item_id: int | None = None
    source_of_item_id: int | None = None
    request_type: Ref | None = None
    user: Ref | None = None


class PostFollowup(_FollowupWrite):
    """Body of a followup create."""


class PatchFollowup(_FollowupWrite):
    """Body of a followup update (only the fields you set are sent)."""


class DeleteFollowup(DeleteModel):
    """Followup delete options."""


# --- Task ------------------------------------------------------------------------------------------


class _TaskFields(_Positioned):
    is_private: bool | None = None
    #: Seconds (the ticket's ``actiontime`` sums them).
    duration: int | None = None
    #: ``GlpiTaskState``: 0 information, 1 todo, 2 done.
    state: int | None = None
    date: GlpiDateTime = None
    #: Also accepted as ``begin`` / ``end`` (the database column names).
    planned_begin: GlpiDateTime = Field(default=None, validation_alias=AliasChoices("planned_begin", "begin"))
    planned_end: GlpiDateTime = Field(default=None, validation_alias=AliasChoices("planned_end", "end"))


class GetTicketTask(_ContentRead, _TaskFields, _TimelineRead):
    """A ticket task as returned by the server (``tickets_id``, no itemtype/items_id)."""

    uuid: str | None = None
    tickets_id: int | None = None
    source_item_id: int | None = None
    source_of_item_id: int | None = None
    user: IdNameRef = None
    user_editor: IdNameRef = None
    #: ``{id, name}``; a bare int is normalised to ``IdName(id=...)``.
    user_tech: IdNameRef = None
    group_tech: IdNameRef = None
    category: IdNameRef = None


class _TaskWrite(_ContentWrite, _TaskFields, ServerStamps):
    #: ``user``, ``user_editor``, ``tickets_id``, ``source_*`` are the peer's fields: GLPI sets them itself.
    user: Ref | None = None
    user_editor: Ref | None = None
    tickets_id: int | None = None
    source_item_id: int | None = None
    source_of_item_id: int | None = None
    user_tech: Ref | None = None
    #: Reported to make the server answer 500 (glpi-project/glpi#22082).
    group_tech: Ref | None = None
    category: Ref | None = None


class PostTicketTask(_TaskWrite):
    """Body of a task create, e.g. ``PostTicketTask(content="...", duration=900, state=1, user_tech=2)``."""


class PatchTicketTask(_TaskWrite):
    """Body of a task update (only the fields you set are sent)."""


class DeleteTicketTask(DeleteModel):
    """Task delete options."""


# --- Solution --------------------------------------------------------------------------------------


class _SolutionFields(GlpiModel):
    #: ``GlpiSolutionStatus``; a new solution is 2 (waiting for approval).
    status: int | None = None


class GetSolution(_ContentRead, _SolutionFields, _ParentItem, _TimelineRead):
    """A solution as returned by the server."""

    #: The solution type ``{id, name}``.
    type: IdNameRef = None
    user: IdNameRef = None
    user_editor: IdNameRef = None
    approver: IdNameRef = None
    approval_followup: IdNameRef = None
    date_approval: GlpiDateTime = None


class _SolutionWrite(_ContentWrite, _SolutionFields, _ParentItem, ServerStamps):
    #: ``user``, ``approver``, ``date_approval``... are the peer's fields: GLPI sets them when approving.
    user: Ref | None = None
    user_editor: Ref | None = None
    approver: Ref | None = None
    approval_followup: Ref | None = None
    date_approval: GlpiDateTime = None
    #: The solution type id (``solutiontype`` is accepted as an input alias).
    type: Ref | None = Field(default=None, validation_alias=AliasChoices("type", "solutiontype"))


class PostSolution(_SolutionWrite):
    """Body of a solution create (the ticket becomes Solved)."""


class PatchSolution(_SolutionWrite):
    """Body of a solution update (only the fields you set are sent)."""


class DeleteSolution(DeleteModel):
    """Solution delete options (the ticket stays Solved)."""


# --- Document link ---------------------------------------------------------------------------------


class GetTimelineDocument(_Positioned, _ParentItem, _TimelineRead):
    """A document linked to a ticket: ``id`` is the Document_Item link id, ``documents_id`` the document."""

    documents_id: int | None = None
    filepath: str | None = None


class PostTimelineDocument(_Positioned):
    """Body of ``POST .../Timeline/Document``; the live server refuses it (403): link documents through v1."""

    documents_id: int | None = None


class PatchTimelineDocument(_Positioned):
    """Body of a document link update (only ``timeline_position`` is writable)."""


class DeleteTimelineDocument(DeleteModel):
    """Document link delete options (a delete unlinks the document)."""
