"""Insights cost: every dialogue-health metric over a year of a 1M-post workspace, and the
dashboard's first paint.

Run with ``python -m tests.perf.bench_metrics [--posts N] [--db PATH] [--runs N]``. A compact
generator below writes a synthetic workspace straight into a migrated SQLite database (threads
with their per-thread facts, posts, people, communities), once; later runs reuse the file. Then:

- ``report``: :meth:`InsightsService.report` for the whole year, per week and per month, and for
  the last four weeks, one account, one community (median of ``--runs`` after a warm-up run);
- the SQL and Python parts of one report separately;
- the dashboard in a fresh process (offscreen): page shown, and the time until the first report
  and its charts are painted (pyqtgraph imported in the background meanwhile).

It prints numbers; it is not a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
YEAR = timedelta(days=365)
HOUR_MS = 3_600_000
COMMUNITIES = 60
PEOPLE = 20_000
TEAM = 12
RESPONDERS = 2_500
"""The people who answer; a Zipf-like weighting makes a few of them answer most."""
BEFORE_ROLLUPS = "0007"
"""The generator writes posts at this schema; the upgrade after it backfills the roll-ups."""


def _ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def generate(path: Path, posts_wanted: int, seed: int = 42) -> tuple[int, int]:
    """Write a year of threads and posts into a migrated database at ``path``.

    The rows go in at schema 0007 and the upgrade to the newest revision follows, so the
    insights' roll-ups are backfilled from the posts as on a user's upgrade (timed).
    """
    from cm_console.store import Database

    db = Database(f"sqlite:///{path}")
    db.upgrade(BEFORE_ROLLUPS)
    db.dispose()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA journal_mode=WAL")
    now_ms = _ms(NOW)
    options = {"timezone": "Europe/Amsterdam", "team": ",".join(f"t{i}" for i in range(TEAM))}
    con.execute(
        "INSERT INTO accounts (id, name, platform, platform_kind, options, created_at) "
        "VALUES (1, 'intranet', 'demo', 'forum', ?, ?)",
        (json.dumps(options), now_ms),
    )
    con.executemany(
        "INSERT INTO containers (id, account_id, remote_id, name) VALUES (?, 1, ?, ?)",
        [(c + 1, f"c{c}", f"Community {c:02d}") for c in range(COMMUNITIES)],
    )
    # People 1..TEAM are the communication team (handles t0, t1, … as in the team setting).
    con.executemany(
        "INSERT INTO people (id, account_id, remote_id, handle, display_name, is_team) "
        "VALUES (?, 1, ?, ?, ?, ?)",
        [
            (i + 1, handle, handle, f"Person {i}", int(i < TEAM))
            for i, handle in ((i, f"t{i}" if i < TEAM else f"p{i}") for i in range(PEOPLE))
        ],
    )
    team_ids = set(range(1, TEAM + 1))
    weights = [1 / (rank + 1) ** 0.9 for rank in range(RESPONDERS)]
    responder_cum = list(_cumulative(weights))
    responder_ids = list(range(1, RESPONDERS + 1))
    community_cum = list(_cumulative([1 / (c + 1) ** 0.6 for c in range(COMMUNITIES)]))
    hours_cum = list(_cumulative([0.2] * 7 + [3, 6, 7, 6, 5, 6, 6, 5, 4, 2] + [0.6] * 7))
    per_thread = 10.0  # root + 9 replies on average
    threads = max(1, round(posts_wanted / per_thread))
    start = NOW - YEAR
    thread_rows: list[tuple[object, ...]] = []
    post_rows: list[tuple[object, ...]] = []
    written = 0
    for tid in range(1, threads + 1):
        day = start + timedelta(days=rng.random() * 365)
        while day.weekday() >= 5 and rng.random() < 0.85:
            day += timedelta(days=1)
        hour = rng.choices(range(24), cum_weights=hours_cum)[0]
        root_at = day.replace(hour=hour, minute=rng.randrange(60), second=0, microsecond=0)
        if root_at >= NOW:
            root_at = NOW - timedelta(hours=rng.randrange(3, 48))
        root_ms = _ms(root_at)
        by_team = rng.random() < 0.06
        author = rng.randrange(1, TEAM + 1) if by_team else rng.randrange(TEAM + 1, PEOPLE + 1)
        container = rng.choices(range(1, COMMUNITIES + 1), cum_weights=community_cum)[0]
        replies = 0 if rng.random() < 0.22 else min(40, 1 + int(rng.expovariate(1 / 10.5)))
        post_rows.append((root_ms, tid, author, 1, "Vraag?"))
        first = first_team = None
        qualifying = 0
        participants = {author}
        at = root_ms
        last_team = root_ms if by_team else None
        last_other = None if by_team else root_ms
        visible = turns = 0
        previous = author
        for _ in range(replies):
            at += int(rng.lognormvariate(math.log(70), 1.3) * 60_000)
            if at >= now_ms:
                break
            if rng.random() < 0.15:
                who = author  # the root author follows up
            elif rng.random() < 0.18:
                who = rng.randrange(1, TEAM + 1)
            else:
                who = rng.choices(responder_ids, cum_weights=responder_cum)[0] + TEAM
            post_rows.append((at, tid, who, 0, "Antwoord."))
            visible += 1
            turns += who != previous
            previous = who
            participants.add(who)
            if who in team_ids:
                last_team = at
            else:
                last_other = at
            if who != author:
                qualifying += 1
                first = first if first is not None else at
                if who in team_ids and first_team is None:
                    first_team = at
        resolved = rng.random() < 0.2 and first is not None
        closed = rng.random() < 0.03
        thread_rows.append(
            (
                tid,
                container,
                f"t{tid}",
                f"Thread {tid}",
                root_ms,
                author,
                int(resolved),
                int(closed),
                int(resolved or closed),
                int(by_team),
                first,
                first_team,
                visible,
                qualifying,
                len(participants),
                turns,
                at,
                last_team,
                last_other,
                root_ms + 2 * HOUR_MS,
                at + 72 * HOUR_MS,
                at + 30 * 24 * HOUR_MS,
                root_ms + 4 * HOUR_MS,
                now_ms,
            )
        )
    # Posts get their ids in time order, as a sync stores them (the table is not clustered by
    # thread: a reply's thread is anywhere in the threads table).
    post_rows.sort()
    numbered = [
        (i, tid, f"m{i}", who, at, root, text)
        for i, (at, tid, who, root, text) in enumerate(post_rows, 1)
    ]
    post_rows.clear()
    for start_row in range(0, len(numbered), 50_000):
        written += _flush(con, [], numbered[start_row : start_row + 50_000])
    _flush(con, thread_rows, [])
    con.execute("ANALYZE")
    con.commit()
    con.close()
    _upgrade(path)
    return threads, written


def _upgrade(path: Path) -> None:
    """Bring the database to the newest schema (the roll-ups' backfill, for one), timed."""
    from cm_console.store import Database

    db = Database(f"sqlite:///{path}")
    current = db.current_revision()
    started, cpu_started = time.perf_counter(), time.process_time()
    db.upgrade()
    with db.write() as conn:
        conn.exec_driver_sql("ANALYZE")
    db.dispose()
    print(
        f"upgraded {path} from schema {current} in {time.perf_counter() - started:.1f} s "
        f"(cpu {time.process_time() - cpu_started:.1f} s)"
    )


def _cumulative(weights: list[float]) -> list[float]:
    total = 0.0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out


def _flush(
    con: sqlite3.Connection, threads: list[tuple[object, ...]], posts: list[tuple[object, ...]]
) -> int:
    con.executemany(
        "INSERT INTO threads (id, account_id, container_id, remote_id, title, created_at, "
        "root_author_id, resolved, closed, is_settled, root_by_team, first_reply_at, "
        "first_team_reply_at, reply_count, qualifying_reply_count, participant_count, turn_count, "
        "last_activity_at, last_team_post_at, last_nonteam_post_at, unanswered_at, stalled_at, "
        "abandoned_at, sla_due_at, updated_at) "
        "VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        threads,
    )
    con.executemany(
        "INSERT INTO posts (id, account_id, thread_id, remote_id, author_id, created_at, is_root, "
        "text) VALUES (?, 1, ?, ?, ?, ?, ?, ?)",
        posts,
    )
    con.commit()
    n = len(posts)
    threads.clear()
    posts.clear()
    return n


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, list[float], float]:
    """Median wall time, the wall times, and the median CPU time of this process (all its
    threads): the VM is shared, so CPU time says more than wall time when it is busy."""
    fn()  # warm-up (page cache, imports)
    times, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return statistics.median(times), times, statistics.median(cpu)


