"""glpi_python_client: the Python SDK for GLPI 11's High-Level REST API (v2)."""

__all__: list[str] = []
