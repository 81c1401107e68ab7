"""The ``glpi`` command line: helpdesk work, reports and any v2 route, on :class:`~glpi_python_client.GlpiClient`.

Installed with the ``[cli]`` extra (``pip install "glpi-python-client[cli]"``): typer, rich, platformdirs and
tomli-w. ``import glpi_python_client`` never imports this package, so the library's import time is unchanged;
:func:`main` is the ``glpi`` console script and says how to install the extra when it is missing.
"""

from __future__ import annotations

import sys

__all__ = ["main"]

#: The modules the extra brings, and the distribution each comes from.
_EXTRA = {"typer": "typer", "rich": "rich", "platformdirs": "platformdirs", "tomli_w": "tomli-w"}


def main() -> None:
    """Run the ``glpi`` command line (the console script)."""
    import importlib.util

    missing = [dist for module, dist in _EXTRA.items() if importlib.util.find_spec(module) is None]
    if missing:
        sys.stderr.write(
            f"glpi: the command line needs the [cli] extra ({', '.join(missing)} missing):"
            ' pip install "glpi-python-client[cli]"\n'
        )
        raise SystemExit(3)
    from ._app import run

    run()
