"""``make soak``: thousands of mixed operations through a fault-injecting proxy, on both clients.

Prints, per client, the faults injected by kind, the operations by outcome and every invariant (see
``tests/chaos_soak.py``); exits 1 when one fails. Options: ``--operations``, ``--rate``, ``--seed``,
``--concurrency``, ``--modes sync,async``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from chaos_soak import main

if __name__ == "__main__":
    raise SystemExit(main())
