"""Which link and image targets rich text may carry, and their one spelling.

Shared by both directions of :mod:`glpi_python_client.richtext` so that a target read from GLPI and written
back is spelled the same, and so that neither direction ever produces a ``javascript:`` (or ``vbscript:``,
``data:``, ``file:``...) link: only web, mail, phone and relative targets pass.
"""

from __future__ import annotations

import re

__all__ = ["SAFE_SCHEMES", "normalize_url", "safe_url"]

#: Schemes a link or image may use; anything else with a scheme is refused.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "ftps", "tel"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
#: What browsers ignore inside a URL (so ``java\tscript:`` is ``javascript:`` to them).
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
#: Characters percent-encoded in the one spelling: controls, space, and the two that end a Markdown target.
_ENCODE = re.compile(r"[\x00-\x20\x7f<>]")


def normalize_url(url: str) -> str:
    """The spelling used on both sides: trimmed, controls/space/``<``/``>`` percent-encoded, the rest as is."""
    return _ENCODE.sub(lambda m: f"%{ord(m.group()):02X}", url.strip(" \t\n\r\f"))


def safe_url(url: str) -> bool:
    """True for a relative target or one whose scheme is in :data:`SAFE_SCHEMES`."""
    match = _SCHEME.match(_IGNORED.sub("", url))
    return match is None or match.group(1).lower() in SAFE_SCHEMES
