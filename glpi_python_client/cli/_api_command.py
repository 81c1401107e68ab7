"""``glpi api METHOD PATH``: any v2 route, on the facade's own session (auth, token refresh, scope headers, retries).

It sends through ``client.api``'s httpx client, the escape hatch the facade shares with the generated layer, so
there is no second HTTP path and no second authentication.
"""

from __future__ import annotations

import enum
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from .._errors import status_error
from ._session import CliState, UsageError

__all__ = ["api", "parse_data", "parse_params"]


class Method(enum.StrEnum):
    GET = "GET"
    POST = "POST"
    PATCH = "PATCH"
    PUT = "PUT"
    DELETE = "DELETE"


def parse_data(data: str | None) -> Any:
    """The JSON body: literal JSON, ``@file`` or ``@-`` (stdin)."""
    if data is None:
        return None
    if data.startswith("@"):
        source = data[1:]
        try:
            data = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read --data {source}: {exc.strerror}") from None
    try:
        return json.loads(data)
    except ValueError as exc:
        raise UsageError(f"--data is not valid JSON: {exc}") from None


def parse_params(params: list[str]) -> list[tuple[str, str | int | float | bool | None]]:
    """``k=v`` pairs (repeat a key to send it several times)."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--param must be key=value (got {item!r})")
        pairs.append((key, value))
    return pairs


def api(
    ctx: typer.Context,
    method: Annotated[Method, typer.Argument(help="GET, POST, PATCH, PUT or DELETE.", case_sensitive=False)],
    path: Annotated[str, typer.Argument(help="Route under the API URL, e.g. /Assets/Computer.", show_default=False)],
    data: Annotated[str | None, typer.Option("--data", "-d", help="JSON body, @file, or @- for stdin.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-P", help="Query parameter key=value (repeatable).")
    ] = None,
    include: Annotated[
        bool, typer.Option("--include", "-i", help="Print the status line and headers on stderr.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the request; send nothing.")] = False,
) -> None:
    """Call any v2 route on the same session; the answer's body goes to stdout (JSON indented).

    A 4xx/5xx answer prints its body too, then the error on stderr (exit 1; 3 for 401).

    Examples:

      glpi api GET /Assets/Computer -P 'filter=location.id=isnull=true' -P limit=50

      glpi api PATCH /Assistance/Ticket/4521 -d '{"urgency": 4}' --dry-run

      glpi api GET /Management/Document/12/Download > file.pdf
    """
    state: CliState = ctx.obj
    body = parse_data(data)
    params = parse_params(param or [])
    route = path if path.startswith("/") else "/" + path
    with state.client(dry_run=dry_run, dry_reads=True) as client:
        http = client.api.raw_httpx_client()  # the status is read here, not raised
        query = httpx.QueryParams(params) if params else None
        response = http.request(method.value, route.lstrip("/"), params=query, json=body)
        if dry_run:
            return
        if include:
            lines = [f"{response.http_version} {response.status_code} {response.reason_phrase}"]
            lines += [f"{k}: {v}" for k, v in response.headers.items()]
            state.err().print("\n".join(lines), markup=False, highlight=False)
        content = response.content
        if content:
            try:
                decoded = json.loads(content)
            except ValueError:
                sys.stdout.buffer.write(content)
                sys.stdout.flush()
            else:
                state.echo(json.dumps(decoded, indent=2, ensure_ascii=False) + "\n")
        if response.status_code >= 400:
            raise status_error(response)
