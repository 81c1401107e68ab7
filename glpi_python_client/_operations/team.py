"""A ticket's team: requesters, assigned technicians and observers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import BaseModel

from .._arguments import check_choice, check_id
from .._errors import InvalidArgumentError, NotATeamMemberError
from .._models import GetTeamMember, PostTeamMember
from .._plan import Plan
from ._common import Payload, endpoint, json_body, parse_list, send
from .crud import write_body

if TYPE_CHECKING:
    from .._state import Context

__all__ = ["NotATeamMemberError", "add_ticket_team_member", "list_ticket_team_members", "remove_ticket_team_member"]


#: What GLPI's TeamMember routes accept (``GlpiTeamRole`` values, member types).
ROLES = frozenset({"requester", "assigned", "observer"})
MEMBER_TYPES = frozenset({"User", "Group", "Supplier"})


def _op(verb: str) -> Any:
    return endpoint(f"assistance.{verb}_assistance_ticket_by_id_team_member")


def add_ticket_team_member(ctx: Context, ticket_id: int, member: PostTeamMember | Mapping[str, Any]) -> Plan[None]:
    """Add a user, group or supplier to the ticket's team as requester, assigned or observer.

    GLPI needs the member's ``id`` (its document wrongly marks it read-only) and answers 201 with an empty
    body. Assigning a user to a New ticket makes it "Processing (assigned)".

    Args:
        ticket_id: The ticket's id.
        member: A ``PostTeamMember`` (``type``: User, Group or Supplier; ``id``; ``role``: requester,
            assigned or observer), or a mapping validated as one.

    Raises:
        BadRequestError: The member is already in the team with that role, or GLPI refused it.
        InvalidArgumentError: ``ticket_id`` is not an int id, or ``type``/``role`` is not one of their values.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Wi-Fi unreachable", content="5 GHz radio"))
        >>> client.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="assigned"))
    """
    ticket_id = check_id(ticket_id, "ticket_id")
    body = write_body(member, PostTeamMember)
    yield send(_op("post").request_kwargs(ticket_id, body=Payload(body)))


def list_ticket_team_members(ctx: Context, ticket_id: int, role: str | None = None) -> Plan[list[GetTeamMember]]:
    """The ticket's team, or only the members holding ``role``.

    GLPI sends no ``type``: it is read from each member's ``href``. By role, GLPI may answer an object keyed
    by index instead of a list; both are read as a list.

    Args:
        ticket_id: The ticket's id.
        role: ``requester``, ``assigned`` or ``observer``; None lists every member.

    Returns:
        The members, as ``GetTeamMember`` (``type``, ``id``, ``role``, ``name``...).

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
        InvalidArgumentError: ``role`` is not one of the three roles.
    """
    ticket_id = check_id(ticket_id, "ticket_id")
    role = check_choice(role, "role", ROLES, optional=True)
    if role is None:
        kwargs = _op("get").request_kwargs(ticket_id)
    else:
        kwargs = endpoint("assistance.get_assistance_ticket_by_id_team_member_by_role").request_kwargs(ticket_id, role)
    response: httpx.Response = yield send(kwargs)
    return parse_list(GetTeamMember, json_body(response), response)


def remove_ticket_team_member(
    ctx: Context,
    ticket_id: int,
    member: PostTeamMember | GetTeamMember | Mapping[str, Any] | None = None,
    *,
    team_member_id: int | None = None,
    type: str | None = None,
    role: str | None = None,
) -> Plan[None]:
    """Remove a member from the ticket's team.

    GLPI's DELETE needs the member's type and role too: when they are not given, the team is read first and
    every role the member holds is removed.

    Args:
        ticket_id: The ticket's id.
        member: A ``PostTeamMember``, a listed ``GetTeamMember`` or a mapping with its ``id`` (and ``type``,
            ``role``); or name the member with the keywords below instead.
        team_member_id: The member's id (a user, group or supplier id).
        type: ``User``, ``Group`` or ``Supplier``: only that kind of member.
        role: ``requester``, ``assigned`` or ``observer``: only that role.

    Raises:
        NotATeamMemberError: No member of the ticket matches (nothing is deleted).
        InvalidArgumentError: Neither ``member`` nor ``team_member_id`` is given, or an argument is invalid.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Wi-Fi unreachable", content="5 GHz radio"))
        >>> client.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=2, role="observer"))
        >>> client.remove_ticket_team_member(ticket_id, team_member_id=2)
    """
    if member is not None:
        if not isinstance(member, Mapping | BaseModel):
            raise InvalidArgumentError(
                f"member must be a PostTeamMember, a GetTeamMember or a mapping (got {member.__class__.__name__})"
            )
        given = member if isinstance(member, Mapping) else member.model_dump(include={"id", "type", "role"})
        if team_member_id is not None and given.get("id") not in (None, team_member_id):
            raise InvalidArgumentError("member and team_member_id name different members: give one of them")
        team_member_id = given.get("id") if team_member_id is None else team_member_id
        type = type or given.get("type")
        role = role or given.get("role")
    ticket_id = check_id(ticket_id, "ticket_id")
    team_member_id = check_id(team_member_id, "team_member_id")
    type = check_choice(type, "type", MEMBER_TYPES, optional=True)
    role = check_choice(role, "role", ROLES, optional=True)
    if type is not None and role is not None:
        targets = [(type, role)]
    else:
        members = yield from list_ticket_team_members(ctx, ticket_id)
        targets = [
            (m.type or "User", m.role or "")
            for m in members
            if m.id == team_member_id and (type is None or m.type == type) and (role is None or m.role == role)
        ]
        if not targets:
            raise NotATeamMemberError(f"ticket {ticket_id} has no team member with id {team_member_id}")
    for member_type, member_role in targets:
        body = {"type": member_type, "id": team_member_id, "role": member_role}
        yield send(_op("delete").request_kwargs(ticket_id, body=Payload(body)))
