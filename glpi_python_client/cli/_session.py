"""One run of the command line: its options, its consoles, its client, and the transport the client sends through.

:class:`CliTransport` wraps the real httpx transport *under* the facade's own (auth, retries), so every request
the facade sends passes through it: ``--debug`` logs each one (method, URL, status, time; never a header or a
body), the reports observe the search pages to drive their progress bar, and ``--dry-run`` answers locally
(:class:`DryRun`): nothing leaves the machine, and each write is printed instead of being sent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.parser
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from .._errors import ConfigurationError, GlpiError

if TYPE_CHECKING:
    from rich.console import Console

    from .._clients import GlpiClient
    from ._settings import Settings

__all__ = ["CliState", "CliTransport", "DryRun", "DryRunRead", "Hooks", "Redactor", "SetupError", "UsageError"]

log = logging.getLogger("glpi_python_client.cli")
MASK = "***"
#: The width of tables written to a pipe or a file (no terminal to fold them to).
PIPE_WIDTH = 240


class UsageError(GlpiError, ValueError):
    """The command line was given something it cannot use (exit code 2)."""


class SetupError(ConfigurationError):
    """A configuration problem whose message already says what to do (exit code 3, no generic fix added)."""


class DryRunRead(UsageError):
    """A dry run would have had to read from GLPI first (a dry run sends nothing at all)."""


class Redactor:
    """Replaces every known secret (configured ones, and tokens learnt from the server) with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self.add(*secrets)

    def add(self, *values: object) -> None:
        for value in values:
            if isinstance(value, str) and len(value) >= 4:
                self._secrets.add(value)

    def __call__(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text


class RedactingFormatter(logging.Formatter):
    """A log formatter whose output (message and traceback) goes through a :class:`Redactor`."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(super().format(record))


def _summary(request: httpx.Request) -> str:
    """``METHOD URL``; the URL keeps its query (filters), which never holds a secret here."""
    return f"{request.method} {request.url}"


class DryRun:
    """Answers every request locally; writes are printed (through ``echo``) and recorded in ``writes``."""

    def __init__(self, token_url: str, echo: Callable[[str], None], redactor: Redactor, *, reads: bool = False) -> None:
        self.token_url = token_url
        self.reads = reads
        self.echo = echo
        self.redactor = redactor
        self.writes: list[httpx.Request] = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if str(request.url.copy_with(query=None)) == self.token_url:
            return httpx.Response(200, json={"access_token": "dry-run", "token_type": "Bearer", "expires_in": 3600})
        if path.endswith("/initSession"):
            return httpx.Response(200, json={"session_token": "dry-run"})
        if path.endswith("/killSession"):
            return httpx.Response(200, json=True)
        if request.method in ("GET", "HEAD", "OPTIONS") and not self.reads:
            raise DryRunRead(
                f"--dry-run sends nothing, but this command must first read {request.method} {request.url.path}:"
                " give ids instead of names, or run it without --dry-run"
            )
        self.writes.append(request)
        self.echo(self.redactor(self.render(request)))
        last = path.rstrip("/").rsplit("/", 1)[-1]
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return httpx.Response(200, json=None)
        if request.method == "DELETE":
            return httpx.Response(204)
        if request.method == "POST" and path.endswith("/TeamMember"):
            return httpx.Response(201)
        if request.method == "POST":
            return httpx.Response(200, json={"id": 0, "href": f"{path}/0", "message": "dry run"})
        return httpx.Response(200, json={"id": int(last) if last.isdigit() else 0})

    @staticmethod
    def render(request: httpx.Request) -> str:
        """The request as it would be sent: request line, GLPI and content headers, body (secret headers left out)."""
        lines = [_summary(request)]
        for name, value in request.headers.items():
            if name.lower().startswith("glpi-") or name.lower() == "content-type":
                lines.append(f"{'-'.join(w.capitalize() for w in name.split('-'))}: {value}")
        content = request.read()
        kind = request.headers.get("Content-Type", "")
        if kind.startswith("multipart/form-data"):
            message = email.parser.BytesParser().parsebytes(f"Content-Type: {kind}\r\n\r\n".encode() + content)
            for part in message.walk():
                if part.is_multipart():
                    continue
                part_name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True)
                size = len(payload) if isinstance(payload, bytes) else 0
                if filename:
                    lines.append(f"  part {part_name}: file {filename!r} ({size} bytes, {part.get_content_type()})")
                else:
                    text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
                    lines.append(f"  part {part_name}: {text}")
        elif content:
            try:
                lines.append(json.dumps(json.loads(content), indent=2, ensure_ascii=False))
            except ValueError:
                lines.append(content.decode("utf-8", "replace"))
        return "\n".join(lines) + "\n"


class CliTransport(httpx.BaseTransport):
    """The transport under the facade's: logs each exchange, feeds ``observer``, or answers a dry run."""

    def __init__(self, inner: httpx.BaseTransport, *, token_url: str, redactor: Redactor) -> None:
        self._inner = inner
        self.token_url = token_url
        self.redactor = redactor
        self.dry_run: DryRun | None = None
        self.observer: Callable[[httpx.Request, httpx.Response], None] | None = None
        self.sent = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.dry_run is not None:
            log.debug("dry run, not sent: %s", _summary(request))
            return self.dry_run.answer(request)
        started = time.perf_counter()
        self.sent += 1
        try:
            response = self._inner.handle_request(request)
        except httpx.TransportError as exc:
            log.debug("%s failed: %s", _summary(request), exc.__class__.__name__)
            raise
        self._learn_secrets(request, response)
        log.debug(
            "%s -> %s %s in %.0f ms%s",
            _summary(request),
            response.status_code,
            response.reason_phrase,
            (time.perf_counter() - started) * 1000,
            f" (Content-Range {response.headers['Content-Range']})" if "Content-Range" in response.headers else "",
        )
        if self.observer is not None:
            self.observer(request, response)
        return response

    def _learn_secrets(self, request: httpx.Request, response: httpx.Response) -> None:
        """Tokens the server hands out become secrets to scrub from every later output."""
        is_token = str(request.url.copy_with(query=None)) == self.token_url
        if not (is_token or request.url.path.endswith("/initSession")) or response.status_code != 200:
            return
        response.read()
        with contextlib.suppress(ValueError):
            body = response.json()
            if isinstance(body, dict):
                self.redactor.add(body.get("access_token"), body.get("refresh_token"), body.get("session_token"))

    def close(self) -> None:
        self._inner.close()


@dataclass
class Hooks:
    """What a test can give a run (``CliRunner.invoke(app, args, obj=Hooks(transport=...))``)."""

    transport: httpx.BaseTransport | None = None


@dataclass
class CliState:
    """The global options of one run, and what commands share: settings, consoles, client factory."""

    profile: str | None = None
    debug: bool = False
    hooks: Hooks = field(default_factory=Hooks)
    redactor: Redactor = field(default_factory=Redactor)
    transport: CliTransport | None = None
    _settings: Settings | None = None

    def settings(self) -> Settings:
        """The resolved settings (printing their warnings once, on stderr)."""
        if self._settings is None:
            from ._settings import resolve

            self._settings = resolve(self.profile)
            self.redactor.add(*self._settings.secrets())
            for warning in self._settings.warnings:
                self.err().print(f"warning: {warning}", markup=False, highlight=False)
            log.debug("settings from %s", self._settings.source)
        return self._settings

    @staticmethod
    def out() -> Console:
        """stdout: styled on a terminal; plain and wide (tables not folded) when piped."""
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        if not console.is_terminal:
            console.width = PIPE_WIDTH
        return console

    @staticmethod
    def err() -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False, soft_wrap=True)

    def echo(self, text: str) -> None:
        """Write ``text`` to stdout as is (data: no markup, no wrapping)."""
        import sys

        sys.stdout.write(text)
        sys.stdout.flush()

    @contextlib.contextmanager
    def client(self, *, dry_run: bool = False, dry_reads: bool = False, **overrides: Any) -> Iterator[GlpiClient]:
        """A :class:`GlpiClient` on the resolved settings, closed on exit.

        ``dry_run`` sends nothing: writes are printed, and a read raises :class:`DryRunRead`, unless ``dry_reads``
        (``glpi api GET --dry-run``) prints it too.
        """
        from .._clients import GlpiClient
        from .._config import ClientConfig

        settings = self.settings()
        kwargs = {**settings.kwargs, **overrides}
        known = {f.name for f in dataclasses.fields(ClientConfig)}
        config = ClientConfig(**{k: v for k, v in kwargs.items() if k in known})
        inner = self.hooks.transport or httpx.HTTPTransport(verify=config.verify_ssl)
        self.transport = CliTransport(inner, token_url=config.token_url, redactor=self.redactor)
        if dry_run:
            self.transport.dry_run = DryRun(config.token_url, self.echo, self.redactor, reads=dry_reads)
        with GlpiClient(**kwargs, transport=self.transport) as client:
            yield client
        if dry_run:
            count = len(self.transport.dry_run.writes) if self.transport.dry_run else 0
            self.err().print(f"dry run: {count} request(s) shown above, nothing was sent", highlight=False)
