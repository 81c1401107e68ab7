"""Build the wheel and the sdist, install the wheel into a clean venv, and use it from there.

Usage::

    python scripts/check_package.py [--keep DIR]

Proves that what ``pip install glpi-python-client`` would get works on its own: ``python -m build``
makes both archives (without build isolation: the dev venv's pinned setuptools), the wheel holds
both packages (``glpi_python_client`` with its generated methods, ``glpi_api_v2``), their
``py.typed`` markers and no tests; a new venv (no checkout on its path, run from an empty
directory) installs the wheel and its dependencies, imports both packages from its site-packages,
and runs ``python -m glpi_python_client --version`` and (with the ``[cli]`` extra) ``glpi --version``.
Exits 1 naming what is wrong.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REQUIRED_IN_WHEEL = [
    "glpi_python_client/__init__.py",
    "glpi_python_client/__main__.py",
    "glpi_python_client/py.typed",
    "glpi_python_client/_generated/client_methods.py",
    "glpi_api_v2/__init__.py",
    "glpi_api_v2/py.typed",
    "glpi_api_v2/api/assistance/get_assistance_ticket_by_id.py",
]

SMOKE = """
import pathlib, sys, sysconfig
import glpi_python_client, glpi_api_v2
from glpi_python_client import GlpiClient
from glpi_api_v2.api.assistance import get_assistance_ticket_by_id
site = pathlib.Path(sysconfig.get_paths()["purelib"]).resolve()
for module in (glpi_python_client, glpi_api_v2):
    where = pathlib.Path(module.__file__).resolve()
    assert where.is_relative_to(site), f"{module.__name__} imported from {where}, not {site}"
assert get_assistance_ticket_by_id.request_kwargs(1)["url"] == "/Assistance/Ticket/1"
import inspect
assert list(inspect.signature(GlpiClient.get_ticket).parameters) == ["self", "ticket_id"]
print("imported", glpi_python_client.__name__, "and", glpi_api_v2.__name__, "from", site)
"""


class PackageError(RuntimeError):
    """The built package is incomplete or does not work once installed."""


def run(cmd: list[str], *, cwd: Path | None = None) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise PackageError(f"`{' '.join(cmd)}` failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def build(out: Path) -> tuple[Path, Path]:
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)])
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise PackageError(f"expected one wheel and one sdist in {out}, found {[p.name for p in out.iterdir()]}")
    return wheels[0], sdists[0]


def check_wheel(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = [name for name in REQUIRED_IN_WHEEL if name not in names]
    if missing:
        raise PackageError(f"{wheel.name} lacks {missing}")
    stray = sorted(name for name in names if name.startswith(("tests/", "scripts/", "cassettes/")))
    if stray:
        raise PackageError(f"{wheel.name} carries files that are not the library: {stray[:5]}")


def check_sdist(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = [n for n in ("pyproject.toml", "README.md", "generated/glpi_api_v2/__init__.py") if n not in names]
    if missing:
        raise PackageError(f"{sdist.name} lacks {missing}")


def install_and_use(wheel: Path, work: Path) -> str:
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = str(venv / "bin" / "python")
    run([python, "-m", "pip", "install", "-q", f"{wheel}[cli]"])
    empty = work / "elsewhere"
    empty.mkdir()
    out = run([python, "-I", "-c", SMOKE], cwd=empty)
    version = run([python, "-I", "-m", "glpi_python_client", "--version"], cwd=empty).strip()
    expected = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    if not version.endswith(expected):
        raise PackageError(f"`python -m glpi_python_client --version` printed {version!r}, expected {expected}")
    command = run([str(venv / "bin" / "glpi"), "--version"], cwd=empty).strip()
    if expected not in command:
        raise PackageError(f"`glpi --version` printed {command!r}, expected {expected}")
    return out.strip() + f"\n{version}\nglpi --version: {command}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="build into this directory and keep the archives")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = Path(args.keep) if args.keep else work / "dist"
        try:
            wheel, sdist = build(out)
            check_wheel(wheel)
            check_sdist(sdist)
            print(f"built {wheel.name} ({wheel.stat().st_size // 1024} KiB) and {sdist.name}")
            print(install_and_use(wheel, work))
        except PackageError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
