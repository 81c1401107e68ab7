"""The project's tests use the public simulator (``glpi_python_client.testing``); these names are its internals."""

from glpi_python_client.testing._simulator import *  # noqa: F403
from glpi_python_client.testing._simulator import GlpiSimulator as GlpiSim

__all__ = ["GlpiSim"]
