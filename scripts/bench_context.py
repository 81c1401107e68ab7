"""Benchmark get_ticket_context on both clients against a fake GLPI that takes 50 ms per request.

    .venv/bin/python scripts/bench_context.py [--latency 0.05] [--runs 10]

Prints the median wall time of ``get_ticket_context`` in round trips (median / latency):

* "timeline only": every name is known from the ticket's team, so only the five first reads are
  made. Run concurrently they cost about ONE round trip; one after the other (concurrency=1) five.
* "with lookups": two linked documents and a user known only by id add one more concurrent round.

The sync fake sleeps with ``time.sleep`` in a sync handler, the async one with ``await asyncio.sleep``
(``httpx.MockTransport`` accepts an async handler for the async client). The OAuth token is
fetched by a warm-up call, not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

import httpx

from glpi_python_client import AsyncGlpiClient, GlpiClient

BASE = "http://127.0.0.1:8088/api.php/v2"
TOKEN = {"access_token": "t", "expires_in": 3600, "refresh_token": "r", "token_type": "Bearer"}
BOB = {"id": 2, "name": "bob"}


def routes(lookups: bool) -> dict[str, Any]:
    team = [{"role": "requester", "id": 1, "name": "alice", "firstname": "Alice", "realname": "Dupont"}]
    task: dict[str, Any] = {"id": 12, "content": "<p>On-site visit.</p>", "duration": 900, "state": 1, "user": BOB}
    documents: list[dict[str, Any]] = []
    if lookups:
        task["user_tech"] = 6  # a bare id: its name needs GET /Administration/User/6
        documents = [{"id": 30, "documents_id": 9}, {"id": 31, "documents_id": 10}]
    return {
        "Assistance/Ticket/123": {"id": 123, "name": "Wi-Fi unreachable", "status": {"id": 1}, "team": team},
        "Assistance/Ticket/123/Timeline/Followup": [{"type": "Followup", "item": {"id": 45, "user": BOB}}],
        "Assistance/Ticket/123/Timeline/Task": [{"type": "Task", "item": task}],
        "Assistance/Ticket/123/Timeline/Solution": [{"type": "Solution", "item": {"id": 7, "user": BOB}}],
        "Assistance/Ticket/123/Timeline/Document": [{"type": "Document", "item": d} for d in documents],
        "Management/Document/9": {"id": 9, "name": "diagnostic.txt"},
        "Management/Document/10": {"id": 10, "name": "radius.log"},
        "Administration/User/6": {"id": 6, "username": "erin", "firstname": "Erin", "realname": "Tech"},
    }


def answer(request: httpx.Request, table: dict[str, Any]) -> httpx.Response:
    if request.url.path == "/api.php/token":
        return httpx.Response(200, json=TOKEN)
    body = table.get(request.url.path.split("/api.php/v2/", 1)[1])
    if body is None:
        return httpx.Response(404, json={"status": "ERROR_ITEM_NOT_FOUND", "title": "Not found"})
    return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


def settings(transport: httpx.MockTransport, concurrency: int) -> dict[str, Any]:
    return {
        "glpi_api_url": BASE,
        "client_id": "bench",
        "client_secret": "bench",
        "username": "bench",
        "password": "bench",
        "transport": transport,
        "concurrency": concurrency,
    }


def bench_sync(lookups: bool, concurrency: int, latency: float, runs: int) -> list[float]:
    table = routes(lookups)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/api.php/token":
            time.sleep(latency)
        return answer(request, table)

    times: list[float] = []
    with GlpiClient(**settings(httpx.MockTransport(handler), concurrency)) as client:
        client.get_ticket_context(123)  # warm-up: token, connection pool, lazy imports
        for _ in range(runs):
            client._ctx.names.clear()  # measure the lookups every time, not the cache
            start = time.perf_counter()
            client.get_ticket_context(123)
            times.append(time.perf_counter() - start)
    return times


async def bench_async(lookups: bool, concurrency: int, latency: float, runs: int) -> list[float]:
    table = routes(lookups)

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/api.php/token":
            await asyncio.sleep(latency)
        return answer(request, table)

    times: list[float] = []
    async with AsyncGlpiClient(**settings(httpx.MockTransport(handler), concurrency)) as client:
        await client.get_ticket_context(123)
        for _ in range(runs):
            client._ctx.names.clear()
            start = time.perf_counter()
            await client.get_ticket_context(123)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request (default 0.05)")
    parser.add_argument("--runs", type=int, default=10, help="timed calls per case (default 10)")
    args = parser.parse_args()
    latency, runs = args.latency, args.runs
    print(f"get_ticket_context, fake GLPI at {latency * 1000:.0f} ms per request, median of {runs} calls")
    print(f"{'client':6} {'case':22} {'concurrency':>11} {'median ms':>10} {'round trips':>12}")
    for lookups, case, requests in ((False, "timeline only", 5), (True, "with lookups", 8)):
        for concurrency in (8, 1):
            for name in ("sync", "async"):
                if name == "sync":
                    times = bench_sync(lookups, concurrency, latency, runs)
                else:
                    times = asyncio.run(bench_async(lookups, concurrency, latency, runs))
                median = statistics.median(times)
                label = f"{case} ({requests} req)"
                print(f"{name:6} {label:22} {concurrency:>11} {median * 1000:>10.1f} {median / latency:>12.2f}")


if __name__ == "__main__":
    main()
