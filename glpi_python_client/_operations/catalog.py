"""The itemtypes behind the peer-compatible named methods (computers, contracts, knowledge base).

The named methods themselves (``get_computer``, ``list_contract_costs``...) are declared as a table in
``scripts/entry_points.py`` and generated into ``glpi_python_client/_generated/entry_points.py``; they
all run on :mod:`.crud`. This module holds the resources they name, and the few methods whose behaviour
is more than one CRUD call (they are written here once, for both clients).

Three routes of the peer ``glpi-python-client`` 0.6.5 are not declared by GLPI 11.0.6's v2.2 document:
``/Dropdowns/ContractType``, ``/Management/Contract/{id}/Cost`` and ``/Assets/Computer/{id}/Contract``.
They are sent as the peer sends them (:class:`UndeclaredResource`); a server without them answers 404
(:class:`~glpi_python_client.NotFoundError`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from .._arguments import check_flag, check_id, check_int, check_text, shown
from .._errors import InvalidArgumentError
from .._models import (
    FollowupDocuments,
    GetComputer,
    GetContract,
    GetContractCost,
    GetContractItem,
    GetContractType,
    GetDocumentItem,
    GetKBArticle,
    GetKBArticleComment,
    GetKBArticleRevision,
    GetKBCategory,
    GetUser,
    GlpiModel,
    PatchContractItem,
    PatchKBArticle,
    PostContractItem,
    PostKBArticle,
)
from .._plan import Gather, Plan
from . import crud
from .crud import PathResource, Resource, write_body
from .resources import USER
from .timeline import list_ticket_followups
from .v1 import v1_list, v1_request

if TYPE_CHECKING:
    from .._client import Context

__all__ = [
    "COMPUTER",
    "COMPUTER_CONTRACT",
    "CONTRACT",
    "CONTRACT_COST",
    "CONTRACT_TYPE",
    "KB_ARTICLE",
    "KB_CATEGORY",
    "KB_COMMENT",
    "KB_REVISION",
    "KB_REVISION_IN",
    "UndeclaredResource",
    "create_kb_article",
    "find_user_by_email",
    "get_kb_article_revision",
    "link_computer_contract",
    "list_item_documents",
    "list_kb_article_revisions",
    "list_ticket_followup_documents",
    "set_kb_article_categories",
    "update_computer_contract",
    "update_kb_article",
]

Body = Mapping[str, Any]

G = TypeVar("G", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class UndeclaredResource(PathResource[G]):
    """A collection the v2.2 document does not declare, addressed by its path (``{}`` marks a parent id)."""


COMPUTER = Resource("Computer", GetComputer, "assets", "assets_computer")
CONTRACT = Resource("Contract", GetContract, "management", "management_contract")
KB_ARTICLE = Resource("KBArticle", GetKBArticle, "knowledgebase", "knowledgebase_article", item_suffix="_by_article_id")
KB_CATEGORY = Resource("KBCategory", GetKBCategory, "knowledgebase", "knowledgebase_category")
#: under(article_id)
KB_COMMENT = Resource(
    "KBArticleComment", GetKBArticleComment, "knowledgebase", "knowledgebase_article_by_article_id_comment"
)
#: under(article_id)
KB_REVISION = Resource(
    "KBArticleRevision",
    GetKBArticleRevision,
    "knowledgebase",
    "knowledgebase_article_by_article_id_revision",
    item_suffix="_by_revision",
)
#: under(article_id, language)
KB_REVISION_IN = Resource(
    "KBArticleRevision",
    GetKBArticleRevision,
    "knowledgebase",
    "knowledgebase_article_by_article_id_by_language_revision",
    item_suffix="_by_revision",
)
CONTRACT_TYPE: UndeclaredResource[GetContractType] = UndeclaredResource(
    "ContractType", GetContractType, "dropdowns", "", path="Dropdowns/ContractType"
)
#: under(contract_id)
CONTRACT_COST: UndeclaredResource[GetContractCost] = UndeclaredResource(
    "ContractCost", GetContractCost, "management", "", path="Management/Contract/{}/Cost"
)
#: under(computer_id)
COMPUTER_CONTRACT: UndeclaredResource[GetContractItem] = UndeclaredResource(
    "Contract_Item", GetContractItem, "assets", "", path="Assets/Computer/{}/Contract"
)


# -- computer <-> contract links ------------------------------------------------------------------


def _contract_link(computer_id: int, link: BaseModel | Body, cls: type[GlpiModel]) -> dict[str, Any]:
    """The link body, naming this computer whatever ``link`` says (a free-text itemtype is a mis-link waiting)."""
    if not isinstance(link, BaseModel | Mapping):
        raise InvalidArgumentError(f"expected a {cls.__name__} or a mapping, got {type(link).__name__}")
    model = link if isinstance(link, GlpiModel) else cls.model_validate(link if isinstance(link, Mapping) else {})
    return {**model.to_payload(), "itemtype": "Computer", "items_id": computer_id}


def link_computer_contract(ctx: Context, computer_id: int, link: PostContractItem | Body) -> Plan[int]:
    """Link a contract to a computer (``POST /Assets/Computer/{id}/Contract``) and return the link id.

    ``link`` names the ``contract``; ``itemtype`` and ``items_id`` are set to this computer, whatever it says.
    ``/Assets/Computer/{id}/Contract`` is not declared by GLPI 11.0.6's v2.2 document (the peer
    glpi-python-client 0.6.5 sends it): a server without it answers 404 (NotFoundError).

    Args:
        computer_id: The computer's id.
        link: A ``PostContractItem`` (or a mapping validated as one) naming the ``contract``.

    Returns:
        The new link's id.

    Raises:
        NotFoundError: No such computer, or the server does not have this route.
        WriteValidationError: The mapping has a field ``PostContractItem`` does not declare (nothing is sent).
        APIError: The request failed; check ``may_have_been_applied`` before linking again.
    """
    return crud.create(COMPUTER_CONTRACT.under(computer_id), _contract_link(computer_id, link, PostContractItem))


def update_computer_contract(
    ctx: Context, computer_id: int, link_id: int, link: PatchContractItem | Body
) -> Plan[GetContractItem]:
    """Update a computer-contract link and return it (``PATCH /Assets/Computer/{id}/Contract/{link_id}``).

    ``itemtype`` and ``items_id`` are set to this computer, whatever ``link`` says. The route is not declared by
    GLPI 11.0.6's v2.2 document: a server without it answers 404 (NotFoundError).

    Args:
        computer_id: The computer's id.
        link_id: The link's id.
        link: A ``PatchContractItem``, or a mapping validated as one.

    Returns:
        The link after the update, as ``GetContractItem``.

    Raises:
        NotFoundError: No such computer or link, or the server does not have this route.
        WriteValidationError: The mapping has a field ``PatchContractItem`` does not declare (nothing is sent).
    """
    body = _contract_link(computer_id, link, PatchContractItem)
    return crud.update(COMPUTER_CONTRACT.under(computer_id), link_id, body)


# -- knowledge base articles: categories go through the legacy v1 API -----------------------------


def _category_ids(categories: Iterable[Any]) -> list[int]:
    if isinstance(categories, str | bytes) or not isinstance(categories, Iterable):
        raise InvalidArgumentError(f"category_ids must be a list of int ids (got {shown(categories)})")
    return [check_id(category, "a KB category id") for category in categories]


def set_kb_article_categories(ctx: Context, article_id: int, category_ids: Iterable[int]) -> Plan[None]:
    """Replace the categories of an article with ``category_ids`` (an empty list clears them).

    The v2 API reads an article's categories but ignores writes to them, so this uses the legacy v1 API
    (``PUT KnowbaseItem/{id}`` with ``_categories``): it needs ``v1_base_url`` and ``v1_user_token``.
    Unknown category ids are not checked by GLPI (they are simply not linked).

    Args:
        article_id: The article's id.
        category_ids: The KB category ids the article keeps (int ids).

    Raises:
        InvalidArgumentError: ``category_ids`` is not a list of int ids (nothing is sent).
        ConfigurationError: ``v1_base_url`` or ``v1_user_token`` is not set (nothing is sent).
        V1Error: The legacy v1 API answered an error.
    """
    ids = _category_ids(category_ids)
    yield from v1_request(ctx, "PUT", f"KnowbaseItem/{article_id}", json={"input": {"_categories": ids}})


def _split_categories(
    article: PostKBArticle | PatchKBArticle | Body, cls: type[BaseModel]
) -> tuple[dict[str, Any], list[int] | None]:
    body = write_body(article, cls)
    categories = body.pop("categories", None)
    return body, None if categories is None else _category_ids(categories)


def create_kb_article(ctx: Context, article: PostKBArticle | Body) -> Plan[int]:
    """Create a knowledge base article and return its id (``POST /Knowledgebase/Article``).

    Non-empty ``categories`` are then set through :func:`set_kb_article_categories` (legacy v1 API: the v2
    API ignores them). If that fails the article stays created: the error says which id it has.

    Args:
        article: A ``PostKBArticle``, or a mapping validated as one (``categories``: int ids).

    Returns:
        The new article's id.

    Raises:
        WriteValidationError: The mapping has a field ``PostKBArticle`` does not declare (nothing is sent).
        APIError: The request failed; check ``may_have_been_applied`` before creating it again.
        ConfigurationError: ``v1_base_url`` or ``v1_user_token`` is not set (nothing is sent).
        V1Error: The legacy v1 API answered an error. (only with ``categories``; the article exists)
    """
    body, categories = _split_categories(article, PostKBArticle)
    article_id = yield from crud.create(KB_ARTICLE, body)
    if categories:
        try:
            yield from set_kb_article_categories(ctx, article_id, categories)
        except Exception as exc:
            exc.add_note(f"KB article {article_id} was created; only setting its categories failed")
            raise
    return article_id


def update_kb_article(ctx: Context, article_id: int, article: PatchKBArticle | Body) -> Plan[GetKBArticle]:
    """Update the fields set on ``article`` and return the article (``PATCH /Knowledgebase/Article/{id}``).

    ``categories`` (an empty list clears them) are set through :func:`set_kb_article_categories` (legacy v1
    API), after the other fields; the article is read again so the result shows them.

    Args:
        article_id: The article's id.
        article: A ``PatchKBArticle``, or a mapping validated as one.

    Returns:
        The article after the update, as ``GetKBArticle``.

    Raises:
        NotFoundError: No article has this id, or the account cannot see it.
        WriteValidationError: The mapping has a field ``PatchKBArticle`` does not declare (nothing is sent).
        ConfigurationError: ``v1_base_url`` or ``v1_user_token`` is not set (nothing is sent).
        V1Error: The legacy v1 API answered an error. (only with ``categories``)
    """
    body, categories = _split_categories(article, PatchKBArticle)
    updated: GetKBArticle | None = None
    if body:
        updated = yield from crud.update(KB_ARTICLE, article_id, body)
    if categories is not None:
        yield from set_kb_article_categories(ctx, article_id, categories)
        updated = None
    if updated is None:
        updated = yield from crud.get(KB_ARTICLE, article_id)
    return updated


# -- knowledge base revisions (read-only) ---------------------------------------------------------

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(_[A-Za-z0-9]{2,4})?$")


def _revisions(article_id: int, language: str | None) -> Resource[GetKBArticleRevision]:
    if language is None:
        return KB_REVISION.under(article_id)
    if not _LANGUAGE.fullmatch(language):
        raise InvalidArgumentError(f"language must be a GLPI language code such as 'fr_FR' (got {shown(language)})")
    return KB_REVISION_IN.under(article_id, language)


def list_kb_article_revisions(
    ctx: Context, article_id: int, *, language: str | None = None
) -> Plan[list[GetKBArticleRevision]]:
    """The past revisions of an article; ``language`` (``"fr_FR"``) lists those of that translation.

    ``GET /Knowledgebase/Article/{id}/Revision`` or ``.../{id}/{language}/Revision``; revisions are read-only.

    Args:
        article_id: The article's id.
        language: A GLPI language code (``"fr_FR"``); None for the article's own revisions.

    Returns:
        The revisions, as ``GetKBArticleRevision``.

    Raises:
        NotFoundError: No article has this id, or the account cannot see it.
        InvalidArgumentError: ``language`` is not a language code (nothing is sent).
    """
    return crud.search(_revisions(article_id, language), None, limit=None, start=None, sort=None)


def get_kb_article_revision(
    ctx: Context, article_id: int, revision: int, *, language: str | None = None
) -> Plan[GetKBArticleRevision]:
    """One past revision of an article (of its ``language`` translation when given), by revision number.

    Args:
        article_id: The article's id.
        revision: The revision number.
        language: A GLPI language code (``"fr_FR"``); None for the article's own revisions.

    Returns:
        The revision, as ``GetKBArticleRevision``.

    Raises:
        NotFoundError: No such article or revision, or the account cannot see it.
        InvalidArgumentError: ``language`` is not a language code (nothing is sent).
    """
    return crud.get(_revisions(article_id, language), revision)


# -- users by e-mail ------------------------------------------------------------------------------


def find_user_by_email(
    ctx: Context, email: str, *, rsql_filter: str | None = None, batch_size: int = 100, skip_entity: bool = True
) -> Plan[GetUser | None]:
    """The first user holding ``email`` (compared trimmed and case-insensitively), or None.

    This scans: GLPI keeps addresses in ``User.emails``, a nested list its filters cannot search, so users are
    read ``batch_size`` at a time (narrow them with ``rsql_filter``, e.g. ``is_active==true``) until one matches.
    ``skip_entity=True`` (the default) scans without the client's entity headers, across every entity the
    account can see: a user of another entity is otherwise invisible. Cache the id rather than calling it often.

    Args:
        email: The address to look for.
        rsql_filter: An RSQL filter narrowing the users scanned.
        batch_size: How many users each request reads.
        skip_entity: Scan every entity the account can see (True) or the client's entity only.

    Returns:
        The first matching user, as ``GetUser``, or None.

    Raises:
        InvalidArgumentError: ``email`` is empty or ``batch_size`` is out of range (nothing is sent).
    """
    needle = (check_text(email, "email", optional=False) or "").strip().casefold()
    if not needle:
        raise InvalidArgumentError("find_user_by_email needs a non-empty address")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    skip_entity = check_flag(skip_entity, "skip_entity")
    start: int | None = 0
    while start is not None:
        page = yield from crud.search_page(
            USER, rsql_filter, start=start, limit=batch_size, sort=None, unscoped=skip_entity
        )
        for user in page.items:
            if any((entry.email or "").strip().casefold() == needle for entry in user.emails):
                return user
        start = page.next_start
    return None


# -- an item's documents (legacy v1: the v2 API lists them only on a ticket's timeline) ------------

_ITEMTYPE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_FOLLOWUP = "ITILFollowup"


def list_item_documents(ctx: Context, itemtype: str, items_id: int) -> Plan[list[GetDocumentItem]]:
    """The document links (Document_Item rows) of any item, e.g. ``("ITILFollowup", 12)``: every page.

    The v2 API has no such route, so this uses the legacy v1 API (``GET {itemtype}/{id}/Document_Item``;
    needs ``v1_base_url`` and ``v1_user_token``). It returns links: ``documents_id`` names each document
    (``get_document`` reads it). An image pasted into a followup is linked to the followup, not the ticket.

    Args:
        itemtype: A GLPI itemtype name (``"Computer"``, ``"ITILFollowup"``).
        items_id: The item's id.

    Returns:
        The links, as ``GetDocumentItem``.

    Raises:
        InvalidArgumentError: ``itemtype`` or ``items_id`` is not valid (nothing is sent).
        ConfigurationError: ``v1_base_url`` or ``v1_user_token`` is not set (nothing is sent).
        V1Error: The legacy v1 API answered an error.
    """
    if not isinstance(itemtype, str) or not _ITEMTYPE.fullmatch(itemtype):
        raise InvalidArgumentError(
            f"itemtype must be a GLPI itemtype name such as 'ITILFollowup' (got {shown(itemtype)})"
        )
    items_id = check_id(items_id, "items_id")
    rows = yield from v1_list(ctx, f"{itemtype}/{items_id}/Document_Item")
    return [GetDocumentItem.model_validate(row) for row in rows]


def list_ticket_followup_documents(
    ctx: Context, ticket_id: int, *, include_private: bool = False
) -> Plan[list[FollowupDocuments]]:
    """Each followup of a ticket with the documents linked to it, by ascending followup id.

    ``list_ticket_timeline_documents`` misses what GLPI links to a followup (an image pasted into it); this
    reads them. Private followups (and those whose ``is_private`` is unknown) are left out unless
    ``include_private``. One legacy v1 request per followup kept (needs the v1 settings), run concurrently.

    Args:
        ticket_id: The ticket's id.
        include_private: Keep private followups too.

    Returns:
        One ``FollowupDocuments`` (the followup and its links) per followup kept.

    Raises:
        NotFoundError: No ticket has this id, or the account cannot see it.
        ConfigurationError: ``v1_base_url`` or ``v1_user_token`` is not set (nothing is sent).
        V1Error: The legacy v1 API answered an error.
    """
    followups = yield from list_ticket_followups(ctx, ticket_id)
    kept = sorted(
        (f for f in followups if f.id is not None and (include_private or f.is_private is False)),
        key=lambda f: f.id or 0,
    )
    links: list[list[GetDocumentItem]] = yield Gather(
        [list_item_documents(ctx, _FOLLOWUP, f.id or 0) for f in kept], limit=ctx.concurrency
    )
    return [
        FollowupDocuments(
            followup=followup,
            documents=[row for row in rows if row.itemtype in (None, _FOLLOWUP) and row.items_id == followup.id],
        )
        for followup, rows in zip(kept, links, strict=True)
    ]
