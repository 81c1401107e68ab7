"""Reference models under the peer glpi-python-client's names, for code written against it.

``IdNameRef(id=2)`` / ``IdRef(id=2)`` / ``IdNameCompletenameRef(...)`` build a reference the write models
accept (they send its id); read models give :class:`~glpi_python_client.IdName` objects, which
``IdNameRef`` is.
"""

from __future__ import annotations

from ._base import GlpiModel, IdName

__all__ = ["IdNameCompletenameRef", "IdNameRef", "IdRef"]

#: ``{id, name}``: the same class as :class:`IdName`.
IdNameRef = IdName


class IdRef(GlpiModel):
    """A reference by id only (``{"id": 3}``)."""

    id: int | None = None


class IdNameCompletenameRef(IdName):
    """``{id, name, completename}``, as GLPI returns an entity (``"Root entity > Paris"``)."""

    completename: str | None = None
