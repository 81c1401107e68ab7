"""Permissive pydantic base classes and reusable field types for the GLPI models.

Reading a page of models is pydantic-core's work, not Python's: undeclared keys are collected by pydantic
itself (``extra="allow"``) and moved to ``extra_payload`` only when a record has some; the lenient field
types (blank dates, bare int references) try the plain schema first and run their Python converter only
on the input that plain schema refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any, ClassVar

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import CoreSchema, PydanticCustomError, core_schema, to_jsonable_python

from ._rich_text import render_markdown_fields

__all__ = [
    "DeleteModel",
    "GlpiDateTime",
    "GlpiModel",
    "IdName",
    "IdNameAlways",
    "IdNameRef",
    "Lenient",
    "Ref",
]


#: Each write model class's declared keys (names and aliases), filled on its first validation.
_KNOWN_KEYS: dict[type[BaseModel], frozenset[str]] = {}


class Lenient:
    """``Annotated[T, Lenient(convert, expected)]``: ``T`` as pydantic validates it, else ``convert(value)`` as ``T``.

    The plain schema runs first, in pydantic-core; ``convert`` (Python) runs only for an input it refuses
    (a blank string, a bare int id...), so a page of well-formed records costs no Python call per field.
    An input that fails both reads as one error: ``expected``.
    """

    __slots__ = ("convert", "expected")

    def __init__(self, convert: Callable[[Any], Any], expected: str) -> None:
        self.convert = convert
        self.expected = expected

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return lenient_schema(handler(source), self.convert, self.expected)


def lenient_schema(schema: CoreSchema, convert: Callable[[Any], Any], expected: str) -> CoreSchema:
    """``schema``, falling back to ``convert`` then ``schema`` for an input ``schema`` refuses."""
    return core_schema.union_schema(
        [schema, core_schema.no_info_before_validator_function(convert, schema)],
        mode="left_to_right",
        custom_error_type="glpi_lenient",
        custom_error_message=expected,
    )


class GlpiModel(BaseModel):
    """Permissive base of every GLPI model.

    The GLPI server is the authoritative validator: keys that are not declared fields never raise,
    they land in :attr:`extra_payload`. On a write, :meth:`to_payload` sends the fields that were
    set (explicit ``None`` included) plus ``extra_payload``.
    """

    model_config = ConfigDict(
        populate_by_name=True,
        # pydantic-core collects undeclared keys (no Python call per record); model_post_init moves them
        # into extra_payload when a record has some.
        extra="allow",
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
        # The schema is built later (defer_build), from what is set here.
        if cls.refuses_unknown_fields:
            # Its JSON schema says so (additionalProperties: false); the before-validator still words the error.
            cls.model_config = {**cls.model_config, "extra": "forbid"}
        else:
            # Only a model that refuses unknown keys checks them before its fields (in Python); the others,
            # every read model, leave them to pydantic-core.
            cls.__pydantic_decorators__.model_validators.pop("_refuse_unknown_keys", None)

    extra_payload: dict[str, Any] = Field(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        """Move the undeclared keys pydantic collected into ``extra_payload``; the caller's ``extra_payload`` wins."""
        extra = self.__pydantic_extra__
        if extra:
            state = self.__dict__
            state["extra_payload"] = {**extra, **state["extra_payload"]}
            fields_set = self.__pydantic_fields_set__
            fields_set.difference_update(extra)
            fields_set.add("extra_payload")
            extra.clear()

    def __setattr__(self, name: str, value: Any) -> None:
        # extra="allow" would take any attribute as an extra key: keep refusing names the model lacks.
        if name not in type(self).__pydantic_fields__ and not name.startswith("_") and not hasattr(type(self), name):
            raise ValueError(f'"{type(self).__name__}" object has no field "{name}"')
        super().__setattr__(name, value)

    @classmethod
    def _known_keys(cls) -> frozenset[str]:
        """Field names and their aliases, computed once per class."""
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
    def _refuse_unknown_keys(cls, data: Any) -> Any:
        """On a model that refuses unknown keys (writes), name them and suggest the field meant."""
        if not isinstance(data, Mapping) or cls._known_keys().issuperset(data):
            return data
        unknown = {key: value for key, value in data.items() if key not in cls._known_keys()}
        raise PydanticCustomError("unknown_field", "{message}", {"message": cls._unknown_message(unknown)})

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

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        # The object itself in pydantic-core; a bare id (``3``, ``"3"``) through _int_to_id_dict only when given one.
        return lenient_schema(handler(source), _int_to_id_dict, _ID_NAME_EXPECTED)


_ID_NAME_EXPECTED = "Input should be an {id, name} object or an int id"


def _empty_to_none(value: Any) -> Any:
    if isinstance(value, str) and (not value.strip() or value.startswith("0000-00-00")):
        return None
    return value


#: A date-time the server sends as ISO 8601 (``2026-11-22T08:41:06+00:00``); ``""`` validates as None.
GlpiDateTime = Annotated[
    datetime | None, Lenient(_empty_to_none, "Input should be an ISO 8601 date-time, an empty string or null")
]

#: An ``{id, name}`` object on a read model; also accepts a bare int id (normalised to ``IdName``).
IdNameRef = Annotated[IdName | None, Lenient(_int_to_id_dict, _ID_NAME_EXPECTED)]


def _always_id_dict(value: Any) -> Any:
    converted = _int_to_id_dict(value)
    return {} if converted is None else converted


#: An ``{id, name}`` object GLPI always sends (a ticket's status): never None, so ``ticket.status.name``
#: type-checks; a missing or null one reads as ``IdName()`` (both fields None).
IdNameAlways = Annotated[IdName, Lenient(_always_id_dict, _ID_NAME_EXPECTED)]


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
