"""Knowledge base models: articles, categories, comments, revisions (``/Knowledgebase/...``)."""

from __future__ import annotations

from pydantic import Field

from ._base import DeleteModel, GlpiDateTime, GlpiModel, IdNameRef, Ref
from ._rich_text import MarkdownText, html_field, markdown_view
from .peer_fields import ServerStamps

__all__ = [
    "DeleteKBArticle",
    "DeleteKBArticleComment",
    "DeleteKBCategory",
    "GetKBArticle",
    "GetKBArticleComment",
    "GetKBArticleRevision",
    "GetKBCategory",
    "KBArticleRevisionRef",
    "KBArticleTranslationRef",
    "PatchKBArticle",
    "PatchKBArticleComment",
    "PatchKBCategory",
    "PostKBArticle",
    "PostKBArticleComment",
    "PostKBCategory",
]


class KBArticleRevisionRef(GlpiModel):
    """One entry of an article's ``revisions`` list."""

    id: int | None = None
    revision: int | None = None
    language: str | None = None
    date: GlpiDateTime = None


class KBArticleTranslationRef(GlpiModel):
    """One entry of an article's ``translations`` list."""

    id: int | None = None
    language: str | None = None
    name: str | None = None


class _KBArticleFields(GlpiModel):
    name: str | None = None
    is_faq: bool | None = None
    is_recursive: bool | None = None
    is_pinned: bool | None = None
    show_in_service_catalog: bool | None = None
    illustration: str | None = None
    date_begin: GlpiDateTime = None
    date_end: GlpiDateTime = None


class GetKBArticle(_KBArticleFields):
    """A knowledge base article as returned by the server; ``content``/``description`` read as Markdown."""

    id: int | None = None
    #: The article as GLPI stored it (HTML); ``content`` is the same as Markdown.
    content_html: str | None = html_field("content")
    content = markdown_view("content_html")
    description_html: str | None = html_field("description")
    description = markdown_view("description_html")
    views: int | None = None
    entity: IdNameRef = None
    user: IdNameRef = None
    categories: list[IdNameRef] = Field(default_factory=list)
    revisions: list[KBArticleRevisionRef] = Field(default_factory=list)
    translations: list[KBArticleTranslationRef] = Field(default_factory=list)
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _KBArticleWrite(_KBArticleFields, ServerStamps):
    """``content``/``description`` are Markdown, rendered as HTML when the request is built; the ``*_html``
    fields send HTML as-is."""

    content: MarkdownText = None
    content_html: str | None = None
    description: MarkdownText = None
    description_html: str | None = None
    entity: Ref | None = None
    user: Ref | None = None
    #: Category ids. The v2 API ignores category writes (they are read-only there): the client sets them
    #: through ``set_kb_article_categories`` (legacy v1 API) after the create or update.
    categories: list[Ref] | None = None


class PostKBArticle(_KBArticleWrite):
    """Body of an article create. Only the fields you set are sent."""


class PatchKBArticle(_KBArticleWrite):
    """Body of an article update. Only the fields you set are sent."""


class DeleteKBArticle(DeleteModel):
    """Article delete options."""


class _KBCategoryFields(GlpiModel):
    name: str | None = None
    comment: str | None = None
    is_recursive: bool | None = None


class GetKBCategory(_KBCategoryFields):
    """A knowledge base category (``completename`` is ``"Parent > Child"``)."""

    id: int | None = None
    completename: str | None = None
    level: int | None = None
    entity: IdNameRef = None
    parent: IdNameRef = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _KBCategoryWrite(_KBCategoryFields, ServerStamps):
    entity: Ref | None = None
    parent: Ref | None = None


class PostKBCategory(_KBCategoryWrite):
    """Body of a category create."""


class PatchKBCategory(_KBCategoryWrite):
    """Body of a category update (only the fields you set are sent)."""


class DeleteKBCategory(DeleteModel):
    """Category delete options."""


class _KBArticleCommentFields(GlpiModel):
    comment: str | None = None
    language: str | None = None


class GetKBArticleComment(_KBArticleCommentFields):
    """A comment on an article."""

    id: int | None = None
    kbarticle: IdNameRef = None
    user: IdNameRef = None
    parent: IdNameRef = None
    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None


class _KBArticleCommentWrite(_KBArticleCommentFields, ServerStamps):
    user: Ref | None = None
    #: The comment this one answers.
    parent: Ref | None = None


class PostKBArticleComment(_KBArticleCommentWrite):
    """Body of a comment create (the article comes from the URL)."""


class PatchKBArticleComment(_KBArticleCommentWrite):
    """Body of a comment update."""


class DeleteKBArticleComment(DeleteModel):
    """Comment delete options."""


class GetKBArticleRevision(GlpiModel):
    """A past revision of an article (revisions are read-only)."""

    id: int | None = None
    kbarticle: IdNameRef = None
    revision: int | None = None
    name: str | None = None
    #: The revision's text as GLPI stored it (HTML); ``content`` is the same as Markdown.
    content_html: str | None = html_field("content")
    content = markdown_view("content_html")
    language: str | None = None
    user: IdNameRef = None
    date: GlpiDateTime = None
