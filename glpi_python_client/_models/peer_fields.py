"""Write-model fields the peer glpi-python-client's models declare, so code that sets them keeps working here.

The peer mirrors each schema whole in its write models (server-set dates, parents, trash flags...). Here
the write models refuse undeclared keywords, so those names are declared too: optional, sent only when set,
exactly as the peer sends them. GLPI sets most of them itself and may ignore what is sent.
"""

from __future__ import annotations

from ._base import GlpiDateTime, GlpiModel

__all__ = ["ServerStamps"]


class ServerStamps(GlpiModel):
    """``date_creation`` and ``date_mod``: GLPI stamps them itself; accepted on writes for the peer's code."""

    date_creation: GlpiDateTime = None
    date_mod: GlpiDateTime = None
