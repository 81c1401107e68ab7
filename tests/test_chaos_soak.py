"""The short chaos soak (see ``chaos_soak.py``; ``make soak`` runs the long one): both clients, seeded.

A few hundred mixed operations per client through the fault proxy, faults on about a fifth of the requests,
every invariant checked against the simulator's own record. Durations are bounded loosely (the bound is
computed from the timeout, the attempts and the backoff), so the test does not depend on the machine's speed.
"""

from __future__ import annotations

import pytest
from chaos_soak import SoakConfig, run_client, table

SHORT = SoakConfig(
    operations=160,
    rate=0.2,
    seed=20261201,
    timeout=0.5,
    stall=0.8,
    retry_after="0",
    backoff_initial=0.005,
    backoff_max=0.05,
    lifetime=300.0,
)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_short_soak_keeps_every_promise(mode: str) -> None:
    report = run_client(SHORT, mode, SHORT.seed)
    print(table(report))
    assert sum(report.operations.values()) == SHORT.operations
    assert sum(report.faults.values()) >= 0.1 * report.requests  # faults on at least a tenth of the requests
    assert len(report.faults) >= 8  # a mix of kinds, not one
    assert report.violations == []
