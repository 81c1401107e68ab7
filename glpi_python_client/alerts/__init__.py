"""The alert receiver: Alertmanager and generic alerts become GLPI incidents; GLPI's webhooks are verified.

Needs the ``alerts`` extra (``pip install "glpi-python-client[alerts]"``: Starlette and uvicorn); importing
``glpi_python_client`` alone never imports them. Serve it with ``glpi alerts serve`` or
``python -m glpi_python_client.alerts --host 127.0.0.1 --port 9095``, or mount :func:`create_app` in your
own ASGI app. Routes and answers: see :mod:`glpi_python_client.alerts._app`.
"""

from __future__ import annotations

from ._app import DEFAULT_MAX_BODY, SIGNATURE_HEADER, WebhookHandler, create_app
from ._mapping import Alert, AlertmanagerAlert, AlertmanagerPayload, AlertMapping, GenericAlert, ItemRef, TeamRef
from ._serve import DEFAULT_HOST, DEFAULT_PORT, main, serve

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_BODY",
    "DEFAULT_PORT",
    "SIGNATURE_HEADER",
    "Alert",
    "AlertMapping",
    "AlertmanagerAlert",
    "AlertmanagerPayload",
    "GenericAlert",
    "ItemRef",
    "TeamRef",
    "WebhookHandler",
    "create_app",
    "main",
    "serve",
]
