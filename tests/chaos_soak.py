"""Chaos soak: many mixed operations through a faulty network, checked against what the server applied.

One run, per client (``GlpiClient`` then ``AsyncGlpiClient``):

1. a child process serves the stateful simulator (``glpi_sim.GlpiSim``) over real HTTP/1.1 on loopback
   through the fault-injecting proxy (``fault_proxy.FaultProxy``, which hands each request it lets through to
   the simulator in-process); ``loopback_http.HttpServer`` serves the simulator directly beside it, for the
   final state. The child stops by itself after ``lifetime`` seconds;
2. ``concurrency`` workers run a seeded mix of operations through the proxy: ticket creates, followups, tasks
   and team members, updates, gets, searches, full iterations, ticket contexts, statistics, document upload
   and download, incidents by key (``open_incident``/``resolve_incident``), and itemtype resources
   (``client.resource("Computer")``...: creates, updates, full iterations);
3. the invariants are checked against the simulator's own record of what it applied, and a table is printed.

The invariants (each a line of the table, with its figures):

* no duplicate creates (and at most one open ticket per incident key); every operation that returned success
  is on the server with the data sent;
* every failure is a ``GlpiError``; where the server applied a write, ``may_have_been_applied`` is True, and
  where it says False the server applied nothing;
* no call runs longer than its bound (computed from the timeout, the attempts, the backoff and the token
  lock); no hang; no thread or task left behind after ``close()``;
* memory is flat from the end of the warm-up to the end of the run: the live objects of the client-side
  packages (a census through ``gc``) grow by at most a small fixed budget, whatever the number of operations,
  and so does RSS; ``trace_memory`` also counts, with tracemalloc, the bytes those packages allocated after
  the warm-up and still hold (slow: tracing costs more than the run);
* no password, client secret, user token, access/refresh token or v1 session token in any exception's text
  or repr, any log record of the ``glpi_python_client`` logger (captured at DEBUG), or the client's repr.

``scripts/soak.py`` runs the full version (``make soak``); ``tests/test_chaos_soak.py`` a short one.
This module is not part of the library.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import hashlib
import inspect
import json
import logging
import math
import random
import re
import subprocess
import sys
import threading
import time
import tracemalloc
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
PASSWORD = "soak-password-Zq8v"
CLIENT_SECRET = "soak-client-secret-Wm4k"
CLIENT_ID = "f4e4f8655f70706b1a6e4e3b801ede1c8960abcb6e91dcd2636ffd91cd1ec9fa"
USER_TOKEN = "soak-user-token-Hy2p"
SECRET_TEXTS = (PASSWORD, CLIENT_SECRET, USER_TOKEN)
#: the simulator's token shapes: access-N, refresh-N, session-N
SECRET_PATTERN = re.compile(r"\b(?:access|refresh|session)-\d+\b|" + "|".join(re.escape(s) for s in SECRET_TEXTS))
CONTROL = "/__soak__/state"
#: the packages whose memory must stay flat (the simulator runs in the child process)
LIBRARY_FILES = ("*/glpi_python_client/*", "*/glpi_api_v2/*", "*/httpx/*", "*/httpcore/*", "*/h11/*")
LIBRARY_MODULES = ("glpi_python_client", "glpi_api_v2", "httpx", "httpcore", "h11", "anyio")

__all__ = ["SoakConfig", "SoakReport", "main", "run_soak"]


@dataclass(frozen=True)
class SoakConfig:
    """One soak's settings. ``rate`` is the share of requests that get a fault."""

    operations: int = 3000
    concurrency: int = 8
    rate: float = 0.12
    seed: int = 12
    timeout: float = 1.0
    stall: float = 1.6
    retry_after: str = "1"
    backoff_initial: float = 0.02
    backoff_max: float = 0.2
    max_retries: int = 3
    lifetime: float = 900.0
    warmup: float = 0.15
    object_budget: int = 300
    rss_budget: int = 32 * 2**20
    traced_budget: int = 512 * 1024
    trace_memory: bool = False
    slack: float = 3.0
    modes: tuple[str, ...] = ("sync", "async")


# -- the server side (child process) --------------------------------------------------------------


def _state(sim: Any, proxy: Any) -> dict[str, Any]:
    """What the simulator applied and what the proxy injected, as JSON."""
    return {
        "items": {
            **{kind: {str(i): rec for i, rec in recs.items()} for kind, recs in sim.items.items()},
            **{path: {str(i): rec for i, rec in recs.items()} for path, recs in sim.collections.items.items()},
        },
        "team": {str(t): [list(m) for m in members] for t, members in sim.team.items()},
        "files": {str(d): hashlib.sha256(content).hexdigest() for d, (content, _) in sim.files.items()},
        "faults": [asdict(f) for f in proxy.log],
        "received": proxy.received,
        "forwarded": proxy.forwarded,
        "issued": sim.issued,
    }


