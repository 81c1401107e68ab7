"""pytest fixtures for tests of code built on glpi_python_client (registered as the ``glpi_python_client`` plugin).

- ``glpi_sim``: a fresh :class:`~glpi_python_client.testing.GlpiSimulator` per test;
- ``glpi_client``: a :class:`~glpi_python_client.GlpiClient` on it, closed after the test;
- ``async_glpi_client``: an :class:`~glpi_python_client.AsyncGlpiClient` on it, closed after the test (use it in
  an ``async`` test with your async plugin, or drive it with ``asyncio.run``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from glpi_python_client import AsyncGlpiClient, GlpiClient
    from glpi_python_client.testing import GlpiSimulator

__all__ = ["async_glpi_client", "glpi_client", "glpi_sim"]


@pytest.fixture
def glpi_sim() -> GlpiSimulator:
    """A fresh in-memory GLPI: seed it, inject faults, inspect ``requests``/``created``."""
    from glpi_python_client.testing import GlpiSimulator

    return GlpiSimulator()


@pytest.fixture
def glpi_client(glpi_sim: GlpiSimulator) -> Iterator[GlpiClient]:
    """A ``GlpiClient`` talking to ``glpi_sim``."""
    with glpi_sim.sync_client() as client:
        yield client


@pytest.fixture
def async_glpi_client(glpi_sim: GlpiSimulator) -> Iterator[AsyncGlpiClient]:
    """An ``AsyncGlpiClient`` talking to ``glpi_sim``; closed after the test if the test did not close it."""
    client = glpi_sim.async_client()
    yield client
    asyncio.run(client.close())
