"""``python -m glpi_python_client --version``: which glpi-python-client is installed (the CLI is ``glpi``)."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glpi_python_client", description=__doc__)
    try:
        installed = version("glpi-python-client")
    except PackageNotFoundError:  # imported from a checkout that was never installed
        installed = "unknown"
    parser.add_argument("--version", action="version", version=f"glpi-python-client {installed}")
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
