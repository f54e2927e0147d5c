"""Sync in a team: each account is pulled by one console at a time, whichever machine it runs
on and whatever that machine's clock says; a pull that lost its lease stores nothing more."""

from __future__ import annotations

import itertools
import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cm_console.connectors.base import AccountConfig, ConnectorContext
from cm_console.domain.model import PlatformKind
from cm_console.store import Database, Store
from cm_console.sync.pull import LEASE_TTL, Puller, SyncBusy
from tests.helpers import team_platform
from tests.helpers.fixtures import NOW
from tests.helpers.postgres import PostgresServer


def add_slow_account(store: Store, log: Path) -> None:
    store.accounts.add(
        name="acme",
        platform="slowtest",
        platform_kind=PlatformKind.FORUM,
        url=None,
        username=None,
        options={"log": str(log)},
        now=NOW,
    )


@pytest.mark.postgres
@pytest.mark.slow
def test_consoles_on_machines_with_skewed_clocks_never_pull_an_account_at_once(
    pg_server: PostgresServer, pg_template: str, tmp_path: Path
) -> None:
    url = pg_server.database(template=pg_template)
    log = tmp_path / "pulls.log"
    store = Store(Database(url))
    add_slow_account(store, log)
    store.close()
    # Three "machines": one two hours behind, one on time, one two hours ahead. With leases on
    # each machine's own clock, the one ahead would think every lease had long expired.
    skews = [-2.0, 0.0, 2.0]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(len(skews)) as pool:
        jobs = [
            pool.apply_async(team_platform.sync_in_process, (url, str(tmp_path / f"m{n}"), skew, 4))
            for n, skew in enumerate(skews)
        ]
        outcomes = [o for job in jobs for o in job.get(timeout=240)]
    pulls = team_platform.intervals(log)
    assert outcomes.count("ok") == len(pulls) >= 2
    assert set(outcomes) <= {"ok", "busy"}
    for (pid_a, _began_a, ended_a), (pid_b, began_b, _ended_b) in itertools.pairwise(pulls):
        assert began_b >= ended_a, f"{pid_a} and {pid_b} pulled the account at the same time"
    store = Store(Database(url))
    (status,) = store.sync_state.status(datetime.now(UTC))
    assert not status.running and status.last_error is None
    store.close()
    pg_server.drop(url)


class SteppingClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_a_pull_that_lost_its_lease_stops_before_the_next_page(
    store: Store, tmp_path: Path
) -> None:
    add_slow_account(store, tmp_path / "pulls.log")
    account = store.accounts.get("acme")
    assert account is not None
    lease_clock = SteppingClock(NOW)
    puller = Puller(store, lambda: NOW, lease_clock=lease_clock)
    connector = team_platform.SlowPlatform(
        AccountConfig(name="acme", options={"log": str(tmp_path / "pulls.log")}),
        ConnectorContext(clock=lambda: NOW),
    )
    pages = iter(connector.fetch({}))

    class Stalling:
        """The platform stalls after the first page, longer than the lease."""

        info = connector.info

        def whoami(self):  # type: ignore[no-untyped-def]
            return connector.whoami()

        def fetch(self, _cursors):  # type: ignore[no-untyped-def]
            yield next(pages)
            lease_clock.now = NOW + LEASE_TTL + timedelta(seconds=1)
            assert store.sync_state.acquire(account.id, "cron:other", lease_clock.now, LEASE_TTL), (
                "the stalled pull's lease expired: another console takes over"
            )
            yield next(pages)

    with pytest.raises(SyncBusy, match="took over"):
        puller.pull(account, Stalling(), holder="window:1")  # type: ignore[arg-type]
    assert store.sync_state.cursors(account.id)["*"] == {"n": 1}, "the second page was not stored"
    (status,) = store.sync_state.status(lease_clock.now)
    assert status.running, "the console that took over keeps its lease"
