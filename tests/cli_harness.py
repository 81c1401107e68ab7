"""Running the ``glpi`` command line in tests: typer's CliRunner, against the GLPI simulator.

:class:`CliGlpi` serves :class:`glpi_sim.GlpiSim` (plus the API homepage ``GET /`` and ``GET /session``, which
``glpi doctor`` reads and the simulator does not serve) to the command line through its test hook, and runs
commands with a clean environment: the replay settings as GLPI_* variables, and a config file in a temporary
directory (never the user's).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from glpi_harness import REPLAY_SETTINGS
from glpi_sim import V2, Answer, GlpiSim, reply
from typer.testing import CliRunner

from glpi_python_client import GlpiClient
from glpi_python_client.cli._app import app
from glpi_python_client.cli._session import Hooks

#: The GLPI_* variables of the replay settings (what ``GlpiClient.from_env`` reads).
ENV = {
    "GLPI_API_URL": REPLAY_SETTINGS["glpi_api_url"],
    "GLPI_CLIENT_ID": REPLAY_SETTINGS["client_id"],
    "GLPI_CLIENT_SECRET": REPLAY_SETTINGS["client_secret"],
    "GLPI_USERNAME": REPLAY_SETTINGS["username"],
    "GLPI_PASSWORD": REPLAY_SETTINGS["password"],
}
V1_ENV = {"GLPI_V1_BASE_URL": REPLAY_SETTINGS["v1_base_url"], "GLPI_V1_USER_TOKEN": REPLAY_SETTINGS["v1_user_token"]}
#: Every variable a run must not inherit from the developer's shell.
CLEARED = (
    *ENV,
    *V1_ENV,
    "GLPI_ENTITY",
    "GLPI_PROFILE",
    "GLPI_ENTITY_RECURSIVE",
    "GLPI_LANGUAGE",
    "GLPI_VERIFY_SSL",
    "GLPI_V1_APP_TOKEN",
    "GLPI_CLI_PROFILE",
)
SECRETS = (REPLAY_SETTINGS["client_secret"], REPLAY_SETTINGS["password"], REPLAY_SETTINGS["v1_user_token"])


@dataclass
class Run:
    """One finished command: exit code, stdout, stderr."""

    code: int
    out: str
    err: str
    exception: BaseException | None

    def json(self) -> Any:
        return json.loads(self.out)


class CliGlpi:
    """A simulated GLPI and a way to run ``glpi`` against it."""

    def __init__(self, config: Path) -> None:
        self.sim = GlpiSim()
        self.config = config
        #: Extra routes answered before the simulator's: (method, path under /api.php/v2) -> handler.
        self.routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {
            ("GET", "/"): self.homepage,
            ("GET", "/session"): self.session,
        }
        self.fault: Callable[[httpx.Request], httpx.Response | None] | None = None

    # -- the server -----------------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.fault is not None:
            answer = self.fault(request)
            if answer is not None:
                self.sim.requests.append(request)
                return answer
        path = request.url.path
        route = self.routes.get((request.method, path.removeprefix(V2))) if path.startswith(V2 + "/") else None
        if route is None:
            return self.sim(request)
        with self.sim.lock:
            self.sim.requests.append(request)
            try:
                self.sim.authenticate(request)
            except Answer as answer:
                return answer.response
            return route(request)

    def homepage(self, request: httpx.Request) -> httpx.Response:
        versions = [
            {"api_version": v, "version": f"{v}.0", "endpoint": f"http://127.0.0.1:8088/api.php/v{v}"}
            for v in ("2.0", "2.1", "2.2")
        ]
        return reply(200, {"message": "Welcome to GLPI API", "api_versions": versions})

    def session(self, request: httpx.Request) -> httpx.Response:
        return reply(
            200,
            {
                "user_id": 2,
                "name": "glpi",
                "friendly_name": "glpi",
                "default_entity": 0,
                "active_entities": [0],
                "active_profile": {"id": 4, "name": "Super-Admin", "interface": "central"},
                "profiles": [4],
            },
        )

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def client(self) -> GlpiClient:
        """A library client on the same simulator (to seed data and check state)."""
        return GlpiClient(**REPLAY_SETTINGS, transport=self.transport())

    # -- the command line -----------------------------------------------------------------------

    def run(self, *args: str, env: Mapping[str, str | None] | None = None, input: str | None = None) -> Run:
        """``glpi ARGS`` with the replay settings in the environment (``env`` adds or, with None, removes)."""
        environ: dict[str, str | None] = {name: None for name in CLEARED}
        environ.update(ENV)
        environ["GLPI_CLI_CONFIG"] = str(self.config)
        environ.update(env or {})
        result = CliRunner().invoke(app, list(args), env=environ, obj=Hooks(transport=self.transport()), input=input)
        return Run(result.exit_code, result.stdout, result.stderr, result.exception)
