"""Tickets, users, locations, entities and document metadata: the search/get/create/update/delete verbs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .._arguments import check_text
from .._constants import DEFAULT_PAGE_SIZE
from .._errors import InvalidArgumentError
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
from ._common import endpoint, parse_item, send
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
    """Search tickets with an RSQL filter.

    Trashed tickets are included (check ``is_deleted``), as GLPI returns them.

    Args:
        rsql_filter: An RSQL filter, e.g. ``status==1;priority=ge=4``; None lists everything. Object-valued
            properties are compared by id (``status==1`` is sent as ``status.id==1``).
        limit: At most this many items (GLPI's default page is 100).
        start: Skip this many items first (with ``limit``, one page of a longer list).
        sort: ``field[:asc|desc]``, comma-separated, e.g. ``date_mod:desc``.
        fields: Ask for these properties only (sent as ``fields=a,b``, as the peer glpi-python-client does;
            GLPI 11.0.6's v2.2 document does not declare it, and a server that ignores it answers whole tickets).

    Returns:
        The matching tickets, as ``GetTicket`` (one page: see ``iter_search_*`` for all of them).

    Raises:
        BadRequestError: GLPI refused the filter or the sort (an unknown property, a malformed expression).
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).

    Example:
        >>> client.create_ticket(PostTicket(name="Printer offline", content="3rd floor"))
        120
        >>> [ticket.name for ticket in client.search_tickets('name=like="Printer*"', limit=10)]
        ['Printer offline']
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
    """Yield every matching ticket, one page (a list) at a time, until GLPI says the end is reached.

    Pages are fetched one after the other as you iterate (``async for`` on ``AsyncGlpiClient``), so a
    long result is never held whole in memory.

    Args:
        rsql_filter: An RSQL filter, as for ``search_tickets``; None walks everything.
        batch_size: Items per request (GLPI's page size).
        sort: ``field[:asc|desc]``, comma-separated.
        fields: Ask for these properties only (sent as ``fields=a,b``, as the peer glpi-python-client does;
            GLPI 11.0.6's v2.2 document does not declare it, and a server that ignores it answers whole tickets).

    Yields:
        Lists of ``GetTicket``; an empty result yields nothing.

    Raises:
        BadRequestError: GLPI refused the filter or the sort.
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).
    """
    return crud.paginate(TICKET, rsql_filter, batch_size=batch_size, sort=sort, params=_fields(fields))


def get_ticket(ctx: Context, ticket_id: int) -> Plan[GetTicket]:
    """Fetch one ticket by id (trashed tickets too: check ``is_deleted``).

    Args:
        ticket_id: The ticket's id.

    Returns:
        The ticket, as ``GetTicket``.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
        InvalidArgumentError: ``ticket_id`` is not an int id (nothing is sent).

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Printer offline", content="3rd floor"))
        >>> client.get_ticket(ticket_id).status.name
        'New'
    """
    return crud.get(TICKET, ticket_id)


def create_ticket(ctx: Context, ticket: PostTicket | Body) -> Plan[int]:
    """Create a ticket and return its id.

    Args:
        ticket: A ``PostTicket``, or a mapping validated as one. Only the fields you set are sent.

    Returns:
        The new ticket's id.

    Raises:
        InvalidArgumentError: ``ticket`` sets no field (GLPI would create an empty record), or does not validate.
        APIError: The request failed. A create is never retried: when ``may_have_been_applied`` is True the
            ticket may exist, so look for it before creating it again.

    Example:
        >>> client.create_ticket(PostTicket(name="Printer offline", content="The 3rd floor printer is unreachable."))
        120
        >>> client.create_ticket({"name": "VPN drops", "content": "Daily at 11:00", "urgency": 4})
        121
    """
    return crud.create(TICKET, write_body(ticket, PostTicket))


def update_ticket(ctx: Context, ticket_id: int, ticket: PatchTicket | Body) -> Plan[GetTicket]:
    """Update the fields set on ``ticket`` (the others are left alone) and return the updated ticket.

    Args:
        ticket_id: The ticket's id.
        ticket: A ``PatchTicket``, or a mapping validated as one. Only the fields you set are sent, so a
            PATCH never blanks a field you did not name.

    Returns:
        The ticket as GLPI holds it after the update, as ``GetTicket``.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
        InvalidArgumentError: ``ticket`` sets no field, or does not validate.

    Example:
        >>> ticket_id = client.create_ticket(PostTicket(name="Printer offline", content="3rd floor"))
        >>> client.update_ticket(ticket_id, PatchTicket(name="Printer offline (floor 3)")).name
        'Printer offline (floor 3)'
    """
    return crud.update(TICKET, ticket_id, write_body(ticket, PatchTicket))


def delete_ticket(ctx: Context, ticket_id: int, force: bool = False) -> Plan[None]:
    """Move a ticket to the trash, or purge it for good with ``force=True``.

    Args:
        ticket_id: The ticket's id.
        force: Purge the ticket instead of moving it to the trash.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
    """
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
    """Search users with an RSQL filter.

    Args:
        rsql_filter: An RSQL filter, e.g. ``username==alice.dupont``; None lists everything. Object-valued
            properties are compared by id (``status==1`` is sent as ``status.id==1``).
        limit: At most this many items (GLPI's default page is 100).
        start: Skip this many items first (with ``limit``, one page of a longer list).
        sort: ``field[:asc|desc]``, comma-separated, e.g. ``date_mod:desc``.
        skip_entity: Search without the client's GLPI-Entity, GLPI-Profile and GLPI-Entity-Recursive headers,
            so the search spans every entity the account can see rather than the configured one.

    Returns:
        The matching users, as ``GetUser`` (one page: see ``iter_search_*`` for all of them).

    Raises:
        BadRequestError: GLPI refused the filter or the sort (an unknown property, a malformed expression).
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).
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
    """Yield every matching user, one page (a list) at a time, until GLPI says the end is reached.

    Pages are fetched one after the other as you iterate (``async for`` on ``AsyncGlpiClient``), so a
    long result is never held whole in memory.

    Args:
        rsql_filter: An RSQL filter, as for ``search_users``; None walks everything.
        batch_size: Items per request (GLPI's page size).
        sort: ``field[:asc|desc]``, comma-separated.
        skip_entity: Search without the client's GLPI-Entity, GLPI-Profile and GLPI-Entity-Recursive headers,
            so the search spans every entity the account can see rather than the configured one.

    Yields:
        Lists of ``GetUser``; an empty result yields nothing.

    Raises:
        BadRequestError: GLPI refused the filter or the sort.
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).
    """
    return crud.paginate(USER, rsql_filter, batch_size=batch_size, sort=sort, unscoped=skip_entity)


def get_user(ctx: Context, user_id: int) -> Plan[GetUser]:
    """Fetch one user by id (GLPI never returns a password field).

    Args:
        user_id: The user's id.

    Returns:
        The user, as ``GetUser``.

    Raises:
        NotFoundError: No user has this id, or the account cannot see it.
        InvalidArgumentError: ``user_id`` is not an int id (nothing is sent).
    """
    return crud.get(USER, user_id)


def get_user_by_username(ctx: Context, username: str) -> Plan[GetUser]:
    """Fetch one user by login (``GET /Administration/User/username/{username}``), in one request.

    The login is matched exactly, as GLPI stores it, and sent percent-encoded (a space, ``+`` or ``@`` is safe;
    a ``/`` goes as ``%2F``, which many web servers in front of GLPI refuse: search with ``username==`` then).
    The way for an HR or directory sync to find an account without a search.

    Args:
        username: The user's login (``name`` in GLPI's database).

    Returns:
        The user, as ``GetUser``.

    Raises:
        NotFoundError: No user has this login, or the account cannot see it.
        InvalidArgumentError: ``username`` is not a non-empty str, or is ``.`` or ``..`` (nothing is sent).
    """
    name = check_text(username, "username", optional=False) or ""
    if not name.strip():
        raise InvalidArgumentError("username must be a non-empty login")
    if name in (".", ".."):  # a dot segment: the URL would resolve to another route (/Administration/User)
        raise InvalidArgumentError(f"username {name!r} cannot be read by login: search with username=={name}")
    kwargs = endpoint("administration.get_administration_user_username_by_username").request_kwargs(name)
    response: httpx.Response = yield send(kwargs)
    return parse_item(GetUser, response)


def create_user(ctx: Context, user: PostUser | Body) -> Plan[int]:
    """Create a user and return its id.

    ``password`` and ``password2`` must match.

    Args:
        user: A ``PostUser``, or a mapping validated as one. Only the fields you set are sent.

    Returns:
        The new user's id.

    Raises:
        InvalidArgumentError: ``user`` sets no field (GLPI would create an empty record), or does not validate.
        APIError: The request failed. A create is never retried: when ``may_have_been_applied`` is True the
            user may exist, so look for it before creating it again.
    """
    return crud.create(USER, write_body(user, PostUser))


def update_user(ctx: Context, user_id: int, user: PatchUser | Body) -> Plan[GetUser]:
    """Update the fields set on ``user`` (the others are left alone) and return the updated user.

    Args:
        user_id: The user's id.
        user: A ``PatchUser``, or a mapping validated as one. Only the fields you set are sent, so a
            PATCH never blanks a field you did not name.

    Returns:
        The user as GLPI holds it after the update, as ``GetUser``.

    Raises:
        NotFoundError: No user has this id, or the account cannot see it.
        InvalidArgumentError: ``user`` sets no field, or does not validate.
    """
    return crud.update(USER, user_id, write_body(user, PatchUser))


def delete_user(ctx: Context, user_id: int, force: bool = False) -> Plan[None]:
    """Move a user to the trash, or purge it for good with ``force=True``.

    Args:
        user_id: The user's id.
        force: Purge the user instead of moving it to the trash.

    Raises:
        NotFoundError: No user has this id, or the account cannot see it.
    """
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
    """Search locations with an RSQL filter.

    Args:
        rsql_filter: An RSQL filter, e.g. ``name=like="*Paris*"``; None lists everything. Object-valued
            properties are compared by id (``status==1`` is sent as ``status.id==1``).
        limit: At most this many items (GLPI's default page is 100).
        start: Skip this many items first (with ``limit``, one page of a longer list).
        sort: ``field[:asc|desc]``, comma-separated, e.g. ``date_mod:desc``.

    Returns:
        The matching locations, as ``GetLocation`` (one page: see ``iter_search_*`` for all of them).

    Raises:
        BadRequestError: GLPI refused the filter or the sort (an unknown property, a malformed expression).
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).
    """
    return crud.search(LOCATION, rsql_filter, limit=limit, start=start, sort=sort)


def get_location(ctx: Context, location_id: int) -> Plan[GetLocation]:
    """Fetch one location by id.

    Args:
        location_id: The location's id.

    Returns:
        The location, as ``GetLocation``.

    Raises:
        NotFoundError: No location has this id, or the account cannot see it.
        InvalidArgumentError: ``location_id`` is not an int id (nothing is sent).
    """
    return crud.get(LOCATION, location_id)


def create_location(ctx: Context, location: PostLocation | Body) -> Plan[int]:
    """Create a location and return its id.

    Args:
        location: A ``PostLocation``, or a mapping validated as one. Only the fields you set are sent.

    Returns:
        The new location's id.

    Raises:
        InvalidArgumentError: ``location`` sets no field (GLPI would create an empty record), or does not validate.
        APIError: The request failed. A create is never retried: when ``may_have_been_applied`` is True the
            location may exist, so look for it before creating it again.
    """
    return crud.create(LOCATION, write_body(location, PostLocation))


def update_location(ctx: Context, location_id: int, location: PatchLocation | Body) -> Plan[GetLocation]:
    """Update the fields set on ``location`` (the others are left alone) and return the updated location.

    Args:
        location_id: The location's id.
        location: A ``PatchLocation``, or a mapping validated as one. Only the fields you set are sent, so a
            PATCH never blanks a field you did not name.

    Returns:
        The location as GLPI holds it after the update, as ``GetLocation``.

    Raises:
        NotFoundError: No location has this id, or the account cannot see it.
        InvalidArgumentError: ``location`` sets no field, or does not validate.
    """
    return crud.update(LOCATION, location_id, write_body(location, PatchLocation))


def delete_location(ctx: Context, location_id: int, force: bool = False) -> Plan[None]:
    """Delete a location (locations have no trash in GLPI: they are always purged).

    Args:
        location_id: The location's id.
        force: Accepted for symmetry with the other deletes; it changes nothing here.

    Raises:
        NotFoundError: No location has this id, or the account cannot see it.
    """
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
    """Search entities with an RSQL filter.

    Args:
        rsql_filter: An RSQL filter, e.g. ``name=like="*Paris*"``; None lists everything. Object-valued
            properties are compared by id (``status==1`` is sent as ``status.id==1``).
        limit: At most this many items (GLPI's default page is 100).
        start: Skip this many items first (with ``limit``, one page of a longer list).
        sort: ``field[:asc|desc]``, comma-separated, e.g. ``date_mod:desc``.

    Returns:
        The matching entities, as ``GetEntity`` (one page: see ``iter_search_*`` for all of them).

    Raises:
        BadRequestError: GLPI refused the filter or the sort (an unknown property, a malformed expression).
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).
    """
    return crud.search(ENTITY, rsql_filter, limit=limit, start=start, sort=sort)


def iter_search_entities(
    ctx: Context, rsql_filter: str | None = None, *, batch_size: int = DEFAULT_PAGE_SIZE, sort: str | None = None
) -> Paginator[GetEntity]:
    """Yield every matching entitie, one page (a list) at a time, until GLPI says the end is reached.

    Pages are fetched one after the other as you iterate (``async for`` on ``AsyncGlpiClient``), so a
    long result is never held whole in memory.

    Args:
        rsql_filter: An RSQL filter, as for ``search_entities``; None walks everything.
        batch_size: Items per request (GLPI's page size).
        sort: ``field[:asc|desc]``, comma-separated.

    Yields:
        Lists of ``GetEntity``; an empty result yields nothing.

    Raises:
        BadRequestError: GLPI refused the filter or the sort.
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).
    """
    return crud.paginate(ENTITY, rsql_filter, batch_size=batch_size, sort=sort)


def get_entity(ctx: Context, entity_id: int) -> Plan[GetEntity]:
    """Fetch one entity by id (0 is the root entity).

    Args:
        entity_id: The entity's id.

    Returns:
        The entity, as ``GetEntity``.

    Raises:
        NotFoundError: No entity has this id, or the account cannot see it.
        InvalidArgumentError: ``entity_id`` is not an int id (nothing is sent).
    """
    return crud.get(ENTITY, entity_id)


def create_entity(ctx: Context, entity: PostEntity | Body) -> Plan[int]:
    """Create a entity and return its id.

    Give its ``parent`` entity.

    Args:
        entity: A ``PostEntity``, or a mapping validated as one. Only the fields you set are sent.

    Returns:
        The new entity's id.

    Raises:
        InvalidArgumentError: ``entity`` sets no field (GLPI would create an empty record), or does not validate.
        APIError: The request failed. A create is never retried: when ``may_have_been_applied`` is True the
            entity may exist, so look for it before creating it again.
    """
    return crud.create(ENTITY, write_body(entity, PostEntity))


def update_entity(ctx: Context, entity_id: int, entity: PatchEntity | Body) -> Plan[GetEntity]:
    """Update the fields set on ``entity`` (the others are left alone) and return the updated entity.

    Args:
        entity_id: The entity's id.
        entity: A ``PatchEntity``, or a mapping validated as one. Only the fields you set are sent, so a
            PATCH never blanks a field you did not name.

    Returns:
        The entity as GLPI holds it after the update, as ``GetEntity``.

    Raises:
        NotFoundError: No entity has this id, or the account cannot see it.
        InvalidArgumentError: ``entity`` sets no field, or does not validate.
    """
    return crud.update(ENTITY, entity_id, write_body(entity, PatchEntity))


def delete_entity(ctx: Context, entity_id: int, force: bool = False) -> Plan[None]:
    """Delete a entity (entities have no trash in GLPI: they are always purged).

    Args:
        entity_id: The entity's id.
        force: Accepted for symmetry with the other deletes; it changes nothing here.

    Raises:
        NotFoundError: No entity has this id, or the account cannot see it.
    """
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
    """Search documents with an RSQL filter.

    This searches document metadata (``/Management/Document``); ``download_document_content`` reads a file.

    Args:
        rsql_filter: An RSQL filter, e.g. ``mime=="application/pdf"``; None lists everything. Object-valued
            properties are compared by id (``status==1`` is sent as ``status.id==1``).
        limit: At most this many items (GLPI's default page is 100).
        start: Skip this many items first (with ``limit``, one page of a longer list).
        sort: ``field[:asc|desc]``, comma-separated, e.g. ``date_mod:desc``.

    Returns:
        The matching documents, as ``GetDocument`` (one page: see ``iter_search_*`` for all of them).

    Raises:
        BadRequestError: GLPI refused the filter or the sort (an unknown property, a malformed expression).
        InvalidArgumentError: An argument has the wrong type or range (nothing is sent).
    """
    return crud.search(DOCUMENT, rsql_filter, limit=limit, start=start, sort=sort)


def get_document(ctx: Context, document_id: int) -> Plan[GetDocument]:
    """Fetch one document's metadata by id (name, filename, mime, sha1sum...).

    Args:
        document_id: The document's id.

    Returns:
        The document, as ``GetDocument``.

    Raises:
        NotFoundError: No document has this id, or the account cannot see it.
        InvalidArgumentError: ``document_id`` is not an int id (nothing is sent).
    """
    return crud.get(DOCUMENT, document_id)


def create_document(ctx: Context, document: PostDocument | Body) -> Plan[int]:
    """Create a document record and return its id.

    The record has no file: the v2 API cannot upload one (``upload_document`` does, through v1).

    Args:
        document: A ``PostDocument``, or a mapping validated as one. Only the fields you set are sent.

    Returns:
        The new document record's id.

    Raises:
        InvalidArgumentError: ``document`` sets no field (GLPI would create an empty record), or does not validate.
        APIError: The request failed. A create is never retried: when ``may_have_been_applied`` is True the
            document record may exist, so look for it before creating it again.
    """
    return crud.create(DOCUMENT, write_body(document, PostDocument))


def update_document(ctx: Context, document_id: int, document: PatchDocument | Body) -> Plan[GetDocument]:
    """Update the fields set on ``document`` (the others are left alone) and return the updated document.

    Args:
        document_id: The document's id.
        document: A ``PatchDocument``, or a mapping validated as one. Only the fields you set are sent, so a
            PATCH never blanks a field you did not name.

    Returns:
        The document as GLPI holds it after the update, as ``GetDocument``.

    Raises:
        NotFoundError: No document has this id, or the account cannot see it.
        InvalidArgumentError: ``document`` sets no field, or does not validate.
    """
    return crud.update(DOCUMENT, document_id, write_body(document, PatchDocument))


def delete_document(ctx: Context, document_id: int, force: bool = False) -> Plan[None]:
    """Move a document to the trash, or purge it for good with ``force=True``.

    Args:
        document_id: The document's id.
        force: Purge the document instead of moving it to the trash.

    Raises:
        NotFoundError: No document has this id, or the account cannot see it.
    """
    return crud.delete(DOCUMENT, document_id, force=force)
