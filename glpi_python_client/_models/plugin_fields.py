"""Models of the Fields plugin's containers and fields, as the legacy v1 API returns them."""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ._base import GlpiModel

__all__ = ["GlpiPluginFieldsContainer", "GlpiPluginFieldsField"]


def _decode_itemtypes(value: Any) -> Any:
    """The plugin stores ``itemtypes`` as a JSON-encoded string (``'["Ticket"]'``): decode it."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        try:
            decoded = json.loads(text)
        except ValueError:
            return [text]
        if isinstance(decoded, str):
            return [decoded]
        if isinstance(decoded, dict):
            return list(decoded.values())
        return decoded
    return value


class GlpiPluginFieldsContainer(GlpiModel):
    """A Fields plugin container (a block or tab of custom fields attached to some itemtypes).

    ``name`` is the system name GLPI derives from the label (``"Aide à la résolution"`` → ``"aidelarsolution"``);
    it is the key used by ``get_ticket_custom_fields`` / ``set_ticket_custom_fields``.
    """

    id: int | None = None
    name: str | None = None
    label: str | None = None
    itemtypes: Annotated[list[str], BeforeValidator(_decode_itemtypes)] = Field(default_factory=list)
    type: str | None = None
    subtype: str | None = None
    entities_id: int | None = None
    is_recursive: bool | None = None
    is_active: bool | None = None


class GlpiPluginFieldsField(GlpiModel):
    """A field of a Fields plugin container; ``name`` is the column holding its value in the values rows."""

    id: int | None = None
    name: str | None = None
    label: str | None = None
    type: str | None = None
    plugin_fields_containers_id: int | None = None
    ranking: int | None = None
    default_value: str | None = None
    is_active: bool | None = None
    is_readonly: bool | None = None
    mandatory: bool | None = None
    multiple: bool | None = None
    allowed_values: Any = None
