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
import hashlib
import json
import sys
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
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
    if workload == "W2":
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


# -- W3 ticket context, W4 task statistics ------------------------------------------------------------------

W3_CONTEXTS = 10  # timed contexts per run (tickets 2..11), reported per context
W4_TICKETS = 200
W4_CONCURRENCY = 8  # raw httpx keeps as many requests in flight as our clients' default ``concurrency``
TIMELINE = ("Followup", "Task", "Solution", "Document")


def _get(obj: Any, name: str) -> Any:
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def _crc(value: Any) -> int:
    return zlib.crc32(json.dumps(value, sort_keys=True).encode())


def context_digest(contexts: Iterable[Any]) -> list[int]:
    """[contexts, sum of ticket ids, followups, tasks, solutions, document links, sum of their ids]: all three."""
    out = [0] * 7
    for c in contexts:
        lists = [_get(c, "followups"), _get(c, "tasks"), _get(c, "solutions"), _get(c, "documents")]
        out[0] += 1
        out[1] += _get(_get(c, "ticket"), "id")
        for i, items in enumerate(lists):
            out[2 + i] += len(items)
        out[6] += sum(_get(item, "id") for items in lists for item in items)
    return out


def names_detail(contexts: Iterable[tuple[dict[int, str], dict[int, str]]]) -> list[int]:
    """Per context, a checksum of the user and document names it resolved (ours and raw; the peer resolves none)."""
    return [_crc([sorted(users.items()), sorted(documents.items())]) for users, documents in contexts]


def _display(first: str | None, real: str | None, fallback: str | None) -> str | None:
    return " ".join(p.strip() for p in (first, real) if p and p.strip()) or fallback or None


async def raw_context(
    get: Callable[[str], Awaitable[Any]], tid: int, users: dict[int, str | None], documents: dict[int, str | None]
) -> tuple[Any, tuple[dict[int, str], dict[int, str]]]:
    """Raw httpx: the five reads concurrently, then the names not known yet (kept in ``users``/``documents``)."""
    answers = await asyncio.gather(
        get(f"Assistance/Ticket/{tid}"), *(get(f"Assistance/Ticket/{tid}/Timeline/{k}") for k in TIMELINE)
    )
    ticket, followups, tasks, solutions, links = answers[0], *([e["item"] for e in a] for a in answers[1:])
    team = {
        m["id"]: _display(m.get("firstname"), m.get("realname"), m.get("name") or m.get("display_name"))
        for m in ticket["team"]
        if m.get("type") in (None, "User") and m.get("id")
    }
    refs = [ticket.get("user_editor")]
    for event in (*followups, *tasks, *solutions):
        refs += [event.get("user"), event.get("user_editor"), event.get("user_tech"), event.get("approver")]
    refs = [r for r in refs if isinstance(r, dict) and r.get("id")]
    want_users = [i for i in dict.fromkeys(r["id"] for r in refs) if i not in team and i not in users]
    want_docs = [i for i in dict.fromkeys(d["documents_id"] for d in links) if i not in documents]
    found = await asyncio.gather(
        *(get(f"Management/Document/{i}") for i in want_docs), *(get(f"Administration/User/{i}") for i in want_users)
    )
    for i, doc in zip(want_docs, found[: len(want_docs)], strict=True):
        documents[i] = doc.get("name") or doc.get("filename") or None
    for i, user in zip(want_users, found[len(want_docs) :], strict=True):
        users[i] = _display(user.get("firstname"), user.get("realname"), user.get("username"))
    user_names = {i: n for i, n in team.items() if n}
    for r in refs:
        name = users.get(r["id"]) or r.get("name")
        if name:
            user_names.setdefault(r["id"], name)
    doc_names = {i: n for i in dict.fromkeys(d["documents_id"] for d in links) if (n := documents.get(i))}
    context = {"ticket": ticket, "followups": followups, "tasks": tasks, "solutions": solutions, "documents": links}
    return context, (user_names, doc_names)


def raw_task_statistics(lists: list[tuple[int, list[Any]]]) -> dict[str, Any]:
    """The aggregation of ``get_task_statistics`` in plain Python (by technician id, ``"unknown"`` without one)."""
    by_user: dict[str, int] = {}
    by_ticket: dict[int, int] = {}
    count = total = 0
    for tid, tasks in lists:
        by_ticket.setdefault(tid, 0)
        for task in tasks:
            duration = task.get("duration") or 0
            tech = task.get("user_tech")
            key = str(tech["id"]) if isinstance(tech, dict) and tech.get("id") else "unknown"
            by_user[key] = by_user.get(key, 0) + duration
            by_ticket[tid] += duration
            count += 1
            total += duration
    return {"ticket_count": len(by_ticket), "task_count": count, "total_duration": total,
            "duration_by_user": by_user, "duration_by_ticket": by_ticket}  # fmt: skip


