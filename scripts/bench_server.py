"""A fake GLPI 11 HTTP server on loopback for ``make bench``: real sockets, injected latency.

    python scripts/bench_server.py --tickets 10000   # prints the port on its first line, then serves

Serves the token endpoint, ``GET /api.php/v2/Assistance/Ticket/{id}`` and the ticket search
(``start``/``limit``, ``Content-Range: a-b/total``) with ticket bodies shaped like the one GLPI 11.0.6
answered in ``cassettes/ticket_crud.yaml`` (about 1 kB each); for ticket contexts and task statistics, each
ticket's four timeline lists, documents and users (:func:`ticket_timeline`, shapes of the recordings). The
driver sets the latency every request waits and the number of tickets the search sees with
``POST /bench/setup?seconds=S&total=N`` (clients cannot all add headers). The search reads GLPI's ``filter``
the way the reports send it (``date_creation=ge=...;date_creation=le=...``, ``is_deleted==false``,
``entity.id==N``: :func:`matching`): ticket T was created ``(T - 1) * 3888`` seconds after 2026-01-01 00:00, so
a 2026-01-01 .. 2026-03-31 window holds exactly tickets 1-2,000. Up to 100,000 tickets (the first 10,000 bodies
built at start, the others as asked). Standard library only; it runs in its own process so its work never
shares a GIL with the client measured.
"""

from __future__ import annotations

import json
import operator
import re
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["context_answer", "make_document", "make_ticket", "make_user", "matching", "ticket_timeline"]

TOKEN = json.dumps(
    {"token_type": "Bearer", "expires_in": 3600, "access_token": "bench-access", "refresh_token": "bench-refresh"}
).encode()


MAX_TICKETS = 100_000
FIRST_CREATED = datetime(2026, 1, 1)
CREATED_EVERY = 3888  # seconds: 2,000 tickets in the 90 days of 2026-01-01 .. 2026-03-31
ENTITIES = ("Root entity", "Paris", "Lyon")
COMPLETE_NAMES = ("Root entity", "Root entity > Paris", "Root entity > Lyon")


def created(ticket_id: int) -> datetime:
    """When ticket ``ticket_id`` was created (naive: GLPI compares its server-local wall-clock time)."""
    return FIRST_CREATED + timedelta(seconds=(ticket_id - 1) * CREATED_EVERY)


def make_ticket(ticket_id: int) -> dict[str, Any]:
    """A ticket with the keys and value shapes of GLPI 11.0.6's answer (cassettes/ticket_crud.yaml)."""
    date = f"2026-11-{1 + ticket_id % 28:02d}T08:44:25+00:00"
    entity = ticket_id % 3
    return {
        "id": ticket_id, "name": f"[{ticket_id:06x}] Printer on floor {ticket_id % 7} is jammed",
        "content": f"<p>The printer shows error E-{ticket_id % 500}.</p>", "is_deleted": False,
        "urgency": 1 + ticket_id % 5, "impact": 3, "priority": 1 + ticket_id % 6, "actiontime": ticket_id % 3 * 900,
        "begin_waiting_date": None, "waiting_duration": 0, "resolution_duration": 0, "close_duration": 0,
        "resolution_date": None, "date_creation": f"{created(ticket_id).isoformat()}+00:00", "date_mod": date,
        "date": date, "date_solve": None,
        "date_close": None, "type": 1 + ticket_id % 2, "external_id": None, "take_into_account_date": None,
        "take_into_account_duration": 0, "sla_waiting_duration": 0, "ola_waiting_duration": 0,
        "ola_ttr_begin_date": None, "ola_tto_begin_date": None, "internal_resolution_date": None,
        "internal_take_into_account_date": None, "global_validation": 1,
        "status": {"id": 1 + ticket_id % 6, "name": "New"}, "user_recipient": {"id": 2, "name": "glpi"},
        "user_editor": {"id": 2, "name": "glpi"}, "category": None, "location": None,
        "request_type": {"id": 1, "name": "Helpdesk"}, "sla_ttr": None, "sla_tto": None, "ola_ttr": None,
        "ola_tto": None, "sla_level_ttr": None, "ola_level_ttr": None,
        "entity": {"id": entity, "name": ENTITIES[entity], "completename": COMPLETE_NAMES[entity]},
        "team": [{"type": "User", "id": 2, "role": "requester", "name": "glpi", "firstname": None, "realname": None}],
    }  # fmt: skip


TIMELINE_KINDS = ("Followup", "Task", "Solution", "Document")


def _at(ticket_id: int, minute: int) -> str:
    return f"2026-11-{1 + ticket_id % 28:02d}T09:{minute % 60:02d}:00+00:00"


def _glpi() -> dict[str, Any]:
    return {"id": 2, "name": "glpi"}  # the ticket's requester: named by its team (make_ticket)


