"""A small RSQL evaluator for the fake GLPI servers of the tests: it answers wrong filters wrongly.

It understands what the live server does: ``;`` (AND) binding tighter than ``,`` (OR), parentheses,
``==``, ``!=``, ``=in=``, ``=out=``, ``=lt=``/``=le=``/``=gt=``/``=ge=``, ``=like=``/``=ilike=`` with ``*``,
and ``.id`` on object-valued properties; a bare object property (``status==1``) is refused like GLPI does.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Any

__all__ = ["BadFilter", "Rsql"]


class BadFilter(Exception):
    def __init__(self, prop: str, reason: str) -> None:
        super().__init__(prop, reason)
        self.prop, self.reason = prop, reason


class Rsql:
    """A small RSQL parser/evaluator: ``;`` AND, ``,`` OR, parentheses, comparisons on dotted properties."""

    OPS = ("==", "!=", "=ge=", "=le=", "=gt=", "=lt=", "=like=", "=ilike=", "=in=", "=out=")

    def __init__(self, text: str, fields: set[str], objects: set[str]) -> None:
        self.text, self.i, self.fields, self.objects = text, 0, fields, objects
        self.tree = self._or()
        if self.i != len(self.text):
            raise BadFilter(self.text, "trailing input")

    def _peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def _or(self) -> Any:
        parts = [self._and()]
        while self._peek() == ",":
            self.i += 1
            parts.append(self._and())
        return ("or", parts)

    def _and(self) -> Any:
        parts = [self._primary()]
        while self._peek() == ";":
            self.i += 1
            parts.append(self._primary())
        return ("and", parts)

    def _primary(self) -> Any:
        if self._peek() == "(":
            self.i += 1
            node = self._or()
            if self._peek() != ")":
                raise BadFilter(self.text, "unbalanced parentheses")
            self.i += 1
            return node
        match = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)(==|!=|=[a-z]+=)").match(self.text, self.i)
        if not match:
            raise BadFilter(self.text[self.i :], "invalid selector")
        selector, op = match.groups()
        if op not in self.OPS:
            raise BadFilter(selector, "Unknown operator")
        root = selector.split(".")[0]
        if root not in self.fields or (selector in self.objects):
            raise BadFilter(selector, "Unknown property")
        self.i = match.end()
        if self._peek() == "(":
            self.i += 1
            values = [self._value()]
            while self._peek() == ",":
                self.i += 1
                values.append(self._value())
            self.i += 1
            return ("cmp", selector, op, values)
        return ("cmp", selector, op, self._value())

    def _value(self) -> str:
        if self._peek() == '"':
            out, self.i = [], self.i + 1
            while self._peek() != '"':
                if self._peek() == "\\":
                    self.i += 1
                out.append(self._peek())
                self.i += 1
            self.i += 1
            return "".join(out)
        start = self.i
        while self._peek() not in ("", ";", ",", ")"):
            self.i += 1
        value = self.text[start : self.i]
        if not value:
            raise BadFilter(self.text, "missing a value")
        return value

    def matches(self, item: dict[str, Any]) -> bool:
        return self._eval(self.tree, item)

    def _eval(self, node: Any, item: dict[str, Any]) -> bool:
        kind = node[0]
        if kind == "or":
            return any(self._eval(n, item) for n in node[1])
        if kind == "and":
            return all(self._eval(n, item) for n in node[1])
        _, selector, op, value = node
        actual: Any = item
        for part in selector.split("."):
            actual = actual.get(part) if isinstance(actual, dict) else None
        return _compare(actual, op, value)


def _normalise(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}.*", value):
        return value[:19].replace("T", " ")
    return value


def _compare(actual: Any, op: str, value: Any) -> bool:
    actual = _normalise(actual)
    if op in ("=in=", "=out="):
        found = any(_compare(actual, "==", v) for v in value)
        return found if op == "=in=" else not found
    if op in ("=like=", "=ilike="):
        return actual is not None and fnmatch.fnmatchcase(str(actual).lower(), value.lower())
    if actual is None:
        return op == "!="
    left: Any = actual
    right: Any = value
    if isinstance(actual, int):
        try:
            right = int(value)
        except ValueError:
            return False
    else:
        left = str(actual)
    return bool(
        {
            "==": left == right,
            "!=": left != right,
            "=ge=": left >= right,
            "=le=": left <= right,
            "=gt=": left > right,
            "=lt=": left < right,
        }[op]
    )
