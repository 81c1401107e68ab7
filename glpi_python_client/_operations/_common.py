"""Building requests through the generated layer and reading GLPI's answers."""

from __future__ import annotations

import importlib
import re
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from .._errors import APIResponseValidationError, summarize_body
from .._plan import Send

__all__ = [
    "ContentRange",
    "Payload",
    "created_id",
    "endpoint",
    "json_body",
    "not_json",
    "parse_envelopes",
    "parse_item",
    "parse_list",
    "parse_model",
    "parse_page",
    "send",
    "unwrap_envelopes",
    "validation_problems",
]

M = TypeVar("M", bound=BaseModel)


def endpoint(name: str) -> Any:
    """The generated module of an operation, imported on first use: ``endpoint("assistance.get_assistance_ticket")``.

    Kept in a dict afterwards: every call of an operation asks for its module (import_module costs ~2 us).
    """
    module = _ENDPOINTS.get(name)
    if module is None:
        module = _ENDPOINTS[name] = importlib.import_module(f"glpi_api_v2.api.{name}")
    return module


_ENDPOINTS: dict[str, Any] = {}


class Payload:
    """Gives a plain dict the ``to_dict()`` that generated request builders call on bodies."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        return self.data


def send(kwargs: dict[str, Any], **options: Any) -> Send:
    """A :class:`Send` step from a generated module's ``request_kwargs()`` (its public request builder)."""
    return Send(
        method=str(kwargs["method"]).upper(),
        url=kwargs["url"].lstrip("/"),
        params=kwargs.get("params") or None,
        json=kwargs.get("json"),
        headers=kwargs.get("headers") or None,
        **options,
    )


def _where(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.copy_with(query=None)}"


def json_body(response: httpx.Response) -> Any:
    """The JSON of a success response, or a typed error for an HTML page or truncated JSON."""
    try:
        return response.json()
    except ValueError:
        raise not_json(response) from None


def not_json(response: httpx.Response) -> APIResponseValidationError:
    """The error for a success answer whose body is not the JSON asked for (an HTML page, a body cut short)."""
    kind = response.headers.get("Content-Type", "no Content-Type")
    return APIResponseValidationError(
        f"GLPI answered {response.status_code} to {_where(response)} with a body that is not valid JSON"
        f" ({kind}): {summarize_body(response, response.text[:4000])}",
        response=response,
    )


def validation_problems(exc: ValidationError, *, whole: str = "the answer") -> str:
    """A pydantic error in one line: ``field: message; ...`` (at most five, then how many more)."""
    problems = "; ".join(
        (f"{'.'.join(str(part) for part in error['loc'])}: " if error["loc"] else "") + str(error["msg"])
        for error in exc.errors()[:5]
    )
    more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
    return (problems or whole) + more


def parse_model(cls: type[M], data: Any, response: httpx.Response) -> M:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise APIResponseValidationError(
            f"GLPI's answer to {_where(response)} is not a valid {cls.__name__}: {validation_problems(exc)}",
            response=response,
        ) from None


def parse_item(cls: type[M], response: httpx.Response) -> M:
    """One model from the answer's bytes in one pydantic-core call, as :func:`parse_page` reads a page.

    A body that is not a JSON object, or does not validate, takes :func:`parse_model`'s path, which
    words the error (or :func:`not_json`'s, for an HTML page or a body cut short).
    """
    content = response.content
    if content[:1] == b"{":
        try:
            return cls.model_validate_json(content)
        except ValidationError:
            pass
    return parse_model(cls, json_body(response), response)


def unwrap_envelopes(data: list[Any]) -> list[Any]:
    """Timeline lists come as ``[{"type": ..., "item": {...}}]``: return the items (other entries as they are)."""
    return [e["item"] if isinstance(e, dict) and isinstance(e.get("item"), dict) else e for e in data]


