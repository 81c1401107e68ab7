"""The alert receiver app, through httpx's ASGI transport, on the GLPI simulator.

Payloads follow Alertmanager's documented webhook format (version 4); time is injected (``clock``).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from glpi_harness import REPLAY_SETTINGS
from glpi_sim import GlpiSim

from glpi_python_client import AsyncGlpiClient, ConfigurationError, GetTicket
from glpi_python_client.alerts import AlertMapping, create_app
from glpi_python_client.webhooks import WebhookEvent, sign_webhook

TOKEN = "receiver-token-5b1"
HMAC_SECRET = "receiver-hmac-77"
WEBHOOK_SECRET = "glpi-webhook-secret-9c"
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def am_alert(status: str, fingerprint: str, name: str = "DiskFull", **labels: str) -> dict[str, Any]:
    """One alert as Alertmanager's webhook v4 sends it."""
    return {
        "status": status,
        "labels": {"alertname": name, "instance": "srv-05:9100", "severity": "critical", **labels},
        "annotations": {"summary": "/var is almost full", "description": "/var is 98% full on srv-05"},
        "startsAt": "2026-03-01T07:58:00Z",
        "endsAt": "2026-03-01T08:20:00Z" if status == "resolved" else "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph?g0.expr=disk_free",
        "fingerprint": fingerprint,
    }


def am_group(*alerts: dict[str, Any]) -> dict[str, Any]:
    firing = any(a["status"] == "firing" for a in alerts)
    return {
        "version": "4",
        "groupKey": '{}:{alertname="DiskFull"}',
        "truncatedAlerts": 0,
        "status": "firing" if firing else "resolved",
        "receiver": "glpi",
        "groupLabels": {"alertname": "DiskFull"},
        "commonLabels": {"alertname": "DiskFull"},
        "commonAnnotations": {},
        "externalURL": "http://alertmanager:9093",
        "alerts": list(alerts),
    }


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def serve(
    sim: GlpiSim,
    body: Callable[[httpx.AsyncClient, Clock], Awaitable[Any]],
    *,
    transport: httpx.AsyncBaseTransport | httpx.BaseTransport | None = None,
    **options: Any,
) -> Any:
    """Run ``body(http, clock)`` against a receiver app whose GLPI is ``sim``."""

    async def main() -> Any:
        clock = Clock()
        settings = {**REPLAY_SETTINGS, "transport": transport or sim.transport()}
        async with AsyncGlpiClient(**settings) as client:
            options.setdefault("token", TOKEN)
            app = create_app(client=client, clock=clock, **options)
            asgi = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=asgi, base_url="http://receiver") as http:
                return await body(http, clock)

    return asyncio.run(main())


def tickets(sim: GlpiSim) -> list[dict[str, Any]]:
    return list(sim.items["Ticket"].values())


# -- Alertmanager ------------------------------------------------------------------------------------


def test_alertmanager_firing_then_a_group_with_one_resolved_and_one_still_firing() -> None:
    sim = GlpiSim()

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[Any]:
        first = await http.post(
            "/alertmanager", json=am_group(am_alert("firing", "aa01"), am_alert("firing", "bb02")), headers=AUTH
        )
        clock.now += timedelta(minutes=15)
        second = await http.post(
            "/alertmanager", json=am_group(am_alert("resolved", "aa01"), am_alert("firing", "bb02")), headers=AUTH
        )
        return [first.status_code, first.json(), second.status_code, second.json()]

    code1, out1, code2, out2 = serve(sim, body)
    assert (code1, code2) == (200, 200)
    by_key = {t["external_id"]: t for t in tickets(sim)}
    assert set(by_key) == {"alertmanager:aa01", "alertmanager:bb02"}
    assert [r["action"] for r in out1["results"]] == ["created", "created"]
    assert [(r["key"], r["action"]) for r in out2["results"]] == [
        ("alertmanager:aa01", "resolved"),
        ("alertmanager:bb02", "updated"),
    ]
    assert by_key["alertmanager:aa01"]["status"]["id"] == 5
    assert by_key["alertmanager:bb02"]["status"]["id"] != 5
    ticket = by_key["alertmanager:bb02"]
    assert ticket["name"] == "DiskFull on srv-05:9100: /var is almost full"
    assert ticket["urgency"] == 5  # severity=critical
    assert "/var is 98% full on srv-05" in ticket["content"] and "severity=critical" in ticket["content"]
    (solution,) = sim.items["Solution"].values()
    assert "Resolved in Alertmanager at 2026-03-01T08:20:00Z" in solution["content"]


