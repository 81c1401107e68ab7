"""The document-driven core of the public simulator (``glpi_python_client.testing``), for the project's tests."""

from glpi_python_client.testing._collections import *  # noqa: F403
