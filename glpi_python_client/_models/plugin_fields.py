"""Models of the Fields plugin's containers and fields, as the legacy v1 API returns them."""

from __future__ import annotations

import json
from collections.abc import KeysView
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field

from ._base import GlpiModel

__all__ = [
    "GetPluginFieldsContainer",
    "GetPluginFieldsField",
    "GetPluginFieldsValueRow",
    "GlpiPluginFieldsContainer",
    "GlpiPluginFieldsField",
    "PostPluginFieldsValueRow",
]


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

    id: int
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

    id: int
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


#: The peer glpi-python-client's names for the same models.
GetPluginFieldsContainer = GlpiPluginFieldsContainer
GetPluginFieldsField = GlpiPluginFieldsField


class _ValueRowFields(GlpiModel):
    items_id: int | None = None
    itemtype: str | None = None
    plugin_fields_containers_id: int | None = None
    entities_id: int | None = None


class GetPluginFieldsValueRow(_ValueRowFields):
    """One values row of a container for one item; the container's fields land in ``extra_payload``.

    It also reads like the raw v1 row it comes from: ``row["id"]``, ``row["serialfield"]``, ``row.get(...)``,
    ``"serialfield" in row``, ``dict(row)`` (declared fields and field columns alike).
    """

    id: int | None = None

    def _raw(self) -> dict[str, Any]:
        declared = {name: getattr(self, name) for name in self.model_fields_set if name != "extra_payload"}
        return {**declared, **self.extra_payload}

    def __getitem__(self, key: str) -> Any:
        return self._raw()[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The value of a column (declared or field), or ``default``."""
        return self._raw().get(key, default)

    def keys(self) -> KeysView[str]:
        """The row's column names, as v1 sent them."""
        return self._raw().keys()

    def __contains__(self, key: object) -> bool:
        return key in self._raw()


class PostPluginFieldsValueRow(_ValueRowFields):
    """Body of a values row create: the parent item, the container, and its field values in ``extra_payload``."""

    #: The container's field columns are dynamic: undeclared keys are its field values, kept as they are.
    refuses_unknown_fields: ClassVar[bool] = False
