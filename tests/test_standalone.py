"""The repository stands on its own: what the tests, the demo and regeneration read lives in the checkout."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import conftest
from conftest import CASSETTES, OPENAPI_DOCS, ROOT


def test_harness_paths_resolve_inside_the_repository() -> None:
    import glpi_harness
    import regenerate

    for path in (glpi_harness.OWN, regenerate.DEFAULT_SOURCE, OPENAPI_DOCS, CASSETTES):
        assert path.resolve().is_relative_to(ROOT), path
    assert regenerate.DEFAULT_SOURCE.is_file()


def test_default_source_is_the_document_the_lock_pins() -> None:
    import regenerate

    lock = json.loads((ROOT / "openapi" / "generated.lock").read_text())
    assert hashlib.sha256(regenerate.DEFAULT_SOURCE.read_bytes()).hexdigest() == lock["source_sha256"]
    assert lock["source_name"] == regenerate.DEFAULT_SOURCE.name


def test_every_cassette_a_test_names_is_in_the_repository() -> None:
    """Each ``scenario=``/``cassette(...)`` name used by the tests has its file in ``cassettes/``."""
    import re

    names: set[str] = set()
    for source in Path(__file__).parent.glob("test_*.py"):
        text = source.read_text()
        names |= set(re.findall(r"""scenario\s*=\s*["']([a-z0-9_]+)["']""", text))
        names |= set(re.findall(r"""cassette\(\s*["']([a-z0-9_]+)["']""", text))
    assert names, "no scenario names found: the pattern above is out of date"
    missing = sorted(n for n in names if not (CASSETTES / f"{n}.yaml").is_file())
    assert not missing


def test_outside_reads_are_detected(tmp_path: Path) -> None:
    """The session guard sees a read beside the checkout (and ignores reads inside it)."""
    before = len(conftest._OUTSIDE_READS)
    conftest._audit("open", (str(ROOT / "README.md"),))
    assert len(conftest._OUTSIDE_READS) == before
    conftest._audit("open", (str(ROOT.parent / "shared" / "x.json"),))
    assert conftest._OUTSIDE_READS[before:] == [str(ROOT.parent / "shared" / "x.json")]
    del conftest._OUTSIDE_READS[before:]


def test_demo_runs_from_the_repository_alone() -> None:
    """Without GLPI_* variables the demo tells Example 6 on one simulated ticket, then a quarter's report."""
    import re

    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo.py")], capture_output=True, text=True, env={})
    assert out.returncode == 0, out.stderr
    assert "shared" not in out.stdout
    lines = out.stdout.splitlines()
    story = [line for line in lines if line.startswith("[simulated] ticket #")]
    assert len({re.match(r"\[simulated\] ticket #(\d+)", line).group(1) for line in story}) == 1  # type: ignore[union-attr]
    steps = ["created: status 'New'", "followup #", "task #", "(assigned); status 'Processing (assigned)'",
             "status 'Solved'", "VPN drops 1"]  # fmt: skip
    found = [next(i for i, line in enumerate(story) if step in line) for step in steps]
    assert found == sorted(found), story
    transcript = out.stdout[out.stdout.index("# Ticket #") : out.stdout.index("[simulated] deleted")]
    for part in ("## Timeline", "Reproduced on the lab laptop.", "Capture VPN logs", "Upgraded the VPN client."):
        assert part in transcript
    report = out.stdout[out.stdout.index("[simulated] report 2026-01-01 .. 2026-03-31") :]
    assert "entity 0: 60 tickets" in report and "'5': 15" in report and "MAJOR" in report
