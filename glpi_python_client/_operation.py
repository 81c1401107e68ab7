"""Declarations of the clients' public methods: each one names the plan that implements it, once for both clients.

An area of the API is a class whose attributes declare its methods::

    class TicketsAPI:
        \"\"\"``/Assistance/Ticket``.\"\"\"

        get_ticket = operation(resources.get_ticket)            # -> GlpiClient.get_ticket(...) -> GetTicket
        iter_search_tickets = paginated(resources.iter_search_tickets)  # -> Iterator[list[GetTicket]]

These classes are not bases of the clients: they are the input of ``scripts/generate_methods.py``,
which writes real ``def`` (``GlpiClient``) and ``async def`` (``AsyncGlpiClient``) methods, with
the plan's signature minus its :class:`~._state.Context`, its docstring and the return type the
caller gets, into ``glpi_python_client/_generated/client_methods.py`` (``make regenerate``).
Every generated body is one line handing the plan to the client's runtime.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar

from ._pages import Chunks, Page, Paginator
from ._plan import Plan

if TYPE_CHECKING:
    from ._state import Context

__all__ = ["Chunks", "Declaration", "Page", "Paginator", "declarations", "operation", "paginated", "streamed"]

P = ParamSpec("P")
T = TypeVar("T")


class _Declared:
    """A declared method: its name (the attribute it is assigned to) and the function implementing it."""

    kind: str
    target: Callable[..., Any]

    def __init__(self, target: Callable[..., Any]) -> None:
        self.target = target
        self.name: str = target.__name__
        self.__doc__ = target.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"{self.kind}({self.target.__module__}.{self.target.__qualname__})"


class operation(_Declared, Generic[P, T]):
    """A method that runs one plan: ``T`` on ``GlpiClient``, a coroutine of ``T`` on ``AsyncGlpiClient``."""

    kind = "operation"

    def __init__(self, plan: Callable[Concatenate[Context, P], Plan[T]]) -> None:
        super().__init__(plan)


class paginated(_Declared, Generic[P, T]):
    """A method yielding pages (lists of ``T``): a generator on ``GlpiClient``, an async generator on the other."""

    kind = "paginated"

    def __init__(self, factory: Callable[Concatenate[Context, P], Paginator[T]]) -> None:
        super().__init__(factory)


class streamed(_Declared, Generic[P]):
    """A method yielding one response body in chunks (``bytes``): a generator, or an async generator.

    The response stays open while the caller iterates, so a large body never sits in memory.
    """

    kind = "streamed"

    def __init__(self, factory: Callable[Concatenate[Context, P], Chunks]) -> None:
        super().__init__(factory)


Declaration = operation[Any, Any] | paginated[Any, Any] | streamed[Any]


def declarations(root: type) -> Iterator[tuple[type, str, Declaration]]:
    """Every ``(area, name, declaration)`` of ``root`` and its bases, areas in MRO order, names as declared."""
    for area in root.__mro__:
        if area is object:
            continue
        for name, value in vars(area).items():
            if isinstance(value, operation | paginated | streamed):
                yield area, name, value
