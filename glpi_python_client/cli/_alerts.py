"""``glpi alerts serve``: run the alert receiver (:func:`glpi_python_client.alerts.serve`) on this run's settings.

The receiver needs the ``[alerts]`` extra (Starlette, uvicorn). Its secrets come from the environment only
(``GLPI_ALERTS_TOKEN``, ``GLPI_ALERTS_HMAC_SECRET``, ``GLPI_WEBHOOK_SECRET``), never from options that ``ps`` shows.
"""

from __future__ import annotations

import importlib.util
from typing import Annotated

import typer

from .._errors import ConfigurationError
from .._operations.incidents import DEFAULT_QUIET_WINDOW
from ._session import CliState, SetupError

__all__ = ["app"]

app = typer.Typer(
    help="The alert receiver: Alertmanager and generic alerts become GLPI incidents.", no_args_is_help=True
)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 9095,
    quiet_window: Annotated[
        float, typer.Option(help="Seconds between two followups of a repeating alert.", min=0)
    ] = DEFAULT_QUIET_WINDOW,
    max_body: Annotated[
        int | None, typer.Option(help="Largest body accepted, in bytes [default: 1 MiB].", min=1, show_default=False)
    ] = None,
    on_webhook: Annotated[
        str | None, typer.Option(metavar="MODULE:FUNCTION", help="Handler of verified GLPI webhook events.")
    ] = None,
    webhook_itemtype: Annotated[str | None, typer.Option(help="The GLPI webhook's itemtype (Ticket...).")] = None,
    log_level: Annotated[str, typer.Option(help="uvicorn's log level.")] = "info",
) -> None:
    """Serve POST /alertmanager, POST /alert and /glpi-webhook until interrupted.

    Set GLPI_ALERTS_TOKEN (bearer token) or GLPI_ALERTS_HMAC_SECRET first; GLPI_WEBHOOK_SECRET enables
    /glpi-webhook. GLPI is reached with this run's settings (--profile or the GLPI_* variables).

    Examples:

      GLPI_ALERTS_TOKEN=s3cret glpi alerts serve --port 9095

      glpi -p monitoring alerts serve --host 0.0.0.0 --quiet-window 300
    """
    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("starlette") is None:
        raise SetupError('the alert receiver needs the [alerts] extra: pip install "glpi-python-client[alerts]"')
    from ..alerts import serve as serve_alerts

    state: CliState = ctx.obj
    options = dict(state.settings().kwargs)
    if max_body is not None:
        options["max_body"] = max_body
    if state.hooks.transport is not None:
        options["transport"] = state.hooks.transport
    try:
        serve_alerts(
            host=host,
            port=port,
            quiet_window=quiet_window,
            on_webhook=on_webhook,
            webhook_itemtype=webhook_itemtype,
            log_level=log_level,
            **options,
        )
    except ConfigurationError as exc:  # the receiver's own settings (token...): its message names the fix
        raise SetupError(str(exc)) from None
