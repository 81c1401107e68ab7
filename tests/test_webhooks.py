"""GLPI 11 webhook deliveries: signatures as ``src/Webhook.php`` computes them, ages, typed events, CRA."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime

import pytest

from glpi_python_client import GetFollowup, GetTicket, GlpiError
from glpi_python_client.webhooks import (
    DEFAULT_MAX_AGE,
    WebhookVerificationError,
    cra_response,
    parse_webhook,
    sign_webhook,
)

SECRET = "wh-secret-3f9a"
SENT = 1_780_000_000  # when GLPI queued the delivery
TICKET = {"id": 42, "name": "Printer offline", "content": "<p>3rd floor</p>", "status": {"id": 1, "name": "New"}}
FOLLOWUP = {"id": 7, "itemtype": "Ticket", "items_id": 42, "content": "<p>on it</p>", "is_private": False}


def delivery(payload: object, *, timestamp: int = SENT, secret: str = SECRET) -> tuple[bytes, dict[str, str]]:
    """A body and headers exactly as GLPI's ``Webhook::raise`` builds them (JSON_PRETTY_PRINT body)."""
    body = json.dumps(payload, indent=4).encode()
    signature = hmac.new(secret.encode(), body + str(timestamp).encode(), hashlib.sha256).hexdigest()
    return body, {"X-GLPI-signature": signature, "X-GLPI-timestamp": str(timestamp), "Content-Type": "application/json"}


def test_a_valid_ticket_delivery_is_a_typed_event() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    event = parse_webhook(body, headers, secret=SECRET, itemtype="Ticket", now=SENT + 90)
    assert event.event == "new"
    assert isinstance(event.item, GetTicket) and event.item.id == 42 and event.item.status is not None
    assert event.item.status.id == 1
    assert event.parent_item is None
    assert event.timestamp == datetime.fromtimestamp(SENT, UTC)
    assert event.payload == {"item": TICKET, "event": "new"}


def test_sub_item_delivery_carries_the_parent_ticket() -> None:
    body, headers = delivery({"item": FOLLOWUP, "event": "new", "parent_item": TICKET})
    event = parse_webhook(body, headers, secret=SECRET, itemtype="ITILFollowup", now=SENT)
    assert isinstance(event.item, GetFollowup) and event.item.items_id == 42
    assert isinstance(event.parent_item, GetTicket) and event.parent_item.name == "Printer offline"


def test_other_itemtypes_use_the_resource_index_model() -> None:
    item = {"id": 3, "name": "srv-05", "serial": "X1"}
    body, headers = delivery({"item": item, "event": "update"})
    event = parse_webhook(body, headers, secret=SECRET, itemtype="Computer", now=SENT)
    assert type(event.item).__name__ == "Computer" and event.itemtype == "Computer"
    assert (event.item.id, event.item.name, event.item.serial) == (3, "srv-05", "X1")


def test_unknown_itemtype_keeps_the_json_object() -> None:
    item = {"id": 3, "name": "x"}
    body, headers = delivery({"item": item, "event": "update"})
    event = parse_webhook(body, headers, secret=SECRET, itemtype="PluginFooBar", now=SENT)
    assert event.item == item


def test_header_names_are_case_insensitive_and_str_bodies_work() -> None:
    body, headers = delivery({"item": TICKET, "event": "update"})
    lowered = {k.lower(): v for k, v in headers.items()}
    assert parse_webhook(body.decode(), lowered, secret=SECRET, now=SENT).event == "update"


def test_the_helper_signs_like_glpi() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    assert sign_webhook(body, secret=SECRET, timestamp=SENT) == {
        "X-GLPI-signature": headers["X-GLPI-signature"],
        "X-GLPI-timestamp": str(SENT),
    }