async def _serve(args: argparse.Namespace) -> None:
    from fault_proxy import FaultProxy
    from glpi_sim import ORIGIN, GlpiSim
    from loopback_http import HttpServer

    sim = GlpiSim(password=PASSWORD, client_secret=CLIENT_SECRET, client_id=CLIENT_ID, user_token=USER_TOKEN)
    sim.requests = deque(maxlen=16)  # type: ignore[assignment]  # the soak keeps no request history
    proxy: FaultProxy

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == CONTROL:
            return httpx.Response(200, json=_state(sim, proxy))
        return sim(request)

    server = HttpServer(handler, origin=ORIGIN)
    direct = await server.start()
    proxy = FaultProxy(
        handler,
        origin=ORIGIN,
        seed=args.seed,
        rate=args.rate,
        stall=args.stall,
        retry_after=args.retry_after,
        lifetime=args.lifetime,
        max_faults=args.max_faults,
    )
    url = await proxy.start()
    print(json.dumps({"proxy": url, "direct": direct}), flush=True)
    await proxy.wait_stopped()
    await server.close()


@contextlib.contextmanager
def served(config: SoakConfig, seed: int) -> Iterator[tuple[str, str]]:
    """Start the simulator behind the fault proxy in a child process; yields (proxy URL, direct URL)."""
    command = [sys.executable, str(Path(__file__)), "serve", "--seed", str(seed), "--rate", str(config.rate),
               "--stall", str(config.stall), "--retry-after", config.retry_after, "--lifetime", str(config.lifetime),
               "--max-faults", str(max(1, config.operations * 4))]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=HERE)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            raise RuntimeError(f"the soak server did not start (exit code {child.wait()})")
        urls = json.loads(line)
        yield urls["proxy"], urls["direct"]
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()


# -- capturing secrets ----------------------------------------------------------------------------


def secret_in(text: str) -> str | None:
    """The secret-shaped part of ``text``, if any."""
    found = SECRET_PATTERN.search(text)
    return found.group(0) if found else None


class LogWatch(logging.Handler):
    """Checks every record of the library's logger for secrets as it is emitted, and counts them (keeps none)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.counts: Counter[str] = Counter()
        self.leaks: list[str] = []
        self.lock_ = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        text = " ".join([record.getMessage(), repr(record.args), repr(vars(record))])
        leak = secret_in(text)
        with self.lock_:
            self.counts[f"{record.name} {record.levelname}"] += 1
            if leak and len(self.leaks) < 20:
                self.leaks.append(f"{leak!r} in log record {record.getMessage()!r}")


def exception_texts(exc: BaseException) -> Iterator[str]:
    """The text and repr of ``exc`` and of every exception chained to it."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield str(current)
        yield repr(current)
        current = current.__cause__ or current.__context__


# -- the workload ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One operation: what it was, how it ended (no exception object is kept: memory must stay flat)."""

    kind: str
    duration: float
    bound: float
    ok: bool = True
    error_type: str | None = None
    glpi_error: bool = True
    applied_flag: bool | None = None
    message: str = ""
    hung: bool = False


@dataclass
class Create:
    """A create to find on the server afterwards: ``kind`` records whose ``field`` contains ``marker``."""

    kind: str
    field: str
    marker: str
    outcome: Outcome
    item_id: int | None = None
    expect: dict[str, Any] = field(default_factory=dict)


@dataclass
class Ticket:
    item_id: int
    names: set[str]
    followups: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=lambda: ["observer", "requester", "assigned"])
    documents: list[tuple[int, bytes]] = field(default_factory=list)


@dataclass
class Update:
    ticket_id: int
    name: str
    outcome: Outcome


WEIGHTS = {
    "create_ticket": 14, "create_followup": 10, "create_task": 7, "add_team_member": 5, "update_ticket": 9,
    "get_ticket": 9, "search_tickets": 6, "iterate_tickets": 2, "ticket_context": 5, "ticket_statistics": 1,
    "upload_document": 5, "download_document": 4, "open_incident": 5, "resolve_incident": 2, "create_asset": 6,
    "update_asset": 3, "iterate_assets": 2,
}  # fmt: skip
#: itemtype resources (``client.resource(name)``) the workload writes and reads, with their collection paths
ASSETS = {"Computer": "/Assets/Computer", "Monitor": "/Assets/Monitor", "NetworkEquipment": "/Assets/NetworkEquipment"}
INCIDENT_KEYS = 6
ITERATE_BATCH = 50


class Bounds:
    """How long a call may take, from the client's settings: its attempts, their token requests, the delays.

    One request: connect + write + read timeouts, plus one more read (the proxy stalls at most one read per
    answer). One attempt: the request, a token acquisition (a refresh then a full grant: two requests) and the
    wait for another worker's acquisition holding the token lock (two more). One Send: ``max_retries + 1``
    attempts and one replay after a re-authentication, plus the delays between them (the backoff cap or
    Retry-After, whichever is longer). An operation: its sequential rounds of Sends, plus a fixed slack.
    """

    def __init__(self, config: SoakConfig) -> None:
        t = httpx.Timeout(config.timeout)
        assert t.connect and t.write and t.read
        self.request = t.connect + t.write + 2 * t.read
        attempts = config.max_retries + 2
        sleep = max(config.backoff_max, float(config.retry_after))
        self.send = attempts * 5 * self.request + config.max_retries * sleep
        self.slack = config.slack

    def of(self, rounds: int) -> float:
        return rounds * self.send + self.slack


