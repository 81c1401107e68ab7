"""GLPI numeric constants as :class:`enum.IntEnum` classes.

The values are the ones GLPI stores and returns (``CommonITILObject``, ``CommonITILTask``,
``CommonITILValidation``, ``Auth``...). Every enum has a :attr:`label` property with the
English label the GLPI UI shows.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import Any

__all__ = [
    "GlpiContractRenewalType",
    "GlpiEnum",
    "GlpiGlobalValidation",
    "GlpiPriority",
    "GlpiSolutionStatus",
    "GlpiTaskState",
    "GlpiTicketStatus",
    "GlpiTicketType",
    "GlpiTimelinePosition",
    "GlpiUserAuthType",
    "enum_name",
]


class _LabelledIntEnum(IntEnum):
    """IntEnum whose members expose a human ``label`` from the module ``_LABELS`` table."""

    @property
    def label(self) -> str:
        """The human label of this member (the member name, title-cased, when none is defined)."""
        return _LABELS.get(type(self), {}).get(int(self), self.name.replace("_", " ").capitalize())

    @property
    def glpi_id(self) -> int:
        """The number GLPI stores for this member (as the peer glpi-python-client names it)."""
        return int(self)

    def rsql_equals(self, field: str) -> str:
        """An RSQL equality on ``field`` for this member: ``GlpiTicketStatus.NEW.rsql_equals("status.id")``."""
        return f"{field}=={int(self)}"


#: The base of every enum here (the peer glpi-python-client's name for it).
GlpiEnum = _LabelledIntEnum


class GlpiTicketStatus(_LabelledIntEnum):
    """Ticket (CommonITILObject) status; the server returns it as ``status: {id, name}``."""

    NEW = 1
    ASSIGNED = 2
    PLANNED = 3
    WAITING = 4
    SOLVED = 5
    CLOSED = 6
    APPROVAL = 10
    PROCESSING_ASSIGNED = 2
    PROCESSING_PLANNED = 3
    PENDING = 4


class GlpiTicketType(_LabelledIntEnum):
    """Ticket type."""

    INCIDENT = 1
    REQUEST = 2


class GlpiPriority(_LabelledIntEnum):
    """Ticket priority (1..6; 6 = Major). Also used for urgency and impact (1..5)."""

    VERY_LOW = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    VERY_HIGH = 5
    MAJOR = 6


class GlpiTaskState(_LabelledIntEnum):
    """Task (CommonITILTask) state."""

    INFORMATION = 0
    TODO = 1
    DONE = 2


class GlpiSolutionStatus(_LabelledIntEnum):
    """Solution approval status (CommonITILValidation constants)."""

    NONE = 1
    WAITING = 2
    ACCEPTED = 3
    REFUSED = 4


class GlpiTimelinePosition(_LabelledIntEnum):
    """Position of a timeline item (followup, task, document link)."""

    NO_TIMELINE = -1
    NOT_SET = 0
    LEFT = 1
    MID_LEFT = 2
    MID_RIGHT = 3
    RIGHT = 4


class GlpiUserAuthType(_LabelledIntEnum):
    """How a user authenticates (GLPI ``Auth`` constants)."""

    NOT_YET_AUTHENTICATED = 0
    DB_GLPI = 1
    MAIL = 2
    LDAP = 3
    EXTERNAL = 4
    CAS = 5
    X509 = 6
    API = 7
    COOKIE = 8


class GlpiGlobalValidation(_LabelledIntEnum):
    """Ticket global validation (approval) status (CommonITILValidation constants)."""

    NONE = 1
    WAITING = 2
    ACCEPTED = 3
    REFUSED = 4


class GlpiContractRenewalType(_LabelledIntEnum):
    """How a contract renews (``Contract.renewal_type``): not at all, tacitly, or explicitly."""

    NONE = 0
    TACIT = 1
    EXPLICIT = 2


_LABELS: dict[type[Enum], dict[int, str]] = {
    GlpiTicketStatus: {
        1: "New",
        2: "Processing (assigned)",
        3: "Processing (planned)",
        4: "Pending",
        5: "Solved",
        6: "Closed",
        10: "Approval",
    },
    GlpiTicketType: {1: "Incident", 2: "Request"},
    GlpiPriority: {
        1: "Very low",
        2: "Low",
        3: "Medium",
        4: "High",
        5: "Very high",
        6: "Major",
    },
    GlpiTaskState: {0: "Information", 1: "Todo", 2: "Done"},
    GlpiSolutionStatus: {
        1: "None",
        2: "Waiting for approval",
        3: "Approved",
        4: "Refused",
    },
    GlpiTimelinePosition: {
        -1: "No timeline",
        0: "Not set",
        1: "Left",
        2: "Middle left",
        3: "Middle right",
        4: "Right",
    },
    GlpiUserAuthType: {
        0: "Not yet authenticated",
        1: "GLPI internal database",
        2: "Mail server",
        3: "LDAP directory",
        4: "External",
        5: "CAS",
        6: "x509 certificate",
        7: "API",
        8: "Cookie",
    },
    GlpiGlobalValidation: {
        1: "Not subject to approval",
        2: "Waiting for approval",
        3: "Granted",
        4: "Refused",
    },
}


def enum_name(enum_cls: type[Enum], value: Any) -> str:
    """Return the member name of ``value`` in ``enum_cls``.

    ``"unknown"`` for ``None``; ``str(value)`` when the value is not a member (GLPI accepts values
    outside its documented ranges). An ``{id, name}`` object or a dict with ``id`` is reduced to its id.
    """
    if value is None:
        return "unknown"
    raw = value
    if isinstance(raw, dict):
        raw = raw.get("id")
    elif not isinstance(raw, Enum | int | str) and hasattr(raw, "id"):
        raw = raw.id
    if raw is None:
        return "unknown"
    try:
        return enum_cls(raw).name
    except (ValueError, TypeError):
        try:
            return enum_cls(int(raw)).name
        except (ValueError, TypeError):
            return str(raw)
