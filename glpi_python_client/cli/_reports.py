"""``glpi report tickets|tasks|activity``: the facade's reporting helpers, with progress, tables and bar charts.

While the helpers fetch every page of tickets and then each ticket's task list, :class:`FetchCounter` watches the
responses go by (through the command line's transport) and drives a progress bar on stderr, only on a terminal.
Then the result is drawn as tables and bar charts, or printed as the helper's JSON with ``--format json``.
"""

from __future__ import annotations

import contextlib
import enum
import re
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Any

import httpx
import typer

from .._enums import GlpiPriority, GlpiTicketStatus
from .._errors import NotFoundError
from .._operations.reporting import user_display_key
from ._output import bar_chart, to_json
from ._session import CliState
from ._tickets import resolve_user

if TYPE_CHECKING:
    from rich.console import Console

    from .._clients import GlpiClient

__all__ = ["FetchCounter", "app"]

app = typer.Typer(help="Reports over a date window: ticket counts, time spent, user activity.", no_args_is_help=True)


class ReportFormat(enum.StrEnum):
    table = "table"
    json = "json"


From = Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD), inclusive.", show_default=False)]
To = Annotated[str | None, typer.Option("--to", help="Last day, inclusive (through 23:59:59).", show_default=False)]
Entity = Annotated[str | None, typer.Option("--entity", "-e", help="Entity id, or part of its name.")]
User = Annotated[str | None, typer.Option("--user", "-u", help="User id or login (assigned or requester).")]
Fmt = Annotated[ReportFormat, typer.Option("--format", help="table: tables and charts; json: the raw figures.")]

_CONTENT_RANGE = re.compile(r"(\d+)-(-?\d+)/(\d+)")
_TASK_LIST = re.compile(r"/Assistance/Ticket/\d+/Timeline/Task$")


