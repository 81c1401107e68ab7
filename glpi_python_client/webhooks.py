"""Verify and read GLPI 11's outgoing webhooks.

What GLPI does (read in glpi-project/glpi ``src/Webhook.php`` and ``src/QueuedWebhook.php``, branch 11.0, at
commit 7622caa2a21dc82f37d95ffcb8fe0c10bdb8bce8):

* ``Webhook::getSignature($data, $secret)`` is ``hash_hmac('sha256', $data, $secret)``: lower-case hex.
* When an event is raised, GLPI takes ``$timestamp = time()`` and queues the delivery with the headers
  ``X-GLPI-signature: getSignature($body . $timestamp, $secret)`` and ``X-GLPI-timestamp: $timestamp`` (unix
  seconds). So the signature is hex HMAC-SHA256, keyed with the webhook's secret, of the raw body followed by
  the decimal timestamp.
* The delivery is a ``QueuedWebhook`` sent by GLPI's cron (at least a minute after it was queued, later when the
  entity delays notifications or when the cron runs seldom), with a 5 second timeout, and retried on the following
  cron runs while the answer is missing or >= 400, up to the webhook's number of tries. The headers are computed
  once, when queued: a retried delivery keeps its ORIGINAL timestamp and signature. Hence the lenient default
  ``max_age`` (:data:`DEFAULT_MAX_AGE`, a day) and the :attr:`WebhookEvent.delivery_key` to deduplicate on.
* The default payload is JSON ``{"item": {...the item as API v2 returns it...}, "event": "new"|"update"|...}``;
  for a sub-item (a followup, a solution, a task, a document link) ``addParentItemData`` adds ``parent_item``,
  the parent (the ticket) as API v2 returns it. A webhook can also use a custom payload template (any text).
* The Challenge-Response Authentication (``validateCRAChallenge``): GLPI calls ``GET <url>?crc_token=<token>``
  and expects a 200 whose body is ``hash_hmac('sha256', token, secret)``: :func:`cra_response` computes it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ValidationError

from ._errors import GlpiError

__all__ = [
    "DEFAULT_MAX_AGE",
    "DEFAULT_MAX_SKEW",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookEvent",
    "WebhookVerificationError",
    "cra_response",
    "parse_webhook",
    "sign_webhook",
    "verify_webhook",
]

SIGNATURE_HEADER = "X-GLPI-signature"
TIMESTAMP_HEADER = "X-GLPI-timestamp"
#: Deliveries older than this are refused (seconds). GLPI retries a failed delivery on later cron runs with its
#: original timestamp, so this covers the queue's delay and a day of retries; lower it when GLPI's cron is frequent.
DEFAULT_MAX_AGE = 24 * 3600.0
#: Timestamps this far in the future (seconds) are accepted: the two clocks may differ a little.
DEFAULT_MAX_SKEW = 300.0


class WebhookVerificationError(GlpiError):
    """A webhook delivery failed verification: header missing, bad signature, too old, or unreadable body.

    The message says which; it never contains the secret or the expected signature.
    """


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One verified GLPI webhook delivery.

    ``event`` is GLPI's event name (``new``, ``update``, ``delete``...), ``item`` the item as the itemtype's model
    when ``itemtype`` is known (a ``GetTicket`` for ``Ticket``, the resource index's model for the other
    collections, e.g. ``Computer``), else the JSON object; ``parent_item`` the parent
    GLPI adds for sub-items (a ticket: a ``GetTicket``), or None. ``payload`` is the whole decoded body. GLPI
    delivers at least once: act once per ``delivery_key`` (stable across GLPI's retries of one delivery).
    """

    event: str | None
    itemtype: str | None
    item: Any
    parent_item: Any
    payload: Any
    timestamp: datetime
    delivery_key: str


def _secret(secret: str | bytes) -> bytes:
    if isinstance(secret, str):
        secret = secret.encode()
    if not isinstance(secret, bytes) or not secret:
        raise WebhookVerificationError("no webhook secret configured: deliveries cannot be verified")
    return secret


def _bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else bytes(body)


def sign_webhook(body: bytes | str, *, secret: str | bytes, timestamp: int) -> dict[str, str]:
    """The headers GLPI sends with ``body`` at ``timestamp`` (what its ``Webhook::raise`` computes): for tests."""
    message = _bytes(body) + str(int(timestamp)).encode()
    signature = hmac.new(_secret(secret), message, hashlib.sha256).hexdigest()
    return {SIGNATURE_HEADER: signature, TIMESTAMP_HEADER: str(int(timestamp))}


