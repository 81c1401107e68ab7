"""The reporting helpers of both clients: ticket and task statistics, task durations, user activity."""

from __future__ import annotations

from ._operation import operation
from ._operations import reporting

__all__ = ["ReportingAPI"]


class ReportingAPI:
    """Statistics aggregated client-side from tickets and their tasks; every result is a plain dict."""

    get_ticket_statistics = operation(reporting.get_ticket_statistics)
    get_task_statistics = operation(reporting.get_task_statistics)
    get_task_durations = operation(reporting.get_task_durations)
    get_user_activity = operation(reporting.get_user_activity)
