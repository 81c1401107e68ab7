"""The side-by-side table of ``make bench``: ours (both clients), raw httpx and the peer 0.6.5.

Starts scripts/bench_server.py in its own process, then runs every (workload, implementation) pair
three times in a fresh interpreter (scripts/bench_runner.py; the peer with ``.bench-venv/bin/python``),
takes medians, checks every implementation's digest against raw httpx's, and prints one table.
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
RUNS = 3

ALL = ("ours-sync", "ours-async", "peer", "raw")
#: (key, label, latency in seconds, tickets the search sees, implementations, unit)
WORKLOADS = [
    ("W1", "W1 2,000 single GETs, 0 ms, per call, sync", 0.0, 100, ("ours-sync", "peer", "raw"), "us"),
    ("W1a", "W1 2,000 single GETs, 0 ms, per call, async", 0.0, 100, ("ours-async", "peer", "raw"), "us"),
    ("W2", "W2 scan 2,000 tickets (20 pages), 2 ms, sync", 0.002, 2000, ("ours-sync", "peer", "raw"), "s"),
    ("W6", "W6 200 concurrent get_ticket, 20 ms, async", 0.020, 200, ("ours-async", "peer", "raw"), "s"),
    ("R10k", "10,000-ticket scan (100 pages), 20 ms, sync", 0.020, 10000, ("ours-sync", "peer", "raw"), "s"),
    ("W3", "W3 ticket context, names known, 20 ms, per context", 0.020, 200, ALL, "ms"),
    ("W3c", "W3 cold ticket context (+2 documents, 1-3 users), 20 ms", 0.020, 200, ALL, "ms"),
    ("W4", "W4 task statistics over 200 tickets, 20 ms", 0.020, 200, ALL, "s"),
]
#: The W3 rows are also shown in latency rounds: per-context time over raw httpx's one round of five reads (W3).
ROUNDS = ("W3", "W3c")


def _python(impl: str) -> str:
    return str(PEER_PYTHON) if impl == "peer" else sys.executable


def _setup(base: str, latency: float, total: int) -> None:
    request = urllib.request.Request(f"{base}/bench/setup?seconds={latency}&total={total}", method="POST", data=b"")
    urllib.request.urlopen(request).read()


def _run(impl: str, key: str, base: str, total: int) -> dict[str, object]:
    out = subprocess.run(
        [_python(impl), str(HERE / "bench_runner.py"), impl, key, base, str(total)],
        check=True, capture_output=True, text=True, cwd="/",
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def import_ms(impl: str) -> float:
    """Median over 7 fresh interpreters of the cumulative -X importtime of the top-level package."""
    module = "httpx" if impl == "raw" else "glpi_python_client"
    runs = []
    for _ in range(7):
        err = subprocess.run(
            [_python(impl), "-X", "importtime", "-c", f"import {module}"],
            check=True, capture_output=True, text=True, cwd="/",
        ).stderr  # fmt: skip
        line = [row for row in err.splitlines() if row.rstrip().endswith(f"| {module}")][-1]
        runs.append(int(line.split("|")[1]) / 1000)
    return statistics.median(runs)


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
    try:
        for key, label, latency, total, impls, unit in WORKLOADS:
            if only is not None and key not in only:
                continue
            _setup(base, latency, total)
            cells: dict[str, float] = {}
            digests: dict[str, object] = {}
            details: dict[str, object] = {}
            for impl in impls:
                if impl == "peer" and not peer:
                    continue
                results = [_run(impl, key, base, total) for _ in range(RUNS)]
                cells[impl] = statistics.median(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
                digests[impl] = results[0]["digest"]
                if results[0].get("detail") is not None:  # what only some implementations compute (W3 names)
                    details[impl] = results[0]["detail"]
            for impl, value in digests.items():
                if value != digests.get("raw"):
                    mismatches.append(f"{key} {impl}: {value} != raw {digests.get('raw')}")
            for impl, value in details.items():
                if value != details.get("raw"):
                    mismatches.append(f"{key} {impl} detail: {value} != raw {details.get('raw')}")
            rows.append((label, unit, cells))
            if key in ROUNDS:
                measured[key] = cells
            print(f"  done {key}: " + ", ".join(f"{i} {_fmt(v, unit)}" for i, v in cells.items()), flush=True)
    finally:
        server.terminate()
        server.wait()
    want_imports = only is None or "W7" in only
    imports = {
        impl: import_ms(impl) for impl in ("ours-sync", "peer", "raw") if want_imports and (impl != "peer" or peer)
    }
    print()
    print(f"Medians of {RUNS} runs, each in a fresh interpreter; loopback fake GLPI 11 (scripts/bench_server.py).")
    print("Async rows (W1 async, W6): raw httpx is httpx.AsyncClient and the peer its AsyncGlpiClient.")
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
        _print_imports(imports)
    _print_rounds(measured)
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


def _print_imports(imports: dict[str, float]) -> None:
    ours_imp, raw_imp, peer_imp = imports["ours-sync"], imports["raw"], imports.get("peer")
    print(f"| W7 import (-X importtime, median of 7) | {ours_imp:.0f} ms | - | "
          f"{f'{peer_imp:.0f} ms' if peer_imp else '-'} | httpx alone {raw_imp:.0f} ms | {ours_imp / raw_imp:.2f}x |"
          f" {f'{ours_imp / peer_imp:.2f}x' if peer_imp else '-'} |")  # fmt: skip


if __name__ == "__main__":
    main()
