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


def _public_signature(fn: Callable[..., Any], returns: Any) -> inspect.Signature:
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())[1:]
    return sig.replace(parameters=params, return_annotation=returns)


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
        bound = obj._bind_operation(self.plan)
        functools.update_wrapper(bound, self.plan)
        bound.__name__ = self.name
        bound.__signature__ = _public_signature(self.plan, inspect.signature(self.plan).return_annotation)
        return bound


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
        bound = obj._bind_pages(self.factory)
        functools.update_wrapper(bound, self.factory)
        bound.__name__ = self.name
        bound.__signature__ = _public_signature(self.factory, inspect.signature(self.factory).return_annotation)
        return bound