class Soak:
    """One client's run of the workload (see the module docstring)."""

    def __init__(self, config: SoakConfig, mode: str, client: Any) -> None:
        self.config = config
        self.mode = mode
        self.client = client
        self.bounds = Bounds(config)
        self.outcomes: list[Outcome] = []
        self.creates: list[Create] = []
        self.updates: list[Update] = []
        self.violations: list[str] = []
        self.leaks: list[str] = []
        self.lock = threading.Lock()
        self.created_ok = 0
        self.sequence: Counter[int] = Counter()
        self.incident_keys: set[str] = set()
        self.assets: list[tuple[str, int, set[str]]] = []  # itemtype, id, the comments it may have now
        self.worker_assets: dict[int, list[tuple[str, int, set[str]]]] = {}  # by the worker's ticket list

    # -- calling either client --------------------------------------------------------------------

    async def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, name)(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def pages(self, name: str, *args: Any, **kwargs: Any) -> list[list[Any]]:
        pages = getattr(self.client, name)(*args, **kwargs)
        if hasattr(pages, "__aiter__"):
            return [page async for page in pages]
        return list(pages)

    def violation(self, text: str) -> None:
        with self.lock:
            if len(self.violations) < 200:
                self.violations.append(text)

    async def attempt(self, kind: str, rounds: int, body: Callable[[], Awaitable[Any]]) -> tuple[Outcome, Any]:
        """Run one operation, timing it and classifying how it ended."""
        from glpi_python_client import GlpiError

        bound = self.bounds.of(rounds)
        outcome = Outcome(kind, 0.0, bound)
        started = time.monotonic()
        result: Any = None
        try:
            if self.mode == "async":
                try:
                    result = await asyncio.wait_for(body(), bound)
                except TimeoutError as exc:
                    if isinstance(exc, GlpiError):
                        raise
                    outcome.ok, outcome.hung, outcome.error_type = False, True, "hang"
                    self.violation(f"{kind} hung: still running after its bound of {bound:.1f} s")
            else:
                result = await body()
        except Exception as exc:
            self._failed(outcome, exc)
        outcome.duration = time.monotonic() - started
        if outcome.duration > bound:
            self.violation(f"{kind} took {outcome.duration:.2f} s, over its bound of {bound:.2f} s")
        with self.lock:
            self.outcomes.append(outcome)
        return outcome, result

    def _failed(self, outcome: Outcome, exc: BaseException) -> None:
        from glpi_python_client import GlpiError

        outcome.ok = False
        outcome.error_type = type(exc).__name__
        outcome.glpi_error = isinstance(exc, GlpiError)
        outcome.applied_flag = getattr(exc, "may_have_been_applied", None)
        outcome.message = str(exc)[:300]
        if not outcome.glpi_error:
            self.violation(f"{outcome.kind} raised {type(exc).__name__}, not a GlpiError: {str(exc)[:200]}")
        for text in exception_texts(exc):
            leak = secret_in(text)
            if leak:
                with self.lock:
                    self.leaks.append(f"{leak!r} in {type(exc).__name__}: {text[:160]!r}")
                break

    # -- one worker -------------------------------------------------------------------------------

    async def worker(self, index: int, count: int, rng: random.Random, tickets: list[Ticket]) -> None:
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        for _ in range(count):
            kind = rng.choices(kinds, weights)[0]
            if not tickets:
                kind = "create_ticket"
            self.sequence[index] += 1
            marker = f"soak{self.mode}w{index}n{self.sequence[index]}q"
            await getattr(self, kind)(rng, marker, tickets)

    async def create_ticket(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        urgency = rng.randint(1, 5)
        body = {"name": f"name {marker}", "content": f"content {marker}", "urgency": urgency}
        outcome, ticket_id = await self.attempt("create_ticket", 1, lambda: self.call("create_ticket", body))
        self.creates.append(Create("Ticket", "content", marker, outcome, ticket_id, {"urgency": urgency}))
        if outcome.ok:
            tickets.append(Ticket(ticket_id, {body["name"]}))
            with self.lock:
                self.created_ok += 1

    async def create_followup(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        body = {"content": f"followup {marker}"}
        call = lambda: self.call("create_ticket_followup", ticket.item_id, body)  # noqa: E731
        outcome, item_id = await self.attempt("create_followup", 1, call)
        self.creates.append(Create("Followup", "content", marker, outcome, item_id, {"items_id": ticket.item_id}))
        if outcome.ok:
            ticket.followups.append(marker)

    async def create_task(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        duration = rng.randrange(60, 7200, 60)
        body = {"content": f"task {marker}", "duration": duration}
        outcome, item_id = await self.attempt(
            "create_task", 1, lambda: self.call("create_ticket_task", ticket.item_id, body)
        )
        expect = {"tickets_id": ticket.item_id, "duration": duration}
        self.creates.append(Create("Task", "content", marker, outcome, item_id, expect))
        if outcome.ok:
            ticket.tasks.append(marker)

    async def add_team_member(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        if not ticket.roles:
            return await self.get_ticket(rng, marker, tickets)
        role = ticket.roles.pop(rng.randrange(len(ticket.roles)))
        member = {"type": "User", "id": 2, "role": role}
        call = lambda: self.call("add_ticket_team_member", ticket.item_id, member)  # noqa: E731
        outcome, _ = await self.attempt("add_team_member", 1, call)
        self.creates.append(Create("TeamMember", "role", role, outcome, ticket.item_id, {"ticket": ticket.item_id}))
        return None

    async def update_ticket(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        name = f"renamed {marker}"
        outcome, updated = await self.attempt(
            "update_ticket", 1, lambda: self.call("update_ticket", ticket.item_id, {"name": name})
        )
        self.updates.append(Update(ticket.item_id, name, outcome))
        if outcome.ok:
            ticket.names = {name}
            if updated.name != name:
                self.violation(f"update_ticket {ticket.item_id} returned name {updated.name!r}, sent {name!r}")
        elif outcome.applied_flag is not False:
            ticket.names.add(name)

    async def get_ticket(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        outcome, got = await self.attempt("get_ticket", 1, lambda: self.call("get_ticket", ticket.item_id))
        if outcome.ok and (got.id != ticket.item_id or got.name not in ticket.names):
            self.violation(f"get_ticket {ticket.item_id} answered {got.id}/{got.name!r}, expected {ticket.names}")

    async def search_tickets(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        call = lambda: self.call("search_tickets", f"id=={ticket.item_id}")  # noqa: E731
        outcome, found = await self.attempt("search_tickets", 1, call)
        if outcome.ok and [t.id for t in found] != [ticket.item_id]:
            self.violation(f"search id=={ticket.item_id} answered {[t.id for t in found]}")

    async def iterate_tickets(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        known = {t.item_id for t in tickets}
        rounds = math.ceil(self.config.operations / ITERATE_BATCH) + 1
        call = lambda: self.pages("iter_search_tickets", batch_size=ITERATE_BATCH, sort="id")  # noqa: E731
        outcome, pages = await self.attempt("iterate_tickets", rounds, call)
        if outcome.ok:
            ids = [t.id for page in pages for t in page]
            if len(ids) != len(set(ids)):
                self.violation("a full iteration yielded a ticket twice")
            if not known <= set(ids):
                self.violation(f"a full iteration missed tickets {sorted(known - set(ids))[:5]}")

    async def ticket_context(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        followups, tasks = list(ticket.followups), list(ticket.tasks)
        call = lambda: self.call("get_ticket_context", ticket.item_id)  # noqa: E731
        outcome, context = await self.attempt("ticket_context", 2, call)
        if not outcome.ok:
            return
        contents = " ".join(f.content or "" for f in context.followups)
        task_contents = " ".join(t.content or "" for t in context.tasks)
        if context.ticket.id != ticket.item_id:
            self.violation(f"ticket context {ticket.item_id} is of ticket {context.ticket.id}")
        missing = [m for m in followups if m not in contents] + [m for m in tasks if m not in task_contents]
        if missing:
            self.violation(f"ticket context {ticket.item_id} misses created timeline items {missing[:3]}")

    async def ticket_statistics(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        floor = len(tickets)
        rounds = math.ceil(self.config.operations / 100) + 2
        outcome, stats = await self.attempt("ticket_statistics", rounds, lambda: self.call("get_ticket_statistics"))
        if outcome.ok:
            total = sum(entity["total"] for entity in stats["entities"].values())
            if total < floor:
                self.violation(f"statistics counted {total} tickets, this worker alone created {floor}")

    async def upload_document(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        ticket = rng.choice(tickets)
        content = f"document {marker}\n".encode() * rng.randint(1, 40)
        call = lambda: self.call(  # noqa: E731
            "upload_document", filename=f"{marker}.txt", content=content, ticket_id=ticket.item_id
        )
        outcome, doc_id = await self.attempt("upload_document", 4, call)
        expect = {"sha256": hashlib.sha256(content).hexdigest(), "ticket": ticket.item_id}
        self.creates.append(Create("Document", "name", f"{marker}.txt", outcome, doc_id, expect))
        if outcome.ok:
            ticket.documents.append((doc_id, content))

    async def download_document(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        with_docs = [t for t in tickets if t.documents]
        if not with_docs:
            return await self.get_ticket(rng, marker, tickets)
        doc_id, content = rng.choice(rng.choice(with_docs).documents)
        call = lambda: self.call("download_document_content", doc_id)  # noqa: E731
        outcome, got = await self.attempt("download_document", 1, call)
        if outcome.ok and got != content:
            self.violation(f"document {doc_id} downloaded {len(got)} bytes that differ from the {len(content)} sent")
        return None

    def incident_key(self, rng: random.Random) -> str:
        key = f"soak:{self.mode}:{rng.randrange(INCIDENT_KEYS)}"
        with self.lock:
            self.incident_keys.add(key)
        return key

    async def open_incident(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        key = self.incident_key(rng)
        call = lambda: self.call(  # noqa: E731
            "open_incident", key, title=f"alert {key}", content=f"fired {marker}", urgency=4, quiet_window=0
        )
        outcome, result = await self.attempt("open_incident", 6, call)
        if outcome.ok and (result.action not in ("created", "updated") or result.ticket_id is None):
            self.violation(f"open_incident {key} answered {result}")

    async def resolve_incident(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        key = self.incident_key(rng)
        call = lambda: self.call("resolve_incident", key, solution=f"solved {marker}")  # noqa: E731
        await self.attempt("resolve_incident", 4, call)

    async def create_asset(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        itemtype = rng.choice(list(ASSETS))
        body = {"name": f"asset {marker}", "comment": f"comment {marker}"}
        call = lambda: self.call_resource(itemtype, "create", body)  # noqa: E731
        outcome, item_id = await self.attempt("create_asset", 1, call)
        self.creates.append(Create(ASSETS[itemtype], "name", marker, outcome, item_id, {"comment": body["comment"]}))
        if outcome.ok:
            asset = (itemtype, item_id, {body["comment"]})
            self.worker_assets.setdefault(id(tickets), []).append(asset)  # updated by this worker only
            with self.lock:
                self.assets.append(asset)

    async def update_asset(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        mine = self.worker_assets.get(id(tickets), [])
        if not mine:
            return await self.create_asset(rng, marker, tickets)
        index = rng.randrange(len(mine))
        itemtype, item_id, comments = mine[index]
        comment = f"updated {marker}"
        call = lambda: self.call_resource(itemtype, "update", item_id, {"comment": comment})  # noqa: E731
        outcome, updated = await self.attempt("update_asset", 1, call)
        if outcome.ok:
            comments.clear()
            comments.add(comment)
            if updated.comment != comment:
                self.violation(f"{itemtype} {item_id} update returned comment {updated.comment!r}, sent {comment!r}")
        elif outcome.applied_flag is not False:
            comments.add(comment)
        return None

    async def iterate_assets(self, rng: random.Random, marker: str, tickets: list[Ticket]) -> None:
        itemtype = rng.choice(list(ASSETS))
        known = {item_id for kind, item_id, _ in self.worker_assets.get(id(tickets), []) if kind == itemtype}
        rounds = math.ceil(self.config.operations / 20) + 1
        call = lambda: self.iterate_resource(itemtype, page_size=20, sort="id")  # noqa: E731
        outcome, found = await self.attempt("iterate_assets", rounds, call)
        if outcome.ok:
            ids = [item.id for item in found]
            if len(ids) != len(set(ids)) or not known <= set(ids):
                self.violation(f"iterating {itemtype} missed {sorted(known - set(ids))[:5]} or repeated items")

    async def call_resource(self, itemtype: str, verb: str, *args: Any) -> Any:
        result = getattr(self.client.resource(itemtype), verb)(*args)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def iterate_resource(self, itemtype: str, **options: Any) -> list[Any]:
        items = self.client.resource(itemtype).iterate(**options)
        if hasattr(items, "__aiter__"):
            return [item async for item in items]
        return list(items)

    # -- checking against the server --------------------------------------------------------------

    def check_server(self, state: dict[str, Any]) -> None:
        """Creates and updates against what the simulator applied."""
        items = state["items"]
        for create in self.creates:
            outcome = create.outcome
            if create.kind == "TeamMember":
                members = state["team"].get(str(create.item_id), [])
                applied = ["User", 2, create.marker] in members
                found = [create.item_id] if applied else []
            else:
                held = items.get(create.kind, {})  # none at all when every create of this kind failed before GLPI
                found = [int(i) for i, rec in held.items() if create.marker in str(rec.get(create.field))]
            what = f"{outcome.kind} {create.marker}"
            if len(found) > 1:
                self.violation(f"duplicate create: {what} is {len(found)} times on the server ({found})")
            if outcome.ok:
                if create.kind != "TeamMember" and found != [create.item_id]:
                    self.violation(f"{what} succeeded with id {create.item_id}, the server has {found}")
                elif not found:
                    self.violation(f"{what} succeeded but is not on the server")
                else:
                    self._check_data(create, items, state)
            elif found and outcome.applied_flag is not True:
                self.violation(
                    f"{what} failed with {outcome.error_type} (may_have_been_applied={outcome.applied_flag})"
                    " but the server applied it"
                )
        for key in sorted(self.incident_keys):
            open_ = [
                int(i)
                for i, rec in items["Ticket"].items()
                if rec.get("external_id") == key and rec["status"]["id"] not in (5, 6) and not rec["is_deleted"]
            ]
            if len(open_) > 1:
                self.violation(f"duplicate create: incident {key} has {len(open_)} open tickets ({open_})")
        for itemtype, item_id, comments in self.assets:
            record = items[ASSETS[itemtype]].get(str(item_id), {})
            if record.get("comment") not in comments:
                self.violation(
                    f"{itemtype} {item_id} has comment {record.get('comment')!r}, expected one of {comments}"
                )
        latest: dict[int, list[Update]] = {}
        for update in self.updates:
            latest.setdefault(update.ticket_id, []).append(update)
        for ticket_id, updates in latest.items():
            name = items["Ticket"][str(ticket_id)]["name"]
            possible: set[str] = set()
            for update in updates:
                if update.outcome.ok:
                    possible = {update.name}
                elif update.outcome.applied_flag is not False:
                    possible.add(update.name)
            if possible and name not in possible and any(u.outcome.ok for u in updates):
                self.violation(f"ticket {ticket_id} is named {name!r}, expected one of {sorted(possible)}")
            for update in updates:
                if not update.outcome.ok and update.outcome.applied_flag is False and name == update.name:
                    self.violation(
                        f"update of ticket {ticket_id} failed with may_have_been_applied=False, but the server"
                        f" applied it ({update.outcome.error_type})"
                    )

    def _check_data(self, create: Create, items: dict[str, Any], state: dict[str, Any]) -> None:
        record = items[create.kind].get(str(create.item_id), {}) if create.kind != "TeamMember" else {}
        expect = create.expect
        if create.kind == "Ticket" and record.get("urgency") != expect["urgency"]:
            self.violation(f"ticket {create.item_id} has urgency {record.get('urgency')}, sent {expect['urgency']}")
        if create.kind == "Followup" and record.get("items_id") != expect["items_id"]:
            self.violation(f"followup {create.item_id} is on ticket {record.get('items_id')}, not {expect['items_id']}")
        if create.kind == "Task" and (record.get("tickets_id"), record.get("duration")) != (
            expect["tickets_id"],
            expect["duration"],
        ):
            self.violation(f"task {create.item_id} differs from what was sent: {record}")
        if create.kind == "Document":
            if state["files"].get(str(create.item_id)) != expect["sha256"]:
                self.violation(f"document {create.item_id}'s file differs from what was uploaded")
            links = [
                link for link in items["Document_Item"].values()
                if link["documents_id"] == create.item_id and link["items_id"] == expect["ticket"]
            ]  # fmt: skip
            if len(links) != 1:
                self.violation(f"document {create.item_id} is linked {len(links)} times to ticket {expect['ticket']}")


# -- one client's run -----------------------------------------------------------------------------


@dataclass
class SoakReport:
    """What one client's run measured; ``violations`` empty means every invariant held."""

    mode: str
    operations: Counter[tuple[str, str]]
    faults: Counter[str]
    applied_faults: Counter[str]
    requests: int
    errors: Counter[str]
    log_counts: Counter[str]
    invariants: dict[str, list[str]]
    max_ratio: float
    max_duration: float
    send_bound: float
    memory: Memory
    elapsed: float

    @property
    def violations(self) -> list[str]:
        return [f"{name}: {v}" for name, found in self.invariants.items() for v in found]


@contextlib.contextmanager
def quick_backoff(config: SoakConfig) -> Iterator[None]:
    """The client's backoff constants scaled down for the soak (the bounds use the same values)."""
    import glpi_python_client._transport as transport

    saved = transport.INITIAL_RETRY_DELAY, transport.MAX_RETRY_DELAY
    transport.INITIAL_RETRY_DELAY, transport.MAX_RETRY_DELAY = config.backoff_initial, config.backoff_max
    try:
        yield
    finally:
        transport.INITIAL_RETRY_DELAY, transport.MAX_RETRY_DELAY = saved


def library_memory() -> int:
    """What the client-side packages allocated since tracing started and still hold."""
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, p) for p in LIBRARY_FILES])
    return sum(stat.size for stat in snapshot.statistics("filename"))


def rss() -> int:
    """The process's resident memory in bytes (0 where /proc is missing)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE")


def census() -> Counter[str]:
    """Live objects of the client-side packages, by type."""
    gc.collect()
    counts: Counter[str] = Counter()
    for obj in gc.get_objects():
        kind = type(obj)
        module = kind.__dict__.get("__module__")
        if isinstance(module, str) and module.startswith(LIBRARY_MODULES):
            counts[f"{module}.{kind.__qualname__}"] += 1
    return counts


@dataclass
class Memory:
    """Memory at the end of the warm-up and at the end of the run."""

    rss_start: int = 0
    rss_end: int = 0
    objects_start: int = 0
    objects_end: int = 0
    grown: list[str] = field(default_factory=list)
    traced: int | None = None


class MemoryProbe:
    """Measures :class:`Memory` between :meth:`start` (the end of the warm-up) and :meth:`stop`."""

    def __init__(self, trace: bool) -> None:
        self.trace = trace and not tracemalloc.is_tracing()
        self.memory = Memory()
        self._census: Counter[str] = Counter()

    def start(self) -> None:
        self._census = census()
        self.memory.objects_start = sum(self._census.values())
        self.memory.rss_start = rss()
        if self.trace:
            tracemalloc.start()

    def stop(self) -> Memory:
        if self.trace:
            self.memory.traced = library_memory()
            tracemalloc.stop()
        end = census()
        self.memory.objects_end = sum(end.values())
        self.memory.rss_end = rss()
        grown = end - self._census
        self.memory.grown = [f"{name} +{n}" for name, n in grown.most_common(5)]
        return self.memory


def _outcome_label(outcome: Outcome) -> str:
    if outcome.ok:
        return "ok"
    if outcome.hung:
        return "hung"
    if not outcome.glpi_error:
        return "not a GlpiError"
    return "failed, may have been applied" if outcome.applied_flag else "failed, not applied"


def run_client(config: SoakConfig, mode: str, seed: int) -> SoakReport:
    """Run the workload with one client against a fresh server; check every invariant."""
    from glpi_python_client import GlpiClient

    started = time.monotonic()
    watch = LogWatch()
    library_logger = logging.getLogger("glpi_python_client")
    saved_level = library_logger.level
    library_logger.addHandler(watch)
    library_logger.setLevel(logging.DEBUG)
    threads_before = set(threading.enumerate())
    leftovers: list[str] = []
    try:
        with served(config, seed) as (proxy, direct), quick_backoff(config):
            settings = {
                "glpi_api_url": proxy + "/api.php/v2", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "username": "glpi", "password": PASSWORD, "v1_base_url": proxy + "/apirest.php",
                "v1_user_token": USER_TOKEN, "timeout": config.timeout, "max_retries": config.max_retries,
                "concurrency": config.concurrency,
            }  # fmt: skip
            per_worker = [config.operations // config.concurrency] * config.concurrency
            for i in range(config.operations % config.concurrency):
                per_worker[i] += 1
            warm = [max(1, int(n * config.warmup)) for n in per_worker]
            rngs = [random.Random(seed * 1000 + i) for i in range(config.concurrency)]
            tickets: list[list[Ticket]] = [[] for _ in range(config.concurrency)]
            if mode == "sync":
                client = GlpiClient(**settings)
                soak = Soak(config, mode, client)
                try:
                    _sync_phase(soak, warm, rngs, tickets, config)
                    probe = MemoryProbe(config.trace_memory)
                    probe.start()
                    rest = [n - w for n, w in zip(per_worker, warm, strict=True)]
                    _sync_phase(soak, rest, rngs, tickets, config)
                    memory = probe.stop()
                finally:
                    client.close()
            else:
                soak, memory, leftovers = asyncio.run(_async_run(config, settings, per_worker, warm, rngs, tickets))
                client = soak.client
            state = httpx.get(direct + CONTROL, timeout=30).json()
        soak.check_server(state)
        for text in (repr(client), repr(client.config), repr(client._session), repr(client._ctx)):
            leak = secret_in(text)
            if leak:
                soak.leaks.append(f"{leak!r} in a repr: {text[:160]!r}")
        for thread in set(threading.enumerate()) - threads_before:
            thread.join(timeout=2)
            if thread.is_alive():
                leftovers.append(f"thread {thread.name} still running after close()")
    finally:
        library_logger.removeHandler(watch)
        library_logger.setLevel(saved_level)
    return _report(config, mode, soak, state, watch, leftovers, memory, time.monotonic() - started)


def _sync_phase(
    soak: Soak, counts: list[int], rngs: list[random.Random], tickets: list[list[Ticket]], config: SoakConfig
) -> None:
    """The workers as threads, each driving the blocking client from its own event loop (one coroutine)."""
    threads = [
        threading.Thread(
            target=lambda i=i: asyncio.run(soak.worker(i, counts[i], rngs[i], tickets[i])),
            name=f"soak-worker-{i}",
            daemon=True,
        )
        for i in range(config.concurrency)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + config.lifetime
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            soak.violation(f"{thread.name} hung: still running at the end of the soak's lifetime")


async def _async_run(
    config: SoakConfig,
    settings: dict[str, Any],
    per_worker: list[int],
    warm: list[int],
    rngs: list[random.Random],
    tickets: list[list[Ticket]],
) -> tuple[Soak, Memory, list[str]]:
    from glpi_python_client import AsyncGlpiClient

    client = AsyncGlpiClient(**settings)
    soak = Soak(config, "async", client)
    try:
        await asyncio.gather(*(soak.worker(i, warm[i], rngs[i], tickets[i]) for i in range(config.concurrency)))
        probe = MemoryProbe(config.trace_memory)
        probe.start()
        rest = [n - w for n, w in zip(per_worker, warm, strict=True)]
        await asyncio.gather(*(soak.worker(i, rest[i], rngs[i], tickets[i]) for i in range(config.concurrency)))
        memory = probe.stop()
    finally:
        await client.close()
    await asyncio.sleep(0)
    leftovers = [f"task {t.get_name()} still pending after close()" for t in asyncio.all_tasks()
                 if t is not asyncio.current_task()]  # fmt: skip
    return soak, memory, leftovers


def _report(
    config: SoakConfig,
    mode: str,
    soak: Soak,
    state: dict[str, Any],
    watch: LogWatch,
    leftovers: list[str],
    memory: Memory,
    elapsed: float,
) -> SoakReport:
    outcomes = soak.outcomes
    operations = Counter((o.kind, _outcome_label(o)) for o in outcomes)
    faults = Counter(f["kind"] for f in state["faults"])
    applied = Counter(f["kind"] for f in state["faults"] if f["applied"])
    errors = Counter(o.error_type or "" for o in outcomes if not o.ok)
    groups = {
        "no duplicate, every success on the server with its data": [],
        "every failure a GlpiError, may_have_been_applied truthful": [],
        "bounded durations, no hang": [],
        "no thread or task left after close": leftovers,
        "memory flat": [],
        "no secret in errors, reprs or logs": soak.leaks + watch.leaks,
    }  # type: dict[str, list[str]]
    for v in soak.violations:
        if "hung" in v or "over its bound" in v:
            groups["bounded durations, no hang"].append(v)
        elif "GlpiError" in v or "may_have_been_applied" in v:
            groups["every failure a GlpiError, may_have_been_applied truthful"].append(v)
        else:
            groups["no duplicate, every success on the server with its data"].append(v)
    flat = groups["memory flat"]
    if memory.objects_end - memory.objects_start > config.object_budget:
        flat.append(
            f"{memory.objects_end - memory.objects_start} more live library objects at the end than after the"
            f" warm-up (budget {config.object_budget}): {', '.join(memory.grown)}"
        )
    if memory.rss_end - memory.rss_start > config.rss_budget:
        flat.append(f"RSS grew {(memory.rss_end - memory.rss_start) / 2**20:.1f} MiB after the warm-up")
    if memory.traced is not None and memory.traced > config.traced_budget:
        flat.append(f"the library still holds {memory.traced / 1024:.0f} KiB allocated after the warm-up")
    ratios = [o.duration / o.bound for o in outcomes] or [0.0]
    return SoakReport(
        mode=mode,
        operations=operations,
        faults=faults,
        applied_faults=applied,
        requests=state["received"],
        errors=errors,
        log_counts=watch.counts,
        invariants=groups,
        max_ratio=max(ratios),
        max_duration=max((o.duration for o in outcomes), default=0.0),
        send_bound=soak.bounds.send,
        memory=memory,
        elapsed=elapsed,
    )


def run_soak(config: SoakConfig) -> list[SoakReport]:
    """Every configured client's run, in order."""
    return [run_client(config, mode, config.seed + n) for n, mode in enumerate(config.modes)]


# -- the table ------------------------------------------------------------------------------------


def table(report: SoakReport) -> str:
    from fault_proxy import KINDS

    lines = [f"== {report.mode} client: {sum(report.operations.values())} operations, {report.requests} requests"
             f" through the proxy, {sum(report.faults.values())} faults injected"
             f" ({sum(report.faults.values()) / max(1, report.requests):.1%}), {report.elapsed:.1f} s"]  # fmt: skip
    lines.append(f"{'fault':<26}{'injected':>9}{'applied':>9}")
    for kind in KINDS:
        lines.append(f"{kind:<26}{report.faults[kind]:>9}{report.applied_faults[kind]:>9}")
    labels = ["ok", "failed, not applied", "failed, may have been applied", "not a GlpiError", "hung"]
    short = ["ok", "not applied", "may be applied", "not GlpiError", "hung"]
    lines.append("")
    lines.append(f"{'operation':<20}" + "".join(f"{label:>16}" for label in short))
    for kind in WEIGHTS:
        lines.append(f"{kind:<20}" + "".join(f"{report.operations[(kind, label)]:>16}" for label in labels))
    lines.append("(failures: 'not applied' says may_have_been_applied=False, 'may be applied' says True)")
    lines.append("")
    lines.append("errors: " + ", ".join(f"{name} {n}" for name, n in report.errors.most_common()))
    lines.append("log records: " + ", ".join(f"{name} {n}" for name, n in sorted(report.log_counts.items())))
    lines.append(
        f"slowest call {report.max_duration:.2f} s; at most {report.max_ratio:.0%} of its bound"
        f" (one request's bound {report.send_bound:.1f} s)"
    )
    memory = report.memory
    traced = "" if memory.traced is None else f"; still held of what it allocated since: {memory.traced / 1024:.0f} KiB"
    lines.append(
        f"memory after the warm-up -> at the end: {memory.objects_start} -> {memory.objects_end} live library"
        f" objects, RSS {memory.rss_start / 2**20:.1f} -> {memory.rss_end / 2**20:.1f} MiB{traced}"
    )
    lines.append("")
    for name, found in report.invariants.items():
        lines.append(f"{'HOLDS' if not found else 'FAILS':<7}{name}")
        lines.extend(f"         {v}" for v in found[:10])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="(internal) serve the simulator behind the fault proxy")
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--rate", type=float, default=0.1)
    serve.add_argument("--stall", type=float, default=2.0)
    serve.add_argument("--retry-after", default="1")
    serve.add_argument("--lifetime", type=float, default=600.0)
    serve.add_argument("--max-faults", type=int, default=10_000)
    parser.add_argument("--operations", type=int, default=SoakConfig.operations)
    parser.add_argument("--rate", type=float, default=SoakConfig.rate)
    parser.add_argument("--seed", type=int, default=SoakConfig.seed)
    parser.add_argument("--concurrency", type=int, default=SoakConfig.concurrency)
    parser.add_argument("--modes", default="sync,async")
    args = parser.parse_args(argv)
    if args.command == "serve":
        asyncio.run(_serve(args))
        return 0
    config = SoakConfig(
        operations=args.operations,
        rate=args.rate,
        seed=args.seed,
        concurrency=args.concurrency,
        modes=tuple(args.modes.split(",")),
    )
    failed = False
    for report in run_soak(config):
        print(table(report), flush=True)
        print()
        failed = failed or bool(report.violations)
    print("every invariant holds on every client" if not failed else "SOME INVARIANTS FAIL", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
