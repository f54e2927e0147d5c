"""Team-mode claims under load: N consoles (processes) race for M open threads, R times.

Run with ``python -m tests.perf.bench_claims [--workers 8] [--items 500] [--runs 50]``. It starts
a private PostgreSQL server (as the tests do), and for every run clones a migrated database,
adds M unanswered threads and lets N worker processes claim them with ``claim_next`` (random
leases of 50–300 ms), finish them under their lease, or die holding one (5 %: the lease must
expire and another worker take over). Each run is checked like the tests check it
(:func:`tests.helpers.claim_race.check`): every thread finished exactly once, lease numbers
without gaps, no lease granted while an earlier one on the same thread was live.

It prints numbers; it is not a pass/fail test (it exits 1 only if a run shows a violation).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time

from cm_console.store import Database, Store
from tests.helpers.claim_race import Event, Plan, Verdict, check, percentile, run_worker
from tests.helpers.postgres import PostgresServer, running_server
from tests.integration.team.helpers import open_threads

PLAN = Plan(ttl_ms=(50, 300), work_ms=(0, 20), abandon=0.05, deadline_s=600)


def one_run(
    server: PostgresServer, template: str, pool: object, workers: int, items: int, run: int
) -> tuple[Verdict, float]:
    url = server.database(template=template)
    try:
        store = Store(Database(url))
        ids = open_threads(store, items)
        store.close()
        started = time.perf_counter()
        jobs = [
            pool.apply_async(  # type: ignore[attr-defined]
                run_worker, (url, ids, f"console-{n}", run * 1000 + n, PLAN)
            )
            for n in range(workers)
        ]
        events: list[Event] = [ev for job in jobs for ev in job.get(timeout=PLAN.deadline_s)]
        elapsed = time.perf_counter() - started
        store = Store(Database(url))
        try:
            return check(events, ids, store), elapsed
        finally:
            store.close()
    finally:
        server.drop(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    totals = Verdict()
    seconds = 0.0
    bad_runs = 0
    with running_server() as server:
        template_url = server.database()
        db = Database(template_url)
        db.upgrade()
        db.dispose()
        template = template_url.rsplit("/", 1)[1]
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(args.workers) as pool:
            for run in range(args.runs):
                verdict, elapsed = one_run(server, template, pool, args.workers, args.items, run)
                seconds += elapsed
                for name in ("grants", "finishes", "late", "abandoned", "reclaimed"):
                    setattr(totals, name, getattr(totals, name) + getattr(verdict, name))
                totals.double_claims += verdict.double_claims
                totals.latencies_ms.extend(verdict.latencies_ms)
                totals.violations.extend(verdict.violations)
                bad_runs += bool(verdict.violations)
                print(
                    f"run {run + 1:>3}/{args.runs}: {verdict.finishes} finished, "
                    f"{verdict.reclaimed} reclaimed, {verdict.double_claims} double claims, "
                    f"{len(verdict.violations)} violations, {elapsed:.1f} s",
                    flush=True,
                )
    lat = totals.latencies_ms
    print()
    print(f"{args.workers} workers x {args.items} threads x {args.runs} runs (PostgreSQL)")
    print(f"claims granted:        {totals.grants}")
    print(f"threads finished:      {totals.finishes} (expected {args.items * args.runs})")
    print(f"leases abandoned:      {totals.abandoned}")
    print(f"finishes refused late: {totals.late}")
    print(f"threads reclaimed:     {totals.reclaimed}")
    print(f"double claims:         {totals.double_claims}")
    print(f"violations:            {len(totals.violations)} in {bad_runs} runs")
    print(
        f"claim latency (ms):    p50 {percentile(lat, 0.5):.2f}  p95 {percentile(lat, 0.95):.2f}"
        f"  p99 {percentile(lat, 0.99):.2f}  max {max(lat, default=0):.2f}"
    )
    print(f"throughput:            {totals.grants / seconds:.0f} claims/s over {seconds:.0f} s")
    for violation in totals.violations[:20]:
        print("  !", violation)
    return 1 if totals.violations else 0


if __name__ == "__main__":
    sys.exit(main())
