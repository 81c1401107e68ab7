"""Run the receiver with uvicorn: :func:`serve` for programs (the ``glpi alerts serve`` command), :func:`main`
for ``python -m glpi_python_client.alerts``.

Secrets come from the environment, never from the command line (where ``ps`` shows them):
``GLPI_ALERTS_TOKEN`` (bearer token of the alert routes), ``GLPI_ALERTS_HMAC_SECRET`` (their ``X-Signature``
HMAC key), ``GLPI_WEBHOOK_SECRET`` (the GLPI webhook's secret, enables ``/glpi-webhook``); the GLPI client
reads the usual ``GLPI_*`` settings.
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from .._operations.incidents import DEFAULT_QUIET_WINDOW
from ._app import DEFAULT_MAX_BODY, WebhookHandler, create_app
from ._mapping import AlertMapping

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "load_handler", "main", "serve"]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9095


def load_handler(spec: str) -> WebhookHandler:
    """``"package.module:function"`` -> that function (the ``--on-webhook`` option)."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"--on-webhook takes module:function, not {spec!r}")
    handler = getattr(importlib.import_module(module_name), attribute)
    if not callable(handler):
        raise ValueError(f"{spec} is not callable")
    return handler  # type: ignore[no-any-return]


def serve(
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    hmac_secret: str | None = None,
    webhook_secret: str | None = None,
    on_webhook: WebhookHandler | str | None = None,
    webhook_itemtype: str | None = None,
    mapping: AlertMapping | None = None,
    quiet_window: float | timedelta = DEFAULT_QUIET_WINDOW,
    max_body: int = DEFAULT_MAX_BODY,
    log_level: str = "info",
    **client_options: Any,
) -> None:
    """Serve the receiver until interrupted (blocking). What ``glpi alerts serve --host H --port P`` calls.

    ``token``/``hmac_secret``/``webhook_secret`` default to ``GLPI_ALERTS_TOKEN`` / ``GLPI_ALERTS_HMAC_SECRET``
    / ``GLPI_WEBHOOK_SECRET``; ``on_webhook`` is a callable or a ``"module:function"`` string. The GLPI client
    is built from the ``GLPI_*`` environment, with ``client_options`` overriding it (``AsyncGlpiClient``
    keyword arguments). Listens on 127.0.0.1:9095 by default: put a TLS proxy in front to expose it.
    """
    import uvicorn

    from .. import AsyncGlpiClient

    handler = load_handler(on_webhook) if isinstance(on_webhook, str) else on_webhook
    client = AsyncGlpiClient.from_env(**client_options)  # a bad GLPI configuration fails here, before listening
    app = create_app(
        client=client,
        close_client=True,
        token=token or os.environ.get("GLPI_ALERTS_TOKEN") or None,
        hmac_secret=hmac_secret or os.environ.get("GLPI_ALERTS_HMAC_SECRET") or None,
        webhook_secret=webhook_secret or os.environ.get("GLPI_WEBHOOK_SECRET") or None,
        on_webhook=handler,
        webhook_itemtype=webhook_itemtype,
        mapping=mapping,
        quiet_window=quiet_window,
        max_body=max_body,
    )
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m glpi_python_client.alerts",
        description="Receive Alertmanager and generic alerts as GLPI incidents, and GLPI webhooks."
        " Secrets come from GLPI_ALERTS_TOKEN, GLPI_ALERTS_HMAC_SECRET and GLPI_WEBHOOK_SECRET;"
        " GLPI from the GLPI_* variables.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument(
        "--quiet-window",
        type=float,
        default=DEFAULT_QUIET_WINDOW,
        help=f"seconds between two followups of a repeating alert (default {DEFAULT_QUIET_WINDOW:.0f})",
    )
    parser.add_argument(
        "--max-body", type=int, default=DEFAULT_MAX_BODY, help=f"largest body in bytes (default {DEFAULT_MAX_BODY})"
    )
    parser.add_argument("--on-webhook", metavar="MODULE:FUNCTION", help="handler of verified GLPI webhook events")
    parser.add_argument("--webhook-itemtype", help="the GLPI webhook's itemtype (Ticket, ITILFollowup...)")
    parser.add_argument("--log-level", default="info", help="uvicorn's log level (default info)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and serve; returns the exit status (2 for a configuration error)."""
    from .._errors import ConfigurationError

    args = _parser().parse_args(argv)
    try:
        serve(
            host=args.host,
            port=args.port,
            on_webhook=args.on_webhook,
            webhook_itemtype=args.webhook_itemtype,
            quiet_window=args.quiet_window,
            max_body=args.max_body,
            log_level=args.log_level,
        )
    except (ConfigurationError, ValueError) as exc:
        print(f"error: {exc}")
        return 2
    return 0
