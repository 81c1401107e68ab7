"""``python -m glpi_python_client.cli``: the same as the ``glpi`` console script."""

from . import main

main()
