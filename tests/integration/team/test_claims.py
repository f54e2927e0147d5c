"""Claims: a thread someone is replying to is theirs until their lease runs out.

The single-console behaviour runs on both engines; the races run many consoles at once, as
threads and as processes, against the real PostgreSQL server (and SQLite, where one machine's
processes share a file).
"""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from cm_console.domain.rules import TriageStatus
from cm_console.store import Database, Store, StoreError
from cm_console.store.team import ClaimInfo, Lease
from tests.helpers.claim_race import Event, Plan, check, run_worker
from tests.helpers.fixtures import NOW
from tests.integration.team.helpers import open_threads

MINUTE = timedelta(minutes=1)


def users(store: Store) -> tuple[int, int]:
    return store.users.ensure("anouk", NOW).id, store.users.ensure("bram", NOW).id


class TestOneConsoleAtATime:
    def test_a_claimed_thread_shows_who_holds_it(self, store: Store) -> None:
        (tid,) = open_threads(store, 1)
        anouk, bram = users(store)
        lease = store.claims.claim(tid, holder="anouk-laptop", user_id=anouk, ttl=MINUTE)
        assert isinstance(lease, Lease) and lease.lease_no == 1
        theirs = store.claims.claim(tid, holder="bram-pc", user_id=bram, ttl=MINUTE)
        assert isinstance(theirs, ClaimInfo)
        assert (theirs.user_name, theirs.holder, theirs.lease_no) == ("anouk", "anouk-laptop", 1)
        assert store.claims.live([tid])[tid].user_name == "anouk"

    def test_claiming_again_renews_the_same_lease(self, store: Store) -> None:
        (tid,) = open_threads(store, 1)
        anouk, _ = users(store)
        first = store.claims.claim(tid, holder="a", user_id=anouk, ttl=MINUTE)
        again = store.claims.claim(tid, holder="a", user_id=anouk, ttl=2 * MINUTE)
        assert isinstance(first, Lease) and isinstance(again, Lease)
        assert again.lease_no == first.lease_no and again.claimed_at == first.claimed_at
        assert again.expires_at > first.expires_at

    def test_an_expired_lease_is_reclaimable_and_the_old_holder_cannot_finish(
        self, store: Store
    ) -> None:
        (tid,) = open_threads(store, 1)
        anouk, bram = users(store)
        old = store.claims.claim(tid, holder="a", user_id=anouk, ttl=timedelta(milliseconds=50))
        assert isinstance(old, Lease)
        time.sleep(0.08)
        assert store.claims.live([tid]) == {}, "an expired claim is nobody's"
        new = store.claims.claim(tid, holder="b", user_id=bram, ttl=MINUTE)
        assert isinstance(new, Lease) and new.lease_no == 2
        assert store.claims.renew(old, MINUTE) is None
        assert not store.claims.release(old)
        assert not store.claims.finish(old, now=NOW), "work under a lost lease is refused"
        assert store.triage.record(tid).status is TriageStatus.OPEN
        assert store.claims.finish(new, now=NOW)
        assert store.triage.record(tid).status is TriageStatus.DONE

    def test_an_expired_lease_nobody_took_can_still_be_renewed(self, store: Store) -> None:
        (tid,) = open_threads(store, 1)
        anouk, _ = users(store)
        lease = store.claims.claim(tid, holder="a", user_id=anouk, ttl=timedelta(milliseconds=30))
        assert isinstance(lease, Lease)
        time.sleep(0.05)
        renewed = store.claims.renew(lease, MINUTE)
        assert renewed is not None and renewed.lease_no == lease.lease_no
        assert store.claims.live([tid])[tid].holder == "a"

    def test_release_hands_the_thread_back(self, store: Store) -> None:
        (tid,) = open_threads(store, 1)
        anouk, bram = users(store)
        lease = store.claims.claim(tid, holder="a", user_id=anouk, ttl=MINUTE)
        assert isinstance(lease, Lease)
        assert store.claims.release(lease)
        assert store.claims.live() == {}
        theirs = store.claims.claim(tid, holder="b", user_id=bram, ttl=MINUTE)
        assert isinstance(theirs, Lease) and theirs.lease_no == 2

    def test_claim_next_takes_the_first_free_open_thread_in_queue_order(self, store: Store) -> None:
        ids = open_threads(store, 4)
        anouk, bram = users(store)
        order = [ids[2], ids[0], ids[3], ids[1]]
        store.triage.set_status([ids[0]], TriageStatus.DONE, now=NOW, user_id=bram)
        held = store.claims.claim(ids[2], holder="b", user_id=bram, ttl=MINUTE)
        assert isinstance(held, Lease)
        taken = [
            store.claims.claim_next(order, holder="a", user_id=anouk, ttl=MINUTE) for _ in range(3)
        ]
        assert [lease.thread_id if lease else None for lease in taken] == [ids[3], ids[1], None]

    def test_release_all_when_a_console_closes(self, store: Store) -> None:
        ids = open_threads(store, 3)
        anouk, _ = users(store)
        for tid in ids:
            store.claims.claim(tid, holder="a", user_id=anouk, ttl=MINUTE)
        assert store.claims.release_all("a") == 3
        assert store.claims.live() == {}

    def test_a_claim_for_an_unknown_thread_fails(self, store: Store) -> None:
        open_threads(store, 1)
        with pytest.raises(StoreError, match="no thread"):
            store.claims.claim(999_999, holder="a", user_id=None, ttl=MINUTE)