def cra_response(crc_token: str, *, secret: str | bytes) -> str:
    """The body GLPI expects from ``GET <url>?crc_token=...``: hex HMAC-SHA256 of the token, keyed with the secret."""
    return hmac.new(_secret(secret), crc_token.encode(), hashlib.sha256).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def verify_webhook(
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: str | bytes,
    max_age: float | timedelta = DEFAULT_MAX_AGE,
    now: float | datetime | None = None,
) -> tuple[datetime, str]:
    """Check a delivery's signature and age; return its timestamp and delivery key, or raise WebhookVerificationError.

    The signature is compared in constant time. ``now`` (unix seconds or an aware datetime) defaults to the
    current time.
    """
    key = _secret(secret)
    signature = _header(headers, SIGNATURE_HEADER)
    stamp = _header(headers, TIMESTAMP_HEADER)
    if not signature:
        raise WebhookVerificationError(f"the delivery has no {SIGNATURE_HEADER} header")
    if not stamp:
        raise WebhookVerificationError(f"the delivery has no {TIMESTAMP_HEADER} header")
    stamp = stamp.strip()
    if not stamp.isdigit():
        raise WebhookVerificationError(f"{TIMESTAMP_HEADER} is not unix seconds")
    expected = hmac.new(key, _bytes(body) + stamp.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise WebhookVerificationError(
            f"the {SIGNATURE_HEADER} does not match the body (tampered, or signed with another secret)"
        )
    current = now.timestamp() if isinstance(now, datetime) else time.time() if now is None else float(now)
    age = current - int(stamp)
    if age > _seconds(max_age):
        raise WebhookVerificationError(
            f"the delivery is {age:.0f} s old, more than max_age ({_seconds(max_age):.0f} s): refused as a replay"
        )
    if -age > DEFAULT_MAX_SKEW:
        raise WebhookVerificationError(f"the delivery's timestamp is {-age:.0f} s in the future")
    return datetime.fromtimestamp(int(stamp), UTC), signature.strip().lower()


def _models() -> dict[str, type[BaseModel]]:
    """Itemtype -> read model, for the items whose model this client has (others stay JSON objects)."""
    from ._models import (
        GetDocument,
        GetEntity,
        GetFollowup,
        GetLocation,
        GetSolution,
        GetTicket,
        GetTicketTask,
        GetTimelineDocument,
        GetUser,
    )

    return {
        "Ticket": GetTicket,
        "ITILFollowup": GetFollowup,
        "Followup": GetFollowup,
        "ITILSolution": GetSolution,
        "Solution": GetSolution,
        "TicketTask": GetTicketTask,
        "Document_Item": GetTimelineDocument,
        "Document": GetDocument,
        "User": GetUser,
        "Entity": GetEntity,
        "Location": GetLocation,
    }


def _model(itemtype: str | None) -> type[BaseModel] | None:
    """The read model of ``itemtype``: the hand-written one, else the resource index's, else None."""
    if not itemtype:
        return None
    model = _models().get(itemtype)
    if model is not None:
        return model
    from ._resources import UnknownResourceError, model_class, resource_spec

    try:
        return model_class(resource_spec(itemtype)["read_schema"])
    except UnknownResourceError:
        return None


def _typed(itemtype: str | None, data: Any) -> Any:
    model = _model(itemtype)
    if model is None or not isinstance(data, dict):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise WebhookVerificationError(f"the delivery's item is not a valid {itemtype}: {exc}") from exc


def _parent_itemtype(itemtype: str | None, item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("itemtype"), str):
        return str(item["itemtype"])  # followups, solutions, document links: CommonDBChild of their item
    if itemtype and itemtype.endswith("Task"):
        return itemtype.removesuffix("Task")  # TicketTask -> Ticket
    return None


def parse_webhook(
    body: bytes | str,
    headers: Mapping[str, str],
    *,
    secret: str | bytes,
    max_age: float | timedelta = DEFAULT_MAX_AGE,
    itemtype: str | None = None,
    now: float | datetime | None = None,
) -> WebhookEvent:
    """Verify a GLPI webhook delivery and return it as a :class:`WebhookEvent`.

    ``body`` is the raw request body (bytes, exactly as received: the signature covers them), ``headers`` the
    request headers (any case). ``secret`` is the webhook's secret in GLPI. Deliveries older than ``max_age``
    (seconds or a timedelta; default a day, since GLPI retries with the original timestamp) are refused.
    ``itemtype`` is the webhook's itemtype in GLPI (the payload does not carry it): ``Ticket``, ``ITILFollowup``...
    Raises :class:`WebhookVerificationError` for a missing header, a bad signature, an expired delivery, or a
    body that is not JSON (a custom payload template: verify it with :func:`verify_webhook` instead).
    """
    timestamp, delivery_key = verify_webhook(body, headers, secret=secret, max_age=max_age, now=now)
    try:
        payload = json.loads(_bytes(body))
    except ValueError as exc:
        raise WebhookVerificationError(
            "the delivery is signed but its body is not JSON (a custom payload template?): use verify_webhook"
        ) from exc
    data = payload if isinstance(payload, dict) else {}
    event = data.get("event") if isinstance(data.get("event"), str) else None
    raw_item = data.get("item")
    parent = data.get("parent_item")
    return WebhookEvent(
        event=event,
        itemtype=itemtype,
        item=_typed(itemtype, raw_item),
        parent_item=_typed(_parent_itemtype(itemtype, raw_item), parent) if parent is not None else None,
        payload=payload,
        timestamp=timestamp,
        delivery_key=delivery_key,
    )
