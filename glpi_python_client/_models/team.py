"""Ticket team member models (``/Assistance/Ticket/{id}/TeamMember``)."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import field_validator

from ._base import GlpiModel

__all__ = ["TEAM_MEMBER_ROLES", "DeleteTeamMember", "GetTeamMember", "PatchTeamMember", "PostTeamMember"]

#: Roles the server accepts (it also takes ``watcher`` as an alias of ``observer``).
TEAM_MEMBER_ROLES: frozenset[str] = frozenset({"requester", "assigned", "observer"})
_ROLE_ALIASES = {"watcher": "observer"}
_HREF_TYPE = re.compile(r"/front/(?P<kind>[A-Za-z_]+)\.form\.php")
_HREF_TYPES = {"user": "User", "group": "Group", "supplier": "Supplier", "contact": "Contact"}


def _normalise_role(value: str) -> str:
    role = value.strip().lower()
    role = _ROLE_ALIASES.get(role, role)
    if role not in TEAM_MEMBER_ROLES:
        raise ValueError(f"invalid team member role {value!r}: expected one of 'requester', 'assigned', 'observer'")
    return role


class GetTeamMember(GlpiModel):
    """A ticket actor, from ``GET .../TeamMember`` or a ticket's ``team`` list.

    The live server sends no ``type``; it is inferred from ``href`` (``/front/user.form.php?id=2`` → ``"User"``).
    """

    id: int
    type: str | None = None
    name: str | None = None
    role: str | None = None
    realname: str | None = None
    firstname: str | None = None
    display_name: str | None = None
    href: str | None = None

    def model_post_init(self, context: Any, /) -> None:
        """Infer ``type`` from ``href`` (one Python call per member, shared with the base's extra-key move)."""
        super().model_post_init(context)
        if self.type is None and self.href:
            match = _HREF_TYPE.search(self.href)
            if match:
                kind = match.group("kind").lower()
                self.__dict__["type"] = _HREF_TYPES.get(kind, kind[:1].upper() + kind[1:])


class _TeamMemberRef(GlpiModel):
    """Identifies a member: ``type`` (always sent), ``id`` and ``role``."""

    always_sent_fields: ClassVar[frozenset[str]] = frozenset({"type"})

    #: ``"User"``, ``"Group"`` or ``"Supplier"``.
    type: str = "User"
    #: Required: the live server answers 500 without it (the OpenAPI document wrongly marks it readOnly).
    id: int
    #: ``"requester"``, ``"assigned"`` or ``"observer"``.
    role: str

    @field_validator("role")
    @classmethod
    def _check_role(cls, value: str) -> str:
        return _normalise_role(value)


class PostTeamMember(_TeamMemberRef):
    """Body of ``POST .../TeamMember``: ``{"type": "User", "id": N, "role": "assigned"}``."""


class PatchTeamMember(_TeamMemberRef):
    """Same shape as :class:`PostTeamMember` (the API has no team member update; re-add instead)."""


class DeleteTeamMember(_TeamMemberRef):
    """JSON body of ``DELETE .../TeamMember``: ``{type, id, role}``."""
