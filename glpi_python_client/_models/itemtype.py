"""Base classes and lenient field types of the itemtype models generated from the OpenAPI document.

``glpi_python_client/_generated/itemtype_models.py`` declares one read model and one write model per schema on
these bases: reads accept what the live server sends (blank strings and nulls become None, undeclared keys are
kept in ``extra_payload``); writes hold only writable properties and refuse unknown ones before anything is sent.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict

from ._base import GlpiModel, IdName, Lenient
from ._rich_text import render_markdown_fields

__all__ = ["Bool", "Date", "Float", "Int", "ItemModel", "ItemWrite", "List", "Object", "Refs", "Str"]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and (not value.strip() or value.startswith("0000-00-00")):
        return None
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("0", "1", "true", "false"):
        return value.strip().lower() in ("1", "true")
    return _blank_to_none(value)


# The plain schema first (pydantic-core), the Python converter only for what it refuses (see Lenient).
Int = Annotated[int | None, Lenient(_blank_to_none, "Input should be an integer, an empty string or null")]
Float = Annotated[float | None, Lenient(_blank_to_none, "Input should be a number, an empty string or null")]
Bool = Annotated[bool | None, Lenient(_bool, "Input should be a boolean, 0/1, an empty string or null")]
Str = str | None
Date = Annotated[date | None, Lenient(_blank_to_none, "Input should be an ISO 8601 date, an empty string or null")]
Object = dict[str, Any] | None
List = list[Any] | None
Refs = list[IdName] | None


class ItemModel(GlpiModel):
    """An item as GLPI returns it: every declared property optional (None when null), ``id`` an int."""

    model_config = ConfigDict(protected_namespaces=())


class ItemWrite(BaseModel):
    """The body of a create or update: writable properties only, unknown keys refused (``extra="forbid"``)."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, defer_build=True, protected_namespaces=(), coerce_numbers_to_str=True
    )

    def to_payload(self) -> dict[str, Any]:
        """The fields that were set (explicit None included), with their GLPI names; Markdown rendered as HTML."""
        payload: dict[str, Any] = self.model_dump(mode="json", exclude_unset=True, by_alias=True)
        return render_markdown_fields(self, payload)
