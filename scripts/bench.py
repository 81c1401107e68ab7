"""Benchmarks (``make bench``): figures printed, never asserted.

* import time of ``glpi_python_client`` (fresh interpreters, best of 7);
* per-call overhead of ``get_ticket`` on both clients over an in-memory transport;
* ``get_ticket_context`` latency with 50 ms injected per request (scripts/bench_context.py).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
TICKET = json.dumps({"id": 1, "name": "t", "status": {"id": 1, "name": "New"}, "team": []}).encode()


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/token"):
        return httpx.Response(200, json={"access_token": "t", "refresh_token": "r", "expires_in": 3600})
    return httpx.Response(200, content=TICKET, headers={"Content-Type": "application/json"})


def import_time() -> None:
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import glpi_python_client"], check=True)
        runs.append(time.perf_counter() - start)
    base = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - start)
    print(f"import glpi_python_client: {1000 * (min(runs) - min(base)):.0f} ms over a bare interpreter "
          f"(best of 7; interpreter alone {1000 * min(base):.0f} ms)")  # fmt: skip


def call_overhead(n: int = 2000) -> None:
    from glpi_python_client import AsyncGlpiClient, GlpiClient

    settings = {"glpi_api_url": "http://glpi.test/api.php/v2", "client_id": "a", "client_secret": "b"}
    with GlpiClient(**settings, transport=httpx.MockTransport(handler)) as client:
        client.get_ticket(1)
        times = []
        for _ in range(n):
            start = time.perf_counter()
            client.get_ticket(1)
            times.append(time.perf_counter() - start)
    print(f"GlpiClient.get_ticket, in-memory transport: median {1e6 * statistics.median(times):.0f} µs/call")

    async def run() -> list[float]:
        async with AsyncGlpiClient(**settings, transport=httpx.MockTransport(handler)) as client:
            await client.get_ticket(1)
            out = []
            for _ in range(n):
                start = time.perf_counter()
                await client.get_ticket(1)
                out.append(time.perf_counter() - start)
            return out

    times = asyncio.run(run())
    print(f"AsyncGlpiClient.get_ticket, in-memory transport: median {1e6 * statistics.median(times):.0f} µs/call")


def main() -> None:
    import_time()
    call_overhead()
    context = HERE / "bench_context.py"
    if context.exists():
        subprocess.run([sys.executable, str(context)], check=True)


if __name__ == "__main__":
    main()
