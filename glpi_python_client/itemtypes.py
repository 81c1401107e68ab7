"""The typed models of every itemtype collection, and what the typed resources return and raise.

``from glpi_python_client.itemtypes import Computer, ComputerWrite`` names the models generated from the
OpenAPI document (one read model and one ``...Write`` model per schema); they are imported on first use, so
importing this module stays cheap. :class:`SearchPage` is what ``search()`` returns,
:class:`WriteValidationError` what a write body that does not fit its schema raises (before anything is sent),
:class:`UnknownResourceError` what ``client.resource(name)`` raises for a name no collection has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._operations.crud import SearchPage
from ._operations.items import WriteValidationError
from ._resources import UnknownResourceError

if TYPE_CHECKING:
    from ._generated.itemtype_models import *  # noqa: F403

__all__ = ["SearchPage", "UnknownResourceError", "WriteValidationError"]  # and every generated model


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # the import system probes __path__ & co: never load the models for that
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from ._generated import itemtype_models

    try:
        return getattr(itemtype_models, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


def __dir__() -> list[str]:
    from ._generated import itemtype_models

    return sorted({*globals(), *itemtype_models.__all__})
