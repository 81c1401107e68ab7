"""``client.<area>.<collection>`` and ``client.resource(name)`` on both clients, built on first use.

The areas come from ``_generated/resource_areas.py`` (small, on the import path); the area classes, the
resource classes per set of declared operations and the models are generated modules imported the first
time an itemtype is reached, so ``import glpi_python_client`` stays cheap. Type checkers see the generated,
fully typed ``SyncItemtypesAPI``/``AsyncItemtypesAPI`` (``_generated/resource_accessors.py``) instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ._generated.resource_areas import AREAS

if TYPE_CHECKING:
    from ._operations.crud import PathResource

__all__ = ["AsyncItemtypes", "SyncItemtypes", "build"]


def build(client: Any, name: str, *, side: str) -> Any:
    """A new resource of ``name`` (itemtype or path) for ``client``; ``side`` is ``Sync`` or ``Async``."""
    from ._generated import resource_accessors as acc
    from ._operations.crud import PathResource
    from ._resources import model_class, resource_spec, template

    spec = resource_spec(name)
    table: dict[str, type[Any]] = acc.ASYNC_CLASSES if side == "Async" else acc.SYNC_CLASSES
    res: PathResource[Any] = PathResource(
        spec["itemtype"], model_class(spec["read_schema"]), "", "", path=template(spec["path"])
    )
    write = model_class(spec["write_schema"] + "Write")
    return table[spec["operations"]](client, res, write, spec["subcollections"], table)


class _AreaProperty:
    """``client.assets``: the area object, made on first access and kept on the client."""

    def __init__(self, attribute: str, title: str) -> None:
        self.attribute, self.title = attribute, title
        self.__doc__ = f"The collections under ``/{title}`` (see ``client.{attribute}.<collection>``)."

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        from ._generated import resource_accessors as acc

        area = getattr(acc, f"{obj._side}{self.title}Area")(obj)
        obj.__dict__[self.attribute] = area
        return area


class _Itemtypes:
    _side: ClassVar[str]

    def resource(self, name: str) -> Any:
        """The collection named by an itemtype (``"Computer"``, ``"KnowbaseItem"``) or a path (``"/Assets/Computer"``).

        An unknown name raises ``UnknownResourceError`` (a ``ValueError``) naming the closest matches.

        Args:
            name: An itemtype (``"Computer"``) or a route (``"/Assets/Computer"``).

        Returns:
            The collection, the same object as its accessor (``client.assets.computers``).

        Raises:
            UnknownResourceError: No collection has this name; the message suggests the closest ones.
        """
        from ._resources import resource_spec

        itemtype = resource_spec(name)["itemtype"]
        cache: dict[str, Any] = self.__dict__.setdefault("_itemtype_resources", {})
        found = cache.get(itemtype)
        if found is None:
            found = cache[itemtype] = build(self, itemtype, side=self._side)
        return found


class SyncItemtypes(_Itemtypes):
    """The itemtype areas of :class:`~glpi_python_client.GlpiClient`."""

    _side = "Sync"


class AsyncItemtypes(_Itemtypes):
    """The itemtype areas of :class:`~glpi_python_client.AsyncGlpiClient`."""

    _side = "Async"


for _attribute, _title in AREAS.items():
    setattr(SyncItemtypes, _attribute, _AreaProperty(_attribute, _title))
    setattr(AsyncItemtypes, _attribute, _AreaProperty(_attribute, _title))
