"""``glpi doctor``: is everything in place to work with this GLPI? One line per check, and the fix for each failure.

Checks, in order: settings, server reachable, TLS, OAuth grant, ``api`` scope, API versions served, entity and
profile of the session, then (when configured) the v1 session and the Fields plugin. A failure stops the checks
that depend on it. Everything goes through the facade's client: no second HTTP path.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Annotated, Any

import httpx
import typer

from .._errors import AuthenticationError, ConfigurationError, PluginFieldsError, V1Error
from . import _exits
from ._session import CliState

if TYPE_CHECKING:
    from .._clients import GlpiClient

__all__ = ["Check", "doctor"]

OK, WARN, FAIL, SKIP = "ok", "warn", "fail", "skip"
_MARKS = {OK: "[green]✓[/green]", WARN: "[yellow]![/yellow]", FAIL: "[red]✗[/red]", SKIP: "[dim]-[/dim]"}


@dataclass
class Check:
    """One line of the report."""

    name: str
    status: str
    detail: str
    fix: str | None = None
    exit_code: int = _exits.OK


def _json_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class _Doctor:
    def __init__(self, state: CliState) -> None:
        self.state = state
        self.checks: list[Check] = []

    def add(self, name: str, status: str, detail: str, fix: str | None = None, code: int = _exits.OK) -> None:
        self.checks.append(Check(name, status, self.state.redactor(detail), fix, code))

    def run(self) -> None:
        try:
            settings = self.state.settings()
            with self.state.client(max_retries=0) as client:  # a diagnosis reports at once, it does not wait
                self.add("settings", OK, f"from {settings.source}")
                self.diagnose(client)
        except ConfigurationError as exc:
            _, message = _exits.describe(exc, with_fix=False)
            self.add("settings", FAIL, message, "run `glpi config init` or set the GLPI_* variables", _exits.CONFIG)

    def diagnose(self, client: GlpiClient) -> None:
        cfg = client.config
        http = client.api.raw_httpx_client()  # the status is read here, not raised
        started = time.perf_counter()
        try:  # the API URL itself is outside the authenticated prefix: no credentials are sent
            probe = http.get(cfg.glpi_api_url)
        except httpx.TransportError as exc:
            code, message = _exits.describe(exc, with_fix=False)
            name = "TLS" if _exits.is_tls(exc) else "server"
            self.add(name, FAIL, f"{cfg.glpi_api_url}: {message}", _exits.fix_for(exc), code)
            return
        elapsed = (time.perf_counter() - started) * 1000
        self.add("server", OK, f"{cfg.glpi_api_url} answered (HTTP {probe.status_code} in {elapsed:.0f} ms)")
        if cfg.glpi_api_url.startswith("https://"):
            if cfg.verify_ssl:
                self.add("TLS", OK, "certificate verified")
            else:
                self.add(
                    "TLS",
                    WARN,
                    "certificate NOT verified (verify_ssl = false)",
                    "install the server's CA and drop verify_ssl",
                )
        else:
            self.add("TLS", WARN, "not used: the password and tokens travel in clear text", "use an https:// URL")
        if not self.oauth(client, http):
            return
        self.versions(http)
        if cfg.v1_base_url and cfg.v1_user_token:
            self.v1(client)
        else:
            self.add(
                "v1 session", SKIP, "not configured (uploads and the Fields plugin need v1_base_url and v1_user_token)"
            )

    def oauth(self, client: GlpiClient, http: httpx.Client) -> bool:
        cfg = client.config
        try:
            response = http.get("session")
        except AuthenticationError as exc:
            _, message = _exits.describe(exc, with_fix=False)
            self.add("OAuth grant", FAIL, message, _exits.fix_for(exc), _exits.CONFIG)
            return False
        who = f" for {cfg.username!r}" if cfg.username else ""
        self.add("OAuth grant", OK, f"{cfg.grant_type} grant accepted{who}")
        body = _json_body(response)
        title = str(body.get("title", "")) if isinstance(body, dict) else ""
        if response.status_code == 403 and "scope" in title.lower():
            self.add(
                "api scope",
                FAIL,
                f"the token was refused: {title}",
                "allow the `api` scope on the OAuth client (Setup > OAuth clients)",
                _exits.CONFIG,
            )
            return False
        if response.status_code == 401:
            fix = (
                "configure username and password (a client_credentials token has no user)" if not cfg.username else None
            )
            self.add("api scope", FAIL, "the API refused the token (401)", fix, _exits.CONFIG)
            return False
        self.add("api scope", OK, "the API accepts the token")
        self.session(response, body)
        return True

    def session(self, response: httpx.Response, body: Any) -> None:
        cfg = self.state.settings().kwargs
        if response.status_code != 200 or not isinstance(body, dict):
            sent = ", ".join(f"{k}={cfg[k]}" for k in ("glpi_entity", "glpi_profile") if cfg.get(k) is not None)
            self.add(
                "entity/profile",
                WARN,
                f"GET /session answered {response.status_code}; sent {sent or 'the user defaults'}",
            )
            return
        active = body.get("active_profile")
        profile: dict[str, Any] = active if isinstance(active, dict) else {}
        entities = body.get("active_entities") or []
        entity = body.get("current_entity", body.get("default_entity"))
        if isinstance(entity, dict):
            entity = entity.get("id")
        wanted = cfg.get("glpi_entity")
        if wanted is not None:
            entity = wanted
        detail = f"user {body.get('friendly_name') or body.get('name') or body.get('user_id')}, entity {entity}"
        if isinstance(entities, list) and entities:
            detail += f" ({len(entities)} active)"
        detail += f", profile {profile.get('name') or '?'} ({profile.get('id', '?')})"
        ids = [e.get("id") if isinstance(e, dict) else e for e in entities] if isinstance(entities, list) else []
        if wanted is not None and ids and wanted not in ids:
            self.add(
                "entity/profile",
                FAIL,
                f"entity {wanted} is not active for this user: {detail}",
                "set glpi_entity to one of " + ", ".join(map(str, ids)),
                _exits.GLPI,
            )
            return
        self.add("entity/profile", OK, detail)

    def versions(self, http: httpx.Client) -> None:
        response = http.get("")
        body = _json_body(response)
        versions = body.get("api_versions") if isinstance(body, dict) else None
        if response.status_code != 200 or not isinstance(versions, list):
            self.add("API versions", WARN, f"GET / answered {response.status_code} without api_versions")
            return
        names = [str(v.get("api_version") or v.get("version")) for v in versions if isinstance(v, dict)]
        self.add("API versions", OK, ", ".join(names) or "none listed")

    def v1(self, client: GlpiClient) -> None:
        try:
            containers = client.list_plugin_fields_containers()
        except PluginFieldsError:
            self.add("v1 session", OK, "session opened with the user token")
            self.add("Fields plugin", SKIP, "not installed or not enabled")
            return
        except (V1Error, httpx.HTTPError) as exc:
            code, message = _exits.describe(exc, with_fix=False)
            self.add("v1 session", FAIL, message, _exits.fix_for(exc), code)
            return
        self.add("v1 session", OK, "session opened with the user token")
        self.add("Fields plugin", OK, f"{len(containers)} container(s)")


def doctor(
    ctx: typer.Context,
    json_output: Annotated[bool, typer.Option("--json", help="Print the checks as JSON.")] = False,
) -> None:
    """Check the settings, the server, TLS, OAuth, the api scope, API versions, entity/profile and v1.

    Exit code: 0 when nothing failed (warnings allowed), else 3 (settings, credentials) or 1 (server).

    Examples:

      glpi doctor

      glpi -p prod doctor --json
    """
    state: CliState = ctx.obj
    report = _Doctor(state)
    report.run()
    if json_output:
        state.echo(json.dumps([asdict(c) for c in report.checks], indent=2) + "\n")
    else:
        console = state.out()
        width = max(len(c.name) for c in report.checks)
        for check in report.checks:
            fix = f"  [bold]fix:[/bold] {check.fix}" if check.fix else ""
            console.print(f"{_MARKS[check.status]} {check.name.ljust(width)}  {_escape(check.detail)}{fix}")
    codes = [c.exit_code for c in report.checks if c.status == FAIL]
    if codes:
        raise typer.Exit(max(codes))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
