"""Store benchmark: ingest rate against a raw sqlite3 baseline, queue refresh, search, size, memory.

    python -m tests.perf.bench_store --posts 1000000
    python -m tests.perf.bench_store --quick            # 10k posts, a few seconds (CI)
    python -m tests.perf.bench_store --help

It prints numbers, never a pass/fail verdict: the targets are shown beside the numbers. Every
phase runs in a child process of its own, so its peak RSS is that phase's alone:

1. ``ingest-baseline``: the synthetic workspace through :mod:`tests.perf.baseline` (hand-written
   ``sqlite3``) into a freshly migrated database;
2. ``ingest-store``: the same pages through ``store.ingest.page`` into another one;
3. ``queries``: on the store's database, after adding triage rows (snoozed, done, flagged,
   assigned, tagged): database size after a checkpoint, queue refresh per view (counts + first
   page of 50), and full-text search per query class.

Only the calls being measured are timed (generating the pages is not). The machine is shared and
noisy: rerun slow parts with ``--phases`` and compare medians.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

PHASES = ("ingest-baseline", "ingest-store", "queries")
RESULT_PREFIX = "BENCH-RESULT "

INGEST_TARGET = 0.60
REFRESH_TARGET_MS = 50.0
SEARCH_TARGET_MS = 50.0

SEARCH_CLASSES: dict[str, tuple[str, ...]] = {
    "rare word": ("xylophone",),
    "common word": ("crash", "refund"),
    "very common word": ("account",),
    "prefix while typing": ("cr", "cra", "cras", "ref", "xyl"),
    "two words": ("refund crash", "account update"),
    "punctuation": ("vpn-gateway timeout?", "(refund) 'crash'!"),
    "no hits": ("zzyzzyx", "crash zzyzzyx"),
}


# --- child phases -----------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _summary(samples: Sequence[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": statistics.median(ordered),
        "p95": p95,
        "min": ordered[0],
        "max": ordered[-1],
        "n": len(ordered),
    }


def _migrated(path: Path) -> str:
    from cm_console.store import Database

    url = f"sqlite:///{path}"
    db = Database(url)
    db.upgrade()
    db.dispose()
    return url


def _ingest(
    args: argparse.Namespace, feed: Callable[[Any, Any], None], setup: Callable[[Any], None]
) -> dict[str, Any]:
    from tests.perf.workspace import Workspace

    ws = Workspace(args.posts, seed=args.seed, page_size=args.page_size, raw=not args.no_raw)
    for spec in {id(st.spec): st.spec for st in ws.streams}.values():
        setup(spec)
    page_ms: list[float] = []
    wall = cpu = 0.0
    posts = 0
    for spec, page in ws.pages():
        c0, w0 = time.process_time(), time.perf_counter()
        feed(spec, page)
        w1, c1 = time.perf_counter(), time.process_time()
        wall += w1 - w0
        cpu += c1 - c0
        page_ms.append((w1 - w0) * 1000)
        posts += len(page.posts)
    shape = ws.shape()
    return {
        "posts": posts,
        "threads": shape.threads,
        "containers": shape.containers,
        "authors": shape.authors,
        "accounts": shape.accounts,
        "pages": len(page_ms),
        "seconds": wall,
        "cpu_seconds": cpu,
        "posts_per_s": posts / wall,
        "posts_per_cpu_s": posts / cpu,
        "page_ms": _summary(page_ms),
    }


def phase_ingest_baseline(args: argparse.Namespace) -> dict[str, Any]:
    from tests.perf.baseline import RawIngest, connect
    from tests.perf.workspace import NOW

    _migrated(args.db)
    raw = RawIngest(connect(args.db))
    ids: dict[str, int] = {}

    def setup(spec: Any) -> None:
        ids[spec.name] = raw.add_account(spec.name, spec.platform, spec.kind, spec.options, spec.me)

    def feed(spec: Any, page: Any) -> None:
        raw.page(ids[spec.name], page, NOW)

    result = _ingest(args, feed, setup)
    raw.con.close()
    return result


def _store(path: Path) -> Any:
    from cm_console.store import Database, Store

    return Store(Database(f"sqlite:///{path}"))


def phase_ingest_store(args: argparse.Namespace) -> dict[str, Any]:
    from cm_console.domain.model import Page
    from tests.perf.workspace import NOW, Workspace

    _migrated(args.db)
    store = _store(args.db)
    ids: dict[str, int] = {}

    def setup(spec: Any) -> None:
        account = store.accounts.add(
            name=spec.name,
            platform=spec.platform,
            platform_kind=spec.kind,
            url=None,
            username=None,
            options=spec.options,
            now=NOW,
        )
        store.accounts.set_own_person(account.id, spec.me)
        me = Workspace.me(spec)
        store.ingest.page(account.id, Page(scope="~me", cursor=None, people=(me,)), NOW)
        store.recompute_account(account.id)
        ids[spec.name] = account.id

    def feed(spec: Any, page: Any) -> None:
        store.ingest.page(ids[spec.name], page, NOW)

    result = _ingest(args, feed, setup)
    store.close()
    return result


def _triage(store: Any, now: Any, seed: int) -> dict[str, int]:
    """Snooze, close, flag, assign and tag a realistic handful of threads (not timed)."""
    from datetime import timedelta

    from cm_console.domain.rules import TriageStatus
    from cm_console.domain.views import QueueQuery, View

    rng = random.Random(seed)
    user = store.users.ensure("bench", now)
    with store.db.read() as conn:
        from sqlalchemy import text

        stored = conn.execute(
            text(
                "SELECT sum(status = 'snoozed'), sum(status = 'done'), sum(flagged), "
                "sum(assignee_id IS NOT NULL), (SELECT count(*) FROM thread_tags) FROM triage"
            )
        ).one()
    if stored[0] is not None:  # a re-run of the queries on a kept database: same triage rows
        return {
            "user_id": user.id,
            "snoozed": stored[0],
            "done": stored[1],
            "flagged": stored[2],
            "assigned": stored[3],
            "tagged": stored[4],
        }
    queued = store.queue.ids(QueueQuery(view=View.QUEUE), now)
    with store.db.read() as conn:
        from sqlalchemy import text

        every = [r[0] for r in conn.execute(text("SELECT id FROM threads"))]
    rng.shuffle(queued)
    n = len(queued)
    snoozed_timed = queued[: n // 100]
    snoozed_reply = queued[n // 100 : n // 50]
    done = queued[n // 50 : n // 20]
    assigned = queued[n // 20 : n // 20 + n // 50]
    flagged = rng.sample(every, min(len(every), max(5, len(every) // 500)))
    tagged = rng.sample(every, min(len(every), max(5, len(every) // 250)))
    t = store.triage
    t.set_status(
        snoozed_timed,
        TriageStatus.SNOOZED,
        now=now,
        user_id=user.id,
        snooze_until=now + timedelta(days=2),
    )
    t.set_status(snoozed_reply, TriageStatus.SNOOZED, now=now, user_id=user.id, until_reply=True)
    t.set_status(done, TriageStatus.DONE, now=now, user_id=user.id)
    t.assign(assigned, user.id, now=now, user_id=user.id)
    t.flag(flagged, True, "check", now=now, user_id=user.id)
    t.add_tag(tagged, "follow-up", now=now, user_id=user.id)
    return {
        "user_id": user.id,
        "snoozed": len(snoozed_timed) + len(snoozed_reply),
        "done": len(done),
        "assigned": len(assigned),
        "flagged": len(flagged),
        "tagged": len(tagged),
    }


def _size(path: Path) -> dict[str, int]:
    wal = Path(f"{path}-wal")
    return {"file": path.stat().st_size, "wal": wal.stat().st_size if wal.exists() else 0}


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[list[float], float, float]:
    """Wall milliseconds of ``repeat`` runs after a first (reported apart: it fills caches and
    compiles statements), the first's, and the median CPU milliseconds of this process (SQLite
    runs in it: CPU time shows the work without the waits a busy machine adds)."""
    first = 0.0
    samples = []
    cpu = []
    for i in range(repeat + 1):
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        ms = (time.perf_counter() - t0) * 1000
        if i == 0:
            first = ms
        else:
            samples.append(ms)
            cpu.append((time.process_time() - c0) * 1000)
    return samples, first, statistics.median(cpu)


def phase_queries(args: argparse.Namespace) -> dict[str, Any]:
    from sqlalchemy import text

    from cm_console.domain.views import QueueQuery, View
    from cm_console.store.search import search_posts
    from tests.perf.workspace import NOW

    store = _store(args.db)
    triage = _triage(store, NOW, args.seed)
    store.close()
    con = sqlite3.connect(args.db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    size = _size(args.db)
    store = _store(args.db)
    with store.db.read() as conn:
        shape = {
            "posts": conn.execute(text("SELECT count(*) FROM posts")).scalar_one(),
            "threads": conn.execute(text("SELECT count(*) FROM threads")).scalar_one(),
        }
    user_id = triage["user_id"]
    views: dict[str, Any] = {}
    for view in View:
        query = QueueQuery(view=view, user_id=user_id)
        counts_ms, page_ms = [], []

        def refresh(
            query: QueueQuery = query, c: list[float] = counts_ms, p: list[float] = page_ms
        ) -> int:
            t0 = time.perf_counter()
            store.queue.counts(NOW, user_id)
            t1 = time.perf_counter()
            items = store.queue.page(query, NOW, limit=50)
            t2 = time.perf_counter()
            c.append((t1 - t0) * 1000)
            p.append((t2 - t1) * 1000)
            return len(items)

        samples, first, cpu = _timed(refresh, args.repeat)
        counts = store.queue.counts(NOW, user_id)
        views[view.value] = {
            "refresh_ms": _summary(samples) | {"cpu": cpu},
            "first_ms": first,
            "counts_ms": _summary(counts_ms[1:]),
            "page_ms": _summary(page_ms[1:]),
            "count": counts[view],
            "rows": len(store.queue.page(query, NOW, limit=50)),
        }
    searches: dict[str, Any] = {}
    for klass, queries in SEARCH_CLASSES.items():
        for q in queries:
            entry: dict[str, Any] = {"class": klass}
            for surface, fn in (
                ("queue", lambda q=q: store.queue.page(QueueQuery(search=q), NOW, limit=50)),
                (
                    "all",
                    lambda q=q: store.queue.page(
                        QueueQuery(view=View.ALL, search=q), NOW, limit=50
                    ),
                ),
                ("posts", lambda q=q: _search_posts(store, search_posts, q)),
            ):
                samples, first, cpu = _timed(fn, args.repeat)
                entry[surface] = _summary(samples) | {
                    "first": first,
                    "cpu": cpu,
                    "rows": len(fn()),
                }
            searches[q] = entry
    store.close()
    return {"size": size, "shape": shape, "triage": triage, "views": views, "search": searches}


def _search_posts(store: Any, search_posts: Any, q: str) -> list[int]:
    with store.db.read() as conn:
        return list(search_posts(conn, q, limit=50))


_PHASE_FUNCS = {
    "ingest-baseline": phase_ingest_baseline,
    "ingest-store": phase_ingest_store,
    "queries": phase_queries,
}


# --- parent: run phases in children, report ----------------------------------------------------


def _child_command(phase: str, db: Path, args: argparse.Namespace) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "tests.perf.bench_store",
        "--phase",
        phase,
        "--db",
        str(db),
        "--posts",
        str(args.posts),
        "--page-size",
        str(args.page_size),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
    ]
    if args.no_raw:
        cmd.append("--no-raw")
    return cmd


def _run_children(jobs: Sequence[tuple[str, Path]], args: argparse.Namespace) -> dict[str, Any]:
    """Run phases side by side (each in its own process) and collect their results."""
    started = time.perf_counter()
    procs = []
    for phase, db in jobs:
        print(f"... {phase}", file=sys.stderr, flush=True)
        procs.append(
            (
                phase,
                subprocess.Popen(
                    _child_command(phase, db, args),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    results: dict[str, Any] = {}
    for phase, proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0:
            sys.stderr.write(out + err)
            raise SystemExit(f"phase {phase} failed (exit {proc.returncode})")
        for line in reversed(out.splitlines()):
            if line.startswith(RESULT_PREFIX):
                results[phase] = json.loads(line[len(RESULT_PREFIX) :])
                results[phase]["phase_seconds"] = time.perf_counter() - started
                break
        else:
            raise SystemExit(f"phase {phase} printed no result")
    return results


def _fmt_ms(summary: dict[str, float]) -> str:
    return f"{summary['median']:7.1f} {summary['p95']:7.1f}"


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def report(results: dict[str, Any], args: argparse.Namespace) -> str:
    lines: list[str] = []
    out = lines.append
    out(f"store benchmark: {args.posts:,} posts, pages of {args.page_size}, seed {args.seed}")
    out(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    base = results.get("ingest-baseline")
    st = results.get("ingest-store")
    ws = st or base
    if ws:
        out(
            f"workspace: {ws['posts']:,} posts, {ws['threads']:,} threads, "
            f"{ws['containers']} containers, {ws['authors']:,} authors, {ws['accounts']} accounts, "
            f"{ws['pages']} pages"
        )
    out("")
    out("ingest                      posts/s   posts/CPU-s   seconds  page ms p50/p95   peak RSS")
    for name, r in (("raw sqlite3 baseline", base), ("store.ingest.page", st)):
        if r:
            out(
                f"  {name:24} {r['posts_per_s']:9,.0f} {r['posts_per_cpu_s']:11,.0f} "
                f"{r['seconds']:9.1f}  {r['page_ms']['median']:6.1f} / {r['page_ms']['p95']:6.1f}"
                f"   {r['peak_rss_mb']:6.0f} MB"
            )
    if base and st:
        ratio = st["posts_per_s"] / base["posts_per_s"]
        cpu_ratio = st["posts_per_cpu_s"] / base["posts_per_cpu_s"]
        out(
            f"  store / baseline: {ratio:.0%} wall, {cpu_ratio:.0%} CPU "
            f"(target >= {INGEST_TARGET:.0%}: {_verdict(ratio >= INGEST_TARGET)})"
        )
    q = results.get("queries")
    if q:
        size = q["size"]
        total = size["file"] + size["wal"]
        per_m = total / max(1, q["shape"]["posts"]) * 1_000_000
        out("")
        out(
            f"database: {size['file'] / 2**20:,.0f} MB file + {size['wal'] / 2**20:,.1f} MB WAL "
            f"after checkpoint = {per_m / 2**20:,.0f} MB per 1M posts; "
            f"queries peak RSS {q['peak_rss_mb']:.0f} MB"
        )
        tri = q["triage"]
        out(
            f"triage rows: {tri['snoozed']} snoozed, {tri['done']} done, {tri['flagged']} flagged, "
            f"{tri['assigned']} assigned, {tri['tagged']} tagged"
        )
        out("")
        out(
            f"queue refresh (counts + first page of 50), ms over {args.repeat} runs; "
            f"target <= {REFRESH_TARGET_MS:.0f} ms"
        )
        out(
            "  view         count  refresh p50   p95   cpu | counts p50  p95 "
            "| page p50   p95 | first"
        )
        for view, r in q["views"].items():
            ok = r["refresh_ms"]["median"] <= REFRESH_TARGET_MS
            out(
                f"  {view:10} {r['count']:7,}  {_fmt_ms(r['refresh_ms'])} "
                f"{r['refresh_ms']['cpu']:5.1f} | "
                f"{_fmt_ms(r['counts_ms'])} | {_fmt_ms(r['page_ms'])} | {r['first_ms']:6.1f}"
                f"  {_verdict(ok)}"
            )
        out("")
        out(
            f"search, ms over {args.repeat} runs (queue page / all-threads page / "
            f"store.search.search_posts); target p50 <= {SEARCH_TARGET_MS:.0f} ms"
        )
        out(
            "  class                query                  queue p50  p95 "
            "|  all p50   p95 | posts p50  p95 | hits"
        )
        every: list[float] = []
        every_cpu: list[float] = []
        per_class: dict[str, list[float]] = {}
        for query, r in q["search"].items():
            for surface in ("queue", "all", "posts"):
                every.append(r[surface]["median"])
                every_cpu.append(r[surface].get("cpu", 0.0))
                per_class.setdefault(r["class"], []).append(r[surface]["median"])
            out(
                f"  {r['class']:20} {query!r:22} {_fmt_ms(r['queue'])} | {_fmt_ms(r['all'])} | "
                f"{_fmt_ms(r['posts'])} | {r['all']['rows']}"
            )
        worst = max(per_class, key=lambda k: max(per_class[k]))
        p50 = statistics.median(every)
        p95 = sorted(every)[min(len(every) - 1, round(0.95 * (len(every) - 1)))]
        out(
            f"  all searches: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
            f"({_verdict(p50 <= SEARCH_TARGET_MS)} p50 target); worst class: {worst} "
            f"(slowest median {max(per_class[worst]):.1f} ms); CPU p50 "
            f"{statistics.median(every_cpu):.1f} ms"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf.bench_store",
        description="Store benchmarks: ingest vs a raw sqlite3 baseline, queue refresh per view, "
        "full-text search, database size and peak memory. Prints numbers, never pass/fail.",
    )
    parser.add_argument("--posts", type=int, default=100_000, help="workspace size (default 100k)")
    parser.add_argument("--quick", action="store_true", help="10k posts and 5 repeats (for CI)")
    parser.add_argument("--page-size", type=int, default=500, help="posts per page (default 500)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query (default 20)")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help=f"comma-separated subset of {', '.join(PHASES)} (queries reuse the store database "
        "from --dir when ingest-store is not run)",
    )
    parser.add_argument("--dir", type=Path, help="keep the databases here (default: a temp dir)")
    parser.add_argument("--no-raw", action="store_true", help="leave out raw payloads")
    parser.add_argument(
        "--serial",
        action="store_true",
        help="run the two ingests one after the other (default: side by side, one core each)",
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.posts, args.repeat = 10_000, 5
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.phase:
        result = _PHASE_FUNCS[args.phase](args)
        result["peak_rss_mb"] = _peak_rss_mb()
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        raise SystemExit(f"unknown phases: {', '.join(sorted(unknown))}")
    workdir = args.dir or Path(tempfile.mkdtemp(prefix="cmc-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    started = time.perf_counter()

    def db_of(phase: str) -> Path:
        return workdir / ("baseline.sqlite3" if phase == "ingest-baseline" else "store.sqlite3")

    # The two ingests run side by side by default: they take half the time on two cores, and
    # whatever else the machine is doing slows both alike.
    ingests = [p for p in phases if p.startswith("ingest")]
    groups = [ingests] if ingests and not args.serial else [[p] for p in ingests]
    groups += [[p] for p in phases if not p.startswith("ingest")]
    try:
        for group in groups:
            for phase in group:
                if phase.startswith("ingest"):
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{db_of(phase)}{suffix}").unlink(missing_ok=True)
            results.update(_run_children([(p, db_of(p)) for p in group], args))
            if "ingest-baseline" in group and args.dir is None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db_of('ingest-baseline')}{suffix}").unlink(missing_ok=True)
    finally:
        if args.dir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(results, args)
    print(text)
    print(f"\n(total {time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
