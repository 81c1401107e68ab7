"""Output formats: a table (or Markdown, or a bar chart) for people, JSON, JSON lines or CSV for programs.

Data goes to stdout, everything else (progress, messages, warnings) to stderr, so ``glpi ... --format json | jq``
always reads clean data.
"""

from __future__ import annotations

import csv
import enum
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["Column", "Format", "bar_chart", "emit", "record", "to_json"]


class Format(enum.StrEnum):
    """``--format`` of the listing commands."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@dataclass(frozen=True)
class Column:
    """A column of the table and of the CSV: its header and how to read it from a record."""

    header: str
    value: Callable[[Mapping[str, Any]], Any]


def record(item: Any) -> dict[str, Any]:
    """A model (or mapping) as the plain dict GLPI sent: declared fields plus the undeclared ones."""
    if isinstance(item, BaseModel):
        data = item.model_dump(mode="json", exclude={"extra_payload"})
        data.update(getattr(item, "extra_payload", None) or {})
        return data
    return dict(item)


def to_json(value: Any) -> str:
    """Indented JSON (models and dates converted)."""
    if isinstance(value, BaseModel):
        value = record(value)
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return str(value.get("name") or value.get("completename") or value.get("id") or "")
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def emit(
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[Column],
    fmt: Format,
    *,
    console: Console,
    title: str | None = None,
) -> None:
    """Write ``records``: the columns as a table or CSV, the whole records as JSON or JSON lines."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(list(records), indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt is Format.jsonl:
        for item in records:
            sys.stdout.write(json.dumps(item, ensure_ascii=False, default=str) + "\n")
    elif fmt is Format.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([c.header for c in columns])
        for item in records:
            writer.writerow([_cell(c.value(item)) for c in columns])
    else:
        from rich.table import Table

        table = Table(title=title, header_style="bold", title_justify="left")
        for column in columns:
            table.add_column(column.header, overflow="fold")
        for item in records:
            table.add_row(*(_cell(c.value(item)) for c in columns))
        console.print(table)
    sys.stdout.flush()


def bar_chart(
    title: str, values: Iterable[tuple[str, float]], *, console: Console, unit: str = "", width: int = 40
) -> None:
    """A horizontal bar chart: one row per label, the bar scaled to the largest value."""
    from rich.table import Table

    rows = list(values)
    table = Table(title=title, show_header=False, box=None, title_justify="left", pad_edge=False)
    table.add_column("label", style="bold")
    table.add_column("bar")
    table.add_column("value", justify="right")
    top = max((v for _, v in rows), default=0) or 1
    for label, value in rows:
        cells = round(width * value / top)
        bar = "█" * cells if cells else ("▏" if value else "")
        shown = f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:g}"
        table.add_row(label, f"[cyan]{bar}[/cyan]", f"{shown}{unit}")
    console.print(table)
