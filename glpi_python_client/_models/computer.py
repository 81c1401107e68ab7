"""Computer models (``/Assets/Computer``)."""

from __future__ import annotations

from pydantic import Field

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref
from .peer_fields import ServerStamps

__all__ = ["DeleteComputer", "GetComputer", "PatchComputer", "PostComputer"]


class _ComputerFields(GlpiModel):
    name: str | None = None
    comment: str | None = None
    is_recursive: bool | None = None
    contact: str | None = None
    contact_num: str | None = None
    serial: str | None = None
    otherserial: str | None = None
    is_template: bool | None = None
    template_name: str | None = None
    is_dynamic: bool | None = None
    ticket_tco: float | None = None


class GetComputer(_ComputerFields):
    """A computer as returned by the server (``status``, ``location``, ``type``... are ``{id, name}``)."""

    id: int | None = None
    is_deleted: bool | None = None
    uuid: str | None = None
    status: IdNameRef = None
    entity: IdNameRef = None
    manufacturer: IdNameRef = None
    user: IdNameRef = None
    user_tech: IdNameRef = None
    location: IdNameRef = None
    type: IdNameRef = None
    model: IdNameRef = None
    network: IdNameRef = None
    autoupdatesystem: IdNameRef = None
    group: list[IdNameRef] = Field(default_factory=list)
    group_tech: list[IdNameRef] = Field(default_factory=list)
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None
    last_inventory_update: GlpiDateTime = None
    last_boot: GlpiDateTime = None


class _ComputerWrite(_ComputerFields, ServerStamps):
    """Writable computer fields; references are int ids (an ``IdName`` or ``{"id": ...}`` is reduced to it)."""

    is_deleted: bool | None = None
    group: list[Ref] | None = None
    group_tech: list[Ref] | None = None

    status: Ref | None = None
    entity: Ref | None = None
    manufacturer: Ref | None = None
    user: Ref | None = None
    user_tech: Ref | None = None
    location: Ref | None = None
    type: Ref | None = None
    model: Ref | None = None
    network: Ref | None = None
    autoupdatesystem: Ref | None = None


class PostComputer(_ComputerWrite):
    """Body of a computer create. Only the fields you set are sent."""


class PatchComputer(_ComputerWrite):
    """Body of a computer update. Only the fields you set are sent."""


class DeleteComputer(DeleteModel):
    """Computer delete options (``force=True`` purges instead of trashing)."""