def stats_digest(stats: Any) -> list[int]:
    """[tickets, tasks, total seconds, sum of ticket id x its seconds]: what the three implementations agree on."""
    by_ticket = _get(stats, "duration_by_ticket")
    weighted = sum(int(tid) * seconds for tid, seconds in by_ticket.items())
    return [_get(stats, "ticket_count"), _get(stats, "task_count"), _get(stats, "total_duration"), weighted]


def run_context_stats(impl: str, workload: str, base: str) -> tuple[float, Any, Any]:
    """W3 (ticket context, names cached), W3c (cold: every name to look up) and W4 (task statistics).

    The peer's ``get_task_statistics`` sums by the task's author (``user``), ours by its technician
    (``user_tech``), so only the totals and per-ticket sums are compared with the peer's; the per-user sums
    and the context's names are compared between ours and raw httpx (the peer resolves no names).
    """
    tickets = list(range(2, 2 + W3_CONTEXTS))
    if impl == "ours-sync":
        from glpi_python_client import GlpiClient

        client = GlpiClient(**settings(base))
        client.get_ticket_context(1)  # token, connections, lazy imports
        if workload == "W4":
            seconds, stats = _timed(lambda: client.get_task_statistics(range(1, W4_TICKETS + 1)))
            return seconds, stats_digest(stats), _crc(sorted(stats["duration_by_user"].items()))
        if workload == "W3":
            [client.get_ticket_context(t) for t in tickets]  # names into the cache
        seconds, contexts = _timed(lambda: [client.get_ticket_context(t) for t in tickets])
        return (
            seconds / len(tickets),
            context_digest(contexts),
            names_detail((c.user_names, c.document_names) for c in contexts),
        )
    return asyncio.run(_run_context_stats_async(impl, workload, base, tickets))


async def _run_context_stats_async(impl: str, workload: str, base: str, tickets: list[int]) -> tuple[float, Any, Any]:
    if impl == "raw":
        import httpx

        http = httpx.AsyncClient(base_url=base + "/api.php/v2/", limits=httpx.Limits(max_connections=100))
        token = (await http.post(base + "/api.php/token", data={"grant_type": "password"})).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"

        async def get(path: str) -> Any:
            response = await http.get(path)
            response.raise_for_status()
            return json.loads(response.content)

        users: dict[int, str | None] = {}
        documents: dict[int, str | None] = {}
        await raw_context(get, 1, users, documents)
        if workload == "W4":
            limit = asyncio.Semaphore(W4_CONCURRENCY)

            async def tasks_of(tid: int) -> tuple[int, list[Any]]:
                async with limit:
                    return tid, [e["item"] for e in await get(f"Assistance/Ticket/{tid}/Timeline/Task")]

            start = time.perf_counter()
            stats = raw_task_statistics(list(await asyncio.gather(*(tasks_of(t) for t in range(1, W4_TICKETS + 1)))))
            seconds = time.perf_counter() - start
            return seconds, stats_digest(stats), _crc(sorted(stats["duration_by_user"].items()))
        if workload == "W3":
            [await raw_context(get, t, users, documents) for t in tickets]
        start = time.perf_counter()
        results = [await raw_context(get, t, users, documents) for t in tickets]
        seconds = time.perf_counter() - start
        return seconds / len(tickets), context_digest(c for c, _ in results), names_detail(n for _, n in results)
    if impl == "peer":
        from glpi_python_client import AsyncGlpiClient as PeerAsync

        client: Any = PeerAsync(**settings(base), server_timezone="UTC")
    else:
        from glpi_python_client import AsyncGlpiClient

        client = AsyncGlpiClient(**settings(base))
    await client.get_ticket_context(1)
    if workload == "W4":
        start = time.perf_counter()
        stats = await client.get_task_statistics(list(range(1, W4_TICKETS + 1)))
        seconds = time.perf_counter() - start
        detail = None if impl == "peer" else _crc(sorted(stats["duration_by_user"].items()))
        return seconds, stats_digest(stats), detail
    if workload == "W3":
        [await client.get_ticket_context(t) for t in tickets]
    start = time.perf_counter()
    contexts = [await client.get_ticket_context(t) for t in tickets]
    seconds = time.perf_counter() - start
    detail = None if impl == "peer" else names_detail((c.user_names, c.document_names) for c in contexts)
    return seconds / len(tickets), context_digest(contexts), detail


