"""GlpiClient and AsyncGlpiClient: one configuration, one set of operations, two drivers.

Both clients get their public methods from ``_generated/client_methods.py``, written by
``scripts/generate_methods.py`` from the declarations in ``_api*.py``; each method hands one
plan (see :mod:`._plan`) to its client's runtime. :class:`SyncClientBase` drives plans with
a pooled ``httpx.Client`` (threads for concurrent steps); :class:`AsyncClientBase`
with a pooled ``httpx.AsyncClient`` and ``asyncio.gather``.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from concurrent.futures import Executor
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx

from ._config import ClientConfig, checked_settings, config_from_env
from ._connections import ConnectionLanes, http_transport
from ._constants import (
    DEFAULT_CONCURRENCY,
    DEFAULT_LANGUAGE,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_TOKEN_REFRESH_MARGIN,
    NAME_CACHE_TTL,
)
from ._errors import (
    WRITE_METHODS,
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    GlpiError,
    response_error,
)
from ._pages import Chunks, Paginator, Walk
from ._plan import AsyncRuntime, Plan, Send, SyncRuntime, run_async, run_sync
from ._state import Context
from ._transport import IDEMPOTENT_KEY, READ_BODY_KEY, UNSCOPED_KEY, AsyncGlpiTransport, AuthSession, GlpiTransport

if TYPE_CHECKING:
    from ._escape_hatch import SessionApiClient

__all__ = ["AsyncClientBase", "Context", "SyncClientBase"]

T = TypeVar("T")
_USER_AGENT = "glpi-python-client/0.1"


def _drop_none(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """httpx sends ``key=`` for None, and GLPI reads an empty filter as 'everything': drop unset values."""
    if not params:
        return None
    return {k: v for k, v in params.items() if v is not None}


def _stand_in_page(response: httpx.Response) -> bool:
    """An HTML page standing in for GLPI's answer: a proxy's, login or maintenance page.

    Where JSON was asked for, any HTML page. Where a document was (downloads ask for ``*/*``), an HTML
    page without the ``Content-Disposition`` GLPI always sends with a document's file.
    """
    if not response.headers.get("Content-Type", "").lower().startswith("text/html"):
        return False
    if "application/json" in response.request.headers.get("Accept", ""):
        return True
    return "Content-Disposition" not in response.headers


class _ClientCore:
    """Configuration shared by both clients."""

    @checked_settings
    def __init__(
        self,
        *,
        glpi_api_url: str,
        client_id: str | None = None,
        client_secret: str | None = None,
        username: str | None = None,
        password: str | None = None,
        glpi_entity: int | None = None,
        glpi_profile: int | None = None,
        entity_recursive: bool | None = None,
        language: str = DEFAULT_LANGUAGE,
        verify_ssl: bool = True,
        auth_token_refresh: float | None = DEFAULT_TOKEN_REFRESH_MARGIN,
        v1_base_url: str | None = None,
        v1_user_token: str | None = None,
        v1_app_token: str | None = None,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        concurrency: int = DEFAULT_CONCURRENCY,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        name_cache_ttl: float = NAME_CACHE_TTL,
        server_timezone: str | tzinfo | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._config = ClientConfig(
            glpi_api_url=glpi_api_url,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            glpi_entity=glpi_entity,
            glpi_profile=glpi_profile,
            entity_recursive=entity_recursive,
            language=language,
            verify_ssl=verify_ssl,
            auth_token_refresh=DEFAULT_TOKEN_REFRESH_MARGIN if auth_token_refresh is None else auth_token_refresh,
            v1_base_url=v1_base_url,
            v1_user_token=v1_user_token,
            v1_app_token=v1_app_token,
            timeout=timeout,
            max_retries=max_retries,
            concurrency=concurrency,
            max_connections=max_connections,
            name_cache_ttl=name_cache_ttl,
            server_timezone=server_timezone,  # type: ignore[arg-type]  # a name is resolved by ClientConfig
        )
        self._session = AuthSession(self._config, max_retries=self._config.max_retries)
        self._ctx = Context(self._config, concurrency=self._config.concurrency)
        self._timeout = self._config.timeout
        self._closed = False
        self._setup(transport)

    def _setup(self, transport: Any) -> None:
        raise NotImplementedError

    def _api_wires(self) -> tuple[Callable[[], httpx.BaseTransport], Callable[[], httpx.AsyncBaseTransport]]:
        raise NotImplementedError

    @functools.cached_property
    def api(self) -> SessionApiClient:
        """The generated low-level client, on this client's session: auth, scope headers, retries, typed errors.

        Pass it as ``client=`` to any generated function (``glpi_api_v2.api...``): ``sync``/``sync_detailed`` and
        ``asyncio``/``asyncio_detailed`` both work on both clients, with the same token. An error status raises
        the same typed error as the facade (never a silent None); see :meth:`paginate` for list operations.
        """
        from ._escape_hatch import SessionApiClient

        sync_wire, async_wire = self._api_wires()
        return SessionApiClient(self, sync_wire=sync_wire, async_wire=async_wire)

    @classmethod
    def from_env(cls, *, env: Mapping[str, str] | None = None, prefix: str = "GLPI_", **overrides: Any) -> Self:
        """Build a client from the ``GLPI_*`` environment variables; keyword ``overrides`` win.

        Reads GLPI_API_URL, GLPI_CLIENT_ID, GLPI_CLIENT_SECRET, GLPI_USERNAME, GLPI_PASSWORD,
        GLPI_ENTITY, GLPI_PROFILE, GLPI_ENTITY_RECURSIVE, GLPI_LANGUAGE, GLPI_VERIFY_SSL,
        GLPI_V1_BASE_URL, GLPI_V1_USER_TOKEN, GLPI_V1_APP_TOKEN, GLPI_AUTH_TOKEN_REFRESH and
        GLPI_SERVER_TIMEZONE from ``env`` (default: ``os.environ``); ``prefix`` replaces ``GLPI_`` in those names.

        Args:
            env: The variables to read (default: ``os.environ``).
            prefix: The names' prefix.
            **overrides: Settings that win over the variables (``timeout=5``...).

        Returns:
            The client, not yet connected (the first call fetches the token).

        Raises:
            ConfigurationError: A setting is missing or invalid (the message names the variable).
        """
        return cls(**config_from_env(env, prefix=prefix, **overrides))

    @property
    def config(self) -> ClientConfig:
        """The validated settings (secrets hidden from its repr)."""
        return self._config

    def __repr__(self) -> str:
        cfg = self._config
        return f"{type(self).__name__}(glpi_api_url={cfg.glpi_api_url!r}, grant={cfg.grant_type!r})"

    def _request(self, http: httpx.Client | httpx.AsyncClient, step: Send) -> httpx.Request:
        if self._closed:
            raise ClientClosedError(self._closed_message()) from None
        request = http.build_request(
            step.method,
            step.url,
            params=_drop_none(step.params),
            json=step.json,
            data=step.data,
            files=step.files,
            content=step.content,
            headers=step.headers,
        )
        if step.idempotent is not None:
            request.extensions[IDEMPOTENT_KEY] = step.idempotent
        if step.unscoped:
            request.extensions[UNSCOPED_KEY] = True
        if step.stream_to is None:
            request.extensions[READ_BODY_KEY] = True  # read inside the retry loop: a body cut short is retried
        return request

    def _closed_message(self) -> str:
        return f"this {type(self).__name__} is closed: create a new client (or keep it open inside its `with` block)"

    @classmethod
    def _failure(cls, exc: httpx.TransportError | GlpiError, request: httpx.Request) -> GlpiError:
        """The typed error for ``exc``, cut from its chain; the caller raises it after its ``except`` block.

        httpx's exception holds the request as sent, bearer token included (and an error raised inside the
        transport, by the token request, its body: the password): chained as ``__context__``, an error tracker
        would keep it. Raising outside the ``except`` block links nothing back.
        """
        if isinstance(exc, httpx.TransportError):
            error: GlpiError = cls._transport_error(exc, request)
        else:  # raised inside the transport (auth): its frames are httpx's plumbing
            error = exc.with_traceback(None)
        error.__cause__ = error.__context__ = None
        error.__suppress_context__ = True
        return error

    @staticmethod
    def _transport_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
        unsent = httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
        applied = request.method in WRITE_METHODS and not isinstance(exc, unsent)
        cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
        where = f"{request.method} {request.url.copy_with(query=None)}"
        return cls(f"{exc.__class__.__name__} on {where}: {exc}", request=request, may_have_been_applied=applied)

    def _check(self, step: Send, response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status < 300 and _stand_in_page(response):
            from ._operations._common import not_json  # not on the import path: it brings pydantic

            raise not_json(response)  # even where the body is not read: a login page must not pass for success
        if status >= 400 and not step.expect_error:
            raise response_error(response, grant_type=self._config.grant_type)
        return response


class SyncClientBase(_ClientCore):
    """Drives plans with blocking I/O on one pooled, thread-safe ``httpx.Client``."""

    def _setup(self, transport: Any) -> None:
        cfg = self._config
        inner = transport or http_transport(verify=cfg.verify_ssl, max_connections=cfg.max_connections)
        self._given_transport = transport
        self._wire = GlpiTransport(self._session, inner)
        self._http = httpx.Client(
            base_url=self._config.glpi_api_url + "/",
            transport=self._wire,
            timeout=self._timeout,
            headers={"Accept": "application/json", "User-Agent": _USER_AGENT},
        )
        self._runtime = SyncRuntime(send=self._send, max_threads=self._ctx.concurrency)

    def _send(self, step: Send) -> httpx.Response:
        request = self._request(self._http, step)
        try:
            response = self._http.send(request, stream=step.stream_to is not None)
            if step.stream_to is not None:
                try:
                    if response.status_code < 400 and not _stand_in_page(response):
                        for chunk in response.iter_bytes():
                            step.stream_to(chunk)
                    else:
                        response.read()
                finally:
                    response.close()
        except (httpx.TransportError, GlpiError) as exc:
            failure = self._failure(exc, request)
        else:
            return self._check(step, response)
        raise failure

    def _run(self, plan: Plan[T]) -> T:
        return run_sync(plan, self._runtime)

    def _pages(self, paginator: Paginator[T]) -> Iterator[list[T]]:
        """Yield the items of every page of ``paginator``, in order (fetched ``concurrency`` at a time; see Walk)."""
        walk = Walk(paginator, width=self._ctx.concurrency)
        while (batch := walk.plan()) is not None:
            yield from walk.accept(self._run(batch))

    def _chunks(self, chunks: Chunks) -> Iterator[bytes]:
        """Send ``chunks.send`` and yield its body ``chunks.chunk_size`` bytes at a time, the response held open."""
        request = self._request(self._http, chunks.send)
        try:
            response = self._http.send(request, stream=True)
            try:
                if response.status_code >= 400:
                    response.read()
                    self._check(chunks.send, response)
                yield from response.iter_bytes(chunks.chunk_size)
            finally:
                response.close()
        except (httpx.TransportError, GlpiError) as exc:
            failure = self._failure(exc, request)
        else:
            return
        raise failure

    def _api_wires(self) -> tuple[Callable[[], httpx.BaseTransport], Callable[[], httpx.AsyncBaseTransport]]:
        from . import _escape_hatch as hatch

        return (lambda: hatch.lent(self._wire), lambda: hatch.threaded(self._wire))

    def paginate(self, operation: Any, /, *, itemtype: str | None = None, **kwargs: Any) -> Iterator[list[Any]]:
        """Every page of a generated list operation, one list of items per page, through :attr:`api`.

        ``operation`` is a ``glpi_api_v2.api`` module or one of its functions (``get_assistance_ticket``);
        ``kwargs`` are its arguments (``filter_``, ``sort``...), ``limit`` the page size (default 100) and
        ``start`` the first row. Pages follow GLPI's ``Content-Range`` until the total is reached. A ``filter_``
        is rewritten as the facade does (``status==1`` -> ``status.id==1``) for the itemtype the operation
        returns, or for ``itemtype`` when given.

        Args:
            operation: A ``glpi_api_v2.api`` list module or function (``get_assistance_ticket``).
            itemtype: The itemtype whose object properties ``filter_`` is rewritten for.
            **kwargs: The operation's arguments; ``limit`` and ``start`` page it.

        Returns:
            An iterator of pages (lists of the generated models).

        Raises:
            InvalidArgumentError: ``operation`` is not a paginated list operation, or ``limit``/``start`` is
                out of range (nothing is sent).
            APIStatusError: GLPI answered an error (its typed subclass: ``BadRequestError``...).
        """
        from ._escape_hatch import PageWalk

        walk = PageWalk(operation, kwargs, itemtype=itemtype)
        api = self.api
        while walk.start is not None:
            items = walk.advance(walk.module.sync_detailed(client=api, **walk.arguments()))
            if items:
                yield items

    def close(self) -> None:
        """End the v1 session (if one was opened) and close the connection pool."""
        if self._closed:
            return
        try:
            if self._ctx.v1_session_token is not None:  # only a v1 operation opens one (and loaded the module)
                from ._operations.v1 import close_session

                self._run(close_session(self._ctx))
        finally:
            self._closed = True
            self._runtime.close()
            if "api" in self.__dict__:
                self.__dict__["api"].close_sync()
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClientBase(_ClientCore):
    """Drives plans with native asyncio on one pooled ``httpx.AsyncClient``.

    ``executor`` runs the blocking steps an operation declares with ``Call``:
    opening, rewinding and closing the files of ``upload_document`` and
    ``download_document_to``; None means the event loop's default thread pool.
    HTTP I/O never runs on it (the chunks of a streamed upload or download are
    read and written on the event loop, chunk by chunk).
    """

    @checked_settings
    def __init__(self, *, executor: Executor | None = None, **kwargs: Any) -> None:
        if executor is not None and not isinstance(executor, Executor):
            raise ConfigurationError(
                f"executor must be a concurrent.futures.Executor or None (got {type(executor).__name__})"
            )
        self._executor = executor
        super().__init__(**kwargs)

    def _setup(self, transport: Any) -> None:
        cfg = self._config
        inner = transport or ConnectionLanes(size=cfg.max_connections, verify=cfg.verify_ssl)
        self._given_transport = transport
        self._wire = AsyncGlpiTransport(self._session, inner)
        self._http = httpx.AsyncClient(
            base_url=self._config.glpi_api_url + "/",
            transport=self._wire,
            timeout=self._timeout,
            headers={"Accept": "application/json", "User-Agent": _USER_AGENT},
        )
        self._runtime = AsyncRuntime(send=self._send, executor=self._executor)

    async def _send(self, step: Send) -> httpx.Response:
        request = self._request(self._http, step)
        try:
            response = await self._http.send(request, stream=step.stream_to is not None)
            if step.stream_to is not None:
                try:
                    if response.status_code < 400 and not _stand_in_page(response):
                        async for chunk in response.aiter_bytes():
                            step.stream_to(chunk)
                    else:
                        await response.aread()
                finally:
                    await response.aclose()
        except (httpx.TransportError, GlpiError) as exc:
            failure = self._failure(exc, request)
        else:
            return self._check(step, response)
        raise failure

    async def _run(self, plan: Plan[T]) -> T:
        return await run_async(plan, self._runtime)

    async def _pages(self, paginator: Paginator[T]) -> AsyncIterator[list[T]]:
        """Yield the items of every page of ``paginator``, in order (fetched ``concurrency`` at a time; see Walk)."""
        walk = Walk(paginator, width=self._ctx.concurrency)
        while (batch := walk.plan()) is not None:
            for items in walk.accept(await self._run(batch)):
                yield items

    async def _chunks(self, chunks: Chunks) -> AsyncIterator[bytes]:
        """Send ``chunks.send`` and yield its body ``chunks.chunk_size`` bytes at a time, the response held open."""
        request = self._request(self._http, chunks.send)
        try:
            response = await self._http.send(request, stream=True)
            try:
                if response.status_code >= 400:
                    await response.aread()
                    self._check(chunks.send, response)
                async for chunk in response.aiter_bytes(chunks.chunk_size):
                    yield chunk
            finally:
                await response.aclose()
        except (httpx.TransportError, GlpiError) as exc:
            failure = self._failure(exc, request)
        else:
            return
        raise failure

    def _api_wires(self) -> tuple[Callable[[], httpx.BaseTransport], Callable[[], httpx.AsyncBaseTransport]]:
        from . import _escape_hatch as hatch

        given = self._given_transport
        sync_wire: Callable[[], httpx.BaseTransport]
        if given is None or isinstance(given, httpx.BaseTransport):
            cfg = self._config
            inner = given or http_transport(verify=cfg.verify_ssl, max_connections=cfg.max_connections)
            sync_wire = functools.partial(GlpiTransport, self._session, inner)
        else:
            sync_wire = hatch.refuse(type(self).__name__, "sync", given)
        return (sync_wire, lambda: hatch.lent_async(self._wire))

    async def paginate(
        self, operation: Any, /, *, itemtype: str | None = None, **kwargs: Any
    ) -> AsyncIterator[list[Any]]:
        """Every page of a generated list operation, one list of items per page, through :attr:`api`.

        ``operation`` is a ``glpi_api_v2.api`` module or one of its functions (``get_assistance_ticket``);
        ``kwargs`` are its arguments (``filter_``, ``sort``...), ``limit`` the page size (default 100) and
        ``start`` the first row. Pages follow GLPI's ``Content-Range`` until the total is reached. A ``filter_``
        is rewritten as the facade does (``status==1`` -> ``status.id==1``) for the itemtype the operation
        returns, or for ``itemtype`` when given.

        Args:
            operation: A ``glpi_api_v2.api`` list module or function (``get_assistance_ticket``).
            itemtype: The itemtype whose object properties ``filter_`` is rewritten for.
            **kwargs: The operation's arguments; ``limit`` and ``start`` page it.

        Returns:
            An iterator of pages (lists of the generated models).

        Raises:
            InvalidArgumentError: ``operation`` is not a paginated list operation, or ``limit``/``start`` is
                out of range (nothing is sent).
            APIStatusError: GLPI answered an error (its typed subclass: ``BadRequestError``...).
        """
        from ._escape_hatch import PageWalk

        walk = PageWalk(operation, kwargs, itemtype=itemtype)
        api = self.api
        while walk.start is not None:
            items = walk.advance(await walk.module.asyncio_detailed(client=api, **walk.arguments()))
            if items:
                yield items

    async def close(self) -> None:
        """End the v1 session (if one was opened) and close the connection pool."""
        if self._closed:
            return
        try:
            if self._ctx.v1_session_token is not None:  # only a v1 operation opens one (and loaded the module)
                from ._operations.v1 import close_session

                await self._run(close_session(self._ctx))
        finally:
            self._closed = True
            if "api" in self.__dict__:
                await self.__dict__["api"].aclose()
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
