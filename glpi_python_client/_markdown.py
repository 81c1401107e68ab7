"""GLPI rich text (stored HTML, often entity-encoded) to clean Markdown.

GLPI stores ticket and timeline content as HTML, and frequently returns it entity-encoded
(``&lt;p&gt;text&lt;/p&gt;``). :func:`html_to_markdown` decodes such content, then converts it
with ``markdownify`` (the ``markdown`` extra), imported on first use only so that importing the
package never pulls it in. Without ``markdownify`` a plain-text fallback is used.
"""

from __future__ import annotations

import html
import re

__all__ = ["html_to_markdown"]

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")
_ENCODED_TAG = re.compile(r"&(?:amp;)*lt;/?[A-Za-z][A-Za-z0-9]*(\s.*?)?/?&(?:amp;)*gt;", re.DOTALL)
_BLANK_LINES = re.compile(r"\n{3,}")
_WHITESPACE_ONLY_LINE = re.compile(r"^[ \t]+$", re.MULTILINE)
_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_BLOCK_END = re.compile(r"<\s*/\s*(p|div|li|h[1-6]|tr|blockquote|pre)\s*>", re.IGNORECASE)


def _decode_entities(text: str) -> str:
    """Unescape entity-encoded HTML (``&lt;p&gt;``), even double-encoded, but never real HTML."""
    for _ in range(3):
        if _TAG.search(text) or not _ENCODED_TAG.search(text):
            break
        text = html.unescape(text)
    return text


def _fallback(text: str) -> str:
    """Tags dropped, block ends and ``<br>`` as line breaks: used when markdownify is missing."""
    text = _BREAK.sub("\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    return html.unescape(_TAG.sub("", text))


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _WHITESPACE_ONLY_LINE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def html_to_markdown(content: str | None) -> str:
    """Convert GLPI content to Markdown: decode entities, convert the HTML, strip, collapse blank lines.

    ``None`` and empty content give ``""``. Text without any tag is returned as text (entities decoded).
    """
    if not content:
        return ""
    text = _decode_entities(content)
    if not _TAG.search(text):
        return _tidy(html.unescape(text))
    try:
        from markdownify import markdownify
    except ImportError:  # the optional "markdown" extra is not installed
        return _tidy(_fallback(text))
    converted: str = markdownify(text, heading_style="ATX", bullets="-", escape_underscores=False)
    return _tidy(converted)
