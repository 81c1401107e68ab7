"""One implementation's side of ``make bench``, run in its own interpreter against scripts/bench_server.py.

    python scripts/bench_runner.py IMPL WORKLOAD BASE_URL  ->  one JSON line {"seconds": ..., "digest": ...}

IMPL is ``ours-sync``, ``ours-async``, ``raw`` (httpx + json.loads, the minimal equivalent requests) or
``peer`` (glpi-python-client 0.6.5, run by ``.bench-venv/bin/python``: it has the same import name as this
package, hence the separate interpreter). ``raw`` and ``peer`` run their sync client, except for the async
workloads (W1a, W6), where they run ``httpx.AsyncClient`` and the peer's ``AsyncGlpiClient``. The digest
(sum of ids, of name lengths and of status ids of every ticket read) lets the driver check that every
implementation read the same data. The token request is a warm-up, never timed. Standard library + httpx
+ the implementation only.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["main"]

W1_CALLS = 2000
SCAN_PAGE = 100
W6_CALLS = 200
#: raw httpx's pool bound in W6: the client's own default bound (``max_connections``), so both open as many
W6_RAW_CONNECTIONS = 100
#: the workloads every implementation runs on its asyncio client
ASYNC_WORKLOADS = ("W1a", "W6")


def digest(tickets: Iterable[Any]) -> list[int]:
    """[count, sum of ids, sum of name lengths, sum of status ids]: from models or from dicts."""
    out = [0, 0, 0, 0]
    for ticket in tickets:
        if isinstance(ticket, dict):
            tid, name, status = ticket["id"], ticket["name"], ticket["status"]["id"]
        else:
            tid, name, status = ticket.id, ticket.name, ticket.status.id
        out[0] += 1
        out[1] += tid
        out[2] += len(name or "")
        out[3] += status or 0
    return out


def settings(base: str) -> dict[str, Any]:
    return {
        "glpi_api_url": base + "/api.php/v2", "client_id": "bench", "client_secret": "secret",
        "username": "glpi", "password": "glpi",
    }  # fmt: skip


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def run_sync(impl: str, workload: str, base: str, scan_total: int) -> tuple[float, list[int]]:
    if impl == "raw":
        import httpx

        http = httpx.Client(base_url=base + "/api.php/v2/")
        token = http.post(base + "/api.php/token", data={"grant_type": "password"}).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"

        def get(tid: int) -> Any:
            response = http.get(f"Assistance/Ticket/{tid}")
            response.raise_for_status()
            return json.loads(response.content)

        def scan() -> list[Any]:
            out: list[Any] = []
            start = 0
            while True:
                page = json.loads(http.get("Assistance/Ticket", params={"start": start, "limit": SCAN_PAGE}).content)
                out.extend(page)
                if len(page) < SCAN_PAGE:
                    return out
                start += SCAN_PAGE
    else:
        if impl == "peer":
            from glpi_python_client import GlpiClient as PeerClient

            client: Any = PeerClient(**settings(base), server_timezone="UTC")
        else:
            from glpi_python_client import GlpiClient

            client = GlpiClient(**settings(base))
        client.get_ticket(1)  # token, connection: warm-up

        def get(tid: int) -> Any:
            return client.get_ticket(tid)

        def scan() -> list[Any]:
            return [t for page in client.iter_search_tickets(batch_size=SCAN_PAGE) for t in page]

    get(1)
    if workload == "W1":
        seconds, result = _timed(lambda: [get(1 + i % 100) for i in range(W1_CALLS)])
        return seconds / W1_CALLS, digest(result)
    if workload in ("W2", "R10k"):
        seconds, result = _timed(scan)
        if len(result) != scan_total:
            raise SystemExit(f"{impl} scanned {len(result)} tickets, expected {scan_total}")
        return seconds, digest(result)
    raise SystemExit(f"unknown sync workload {workload}")


async def run_async(impl: str, workload: str, base: str) -> tuple[float, list[int]]:
    if impl == "raw":
        import httpx

        limits = httpx.Limits(max_connections=W6_RAW_CONNECTIONS)
        http = httpx.AsyncClient(base_url=base + "/api.php/v2/", limits=limits)
        token = (await http.post(base + "/api.php/token", data={"grant_type": "password"})).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"

        async def get(tid: int) -> Any:
            response = await http.get(f"Assistance/Ticket/{tid}")
            response.raise_for_status()
            return json.loads(response.content)
    else:
        if impl == "peer":
            from glpi_python_client import AsyncGlpiClient as PeerAsync

            client: Any = PeerAsync(**settings(base), server_timezone="UTC")
        else:
            from glpi_python_client import AsyncGlpiClient

            client = AsyncGlpiClient(**settings(base))

        async def get(tid: int) -> Any:
            return await client.get_ticket(tid)

    await get(1)
    if workload == "W1a":
        start = time.perf_counter()
        result = [await get(1 + i % 100) for i in range(W1_CALLS)]
        return (time.perf_counter() - start) / W1_CALLS, digest(result)
    if workload == "W6":
        start = time.perf_counter()
        result = await asyncio.gather(*(get(1 + i) for i in range(W6_CALLS)))
        return time.perf_counter() - start, digest(result)
    raise SystemExit(f"unknown async workload {workload}")


def main() -> None:
    impl, workload, base = sys.argv[1:4]
    scan_total = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    if impl == "ours-async" or workload in ASYNC_WORKLOADS:
        seconds, result = asyncio.run(run_async(impl, workload, base))
    else:
        seconds, result = run_sync(impl, workload, base, scan_total)
    print(json.dumps({"seconds": seconds, "digest": result}))


if __name__ == "__main__":
    main()
