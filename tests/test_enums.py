"""Tests of the GLPI IntEnums."""

from __future__ import annotations

import pytest

from glpi_python_client._enums import (
    GlpiGlobalValidation,
    GlpiPriority,
    GlpiSolutionStatus,
    GlpiTaskState,
    GlpiTicketStatus,
    GlpiTicketType,
    GlpiTimelinePosition,
    GlpiUserAuthType,
    enum_name,
)


def test_ticket_status_values_and_labels() -> None:
    assert [int(s) for s in GlpiTicketStatus] == [1, 2, 3, 4, 5, 6, 10]
    assert GlpiTicketStatus.PROCESSING_ASSIGNED is GlpiTicketStatus.ASSIGNED
    assert GlpiTicketStatus.PENDING is GlpiTicketStatus.WAITING
    assert [s.label for s in GlpiTicketStatus] == [
        "New",
        "Processing (assigned)",
        "Processing (planned)",
        "Pending",
        "Solved",
        "Closed",
        "Approval",
    ]


def test_other_values() -> None:
    assert (GlpiTicketType.INCIDENT, GlpiTicketType.REQUEST) == (1, 2)
    assert [int(p) for p in GlpiPriority] == [1, 2, 3, 4, 5, 6]
    assert [int(s) for s in GlpiTaskState] == [0, 1, 2]
    assert [int(s) for s in GlpiSolutionStatus] == [1, 2, 3, 4]
    assert [int(s) for s in GlpiGlobalValidation] == [1, 2, 3, 4]
    assert [int(p) for p in GlpiTimelinePosition] == [-1, 0, 1, 2, 3, 4]
    assert [int(a) for a in GlpiUserAuthType] == list(range(9))
    assert GlpiUserAuthType.DB_GLPI == 1
    assert GlpiUserAuthType.COOKIE == 8


@pytest.mark.parametrize(
    ("member", "label"),
    [
        (GlpiTicketType.INCIDENT, "Incident"),
        (GlpiTicketType.REQUEST, "Request"),
        (GlpiPriority.VERY_LOW, "Very low"),
        (GlpiPriority.VERY_HIGH, "Very high"),
        (GlpiPriority.MAJOR, "Major"),
        (GlpiTaskState.INFORMATION, "Information"),
        (GlpiTaskState.TODO, "Todo"),
        (GlpiTaskState.DONE, "Done"),
        (GlpiSolutionStatus.NONE, "None"),
        (GlpiSolutionStatus.WAITING, "Waiting for approval"),
        (GlpiSolutionStatus.ACCEPTED, "Approved"),
        (GlpiSolutionStatus.REFUSED, "Refused"),
    ],
)
def test_labels(member: GlpiPriority, label: str) -> None:
    assert member.label == label


def test_every_member_has_a_label() -> None:
    for enum_cls in (GlpiTimelinePosition, GlpiUserAuthType, GlpiGlobalValidation):
        for member in enum_cls:
            assert member.label


def test_enum_name() -> None:
    assert enum_name(GlpiTicketStatus, 5) == "SOLVED"
    assert enum_name(GlpiTicketStatus, GlpiTicketStatus.CLOSED) == "CLOSED"
    assert enum_name(GlpiTicketStatus, {"id": 1, "name": "New"}) == "NEW"
    assert enum_name(GlpiTicketStatus, "2") == "ASSIGNED"
    assert enum_name(GlpiPriority, 99) == "99"
    assert enum_name(GlpiPriority, "bogus") == "bogus"
    assert enum_name(GlpiPriority, None) == "unknown"


def test_int_enum_in_filters() -> None:
    assert f"status.id=={int(GlpiTicketStatus.SOLVED)}" == "status.id==5"
