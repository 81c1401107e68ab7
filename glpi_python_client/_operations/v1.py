"""The legacy v1 API session (placeholder until the v1 module lands)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._plan import Plan

if TYPE_CHECKING:
    from .._client import Context


def close_session(ctx: Context) -> Plan[None]:
    """End the v1 session if one was opened."""
    if False:
        yield None
