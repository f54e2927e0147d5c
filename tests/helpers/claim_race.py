"""Workers racing to claim and finish threads, and the checks that no thread was handled twice.

Each worker is a console: it claims the next open thread with a random lease, and then either
finishes it in time (the thread becomes done under its lease), works too long (the lease runs
out and the finish is refused), or dies (the lease is left to expire). Every event is recorded
with the database's own times, so the checks compare instants on one clock.

Used by ``tests/integration/team/test_claims.py`` (threads and processes) and by
``tests/perf/bench_claims.py``.
"""

from __future__ import annotations

import itertools
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from cm_console.store import Database, Store
from cm_console.store import schema as s
from cm_console.store.convert import to_ms


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a worker did. ``kind``: grant, finish, late (finish refused), abandon."""

    kind: str
    worker: str
    thread_id: int
    lease_no: int
    claimed_at: int
    expires_at: int
    latency_ms: float = 0.0


@dataclass(frozen=True, slots=True)
class Plan:
    """How a race goes: lease lengths, work times and how often a worker dies mid-way."""

    ttl_ms: tuple[int, int] = (40, 200)
    work_ms: tuple[int, int] = (0, 60)
    abandon: float = 0.1
    deadline_s: float = 120.0


def run_worker(url: str, ids: Sequence[int], name: str, seed: int, plan: Plan) -> list[Event]:
    """Claim and finish until every thread of ``ids`` is done (or the deadline passes)."""
    store = Store(Database(url))
    try:
        user = store.users.ensure(name, datetime.now(UTC))
        rng = random.Random(seed)
        events: list[Event] = []
        stop = time.monotonic() + plan.deadline_s
        while time.monotonic() < stop:
            ttl = timedelta(milliseconds=rng.randint(*plan.ttl_ms))
            started = time.perf_counter()
            lease = store.claims.claim_next(ids, holder=name, user_id=user.id, ttl=ttl)
            latency = (time.perf_counter() - started) * 1000
            if lease is None:
                if done_count(store, ids) == len(ids):
                    break
                time.sleep(rng.uniform(0.002, 0.02))  # leases still live elsewhere
                continue
            claimed, expires = to_ms(lease.claimed_at), to_ms(lease.expires_at)
            events.append(
                Event("grant", name, lease.thread_id, lease.lease_no, claimed, expires, latency)
            )
            if rng.random() < plan.abandon:
                events.append(
                    Event("abandon", name, lease.thread_id, lease.lease_no, claimed, expires)
                )
                continue
            time.sleep(rng.randint(*plan.work_ms) / 1000)
            finished = store.claims.finish(lease, now=datetime.now(UTC))
            kind = "finish" if finished else "late"
            events.append(Event(kind, name, lease.thread_id, lease.lease_no, claimed, expires))
        return events
    finally:
        store.close()


def done_count(store: Store, ids: Sequence[int]) -> int:
    tr = s.triage.c
    with store.db.read() as conn:
        return int(
            conn.execute(
                select(func.count()).where(tr.thread_id.in_(list(ids)), tr.status == "done")
            ).scalar_one()
        )


@dataclass(slots=True)
class Verdict:
    """What a race shows: counts, and every violation found (none expected)."""

    grants: int = 0
    finishes: int = 0
    late: int = 0
    abandoned: int = 0
    reclaimed: int = 0
    double_claims: int = 0
    violations: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


def check(events: Sequence[Event], ids: Sequence[int], store: Store) -> Verdict:
    """Every thread finished exactly once, under a lease nobody else held at the time."""
    verdict = Verdict()
    grants: dict[int, dict[int, Event]] = defaultdict(dict)
    outcome: dict[tuple[int, int], Event] = {}
    for ev in events:
        if ev.kind == "grant":
            verdict.grants += 1
            verdict.latencies_ms.append(ev.latency_ms)
            if ev.lease_no in grants[ev.thread_id]:
                verdict.double_claims += 1
                verdict.violations.append(f"lease {ev.thread_id}#{ev.lease_no} granted twice")
            grants[ev.thread_id][ev.lease_no] = ev
        else:
            outcome[(ev.thread_id, ev.lease_no)] = ev
            verdict.finishes += ev.kind == "finish"
            verdict.late += ev.kind == "late"
            verdict.abandoned += ev.kind == "abandon"
    for tid in ids:
        leases = grants.get(tid, {})
        numbers = sorted(leases)
        if numbers != list(range(1, len(numbers) + 1)):
            verdict.violations.append(f"thread {tid}: lease numbers {numbers}")
        finished = [
            n
            for n in numbers
            if outcome.get((tid, n)) is not None and outcome[(tid, n)].kind == "finish"
        ]
        if len(finished) != 1:
            verdict.violations.append(f"thread {tid} finished {len(finished)} times")
        elif finished[0] != numbers[-1]:
            verdict.violations.append(f"thread {tid} was claimed again after it was finished")
        verdict.reclaimed += max(0, len(numbers) - 1)
        for before, after in itertools.pairwise(numbers):
            prev, nxt = leases[before], leases[after]
            # A later lease starts only once the earlier one expired (it was never released:
            # only a finish releases, and a finished thread is not claimed again).
            if nxt.claimed_at < prev.expires_at:
                verdict.double_claims += 1
                verdict.violations.append(
                    f"thread {tid}: lease {after} began {prev.expires_at - nxt.claimed_at} ms "
                    f"before lease {before} ended"
                )
    audited = audit_done(store, ids)
    for tid in ids:
        if audited.get(tid) != 1:
            verdict.violations.append(f"thread {tid}: {audited.get(tid, 0)} 'done' audit entries")
    return verdict


def audit_done(store: Store, ids: Sequence[int]) -> dict[int, int]:
    a = s.audit_log.c
    with store.db.read() as conn:
        rows = conn.execute(
            select(a.thread_id, func.count())
            .where(a.action == "status", a.thread_id.in_(list(ids)))
            .group_by(a.thread_id)
        )
        return {int(r[0]): int(r[1]) for r in rows}


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]
