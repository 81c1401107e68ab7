"""A stateful in-memory GLPI 11 (HL API v2 + the v1 bits the client uses), served as an httpx transport.

The ticket, user, entity, location and document collections are modelled here by hand; every other collection of the
OpenAPI document is served by :class:`._collections.Collections` (document-driven, from the resource index that
``make regenerate`` derives from the document). It answers at ``http://127.0.0.1:8088`` like the live GLPI 11.0.6
recorded in the project's ``cassettes/`` (see ``cassettes/FINDINGS.md``): OAuth2 password grant at
``/api.php/token``; creates answer 200 ``{id, href}`` with a relative ``Location``; objects ``{id, name}`` for
status/entity/...; searches evaluate RSQL (``status==1`` is a 400 "Unknown property": use ``status.id``) and page
with 206 + ``Content-Range`` (200 on the last page); DELETE trashes (``is_deleted``) where GLPI has a trash and
``?force=true`` purges; timeline lists are ``{"type", "item"}`` envelopes; a solution makes the ticket Solved (5);
task durations add up in ``actiontime``; adding an assigned user to a New ticket makes it "Processing (assigned)"
(2); TeamMember POST answers 201 with an empty body (500 without ``id``) and listed members have no ``type``; a JSON
body counts only with ``Content-Type: application/json`` exactly; unknown routes answer 404 JSON. v1
(``/apirest.php``): initSession/killSession with a user token, multipart ``POST Document`` (``uploadManifest``
``itemtype``/``items_id`` also link the document to the ticket), ``POST Document_Item`` and ``POST Item_Ticket``
(assets linked to a ticket), and the Fields plugin's itemtypes once a container is added
(:meth:`GlpiSimulator.fields_container`, see :mod:`._fields`).

Time comes from a fixed clock that advances one minute per write, so outputs are deterministic.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import httpx

from ._collections import Collections, page_rows, reply
from ._faults import Fault, FaultKind
from ._fields import FieldsPlugin

if TYPE_CHECKING:
    from glpi_python_client import AsyncGlpiClient, GlpiClient

ORIGIN = "http://127.0.0.1:8088"
V2 = "/api.php/v2"
V1 = "/apirest.php"
START = datetime(2026, 1, 2, 10, 0, tzinfo=UTC)

STATUS_NAMES = {1: "New", 2: "Processing (assigned)", 3: "Processing (planned)", 4: "Pending", 5: "Solved",
                6: "Closed", 10: "Approval"}  # fmt: skip
ROLES = {"requester": "requester", "assigned": "assigned", "observer": "observer", "watcher": "observer"}
#: collection path -> itemtype; the ones with a trash; the properties that are {id, name} objects (RSQL needs ``.id``)
COLLECTIONS = {
    "Assistance/Ticket": "Ticket",
    "Administration/User": "User",
    "Administration/Entity": "Entity",
    "Dropdowns/Location": "Location",
    "Management/Document": "Document",
}
TRASH = {"Ticket", "User", "Document"}
OBJECTS = {"status", "entity", "category", "location", "user_recipient", "user_editor", "request_type", "parent",
           "user", "user_tech", "group_tech", "default_entity", "default_profile", "title", "sla_ttr", "sla_tto",
           "ola_ttr", "ola_tto", "sla_level_ttr", "ola_level_ttr", "approver", "approval_followup"}  # fmt: skip
TIMELINE = ("Followup", "Task", "Solution")  # + "Document": the timeline's Document entries are Document_Item rows


def store(kind: str) -> str:
    """Where a timeline kind is kept (a timeline "Document" is a Document_Item link, not the document)."""
    return "Document_Item" if kind == "Document" else kind


class Answer(Exception):
    """Raised by a route to answer at once (an error)."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def error(status: int, code: str, title: str, detail: Any = None) -> Answer:
    return Answer(reply(status, {"status": code, "title": title, "detail": detail}))


def not_found() -> Answer:
    return error(404, "ERROR_ITEM_NOT_FOUND", "Not found")


def v1_error(status: int, code: str, message: str) -> Answer:
    return Answer(reply(status, [code, message]))


def _multipart(request: httpx.Request) -> dict[str, tuple[str | None, str | None, bytes]]:
    """name -> (filename, content type, bytes) of a multipart/form-data body."""
    match = re.search(r"boundary=([^;]+)", request.headers.get("Content-Type", ""))
    if not match:
        raise v1_error(400, "ERROR_UPLOAD_FILE_TOO_BIG_POST_MAX_SIZE", "The file seems too big")
    parts: dict[str, tuple[str | None, str | None, bytes]] = {}
    for chunk in request.content.split(b"--" + match.group(1).strip('"').encode())[1:]:
        if chunk.startswith(b"--"):
            break
        head, _, body = chunk.lstrip(b"\r\n").partition(b"\r\n\r\n")
        text = head.decode()
        name = re.search(r'name="([^"]*)"', text)
        filename = re.search(r'filename="([^"]*)"', text)
        kind = re.search(r"(?im)^content-type:\s*(.+)$", text)
        if name:
            parts[name.group(1)] = (
                filename.group(1) if filename else None,
                kind.group(1).strip() if kind else None,
                body.removesuffix(b"\r\n"),
            )
    return parts