def ticket_timeline(ticket_id: int, kind: str) -> list[dict[str, Any]]:
    """A ticket's timeline list (``Followup``, ``Task``, ``Solution``, ``Document``) as ``{type, item}`` envelopes.

    Shapes of GLPI 11.0.6's answers (cassettes/timeline_all.yaml). Per ticket T: 3 followups and one solution by
    the requester (user 2, named by the team), 1 + T % 3 tasks whose technicians (users 10000 + 10 T + k) are not
    in the team, and 2 linked documents (1000 + 2 T, 1001 + 2 T): a cold context has 2 documents and 1-3 users
    to look up, and every ticket's names are its own.
    """
    base = 100 * ticket_id
    if kind == "Followup":
        items = [
            {
                "id": base + k, "itemtype": "Ticket", "items_id": ticket_id, "is_private": False,
                "content": f"<p>Followup {k}: the printer still shows E-{ticket_id % 500}.</p>",
                "date": _at(ticket_id, 10 + k), "date_creation": _at(ticket_id, 10 + k),
                "date_mod": _at(ticket_id, 10 + k), "timeline_position": 1, "source_item_id": 0,
                "source_of_item_id": 0, "user": _glpi(), "user_editor": None, "request_type": None,
            }
            for k in range(3)
        ]  # fmt: skip
    elif kind == "Task":
        items = [
            {
                "id": base + k, "uuid": f"13eaf9db-1bc6-4a0f-973c-{ticket_id:08d}{k:04d}",
                "content": f"<p>Task {k}: swap the fuser.</p>", "is_private": False,
                "date": _at(ticket_id, 20 + k), "date_creation": _at(ticket_id, 20 + k),
                "date_mod": _at(ticket_id, 20 + k), "duration": (ticket_id + k) % 4 * 900, "planned_begin": None,
                "planned_end": None, "state": 1 + k % 2, "timeline_position": 1, "tickets_id": ticket_id,
                "source_item_id": 0, "source_of_item_id": 0, "user": _glpi(), "user_editor": None,
                "user_tech": {"id": 10000 + 10 * ticket_id + k, "name": f"tech{ticket_id}-{k}"},
                "group_tech": None, "category": None,
            }
            for k in range(1 + ticket_id % 3)
        ]  # fmt: skip
    elif kind == "Solution":
        items = [
            {
                "id": base, "itemtype": "Ticket", "items_id": ticket_id, "content": "<p>Replaced the fuser.</p>",
                "status": 2, "date_creation": _at(ticket_id, 40), "date_mod": _at(ticket_id, 40),
                "date_approval": None, "type": None, "user": _glpi(), "user_editor": None, "approver": None,
                "approval_followup": None,
            }
        ]  # fmt: skip
    else:
        items = [
            {
                "id": base + k, "itemtype": "Ticket", "items_id": ticket_id, "documents_id": 1000 + 2 * ticket_id + k,
                "timeline_position": 1, "filepath": f"/front/document.send.php?docid={1000 + 2 * ticket_id + k}",
            }
            for k in range(2)
        ]  # fmt: skip
    return [{"type": "Document_Item" if kind == "Document" else kind, "item": item} for item in items]


def make_document(document_id: int) -> dict[str, Any]:
    """A document's metadata, shaped like GLPI 11.0.6's (cassettes/documents_crud_metadata.yaml)."""
    return {
        "id": document_id, "name": f"printer-log-{document_id}.txt", "comment": None,
        "date_creation": "2026-11-22T08:45:00+00:00", "date_mod": "2026-11-22T08:45:00+00:00", "is_deleted": False,
        "filename": f"printer-log-{document_id}.txt", "mime": "text/plain", "sha1sum": f"{document_id:040x}",
        "entity": {"id": 0, "name": "Root entity"}, "filepath": f"/front/document.send.php?docid={document_id}",
    }  # fmt: skip


def make_user(user_id: int) -> dict[str, Any]:
    """A user, shaped like GLPI 11.0.6's (cassettes/users_crud.yaml)."""
    return {
        "id": user_id, "username": f"tech{user_id}", "realname": f"Tech{user_id}", "firstname": "Jane",
        "phone": None, "phone2": None, "mobile": None, "comment": None, "is_active": True, "is_deleted": False,
        "picture": None, "date_password_change": "2026-11-22T08:44:56+00:00", "authtype": 1, "last_login": None,
        "date_creation": "2026-11-22T08:44:56+00:00", "date_mod": "2026-11-22T08:44:56+00:00", "date_sync": None,
        "registration_number": None, "begin_date": None, "end_date": None, "nickname": None,
        "substitution_start_date": None, "substitution_end_date": None, "emails": [], "location": None,
        "default_profile": None, "default_entity": {"id": 0, "name": "Root entity"}, "title": None, "category": None,
    }  # fmt: skip


def context_answer(path: str, total: int) -> dict[str, Any] | list[dict[str, Any]] | None:
    """The body of a timeline list, a document or a user (the routes of a ticket context and task statistics)."""
    parts = path.removeprefix("/api.php/v2/").split("/")
    timeline = len(parts) == 5 and parts[:2] == ["Assistance", "Ticket"] and parts[3] == "Timeline"
    if timeline and parts[2].isdigit() and 1 <= int(parts[2]) <= total and parts[4] in TIMELINE_KINDS:
        return ticket_timeline(int(parts[2]), parts[4])
    if len(parts) == 3 and parts[2].isdigit():
        if parts[:2] == ["Management", "Document"]:
            return make_document(int(parts[2]))
        if parts[:2] == ["Administration", "User"]:
            return make_user(int(parts[2]))
    return None