def cold_start(impl: str, base: str) -> tuple[float, list[int]]:
    """W7c: from nothing imported to the first ticket in hand: import, build the client, token, one GET.

    What a short script or a CLI command pays before its first answer (the loopback server adds no latency).
    Each implementation's own sync client (raw httpx: ``httpx.Client`` + ``json.loads``), and our async one;
    closing the client is not timed.
    """
    start = time.perf_counter()
    if impl == "raw":
        import httpx

        with httpx.Client(base_url=base + "/api.php/v2/") as http:
            token = http.post(base + "/api.php/token", data={"grant_type": "password"}).json()["access_token"]
            response = http.get("Assistance/Ticket/1", headers={"Authorization": f"Bearer {token}"})
            response.raise_for_status()
            ticket: Any = json.loads(response.content)
            seconds = time.perf_counter() - start
    elif impl == "ours-async":
        from glpi_python_client import AsyncGlpiClient

        async def first() -> tuple[float, Any]:
            async with AsyncGlpiClient(**settings(base)) as client:
                got = await client.get_ticket(1)
                return time.perf_counter() - start, got

        seconds, ticket = asyncio.run(first())
    else:
        from glpi_python_client import GlpiClient

        extra = {"server_timezone": "UTC"} if impl == "peer" else {}
        client: Any = GlpiClient(**settings(base), **extra)
        ticket = client.get_ticket(1)
        seconds = time.perf_counter() - start
        client.close()
    return seconds, digest([ticket])


# -- reports (W5, R10k) and memory (M100k) ----------------------------------------------------------------

#: Inclusive date windows of the report workloads: on the bench server, W5's holds tickets 1-2,000, the
#: others every ticket the search sees (10,000 or 100,000).
REPORT_WINDOWS = {
    "W5": ("2026-01-01", "2026-03-31"),
    "R10k": ("2026-01-01", "2038-12-31"),
    "R10k-serial": ("2026-01-01", "2038-12-31"),
}
PRIORITY_NAMES = {1: "VERY_LOW", 2: "LOW", 3: "MEDIUM", 4: "HIGH", 5: "VERY_HIGH", 6: "MAJOR"}
TYPE_NAMES = {1: "INCIDENT", 2: "REQUEST"}
MEMORY_TICKETS = 100_000
MEMORY_EARLY = 10_000


def report_digest(stats: dict[str, Any]) -> list[Any]:
    """[tickets counted, a hash of the whole statistics]: equal digests mean equal reports."""
    counted = sum(bucket["total"] for bucket in stats["entities"].values())
    return [counted, hashlib.sha1(json.dumps(stats, sort_keys=True).encode()).hexdigest()[:16]]


class RawTicketStatistics:
    """``get_ticket_statistics`` in plain Python over JSON dicts, fed page by page (trashed and repeated skipped)."""

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.entities: dict[str, dict[str, Any]] = {}

    def add(self, tickets: list[dict[str, Any]]) -> None:
        for ticket in tickets:
            if ticket.get("is_deleted") or ticket["id"] in self.seen:
                continue
            self.seen.add(ticket["id"])
            entity = ticket.get("entity") or {}
            key = "unknown" if entity.get("id") is None else str(entity["id"])
            bucket = self.entities.setdefault(key, {"total": 0, "by_status": {}, "by_priority": {}, "by_type": {}})
            bucket["total"] += 1
            status = (ticket.get("status") or {}).get("id")
            for group, value in (
                ("by_status", "unknown" if status is None else str(status)),
                ("by_priority", PRIORITY_NAMES.get(ticket["priority"], str(ticket["priority"]))),
                ("by_type", TYPE_NAMES.get(ticket["type"], str(ticket["type"]))),
            ):
                bucket[group][value] = bucket[group].get(value, 0) + 1

    def result(self) -> dict[str, Any]:
        return {"entities": self.entities}


def _raw_window(window: tuple[str, str]) -> str:
    return f"date_creation=ge={window[0]} 00:00:00;date_creation=le={window[1]} 23:59:59"


def run_report(impl: str, workload: str, base: str) -> tuple[float, list[Any]]:
    """``get_ticket_statistics`` over the workload's window; raw httpx pages serially and aggregates the same."""
    start_date, end_date = window = REPORT_WINDOWS[workload]
    if impl == "raw":
        import httpx

        http = httpx.Client(base_url=base + "/api.php/v2/")
        token = http.post(base + "/api.php/token", data={"grant_type": "password"}).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        http.get("Assistance/Ticket/1")

        def report() -> dict[str, Any]:
            stats = RawTicketStatistics()
            start = 0
            while True:
                params: dict[str, str | int] = {"filter": _raw_window(window), "sort": "id", "start": start}
                params["limit"] = SCAN_PAGE
                page = json.loads(http.get("Assistance/Ticket", params=params).content)
                stats.add(page)
                if len(page) < SCAN_PAGE:
                    return stats.result()
                start += SCAN_PAGE

        seconds, stats = _timed(report)
        return seconds, report_digest(stats)
    if impl == "ours-async":
        from glpi_python_client import AsyncGlpiClient

        async def timed() -> tuple[float, dict[str, Any]]:
            async with AsyncGlpiClient(**settings(base), concurrency=_concurrency(workload)) as client:
                await client.get_ticket(1)
                began = time.perf_counter()
                stats = await client.get_ticket_statistics(start_date=start_date, end_date=end_date)
                return time.perf_counter() - began, stats

        seconds, stats = asyncio.run(timed())
        return seconds, report_digest(stats)
    if impl == "peer":
        from glpi_python_client import GlpiClient as PeerClient

        client: Any = PeerClient(**settings(base), server_timezone="UTC")
    else:
        from glpi_python_client import GlpiClient

        client = GlpiClient(**settings(base), concurrency=_concurrency(workload))
    client.get_ticket(1)  # token, connection: warm-up
    seconds, stats = _timed(lambda: client.get_ticket_statistics(start_date=start_date, end_date=end_date))
    return seconds, report_digest(stats)


