"""kill -9 at random moments: nothing acknowledged is lost, nothing is sent twice.

A child process (:mod:`tests.integration.sync.kill9_child`) saves drafts, queues replies,
ingests pages and drains the outbox against a real SQLite file and the fake Mattermost behind
the fault proxy; it is SIGKILLed at random moments, some while the proxy holds the answer to a
send. After every kill: integrity_check, every acknowledged write, no row left in ``sending``,
at most one server copy per reply (:mod:`tests.helpers.faultserver_kill9`). CI size: 30 kills,
a third of them mid-send; ``tests.perf.bench_outbox --kills`` runs the full size.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.faultserver_kill9 import Kill9

KILLS = int(os.environ.get("CMC_KILL9_KILLS", "30"))


@pytest.mark.timeout(600)
def test_kill9_loses_nothing_acknowledged_and_doubles_nothing(tmp_path: Path) -> None:
    harness = Kill9(tmp_path, seed=9)
    try:
        for i in range(KILLS):
            harness.kill_once(mid_send=i % 3 == 0)
        harness.heal()
    finally:
        harness.close()
    c = harness.figures.counts
    assert c["kills"] == KILLS
    assert c["integrity_check ok"] == KILLS
    assert c["kills mid-send"] >= KILLS // 5, "the proxy held some sends when they were killed"
    assert c["acked replies"] > 0 and c["acked drafts"] > 0 and c["acked pages"] > 0
    assert c["lost"] == 0
    assert c["duplicated"] == 0
    assert c["still pending"] == 0