def parse_list(cls: type[M], data: Any, response: httpx.Response) -> list[M]:
    """A list of models; accepts GLPI's object keyed by index (``{"1": {...}}``) and timeline envelopes."""
    if isinstance(data, dict):
        data = list(data.values())
    if not isinstance(data, list):
        raise APIResponseValidationError(
            f"GLPI answered {type(data).__name__} where a list of {cls.__name__} was expected", response=response
        )
    return [parse_model(cls, item, response) for item in unwrap_envelopes(data)]


#: One ``TypeAdapter(list[Model])`` per model class, built on the first page of that model.
_PAGE_ADAPTERS: dict[type[BaseModel], TypeAdapter[list[Any]]] = {}


def parse_page(cls: type[M], response: httpx.Response) -> list[M]:
    """A search page's models, its bytes validated in one pydantic-core call when it is a plain JSON list.

    Anything else (an object keyed by index, envelopes, a body that does not validate) takes
    :func:`parse_list`'s path, which accepts those shapes and words the errors.
    """
    content = response.content
    if content[:1] == b"[":
        adapter = _PAGE_ADAPTERS.get(cls)
        if adapter is None:
            adapter = _PAGE_ADAPTERS[cls] = TypeAdapter(list[cls])  # type: ignore[valid-type]
        try:
            return adapter.validate_json(content)
        except ValidationError:
            pass
    return parse_list(cls, json_body(response), response)


#: One ``TypeAdapter(list[{"item": Model}])`` per model class, for timeline lists (``[{"type", "item"}]``).
_ENVELOPE_ADAPTERS: dict[type[BaseModel], TypeAdapter[list[Any]]] = {}


def parse_envelopes(cls: type[M], response: httpx.Response) -> list[M]:
    """A timeline list's models, read from ``[{"type": ..., "item": {...}}]`` bytes in one pydantic-core call.

    Any other shape (bare items, an object keyed by index) or a body that does not validate takes
    :func:`parse_list`'s path, which accepts those shapes and words the errors.
    """
    content = response.content
    if content[:1] == b"[":
        adapter = _ENVELOPE_ADAPTERS.get(cls)
        if adapter is None:
            from pydantic import create_model

            envelope = create_model(f"{cls.__name__}Envelope", item=(cls, ...))
            adapter = _ENVELOPE_ADAPTERS[cls] = TypeAdapter(list[envelope])  # type: ignore[valid-type]
        try:
            return [entry.item for entry in adapter.validate_json(content)]
        except ValidationError:
            pass
    return parse_list(cls, json_body(response), response)


def created_id(response: httpx.Response) -> int:
    """The id of a created item: the ``{"id", "href"}`` body, else the Location header."""
    data: Any = None
    if response.content.strip():
        data = json_body(response)
    if isinstance(data, dict) and isinstance(data.get("id"), int):
        return int(data["id"])
    match = re.search(r"/(\d+)/?$", response.headers.get("Location", ""))
    if match:
        return int(match.group(1))
    raise APIResponseValidationError("GLPI created the item but its answer holds no id", response=response)


class ContentRange:
    """``Content-Range: start-end/total``, read leniently (``0--1/0``, ``100000-1/2`` occur)."""

    __slots__ = ("end", "start", "total")

    def __init__(self, start: int | None, end: int | None, total: int | None) -> None:
        self.start, self.end, self.total = start, end, total

    @classmethod
    def parse(cls, header: str | None) -> ContentRange | None:
        if not header:
            return None
        match = re.search(r"(-?\d+)-(-?\d+)/(\d+|\*)", header)
        if not match:
            return None
        total = None if match.group(3) == "*" else int(match.group(3))
        return cls(int(match.group(1)), int(match.group(2)), total)


def next_start(response: httpx.Response, start: int, count: int, limit: int) -> int | None:
    """Where the next page starts, or None when this page was the last."""
    if count == 0:
        return None
    rng = ContentRange.parse(response.headers.get("Content-Range"))
    following = start + count
    if rng is not None and rng.total is not None:
        return following if following < rng.total else None
    if response.status_code == 206:
        return following
    return following if count >= limit else None
