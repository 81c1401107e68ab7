"""Document metadata models (``/Management/Document``)."""

from __future__ import annotations

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref

__all__ = ["DeleteDocument", "GetDocument", "PatchDocument", "PostDocument"]


class _DocumentFields(GlpiModel):
    name: str | None = None
    comment: str | None = None
    filename: str | None = None
    mime: str | None = None


class GetDocument(_DocumentFields):
    """Document metadata as returned by the server (``filepath`` is ``/front/document.send.php?docid=N``)."""

    id: int | None = None
    is_deleted: bool | None = None
    sha1sum: str | None = None
    filepath: str | None = None
    entity: IdNameRef = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _DocumentWrite(_DocumentFields):
    entity: Ref | None = None


class PostDocument(_DocumentWrite):
    """Body of a document create (metadata only: the v2 API cannot upload file content)."""


class PatchDocument(_DocumentWrite):
    """Body of a document update (only the fields you set are sent)."""


class DeleteDocument(DeleteModel):
    """Document delete options (``force=True`` purges instead of trashing)."""
