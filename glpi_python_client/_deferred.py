"""A module imported on first use, standing in for it until then (keeps heavy imports off the import path).

``_generated/client_methods.py`` names every plan module, and the plan modules import the models (and so
pydantic). Binding each of them to a :class:`DeferredModule` instead lets ``GlpiClient`` be imported and
built without loading any of that: the first attribute read imports the real module and puts it in the
stand-in's place, so every later call reads a plain module global (no cost per call).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["DeferredModule"]


class DeferredModule:
    """Stands for the module ``name`` as ``namespace[key]`` until an attribute is read, then is replaced by it."""

    __slots__ = ("_key", "_name", "_namespace")

    def __init__(self, name: str, namespace: dict[str, Any], key: str) -> None:
        self._name, self._namespace, self._key = name, namespace, key

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self._name)
        self._namespace[self._key] = module
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"