def test_alertmanager_repeats_inside_the_quiet_window_are_suppressed_and_retries_are_safe() -> None:
    sim = GlpiSim()
    group = am_group(am_alert("firing", "cc03"))

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[str]:
        actions = []
        for minutes in (0, 1, 2):  # Alertmanager re-sends (repeat_interval, or retries after a 503)
            clock.now = T0 + timedelta(minutes=minutes)
            answer = await http.post("/alertmanager", json=group, headers=AUTH)
            actions.append(answer.json()["results"][0]["action"])
        return actions

    assert serve(sim, body) == ["created", "suppressed", "suppressed"]
    assert len(tickets(sim)) == 1 and sim.items["Followup"] == {}


def test_mapping_labels_link_the_computer_and_templates_make_the_title() -> None:
    sim = GlpiSim()
    mapping = AlertMapping(
        title="[{labels[severity]}] {labels[alertname]} {labels[missing]}", urgencies={"critical": 4}
    )

    async def body(http: httpx.AsyncClient, clock: Clock) -> int:
        payload = am_group(am_alert("firing", "dd04", glpi_computer="12", glpi_entity="0", glpi_group="3"))
        return (await http.post("/alertmanager", json=payload, headers=AUTH)).status_code

    assert serve(sim, body, mapping=mapping) == 200
    (ticket,) = tickets(sim)
    assert ticket["name"] == "[critical] DiskFull" and ticket["urgency"] == 4
    assert sim.team[ticket["id"]] == [("Group", 3, "assigned")]
    (link,) = sim.items["Item_Ticket"].values()
    assert (link["itemtype"], link["items_id"], link["tickets_id"]) == ("Computer", 12, ticket["id"])


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        (b"{not json", 400, "not JSON"),
        (json.dumps({**am_group(am_alert("firing", "x")), "version": "3"}).encode(), 422, "version"),
        (json.dumps(am_group({**am_alert("firing", "x"), "fingerprint": ""})).encode(), 422, "fingerprint"),
        (json.dumps(am_group({**am_alert("firing", "x"), "status": "pending"})).encode(), 422, "status"),
    ],
)
def test_bad_alertmanager_payloads_get_a_clear_4xx(payload: bytes, status: int, message: str) -> None:
    sim = GlpiSim()

    async def body(http: httpx.AsyncClient, clock: Clock) -> httpx.Response:
        return await http.post("/alertmanager", content=payload, headers={**AUTH, "Content-Type": "application/json"})

    answer = serve(sim, body)
    assert answer.status_code == status and message in answer.json()["error"]
    assert tickets(sim) == []


# -- the generic form ----------------------------------------------------------------------------------


def test_generic_alerts_fire_and_resolve() -> None:
    sim = GlpiSim()

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[Any]:
        fire = {"key": "zabbix:4711", "title": "Ping loss on sw-3", "content": "50% loss", "urgency": 4,
                "items": [{"itemtype": "NetworkEquipment", "id": 3}],
                "team": [{"type": "User", "id": 2, "role": "observer"}]}  # fmt: skip
        first = await http.post("/alert", json=fire, headers=AUTH)
        both = [{"key": "zabbix:4711", "status": "resolved", "solution": "Link back"}, {**fire, "key": "zabbix:4712"}]
        second = await http.post("/alert", json=both, headers=AUTH)
        return [first.json(), second.json()]

    first, second = serve(sim, body)
    assert first["results"][0]["action"] == "created"
    assert [r["action"] for r in second["results"]] == ["resolved", "created"]
    solved = next(t for t in tickets(sim) if t["external_id"] == "zabbix:4711")
    assert solved["status"]["id"] == 5 and solved["urgency"] == 4
    assert sim.team[solved["id"]] == [("User", 2, "observer")]
    assert [s["content"] for s in sim.items["Solution"].values()] == ["<p>Link back</p>"]  # Markdown, rendered


@pytest.mark.parametrize(
    ("alert", "message"),
    [
        ({"key": "k"}, "needs a title"),
        ({"key": "k", "title": "t", "urgncy": 3}, "urgncy"),
        ({"key": "k", "title": "t", "urgency": 9}, "urgency"),
        ({"key": 'bad"key', "title": "t"}, "cannot contain"),
        ({"key": "k", "title": "t", "items": [{"itemtype": "Computer", "id": 0}]}, "items"),
        ({"key": "k", "title": "t", "team": [{"type": "User", "id": 2, "role": "boss"}]}, "team"),
    ],
)
def test_bad_generic_alerts_get_422(alert: dict[str, Any], message: str) -> None:
    sim = GlpiSim()

    async def body(http: httpx.AsyncClient, clock: Clock) -> httpx.Response:
        return await http.post("/alert", json=alert, headers=AUTH)

    answer = serve(sim, body)
    assert answer.status_code == 422 and message in answer.json()["error"]
    assert tickets(sim) == []


