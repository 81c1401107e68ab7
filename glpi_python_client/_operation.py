"""Descriptors that turn one plan function into a sync method and an async method.

``get_ticket = operation(tickets.get_ticket)`` on a mixin gives ``GlpiClient``
a blocking ``get_ticket(ticket_id) -> GetTicket`` and ``AsyncGlpiClient`` a
coroutine ``get_ticket(ticket_id) -> GetTicket``, both with the plan's
signature (minus its context argument) and docstring.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ._plan import Plan

if TYPE_CHECKING:
    from ._client import AsyncClientBase, Context, SyncClientBase

__all__ = ["Page", "Paginator", "operation", "paginated"]

P = ParamSpec("P")
T = TypeVar("T")


@functools.cache
def _public_signature(fn: Callable[..., Any]) -> inspect.Signature:
    """The signature of ``fn`` without its first (context) parameter."""
    sig = inspect.signature(fn)
    return sig.replace(parameters=list(sig.parameters.values())[1:])


def _bind(obj: Any, name: str, fn: Callable[..., Any], bound: Any) -> Any:
    """Dress the client's bound callable like ``fn`` and cache it on the instance (later lookups skip this)."""
    functools.update_wrapper(bound, fn)
    bound.__name__ = name
    bound.__signature__ = _public_signature(fn)
    obj.__dict__[name] = bound
    return bound


class operation(Generic[P, T]):
    """A client method written once as a plan over a :class:`~._client.Context`."""

    def __init__(self, plan: Callable[Concatenate[Context, P], Plan[T]]) -> None:
        self.plan = plan
        self.__doc__ = plan.__doc__
        self.name = plan.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> operation[P, T]: ...
    @overload
    def __get__(self, obj: SyncClientBase, owner: type | None = None) -> Callable[P, T]: ...
    @overload
    def __get__(self, obj: AsyncClientBase, owner: type | None = None) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return _bind(obj, self.name, self.plan, obj._bind_operation(self.plan))


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a search: its items and where the next one starts (None: this was the last)."""

    items: list[T]
    next_start: int | None


class Paginator(Generic[T]):
    """What a paginated plan returns: how to fetch the page starting at ``start``."""

    def __init__(self, fetch: Callable[[int], Plan[Page[T]]], *, start: int = 0) -> None:
        self.fetch = fetch
        self.start = start


class paginated(Generic[P, T]):
    """A method yielding pages: a generator on the sync client, an async generator on the async one."""

    def __init__(self, factory: Callable[Concatenate[Context, P], Paginator[T]]) -> None:
        self.factory = factory
        self.__doc__ = factory.__doc__
        self.name = factory.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> paginated[P, T]: ...
    @overload
    def __get__(self, obj: SyncClientBase, owner: type | None = None) -> Callable[P, Iterator[list[T]]]: ...
    @overload
    def __get__(self, obj: AsyncClientBase, owner: type | None = None) -> Callable[P, AsyncIterator[list[T]]]: ...
    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return _bind(obj, self.name, self.factory, obj._bind_pages(self.factory))