# --- races ------------------------------------------------------------------------------------

RACE = Plan(ttl_ms=(30, 150), work_ms=(0, 50), abandon=0.12, deadline_s=150)


def assert_clean(events: list[Event], ids: list[int], url: str) -> None:
    store = Store(Database(url))
    try:
        verdict = check(events, ids, store)
    finally:
        store.close()
    assert verdict.violations == []
    assert verdict.double_claims == 0
    assert verdict.finishes == len(ids)
    # The race really exercised the lease: workers died and others took over their threads.
    assert verdict.abandoned > 0 and verdict.reclaimed > 0


@pytest.mark.postgres
@pytest.mark.slow
def test_eight_threads_claim_sixty_threads_each_exactly_once(
    pg_server, pg_template, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.database(template=pg_template)
    store = Store(Database(url))
    ids = open_threads(store, 60)
    store.close()
    with ThreadPoolExecutor(8) as pool:
        futures = [
            pool.submit(run_worker, url, ids, f"console-{n}", 100 + n, RACE) for n in range(8)
        ]
        events = [ev for f in futures for ev in f.result()]
    assert_clean(events, ids, url)
    pg_server.drop(url)


def _race_in_processes(url: str, ids: list[int], workers: int) -> list[Event]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers) as pool:
        results = [
            pool.apply_async(run_worker, (url, ids, f"process-{n}", 200 + n, RACE))
            for n in range(workers)
        ]
        return [ev for r in results for ev in r.get(timeout=RACE.deadline_s + 60)]


@pytest.mark.postgres
@pytest.mark.slow
def test_four_processes_claim_forty_threads_each_exactly_once(pg_server, pg_template) -> None:  # type: ignore[no-untyped-def]
    url = pg_server.database(template=pg_template)
    store = Store(Database(url))
    ids = open_threads(store, 40)
    store.close()
    assert_clean(_race_in_processes(url, ids, 4), ids, url)
    pg_server.drop(url)


@pytest.mark.slow
def test_processes_on_one_machine_share_an_embedded_database(
    sqlite_store: Store,
) -> None:
    ids = open_threads(sqlite_store, 25)
    url = str(sqlite_store.db.url)
    sqlite_store.close()
    assert_clean(_race_in_processes(url, ids, 3), ids, url)
