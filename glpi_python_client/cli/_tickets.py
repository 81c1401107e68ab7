"""``glpi ticket``: show, list, create, comment, task, solve, assign, close.

Reads go through the facade's search and ticket-context methods; writes through its create/update methods, each
with ``--dry-run`` (the request is printed, nothing is sent).
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import re
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .._context import TicketMarkdownOptions
from .._enums import GlpiPriority, GlpiTaskState, GlpiTicketStatus, GlpiTicketType
from ..rsql import all_of, date_window, eq, in_
from ._output import Column, Format, emit, record
from ._session import CliState, UsageError

if TYPE_CHECKING:
    from .._clients import GlpiClient
    from .._models import GetTicket

__all__ = ["app", "parse_duration", "status_ids"]

app = typer.Typer(help="Tickets: show, list, create, comment, add tasks, solve, assign, close.", no_args_is_help=True)

DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the request that would be sent; send nothing.")]
TicketId = Annotated[int, typer.Argument(help="The ticket id.", show_default=False)]

#: ``--status`` words: every status name (``processing-assigned``...), plus ``open`` (not solved nor closed).
_STATUS_WORDS: dict[str, tuple[int, ...]] = {
    name.lower().replace("_", "-"): (int(member),) for name, member in GlpiTicketStatus.__members__.items()
}
_STATUS_WORDS.update({"open": (1, 2, 3, 4), "processing": (2, 3), "waiting": (4,)})


def status_ids(values: list[str]) -> list[int]:
    """Status ids from names, aliases or numbers (``--status new,assigned --status 4``)."""
    ids: list[int] = []
    for value in values:
        for word in filter(None, (w.strip().lower() for w in value.split(","))):
            if word.isdigit():
                ids.append(int(word))
            elif word in _STATUS_WORDS:
                ids.extend(_STATUS_WORDS[word])
            else:
                raise UsageError(f"unknown status {word!r}: use a number or one of {', '.join(sorted(_STATUS_WORDS))}")
    return list(dict.fromkeys(ids))


_DURATION = re.compile(r"^(?:(?P<h>\d+(?:\.\d+)?)h)?\s*(?:(?P<m>\d+)m(?:in)?)?\s*(?:(?P<s>\d+)s)?$")


def parse_duration(text: str) -> int:
    """Seconds from ``5400``, ``90m``, ``1h30m``, ``1.5h`` or ``45s``."""
    value = text.strip().lower()
    if value.isdigit():
        return int(value)
    match = _DURATION.match(value)
    if not value or not match or not any(match.groupdict().values()):
        raise UsageError(f"invalid duration {text!r}: use seconds (5400) or 1h30m, 90m, 1.5h")
    hours, minutes, seconds = (match.group(k) for k in ("h", "m", "s"))
    return round(float(hours or 0) * 3600) + int(minutes or 0) * 60 + int(seconds or 0)


def _label(enum_cls: type[GlpiPriority] | type[GlpiTicketType], value: Any) -> str:
    try:
        return enum_cls(value).label
    except ValueError:
        return "" if value is None else str(value)


def _team(item: Mapping[str, Any], role: str) -> str:
    members = [m for m in item.get("team") or [] if (m.get("role") or "").lower() == role]
    return ", ".join(str(m.get("display_name") or m.get("name") or m.get("id")) for m in members)


def _ref(key: str, part: str) -> Any:
    def read(item: Mapping[str, Any]) -> Any:
        value = item.get(key)
        return value.get(part) if isinstance(value, Mapping) else None

    return read


TABLE = [
    Column("ID", lambda t: t.get("id")),
    Column("Status", _ref("status", "name")),
    Column("Priority", lambda t: _label(GlpiPriority, t.get("priority"))),
    Column("Created", lambda t: (t.get("date_creation") or "")[:16].replace("T", " ")),
    Column("Assigned", lambda t: _team(t, "assigned")),
    Column("Title", lambda t: t.get("name")),
]
CSV = [
    Column("id", lambda t: t.get("id")),
    Column("name", lambda t: t.get("name")),
    Column("status_id", _ref("status", "id")),
    Column("status", _ref("status", "name")),
    Column("priority", lambda t: t.get("priority")),
    Column("urgency", lambda t: t.get("urgency")),
    Column("type", lambda t: t.get("type")),
    Column("entity", _ref("entity", "name")),
    Column("date_creation", lambda t: t.get("date_creation")),
    Column("date_mod", lambda t: t.get("date_mod")),
    Column("requester", lambda t: _team(t, "requester")),
    Column("assigned", lambda t: _team(t, "assigned")),
]


def current_user_id(client: GlpiClient, state: CliState) -> int:
    """The id of the configured user (``--mine``), looked up by username."""
    username = state.settings().kwargs.get("username")
    if not username:
        raise UsageError("--mine needs a username in the settings (a client_credentials token has no user)")
    users = client.search_users(eq("username", str(username)), limit=1)
    if not users or users[0].id is None:
        raise UsageError(f"no GLPI user has the username {username!r}")
    return users[0].id


def resolve_user(client: GlpiClient, user: str) -> int:
    """A user id from an id or a login."""
    if user.isdigit():
        return int(user)
    users = client.search_users(eq("username", user), limit=2)
    if not users or users[0].id is None:
        raise UsageError(f"no GLPI user has the username {user!r}")
    return users[0].id


@app.command("list")
def list_tickets(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status", "-s", help="Status names or ids, comma-separated or repeated (open = not solved nor closed)."
        ),
    ] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only tickets where you are requester or assigned.")] = False,
    since: Annotated[str | None, typer.Option(help="Created on or after (YYYY-MM-DD or ISO datetime).")] = None,
    until: Annotated[str | None, typer.Option(help="Created on or before (a date means through 23:59:59).")] = None,
    rsql_filter: Annotated[
        str | None, typer.Option("--filter", "-f", help="Extra RSQL, e.g. 'name=like=\"*VPN*\"'.")
    ] = None,
    sort: Annotated[str, typer.Option(help="field[:asc|desc],...")] = "id:desc",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most this many tickets.")] = 30,
    all_pages: Annotated[bool, typer.Option("--all", help="Every matching ticket (no limit).")] = False,
    trashed: Annotated[bool, typer.Option(help="Include tickets in the trash.")] = False,
    fmt: Annotated[
        Format, typer.Option("--format", help="table on a terminal; json, jsonl or csv for programs.")
    ] = Format.table,
) -> None:
    """List tickets, newest first.

    Examples:

      glpi ticket list --status open --mine

      glpi ticket list --since 2026-01-01 --until 2026-01-31 --all --format csv > january.csv

      glpi ticket list -f 'name=like="*printer*"' --format json | jq '.[].id'
    """
    state: CliState = ctx.obj
    clauses = [
        in_("status.id", status_ids(status)) if status else "",
        date_window("date_creation", since, until),
        rsql_filter or "",
    ]
    wanted = None if all_pages else limit
    found: list[GetTicket] = []
    with state.client() as client:
        me = current_user_id(client, state) if mine else None
        batch = min(wanted, 100) if wanted and me is None else 100
        for page in client.iter_search_tickets(all_of(*clauses) or None, batch_size=batch, sort=sort or None):
            for ticket in page:
                if ticket.is_deleted and not trashed:
                    continue
                if me is not None and not any(m.id == me and m.type == "User" for m in ticket.team):
                    continue
                found.append(ticket)
            if wanted is not None and len(found) >= wanted:
                break
    rows = [record(t) for t in found[:wanted]]
    columns = CSV if fmt is Format.csv else TABLE
    emit(rows, columns, fmt, console=state.out())
    if fmt is Format.table and not rows:
        state.err().print("no ticket matches", highlight=False)


class ShowFormat(enum.StrEnum):
    """``--format`` of ``ticket show``."""

    text = "text"
    md = "md"
    json = "json"


def _markdown_flag(field: dataclasses.Field[Any]) -> inspect.Parameter:
    """One ``--x/--no-x`` option per :class:`TicketMarkdownOptions` flag (so they never drift apart)."""
    name = field.name
    flag = name.removeprefix("include_").removeprefix("show_").replace("_", "-")
    verb = "Include" if name.startswith("include_") else "Show"
    option = typer.Option(
        f"--{flag}/--no-{flag}", help=f"{verb} {flag.replace('-', ' ')}.", rich_help_panel="Transcript"
    )
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=field.default, annotation=Annotated[bool, option]
    )


def show(ctx: typer.Context, ticket_id: int, fmt: ShowFormat = ShowFormat.text, **flags: bool) -> None:
    """Show a ticket with its whole timeline, as the Markdown transcript (rendered on a terminal).

    Examples:

      glpi ticket show 4521

      glpi ticket show 4521 --no-tasks --no-event-dates --format md > ticket.md

      glpi ticket show 4521 --format json | jq .followups
    """
    state: CliState = ctx.obj
    with state.client() as client:
        context = client.get_ticket_context(ticket_id)
    if fmt is ShowFormat.json:
        state.echo(context.model_dump_json(indent=2) + "\n")
        return
    markdown = context.to_markdown(TicketMarkdownOptions(**flags))
    console = state.out()
    if fmt is ShowFormat.text and console.is_terminal:
        from rich.markdown import Markdown

        console.print(Markdown(markdown))
    else:
        state.echo(markdown if markdown.endswith("\n") else markdown + "\n")


show.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
    [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        inspect.Parameter("ticket_id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=TicketId),
        inspect.Parameter(
            "fmt",
            inspect.Parameter.KEYWORD_ONLY,
            default=ShowFormat.text,
            annotation=Annotated[
                ShowFormat, typer.Option("--format", help="text: rendered on a terminal (Markdown when piped).")
            ],
        ),
        *(_markdown_flag(f) for f in dataclasses.fields(TicketMarkdownOptions)),
    ]
)
show.__annotations__ = {p.name: p.annotation for p in show.__signature__.parameters.values()}  # type: ignore[attr-defined]
app.command("show")(show)


def _content(text: str | None, label: str = "--content") -> str:
    """The text given, or stdin for ``-``."""
    if text == "-":
        return sys.stdin.read()
    if not text:
        raise UsageError(f"{label} is required (use - to read it from stdin)")
    return text


def _done(state: CliState, dry_run: bool, item_id: int, message: str) -> None:
    if dry_run:
        return
    state.echo(f"{item_id}\n")
    state.err().print(message, highlight=False, markup=False)


Content = Annotated[
    str | None, typer.Option("--content", "-m", help="The text, in Markdown (GLPI gets HTML); - reads stdin.")
]
Html = Annotated[bool, typer.Option("--html", help="The text is HTML: send it as it is.")]


def _text_field(text: str, html: bool) -> dict[str, str]:
    """``content`` (Markdown, rendered by the write model) or ``content_html`` (sent as is)."""
    return {"content_html": text} if html else {"content": text}


@app.command()
def create(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", "-t", help="The ticket's title.")],
    content: Content = None,
    html: Html = False,
    urgency: Annotated[int | None, typer.Option(min=1, max=5, help="1 (very low) .. 5 (very high).")] = None,
    impact: Annotated[int | None, typer.Option(min=1, max=5, help="1 .. 5.")] = None,
    priority: Annotated[int | None, typer.Option(min=1, max=6, help="1 .. 6 (6 = major).")] = None,
    kind: Annotated[str | None, typer.Option("--type", help="incident or request.")] = None,
    category: Annotated[int | None, typer.Option(help="ITIL category id.")] = None,
    location: Annotated[int | None, typer.Option(help="Location id.")] = None,
    entity: Annotated[int | None, typer.Option(help="Entity id.")] = None,
    dry_run: DryRun = False,
) -> None:
    """Create a ticket and print its id.

    Examples:

      glpi ticket create -t "Printer offline" -m "3rd floor, HP 4250" --urgency 4

      journalctl -u vpn | tail -50 | glpi ticket create -t "VPN down" -m - --type incident --dry-run
    """
    from .._models import PostTicket

    state: CliState = ctx.obj
    types = {"incident": 1, "request": 2}
    if kind is not None and kind.lower() not in types:
        raise UsageError(f"--type must be incident or request (got {kind!r})")
    fields = {
        "name": title,
        "urgency": urgency,
        "impact": impact,
        "priority": priority,
        "type": types[kind.lower()] if kind else None,
        "category": category,
        "location": location,
        "entity": entity,
    }
    if content is not None:
        fields.update(_text_field(_content(content), html))
    ticket = PostTicket.model_validate({k: v for k, v in fields.items() if v is not None})
    with state.client(dry_run=dry_run) as client:
        ticket_id = client.create_ticket(ticket)
    _done(state, dry_run, ticket_id, f"created ticket {ticket_id}")


@app.command()
def comment(
    ctx: typer.Context,
    ticket_id: TicketId,
    content: Content = None,
    html: Html = False,
    private: Annotated[bool, typer.Option("--private", help="Visible to technicians only.")] = False,
    dry_run: DryRun = False,
) -> None:
    """Add a followup to a ticket and print its id.

    Examples:

      glpi ticket comment 4521 -m "Rebooted the switch, watching it"

      glpi ticket comment 4521 -m - --private < notes.txt
    """
    from .._models import PostFollowup

    state: CliState = ctx.obj
    followup = PostFollowup.model_validate({**_text_field(_content(content), html), "is_private": private})
    with state.client(dry_run=dry_run) as client:
        followup_id = client.create_ticket_followup(ticket_id, followup)
    _done(state, dry_run, followup_id, f"added followup {followup_id} to ticket {ticket_id}")


_TASK_STATES = {"info": GlpiTaskState.INFORMATION, "todo": GlpiTaskState.TODO, "done": GlpiTaskState.DONE}


@app.command()
def task(
    ctx: typer.Context,
    ticket_id: TicketId,
    content: Content = None,
    html: Html = False,
    duration: Annotated[
        str | None, typer.Option("--duration", "-d", help="Time spent: 5400, 90m, 1h30m, 1.5h.")
    ] = None,
    tech: Annotated[str | None, typer.Option(help="Technician: user id or login.")] = None,
    state_name: Annotated[str, typer.Option("--state", help="info, todo or done.")] = "done",
    private: Annotated[bool, typer.Option("--private", help="Visible to technicians only.")] = False,
    dry_run: DryRun = False,
) -> None:
    """Add a task (time spent) to a ticket and print its id.

    Examples:

      glpi ticket task 4521 -m "Replaced the PSU" -d 1h30m --tech alice.dupont

      glpi ticket task 4521 -m "Order a spare" --state todo --dry-run
    """
    from .._models import PostTicketTask

    state: CliState = ctx.obj
    if state_name.lower() not in _TASK_STATES:
        raise UsageError(f"--state must be one of {', '.join(_TASK_STATES)} (got {state_name!r})")
    seconds = parse_duration(duration) if duration else None
    text = _content(content)
    with state.client(dry_run=dry_run) as client:
        fields: dict[str, Any] = {
            **_text_field(text, html),
            "is_private": private,
            "state": int(_TASK_STATES[state_name.lower()]),
        }
        if seconds is not None:
            fields["duration"] = seconds
        if tech:
            fields["user_tech"] = resolve_user(client, tech)
        task_id = client.create_ticket_task(ticket_id, PostTicketTask.model_validate(fields))
    _done(state, dry_run, task_id, f"added task {task_id} to ticket {ticket_id}")


@app.command()
def solve(
    ctx: typer.Context,
    ticket_id: TicketId,
    content: Content = None,
    html: Html = False,
    dry_run: DryRun = False,
) -> None:
    """Add a solution to a ticket (GLPI then marks it Solved) and print its id.

    Examples:

      glpi ticket solve 4521 -m "Driver updated; printing works again"
    """
    from .._models import PostSolution

    state: CliState = ctx.obj
    solution = PostSolution.model_validate(_text_field(_content(content), html))
    with state.client(dry_run=dry_run) as client:
        solution_id = client.create_ticket_solution(ticket_id, solution)
    _done(state, dry_run, solution_id, f"solved ticket {ticket_id} (solution {solution_id})")


@app.command()
def assign(
    ctx: typer.Context,
    ticket_id: TicketId,
    users: Annotated[list[str], typer.Argument(help="User ids or logins.", show_default=False)],
    role: Annotated[str, typer.Option(help="assigned, requester or observer.")] = "assigned",
    dry_run: DryRun = False,
) -> None:
    """Add users to a ticket's team (assigned technicians by default).

    Examples:

      glpi ticket assign 4521 alice.dupont

      glpi ticket assign 4521 7 12 --role observer --dry-run
    """
    from .._models import PostTeamMember

    state: CliState = ctx.obj
    if role.lower() not in ("assigned", "requester", "observer"):
        raise UsageError(f"--role must be assigned, requester or observer (got {role!r})")
    with state.client(dry_run=dry_run) as client:
        ids = [resolve_user(client, user) for user in users]
        for user_id in ids:
            client.add_ticket_team_member(ticket_id, PostTeamMember(type="User", id=user_id, role=role.lower()))
    if not dry_run:
        state.err().print(f"ticket {ticket_id}: added {', '.join(map(str, ids))} as {role.lower()}", highlight=False)


@app.command()
def close(ctx: typer.Context, ticket_id: TicketId, dry_run: DryRun = False) -> None:
    """Close a ticket (status Closed).

    Examples:

      glpi ticket close 4521

      glpi ticket close 4521 --dry-run
    """
    from .._models import PatchTicket

    state: CliState = ctx.obj
    with state.client(dry_run=dry_run) as client:
        ticket = client.update_ticket(ticket_id, PatchTicket(status=int(GlpiTicketStatus.CLOSED)))
    if not dry_run:
        state.err().print(f"closed ticket {ticket_id}", highlight=False)
        if ticket.status.id is not None and ticket.status.id != int(GlpiTicketStatus.CLOSED):
            state.err().print(
                f"warning: GLPI kept the ticket {ticket.status.name or ticket.status.id}", highlight=False
            )