def test_a_retry_keeps_the_delivery_key() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    first = parse_webhook(body, headers, secret=SECRET, now=SENT + 60)
    retry = parse_webhook(body, headers, secret=SECRET, now=SENT + 3 * 3600)  # a later cron run, same headers
    other_body, other_headers = delivery({"item": {**TICKET, "name": "changed"}, "event": "update"})
    other = parse_webhook(other_body, other_headers, secret=SECRET, now=SENT)
    assert first.delivery_key == retry.delivery_key != other.delivery_key


def test_tampered_body_is_refused() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    with pytest.raises(WebhookVerificationError, match="does not match"):
        parse_webhook(body.replace(b"Printer", b"Plotter"), headers, secret=SECRET, now=SENT)


def test_tampered_timestamp_is_refused() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    with pytest.raises(WebhookVerificationError, match="does not match"):
        parse_webhook(body, {**headers, "X-GLPI-timestamp": str(SENT + 1)}, secret=SECRET, now=SENT)


def test_wrong_secret_is_refused_and_the_error_holds_no_secret_or_signature() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"}, secret="another-secret")
    with pytest.raises(WebhookVerificationError) as caught:
        parse_webhook(body, headers, secret=SECRET, now=SENT)
    expected = hmac.new(SECRET.encode(), body + str(SENT).encode(), hashlib.sha256).hexdigest()
    text = str(caught.value)
    assert SECRET not in text and expected not in text and headers["X-GLPI-signature"] not in text
    assert isinstance(caught.value, GlpiError)


@pytest.mark.parametrize("missing", ["X-GLPI-signature", "X-GLPI-timestamp"])
def test_missing_headers_are_refused(missing: str) -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    del headers[missing]
    with pytest.raises(WebhookVerificationError, match=f"no {missing} header"):
        parse_webhook(body, headers, secret=SECRET, now=SENT)


def test_a_non_numeric_timestamp_is_refused() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    with pytest.raises(WebhookVerificationError, match="unix seconds"):
        parse_webhook(body, {**headers, "X-GLPI-timestamp": "yesterday"}, secret=SECRET, now=SENT)


def test_expired_deliveries_are_refused_and_the_default_tolerates_a_day_of_retries() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    assert DEFAULT_MAX_AGE >= 12 * 3600
    assert parse_webhook(body, headers, secret=SECRET, now=SENT + DEFAULT_MAX_AGE - 1).event == "new"
    with pytest.raises(WebhookVerificationError, match="old"):
        parse_webhook(body, headers, secret=SECRET, now=SENT + DEFAULT_MAX_AGE + 1)
    with pytest.raises(WebhookVerificationError, match="old"):
        parse_webhook(body, headers, secret=SECRET, max_age=60, now=SENT + 61)


def test_timestamps_far_in_the_future_are_refused() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"}, timestamp=SENT + 3600)
    with pytest.raises(WebhookVerificationError, match="future"):
        parse_webhook(body, headers, secret=SECRET, now=SENT)


def test_a_signed_body_that_is_not_json_is_refused_with_advice() -> None:
    body = b"custom template: ticket 42"
    headers = sign_webhook(body, secret=SECRET, timestamp=SENT)
    with pytest.raises(WebhookVerificationError, match="verify_webhook"):
        parse_webhook(body, headers, secret=SECRET, now=SENT)


def test_an_empty_secret_is_refused() -> None:
    body, headers = delivery({"item": TICKET, "event": "new"})
    with pytest.raises(WebhookVerificationError, match="no webhook secret"):
        parse_webhook(body, headers, secret="", now=SENT)


def test_cra_answer_is_the_hmac_of_the_token() -> None:
    # GLPI's validateCRAChallenge sends crc_token = getSignature('validate_cra_challenge', secret) and compares
    # the answer with hash_hmac('sha256', crc_token, secret).
    token = hmac.new(SECRET.encode(), b"validate_cra_challenge", hashlib.sha256).hexdigest()
    expected = hmac.new(SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
    assert cra_response(token, secret=SECRET) == expected
