"""The simulator's RSQL evaluator (``glpi_python_client.testing``), for the project's tests."""

from glpi_python_client.testing._rsql import *  # noqa: F403
