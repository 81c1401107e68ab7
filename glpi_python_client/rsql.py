"""Helpers to build RSQL filters for GLPI's ``filter=`` search parameter.

What the live GLPI 11 server does (recorded against 11.0.6):

* Operators: ``==``, ``!=``, ``=in=``, ``=out=``, ``=lt=``, ``=le=``, ``=gt=``, ``=ge=``, ``=like=``, ``=ilike=``,
  ``=isnull=``, ``=notnull=``, ``=empty=``, ``=notempty=``. ``=gte=``, ``>=`` and ``=between=`` answer 400.
* ``;`` is AND and binds tighter than ``,`` (OR): OR groups must be parenthesised (:func:`all_of` does it).
* Values with spaces or special characters are double-quoted: ``name=="exact value"``.
* Object-valued properties (``status``, ``entity``, ``category``...) must be filtered on their id:
  ``status.id==1``; ``status==1`` answers 400 "Unknown property" (see :func:`map_object_properties`).
* A date-only upper bound means midnight, so :func:`date_window` ends a date at ``23:59:59``.

Every helper returns a plain string; combine them with :func:`all_of` and :func:`any_of`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time
from enum import Enum
from typing import TYPE_CHECKING, Any

__all__ = [
    "OBJECT_PROPERTIES",
    "OPERATORS",
    "all_of",
    "any_of",
    "date_window",
    "empty",
    "eq",
    "ge",
    "gt",
    "ilike",
    "in_",
    "is_null",
    "le",
    "like",
    "lt",
    "map_object_properties",
    "ne",
    "not_empty",
    "not_null",
    "out",
    "quote",
    "rewrite_object_properties",
]

#: Every comparison operator the live server knows.
OPERATORS: frozenset[str] = frozenset(
    {
        "==",
        "!=",
        "=in=",
        "=out=",
        "=lt=",
        "=le=",
        "=gt=",
        "=ge=",
        "=like=",
        "=ilike=",
        "=isnull=",
        "=notnull=",
        "=empty=",
        "=notempty=",
    }
)

if TYPE_CHECKING:
    #: Properties that are ``{id, name}`` objects, per schema: filter them as ``<property>.id``. Derived from the
    #: OpenAPI document (properties of type object having an ``id``) by ``make regenerate``; read on first use.
    OBJECT_PROPERTIES: dict[str, frozenset[str]]


def __getattr__(name: str) -> Any:
    # OBJECT_PROPERTIES comes from the resource index generated from the OpenAPI document, read on first use.
    if name == "OBJECT_PROPERTIES":
        from ._generated.resource_index import OBJECT_PROPERTIES

        return OBJECT_PROPERTIES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_SAFE_VALUE = re.compile(r"[A-Za-z0-9_.:-]+")
Value = str | int | float | bool | Enum | date | datetime | None


def _format_datetime(value: datetime) -> str:
    return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")


def quote(value: Value) -> str:
    """Render one RSQL value.

    Booleans become ``true``/``false``, ints and IntEnums their integer, dates ``YYYY-MM-DD`` and datetimes
    ``"YYYY-MM-DD HH:MM:SS"`` (naive wall-clock). Strings made only of ``[A-Za-z0-9_.:-]`` stay bare; anything
    else is double-quoted with ``\\`` and ``"`` escaped. ``None`` is rejected (use :func:`is_null`).
    """
    if value is None:
        raise ValueError("None is not an RSQL value: use is_null()/not_null()")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, Enum):
        return quote(value.value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        text = _format_datetime(value)
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    if _SAFE_VALUE.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _compare(field: str, operator: str, value: Value) -> str:
    if not field:
        raise ValueError("an RSQL selector needs a property name")
    return f"{field}{operator}{quote(value)}"


def eq(field: str, value: Value) -> str:
    """``field==value``."""
    return _compare(field, "==", value)


def ne(field: str, value: Value) -> str:
    """``field!=value``."""
    return _compare(field, "!=", value)


def lt(field: str, value: Value) -> str:
    """``field=lt=value``."""
    return _compare(field, "=lt=", value)


def le(field: str, value: Value) -> str:
    """``field=le=value``."""
    return _compare(field, "=le=", value)


def gt(field: str, value: Value) -> str:
    """``field=gt=value``."""
    return _compare(field, "=gt=", value)


def ge(field: str, value: Value) -> str:
    """``field=ge=value``."""
    return _compare(field, "=ge=", value)


def like(field: str, pattern: str) -> str:
    """``field=like="pattern"`` (case-sensitive; ``*`` is the wildcard)."""
    return _compare(field, "=like=", pattern)


def ilike(field: str, pattern: str) -> str:
    """``field=ilike="pattern"`` (case-insensitive; ``*`` is the wildcard)."""
    return _compare(field, "=ilike=", pattern)


def _list(field: str, operator: str, values: Iterable[Value]) -> str:
    rendered = [quote(v) for v in values]
    if not rendered:
        raise ValueError(f"{operator} needs at least one value for {field!r}")
    return f"{field}{operator}({','.join(rendered)})"


def in_(field: str, values: Iterable[Value]) -> str:
    """``field=in=(a,b,...)``."""
    return _list(field, "=in=", values)


def out(field: str, values: Iterable[Value]) -> str:
    """``field=out=(a,b,...)``."""
    return _list(field, "=out=", values)


# GLPI's value-less operators ignore their value; a placeholder is sent because an empty value can be
# reported as "missing a value" by the lexer.
def is_null(field: str) -> str:
    """``field=isnull=true`` (GLPI ignores the value)."""
    return f"{field}=isnull=true"


def not_null(field: str) -> str:
    """``field=notnull=true`` (GLPI ignores the value)."""
    return f"{field}=notnull=true"


def empty(field: str) -> str:
    """``field=empty=true``: null or empty string (GLPI ignores the value)."""
    return f"{field}=empty=true"


def not_empty(field: str) -> str:
    """``field=notempty=true`` (GLPI ignores the value)."""
    return f"{field}=notempty=true"


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside quotes and parentheses."""
    parts: list[str] = []
    depth = 0
    quote_char: str | None = None
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote_char:
            if ch == "\\":
                i += 1
            elif ch == quote_char:
                quote_char = None
        elif ch in "\"'":
            quote_char = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return parts


