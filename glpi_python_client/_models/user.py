"""User models (``/Administration/User``)."""

from __future__ import annotations

from pydantic import Field

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref
from .peer_fields import ServerStamps

__all__ = ["DeleteUser", "GetUser", "PatchUser", "PostUser", "UserEmail"]


class UserEmail(GlpiModel):
    """One entry of a user's ``emails`` list."""

    id: int | None = None
    email: str | None = None
    is_default: bool | None = None
    is_dynamic: bool | None = None


class _UserFields(GlpiModel):
    username: str | None = None
    realname: str | None = None
    firstname: str | None = None
    nickname: str | None = None
    phone: str | None = None
    phone2: str | None = None
    mobile: str | None = None
    comment: str | None = None
    registration_number: str | None = None
    is_active: bool | None = None
    #: ``GlpiUserAuthType``.
    authtype: int | None = None
    begin_date: GlpiDateTime = None
    end_date: GlpiDateTime = None
    substitution_start_date: GlpiDateTime = None
    substitution_end_date: GlpiDateTime = None


class GetUser(_UserFields):
    """A user as returned by the server (never carries a password)."""

    id: int
    is_deleted: bool | None = None
    picture: str | None = None
    emails: list[UserEmail] = Field(default_factory=list)
    location: IdNameRef = None
    default_profile: IdNameRef = None
    default_entity: IdNameRef = None
    title: IdNameRef = None
    category: IdNameRef = None
    date_password_change: GlpiDateTime = None
    last_login: GlpiDateTime = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None
    date_sync: GlpiDateTime = None


class _UserWrite(_UserFields, ServerStamps):
    is_deleted: bool | None = None
    last_login: GlpiDateTime = None
    #: Sent by :meth:`to_payload` but hidden from ``repr``; must equal ``password2`` (else the server answers 500).
    password: str | None = Field(default=None, repr=False)
    password2: str | None = Field(default=None, repr=False)
    emails: list[UserEmail] | None = None
    location: Ref | None = None
    default_profile: Ref | None = None
    default_entity: Ref | None = None
    title: Ref | None = None
    category: Ref | None = None


class PostUser(_UserWrite):
    """Body of a user create."""


class PatchUser(_UserWrite):
    """Body of a user update (only the fields you set are sent)."""


class DeleteUser(DeleteModel):
    """User delete options (``force=True`` purges instead of trashing)."""
