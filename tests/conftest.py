"""Shared test fixtures and paths."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OPENAPI_DOCS = SHARED / "openapi"
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
