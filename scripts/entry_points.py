"""Generate the peer-compatible named methods (``get_computer``, ``list_contract_costs``...) from a table.

Usage::

    python scripts/entry_points.py            # write glpi_python_client/_generated/entry_points.py
    python scripts/entry_points.py --check    # fail when the committed file is not what the table gives

The peer ``glpi-python-client`` 0.6.5 names one method per itemtype and verb. Here each is one row of
:data:`METHODS` (method name -> verb and group), each group one entry of :data:`GROUPS` (the resource in
``glpi_python_client/_operations/catalog.py``, its models, the names of its parameters). The output is
one plain function per row, with its full signature, return type and docstring, whose body hands over
to the shared CRUD plans (``_operations/crud.py``), and the mixin declaring them on both clients. Rows
of verb ``custom`` name a plan written by hand in ``catalog.py`` (behaviour beyond one CRUD call).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GROUPS", "METHODS", "render"]

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "glpi_python_client" / "_generated" / "entry_points.py"


@dataclass(frozen=True)
class Group:
    """One itemtype (or sub-collection) as the named methods see it."""

    resource: str  # constant in _operations/catalog.py (or resources.py for DOCUMENT, LOCATION)
    get: str
    post: str | None
    patch: str | None
    id: str  # name of the item id parameter
    body: str  # name of the body parameter
    what: str  # "computer", for docstrings
    route: str  # the route, for docstrings
    parent: str | None = None  # name of the parent id parameter of a sub-collection
    query: tuple[str, ...] = ()  # extra query parameters (keyword-only, str | None)
    undeclared: bool = False  # not in GLPI 11.0.6's v2.2 document


GROUPS: dict[str, Group] = {
    "computer": Group("COMPUTER", "GetComputer", "PostComputer", "PatchComputer", "computer_id", "computer",
                      "computer", "/Assets/Computer"),
    "contract": Group("CONTRACT", "GetContract", "PostContract", "PatchContract", "contract_id", "contract",
                      "contract", "/Management/Contract"),
    "contract_type": Group("CONTRACT_TYPE", "GetContractType", "PostContractType", "PatchContractType",
                           "contract_type_id", "contract_type", "contract type", "/Dropdowns/ContractType",
                           undeclared=True),
    "contract_cost": Group("CONTRACT_COST", "GetContractCost", "PostContractCost", "PatchContractCost", "cost_id",
                           "cost", "contract cost line", "/Management/Contract/{id}/Cost", parent="contract_id",
                           undeclared=True),
    "computer_contract": Group("COMPUTER_CONTRACT", "GetContractItem", None, None, "link_id", "link",
                               "computer-contract link", "/Assets/Computer/{id}/Contract", parent="computer_id",
                               undeclared=True),
    "kb_article": Group("KB_ARTICLE", "GetKBArticle", "PostKBArticle", "PatchKBArticle", "article_id", "article",
                        "knowledge base article", "/Knowledgebase/Article", query=("language",)),
    "kb_category": Group("KB_CATEGORY", "GetKBCategory", "PostKBCategory", "PatchKBCategory", "category_id",
                         "category", "knowledge base category", "/Knowledgebase/Category", query=("language",)),
    "kb_article_comment": Group("KB_COMMENT", "GetKBArticleComment", "PostKBArticleComment", "PatchKBArticleComment",
                                "comment_id", "comment", "article comment",
                                "/Knowledgebase/Article/{article_id}/Comment", parent="article_id"),
    "document": Group("DOCUMENT", "GetDocument", None, None, "document_id", "document", "document",
                      "/Management/Document"),
    "location": Group("LOCATION", "GetLocation", None, None, "location_id", "location", "location",
                      "/Dropdowns/Location"),
}  # fmt: skip

#: method name -> (verb, group); verb "custom" names a hand-written plan of catalog.py ("custom_pages": pages)
METHODS: dict[str, tuple[str, str]] = {
    "search_computers": ("search", "computer"),
    "iter_search_computers": ("iter", "computer"),
    "get_computer": ("get", "computer"),
    "create_computer": ("create", "computer"),
    "update_computer": ("update", "computer"),
    "delete_computer": ("delete", "computer"),
    "list_computer_contracts": ("list", "computer_contract"),
    "get_computer_contract": ("get", "computer_contract"),
    "link_computer_contract": ("custom", "computer_contract"),
    "update_computer_contract": ("custom", "computer_contract"),
    "unlink_computer_contract": ("delete", "computer_contract"),
    "search_contracts": ("search", "contract"),
    "iter_search_contracts": ("iter", "contract"),
    "get_contract": ("get", "contract"),
    "create_contract": ("create", "contract"),
    "update_contract": ("update", "contract"),
    "delete_contract": ("delete", "contract"),
    "list_contract_costs": ("list", "contract_cost"),
    "get_contract_cost": ("get", "contract_cost"),
    "create_contract_cost": ("create", "contract_cost"),
    "update_contract_cost": ("update", "contract_cost"),
    "delete_contract_cost": ("delete", "contract_cost"),
    "search_contract_types": ("search", "contract_type"),
    "iter_search_contract_types": ("iter", "contract_type"),
    "get_contract_type": ("get", "contract_type"),
    "create_contract_type": ("create", "contract_type"),
    "update_contract_type": ("update", "contract_type"),
    "delete_contract_type": ("delete", "contract_type"),
    "search_kb_articles": ("search", "kb_article"),
    "iter_search_kb_articles": ("iter", "kb_article"),
    "get_kb_article": ("get", "kb_article"),
    "create_kb_article": ("custom", "kb_article"),
    "update_kb_article": ("custom", "kb_article"),
    "delete_kb_article": ("delete", "kb_article"),
    "set_kb_article_categories": ("custom", "kb_article"),
    "list_kb_article_comments": ("list", "kb_article_comment"),
    "get_kb_article_comment": ("get", "kb_article_comment"),
    "create_kb_article_comment": ("create", "kb_article_comment"),
    "update_kb_article_comment": ("update", "kb_article_comment"),
    "delete_kb_article_comment": ("delete", "kb_article_comment"),
    "list_kb_article_revisions": ("custom", "kb_article"),
    "get_kb_article_revision": ("custom", "kb_article"),
    "search_kb_categories": ("search", "kb_category"),
    "iter_search_kb_categories": ("iter", "kb_category"),
    "get_kb_category": ("get", "kb_category"),
    "create_kb_category": ("create", "kb_category"),
    "update_kb_category": ("update", "kb_category"),
    "delete_kb_category": ("delete", "kb_category"),
    "iter_search_documents": ("iter", "document"),
    "iter_search_locations": ("iter", "location"),
    "list_item_documents": ("custom", "document"),
    "list_ticket_followup_documents": ("custom", "document"),
    "find_user_by_email": ("custom", "user"),
}

HEADER = '''# Generated by scripts/entry_points.py from its table: DO NOT EDIT.
# Rebuild with `make regenerate` (or `python scripts/entry_points.py`); change the table there.
"""The peer-compatible named methods: one line each over the shared CRUD plans (see scripts/entry_points.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._constants import DEFAULT_PAGE_SIZE
from .._models import {models}
from .._operation import operation, paginated
from .._pages import Paginator
from .._plan import Plan
from .._operations import catalog, crud
from .._operations.catalog import {resources}
from .._operations.resources import DOCUMENT, LOCATION

if TYPE_CHECKING:
    from .._state import Context

__all__ = ["EntryPointsAPI"]

Body = Mapping[str, Any]
'''


def _note(group: Group) -> str:
    if group.undeclared:
        return (
            f"\n\n    ``{group.route}`` is not declared by GLPI 11.0.6's v2.2 document (the peer"
            "\n    glpi-python-client 0.6.5 sends it): a server without it answers 404 (NotFoundError)."
        )
    return ""


def _query_params(group: Group) -> tuple[str, str]:
    """(signature fragment, call fragment) of the group's extra query parameters."""
    if not group.query:
        return "", ""
    sig = "".join(f", {name}: str | None = None" for name in group.query)
    call = ", params={" + ", ".join(f'"{name}": {name}' for name in group.query) + "}"
    return sig, call


def _function(name: str, verb: str, g: Group) -> str:
    res = f"{g.resource}.under({g.parent})" if g.parent else g.resource
    parent = f"{g.parent}: int, " if g.parent else ""
    what, route, note = g.what, g.route, _note(g)
    a_what = ("an " if what[0] in "aeiou" else "a ") + what
    qsig, qcall = _query_params(g)
    qdoc = "".join(f"\n        {q}: The ``{q}`` query parameter GLPI filters on (None: not sent)." for q in g.query)
    pdoc = f"\n        {g.parent}: The parent's id." if g.parent else ""
    undeclared = "\n        NotFoundError: The server does not have this route." if g.undeclared else ""
    if verb == "search":
        return f'''
def {name}(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    limit: int | None = None,
    start: int | None = None,
    sort: str | None = None{qsig},
) -> Plan[list[{g.get}]]:
    """Search {what}s with an RSQL filter (``GET {route}``), one page.

    An object property is matched on its id (``status==2`` is sent as ``status.id==2``).{note}

    Args:
        rsql_filter: An RSQL filter (``name=like=*printer*;is_deleted==0``); None for every {what}.
        limit: Page size (GLPI's default page is 100).
        start: Offset of the page's first {what}.
        sort: ``field[:asc|desc],...``.{qdoc}

    Returns:
        The page's {what}s, as ``{g.get}`` (an empty list when none matches).

    Raises:
        BadRequestError: GLPI refused the filter or the sort.
        InvalidArgumentError: ``limit`` or ``start`` is out of range (nothing is sent).{undeclared}
    """
    return crud.search({res}, rsql_filter, limit=limit, start=start, sort=sort{qcall})
'''
    if verb == "iter":
        return f'''
def {name}(
    ctx: Context,
    rsql_filter: str | None = None,
    *,
    batch_size: int = DEFAULT_PAGE_SIZE,
    sort: str | None = None{qsig},
) -> Paginator[{g.get}]:
    """Yield every matching {what} (``GET {route}``), one page (list) at a time.

    Pages are read until Content-Range says the last one was reached (after the first page, the rest
    ``concurrency`` at a time, in order, each {what} once).{note}

    Args:
        rsql_filter: An RSQL filter; None for every {what}.
        batch_size: How many {what}s each request asks for.
        sort: ``field[:asc|desc],...``.{qdoc}

    Returns:
        An iterator of pages (lists of ``{g.get}``); iterate it with ``for`` (``async for`` on
        ``AsyncGlpiClient``).

    Raises:
        BadRequestError: GLPI refused the filter or the sort.
        InvalidArgumentError: ``batch_size`` is out of range (nothing is sent).{undeclared}
    """
    return crud.paginate({res}, rsql_filter, batch_size=batch_size, sort=sort{qcall})
'''
    if verb == "list":
        return f'''
def {name}(
    ctx: Context, {g.parent}: int, *, limit: int | None = None, start: int | None = None
) -> Plan[list[{g.get}]]:
    """The {what}s (``GET {route}``), one page.{note}

    Args:
        {g.parent}: The parent's id.
        limit: Page size (GLPI's default page is 100).
        start: Offset of the page's first {what}.

    Returns:
        The page's {what}s, as ``{g.get}``.

    Raises:
        NotFoundError: No parent has this id, or the account cannot see it.
        InvalidArgumentError: An id, ``limit`` or ``start`` is not valid (nothing is sent).
    """
    return crud.search({res}, None, limit=limit, start=start, sort=None)
'''
    if verb == "get":
        return f'''
def {name}(ctx: Context, {parent}{g.id}: int) -> Plan[{g.get}]:
    """Fetch one {what} (``{route}/{{id}}``).{note}

    Args:{pdoc}
        {g.id}: The {what}'s id.

    Returns:
        The {what}, as ``{g.get}``.

    Raises:
        NotFoundError: No {what} has this id, or the account cannot see it.
        InvalidArgumentError: An id is not an int id (nothing is sent).
    """
    return crud.get({res}, {g.id})
'''
    if verb == "create":
        return f'''
def {name}(ctx: Context, {parent}{g.body}: {g.post} | Body) -> Plan[int]:
    """Create {a_what} and return its id (``POST {route}``).

    Never retried automatically (see ``APIError.may_have_been_applied``).{note}

    Args:{pdoc}
        {g.body}: A ``{g.post}``, or a mapping validated as one. Only the fields you set are sent.

    Returns:
        The new {what}'s id.

    Raises:
        WriteValidationError: The mapping has a field ``{g.post}`` does not declare (nothing is sent).
        BadRequestError: GLPI refused a field's value.
        APIError: The request failed; check ``may_have_been_applied`` before creating it again.
    """
    return crud.create({res}, crud.write_body({g.body}, {g.post}))
'''
    if verb == "update":
        return f'''
def {name}(ctx: Context, {parent}{g.id}: int, {g.body}: {g.patch} | Body) -> Plan[{g.get}]:
    """Update the fields set on ``{g.body}`` and return the updated {what}.

    ``PATCH {route}/{{id}}``: the fields left unset are not sent.{note}

    Args:{pdoc}
        {g.id}: The {what}'s id.
        {g.body}: A ``{g.patch}``, or a mapping validated as one.

    Returns:
        The {what} as GLPI holds it after the update, as ``{g.get}``.

    Raises:
        NotFoundError: No {what} has this id, or the account cannot see it.
        WriteValidationError: The mapping has a field ``{g.patch}`` does not declare (nothing is sent).
        InvalidArgumentError: An id is not an int id (nothing is sent).
    """
    return crud.update({res}, {g.id}, crud.write_body({g.body}, {g.patch}))
'''
    if verb == "delete":
        return f'''
def {name}(ctx: Context, {parent}{g.id}: int, *, force: bool | None = None) -> Plan[None]:
    """Delete a {what} (``DELETE {route}/{{id}}``).{note}

    Args:{pdoc}
        {g.id}: The {what}'s id.
        force: True purges it instead of moving it to the trash (where the itemtype has one).

    Raises:
        NotFoundError: No {what} has this id, or the account cannot see it.
        InvalidArgumentError: An id is not an int id (nothing is sent).
    """
    return crud.delete({res}, {g.id}, force=force or False)
'''
    raise ValueError(f"{name}: unknown verb {verb!r}")


def render() -> str:
    """The generated module, before formatting."""
    used = [GROUPS[group] for verb, group in METHODS.values() if not verb.startswith("custom")]
    models = sorted({m for g in used for m in (g.get, g.post, g.patch) if m})
    resources = sorted({g.resource for g in used} - {"DOCUMENT", "LOCATION"})
    parts = [HEADER.replace("{models}", ", ".join(models)).replace("{resources}", ", ".join(resources))]
    for name, (verb, group) in METHODS.items():
        if not verb.startswith("custom"):
            parts.append(_function(name, verb, GROUPS[group]))
    parts.append(
        '\n\nclass EntryPointsAPI:\n    """Computers, contracts and their costs and types, the knowledge base;'
        ' peer-compatible names."""\n\n'
    )
    for name, (verb, _group) in METHODS.items():
        plan = f"catalog.{name}" if verb.startswith("custom") else name
        kind = "paginated" if verb in ("iter", "custom_pages") else "operation"
        parts.append(f"    {name} = {kind}({plan})\n")
    return "".join(parts)


def formatted(source: str) -> str:
    """``source`` tidied by the pinned ruff (imports sorted, formatted), as the committed file is."""
    cmd = [sys.executable, "-m", "ruff"]
    fixed = subprocess.run(
        [*cmd, "check", "--fix", "--quiet", "--select", "I,F401", "--stdin-filename", str(OUTPUT), "-"],
        input=source, capture_output=True, text=True, check=False, cwd=ROOT,
    ).stdout  # fmt: skip
    done = subprocess.run(
        [*cmd, "format", "--stdin-filename", str(OUTPUT), "-"],
        input=fixed, capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail when the committed module is stale")
    args = parser.parse_args(argv)
    text = formatted(render())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is stale: run `python scripts/entry_points.py`", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(METHODS)} methods)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