class GlpiSimulator:
    """A GLPI 11 in memory: its state, its route table and the faults to inject; ``transport()`` serves it.

    Plug it into either client (``GlpiClient(**sim.settings(), transport=sim.transport())``, or
    ``sim.client()`` / ``sim.async_client()``), seed it with :meth:`seed`, make it fail with :meth:`inject`,
    and inspect what the client did with :attr:`requests`, :meth:`count` and :attr:`created`.
    """

    def __init__(
        self,
        *,
        now: datetime = START,
        username: str = "glpi",
        password: str = "replayed-password",
        client_id: str = "f4e4f8655f70706b1a6e4e3b801ede1c8960abcb6e91dcd2636ffd91cd1ec9fa",
        client_secret: str = "replayed-secret",
        user_token: str = "replayed-user-token",
        document_only: bool = False,
    ) -> None:
        self.now = now
        self.credentials = {"username": username, "password": password}
        self.client = {"client_id": client_id, "client_secret": client_secret}
        self.user_token = user_token
        self.lock = threading.RLock()
        self.requests: list[httpx.Request] = []
        #: ``(path, id)`` of every record a client created, in order (seeded records are not listed)
        self.created: list[tuple[str, int]] = []
        self.faults: list[Fault] = []
        self._seeding = False
        self.access: dict[str, bool] = {}  # access token -> has the "api" scope
        self.refresh: set[str] = set()
        self._issued_with: dict[str, str] = {}  # refresh token -> the access token issued with it
        self._userless: set[str] = set()  # client_credentials tokens: no GLPI user behind them
        self.sessions: set[str] = set()
        self.issued = 0
        self.items: dict[str, dict[int, dict[str, Any]]] = {
            kind: {} for kind in ("Ticket", "User", "Entity", "Location", "Document", "Document_Item", *TIMELINE)
        }
        self.team: dict[int, list[tuple[str, int, str]]] = {}  # ticket id -> (type, id, role)
        self.files: dict[int, tuple[bytes, str]] = {}  # document id -> (content, mime)
        self.fields_plugin = FieldsPlugin(ORIGIN)
        self.next_id = {"Ticket": 120, "User": 20, "Entity": 1, "Location": 7, "Document": 15, "Followup": 45,
                        "Task": 12, "Solution": 7, "Document_Item": 5}  # fmt: skip
        self.items["Entity"][0] = {"id": 0, "name": "Root entity", "comment": None, "completename": "Root entity",
                                   "level": 1, "parent": None}  # fmt: skip
        stamp = self.stamp()
        self.items["User"][2] = self._user_record(2, {"username": username}, stamp)
        tops, timeline = f"/({'|'.join(COLLECTIONS)})", r"/Assistance/Ticket/(\d+)/Timeline"
        table: list[tuple[str, str, Callable[..., httpx.Response]]] = [
            ("GET", tops, self.search),
            ("POST", tops, self.create),
            ("GET", tops + r"/(\d+)", self.get),
            ("PATCH", tops + r"/(\d+)", self.patch),
            ("DELETE", tops + r"/(\d+)", self.delete),
            ("GET", r"/Administration/User/username/([^/]+)", self.get_username),
            ("GET", r"/Management/Document/(\d+)/Download", self.download),
            ("GET", timeline, self.timeline_all),
            ("GET", timeline + r"/(Followup|Task|Solution|Document)", self.timeline_list),
            ("POST", timeline + r"/(Followup|Task|Solution)", self.timeline_create),
            ("POST", timeline + r"/Document", self.timeline_forbidden),
            ("GET", timeline + r"/(Followup|Task|Solution|Document)/(\d+)", self.timeline_get),
            ("PATCH", timeline + r"/(Followup|Task|Solution|Document)/(\d+)", self.timeline_patch),
            ("DELETE", timeline + r"/(Followup|Task|Solution|Document)/(\d+)", self.timeline_delete),
            ("GET", r"/Assistance/Ticket/(\d+)/TeamMember", self.team_list),
            ("GET", r"/Assistance/Ticket/(\d+)/TeamMember/([^/]+)", self.team_by_role),
            ("POST", r"/Assistance/Ticket/(\d+)/TeamMember", self.team_add),
            ("DELETE", r"/Assistance/Ticket/(\d+)/TeamMember", self.team_remove),
        ]
        # document_only: no hand-modelled route, every collection (tickets too) served from the resource index
        self.routes = [] if document_only else [(m, re.compile(pattern), handler) for m, pattern, handler in table]
        hand = frozenset() if document_only else frozenset(f"/{path}" for path in COLLECTIONS)
        self.collections = Collections(stamp=self.stamp, exclude=hand)

    # -- plumbing -------------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """A transport for either client (MockTransport accepts a sync handler for both)."""
        return httpx.MockTransport(self)

    def settings(self) -> dict[str, Any]:
        """The constructor arguments of a client that talks to this simulator (with v1 configured)."""
        return {
            "glpi_api_url": ORIGIN + V2,
            **self.client,
            **self.credentials,
            "v1_base_url": ORIGIN + V1,
            "v1_user_token": self.user_token,
        }

    def sync_client(self, **overrides: Any) -> GlpiClient:
        """A :class:`~glpi_python_client.GlpiClient` on this simulator (``overrides`` win over :meth:`settings`)."""
        from glpi_python_client import GlpiClient

        return GlpiClient(**{**self.settings(), "transport": self.transport(), **overrides})

    def async_client(self, **overrides: Any) -> AsyncGlpiClient:
        """An :class:`~glpi_python_client.AsyncGlpiClient` on this simulator."""
        from glpi_python_client import AsyncGlpiClient

        return AsyncGlpiClient(**{**self.settings(), "transport": self.transport(), **overrides})

    def seed(self, collection: str, data: Mapping[str, Any]) -> int:
        """Create a record as GLPI would, through its own route, and return its id; not counted as a request.

        ``collection`` is a path (``"/Assistance/Ticket"``, ``"/Assistance/Ticket/5/Timeline/Task"``) or an
        itemtype name from the resource index (``"Computer"``).
        """
        path = collection if collection.startswith("/") else _collection_path(collection)
        request = httpx.Request("POST", ORIGIN + V2 + path, json=dict(data), headers={"Authorization": "Bearer seed"})
        with self.lock:
            self._seeding = True
            self.access["seed"] = True
            try:
                response = self._dispatch(request)
            finally:
                self._seeding = False
                del self.access["seed"]
        if response.status_code >= 400:
            raise ValueError(f"the simulator refused to seed {path}: {response.status_code} {response.text}")
        found = json.loads(response.content) if response.content else {}
        return int(found["id"]) if isinstance(found, dict) and "id" in found else 0

    def fields_container(
        self,
        name: str,
        *,
        fields: Mapping[str, str],
        label: str | None = None,
        itemtypes: Iterable[str] = ("Ticket",),
        kind: str = "dom",
    ) -> int:
        """Install the Fields plugin (if not yet) with a container of custom fields, and return its id.

        ``fields`` maps each field's name to its plugin type (``{"serial": "text", "notes": "richtext"}``).
        Until a container is added, every ``PluginFields*`` itemtype answers as on a GLPI without the plugin,
        so ``get_ticket_custom_fields`` raises ``PluginFieldsError``. Names are the plugin's system names
        (lowercase letters): the values of container ``"aidelarsolution"`` on tickets are served as
        ``PluginFieldsTicketaidelarsolution``, through the v1 API as the real plugin does.
        """
        with self.lock:
            return self.fields_plugin.add_container(name, fields=fields, label=label, itemtypes=itemtypes, kind=kind)

    def inject(
        self,
        kind: FaultKind = "status",
        *,
        status: int = 503,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | None = None,
    ) -> Fault:
        """Make the next ``times`` matching requests fail, and return the fault (its ``hits`` count them).

        ``kind``: ``"status"`` answers ``status`` (with ``Retry-After`` when given) without applying the request;
        ``"timeout_after_apply"`` applies it, then the client sees a read timeout (the server did it);
        ``"truncated"`` applies it and answers half of the body; ``"connect_error"`` refuses the connection.
        ``method`` and ``path`` (a regular expression searched in the URL path) narrow which requests match;
        the OAuth token endpoint only matches a ``path`` that names it.
        """
        fault = Fault(kind=kind, status=status, times=times, method=method, path=path, retry_after=retry_after)
        with self.lock:
            self.faults.append(fault)
        return fault

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests the clients sent, by method and by a regular expression searched in the path.

        OAuth token requests count only when ``path`` names them (``count("POST")`` counts API writes).
        """
        return sum(1 for r in self.requests if Fault.selects(method, path, r, token=path is not None))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.requests.append(request)
            fault = next((f for f in self.faults if f.matches(request)), None)
            if fault is not None:
                fault.hits += 1
                early = fault.before(request)
                if early is not None:
                    return early
            response = self._dispatch(request)
            if request.method == "POST" and response.status_code < 300 and response.content:
                found = json.loads(response.content)
                if isinstance(found, dict) and isinstance(found.get("id"), int):
                    self.created.append((request.url.path, found["id"]))
            return fault.after(request, response) if fault is not None else response

    def _dispatch(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            try:
                if not str(request.url).startswith(ORIGIN + "/"):
                    raise AssertionError(f"the simulator only serves {ORIGIN}: {request.url}")
                path = request.url.path
                if path == "/api.php/token":
                    return self.token(request)
                if path.startswith(V1 + "/"):
                    return self.v1(request, path.removeprefix(V1))
                if path.startswith(V2 + "/"):
                    self.authenticate(request)
                    rel = path.removeprefix(V2)
                    for method, pattern, handler in self.routes:
                        match = pattern.fullmatch(rel)
                        if match and method == request.method:
                            return handler(request, *match.groups())
                    found = self.collections.handle(request, rel)
                    if found is not None:
                        return found
                raise not_found()
            except Answer as answer:
                return answer.response

    def stamp(self) -> str:
        """The fixed clock's time (ISO, +00:00), then one minute later for the next write."""
        value = self.now.isoformat()
        self.now += timedelta(minutes=1)
        return value

    def allocate(self, kind: str) -> int:
        value = self.next_id[kind]
        self.next_id[kind] += 1
        return value

    @staticmethod
    def body(request: httpx.Request) -> dict[str, Any]:
        """The request's fields: JSON only with exactly ``application/json`` (else ignored), or a form."""
        kind = request.headers.get("Content-Type")
        if kind == "application/json":
            try:
                data = json.loads(request.content or b"null")
            except ValueError as exc:
                raise error(400, "ERROR", "Invalid JSON body") from exc
            return data if isinstance(data, dict) else {}
        if kind == "application/x-www-form-urlencoded":
            return dict(parse_qsl(request.content.decode()))
        return {}

    def _item(self, kind: str, item_id: int | str) -> dict[str, Any]:
        found = self.items[kind].get(int(item_id))
        if found is None:
            raise not_found()
        return found

    def ref(self, kind: str, item_id: Any) -> dict[str, Any] | None:
        """``{id, name}`` for an id (int, numeric string or ``{id}``), None for 0/None/unknown."""
        if isinstance(item_id, dict):
            item_id = item_id.get("id")
        try:
            number = int(item_id)
        except (TypeError, ValueError):
            return None
        found = self.items[kind].get(number)
        if found is None or (number == 0 and kind != "Entity"):
            return None
        return {"id": number, "name": found.get("username") or found["name"]}

    @property
    def me(self) -> dict[str, Any]:
        return {"id": 2, "name": self.credentials["username"]}

    # -- auth -----------------------------------------------------------------------------------

    def token(self, request: httpx.Request) -> httpx.Response:
        """GLPI's OAuth endpoint: password, client_credentials and refresh_token grants, refresh tokens rotating.

        A refresh revokes the access token it was issued with (the old token then answers GLPI's 400 "Invalid
        OAuth token"); a client_credentials token has no refresh token and no user behind it (401 on the API).
        """
        form = self.body(request)
        if request.method != "POST":
            raise not_found()
        if {k: form.get(k) for k in self.client} != self.client:
            return reply(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        grant = form.get("grant_type")
        if grant == "password":
            if {k: form.get(k) for k in self.credentials} != self.credentials:
                return reply(
                    400, {"error": "invalid_grant", "error_description": "The user credentials were incorrect."}
                )
        elif grant == "refresh_token":
            old = form.get("refresh_token")
            if old not in self.refresh:
                return reply(400, {"error": "invalid_grant", "error_description": "The refresh token is invalid."})
            self.refresh.discard(old)
            self.access.pop(self._issued_with.pop(old, ""), None)
        elif grant != "client_credentials":
            return reply(400, {"error": "unsupported_grant_type", "error_description": "Unsupported grant type"})
        self.issued += 1
        access = f"access-{self.issued}"
        self.access[access] = "api" in str(form.get("scope", "")).split()
        payload: dict[str, Any] = {"token_type": "Bearer", "expires_in": 3600, "access_token": access}
        if grant == "client_credentials":
            self._userless.add(access)
        else:
            refresh = f"refresh-{self.issued}"
            self.refresh.add(refresh)
            self._issued_with[refresh] = access
            payload["refresh_token"] = refresh
        return reply(200, payload, **{"Content-Type": "application/json; charset=UTF-8"})

    def revoke_tokens(self) -> None:
        """Revoke every access token issued so far (as an administrator would): clients must re-authenticate."""
        with self.lock:
            self.access = {k: v for k, v in self.access.items() if k == "seed"}

    def authenticate(self, request: httpx.Request) -> None:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ")
        if not header.startswith("Bearer ") or token in self._userless:
            raise Answer(
                reply(
                    401,
                    {
                        "title": "You are not authenticated",
                        "status": "ERROR_UNAUTHENTICATED",
                        "detail": "The Authorization header is missing or invalid",
                    },
                )
            )
        scoped = self.access.get(token)
        if scoped is None:
            raise error(400, "ERROR_INVALID_PARAMETER", "Invalid OAuth token", "Access token could not be verified")
        if not scoped:
            raise error(403, "ERROR_RIGHT_MISSING", "You do not have the required scope(s) to access this endpoint.")

    # -- records --------------------------------------------------------------------------------

    def _ticket_record(self, ticket_id: int, body: dict[str, Any], stamp: str) -> dict[str, Any]:
        def level(key: str) -> int:
            value = body.get(key)
            return int(str(value)) if str(value) in {"1", "2", "3", "4", "5"} else 3

        priority = body.get("priority")
        entity = self.ref("Entity", body.get("entity", 0)) or {"id": 0, "name": "Root entity"}
        entity["completename"] = self.items["Entity"][entity["id"]]["completename"]
        return {
            "id": ticket_id, "name": str(body.get("name", "")), "content": str(body.get("content", "")),
            "is_deleted": False, "urgency": level("urgency"), "impact": level("impact"),
            "priority": int(str(priority)) if str(priority) in {"1", "2", "3", "4", "5", "6"} else 3, "actiontime": 0,
            "begin_waiting_date": None, "waiting_duration": 0, "resolution_duration": 0, "close_duration": 0,
            "resolution_date": None, "date_creation": stamp, "date_mod": stamp, "date": stamp, "date_solve": None,
            "date_close": None, "type": int(body["type"]) if str(body.get("type")) in {"1", "2"} else 1,
            "external_id": body.get("external_id"), "take_into_account_date": None, "take_into_account_duration": 0,
            "global_validation": 1, "status": {"id": 1, "name": "New"}, "user_recipient": self.me,
            "user_editor": self.me, "category": None, "location": self.ref("Location", body.get("location")),
            "request_type": {"id": 1, "name": "Helpdesk"}, "entity": entity,
        }  # fmt: skip

    def _user_record(self, user_id: int, body: dict[str, Any], stamp: str) -> dict[str, Any]:
        return {
            "id": user_id, "username": body.get("username"), "realname": body.get("realname"),
            "firstname": body.get("firstname"), "phone": body.get("phone"), "phone2": None, "mobile": None,
            "comment": body.get("comment"), "is_active": True, "is_deleted": False, "picture": None,
            "date_password_change": stamp, "authtype": 1, "last_login": None, "date_creation": stamp,
            "date_mod": stamp, "date_sync": None, "registration_number": None, "begin_date": None, "end_date": None,
            "nickname": None, "emails": [], "location": self.ref("Location", body.get("location")),
            "default_profile": None, "default_entity": {"id": 0, "name": "Root entity"}, "title": None,
            "category": None,
        }  # fmt: skip

    def _tree_record(self, kind: str, item_id: int, body: dict[str, Any], stamp: str) -> dict[str, Any]:
        default = 0 if kind == "Entity" else None
        parent = self.ref(kind, body.get("parent", default))
        name = str(body.get("name", ""))
        above = self.items[kind][parent["id"]] if parent else None
        record: dict[str, Any] = {
            "id": item_id,
            "name": name,
            "comment": body.get("comment"),
            "completename": f"{above['completename']} > {name}" if above else name,
            "level": above["level"] + 1 if above else 1,
            "parent": parent,
        }
        if kind == "Location":
            record.update({key: body.get(key) for key in ("code", "alias", "room", "building", "address", "town")})
            record.update(is_recursive=False, date_creation=stamp, date_mod=stamp,
                          entity={"id": 0, "name": "Root entity"})  # fmt: skip
        return record

    def render(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        if kind == "Ticket":
            return {**record, "team": self.members(record["id"])}
        return dict(record)

    # -- top-level collections ------------------------------------------------------------------

    def search(self, request: httpx.Request, collection: str) -> httpx.Response:
        kind = COLLECTIONS[collection]
        rows = [self.render(kind, r) for _, r in sorted(self.items[kind].items())]
        fields = set(self._template(kind))
        response = page_rows(rows, fields, OBJECTS & fields, request.url.params)
        if response.status_code >= 400:
            raise Answer(response)
        return response

    def _template(self, kind: str) -> dict[str, Any]:
        if kind == "Ticket":
            return {**self._ticket_record(0, {}, ""), "team": []}
        if kind == "User":
            return self._user_record(0, {}, "")
        if kind == "Document":
            return self._document_record(0, "", None, "", b"")
        return self._tree_record(kind, 0, {}, "")

    def create(self, request: httpx.Request, collection: str) -> httpx.Response:
        kind = COLLECTIONS[collection]
        body = self.body(request)
        if kind == "User" and body.get("password") != body.get("password2"):
            raise Answer(
                reply(500, {"status": "ERROR", "title": "Failed to create item(s)", "detail": None,
                            "additional_messages": [{"priority": "error",
                                                     "message": "Error: the two passwords do not match"}]})
            )  # fmt: skip
        if kind == "User" and any(u["username"] == body.get("username") for u in self.items["User"].values()):
            raise error(500, "ERROR", "Failed to create item(s)")
        item_id = self.allocate(kind)
        stamp = self.stamp()
        if kind == "Ticket":
            record = self._ticket_record(item_id, body, stamp)
            self.team[item_id] = []
        elif kind == "User":
            record = self._user_record(item_id, body, stamp)
        elif kind == "Document":  # metadata only: the HL API has no upload (v1 does it)
            record = self._document_record(item_id, str(body.get("name", "")), None, stamp, b"")
            record.update(filename=None, sha1sum=None, comment=body.get("comment"))
        else:
            record = self._tree_record(kind, item_id, body, stamp)
        self.items[kind][item_id] = record
        href = f"/{collection}/{item_id}"
        return reply(200, {"id": item_id, "href": href}, Location=href)

    def get(self, request: httpx.Request, collection: str, item_id: str) -> httpx.Response:
        kind = COLLECTIONS[collection]
        return reply(200, self.render(kind, self._item(kind, item_id)))

    def get_username(self, request: httpx.Request, username: str) -> httpx.Response:
        for record in self.items["User"].values():
            if record["username"] == username:
                return reply(200, self.render("User", record))
        raise not_found()

    def patch(self, request: httpx.Request, collection: str, item_id: str) -> httpx.Response:
        kind = COLLECTIONS[collection]
        record = self._item(kind, item_id)
        for key, value in self.body(request).items():
            if key == "status" and kind == "Ticket":
                number = int(value["id"] if isinstance(value, dict) else value)
                record["status"] = {"id": number, "name": STATUS_NAMES.get(number, str(number))}
            elif key in OBJECTS and key in record:
                target = {"entity": "Entity", "parent": kind, "location": "Location"}.get(key, "User")
                record[key] = self.ref(target, value)
            elif key in record and key not in ("id", "team"):
                record[key] = value
        if "completename" in record:  # a tree record's full name follows its name and parent (GLPI recomputes it)
            parent = record["parent"]
            above = self.items[kind].get(parent["id"]) if parent else None
            record["completename"] = f"{above['completename']} > {record['name']}" if above else record["name"]
        if "date_mod" in record:
            record["date_mod"] = self.stamp()
        return reply(200, self.render(kind, record))

    def delete(self, request: httpx.Request, collection: str, item_id: str) -> httpx.Response:
        kind = COLLECTIONS[collection]
        record = self._item(kind, item_id)
        if kind in TRASH and request.url.params.get("force") != "true":
            record["is_deleted"] = True
        else:
            del self.items[kind][record["id"]]
            if kind == "Ticket":
                self.team.pop(record["id"], None)
                for sub in (*TIMELINE, "Document_Item"):
                    kept = self.items[sub].items()
                    self.items[sub] = {k: v for k, v in kept if self._ticket_of(sub, v) != record["id"]}
        return httpx.Response(204)

    # -- documents ------------------------------------------------------------------------------

    @staticmethod
    def _document_record(doc_id: int, name: str, mime: str | None, stamp: str, content: bytes) -> dict[str, Any]:
        return {
            "id": doc_id, "name": name, "comment": None, "date_creation": stamp, "date_mod": stamp,
            "is_deleted": False, "filename": name, "mime": mime, "sha1sum": hashlib.sha1(content).hexdigest(),
            "entity": {"id": 0, "name": "Root entity"}, "filepath": f"/front/document.send.php?docid={doc_id}",
        }  # fmt: skip

    def download(self, request: httpx.Request, doc_id: str) -> httpx.Response:
        record = self._item("Document", doc_id)
        if record["id"] not in self.files:
            return httpx.Response(500, headers={"Content-Type": "application/json"})
        content, mime = self.files[record["id"]]
        etag = hashlib.md5(content).hexdigest()
        if request.headers.get("If-None-Match") == etag:
            return httpx.Response(304, headers={"ETag": etag})
        filename = record["filename"]
        disposition = "inline" if mime.startswith("image/") else "attachment"
        return httpx.Response(
            200,
            content=content,
            headers={
                "Content-Type": f"{mime}; charset=UTF-8" if mime.startswith("text/") else mime,
                "Content-Disposition": f"{disposition}; filename=\"{filename}\"; filename*=utf-8''{filename}",
                "ETag": etag,
            },
        )

    # -- timeline -------------------------------------------------------------------------------

    @staticmethod
    def _ticket_of(kind: str, record: dict[str, Any]) -> int:
        return int(record["tickets_id"] if kind == "Task" else record["items_id"])

    def _events(self, ticket_id: int, kind: str) -> list[dict[str, Any]]:
        return [r for _, r in sorted(self.items[store(kind)].items()) if self._ticket_of(kind, r) == ticket_id]

    def timeline_list(self, request: httpx.Request, ticket_id: str, kind: str) -> httpx.Response:
        self._item("Ticket", ticket_id)
        return reply(200, [{"type": kind, "item": r} for r in self._events(int(ticket_id), kind)])

    def timeline_all(self, request: httpx.Request, ticket_id: str) -> httpx.Response:
        self._item("Ticket", ticket_id)
        order = ("Followup", "Task", "Document", "Solution")
        return reply(200, [{"type": k, "item": r} for k in order for r in self._events(int(ticket_id), k)])

    def timeline_forbidden(self, request: httpx.Request, ticket_id: str) -> httpx.Response:
        raise error(403, "ERROR_RIGHT_MISSING", "You don't have permission to perform this action.")

    def timeline_create(self, request: httpx.Request, ticket_id: str, kind: str) -> httpx.Response:
        ticket = self._item("Ticket", ticket_id)
        body = self.body(request)
        event_id = self.allocate(kind)
        stamp = self.stamp()
        common = {"content": str(body.get("content", "")), "date_creation": stamp, "date_mod": stamp}
        private = bool(body.get("is_private", False))
        if kind == "Followup":
            record = {"id": event_id, "itemtype": "Ticket", "items_id": ticket["id"], **common, "is_private": private,
                      "date": stamp, "timeline_position": 1, "source_item_id": 0, "source_of_item_id": 0,
                      "user": self.me, "user_editor": None, "request_type": None}  # fmt: skip
        elif kind == "Task":
            duration = int(body.get("duration") or 0)
            record = {"id": event_id, "uuid": f"00000000-0000-4000-8000-{event_id:012d}", **common,
                      "is_private": private, "date": stamp, "duration": duration, "planned_begin": None,
                      "planned_end": None, "state": int(body.get("state", 1)), "timeline_position": 1,
                      "tickets_id": ticket["id"], "source_item_id": 0, "source_of_item_id": 0, "user": self.me,
                      "user_editor": None, "user_tech": self.ref("User", body.get("user_tech")), "group_tech": None,
                      "category": None}  # fmt: skip
            ticket["actiontime"] += duration
        else:
            record = {"id": event_id, "itemtype": "Ticket", "items_id": ticket["id"], **common, "status": 2,
                      "date_approval": None, "type": None, "user": self.me, "user_editor": None, "approver": None,
                      "approval_followup": None}  # fmt: skip
            ticket.update(status={"id": 5, "name": "Solved"}, date_solve=stamp, begin_waiting_date=stamp)
        self.items[kind][event_id] = record
        href = f"/Assistance/Ticket/{ticket['id']}/Timeline/{kind}/{event_id}"
        return reply(200, {"id": event_id, "href": href}, Location=href)

    def _event(self, ticket_id: str, kind: str, event_id: str) -> dict[str, Any]:
        self._item("Ticket", ticket_id)
        record = self._item(store(kind), event_id)
        if self._ticket_of(kind, record) != int(ticket_id):
            raise not_found()
        return record

    def timeline_get(self, request: httpx.Request, ticket_id: str, kind: str, event_id: str) -> httpx.Response:
        return reply(200, self._event(ticket_id, kind, event_id))

    def timeline_patch(self, request: httpx.Request, ticket_id: str, kind: str, event_id: str) -> httpx.Response:
        record = self._event(ticket_id, kind, event_id)
        for key, value in self.body(request).items():
            if key in ("content", "is_private", "state", "timeline_position", "duration"):
                if key == "duration":
                    self.items["Ticket"][int(ticket_id)]["actiontime"] += int(value) - record["duration"]
                record[key] = value
            elif key == "user_tech" and kind == "Task":
                record[key] = self.ref("User", value)
        if kind == "Followup" and "user_editor" in record:  # GLPI records who edited a followup (not a task)
            record["user_editor"] = self.me
        if "date_mod" in record:
            record["date_mod"] = self.stamp()
        return reply(200, record)

    def timeline_delete(self, request: httpx.Request, ticket_id: str, kind: str, event_id: str) -> httpx.Response:
        record = self._event(ticket_id, kind, event_id)
        del self.items[store(kind)][record["id"]]
        return httpx.Response(204)

    # -- team -----------------------------------------------------------------------------------

    def members(self, ticket_id: int) -> list[dict[str, Any]]:
        out = []
        for kind, member_id, role in self.team.get(ticket_id, []):
            user = self.items["User"].get(member_id, {})
            names = [user.get("realname"), user.get("firstname")]
            out.append({
                "role": role, "name": user.get("username"), "realname": user.get("realname"),
                "firstname": user.get("firstname"),
                "display_name": " ".join(n for n in names if n) or user.get("username"),
                "id": member_id, "href": f"/front/{kind.lower()}.form.php?id={member_id}",
            })  # fmt: skip
        return out

    def team_list(self, request: httpx.Request, ticket_id: str) -> httpx.Response:
        self._item("Ticket", ticket_id)
        return reply(200, self.members(int(ticket_id)))

    def team_by_role(self, request: httpx.Request, ticket_id: str, role: str) -> httpx.Response:
        self._item("Ticket", ticket_id)
        if role not in ROLES:
            raise error(400, "ERROR_INVALID_PARAMETER", f"Invalid role: {role}")
        return reply(200, [m for m in self.members(int(ticket_id)) if m["role"] == ROLES[role]])

    def _member(self, fields: dict[str, Any]) -> tuple[str, int, str]:
        if "id" not in fields:
            raise Answer(httpx.Response(500, headers={"Content-Type": "application/json"}))  # PHP TypeError
        role = str(fields.get("role", ""))
        if role not in ROLES:
            raise error(400, "ERROR_INVALID_PARAMETER", f"Invalid role: {role}")
        kind = str(fields.get("type", ""))
        try:
            member_id = int(fields["id"])
        except (TypeError, ValueError) as exc:
            raise error(400, "ERROR_INVALID_PARAMETER", "One or more parameters are invalid") from exc
        return kind, member_id, ROLES[role]

    def team_add(self, request: httpx.Request, ticket_id: str) -> httpx.Response:
        ticket = self._item("Ticket", ticket_id)
        member = self._member(self.body(request))
        known = member[1] in self.items["User"] if member[0] == "User" else member[0] == "Group" and member[1] > 0
        if not known or member in self.team[ticket["id"]]:  # groups are not stored: any positive id is one
            raise error(400, "ERROR_INVALID_PARAMETER", "One or more parameters are invalid")
        self.team[ticket["id"]].append(member)
        if member[2] == "assigned" and ticket["status"]["id"] == 1:
            ticket["status"] = {"id": 2, "name": STATUS_NAMES[2]}
        return httpx.Response(201, headers={"Content-Type": "application/json"})

    def team_remove(self, request: httpx.Request, ticket_id: str) -> httpx.Response:
        ticket = self._item("Ticket", ticket_id)
        member = self._member(self.body(request) or dict(request.url.params))
        if member in self.team[ticket["id"]]:
            self.team[ticket["id"]].remove(member)
        return httpx.Response(200, headers={"Content-Type": "application/json"})

    # -- v1 -------------------------------------------------------------------------------------

    def v1(self, request: httpx.Request, path: str) -> httpx.Response:
        ok = {"Content-Type": "application/json; charset=UTF-8"}
        if path == "/initSession" and request.method == "GET":
            if request.headers.get("Authorization") != f"user_token {self.user_token}":
                raise v1_error(401, "ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid")
            token = f"session-{len(self.sessions) + 1}"
            self.sessions.add(token)
            return reply(200, {"session_token": token}, **ok)
        session = request.headers.get("Session-Token")
        if not session:
            raise v1_error(400, "ERROR_SESSION_TOKEN_MISSING", "parameter session_token is missing or empty")
        if session not in self.sessions:
            raise v1_error(401, "ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid")
        if path == "/killSession" and request.method == "GET":
            self.sessions.discard(session)
            return reply(200, True, **ok)
        if path == "/Document" and request.method == "POST":
            return self.v1_upload(request)
        if path == "/Item_Ticket" and request.method == "POST":
            return self.v1_item_ticket(self.body(request).get("input", {}))
        if path == "/Document_Item" and request.method == "POST":
            fields = self.body(request).get("input", {})
            link_id = self.link(int(fields["documents_id"]), str(fields["itemtype"]), int(fields["items_id"]))
            return reply(201, {"id": link_id, "message": ""}, Location=f"{ORIGIN}/api.php/v1/Document_Item/{link_id}")
        plugin = self.fields_plugin.answer(request, path, self.body(request) if request.content else None)
        if plugin is not None:
            return plugin
        raise v1_error(400, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "resource not found or not an instance")

    def v1_item_ticket(self, fields: dict[str, Any]) -> httpx.Response:
        """``POST Item_Ticket``: link an asset (any itemtype, id > 0) to an existing ticket."""
        links = self.items.setdefault("Item_Ticket", {})
        ticket_id, item_id = int(fields.get("tickets_id", 0)), int(fields.get("items_id", 0))
        if ticket_id not in self.items["Ticket"] or item_id <= 0 or not fields.get("itemtype"):
            raise v1_error(400, "ERROR_GLPI_ADD", "Item not found")
        link_id = len(links) + 1
        links[link_id] = {"id": link_id, "itemtype": str(fields["itemtype"]), "items_id": item_id,
                          "tickets_id": ticket_id}  # fmt: skip
        return reply(201, {"id": link_id, "message": ""}, Location=f"{ORIGIN}/api.php/v1/Item_Ticket/{link_id}")

    def v1_upload(self, request: httpx.Request) -> httpx.Response:
        parts = _multipart(request)
        manifest = json.loads(parts["uploadManifest"][2]).get("input", {})
        filename, mime, content = parts["filename[0]"]
        if filename is None or filename not in manifest.get("_filename", []):
            raise v1_error(400, "ERROR_GLPI_ADD", "No file uploaded")
        mime = mime or "application/octet-stream"
        doc_id = self.allocate("Document")
        record = self._document_record(doc_id, str(manifest.get("name") or filename), mime, self.stamp(), content)
        record.update(filename=filename, comment=manifest.get("comment"))
        self.items["Document"][doc_id] = record
        self.files[doc_id] = (content, mime)
        if manifest.get("itemtype") and manifest.get("items_id"):
            self.link(doc_id, str(manifest["itemtype"]), int(manifest["items_id"]))
        payload = {"id": doc_id, "message": f"Item successfully added: {record['name']}",
                   "upload_result": {"filename": [{"name": filename, "size": len(content), "type": mime,
                                                   "display": filename}]}}  # fmt: skip
        return reply(201, payload, Location=f"{ORIGIN}/api.php/v1/Document/{doc_id}")

    def link(self, doc_id: int, itemtype: str, items_id: int) -> int:
        if itemtype != "Ticket" or items_id not in self.items["Ticket"] or doc_id not in self.items["Document"]:
            raise v1_error(400, "ERROR_GLPI_ADD", "Item not found")
        link_id = self.allocate("Document_Item")
        self.items["Document_Item"][link_id] = {
            "id": link_id, "itemtype": "Ticket", "items_id": items_id, "documents_id": doc_id,
            "timeline_position": 1, "filepath": f"/front/document.send.php?docid={doc_id}",
        }  # fmt: skip
        return link_id


def _collection_path(name: str) -> str:
    """The collection path of an itemtype name, from the resource index (the client's own lookup)."""
    from glpi_python_client._resources import resource_spec

    return resource_spec(name)["path"]
