"""The public methods for monitoring integrations: incidents keyed by a correlation key."""

from __future__ import annotations

from ._operation import operation
from ._operations import incidents

__all__ = ["IncidentsAPI"]


class IncidentsAPI:
    """Alerts as tickets: ``open_incident`` (create, or follow up a repeat) and ``resolve_incident``."""

    open_incident = operation(incidents.open_incident)
    resolve_incident = operation(incidents.resolve_incident)
