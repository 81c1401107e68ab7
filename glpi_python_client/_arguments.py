"""Checks of method arguments, run by the plans before anything is sent.

GLPI reads ``GET /Ticket/abc`` or ``limit=-5`` its own way (a 400 at best, a wrong answer at worst), so
every id, range and enum-valued argument is checked at the boundary, for both clients alike, and a bad
one raises :class:`~glpi_python_client.InvalidArgumentError` naming the argument and what was given.

Ids are ints (a numpy integer or any ``__index__`` type works); ``True``/``False``, floats and strings
are refused, digit strings included (``"12"`` is most often a value read from a file or a command line
that was meant to be converted: say ``int(value)``).
"""

from __future__ import annotations

import operator
from collections.abc import Collection
from typing import Any

from ._errors import InvalidArgumentError

__all__ = ["as_int", "check_choice", "check_flag", "check_id", "check_ids", "check_int", "check_text", "shown"]

#: Id arguments for which 0 names something: the root entity.
ZERO_IDS = frozenset({"entity_id", "entities_id"})


def shown(value: Any) -> str:
    """A rejected value as a message shows it: a short repr, with its type when the repr does not say it."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    if value is None or type(value) in (str, int):
        return text
    kind = type(value).__name__
    return f"{text}, {'an' if kind[0] in 'aeiouAEIOU' else 'a'} {kind}"


def as_int(value: Any) -> int | None:
    """``value`` as an int when it is one (numpy ints too); None for bools, floats and strings."""
    if isinstance(value, bool):
        return None
    try:
        return operator.index(value)
    except TypeError:
        return None


def check_int(value: Any, name: str, *, minimum: int, what: str = "an int") -> int:
    """``value`` as an int ``>= minimum``, or :class:`InvalidArgumentError` naming ``name``."""
    number = as_int(value)
    if number is None or number < minimum:
        hint = ""
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            hint = f": convert it first, int({value!r})"
        raise InvalidArgumentError(f"{name} must be {what} >= {minimum} (got {shown(value)}){hint}")
    return number


def check_id(value: Any, name: str, *, minimum: int = 1) -> int:
    """An item id: a positive int (``minimum=0`` where 0 names something, like the root entity)."""
    return check_int(value, name, minimum=minimum, what="an int id")


def check_ids(*, optional: Collection[str] = (), **ids: Any) -> None:
    """Check every ``*_id`` argument of a public method (the generated methods call it first).

    ``optional`` names those that may be None. Each error names the argument as the caller wrote it.
    """
    for name, value in ids.items():
        if value is None and name in optional:
            continue
        check_id(value, name, minimum=0 if name in ZERO_IDS else 1)


def check_text(value: Any, name: str, *, optional: bool = True) -> str | None:
    """A string argument (an RSQL filter, a sort); None when optional and not given."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a str{' or None' if optional else ''} (got {shown(value)})")
    return value


def check_flag(value: Any, name: str) -> bool:
    """A boolean option: ``True`` or ``False`` only (``"false"`` is a true string)."""
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False (got {shown(value)})")
    return value


def check_choice(value: Any, name: str, allowed: Collection[str], *, optional: bool = False) -> str | None:
    """One of ``allowed`` (compared as given, after ``str()`` of an enum's value)."""
    if value is None and optional:
        return None
    raw = getattr(value, "value", value)
    if not isinstance(raw, str) or raw not in allowed:
        choices = ", ".join(repr(a) for a in sorted(allowed))
        raise InvalidArgumentError(f"{name} must be one of {choices} (got {shown(value)})")
    return raw
