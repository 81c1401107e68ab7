"""The ``glpi`` application: global options, error handling, and the command groups.

Every failure ends as one line on stderr with its fix and an exit code (see :mod:`._exits`); ``--debug`` adds the
request log and the traceback, both scrubbed of every known secret.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from . import _exits
from ._session import CliState, Hooks, RedactingFormatter

__all__ = ["app", "run"]


def _state(ctx: Any) -> CliState | None:
    obj = ctx.find_object(CliState)
    return obj if isinstance(obj, CliState) else None


class GlpiGroup(TyperGroup):
    """The root group: turns every error raised by a command into its one line and exit code."""

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """A registered command, else the itemtype of that name (``glpi Computer list``)."""
        found = super().get_command(ctx, cmd_name)
        if found is None:
            from .._resources import UnknownResourceError
            from . import _itemtypes

            try:
                found = _itemtypes.command(cmd_name)
            except UnknownResourceError as exc:
                if not ctx.resilient_parsing:
                    ctx.fail(f"no such command or itemtype {cmd_name!r} ({exc})")
        return found

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:  # `glpi ... | head`: the reader is gone, stop quietly
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(_exits.OK) from None
        except KeyboardInterrupt:
            typer.echo("glpi: interrupted", err=True)
            raise typer.Exit(_exits.INTERRUPTED) from None
        except Exception as exc:
            state = _state(ctx)
            code, message = _exits.describe(exc)
            redact = state.redactor if state else (lambda text: text)
            if state is not None and state.debug:
                typer.echo(redact(traceback.format_exc()), err=True)
            typer.echo(f"glpi: {redact(message)}", err=True)
            raise typer.Exit(code) from None


app = typer.Typer(
    cls=GlpiGroup,
    name="glpi",
    help="Work with a GLPI 11 helpdesk from the command line: tickets, reports, documents and any v2 route.",
    epilog="Every GLPI itemtype is a command too: glpi Computer list|get|count (`glpi itemtypes` lists them)."
    " Settings: `glpi config init` (profiles), or the GLPI_* variables. Exit codes: 0 ok, 1 GLPI or network"
    " error, 2 usage, 3 configuration or authentication.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # rich tracebacks would print local variables, secrets included
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("glpi-python-client")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree without metadata
            number = "unknown"
        typer.echo(f"glpi {number} (glpi-python-client, GLPI High-Level REST API v2)")
        raise typer.Exit()


def _debug_logging(state: CliState, ctx: typer.Context) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(state.redactor))
    loggers = [logging.getLogger(name) for name in ("glpi_python_client", "httpx")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)

    def restore() -> None:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)

    ctx.call_on_close(restore)


@app.callback()
def main(
    ctx: typer.Context,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile", "-p", help="Use this profile of the config file (env: GLPI_CLI_PROFILE).", show_default=False
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Log each request and show tracebacks on stderr (secrets are masked).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Global options."""
    hooks = ctx.obj if isinstance(ctx.obj, Hooks) else Hooks()
    state = CliState(profile=profile, debug=debug, hooks=hooks)
    ctx.obj = state
    if debug:
        _debug_logging(state, ctx)


def _register() -> None:
    from . import _alerts, _api_command, _config_command, _doctor, _documents, _itemtypes, _reports, _tickets

    app.add_typer(_config_command.app, name="config")
    app.add_typer(_tickets.app, name="ticket")
    app.add_typer(_reports.app, name="report")
    app.add_typer(_alerts.app, name="alerts")
    app.command("doctor")(_doctor.doctor)
    app.command("upload")(_documents.upload)
    app.command("download")(_documents.download)
    app.command("api")(_api_command.api)
    app.command("itemtypes")(_itemtypes.itemtypes)


_register()


def run() -> None:
    """The console script."""
    app(prog_name="glpi")
