"""Benchmarks (``make bench``): figures printed, never asserted.

* the side-by-side table (scripts/bench_table.py): ours, raw httpx and the peer 0.6.5 on a loopback fake;
* per-call overhead of ``get_ticket`` on both clients over an in-memory transport;
* the peak memory of moving a large document.

``get_ticket_context`` is in the table (W3, names known and cold, with its figures in latency rounds).
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


def streaming_memory(size_mb: int = 64) -> None:
    """Peak Python memory while moving a large document through upload_document / download_document_to."""
    import tempfile
    import tracemalloc

    from glpi_python_client import GlpiClient

    chunk = b"x" * 65536
    chunks = size_mb * 16

    class Streaming(httpx.BaseTransport):
        """A fake GLPI that consumes uploads and serves downloads chunk by chunk (MockTransport buffers them)."""

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            path = request.url.path
            if path.endswith("/token"):
                return httpx.Response(200, json={"access_token": "t", "refresh_token": "r", "expires_in": 3600})
            if path.endswith("/initSession"):
                return httpx.Response(200, json={"session_token": "s"})
            if path.endswith("/killSession"):
                return httpx.Response(200, json=True)
            if path.endswith("/Document") and request.method == "POST":
                received = sum(len(part) for part in request.stream)  # type: ignore[union-attr]
                return httpx.Response(201, json={"id": 7, "received": received})
            return httpx.Response(200, content=(chunk for _ in range(chunks)))

    settings = {
        "glpi_api_url": "http://glpi.test/api.php/v2",
        "client_id": "a",
        "client_secret": "b",
        "v1_base_url": "http://glpi.test/apirest.php",
        "v1_user_token": "u",
    }
    with tempfile.TemporaryDirectory() as tmp, GlpiClient(**settings, transport=Streaming()) as client:
        source = Path(tmp) / "big.bin"
        with source.open("wb") as out:
            for _ in range(chunks):
                out.write(chunk)
        tracemalloc.start()
        client.upload_document(filename="big.bin", content=source, mime_type="application/octet-stream")
        upload_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        client.download_document_to(7, Path(tmp) / "copy.bin")
        download_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"{size_mb} MiB document: peak traced memory {upload_peak / 2**20:.1f} MiB during upload_document(path),"
          f" {download_peak / 2**20:.1f} MiB during download_document_to(path)")  # fmt: skip


def main() -> None:
    import bench_table

    bench_table.main()
    print()
    call_overhead()
    streaming_memory()


if __name__ == "__main__":
    main()
