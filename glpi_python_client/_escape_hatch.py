"""``client.api``: the generated ``glpi_api_v2`` functions on the facade's session, as safe as the facade.

* **Same session**: requests go through the client's own :class:`~._transport.GlpiTransport` (token,
  re-authentication, scope headers, retries of idempotent requests, never a POST retried).
* **Typed errors**: an error status raises the facade's exception (``NotFoundError``, ``InternalServerError``
  with an HTML page summarised...) instead of the generated functions' silent ``None``.
* **Both flavours on both clients**: ``sync``/``sync_detailed`` and ``asyncio``/``asyncio_detailed`` work with
  ``GlpiClient().api`` and ``AsyncGlpiClient().api`` alike, on the same token. The generated client would
  otherwise build a bare httpx client for the other flavour and send the request WITHOUT the bearer token;
  here the other flavour is wired to the same session, or refused before sending when the ``transport``
  given to the client cannot serve it.
* **Closed with its client**: a call after ``close()`` raises ``ClientClosedError``.

:class:`PageWalk` is the pure part of ``client.paginate(operation, **kwargs)``: which module, which
arguments, where the next page starts (``Content-Range``), the RSQL rewriting of ``filter_``.

This module imports ``glpi_api_v2``: it is imported on first use of ``client.api`` only.
"""

from __future__ import annotations

import asyncio
import inspect
import sys
import typing
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, Protocol

import httpx
from glpi_api_v2 import AuthenticatedClient

from ._arguments import check_int, shown
from ._config import ClientConfig
from ._constants import DEFAULT_PAGE_SIZE
from ._errors import APIError, ClientClosedError, ConfigurationError, InvalidArgumentError, response_error
from ._operations._common import next_start, not_json
from .rsql import OBJECT_PROPERTIES, map_object_properties

__all__ = ["PageWalk", "SessionApiClient"]

_USER_AGENT = "glpi-python-client/0.1"


class _Owner(Protocol):
    """What the escape hatch reads from its client (a protocol: this module does not import the clients)."""

    _closed: bool

    @property
    def config(self) -> ClientConfig: ...

    def _closed_message(self) -> str: ...


