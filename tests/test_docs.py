"""The documentation runs: the user guide page's code blocks in order on the simulator; the site's includes resolve."""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

import docs_hooks
import pytest
from conftest import ROOT
from glpi_harness import REPLAY_SETTINGS
from glpi_sim import GlpiSim

from glpi_python_client import GlpiClient

PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.M | re.S)


def test_user_guide_page_runs_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``python`` block of docs/user-guide.md, run in one namespace; ``from_env`` reaches the simulator."""
    sim = GlpiSim()

    def from_env(cls: type[GlpiClient], **overrides: Any) -> GlpiClient:
        return cls(**{**REPLAY_SETTINGS, **overrides}, transport=sim.transport())

    monkeypatch.setattr(GlpiClient, "from_env", classmethod(from_env))
    blocks = PYTHON_BLOCK.findall((ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8"))
    assert len(blocks) == 9  # the seed, binding its ids, Examples 1-7
    namespace: dict[str, Any] = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, "docs/user-guide.md", "exec"), namespace)
    printed = out.getvalue()
    ticket_id = namespace["ticket_id"]
    assert re.search(r"^# Ticket #\d+ — Printer offline\n> Status: New", printed, re.M)  # Example 1
    assert f"# Ticket #{ticket_id} — Wi-Fi unreachable\n> Status: Solved" in printed  # Example 4
    assert "- diagnostic.txt" in printed  # Example 5
    assert "VPN drops 1\n" in printed  # Example 6
    assert "'tickets': {'entities': {'0': {'total': " in printed  # Example 7
    assert sim.items["Ticket"][ticket_id]["status"]["id"] == 5
    namespace["client"].close()


def test_every_readme_include_of_the_site_exists() -> None:
    includes = []
    for page in (ROOT / "docs").rglob("*.md"):
        includes += re.findall(r"^\[\[readme: (#+) (.+?)\]\]$", page.read_text(encoding="utf-8"), re.M)
    assert len(includes) >= 10
    for level, title in includes:
        assert docs_hooks.readme_section(level, title).strip(), title
    with pytest.raises(docs_hooks.DocsError, match="no section"):
        docs_hooks.readme_section("##", "A section nobody wrote")


def test_readme_sections_skip_headings_in_code() -> None:
    text = "## A\nfirst\n```bash\n# not a heading\n```\n### A.1\nsub\n## B\nother\n"
    assert docs_hooks.readme_section("##", "A", text) == "first\n```bash\n# not a heading\n```\n### A.1\nsub\n"


def test_operations_page_lists_every_generated_operation() -> None:
    page = docs_hooks.operations_markdown()
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    assert len(rows) == 1233
    assert "| `get_assistance_ticket_by_id` | `GET /Assistance/Ticket/{id}` |" in page
    assert "## assistance" in page and "## administration" in page


def test_methods_page_lists_every_declared_method() -> None:
    from glpi_python_client._api import GlpiAPI
    from glpi_python_client._operation import declarations

    page = docs_hooks.methods_markdown()
    names = [name for _, name, _ in declarations(GlpiAPI)]
    for name in names:
        assert f"[`{name}`](glpi-client.md#glpi_python_client.GlpiClient.{name})" in page, name
    assert page.startswith(f"# Methods by area\n\n{len(names)} methods.")
    assert "## Tickets\n" in page
