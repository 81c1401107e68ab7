"""Rich-text fields on the models: Markdown to read and write, GLPI's HTML underneath.

A read model stores what GLPI sent in ``<name>_html`` (:func:`html_field`) and reads it as Markdown through
``<name>`` (:class:`MarkdownView`): converted on the first read of that record's body and cached, so parsing
a page converts nothing and a body that cannot be converted fails only when it is read. A write model takes
Markdown in ``<name>`` (:data:`MarkdownText`, rendered when the request body is built) or HTML as-is in
``<name>_html``. Any model, hand-written or generated, adopts them with two lines per field::

    class GetThing(GlpiModel):
        content_html: str | None = html_field("content")
        content = markdown_view("content_html")

    class PostThing(GlpiModel):
        content: MarkdownText = None
        content_html: str | None = None

The converter (:mod:`glpi_python_client.richtext`) is imported on first use, never with the models.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, overload

from pydantic import AliasChoices, BaseModel, Field, computed_field

from .._errors import RichTextError

__all__ = ["MarkdownText", "MarkdownView", "html_field", "markdown_view", "render_markdown_fields"]


class _Markdown:
    """Marks a write-model field whose text is Markdown (see :data:`MarkdownText`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Markdown"


#: A write-model field holding Markdown, rendered as HTML when the request body is built.
MarkdownText = Annotated[str | None, _Markdown()]


def html_field(name: str) -> Any:
    """A read model's stored HTML ``<name>_html``, filled from GLPI's ``name`` (or from ``<name>_html``)."""
    return Field(default=None, validation_alias=AliasChoices(f"{name}_html", name))


def markdown_view(source: str) -> MarkdownView:
    """``<name> = markdown_view("<name>_html")``: the Markdown view, also in dumps (not in ``repr``: no conversion)."""
    view: MarkdownView = computed_field(return_type=str | None, repr=False)(MarkdownView(source))
    return view


class MarkdownView:
    """A read model's Markdown view of a stored-HTML field: converted on first read, cached per record.

    The cache remembers which HTML it came from, so a model copied with another ``<name>_html``
    (``model_copy(update=...)``) converts again instead of showing the old text.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.name = source.removesuffix("_html")
        self._cache_key = f"_markdown_of_{source}"
        self.__doc__ = (
            f"``{self.source}`` (the HTML GLPI stored) as Markdown: converted on first read, then cached. "
            f"Raises RichTextError, naming the record, if it cannot be converted."
        )

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self._cache_key = f"_markdown_of_{self.source}"

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> MarkdownView: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> str | None: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> MarkdownView | str | None:
        if obj is None:
            return self
        state = obj.__dict__
        stored = state.get(self.source)
        if stored is None:
            return None
        cached = state.get(self._cache_key)
        if cached is not None and cached[0] is stored:
            markdown: str = cached[1]
            return markdown
        from ..richtext import html_to_markdown

        try:
            markdown = html_to_markdown(stored)
        except Exception as exc:
            record_id = state.get("id")
            model = type(obj).__name__
            where = f"{model} #{record_id}" if record_id is not None else model
            raise RichTextError(
                f"the {self.name} of {where} could not be read as Markdown ({type(exc).__name__}: {exc}); "
                f"its HTML is in .{self.source}",
                model=model,
                record_id=record_id,
                field=self.name,
            ) from exc
        state[self._cache_key] = (stored, markdown)
        return markdown


@cache
def _markdown_fields(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(
        name
        for name, info in model.model_fields.items()
        if any(isinstance(marker, _Markdown) for marker in info.metadata)
    )


def render_markdown_fields(model: BaseModel, payload: dict[str, Any]) -> dict[str, Any]:
    """A write body with each Markdown field rendered as HTML, or its ``<name>_html`` sent as-is instead."""
    names = _markdown_fields(type(model))
    if not names:
        return payload
    from ..richtext import markdown_to_html

    for name in names:
        html_name = f"{name}_html"
        if html_name in payload:
            if payload.get(name) is not None:
                raise RichTextError(
                    f"{type(model).__name__} got both {name} (Markdown) and {html_name} (HTML): give one",
                    model=type(model).__name__,
                    field=name,
                )
            payload[name] = payload.pop(html_name)
        elif isinstance(payload.get(name), str):
            payload[name] = markdown_to_html(payload[name])
    return payload