class FetchCounter:
    """Counts what a report has fetched: ticket search pages (from Content-Range) and per-ticket task lists."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tickets_total: int | None = None
        self.tickets_done = 0
        self.task_lists = 0

    def observe(self, request: httpx.Request, response: httpx.Response) -> None:
        if request.method != "GET":
            return
        path = request.url.path
        with self.lock:
            if path.endswith("/Assistance/Ticket"):
                match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
                if match:
                    end, total = int(match.group(2)), int(match.group(3))
                    self.tickets_total = total if self.tickets_total is None else max(self.tickets_total, total)
                    self.tickets_done = max(self.tickets_done, min(end + 1, total))
            elif _TASK_LIST.search(path):
                self.task_lists += 1


@contextlib.contextmanager
def _progress(state: CliState) -> Iterator[FetchCounter]:
    """Count the fetches of the block; show them as progress bars on stderr when it is a terminal."""
    counter = FetchCounter()
    console = state.err()
    transport = state.transport
    assert transport is not None, "open the client first"
    if not console.is_terminal:
        transport.observer = counter.observe
        try:
            yield counter
        finally:
            transport.observer = None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        tickets = progress.add_task("tickets", total=None)
        tasks = progress.add_task("task lists", total=None, visible=False)

        def observe(request: httpx.Request, response: httpx.Response) -> None:
            counter.observe(request, response)
            progress.update(tickets, total=counter.tickets_total, completed=counter.tickets_done)
            if counter.task_lists:
                progress.update(tasks, total=counter.tickets_total, completed=counter.task_lists, visible=True)

        transport.observer = observe
        try:
            yield counter
        finally:
            transport.observer = None


def _entity(value: str | None) -> dict[str, Any]:
    if value is None:
        return {}
    return {"entity_id": int(value)} if value.isdigit() else {"entity_name": value}


def _user_names(client: GlpiClient, ids: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for key in ids:
        if not key.isdigit():
            names[key] = key
            continue
        try:
            names[key] = user_display_key(client.get_user(int(key)))
        except NotFoundError:
            names[key] = f"user {key}"
    return names


def _entity_names(client: GlpiClient, ids: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for key in ids:
        try:
            entity = client.get_entity(int(key)) if key.isdigit() else None
        except NotFoundError:
            entity = None
        names[key] = (entity.completename or entity.name or key) if entity else key
    return names


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _window(start: str | None, end: str | None) -> str:
    return f"{start or 'the beginning'} .. {end or 'today'}"


def _table(console: Console, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left", header_style="bold")
    for i, header in enumerate(headers):
        table.add_column(header, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    console.print(table)


def _status_label(key: str) -> str:
    try:
        return GlpiTicketStatus(int(key)).label
    except ValueError:
        return key


def _priority_label(key: str) -> str:
    return GlpiPriority[key].label if key in GlpiPriority.__members__ else key


@app.command()
def tickets(
    ctx: typer.Context,
    start: From = None,
    end: To = None,
    entity: Entity = None,
    user: User = None,
    fmt: Fmt = ReportFormat.table,
) -> None:
    """Ticket counts created in the window, per entity, by status and by priority.

    Examples:

      glpi report tickets --from 2026-01-01 --to 2026-01-31

      glpi report tickets --from 2026-01-01 --entity Paris --user alice.dupont --format json
    """
    state: CliState = ctx.obj
    with state.client() as client:
        user_id = resolve_user(client, user) if user else None
        with _progress(state):
            stats = client.get_ticket_statistics(start_date=start, end_date=end, user_id=user_id, **_entity(entity))
        entities = stats["entities"]
        names = _entity_names(client, list(entities)) if fmt is ReportFormat.table else {}
    if fmt is ReportFormat.json:
        state.echo(to_json(stats) + "\n")
        return
    console = state.out()
    by_status: Counter[str] = Counter()
    by_priority: Counter[str] = Counter()
    for figures in entities.values():
        by_status.update(figures["by_status"])
        by_priority.update(figures["by_priority"])
    statuses = sorted(by_status, key=lambda k: (not k.isdigit(), int(k) if k.isdigit() else 0, k))
    rows = [
        [names.get(key, key), figures["total"], *(figures["by_status"].get(s, 0) for s in statuses)]
        for key, figures in entities.items()
    ]
    rows.append(["Total", sum(f["total"] for f in entities.values()), *(by_status[s] for s in statuses)])
    _table(console, f"Tickets created {_window(start, end)}", ["Entity", "Total", *map(_status_label, statuses)], rows)
    bar_chart("By status", [(_status_label(s), by_status[s]) for s in statuses], console=console)
    priorities = [p for p in GlpiPriority.__members__ if p in by_priority] + sorted(
        p for p in by_priority if p not in GlpiPriority.__members__
    )
    bar_chart("By priority", [(_priority_label(p), by_priority[p]) for p in priorities], console=console)


@app.command()
def tasks(
    ctx: typer.Context,
    start: From = None,
    end: To = None,
    entity: Entity = None,
    user: User = None,
    fmt: Fmt = ReportFormat.table,
) -> None:
    """Time spent in tasks over the window (default: the last 30 days), per technician and per entity.

    Tasks count when they are dated inside the window, on tickets created inside it.

    Examples:

      glpi report tasks --from 2026-01-01 --to 2026-01-31

      glpi report tasks --entity 3 --user bob --format json | jq .total_duration
    """
    state: CliState = ctx.obj
    with state.client() as client:
        user_id = resolve_user(client, user) if user else None
        with _progress(state):
            result = client.get_task_durations(start_date=start, end_date=end, user_id=user_id, **_entity(entity))
        if fmt is ReportFormat.json:
            state.echo(to_json(result) + "\n")
            return
        users = _user_names(client, list(result["duration_by_user"]))
        entities = _entity_names(client, list(result["duration_by_entity"]))
    console = state.out()
    console.print(
        f"{result['task_count']} task(s), {_hours(result['total_duration'])} h"
        f" from {result['start_date']} to {result['end_date']}",
        highlight=False,
    )
    per_user = sorted(result["duration_by_user"].items(), key=lambda kv: -kv[1])
    bar_chart("Hours per technician", [(users[k], _hours(v)) for k, v in per_user], console=console, unit=" h")
    per_entity = sorted(result["duration_by_entity"].items(), key=lambda kv: -kv[1])
    _table(console, "Hours per entity", ["Entity", "Hours"], [[entities[k], _hours(v)] for k, v in per_entity])


@app.command()
def activity(
    ctx: typer.Context,
    start: From = None,
    end: To = None,
    user: Annotated[
        str | None, typer.Option("--user", "-u", help="User id, or part of a login [default: you].")
    ] = None,
    entity: Entity = None,
    fmt: Fmt = ReportFormat.table,
) -> None:
    """A user's activity over the window (default: the last 30 days): tickets as technician and as requester, time.

    Users whose login contains the text are matched; those sharing a display name are counted together.
    With --entity, only that entity's tickets count.

    Examples:

      glpi report activity --from 2026-01-01 --to 2026-01-31

      glpi report activity --user alice --entity Paris --format json
    """
    state: CliState = ctx.obj
    who: dict[str, Any]
    if user is None:
        username = state.settings().kwargs.get("username")
        if not username:
            from ._session import UsageError

            raise UsageError("--user is needed: the settings have no username")
        who = {"username": str(username)}
    else:
        who = {"user_id": int(user)} if user.isdigit() else {"username": user}
    with state.client() as client, _progress(state):
        result = client.get_user_activity(start_date=start, end_date=end, **who, **_entity(entity))
    if fmt is ReportFormat.json:
        state.echo(to_json(result) + "\n")
        return
    console = state.out()
    users: Mapping[str, Any] = result["users"]
    rows = [
        [
            name,
            figures["tickets_as_technician"],
            figures["tickets_as_recipient"],
            figures["task_durations"]["task_count"],
            _hours(figures["task_durations"]["total_duration"]),
        ]
        for name, figures in users.items()
    ]
    _table(
        console, f"Activity {_window(start, end)}", ["User", "As technician", "As requester", "Tasks", "Hours"], rows
    )
    chart = [(name, _hours(f["task_durations"]["total_duration"])) for name, f in users.items()]
    bar_chart("Hours", chart, console=console, unit=" h")