# -- auth and limits ----------------------------------------------------------------------------------


def test_alert_routes_need_the_bearer_token_or_the_body_hmac() -> None:
    sim = GlpiSim()
    fire = json.dumps({"key": "k1", "title": "t"}).encode()
    good = "sha256=" + hmac.new(HMAC_SECRET.encode(), fire, hashlib.sha256).hexdigest()

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[Any]:
        json_type = {"Content-Type": "application/json"}
        tries = [
            {},
            {"Authorization": "Bearer wrong"},
            {"Authorization": f"Basic {TOKEN}"},
            {"X-Signature": "sha256=" + "0" * 64},
            {"X-Signature": good},
            AUTH,
        ]
        answers = [await http.post("/alert", content=fire, headers={**json_type, **h}) for h in tries]
        return [(a.status_code, a.headers.get("WWW-Authenticate")) for a in answers]

    statuses = serve(sim, body, hmac_secret=HMAC_SECRET)
    assert [s for s, _ in statuses] == [401, 401, 401, 401, 200, 200]
    assert statuses[0][1] is not None and statuses[0][1].startswith("Bearer")
    assert len(tickets(sim)) == 1


def test_the_receiver_refuses_to_start_without_credentials() -> None:
    with pytest.raises(ConfigurationError, match="token"):
        create_app(client=None)


def test_bodies_over_the_limit_get_413_announced_or_streamed() -> None:
    sim = GlpiSim()
    big = json.dumps({"key": "k", "title": "t", "content": "x" * 5000}).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 1000):
            yield big[start : start + 1000]

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[int]:
        announced = await http.post("/alert", content=big, headers=AUTH)
        streamed = await http.post("/alert", content=chunks(), headers=AUTH)  # no Content-Length
        small = await http.post("/alert", json={"key": "k", "title": "t"}, headers=AUTH)
        return [announced.status_code, streamed.status_code, small.status_code]

    assert serve(sim, body, max_body=4096) == [413, 413, 200]
    assert len(tickets(sim)) == 1


def test_a_glpi_outage_answers_503_and_the_retry_creates_one_ticket() -> None:
    sim = GlpiSim()
    down = [True]

    def handler(request: httpx.Request) -> httpx.Response:
        if down[0] and request.url.path.startswith("/api.php/v2"):
            raise httpx.ConnectError("connection refused", request=request)
        return sim(request)

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[Any]:
        payload = am_group(am_alert("firing", "ee05"))
        outage = await http.post("/alertmanager", json=payload, headers=AUTH)
        down[0] = False
        retry = await http.post("/alertmanager", json=payload, headers=AUTH)
        return [outage.status_code, outage.headers.get("Retry-After"), outage.json()["error"], retry.json()]

    status, retry_after, error, retried = serve(sim, body, transport=httpx.MockTransport(handler))
    assert (status, retry_after) == (503, "30") and "APIConnectionError" in error
    assert retried["results"][0]["action"] == "created" and len(tickets(sim)) == 1


def test_glpi_server_errors_answer_503_not_500() -> None:
    sim = GlpiSim()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith("/Assistance/Ticket"):
            return httpx.Response(500, content=b"")
        return sim(request)

    async def body(http: httpx.AsyncClient, clock: Clock) -> int:
        return (await http.post("/alert", json={"key": "k", "title": "t"}, headers=AUTH)).status_code

    assert serve(sim, body, transport=httpx.MockTransport(handler)) == 503


def test_healthz() -> None:
    async def body(http: httpx.AsyncClient, clock: Clock) -> Any:
        answer = await http.get("/healthz")
        return answer.status_code, answer.json()

    assert serve(GlpiSim(), body) == (200, {"status": "ok", "glpi_client": True})


# -- GLPI webhooks -----------------------------------------------------------------------------------


TICKET = {"id": 42, "name": "Printer offline", "content": "x", "status": {"id": 2, "name": "Processing"}}


def webhook_request(
    payload: object, *, at: datetime = T0, secret: str = WEBHOOK_SECRET
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, indent=4).encode()
    return body, {
        **sign_webhook(body, secret=secret, timestamp=int(at.timestamp())),
        "Content-Type": "application/json",
    }


