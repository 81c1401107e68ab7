"""The side-by-side table of ``make bench``: ours (both clients), raw httpx and the peer 0.6.5.

Starts scripts/bench_server.py in its own process, then runs every (workload, implementation) pair
three times in a fresh interpreter (scripts/bench_runner.py; the peer with ``.bench-venv/bin/python``),
takes medians, checks every implementation's digest against raw httpx's, and prints one table.
The import rows (W7) and the cold start (import to first ticket) run ours and httpx alone in
``.bench-venv-ours``, this checkout installed with its base dependencies only (refreshed on each run), as the
peer runs in its own venv; the dev venv's figures follow for reference.
Figures are printed, never asserted: this is a benchmark, not a test.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER_PYTHON = ROOT / ".bench-venv" / "bin" / "python"
#: This checkout installed with its base dependencies only (``pip install .``, no extras), for the import rows:
#: the fair counterpart of the peer's own venv (no click/rich making httpx import its CLI, bytecode compiled
#: at install as for any installed package, no editable-install finder).
OURS_PYTHON = ROOT / ".bench-venv-ours" / "bin" / "python"
IMPORT_RUNS = 7
RUNS = 3

ALL = ("ours-sync", "ours-async", "peer", "raw")
#: (key, label, latency in seconds, tickets the search sees, implementations, unit)
WORKLOADS = [
    ("W1", "W1 2,000 single GETs, 0 ms, per call, sync", 0.0, 100, ("ours-sync", "peer", "raw"), "us"),
    ("W1a", "W1 2,000 single GETs, 0 ms, per call, async", 0.0, 100, ("ours-async", "peer", "raw"), "us"),
    ("W2", "W2 scan 2,000 tickets (20 pages), 2 ms, sync", 0.002, 2000, ("ours-sync", "peer", "raw"), "s"),
    ("W6", "W6 200 concurrent get_ticket, 20 ms, async", 0.020, 200, ("ours-async", "peer", "raw"), "s"),
    ("W3", "W3 ticket context, names known, 20 ms, per context", 0.020, 200, ALL, "ms"),
    ("W3c", "W3 cold context (+2 documents, 1-3 users; the peer fetches no names), 20 ms", 0.020, 200, ALL, "ms"),
    ("W4", "W4 task statistics over 200 tickets, 20 ms", 0.020, 200, ALL, "s"),
    ("W5", "W5 ticket statistics, 3-month window (2,000 of 10,000 tickets), 2 ms", 0.002, 10000, ALL, "s"),
    ("R10k", "10,000-ticket report (get_ticket_statistics), 20 ms", 0.020, 10000, ALL, "s"),
    ("R10k-serial", "the same report paging serially (concurrency=1)", 0.020, 10000, ("ours-sync", "ours-async"), "s"),
]
#: The W3 rows are also shown in latency rounds: per-context time over raw httpx's one round of five reads (W3).
ROUNDS = ("W3", "W3c")


def _python(impl: str) -> str:
    return str(PEER_PYTHON) if impl == "peer" else sys.executable


def _setup(base: str, latency: float, total: int) -> None:
    request = urllib.request.Request(f"{base}/bench/setup?seconds={latency}&total={total}", method="POST", data=b"")
    urllib.request.urlopen(request).read()


def _run(impl: str, key: str, base: str, total: int, *, python: Path | None = None) -> dict[str, object]:
    out = subprocess.run(
        [str(python or _python(impl)), str(HERE / "bench_runner.py"), impl, key, base, str(total)],
        check=True, capture_output=True, text=True, cwd="/",
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def refresh_ours_venv() -> None:
    """(Re)install this checkout into ``.bench-venv-ours``, creating it (base dependencies) on first use."""
    if not OURS_PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OURS_PYTHON.parent.parent)], check=True, capture_output=True)
        options = []
    else:  # the dependencies are there: only this checkout changed
        options = ["--no-deps", "--force-reinstall"]
    pip = [str(OURS_PYTHON), "-m", "pip", "install", "-q", *options, str(ROOT)]
    subprocess.run(pip, check=True, capture_output=True)


def import_ms(python: Path | str, statement: str) -> float:
    """One fresh interpreter's -X importtime of what ``statement`` imports, in ms.

    The sum of the cumulative times of the top-level imports the statement triggers: for ``import pkg``, the
    package's own cumulative time; for ``from pkg import Name``, also what ``pkg`` imports on first use (PEP 562).
    """
    err = subprocess.run(
        [str(python), "-X", "importtime", "-c", f"import sys; sys.stderr.write('-- start\\n'); {statement}"],
        check=True, capture_output=True, text=True, cwd="/",
    ).stderr  # fmt: skip
    rows = err.split("-- start\n", 1)[1].splitlines()
    top = [row.split("|") for row in rows if row.startswith("import time:")]
    return sum(int(cumulative) for _, cumulative, name in top if not name.startswith("  ")) / 1000


def cold_starts(base: str, peer: bool) -> tuple[dict[str, float], dict[str, object]]:
    """W7c (see bench_runner.cold_start), ours from ``.bench-venv-ours``, interleaved rounds: medians (s), digests."""
    pythons = {"ours-sync": OURS_PYTHON, "ours-async": OURS_PYTHON, "raw": OURS_PYTHON}
    if peer:
        pythons["peer"] = PEER_PYTHON
    results: dict[str, list[dict[str, object]]] = {impl: [] for impl in pythons}
    for _ in range(IMPORT_RUNS):
        for impl, python in pythons.items():
            results[impl].append(_run(impl, "W7c", base, 1, python=python))
    cells = {impl: statistics.median(float(r["seconds"]) for r in runs) for impl, runs in results.items()}  # type: ignore[arg-type]
    return cells, {impl: runs[0]["digest"] for impl, runs in results.items()}


def _fmt(seconds: float, unit: str) -> str:
    if unit == "ms":
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs" if unit == "us" else f"{seconds:.3f} s"


def main(argv: list[str] | None = None) -> None:
    """Print the table; ``--only W1,W1a,W6`` runs just those workloads (W1a: W1 async; W7: the import row)."""
    args = sys.argv[1:] if argv is None else argv
    only = set(args[args.index("--only") + 1].split(",")) if "--only" in args else None
    peer = PEER_PYTHON.exists()
    if not peer:
        print(f"(peer skipped: {PEER_PYTHON} missing; `make bench` installs it)")
    server = subprocess.Popen([sys.executable, str(HERE / "bench_server.py"), "--tickets", "10000"],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert server.stdout is not None
    base = f"http://127.0.0.1:{server.stdout.readline().strip()}"
    rows = []
    mismatches = []
    measured: dict[str, dict[str, float]] = {}
    want_imports = only is None or "W7" in only
    if want_imports:
        print("  installing this checkout into .bench-venv-ours (base dependencies only) for W7", flush=True)
        refresh_ours_venv()
    cold: dict[str, float] = {}
    measured_reports: dict[str, dict[str, float]] = {}
    raw_digests: dict[str, object] = {}
    memory: dict[str, dict[str, float]] = {}
    try:
        for key, label, latency, total, impls, unit in WORKLOADS:
            if only is not None and key not in only:
                continue
            _setup(base, latency, total)
            cells: dict[str, float] = {}
            digests: dict[str, object] = {}
            details: dict[str, object] = {}
            ran = [impl for impl in impls if impl != "peer" or peer]
            # Interleaved (ours, peer, raw, ours, ...): a burst of load on the shared machine hits every one alike.
            runs = [{impl: _run(impl, key, base, total) for impl in ran} for _ in range(RUNS)]
            for impl in ran:
                results = [run[impl] for run in runs]
                cells[impl] = statistics.median(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
                digests[impl] = results[0]["digest"]
                if results[0].get("detail") is not None:  # what only some implementations compute (W3 names)
                    details[impl] = results[0]["detail"]
            # A row without raw httpx (the serial report) is checked against its parallel row's raw digest.
            raw_digests[key] = digests.get("raw", raw_digests.get(key.removesuffix("-serial")))
            for impl, value in digests.items():
                if value != raw_digests[key]:
                    mismatches.append(f"{key} {impl}: {value} != raw {raw_digests[key]}")
            for impl, value in details.items():
                if value != details.get("raw"):
                    mismatches.append(f"{key} {impl} detail: {value} != raw {details.get('raw')}")
            rows.append((label, unit, cells))
            if key in ROUNDS:
                measured[key] = cells
            measured_reports[key] = cells
            print(f"  done {key}: " + ", ".join(f"{i} {_fmt(v, unit)}" for i, v in cells.items()), flush=True)
        if only is None or "M100k" in only:
            memory = _memory(base, peer, mismatches)
        if want_imports:
            _setup(base, 0.0, 100)
            cold, digests = cold_starts(base, peer)
            mismatches += [f"W7c {i}: {v} != raw {digests['raw']}" for i, v in digests.items() if v != digests["raw"]]
    finally:
        server.terminate()
        server.wait()
    imports = import_rows(peer) if want_imports else {}
    print()
    print(f"Medians of {RUNS} runs, each in a fresh interpreter; loopback fake GLPI 11 (scripts/bench_server.py).")
    print("Async rows (W1 async, W6) and W3, W4: raw httpx is httpx.AsyncClient and the peer its AsyncGlpiClient.")
    print()
    print("| workload | ours sync | ours async | peer 0.6.5 | raw httpx | ours / raw | ours / peer |")
    print("|---|---|---|---|---|---|---|")
    for label, unit, cells in rows:
        ours = min(v for k, v in cells.items() if k.startswith("ours"))
        raw, peer_value = cells.get("raw"), cells.get("peer")
        row = [label] + [
            _fmt(cells[k], unit) if k in cells else "-" for k in ("ours-sync", "ours-async", "peer", "raw")
        ]
        row.append(f"{ours / raw:.2f}x" if raw else "-")
        row.append(f"{ours / peer_value:.2f}x" if peer_value else "-")
        print("| " + " | ".join(row) + " |")
    if imports:
        _print_imports(imports, cold)
    _print_rounds(measured)
    _print_parallel(measured_reports)
    _print_memory(memory)
    print()
    if mismatches:
        print("RESULT MISMATCH vs raw httpx:\n  " + "\n  ".join(mismatches))
    else:
        print(
            "Every implementation read the same tickets as raw httpx on every workload (digests equal; the names"
            " of W3 and W4's per-technician sums compared between ours and raw: the peer computes neither)."
        )


def _print_rounds(measured: dict[str, dict[str, float]]) -> None:
    """W3 in latency rounds: one round is what raw httpx took for the five concurrent reads (W3, names known)."""
    one = measured.get("W3", {}).get("raw")
    if not one:
        return
    print()
    for key, cells in measured.items():
        shown = ", ".join(f"{impl} {value / one:.2f}" for impl, value in cells.items())
        print(f"{key} in rounds (per context / raw httpx's one round of five reads, {one * 1e3:.1f} ms): {shown}")


#: The import rows: (key, label, statement for ours and the peer); raw httpx is ``import httpx`` in the same venv.
IMPORTS = [
    ("import", "W7 `import glpi_python_client` (-X importtime, median of 7)", "import glpi_python_client"),
    ("names", "W7 `from glpi_python_client import GlpiClient` (idem)", "from glpi_python_client import GlpiClient"),
]


def import_rows(peer: bool) -> dict[str, float]:
    """Medians (ms) per row key and venv: ours and httpx in ``.bench-venv-ours``, the peer in its venv, the dev venv.

    The measurements are interleaved (one of each per round, ``IMPORT_RUNS`` rounds), so a load that comes and
    goes on a shared machine weighs on all of them alike.
    """
    cases = {"raw": (OURS_PYTHON, "import httpx"), "raw dev": (sys.executable, "import httpx")}
    for key, _, statement in IMPORTS:
        cases[f"{key} ours"] = (OURS_PYTHON, statement)
        if peer:
            cases[f"{key} peer"] = (PEER_PYTHON, statement)
        cases[f"{key} dev"] = (sys.executable, statement)
    samples: dict[str, list[float]] = {case: [] for case in cases}
    for _ in range(IMPORT_RUNS):
        for case, (python, statement) in cases.items():
            samples[case].append(import_ms(python, statement))
    return {case: statistics.median(values) for case, values in samples.items()}


def _print_imports(imports: dict[str, float], cold: dict[str, float]) -> None:
    """The W7 rows: each statement in the base-dependency venvs (ours, the peer), then in the dev venv."""
    raw, raw_dev = imports["raw"], imports["raw dev"]

    def ratio(value: float, base: float | None) -> str:
        return f"{value / base:.2f}x" if base else "-"

    for key, label, _ in IMPORTS:
        ours, peer = imports[f"{key} ours"], imports.get(f"{key} peer")
        print(f"| {label} | {ours:.0f} ms | - | {f'{peer:.0f} ms' if peer else '-'} | httpx alone {raw:.0f} ms"
              f" | {ratio(ours, raw)} | {ratio(ours, peer)} |")  # fmt: skip
    if cold:
        label = "W7 cold start: import + client + token + first get_ticket, 0 ms (wall, median of 7)"
        ours = min(cold["ours-sync"], cold["ours-async"])
        cells = [f"{cold[k] * 1e3:.0f} ms" if k in cold else "-" for k in ("ours-sync", "ours-async", "peer", "raw")]
        print(f"| {label} | {' | '.join(cells)} | {ratio(ours, cold['raw'])} | {ratio(ours, cold.get('peer'))} |")
    for key, label, _ in IMPORTS:
        dev = imports[f"{key} dev"]
        print(f"| {label.split(' (')[0]}, dev venv | {dev:.0f} ms | - | - | httpx alone {raw_dev:.0f} ms"
              f" | {ratio(dev, raw_dev)} | - |")  # fmt: skip
    print(
        "W7: ours and httpx alone in .bench-venv-ours (this checkout, `pip install .`, base dependencies only), the"
        " peer in .bench-venv (its own dependencies): the comparable pair. Dev venv: the editable install with every"
        " extra, where httpx also imports its CLI (click, rich) and, with PYTHONDONTWRITEBYTECODE set, our modules"
        " are compiled on every import."
    )


def _memory(base: str, peer: bool, mismatches: list[str]) -> dict[str, dict[str, float]]:
    """M100k: each implementation iterates 100,000 tickets (0 ms) once; the growth of its peak RSS."""
    _setup(base, 0.0, 100_000)
    out: dict[str, dict[str, float]] = {}
    digests: dict[str, object] = {}
    for impl in ("ours-sync", "ours-async", "peer", "raw"):
        if impl == "peer" and not peer:
            continue
        result = _run(impl, "M100k", base, 100_000)
        out[impl] = result["memory"]  # type: ignore[assignment]
        digests[impl] = result["digest"]
        print(f"  done M100k {impl}: {out[impl]}", flush=True)
    mismatches.extend(f"M100k {i}: {d} != raw {digests['raw']}" for i, d in digests.items() if d != digests["raw"])
    return out


def _print_parallel(cells: dict[str, dict[str, float]]) -> None:
    """Parallel vs serial paging of the same 10,000-ticket report (goal: at least 5x)."""
    parallel, serial = cells.get("R10k", {}), cells.get("R10k-serial", {})
    shown = [
        f"{impl} {serial[impl] / parallel[impl]:.1f}x"
        for impl in ("ours-sync", "ours-async")
        if impl in parallel and impl in serial
    ]
    if shown:
        print(f"| R10k parallel paging vs serial (concurrency=1), same report | {' | '.join(shown)} | | | | |")


def _print_memory(memory: dict[str, dict[str, float]]) -> None:
    if not memory:
        return
    cells = [f"{m['early_mb']:.1f} / {m['peak_mb']:.1f} MB" if m else "-" for m in
             (memory.get(i, {}) for i in ("ours-sync", "ours-async", "peer", "raw"))]  # fmt: skip
    print("| M100k iterate 100,000 tickets (1,000 pages), peak RSS growth after 10,000 / 100,000 | "
          + " | ".join(cells) + " | | |")  # fmt: skip


if __name__ == "__main__":
    main()
