"""Markdown rendered as the HTML GLPI stores: markdown-it-py, CommonMark with GFM tables and strikethrough.

markdown-it-py is the maintained pure-Python CommonMark implementation (no compiled extension to ship); it is
imported on the first rendering only (~45 ms), never when the package is imported. It is set up to be safe
whatever the text: raw HTML is shown as text (``html=False``), a link or image may only point to a relative,
web, mail or phone target (:func:`glpi_python_client._links.safe_url`), and there is no linkify or typographer
magic. A newline is a line break (``breaks=True``), as in GLPI's own plain-text display and GitHub comments.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from ._links import normalize_url, safe_url

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["markdown_to_html"]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_lock = threading.Lock()
_renderer: MarkdownIt | None = None


def _build() -> MarkdownIt:
    from markdown_it import MarkdownIt

    class _SafeMarkdownIt(MarkdownIt):
        def validateLink(self, url: str) -> bool:
            return safe_url(url)

        def normalizeLink(self, url: str) -> str:
            return normalize_url(url)

    options = {"html": False, "breaks": True, "linkify": False, "typographer": False, "maxNesting": 100}
    return _SafeMarkdownIt("commonmark", options).enable(["table", "strikethrough"])


def _get() -> MarkdownIt:
    global _renderer
    if _renderer is None:
        with _lock:
            if _renderer is None:
                _renderer = _build()
    return _renderer


def markdown_to_html(markdown: str) -> str:
    """Render Markdown as HTML for a GLPI rich-text field (``""`` for empty or blank text)."""
    text = _LONE_SURROGATE.sub("\ufffd", markdown.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        return ""
    html: str = _get().render(text)
    return html.strip("\n")