def test_glpi_webhooks_are_verified_deduplicated_and_handed_over() -> None:
    seen: list[WebhookEvent] = []

    async def on_webhook(event: WebhookEvent) -> None:
        seen.append(event)

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[Any]:
        payload, headers = webhook_request({"event": "update", "item": TICKET})
        first = await http.post("/glpi-webhook", content=payload, headers=headers)
        clock.now += timedelta(hours=2)  # GLPI's cron retries the same delivery later
        again = await http.post("/glpi-webhook", content=payload, headers=headers)
        forged = await http.post("/glpi-webhook", content=payload.replace(b"offline", b"online"), headers=headers)
        unsigned = await http.post("/glpi-webhook", content=payload)
        return [first.status_code, again.json(), forged.status_code, unsigned.status_code]

    first, again, forged, unsigned = serve(
        GlpiSim(), body, webhook_secret=WEBHOOK_SECRET, on_webhook=on_webhook, webhook_itemtype="Ticket"
    )
    assert first == 200 and again["duplicate"] is True
    assert (forged, unsigned) == (401, 401)
    (event,) = seen
    assert event.event == "update" and isinstance(event.item, GetTicket) and event.item.id == 42


def test_a_failing_webhook_handler_answers_503_so_glpi_retries() -> None:
    calls: list[str] = []

    def on_webhook(event: WebhookEvent) -> None:
        calls.append(event.delivery_key)
        if len(calls) == 1:
            raise RuntimeError("database down")

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[int]:
        payload, headers = webhook_request({"event": "new", "item": TICKET})
        first = await http.post("/glpi-webhook", content=payload, headers=headers)
        retry = await http.post("/glpi-webhook", content=payload, headers=headers)
        return [first.status_code, retry.status_code]

    assert serve(GlpiSim(), body, webhook_secret=WEBHOOK_SECRET, on_webhook=on_webhook) == [503, 200]
    assert len(calls) == 2 and calls[0] == calls[1]


def test_expired_webhook_deliveries_are_refused() -> None:
    async def body(http: httpx.AsyncClient, clock: Clock) -> httpx.Response:
        payload, headers = webhook_request({"event": "new", "item": TICKET}, at=T0 - timedelta(hours=2))
        return await http.post("/glpi-webhook", content=payload, headers=headers)

    answer = serve(GlpiSim(), body, webhook_secret=WEBHOOK_SECRET, webhook_max_age=3600)
    assert answer.status_code == 401 and "old" in answer.json()["error"]


def test_the_cra_challenge_is_answered_like_glpi_expects() -> None:
    token = hmac.new(WEBHOOK_SECRET.encode(), b"validate_cra_challenge", hashlib.sha256).hexdigest()

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[Any]:
        answer = await http.get("/glpi-webhook", params={"crc_token": token})
        missing = await http.get("/glpi-webhook")
        return [answer.status_code, answer.text, answer.headers["content-type"], missing.status_code]

    status, text, kind, missing = serve(GlpiSim(), body, webhook_secret=WEBHOOK_SECRET)
    assert status == 200 and kind.startswith("text/plain")
    assert text == hmac.new(WEBHOOK_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
    assert missing == 400


def test_webhook_routes_are_off_without_a_secret() -> None:
    async def body(http: httpx.AsyncClient, clock: Clock) -> list[int]:
        payload, headers = webhook_request({"event": "new", "item": TICKET})
        posted = await http.post("/glpi-webhook", content=payload, headers=headers)
        challenged = await http.get("/glpi-webhook", params={"crc_token": "abc"})
        return [posted.status_code, challenged.status_code]

    assert serve(GlpiSim(), body) == [404, 404]


def test_importing_the_client_does_not_import_the_web_framework() -> None:
    code = "import sys, glpi_python_client; print(sorted(m for m in ('starlette', 'uvicorn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_blocking_webhook_handler_runs_off_the_event_loop() -> None:
    import threading

    threads: list[int] = []

    def on_webhook(event: WebhookEvent) -> None:
        threads.append(threading.get_ident())

    async def body(http: httpx.AsyncClient, clock: Clock) -> int:
        payload, headers = webhook_request({"event": "new", "item": TICKET})
        return (await http.post("/glpi-webhook", content=payload, headers=headers)).status_code

    assert serve(GlpiSim(), body, webhook_secret=WEBHOOK_SECRET, on_webhook=on_webhook) == 200
    assert threads and threads[0] != threading.get_ident()


def test_a_hundred_simultaneous_deliveries_of_one_alert_make_one_ticket() -> None:
    sim = GlpiSim()

    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0)  # let the other requests interleave, like a real network
        return sim(request)

    async def body(http: httpx.AsyncClient, clock: Clock) -> list[str]:
        payload = am_group(am_alert("firing", "ff06"))
        answers = await asyncio.gather(*(http.post("/alertmanager", json=payload, headers=AUTH) for _ in range(100)))
        return sorted(a.json()["results"][0]["action"] for a in answers)

    actions = serve(sim, body, transport=httpx.MockTransport(handler))
    assert actions.count("created") == 1 and actions.count("suppressed") == 99
    assert len(tickets(sim)) == 1