_CLAUSE = re.compile(r"^([A-Za-z_.]+)(==|!=|=ge=|=le=|=gt=|=lt=)(.*)$")
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "=ge=": operator.ge, "=le=": operator.le, "=gt=": operator.gt,
    "=lt=": operator.lt,
}  # fmt: skip


def _field(ticket_id: int, name: str) -> Any:
    """A filterable property of ticket ``ticket_id``, without building its body."""
    if name in ("date_creation", "date"):
        return created(ticket_id) if name == "date_creation" else None
    if name == "is_deleted":
        return False
    if name == "entity.id":
        return ticket_id % 3
    if name == "id":
        return ticket_id
    raise ValueError(f"the bench server cannot filter on {name}")


def matching(rsql: str | None, total: int) -> list[int]:
    """The ids of tickets 1..total that GLPI's search would return for ``rsql`` (AND-ed clauses only)."""
    ids = range(1, total + 1)
    if not rsql:
        return list(ids)
    tests = []
    for clause in rsql.split(";"):
        match = _CLAUSE.match(clause.strip())
        if match is None:
            raise ValueError(f"the bench server cannot read the clause {clause!r}")
        name, op, text = match.groups()
        value: Any = text
        if name.startswith("date"):
            value = datetime.fromisoformat(text)  # a date-only bound means its midnight, as GLPI reads it
        elif text in ("true", "false"):
            value = text == "true"
        elif text.lstrip("-").isdigit():
            value = int(text)
        tests.append((name, _COMPARE[op], value))
    return [i for i in ids if all(compare(_field(i, name), value) for name, compare, value in tests)]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in one write with TCP_NODELAY: no 40 ms delayed-ACK stall per answer.
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    server: BenchServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        url = urlsplit(self.path)
        if url.path == "/bench/setup":
            query = parse_qs(url.query)
            self.server.latency = float(query["seconds"][0])
            self.server.total = min(int(query["total"][0]), MAX_TICKETS)
            self.server.requests = 0
            self._send(200, b"{}")
            return
        if url.path.endswith("/token"):
            self._pause()
            self._send(200, TOKEN)
            return
        self._send(404, b'{"status":"ERROR_NOT_FOUND","title":"Not found","detail":null}')

    def _pause(self) -> None:
        self.server.requests += 1
        if self.server.latency:
            time.sleep(self.server.latency)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/bench/requests":
            self._send(200, json.dumps({"requests": self.server.requests}).encode())
            return
        self._pause()
        prefix = "/api.php/v2/Assistance/Ticket"
        total = self.server.total
        if url.path == prefix:
            query = parse_qs(url.query)
            start = int(query.get("start", ["0"])[0])
            limit = int(query.get("limit", ["50"])[0])
            try:
                found = self.server.search(query.get("filter", [""])[0], total)
            except ValueError as exc:
                self._send(400, json.dumps({"status": "ERROR_BAD_FILTER", "title": str(exc)}).encode())
                return
            ids = found[start : start + limit]
            body = b"[" + b",".join(self.server.body(i) for i in ids) + b"]"
            end = start + len(ids) - 1
            status = 206 if len(ids) < len(found) else 200
            self._send(status, body, {"Content-Range": f"{start}-{end}/{len(found)}" if ids else f"*/{len(found)}"})
            return
        if url.path.startswith(prefix + "/"):
            tail = url.path[len(prefix) + 1 :]
            if tail.isdigit() and 1 <= int(tail) <= total:
                self._send(200, self.server.body(int(tail)))
                return
        answer = context_answer(url.path, total)
        if answer is not None:
            self._send(200, json.dumps(answer, separators=(",", ":")).encode())
            return
        self._send(404, b'{"status":"ERROR_ITEM_NOT_FOUND","title":"Not found","detail":null}')


class BenchServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 512

    def __init__(self, total: int) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.total = total
        self.latency = 0.0
        self.requests = 0
        self.bodies = {i: json.dumps(make_ticket(i), separators=(",", ":")).encode() for i in range(1, total + 1)}
        self._searches: dict[tuple[str, int], list[int]] = {}

    def body(self, ticket_id: int) -> bytes:
        """Ticket ``ticket_id``'s JSON: built at start for the first ones, on demand past them."""
        body = self.bodies.get(ticket_id)
        return body if body is not None else json.dumps(make_ticket(ticket_id), separators=(",", ":")).encode()

    def search(self, rsql: str, total: int) -> list[int]:
        """The ids a search with ``rsql`` finds among the first ``total`` tickets (each filter read once)."""
        key = (rsql, total)
        if key not in self._searches:
            self._searches[key] = matching(rsql, total)
        return self._searches[key]


def main() -> None:
    total = int(sys.argv[sys.argv.index("--tickets") + 1]) if "--tickets" in sys.argv else 10000
    server = BenchServer(total)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