def _concurrency(workload: str) -> int:
    """Serial paging (one page at a time) for the ``-serial`` rows, else the client's default."""
    from glpi_python_client._constants import DEFAULT_CONCURRENCY

    return 1 if workload.endswith("-serial") else DEFAULT_CONCURRENCY


def _status_kb(field: str) -> int:
    """A ``VmRSS`` / ``VmHWM`` figure of this process, in kB (Linux /proc)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/self/status")


def run_memory(impl: str, base: str) -> tuple[float, list[int], dict[str, float]]:
    """Iterate 100,000 tickets keeping none; the growth of peak RSS over the start, early and at the end."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # peak RSS := current RSS, so the figure is the iteration's own
    pages: Any
    if impl == "raw":
        import httpx

        http = httpx.Client(base_url=base + "/api.php/v2/")
        token = http.post(base + "/api.php/token", data={"grant_type": "password"}).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"

        def raw_pages() -> Any:
            start = 0
            while True:
                page = json.loads(http.get("Assistance/Ticket", params={"start": start, "limit": SCAN_PAGE}).content)
                yield page
                if len(page) < SCAN_PAGE:
                    return
                start += SCAN_PAGE

        pages = raw_pages()
    elif impl == "ours-async":
        from glpi_python_client import AsyncGlpiClient

        aclient = AsyncGlpiClient(**settings(base))
        loop = asyncio.new_event_loop()
        loop.run_until_complete(aclient.get_ticket(1))
        iterator = aclient.iter_search_tickets(batch_size=SCAN_PAGE).__aiter__()

        def async_pages() -> Any:
            while True:
                try:
                    yield loop.run_until_complete(iterator.__anext__())
                except StopAsyncIteration:
                    return

        pages = async_pages()
    else:
        if impl == "peer":
            from glpi_python_client import GlpiClient as PeerClient

            client: Any = PeerClient(**settings(base), server_timezone="UTC")
        else:
            from glpi_python_client import GlpiClient

            client = GlpiClient(**settings(base))
        client.get_ticket(1)
        pages = client.iter_search_tickets(batch_size=SCAN_PAGE)
    begin_kb = _status_kb("VmRSS")
    early_kb = 0
    out = [0, 0, 0, 0]
    began = time.perf_counter()
    for page in pages:
        part = digest(page)
        out = [a + b for a, b in zip(out, part, strict=True)]
        if not early_kb and out[0] >= MEMORY_EARLY:
            early_kb = _status_kb("VmHWM")
        del page, part
    seconds = time.perf_counter() - began
    if out[0] != MEMORY_TICKETS:
        raise SystemExit(f"{impl} iterated {out[0]} tickets, expected {MEMORY_TICKETS}")
    end_kb = _status_kb("VmHWM")
    return seconds, out, {"early_mb": (early_kb - begin_kb) / 1024, "peak_mb": (end_kb - begin_kb) / 1024}


def main() -> None:
    impl, workload, base = sys.argv[1:4]
    scan_total = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    if workload in REPORT_WINDOWS:
        seconds, result = run_report(impl, workload, base)
        print(json.dumps({"seconds": seconds, "digest": result}))
        return
    if workload == "M100k":
        seconds, result, memory = run_memory(impl, base)
        print(json.dumps({"seconds": seconds, "digest": result, "memory": memory}))
        return
    if workload == "W7c":
        seconds, result = cold_start(impl, base)
        print(json.dumps({"seconds": seconds, "digest": result}))
        return
    if workload in ("W3", "W3c", "W4"):
        seconds, digest_, detail = run_context_stats(impl, workload, base)
        print(json.dumps({"seconds": seconds, "digest": digest_, "detail": detail}))
        return
    if impl == "ours-async" or workload in ASYNC_WORKLOADS:
        seconds, result = asyncio.run(run_async(impl, workload, base))
    else:
        seconds, result = run_sync(impl, workload, base, scan_total)
    print(json.dumps({"seconds": seconds, "digest": result}))


if __name__ == "__main__":
    main()
