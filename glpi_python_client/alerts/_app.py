"""The receiver: an ASGI app (Starlette) turning alerts into incidents and verifying GLPI's webhooks.

Routes: ``POST /alertmanager`` (Alertmanager webhook v4), ``POST /alert`` (:class:`GenericAlert`),
``POST /glpi-webhook`` and ``GET /glpi-webhook?crc_token=`` (GLPI 11 webhooks and their CRA challenge),
``GET /healthz``. Answers: 200 with what was done; 400/413/422 for a request that will never work (so the
sender drops it); 401 without valid credentials; 503 with ``Retry-After`` when GLPI is unreachable or failing,
so Alertmanager (and GLPI's webhook queue) send again, which is safe: repeats are looked up by key.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import inspect
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .. import AsyncGlpiClient
from .._errors import ConfigurationError, GlpiError, InvalidArgumentError
from .._operations.incidents import DEFAULT_QUIET_WINDOW, IncidentResult
from ..webhooks import WebhookEvent, WebhookVerificationError, cra_response, parse_webhook
from ._mapping import Alert, AlertmanagerPayload, AlertMapping, GenericAlert

__all__ = ["DEFAULT_MAX_BODY", "SIGNATURE_HEADER", "WebhookHandler", "create_app"]

log = logging.getLogger("glpi_python_client.alerts")

#: Bodies larger than this (bytes) are refused with 413. Alertmanager groups are a few KiB.
DEFAULT_MAX_BODY = 1024 * 1024
#: ``X-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with hmac_secret>``: the alternative to a bearer token.
SIGNATURE_HEADER = "X-Signature"
RETRY_AFTER = "30"
_SEEN_DELIVERIES = 10_000

WebhookHandler = Callable[[WebhookEvent], Awaitable[object] | object]


class _Reject(Exception):
    """Answer at once with ``status`` and a JSON ``{"error": message}``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


def _answer(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 past ``limit`` bytes (announced or streamed)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _Reject(413, f"the body is larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _Reject(413, f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise _Reject(400, f"the body is not JSON: {exc}") from exc


def _validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'body'}: {error['msg']}" for error in exc.errors()
        )
        raise _Reject(422, f"invalid {model.__name__}: {problems}") from exc