def bench_report(path: Path, runs: int) -> None:
    from cm_console.domain.metrics import Granularity, MetricsScope, buckets
    from cm_console.domain.model import utc
    from cm_console.services.insights import InsightsQuery, InsightsService, build_report
    from cm_console.store import Database, Store
    from cm_console.store import metrics as sm

    store = Store(Database(f"sqlite:///{path}"))
    service = InsightsService(store, lambda: NOW, lambda: "Europe/Amsterdam")
    year = NOW - YEAR
    cases = [
        ("year, per week", InsightsQuery(since=year)),
        ("year, per month", InsightsQuery(since=year, granularity=Granularity.MONTH)),
        ("last 12 weeks (dashboard)", InsightsQuery(since=NOW - timedelta(weeks=12))),
        ("last 4 weeks", InsightsQuery(since=NOW - timedelta(weeks=4))),
        ("year, one account", InsightsQuery(since=year, account="intranet")),
        ("year, busiest community", InsightsQuery(since=year, container_id=1)),
        ("year, a quiet community", InsightsQuery(since=year, container_id=COMMUNITIES)),
    ]
    print(f"\nreport (median of {runs} warm runs; wall, then CPU of all threads)")
    for label, query in cases:
        median, times, cpu = _timed(lambda q=query: service.report(q), runs)  # type: ignore[misc]
        print(
            f"  {label:<26} {median * 1000:7.0f} ms  cpu {cpu * 1000:6.0f} ms"
            f"   runs {[round(t * 1000) for t in times]}"
        )

    report = service.report(cases[0][1])
    print(
        f"  year: {report.overall.counts.roots:,} roots, {len(report.communities)} communities, "
        f"{len(report.series)} weeks, {report.load.responders:,} responders"
    )
    _, tz = service.time_zone()
    steps = buckets(year, NOW, Granularity.WEEK, tz)
    scope = MetricsScope(year, NOW, NOW, edges=tuple(_ms(b.start) for b in steps[1:]))
    print("\none year report, by part (median)")
    parts: list[tuple[str, Callable[[object], object]]] = [
        ("thread facts (SQL, numpy)", lambda c: sm.thread_facts(c, scope)[1]),  # type: ignore[arg-type]
        ("posts per hour (SQL)", lambda c: sm.hour_counts(c, scope)),  # type: ignore[arg-type]
        ("responders (SQL)", lambda c: sm.responders(c, scope)),  # type: ignore[arg-type]
    ]
    for label, fn in parts:

        def run(fn: Callable[[object], object] = fn) -> object:
            with store.db.read() as conn:
                return fn(conn)

        median, _, cpu = _timed(run, runs)
        size = run()
        n = len(size) if hasattr(size, "__len__") else "?"  # type: ignore[arg-type]
        print(f"  {label:<26} {median * 1000:7.0f} ms  cpu {cpu * 1000:6.0f} ms   {n} rows")
    data = store.metrics.collect(scope)
    median, _, cpu = _timed(
        lambda: build_report(
            data, steps, year, NOW, utc(NOW), "Europe/Amsterdam", tz, Granularity.WEEK
        ),
        runs,
    )
    print(
        f"  {'summaries in Python':<26} {median * 1000:7.0f} ms  cpu {cpu * 1000:6.0f} ms   "
        f"{len(data.responses):,} response times in business hours"
    )
    store.close()


