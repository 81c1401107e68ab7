"""The examples in the methods' docstrings run as written (doctest, on the simulator), and the main calls have one."""

from __future__ import annotations

import doctest
import inspect
from typing import Any

import pytest
from glpi_harness import REPLAY_SETTINGS
from glpi_sim import GlpiSim

import glpi_python_client
from glpi_python_client import GlpiClient
from glpi_python_client._api import GlpiAPI
from glpi_python_client._operation import declarations

#: The calls a newcomer reaches for first: each shows a short example in ``help()`` and on the docs site.
MAIN_CALLS = [
    "search_tickets",
    "get_ticket",
    "create_ticket",
    "update_ticket",
    "list_ticket_followups",
    "create_ticket_followup",
    "create_ticket_task",
    "create_ticket_solution",
    "add_ticket_team_member",
    "remove_ticket_team_member",
    "get_ticket_context",
    "upload_document",
    "download_document_content",
]
#: The methods whose docstrings follow the reference layout (Args / Returns or Yields / Raises).
REFERENCE_LAYOUT = [
    *MAIN_CALLS,
    "iter_search_tickets",
    "delete_ticket",
    "get_ticket_followup",
    "update_ticket_followup",
    "delete_ticket_followup",
    "list_ticket_tasks",
    "get_ticket_task",
    "list_ticket_solutions",
    "list_ticket_timeline_documents",
    "list_ticket_team_members",
    "search_users",
    "get_user",
    "create_user",
    "update_user",
    "search_entities",
    "get_entity",
    "search_locations",
    "create_location",
    "get_document",
    "download_document_to",
    "link_ticket_timeline_document",
    "list_plugin_fields_containers",
    "get_ticket_custom_fields",
    "set_ticket_custom_fields",
]
WITH_EXAMPLES = [name for _, name, decl in declarations(GlpiAPI) if ">>>" in (decl.target.__doc__ or "")]


def _docstring(name: str) -> str:
    return inspect.getdoc(getattr(GlpiClient, name)) or ""


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_example_runs(name: str) -> None:
    """Each example runs on a fresh simulator with ``client`` bound to a ``GlpiClient`` on it."""
    client = GlpiClient(**REPLAY_SETTINGS, transport=GlpiSim().transport())
    globs: dict[str, Any] = {n: getattr(glpi_python_client, n) for n in glpi_python_client.__all__}
    globs["client"] = client
    test = doctest.DocTestParser().get_doctest(_docstring(name), globs, f"GlpiClient.{name}", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runner.run(test, out=report.append)
    client.close()
    assert test.examples and runner.failures == 0, "".join(report)


def test_main_calls_show_an_example() -> None:
    assert [name for name in MAIN_CALLS if name not in WITH_EXAMPLES] == []


@pytest.mark.parametrize("name", REFERENCE_LAYOUT)
def test_docstring_has_the_reference_sections(name: str) -> None:
    doc = _docstring(name)
    signature = inspect.signature(getattr(GlpiClient, name))
    if len(signature.parameters) > 1:
        assert "\nArgs:\n" in doc, name
        for param in list(signature.parameters)[1:]:
            assert f"\n    {param}: " in doc, f"{name}: argument {param} is not described"
    if signature.return_annotation not in (None, "None"):
        assert "\nReturns:\n" in doc or "\nYields:\n" in doc, name
    assert "\nRaises:\n" in doc, name
