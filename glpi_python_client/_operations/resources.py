"""Tickets, users, locations, entities and document metadata: the search/get/create/update/delete verbs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._constants import DEFAULT_PAGE_SIZE
from .._models import (
    GetDocument,
    GetEntity,
    GetLocation,
    GetTicket,
    GetUser,
    PatchDocument,
    PatchEntity,
    PatchLocation,
    PatchTicket,
    PatchUser,
    PostDocument,
    PostEntity,
    PostLocation,
    PostTicket,
    PostUser,
)
from .._pages import Paginator
from .._plan import Plan
from . import crud
from .crud import Resource, write_body

if TYPE_CHECKING:
    from .._state import Context

TICKET = Resource("Ticket", GetTicket, "assistance", "assistance_ticket")
USER = Resource("User", GetUser, "administration", "administration_user")
ENTITY = Resource("Entity", GetEntity, "administration", "administration_entity", first_id=0)
LOCATION = Resource("Location", GetLocation, "dropdowns", "dropdowns_location")
DOCUMENT = Resource("Document", GetDocument, "management", "management_document")

Body = Mapping[str, Any]

# -- tickets --------------------------------------------------------------------------------------


def _fields(fields: Iterable[str]) -> dict[str, str | None]:
    """The ``fields`` query parameter (comma-joined names), or nothing for an empty selection."""
    if isinstance(fields, str):
        fields = [fields]
    names = [str(name) for name in fields]
    return {"fields": ",".join(names) if names else None}


def search_tickets(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    limit: int | None = None,
    start: int | None = None,
    sort: str | None = None,
    fields: Iterable[str] = (),
) -> Plan[list[GetTicket]]:
    """Search tickets with an RSQL filter (``status==1`` is sent as ``status.id==1``); trashed ones included.

    ``limit``/``start`` page the results (GLPI's default page is 100), ``sort`` is ``field[:asc|desc],...``.
    ``fields`` asks for those properties only (sent as ``fields=a,b``, as the peer glpi-python-client does;
    GLPI 11.0.6's v2.2 document does not declare it, and a server that ignores it answers whole tickets).
    """
    return crud.search(TICKET, rsql_filter, limit=limit, start=start, sort=sort, params=_fields(fields))


def iter_search_tickets(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    batch_size: int = DEFAULT_PAGE_SIZE,
    sort: str | None = None,
    fields: Iterable[str] = (),
) -> Paginator[GetTicket]:
    """Yield every matching ticket, one page (list) at a time, until Content-Range says the end is reached.

    ``fields`` is passed on to every page (see ``search_tickets``).
    """
    return crud.paginate(TICKET, rsql_filter, batch_size=batch_size, sort=sort, params=_fields(fields))


def get_ticket(ctx: Context, ticket_id: int) -> Plan[GetTicket]:
    """Fetch one ticket (trashed tickets too: check ``is_deleted``)."""
    return crud.get(TICKET, ticket_id)


def create_ticket(ctx: Context, ticket: PostTicket | Body) -> Plan[int]:
    """Create a ticket and return its id. Never retried automatically (see ``APIError.may_have_been_applied``)."""
    return crud.create(TICKET, write_body(ticket, PostTicket))


def update_ticket(ctx: Context, ticket_id: int, ticket: PatchTicket | Body) -> Plan[GetTicket]:
    """Update the fields set on ``ticket`` (the others are left alone) and return the updated ticket."""
    return crud.update(TICKET, ticket_id, write_body(ticket, PatchTicket))


def delete_ticket(ctx: Context, ticket_id: int, force: bool = False) -> Plan[None]:
    """Move a ticket to the trash, or purge it for good with ``force=True``."""
    return crud.delete(TICKET, ticket_id, force=force)


# -- users ----------------------------------------------------------------------------------------


def search_users(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    limit: int | None = None,
    start: int | None = None,
    sort: str | None = None,
    skip_entity: bool = False,
) -> Plan[list[GetUser]]:
    """Search users with an RSQL filter, e.g. ``username==alice.dupont``.

    ``skip_entity=True`` searches without the client's GLPI-Entity/GLPI-Profile/GLPI-Entity-Recursive headers,
    so the search spans every entity the account can see rather than the configured one.
    """
    return crud.search(USER, rsql_filter, limit=limit, start=start, sort=sort, unscoped=skip_entity)


def iter_search_users(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    batch_size: int = DEFAULT_PAGE_SIZE,
    sort: str | None = None,
    skip_entity: bool = False,
) -> Paginator[GetUser]:
    """Yield every matching user, one page at a time (``skip_entity``: see ``search_users``)."""
    return crud.paginate(USER, rsql_filter, batch_size=batch_size, sort=sort, unscoped=skip_entity)


def get_user(ctx: Context, user_id: int) -> Plan[GetUser]:
    """Fetch one user (no password field is ever returned)."""
    return crud.get(USER, user_id)


def create_user(ctx: Context, user: PostUser | Body) -> Plan[int]:
    """Create a user and return its id (``password`` and ``password2`` must match)."""
    return crud.create(USER, write_body(user, PostUser))


def update_user(ctx: Context, user_id: int, user: PatchUser | Body) -> Plan[GetUser]:
    """Update the fields set on ``user`` and return the updated user."""
    return crud.update(USER, user_id, write_body(user, PatchUser))


def delete_user(ctx: Context, user_id: int, force: bool = False) -> Plan[None]:
    """Move a user to the trash, or purge it with ``force=True``."""
    return crud.delete(USER, user_id, force=force)


# -- locations ------------------------------------------------------------------------------------


def search_locations(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    limit: int | None = None,
    start: int | None = None,
    sort: str | None = None,
) -> Plan[list[GetLocation]]:
    """Search locations (``/Dropdowns/Location``) with an RSQL filter."""
    return crud.search(LOCATION, rsql_filter, limit=limit, start=start, sort=sort)


def get_location(ctx: Context, location_id: int) -> Plan[GetLocation]:
    """Fetch one location."""
    return crud.get(LOCATION, location_id)


def create_location(ctx: Context, location: PostLocation | Body) -> Plan[int]:
    """Create a location and return its id."""
    return crud.create(LOCATION, write_body(location, PostLocation))


def update_location(ctx: Context, location_id: int, location: PatchLocation | Body) -> Plan[GetLocation]:
    """Update the fields set on ``location`` and return the updated location."""
    return crud.update(LOCATION, location_id, write_body(location, PatchLocation))


def delete_location(ctx: Context, location_id: int, force: bool = False) -> Plan[None]:
    """Delete a location (locations have no trash: they are always purged)."""
    return crud.delete(LOCATION, location_id, force=force)


# -- entities -------------------------------------------------------------------------------------


def search_entities(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    limit: int | None = None,
    start: int | None = None,
    sort: str | None = None,
) -> Plan[list[GetEntity]]:
    """Search entities with an RSQL filter, e.g. ``name=like="*Paris*"``."""
    return crud.search(ENTITY, rsql_filter, limit=limit, start=start, sort=sort)


def iter_search_entities(
    ctx: Context, rsql_filter: str | None = None, *, batch_size: int = DEFAULT_PAGE_SIZE, sort: str | None = None
) -> Paginator[GetEntity]:
    """Yield every matching entity, one page at a time."""
    return crud.paginate(ENTITY, rsql_filter, batch_size=batch_size, sort=sort)


def get_entity(ctx: Context, entity_id: int) -> Plan[GetEntity]:
    """Fetch one entity (0 is the root entity)."""
    return crud.get(ENTITY, entity_id)


def create_entity(ctx: Context, entity: PostEntity | Body) -> Plan[int]:
    """Create an entity (give ``parent``) and return its id."""
    return crud.create(ENTITY, write_body(entity, PostEntity))


def update_entity(ctx: Context, entity_id: int, entity: PatchEntity | Body) -> Plan[GetEntity]:
    """Update the fields set on ``entity`` and return the updated entity."""
    return crud.update(ENTITY, entity_id, write_body(entity, PatchEntity))


def delete_entity(ctx: Context, entity_id: int, force: bool = False) -> Plan[None]:
    """Delete an entity (entities have no trash: they are always purged)."""
    return crud.delete(ENTITY, entity_id, force=force)


# -- document metadata ----------------------------------------------------------------------------


def search_documents(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    limit: int | None = None,
    start: int | None = None,
    sort: str | None = None,
) -> Plan[list[GetDocument]]:
    """Search document metadata (``/Management/Document``)."""
    return crud.search(DOCUMENT, rsql_filter, limit=limit, start=start, sort=sort)


def get_document(ctx: Context, document_id: int) -> Plan[GetDocument]:
    """Fetch one document's metadata (name, filename, mime, sha1sum...)."""
    return crud.get(DOCUMENT, document_id)


def create_document(ctx: Context, document: PostDocument | Body) -> Plan[int]:
    """Create a document record without a file (the v2 API cannot upload: see ``upload_document``)."""
    return crud.create(DOCUMENT, write_body(document, PostDocument))


def update_document(ctx: Context, document_id: int, document: PatchDocument | Body) -> Plan[GetDocument]:
    """Update the fields set on ``document`` and return the updated metadata."""
    return crud.update(DOCUMENT, document_id, write_body(document, PatchDocument))


def delete_document(ctx: Context, document_id: int, force: bool = False) -> Plan[None]:
    """Move a document to the trash, or purge it with ``force=True``."""
    return crud.delete(DOCUMENT, document_id, force=force)
