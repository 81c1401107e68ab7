"""Shared test fixtures and paths."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPENAPI_DOCS = ROOT / "openapi"
OLDER_OPENAPI_DOCS = OPENAPI_DOCS / "older"
CASSETTES = ROOT / "cassettes"
sys.path.insert(0, str(ROOT / "scripts"))

import pytest  # noqa: E402


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    """Runs a test once per client."""
    return str(request.param)


@pytest.fixture
def fields_plugin() -> None:
    """When recording against a live GLPI, skip the Fields scenarios (with the reason) if it cannot run them.

    They need the v1 settings, the Fields plugin, and a Ticket container ``aidelarsolution`` with a field
    ``aidelarsolutionfield`` (what the reference recordings were made with). Replays always run.
    """
    from glpi_harness import RECORDING, settings

    if not RECORDING:
        return
    from glpi_python_client import ConfigurationError, GlpiClient, PluginFieldsError

    try:
        with GlpiClient(**settings()) as client:
            names = {c.name for c in client.list_plugin_fields_containers(itemtype="Ticket")}
    except ConfigurationError as exc:
        pytest.skip(f"Fields scenarios not recorded: {exc}")
    except PluginFieldsError as exc:
        pytest.skip(f"Fields scenarios not recorded: the live GLPI has no Fields plugin ({exc})")
    if "aidelarsolution" not in names:
        pytest.skip(
            "Fields scenarios not recorded: create a Ticket container 'Aide à la résolution' (name"
            f" aidelarsolution) with a rich-text field 'aidelarsolutionfield' first (found {sorted(names)})"
        )


# --- the repository stands on its own --------------------------------------------------------------
# A file the suite opens beside the checkout (../shared, say), rather than in it, in the interpreter's
# prefix or anywhere else, fails the session.

_OUTSIDE_READS: list[str] = []
_ALLOWED_ROOTS = tuple({str(ROOT), sys.prefix, sys.base_prefix, sys.exec_prefix})


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not args or not isinstance(args[0], str | Path):
        return
    path = str(args[0])
    if not path.startswith("/") or path.startswith(("/dev/", "/proc/", "/sys/", "/etc/", "/usr/")):
        return
    if not path.startswith(_ALLOWED_ROOTS) and path.startswith(str(ROOT.parent)):
        _OUTSIDE_READS.append(path)


sys.addaudithook(_audit)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _OUTSIDE_READS:
        print(f"\nfiles outside the repository were opened: {sorted(set(_OUTSIDE_READS))}", file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
