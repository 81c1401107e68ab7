"""``python -m glpi_python_client.alerts``: serve the alert receiver (see :func:`~._serve.main`)."""

from ._serve import main

raise SystemExit(main())
