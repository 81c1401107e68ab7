"""Permissive pydantic base classes and reusable field types for the GLPI models."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError, to_jsonable_python

from ._rich_text import render_markdown_fields

__all__ = [
    "DeleteModel",
    "GlpiDateTime",
    "GlpiModel",
    "IdName",
    "IdNameAlways",
    "IdNameRef",
    "Ref",
]


#: Each model class's declared keys (names and aliases), filled on first validation: fields are fixed once
#: a class is built, so the set is computed once instead of once per validated instance.
_KNOWN_KEYS: dict[type[BaseModel], frozenset[str]] = {}


class GlpiModel(BaseModel):
    """Permissive base of every GLPI model.

    The GLPI server is the authoritative validator: keys that are not declared fields never raise,
    they land in :attr:`extra_payload`. On a write, :meth:`to_payload` sends the fields that were
    set (explicit ``None`` included) plus ``extra_payload``.
    """

    model_config = ConfigDict(
        populate_by_name=True,
        extra="ignore",
        validate_assignment=False,
        arbitrary_types_allowed=False,
        # Lenient reads: a number where a string is declared (latitude, phone...) validates as its text.
        coerce_numbers_to_str=True,
        # Validators are built on first use, not at import: importing the package stays cheap.
        defer_build=True,
    )

    #: Field names sent by :meth:`to_payload` even when left at their default.
    always_sent_fields: ClassVar[frozenset[str]] = frozenset()

    #: Whether an undeclared key is an error instead of landing in ``extra_payload``. True on every
    #: write model (a class named ``Post...`` or ``Patch...``), so ``PostTicket(nme="x")`` is a typo
    #: caught before sending, not a field sent to GLPI; ``extra_payload={...}`` stays the explicit way
    #: to send what a model does not declare. A class may set it itself (dynamic columns, for instance).
    refuses_unknown_fields: ClassVar[bool] = False

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "refuses_unknown_fields" not in cls.__dict__ and cls.__name__.startswith(("Post", "Patch")):
            cls.refuses_unknown_fields = True

    extra_payload: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def _known_keys(cls) -> frozenset[str]:
        """Field names and their aliases, computed once per class (validation runs this per instance)."""
        cached = _KNOWN_KEYS.get(cls)
        if cached is not None:
            return cached
        keys: set[str] = set()
        for name, info in cls.model_fields.items():
            keys.add(name)
            if info.alias:
                keys.add(info.alias)
            alias = info.validation_alias
            if isinstance(alias, str):
                keys.add(alias)
            elif isinstance(alias, AliasChoices):
                keys.update(choice for choice in alias.choices if isinstance(choice, str))
        known = _KNOWN_KEYS[cls] = frozenset(keys)
        return known

    @model_validator(mode="before")
    @classmethod
    def _collect_extra_payload(cls, data: Any) -> Any:
        """Move undeclared keys into ``extra_payload``; the caller's ``extra_payload`` keys win."""
        if not isinstance(data, Mapping):
            return data
        known = cls._known_keys()
        if known.issuperset(data):  # the common case, one C-level pass: nothing to move
            return data
        unknown = {key: value for key, value in data.items() if key not in known}
        if cls.refuses_unknown_fields:
            raise PydanticCustomError("unknown_field", "{message}", {"message": cls._unknown_message(unknown)})
        declared = {key: value for key, value in data.items() if key in known}
        caller_extra = declared.get("extra_payload")
        if caller_extra is None:
            caller_extra = {}
        if isinstance(caller_extra, Mapping):
            declared["extra_payload"] = {**unknown, **caller_extra}
        return declared

    @classmethod
    def _unknown_message(cls, unknown: Mapping[str, Any]) -> str:
        import difflib  # only when a message needs a suggestion: kept off the import path

        fields = [name for name in cls.model_fields if name != "extra_payload"]
        parts = []
        for key in unknown:
            match = difflib.get_close_matches(str(key), fields, n=1)
            parts.append(f"{key!r}" + (f" (did you mean {match[0]!r}?)" if match else ""))
        shown = ", ".join(f"{key!r}: ..." for key in unknown)
        return (
            f"{cls.__name__} has no field {', '.join(parts)}: to send a field the model does not declare,"
            f" pass it explicitly as extra_payload={{{shown}}}"
        )

    def to_payload(self) -> dict[str, Any]:
        """The JSON body for a write: the fields that were set, then ``extra_payload`` (which wins)."""
        payload: dict[str, Any] = self.model_dump(
            mode="json", exclude_unset=True, exclude={"extra_payload"}, by_alias=True
        )
        missing = self.always_sent_fields - self.model_fields_set
        if missing:
            payload = {**self.model_dump(mode="json", include=set(missing), by_alias=True), **payload}
        payload = render_markdown_fields(self, payload)
        payload.update(to_jsonable_python(self.extra_payload))
        return payload

    def __repr_args__(self) -> Any:
        extra: Any = None
        for name, value in super().__repr_args__():
            if name == "extra_payload":
                extra = value
                continue
            yield name, value
        if extra:
            yield "extra_payload", extra


def _int_to_id_dict(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"id": value}
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return None
        if stripped.lstrip("-").isdigit():
            return {"id": int(stripped)}
    return value


class IdName(GlpiModel):
    """An ``{id, name}`` object as the server returns for ``status``, ``entity``, ``user_*``...

    A bare integer validates as ``IdName(id=...)`` (some properties come back either way).
    Other keys (e.g. an entity's ``completename``) land in ``extra_payload``.
    """

    id: int | None = None
    name: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_id(cls, data: Any) -> Any:
        return _int_to_id_dict(data)


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and (not value.strip() or value.startswith("0000-00-00")):
        return None
    return value


#: A date-time the server sends as ISO 8601 (``2026-11-22T08:41:06+00:00``); ``""`` validates as None.
GlpiDateTime = Annotated[datetime | None, BeforeValidator(_empty_to_none)]

#: An ``{id, name}`` object on a read model; also accepts a bare int id (normalised to ``IdName``).
IdNameRef = Annotated[IdName | None, BeforeValidator(_int_to_id_dict)]


def _always_id_dict(value: Any) -> Any:
    converted = _int_to_id_dict(value)
    return {} if converted is None else converted


#: An ``{id, name}`` object GLPI always sends (a ticket's status): never None, so ``ticket.status.name``
#: type-checks; a missing or null one reads as ``IdName()`` (both fields None).
IdNameAlways = Annotated[IdName, BeforeValidator(_always_id_dict)]


def _reference_to_id(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, BaseModel):
        if "id" not in type(value).model_fields:
            raise ValueError(f"cannot use a {type(value).__name__} as a reference: it has no id")
        return getattr(value, "id", None)
    if isinstance(value, Mapping):
        if "id" not in value:
            raise ValueError("a reference given as a mapping needs an 'id' key")
        return value["id"]
    return value


#: A reference on a write model: an int id, or an ``IdName`` / model / ``{"id": ...}`` reduced to its id.
Ref = Annotated[int, BeforeValidator(_reference_to_id)]


class DeleteModel(GlpiModel):
    """Options of a delete: ``force=True`` purges instead of sending the item to the trash."""

    force: bool = False
