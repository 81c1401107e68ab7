"""Imports deferred to first use, so the heavy ones (the models, pydantic, the plans) stay off the import path.

``_generated/client_methods.py`` names every plan module, and the plan modules import the models (and so
pydantic). Binding each of them to a :class:`DeferredModule` instead lets ``GlpiClient`` be imported and
built without loading any of that: the first attribute read imports the real module and puts it in the
stand-in's place, so every later call reads a plain module global (no cost per call).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["DeferredModule", "LazyExports"]


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


class LazyExports:
    """A package's exported names, each imported from its module on first use (PEP 562).

    ``table`` maps a module (relative to ``package``) to the space-separated names it defines. The package
    keeps its ``TYPE_CHECKING`` imports of the same names (type checkers and the docs read those) and
    forwards its module ``__getattr__``/``__dir__`` here; a name once imported is kept in the package's
    namespace, so later reads are plain attribute reads.
    """

    __slots__ = ("module_of", "namespace", "package")

    def __init__(self, package: str, namespace: dict[str, Any], table: dict[str, str]) -> None:
        self.package, self.namespace = package, namespace
        self.module_of = {name: module for module, names in table.items() for name in names.split()}

    def get(self, name: str) -> Any:
        module = self.module_of.get(name)
        if module is None:
            raise AttributeError(f"module {self.package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, self.package), name)
        self.namespace[name] = value
        return value

    def dir(self) -> list[str]:
        return sorted({*self.namespace, *self.module_of})