def all_of(*clauses: str) -> str:
    """AND the non-empty clauses with ``;``, parenthesising any clause with a top-level ``,`` (OR)."""
    kept = [c.strip() for c in clauses if c and c.strip()]
    rendered = [f"({c})" if len(_split_top_level(c, ",")) > 1 else c for c in kept]
    return ";".join(rendered)


def any_of(*clauses: str) -> str:
    """OR the non-empty clauses: ``(a,b,c)``; a single clause is returned as is, none gives ``""``."""
    kept = [c.strip() for c in clauses if c and c.strip()]
    if not kept:
        return ""
    if len(kept) == 1:
        return kept[0]
    return "(" + ",".join(kept) + ")"


DateBound = date | datetime | str | None
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_bound(value: date | datetime | str, name: str) -> date | datetime:
    if isinstance(value, date):  # datetime is a date subclass
        return value
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a date, a datetime or an ISO string, not {type(value).__name__}")
    text = value.strip()
    try:
        if _DATE_ONLY.fullmatch(text):
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"invalid {name} {value!r}: expected YYYY-MM-DD, 'YYYY-MM-DD HH:MM:SS' or an ISO 8601 datetime"
        ) from None


def bound_datetime(value: date | datetime, end_of_day: bool) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, time(23, 59, 59) if end_of_day else time(0, 0, 0))


