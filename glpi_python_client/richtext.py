"""Rich text both ways: GLPI's HTML read as Markdown, Markdown rendered as the HTML GLPI stores.

GLPI keeps ticket, followup, task and solution bodies (every property its document marks ``format: html``)
as HTML, sometimes entity-encoded (``&lt;p&gt;...``). The models use this module so that code reads and
writes Markdown (CommonMark with GFM tables and strikethrough):

* :func:`html_to_markdown` (read): entity-encoded bodies are decoded, a body holding no HTML element is
  plain text (kept as GLPI shows it: blank lines part paragraphs, newlines break lines), and text that would
  read as Markdown syntax by accident is escaped (``__init__`` -> ``\\_\\_init\\_\\_``, ``C:\\Temp`` ->
  ``C:\\\\Temp``, ``#`` or ``-`` at a line start), so that writing back what was read changes nothing.
  Built on the standard library's HTML parser: cheap to import, fast, exact.
* :func:`escape_markdown`: text as Markdown that shows as that text (for composing Markdown around values).
* :func:`markdown_to_html` (write): markdown-it-py, imported on first use. Safe whatever the text: raw HTML
  shows as text, links and images may only target relative, ``http(s)``, ``mailto``, ``ftp(s)`` or ``tel``
  URLs (never ``javascript:``), no attribute but ``href``/``src``/``alt``/``title``, a code block's
  language class and a table cell's alignment is ever written. A newline is a line break.

The round trip: for any Markdown ``m`` this package reads, ``html_to_markdown(markdown_to_html(m)) == m``,
and the HTML it renders shows what GLPI showed. What does not survive (what Markdown cannot say):

* styling without a Markdown form: colours, fonts, sizes, underline, sub/superscript, ``<span>`` classes and
  inline styles (the text stays), image sizes, ``<q>`` (its text in curly quotes);
* a table keeps its cells as single lines (breaks and blocks inside a cell become spaces), gets a header
  row (its first row) if it had none, loses ``colspan``/``rowspan`` and its caption becomes a paragraph;
* white space: runs collapse to one space as HTML displays them, empty paragraphs used as spacing are
  dropped, a ``<div>`` reads as a paragraph;
* emphasis CommonMark cannot express (``<b>"a"</b>b``: a closing ``**`` between punctuation and a letter)
  keeps its text without the emphasis; nested links keep the outer one; ``<dl>``, ``<details>``, forms,
  scripts, styles, frames and media are read as their text or dropped;
* unsafe targets (``javascript:``, ``data:``...): the link keeps its text, the image its alt text.
"""

from __future__ import annotations

from ._html_reader import contains_html, escape_markdown, html_to_markdown
from ._links import SAFE_SCHEMES
from ._markdown_writer import markdown_to_html

__all__ = ["SAFE_SCHEMES", "contains_html", "escape_markdown", "html_to_markdown", "markdown_to_html"]
