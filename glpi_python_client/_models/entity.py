"""Entity models (``/Administration/Entity``)."""

from __future__ import annotations

from ._base import DeleteModel, GlpiModel, IdNameRef, Ref

__all__ = ["DeleteEntity", "GetEntity", "PatchEntity", "PostEntity"]


class _EntityFields(GlpiModel):
    name: str | None = None
    comment: str | None = None


class GetEntity(_EntityFields):
    """An entity as returned by the server; the root entity has ``id=0`` and ``parent=None``."""

    id: int
    completename: str | None = None
    level: int | None = None
    parent: IdNameRef = None


class _EntityWrite(_EntityFields):
    parent: Ref | None = None


class PostEntity(_EntityWrite):
    """Body of an entity create (``parent=0`` for a child of the root entity)."""


class PatchEntity(_EntityWrite):
    """Body of an entity update (only the fields you set are sent)."""


class DeleteEntity(DeleteModel):
    """Entity delete options (entities have no trash: a plain delete purges)."""