_FIRST_PAINT = """
import os, sys, time
os.environ["QT_QPA_PLATFORM"] = "offscreen"
t0 = time.perf_counter()
from datetime import UTC, datetime
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QEventLoop, QTimer
app = QApplication([])
from cm_console.services.insights import InsightsService
from cm_console.store import Database, Store
from cm_console.ui import theme
from cm_console.ui.dashboard import DashboardPage
from cm_console.ui.tasks import TaskRunner
theme.apply(app, theme.ThemeMode.LIGHT)
now = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
store = Store(Database("sqlite:///" + sys.argv[1]))
service = InsightsService(store, lambda: now, lambda: "Europe/Amsterdam")
tasks = TaskRunner()
page = DashboardPage(service, tasks)
page.resize(1280, 800)
t_ready = time.perf_counter()
loop = QEventLoop()
page.loaded.connect(loop.quit)
page.show()
page.grab()
t_shown = time.perf_counter()
QTimer.singleShot(60000, loop.quit)
loop.exec()
page.grab()
t_painted = time.perf_counter()
ms = [(t_ready - t0) * 1000, (t_shown - t_ready) * 1000, (t_painted - t_ready) * 1000]
print(" ".join(f"{x:.0f}" for x in ms))
tasks.wait()
"""


def bench_first_paint(path: Path, runs: int) -> None:
    print(f"\ndashboard first paint, fresh process each (median of {runs}), 12 weeks per week")
    rows = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _FIRST_PAINT, str(path)],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        rows.append([float(x) for x in out.stdout.split()])
    imports, shown, painted = (statistics.median(col) for col in zip(*rows, strict=True))
    print(f"  imports and window objects  {imports:7.0f} ms (Qt, SQLAlchemy, the services)")
    print(f"  page shown (first paint)    {shown:7.0f} ms (placeholders, before any data)")
    print(f"  report and charts painted   {painted:7.0f} ms after the page was created")
    print("  (pyqtgraph is imported in a worker thread while the report is computed)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/cm-console-bench-metrics.sqlite3"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-paint", action="store_true")
    args = parser.parse_args()
    if not args.db.exists():
        started = time.perf_counter()
        threads, posts = generate(args.db, args.posts)
        print(
            f"generated {threads:,} threads and {posts:,} posts over a year in "
            f"{time.perf_counter() - started:.0f} s ({args.db.stat().st_size / 1e6:.0f} MB)"
        )
    else:
        from cm_console.store import Database
        from cm_console.store.engine import HEAD_REVISION

        if Database(f"sqlite:///{args.db}").current_revision() != HEAD_REVISION:
            _upgrade(args.db)
        con = sqlite3.connect(args.db)
        posts = con.execute("SELECT count(*) FROM posts").fetchone()[0]
        threads = con.execute("SELECT count(*) FROM threads").fetchone()[0]
        con.close()
        print(f"reusing {args.db}: {threads:,} threads, {posts:,} posts")
    bench_report(args.db, args.runs)
    if not args.skip_paint:
        bench_first_paint(args.db, args.runs)


if __name__ == "__main__":
    main()
