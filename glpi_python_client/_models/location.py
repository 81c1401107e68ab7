"""Location models (``/Dropdowns/Location``)."""

from __future__ import annotations

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref
from .peer_fields import ServerStamps

__all__ = ["DeleteLocation", "GetLocation", "PatchLocation", "PostLocation"]


class _LocationFields(GlpiModel):
    name: str | None = None
    code: str | None = None
    alias: str | None = None
    comment: str | None = None
    is_recursive: bool | None = None
    room: str | None = None
    building: str | None = None
    address: str | None = None
    town: str | None = None
    postcode: str | None = None
    state: str | None = None
    country: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    altitude: str | None = None


class GetLocation(_LocationFields):
    """A location as returned by the server (``completename`` is ``"Parent > Child"``)."""

    id: int
    completename: str | None = None
    level: int | None = None
    entity: IdNameRef = None
    parent: IdNameRef = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _LocationWrite(_LocationFields, ServerStamps):
    entity: Ref | None = None
    parent: Ref | None = None


class PostLocation(_LocationWrite):
    """Body of a location create."""


class PatchLocation(_LocationWrite):
    """Body of a location update (only the fields you set are sent)."""


class DeleteLocation(DeleteModel):
    """Location delete options (locations have no trash: a plain delete purges)."""
