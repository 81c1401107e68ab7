"""Document metadata models (``/Management/Document``)."""

from __future__ import annotations

from pydantic import Field

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref
from .peer_fields import ServerStamps
from .timeline import GetFollowup

__all__ = ["DeleteDocument", "FollowupDocuments", "GetDocument", "GetDocumentItem", "PatchDocument", "PostDocument"]


class _DocumentFields(GlpiModel):
    name: str | None = None
    comment: str | None = None
    filename: str | None = None
    mime: str | None = None


class GetDocument(_DocumentFields):
    """Document metadata as returned by the server (``filepath`` is ``/front/document.send.php?docid=N``)."""

    id: int
    is_deleted: bool | None = None
    sha1sum: str | None = None
    filepath: str | None = None
    entity: IdNameRef = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _DocumentWrite(_DocumentFields, ServerStamps):
    is_deleted: bool | None = None
    sha1sum: str | None = None
    entity: Ref | None = None


class PostDocument(_DocumentWrite):
    """Body of a document create (metadata only: the v2 API cannot upload file content)."""


class PatchDocument(_DocumentWrite):
    """Body of a document update (only the fields you set are sent)."""


class DeleteDocument(DeleteModel):
    """Document delete options (``force=True`` purges instead of trashing)."""


class GetDocumentItem(GlpiModel):
    """A link between a document and an item (a Document_Item row, as the legacy v1 API lists them).

    Dates are the server's local time, naive (v1 sends no offset).
    """

    id: int | None = None
    documents_id: int | None = None
    itemtype: str | None = None
    items_id: int | None = None
    entities_id: int | None = None
    timeline_position: int | None = None
    date: GlpiDateTime = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class FollowupDocuments(GlpiModel):
    """A followup of a ticket and the documents linked to it (an image pasted in a followup is linked there)."""

    followup: GetFollowup
    documents: list[GetDocumentItem] = Field(default_factory=list)