class _Unclosable(httpx.BaseTransport):
    """The client's own transport, lent to the escape hatch: only the client closes it."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._inner.handle_request(request)


class _AsyncUnclosable(httpx.AsyncBaseTransport):
    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._inner.handle_async_request(request)


class _InThread(httpx.AsyncBaseTransport):
    """``asyncio`` functions on a ``GlpiClient``: the client's blocking transport, run off the event loop.

    The answer is read whole in the worker thread, so nothing of the connection escapes it; nothing
    to close either (the connections belong to the client's pool).
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self._inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        def call() -> httpx.Response:
            response = self._inner.handle_request(request)
            try:
                content = response.read()
            finally:
                response.close()
            return httpx.Response(
                response.status_code, headers=response.headers, content=content, extensions=response.extensions
            )

        return await asyncio.to_thread(call)


def _refused(response: httpx.Response) -> bool:
    """An error status, or a success answered with an HTML page (a proxy's or a login page, never GLPI's API)."""
    return response.status_code >= 400 or "html" in response.headers.get("Content-Type", "").lower()


def _raise_for_status(grant_type: str) -> tuple[Callable[[httpx.Response], None], Any]:
    """The response hooks (sync, async) that turn an error status into the facade's typed error.

    A success whose body is an HTML page raises ``APIResponseValidationError`` summarising the page, as
    the facade does, where the generated parser would fail on it with a bare ``JSONDecodeError``.
    """

    def check(response: httpx.Response) -> None:
        if response.status_code >= 400:
            raise response_error(response, grant_type=grant_type) from None
        raise not_json(response) from None

    def hook(response: httpx.Response) -> None:
        if _refused(response):
            response.read()
            check(response)

    async def async_hook(response: httpx.Response) -> None:
        if _refused(response):
            await response.aread()
            check(response)

    return hook, async_hook


class SessionApiClient(AuthenticatedClient):
    """The generated ``glpi_api_v2`` client bound to a facade client's session (see the module docstring).

    Its lifetime is the facade client's: ``with client.api:`` neither opens nor closes anything.
    """

    def __init__(
        self,
        owner: _Owner,
        *,
        sync_wire: Callable[[], httpx.BaseTransport],
        async_wire: Callable[[], httpx.AsyncBaseTransport],
    ) -> None:
        config = owner.config
        # The bearer token is added per request by the session's transport: none is stored here.
        super().__init__(base_url=config.glpi_api_url, token="")
        self._glpi_owner = owner
        self._glpi_wires = (sync_wire, async_wire)
        self._glpi_sync: dict[bool, httpx.Client] = {}
        self._glpi_async: dict[bool, httpx.AsyncClient] = {}
        self._glpi_hooks = _raise_for_status(config.grant_type)

    def __repr__(self) -> str:
        return f"<glpi_api_v2 client on the session of {self._glpi_owner!r}>"

    def _settings(self) -> dict[str, Any]:
        owner = self._glpi_owner
        return {
            "base_url": owner.config.glpi_api_url + "/",
            "timeout": owner.config.timeout,
            "headers": {"Accept": "application/json", "User-Agent": _USER_AGENT},
        }

    def _open(self) -> None:
        if self._glpi_owner._closed:
            raise ClientClosedError(self._glpi_owner._closed_message()) from None

    def _glpi_sync_client(self, *, typed: bool) -> httpx.Client:
        self._open()
        if typed not in self._glpi_sync:
            hooks = {"response": [self._glpi_hooks[0]]} if typed else {}
            self._glpi_sync[typed] = httpx.Client(
                transport=self._glpi_wires[0](), event_hooks=hooks, **self._settings()
            )
        return self._glpi_sync[typed]

    def _glpi_async_client(self, *, typed: bool) -> httpx.AsyncClient:
        self._open()
        if typed not in self._glpi_async:
            hooks = {"response": [self._glpi_hooks[1]]} if typed else {}
            self._glpi_async[typed] = httpx.AsyncClient(
                transport=self._glpi_wires[1](), event_hooks=hooks, **self._settings()
            )
        return self._glpi_async[typed]

    def get_httpx_client(self) -> httpx.Client:
        """The httpx client of ``sync``/``sync_detailed`` calls: the facade's session, raising typed errors."""
        return self._glpi_sync_client(typed=True)

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """The httpx client of ``asyncio``/``asyncio_detailed`` calls: the facade's session, typed errors."""
        return self._glpi_async_client(typed=True)

    def raw_httpx_client(self) -> httpx.Client:
        """An httpx client on the same session that returns error answers instead of raising (read the status)."""
        return self._glpi_sync_client(typed=False)

    def raw_async_httpx_client(self) -> httpx.AsyncClient:
        """The asyncio twin of :meth:`raw_httpx_client`."""
        return self._glpi_async_client(typed=False)

    def set_httpx_client(self, client: httpx.Client) -> typing.Self:
        raise ConfigurationError("client.api uses its client's session: its httpx client cannot be replaced")

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> typing.Self:
        raise ConfigurationError("client.api uses its client's session: its httpx client cannot be replaced")

    def __enter__(self) -> typing.Self:
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def __aenter__(self) -> typing.Self:
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        return None

    def close_sync(self) -> None:
        """Close what this escape hatch opened (never the client's own transport)."""
        clients, self._glpi_sync = list(self._glpi_sync.values()), {}
        for client in clients:
            client.close()
        self._glpi_async = {}  # their transports are lent or threaded: nothing of their own to close

    async def aclose(self) -> None:
        clients, self._glpi_async = list(self._glpi_async.values()), {}
        for client in clients:
            await client.aclose()
        self.close_sync()


def refuse(owner: str, flavour: str, transport: object) -> Any:
    """A wire factory that refuses, before anything is sent, a flavour the given transport cannot serve."""

    def wire() -> Any:
        raise ConfigurationError(
            f"{owner}.api cannot run the generated {flavour} functions: the transport given to {owner}"
            f" ({type(transport).__name__}) has no {flavour} side. Use the other flavour, or give a transport"
            " that has both (httpx.MockTransport does)."
        )

    return wire


def threaded(inner: httpx.BaseTransport) -> httpx.AsyncBaseTransport:
    return _InThread(_Unclosable(inner))


def lent(inner: httpx.BaseTransport) -> httpx.BaseTransport:
    return _Unclosable(inner)


def lent_async(inner: httpx.AsyncBaseTransport) -> httpx.AsyncBaseTransport:
    return _AsyncUnclosable(inner)


# -- client.paginate ----------------------------------------------------------------------------------


def _module_of(operation: Any) -> ModuleType:
    if isinstance(operation, ModuleType):
        module = operation
    else:
        module = sys.modules.get(getattr(operation, "__module__", "") or "")  # type: ignore[assignment]
    name = getattr(module, "__name__", "")
    if module is None or not name.startswith("glpi_api_v2.api.") or not hasattr(module, "sync_detailed"):
        raise InvalidArgumentError(
            "paginate() takes a generated operation (a glpi_api_v2.api module, or its sync/asyncio function),"
            f" got {shown(operation)}"
        )
    parameters = inspect.signature(module.sync_detailed).parameters
    if "start" not in parameters or "limit" not in parameters:
        raise InvalidArgumentError(f"{name.rsplit('.', 1)[-1]} is not a paged list operation (no start/limit)")
    return module


def _itemtype_of(module: ModuleType) -> str | None:
    """The GLPI schema a list operation returns (``Ticket`` for ``get_assistance_ticket``), when known."""
    try:
        hints = typing.get_type_hints(module.sync)
    except Exception:
        return None
    for arg in typing.get_args(hints.get("return")):
        if typing.get_origin(arg) is list:
            (item,) = typing.get_args(arg) or (None,)
            name = getattr(item, "__name__", None)
            if name in OBJECT_PROPERTIES:
                return str(name)
    return None


class _Answer(Protocol):
    @property
    def status_code(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...


class PageWalk:
    """Where ``client.paginate`` is in a generated list operation: its module, arguments and next start."""

    def __init__(self, operation: Any, kwargs: dict[str, Any], *, itemtype: str | None) -> None:
        self.module = _module_of(operation)
        if "client" in kwargs:
            raise InvalidArgumentError("paginate() passes client.api itself: do not give client=")
        self.kwargs = dict(kwargs)
        self.limit = check_int(self.kwargs.pop("limit", DEFAULT_PAGE_SIZE), "limit", minimum=1)
        self.start: int | None = check_int(self.kwargs.pop("start", 0), "start", minimum=0)
        rsql = self.kwargs.get("filter_")
        if isinstance(rsql, str) and rsql:
            resource = itemtype or _itemtype_of(self.module)
            if resource is not None:
                self.kwargs["filter_"] = map_object_properties(rsql, resource)

    def arguments(self) -> dict[str, Any]:
        return {**self.kwargs, "start": self.start, "limit": self.limit}

    def advance(self, response: Any) -> list[Any]:
        """The items of the page just fetched; moves :attr:`start` to the next page (None after the last)."""
        items = response.parsed
        if not isinstance(items, list):
            name = self.module.__name__.rsplit(".", 1)[-1]
            raise APIError(
                f"{name} answered {int(response.status_code)} with {type(items).__name__}, not a page of items",
                request=None,
            )
        assert self.start is not None
        answer: _Answer = response
        self.start = next_start(answer, self.start, len(items), self.limit)  # type: ignore[arg-type]
        return items