def date_window(field: str, start: DateBound = None, end: DateBound = None) -> str:
    """An inclusive date window: ``field=ge=YYYY-MM-DD HH:MM:SS;field=le=YYYY-MM-DD HH:MM:SS``.

    A date (or ``YYYY-MM-DD`` string) start means 00:00:00 and a date end 23:59:59, because GLPI reads a date-only
    upper bound as midnight and would miss that day. Datetimes are kept to the second. GLPI ignores UTC offsets and
    reads the naive part as server-local time, so an aware datetime keeps its wall-clock time and loses its offset:
    convert it to the server's timezone first. Either bound may be None (omitted); both None gives ``""``.
    """
    clauses: list[str] = []
    bounds: list[datetime] = []
    for value, operator, name, end_of_day in ((start, "=ge=", "start", False), (end, "=le=", "end", True)):
        if value is None:
            continue
        moment = bound_datetime(parse_bound(value, name), end_of_day)
        bounds.append(moment)
        clauses.append(f"{field}{operator}{_format_datetime(moment)}")
    if len(bounds) == 2 and bounds[0] > bounds[1]:
        raise ValueError(f"date window start {bounds[0]} is after its end {bounds[1]}")
    return ";".join(clauses)


def _skip_quoted(text: str, i: int) -> int:
    """Return the index just past the quoted string starting at ``text[i]``."""
    quote_char = text[i]
    i += 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == quote_char:
            return i + 1
        i += 1
    return i


def map_object_properties(filter: str, resource: str) -> str:
    """Rewrite bare object-valued selectors of ``resource`` to their id: ``status==1`` → ``status.id==1``.

    ``resource`` is an itemtype schema name (``Ticket``, ``Computer``, ``Followup``...): its object-valued properties
    come from ``OBJECT_PROPERTIES``, derived from the OpenAPI document. Selectors already written ``status.id``, plain
    or unknown properties, and anything inside quoted values are left untouched; an unknown resource leaves the
    filter unchanged. Handles ``;``, ``,`` and parentheses.
    """
    from ._generated.resource_index import OBJECT_PROPERTIES

    return rewrite_object_properties(filter, OBJECT_PROPERTIES.get(resource, frozenset()))


def rewrite_object_properties(filter: str, properties: frozenset[str]) -> str:
    """:func:`map_object_properties` for an explicit set of object-valued property names."""
    if not properties or not filter:
        return filter
    out_parts: list[str] = []
    n = len(filter)
    i = 0
    while i < n:
        ch = filter[i]
        if ch in "();,\t\n\r " or ch in "\"'":
            if ch in "\"'":  # stray quoted text where a selector was expected: copy it verbatim
                end = _skip_quoted(filter, i)
                out_parts.append(filter[i:end])
                i = end
            else:
                out_parts.append(ch)
                i += 1
            continue
        # Selector: up to the operator.
        j = i
        while j < n and filter[j] not in "=!<>;,()\"'":
            j += 1
        selector = filter[i:j]
        name = selector.strip()
        if name in properties:
            selector = selector.replace(name, f"{name}.id", 1)
        out_parts.append(selector)
        i = j
        # Operator: '==', '!=' or '=word='.
        if i < n and filter[i] in "=!":
            k = i + 1
            if k < n and filter[k] != "=":
                while k < n and filter[k] not in "=;,()":
                    k += 1
            if k < n and filter[k] == "=":
                k += 1
            out_parts.append(filter[i:k])
            i = k
        # Value: a parenthesised list or a single (possibly quoted) value.
        if i < n and filter[i] == "(":
            k = i + 1
            while k < n and filter[k] != ")":
                k = _skip_quoted(filter, k) if filter[k] in "\"'" else k + 1
            k = min(k + 1, n)
            out_parts.append(filter[i:k])
            i = k
        else:
            k = i
            while k < n and filter[k] not in ";,)":
                k = _skip_quoted(filter, k) if filter[k] in "\"'" else k + 1
            out_parts.append(filter[i:k])
            i = k
    return "".join(out_parts)