class _Receiver:
    """The app's state: the GLPI client, the credentials, the seen webhook deliveries."""

    def __init__(
        self,
        *,
        client: AsyncGlpiClient | None,
        token: str | None,
        hmac_secret: str | None,
        webhook_secret: str | None,
        on_webhook: WebhookHandler | None,
        webhook_itemtype: str | None,
        webhook_max_age: float | timedelta | None,
        mapping: AlertMapping,
        quiet_window: float | timedelta,
        max_body: int,
        clock: Callable[[], datetime],
        close_client: bool | None,
    ) -> None:
        if not token and not hmac_secret:
            raise ConfigurationError(
                "the alert receiver needs a bearer token or an HMAC secret (token= / hmac_secret=, or"
                " GLPI_ALERTS_TOKEN / GLPI_ALERTS_HMAC_SECRET): it refuses to accept alerts from anyone"
            )
        self.client = client
        self.owns_client = client is None
        self.close_client = client is None if close_client is None else close_client
        self.token = token.encode() if token else None
        self.hmac_secret = hmac_secret.encode() if hmac_secret else None
        self.webhook_secret = webhook_secret
        self.on_webhook = on_webhook
        self.webhook_itemtype = webhook_itemtype
        self.webhook_max_age = webhook_max_age
        self.mapping = mapping
        self.quiet_window = quiet_window
        self.max_body = max_body
        self.clock = clock
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.in_progress: set[str] = set()

    def __repr__(self) -> str:  # never the secrets
        return f"_Receiver(token={'set' if self.token else 'none'}, hmac={'set' if self.hmac_secret else 'none'})"

    # -- auth ---------------------------------------------------------------------------------------

    def _bearer_ok(self, request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        return (
            self.token is not None
            and scheme.lower() == "bearer"
            and hmac.compare_digest(value.strip().encode(), self.token)
        )

    def _signature_ok(self, request: Request, body: bytes) -> bool:
        header = request.headers.get(SIGNATURE_HEADER, "")
        if self.hmac_secret is None or not header:
            return False
        expected = "sha256=" + hmac.new(self.hmac_secret, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(header.strip().lower().encode(), expected.encode())

    async def authenticated_body(self, request: Request) -> bytes:
        """The body of an authenticated alert request (bearer token, or HMAC signature of the body)."""
        if self._bearer_ok(request):
            return await _read_body(request, self.max_body)
        if self.hmac_secret is None or SIGNATURE_HEADER.lower() not in request.headers:
            raise _Reject(401, "missing or wrong credentials", {"WWW-Authenticate": 'Bearer realm="glpi-alerts"'})
        body = await _read_body(request, self.max_body)
        if not self._signature_ok(request, body):
            raise _Reject(401, f"the {SIGNATURE_HEADER} does not match the body", {"WWW-Authenticate": "Bearer"})
        return body

    # -- alerts -------------------------------------------------------------------------------------

    def glpi(self) -> AsyncGlpiClient:
        if self.client is None:
            raise _Reject(503, "the GLPI client is not ready", {"Retry-After": RETRY_AFTER})
        return self.client

    async def handle(self, alert: Alert) -> IncidentResult:
        client = self.glpi()
        now = self.clock()
        if alert.status == "resolved":
            result = await client.resolve_incident(alert.key, solution=alert.solution, now=now)
        else:
            result = await client.open_incident(
                alert.key,
                title=alert.title,
                content=alert.content,
                urgency=alert.urgency,
                impact=alert.impact,
                category=alert.category,
                entity=alert.entity,
                items=list(alert.items),
                team=[{"type": kind, "id": member_id, "role": role} for kind, member_id, role in alert.team],
                quiet_window=self.quiet_window,
                now=now,
            )
        log.info("alert %s (%s): %s ticket %s", alert.key, alert.status, result.action, result.ticket_id)
        return result

    async def handle_all(self, alerts: list[Alert]) -> JSONResponse:
        results: list[dict[str, Any]] = []
        for alert in alerts:  # in order: a group may fire one alert and resolve another
            try:
                result = await self.handle(alert)
            except InvalidArgumentError as exc:  # a key GLPI cannot match, an id that is no id: never retried
                raise _Reject(422, str(exc)) from exc
            except GlpiError as exc:  # unreachable, failing, refusing, misconfigured: keep the alert, ask again
                log.warning("alert %s: GLPI failed (%s): answering 503", alert.key, type(exc).__name__)
                raise _Reject(
                    503, f"GLPI failed: {type(exc).__name__}: {exc}"[:500], {"Retry-After": RETRY_AFTER}
                ) from exc
            results.append({"key": alert.key, "action": result.action, "ticket_id": result.ticket_id})
        return JSONResponse({"results": results})

    async def alertmanager(self, request: Request) -> Response:
        body = await self.authenticated_body(request)
        payload: AlertmanagerPayload = _validate(AlertmanagerPayload, _json(body))
        if payload.truncated_alerts:
            log.warning(
                "Alertmanager truncated %d alerts of group %s (max_alerts): they are not in this notification",
                payload.truncated_alerts,
                payload.group_key,
            )
        return await self.handle_all([self.mapping.to_alert(a) for a in payload.alerts])

    async def alert(self, request: Request) -> Response:
        body = await self.authenticated_body(request)
        data = _json(body)
        entries = data if isinstance(data, list) else [data]
        return await self.handle_all([_validate(GenericAlert, entry).to_alert() for entry in entries])

    # -- GLPI webhooks ------------------------------------------------------------------------------

    def _webhook_secret(self) -> str:
        if not self.webhook_secret:
            raise _Reject(404, "GLPI webhooks are not configured on this receiver (webhook_secret)")
        return self.webhook_secret

    async def challenge(self, request: Request) -> Response:
        secret = self._webhook_secret()
        token = request.query_params.get("crc_token")
        if not token:
            raise _Reject(400, "GET /glpi-webhook answers GLPI's challenge: crc_token is missing")
        return PlainTextResponse(cra_response(token, secret=secret))

    async def webhook(self, request: Request) -> Response:
        secret = self._webhook_secret()
        body = await _read_body(request, self.max_body)
        options: dict[str, Any] = {} if self.webhook_max_age is None else {"max_age": self.webhook_max_age}
        try:
            event = parse_webhook(
                body,
                dict(request.headers),
                secret=secret,
                itemtype=self.webhook_itemtype,
                now=self.clock(),
                **options,
            )
        except WebhookVerificationError as exc:
            raise _Reject(401, str(exc)) from exc
        key = event.delivery_key
        if key in self.seen:
            return JSONResponse({"delivery": key, "duplicate": True})
        if key in self.in_progress:
            raise _Reject(409, "this delivery is being handled", {"Retry-After": RETRY_AFTER})
        self.in_progress.add(key)
        try:
            if self.on_webhook is not None:
                await _call(self.on_webhook, event)
        except Exception as exc:
            log.exception("GLPI webhook %s: the handler failed: answering 503 (GLPI will retry)", event.event)
            raise _Reject(503, f"the handler failed: {type(exc).__name__}", {"Retry-After": RETRY_AFTER}) from exc
        finally:
            self.in_progress.discard(key)
        self.seen[key] = None
        while len(self.seen) > _SEEN_DELIVERIES:
            self.seen.popitem(last=False)
        return JSONResponse({"delivery": key, "duplicate": False})


async def _call(handler: WebhookHandler, event: WebhookEvent) -> None:
    """Run the user's handler: a coroutine function on the event loop, a plain function on a worker thread
    (so a blocking handler does not stall the other requests)."""
    if inspect.iscoroutinefunction(handler):
        await handler(event)
        return
    outcome = await asyncio.to_thread(handler, event)
    if inspect.isawaitable(outcome):
        await outcome


def _route(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except _Reject as reject:
            return _answer(reject.status, reject.message, reject.headers)

    return endpoint


def create_app(
    *,
    client: AsyncGlpiClient | None = None,
    token: str | None = None,
    hmac_secret: str | None = None,
    webhook_secret: str | None = None,
    on_webhook: WebhookHandler | None = None,
    webhook_itemtype: str | None = None,
    webhook_max_age: float | timedelta | None = None,
    mapping: AlertMapping | None = None,
    quiet_window: float | timedelta = DEFAULT_QUIET_WINDOW,
    max_body: int = DEFAULT_MAX_BODY,
    clock: Callable[[], datetime] | None = None,
    close_client: bool | None = None,
) -> Starlette:
    """The receiver as an ASGI app (serve it with uvicorn, or mount it in your own Starlette/FastAPI app).

    ``client`` is the :class:`AsyncGlpiClient` it uses (you close it); None builds one from the ``GLPI_*``
    environment at startup and closes it at shutdown. Alert routes need ``token`` (``Authorization: Bearer``,
    what Alertmanager's ``http_config.authorization`` sends) or ``hmac_secret`` (``X-Signature:
    sha256=<hex HMAC-SHA256 of the body>``, for scripts); one of them is required. ``webhook_secret`` (the
    GLPI webhook's secret) enables ``/glpi-webhook``; each verified, new delivery is handed to ``on_webhook``
    (a function or coroutine function of a :class:`~glpi_python_client.webhooks.WebhookEvent`; keep it quick:
    GLPI waits 5 s), and a delivery already handled is acknowledged without calling it again.
    ``webhook_itemtype`` types the webhook's items, ``webhook_max_age`` overrides the accepted age.
    ``mapping`` turns Alertmanager labels into incident fields, ``quiet_window`` is ``open_incident``'s,
    bodies over ``max_body`` bytes get 413, and ``clock`` (an aware ``datetime`` factory) is for tests.
    ``close_client`` closes ``client`` at shutdown (default: only the client the app built).
    """
    receiver = _Receiver(
        client=client,
        token=token,
        hmac_secret=hmac_secret,
        webhook_secret=webhook_secret,
        on_webhook=on_webhook,
        webhook_itemtype=webhook_itemtype,
        webhook_max_age=webhook_max_age,
        mapping=mapping or AlertMapping(),
        quiet_window=quiet_window,
        max_body=max_body,
        clock=clock or (lambda: datetime.now(UTC)),
        close_client=close_client,
    )

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "glpi_client": receiver.client is not None})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if receiver.owns_client:
            receiver.client = AsyncGlpiClient.from_env()
        try:
            yield
        finally:
            if receiver.close_client and receiver.client is not None:
                with contextlib.suppress(Exception):
                    await asyncio.shield(receiver.client.close())
            if receiver.owns_client:
                receiver.client = None

    routes = [
        Route("/alertmanager", _route(receiver.alertmanager), methods=["POST"]),
        Route("/alert", _route(receiver.alert), methods=["POST"]),
        Route("/glpi-webhook", _route(receiver.webhook), methods=["POST"]),
        Route("/glpi-webhook", _route(receiver.challenge), methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.receiver = receiver
    return app
