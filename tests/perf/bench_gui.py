"""Desktop console benchmarks: start-up, view switches, filtering, sync stalls and memory.

Run with ``python -m tests.perf.bench_gui --db DIR/store.sqlite3`` on a workspace made by the
store benchmark (``python -m tests.perf.bench_store --posts 1000000 --phases ingest-store
--dir DIR``), or add ``--make-db DIR`` to make one first. Each measurement runs in a fresh
interpreter (the offscreen Qt platform unless ``QT_QPA_PLATFORM`` says otherwise):

- **launch**: ``cm-console gui`` on the workspace, from starting the process to the first paint
  of the queue with its rows (its smoke-test mode reports that paint, with the CPU time the
  process used until then); repeated, the first run counts as cold;
- **views**: a click on each sidebar view, to the queue's rows for it painted; the all-threads
  view holds every thread (100k at 1M posts); between clicks the rest of a long view loads;
- **filter**: typing into the filter on the all-threads view, a character at a time (each
  painted, then 150 ms to the next key), from the key press to the filtered rows painted;
- **memory**: the resident set after start-up and after the views and filters above;
- **sync**: a real sync of a Discourse forum of ``--sync-posts`` posts (the fixture server in a
  process of its own, on 127.0.0.1) into an empty workspace with the window open; a 5 ms timer
  on the GUI thread records how late each tick fires, from the click on "Sync now" to the
  refreshed queue painted.

It prints numbers beside their targets; it never fails on timing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.perf.stats import summary

RESULT_PREFIX = "BENCH-RESULT "
TARGETS = {
    "launch_s": 1.5,
    "switch_ms": 100.0,
    "filter_ms": 100.0,
    "stall_ms": 50.0,
    "rss_mb": 400.0,
}
PHASES = ("launch", "interact", "sync")
CHILD_PHASES = ("interact", "sync")


# --- measuring inside the child -------------------------------------------------------------


def _rss_mb() -> tuple[float, float]:
    """Current and peak resident set size in MiB (from /proc)."""
    fields: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


class _Console:
    """The console's window on a workspace, opened the way ``cm-console`` opens it."""

    def __init__(self, db_url: str, profile: Path, *, size: tuple[int, int] = (1920, 1080)) -> None:
        from cm_console import app as app_module
        from cm_console import config
        from tests.perf.workspace import NOW

        self.paths = config.Paths(profile)
        self.ws = app_module.open_workspace(
            db_url, self.paths, app_module.fixed_clock(NOW), user_name="bench"
        )
        from cm_console.ui.main import freeze_after_first_load, prepare, ui_settings
        from cm_console.ui.main_window import MainWindow

        settings = ui_settings(self.paths.ui_settings)
        settings.setValue("language", "en")
        settings.setValue("theme", "light")
        self.app = prepare(settings)
        self.window = MainWindow(app_module.ui_services(self.ws, settings))
        self.window.skip_exit_warning = True
        self.window.resize(*size)
        freeze_after_first_load(self.window)

    def wait(self, done: Callable[[], bool], timeout_s: float = 120.0) -> None:
        """Run the event loop until ``done()`` (or fail after ``timeout_s``)."""
        from PySide6.QtCore import QEventLoop, QTimer

        if done():
            return
        deadline = time.monotonic() + timeout_s
        # An event loop of its own, as the application runs one: Qt dispatches events in C++
        # and Python runs only for the window's slots and this check every few milliseconds (a
        # Python loop around processEvents would take the interpreter for every batch of events,
        # competing with the workers as the real window does not).
        loop = QEventLoop()
        timed_out = {"yes": False}

        def check() -> None:
            if done():
                loop.quit()
            elif time.monotonic() > deadline:
                timed_out["yes"] = True
                loop.quit()

        checker = QTimer()
        checker.setInterval(2)
        checker.timeout.connect(check)
        checker.start()
        loop.exec()
        checker.stop()
        if timed_out["yes"]:
            raise TimeoutError("the window did not get there in time")

    def close(self) -> None:
        self.window.sync.stop()
        self.window.tasks.wait(30_000)
        self.window.close()
        self.ws.close()


class _PaintWatch:
    """Notes when the queue has painted (the paint event handled) once the condition given to
    :meth:`arm` holds."""

    def __init__(self, console: _Console) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.painted_at: float | None = None
        self._condition: Callable[[], bool] | None = None
        watch = self

        class Filter(QObject):
            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                condition = watch._condition
                if event.type() == QEvent.Type.Paint and condition is not None and condition():
                    watch._condition = None
                    # The paint runs right after the filter; note the time once it is done.
                    QTimer.singleShot(0, watch._note)
                return False

        self._filter = Filter()
        console.window.table.viewport().installEventFilter(self._filter)

    def arm(self, condition: Callable[[], bool]) -> None:
        self.painted_at = None
        self._condition = condition

    def _note(self) -> None:
        self.painted_at = time.perf_counter()


def _loaded_flag(console: _Console) -> Callable[[], bool]:
    """A callable that becomes true once the queue has loaded after this call."""
    seen = {"loaded": False}

    def on_loaded() -> None:
        seen["loaded"] = True
        console.window.queue.loaded.disconnect(on_loaded)

    console.window.queue.loaded.connect(on_loaded)
    return lambda: seen["loaded"]


SMOKE_LINE = re.compile(
    r"smoke test passed: (?P<rows>\d+) conversations painted, .*?(?P<cpu>[\d.]+) s CPU"
)


def launch_once(db: Path, profile: Path) -> dict[str, Any]:
    """Run ``cm-console gui`` on ``db`` the way a user does, until the queue has painted.

    The program's smoke-test mode prints a line at the first paint of the loaded queue (and
    then closes the window): the time is taken when that line arrives. Bytecode caching is on,
    as for an installed program, so only the first run compiles.
    """
    from tests.perf.workspace import NOW

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["CM_CONSOLE_SMOKE_TEST"] = "1"
    cmd = [
        sys.executable,
        "-m",
        "cm_console",
        "--profile",
        str(profile),
        "--db",
        f"sqlite:///{db}",
        "--now",
        NOW.isoformat(),
        "gui",
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert proc.stdout is not None
    painted: float | None = None
    match = None
    for line in proc.stdout:
        match = SMOKE_LINE.search(line)
        if match:
            painted = time.perf_counter()
            break
    proc.wait(timeout=120)
    if painted is None or match is None:
        raise SystemExit(f"cm-console gui did not paint its queue (exit {proc.returncode})")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "launch_s": painted - started,
        "launch_cpu_s": float(match["cpu"]),
        "rows": int(match["rows"]),
        # The largest child so far; the launches are alike, so this is a launch's peak.
        "rss_peak_mb": max(peak_kib, before) / 1024,
    }


_VIEW_ORDER = (
    "UNANSWERED",
    "STALLED",
    "AWAITING",
    "MINE",
    "SNOOZED",
    "FLAGGED",
    "DONE",
    "ALL",
    "QUEUE",
)
_TYPED = ("crash", "printer", "vpn-gateway timeout", "xylophone")


def _switch(console: _Console, watch: _PaintWatch, view: Any) -> tuple[float, float, int]:
    """Click ``view`` in the sidebar: milliseconds to its rows painted, the CPU milliseconds
    the process spent meanwhile (every thread), and how many rows it shows."""
    window = console.window
    watch.arm(_loaded_flag(console))
    started, cpu = time.perf_counter(), time.process_time()
    window.sidebar.setCurrentIndex(window.sidebar_model.view_index(view))
    console.wait(lambda: watch.painted_at is not None)
    cpu_ms = (time.process_time() - cpu) * 1000
    assert watch.painted_at is not None
    elapsed_ms = (watch.painted_at - started) * 1000
    # The user looks at the view before the next click; meanwhile the rest of a long view
    # arrives and the window repaints what changed (not timed: without the pause, that
    # repaint would land in the next click's measurement).
    console.wait(lambda: window.queue.complete and not window.tasks.busy)
    _pause(console, LOOK_S)
    return elapsed_ms, cpu_ms, window.queue_model.rowCount()


LOOK_S = 0.3
"""How long the user looks at a view before clicking the next (at least)."""
TYPING_GAP_S = 0.15
"""The time between two keys of someone typing steadily (about 80 words a minute)."""


def _pause(console: _Console, seconds: float) -> None:
    until = time.monotonic() + seconds
    console.wait(lambda: time.monotonic() >= until)


def _type(console: _Console, watch: _PaintWatch, text: str) -> list[tuple[float, float]]:
    """Type ``text`` into the filter a key at a time, each time until the rows are painted:
    milliseconds from each key to its rows painted, and the CPU milliseconds meanwhile."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = console.window
    window.search.setFocus()
    latencies = []
    for ch in text:
        watch.arm(_loaded_flag(console))
        started, cpu = time.perf_counter(), time.process_time()
        QTest.keyClicks(window.search, ch)
        console.wait(lambda: watch.painted_at is not None)
        cpu_ms = (time.process_time() - cpu) * 1000
        assert watch.painted_at is not None
        latencies.append(((watch.painted_at - started) * 1000, cpu_ms))
        _pause(console, TYPING_GAP_S)
    # Clear the filter (Escape-free: select all and delete), back to the whole view.
    loaded = _loaded_flag(console)
    QTest.keyClick(window.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.search, Qt.Key.Key_Backspace)
    console.wait(loaded)
    return latencies


def phase_interact(args: argparse.Namespace) -> dict[str, Any]:
    """View switches and filtering on the open console; memory afterwards."""
    from cm_console.domain.views import View

    with tempfile.TemporaryDirectory(prefix="cmc-bench-gui-") as tmp:
        console = _Console(f"sqlite:///{args.db}", Path(tmp) / "profile")
        window = console.window
        loaded = _loaded_flag(console)
        window.show()
        window.start_without_sync()
        console.wait(loaded)
        # The user reads the first screen before the first click (launch is measured above).
        console.wait(lambda: window.queue.complete)
        _pause(console, 1.0)
        watch = _PaintWatch(console)
        rss_start, _ = _rss_mb()
        switches: dict[str, list[tuple[float, float]]] = {}
        rows: dict[str, int] = {}
        for _round in range(args.repeat):
            for name in _VIEW_ORDER:
                ms, cpu_ms, n = _switch(console, watch, View[name])
                switches.setdefault(name.lower(), []).append((ms, cpu_ms))
                rows[name.lower()] = n
        _switch(console, watch, View.ALL)
        typing: dict[str, list[tuple[float, float]]] = {}
        for _round in range(max(1, args.repeat // 2)):
            for text in _TYPED:
                typing.setdefault(text, []).extend(_type(console, watch, text))
        rss_end, hwm = _rss_mb()
        console.close()
    every_switch = [s for samples in switches.values() for s in samples]
    every_key = [s for samples in typing.values() for s in samples]
    return {
        "rows": rows,
        "switch_ms": {name: summary([s[0] for s in v]) for name, v in switches.items()},
        "switch_cpu_ms": {name: summary([s[1] for s in v]) for name, v in switches.items()},
        "switch_all_ms": summary([s[0] for s in every_switch]),
        "switch_all_cpu_ms": summary([s[1] for s in every_switch]),
        "filter_ms": {text: summary([s[0] for s in v]) for text, v in typing.items()},
        "filter_cpu_ms": {text: summary([s[1] for s in v]) for text, v in typing.items()},
        "filter_all_ms": summary([s[0] for s in every_key]),
        "filter_all_cpu_ms": summary([s[1] for s in every_key]),
        "rss_start_mb": rss_start,
        "rss_end_mb": rss_end,
        "rss_peak_mb": hwm,
    }


def _serve_forum(posts: int, ready: Any) -> None:
    """The forum's fixture server, in a process of its own so it takes no time from the GUI."""
    from werkzeug.serving import make_server

    from tests.integration.connectors.discourse_world import NOW, seeded_server

    server = seeded_server()
    # Topics of 1 to 7 posts (4 on average) over 90 days, until there are ``posts`` posts.
    start = NOW - timedelta(days=90)
    topics = max(1, posts // 4)
    step = timedelta(days=90) / topics
    i = 0
    while len(server.posts) < posts:
        at = start + step * i
        topic = server.add_topic(
            2 + i % 2, f"Vraag {i}", f"Hoe werkt onderdeel {i}?", at, 5 + i % 3
        )
        for r in range(min(i % 7, posts - len(server.posts))):
            server.add_post(
                topic.id, 3 - r % 2, f"Antwoord {r} op {i}.", at + timedelta(minutes=r + 1)
            )
        i += 1
    httpd = make_server("127.0.0.1", 0, server, threaded=True)
    ready.put(f"http://127.0.0.1:{httpd.server_port}/")
    httpd.serve_forever()


def phase_sync(args: argparse.Namespace) -> dict[str, Any]:
    """The GUI thread's worst stall while the window syncs ``args.sync_posts`` posts."""
    ctx = multiprocessing.get_context("fork")  # before Qt exists in this process
    ready = ctx.Queue()
    server = ctx.Process(target=_serve_forum, args=(args.sync_posts, ready), daemon=True)
    server.start()
    try:
        url = ready.get(timeout=600)
        with tempfile.TemporaryDirectory(prefix="cmc-bench-gui-") as tmp:
            return _sync_into_window(url, Path(tmp), args)
    finally:
        server.terminate()
        server.join(10)


def _sync_into_window(url: str, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from cm_console.domain.model import Secret
    from tests.helpers.fake_discourse import ADMIN_KEY

    os.environ["XDG_DATA_HOME"] = str(tmp / "keyring")
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    console = _Console(f"sqlite:///{tmp / 'sync.sqlite3'}", tmp / "profile", size=(1280, 800))
    console.ws.accounts.add(
        platform="discourse", name="forum", url=url, user="anouk", secret=Secret(ADMIN_KEY)
    )
    window = console.window
    loaded = _loaded_flag(console)
    window.show()
    window.start_without_sync()
    console.wait(loaded)
    clock = QElapsedTimer()
    gaps: list[float] = []
    stamps: list[float] = []
    last = {"at": 0}

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last["at"]) / 1e6 - 5)
        stamps.append(now / 1e9)
        last["at"] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    reports: list[Any] = []
    window.sync.synced.connect(reports.append)
    watch = _PaintWatch(console)
    clock.start()
    timer.start()
    started = time.perf_counter()
    started_clock = clock.nsecsElapsed() / 1e9
    window.sync.sync_now()
    console.wait(lambda: bool(reports), timeout_s=3600)
    synced = time.perf_counter()
    # The window then refreshes the queue and the sidebar from the new data.
    watch.arm(_loaded_flag(console))
    console.wait(lambda: watch.painted_at is not None, timeout_s=120)
    timer.stop()
    report = reports[0]
    with console.ws.store.db.read() as conn:
        from sqlalchemy import func, select

        from cm_console.store import schema

        stored = conn.execute(select(func.count()).select_from(schema.posts)).scalar_one()
    rss, hwm = _rss_mb()
    console.close()
    worst = sorted(zip(gaps[1:], stamps[1:], strict=True), reverse=True)[:3]
    gaps = [max(0.0, g) for g in gaps[1:]]
    return {
        "ok": bool(report.ok),
        "posts_stored": stored,
        "sync_s": synced - started,
        "until_painted_s": (watch.painted_at or synced) - started,
        "ticks": len(gaps),
        "stall_ms": {
            "max": max(gaps, default=0.0),
            "p99": sorted(gaps)[int(0.99 * (len(gaps) - 1))] if gaps else 0.0,
            "over_50": sum(1 for g in gaps if g > 50),
            # The three longest, with when they ended (seconds after "Sync now").
            "worst": [(round(g, 1), round(at - started_clock, 2)) for g, at in worst],
        },
        "rss_mb": rss,
        "rss_peak_mb": hwm,
    }


_PHASE_FUNCS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "interact": phase_interact,
    "sync": phase_sync,
}


# --- the parent: children, report -----------------------------------------------------------


def _child(phase: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "tests.perf.bench_gui",
        "--phase",
        phase,
        "--repeat",
        str(args.repeat),
        "--sync-posts",
        str(args.sync_posts),
    ]
    if args.db:
        cmd += ["--db", str(args.db)]
    env = {**os.environ}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    t0 = time.time()
    proc = subprocess.run(
        [*cmd, "--t0", repr(t0)], env=env, capture_output=True, text=True, check=False
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return dict(json.loads(line[len(RESULT_PREFIX) :]))
    sys.stderr.write(proc.stderr[-4000:])
    raise SystemExit(f"the {phase} run failed (exit {proc.returncode})")


def _verdict(value: float, target: str) -> str:
    return "meets" if value <= TARGETS[target] else "MISSES"


def report(results: dict[str, Any]) -> str:
    lines = ["cm-console GUI benchmarks", ""]
    if "launch" in results:
        runs = results["launch"]
        times = [r["launch_s"] for r in runs]
        warm = times[1:] or times
        p50 = statistics.median(warm)
        cpu = statistics.median([r["launch_cpu_s"] for r in runs[1:] or runs])
        lines.append(
            f"launch to painted queue ({runs[0]['rows']:,} rows): cold {times[0]:.2f} s, "
            f"warm p50 {p50:.2f} s, max {max(warm):.2f} s "
            f"(target <= {TARGETS['launch_s']} s: {_verdict(p50, 'launch_s')}); "
            f"CPU p50 {cpu:.2f} s; peak RSS {max(r['rss_peak_mb'] for r in runs):.0f} MiB"
        )
    if "interact" in results:
        r = results["interact"]
        lines += ["", "view switch, click to painted rows (ms): p50 / p95 / max, CPU p50"]
        for name, s in r["switch_ms"].items():
            lines.append(
                f"  {name:<11} {r['rows'][name]:>7,} rows  "
                f"{s['p50']:6.1f} / {s['p95']:6.1f} / {s['max']:6.1f}, "
                f"cpu {r['switch_cpu_ms'][name]['p50']:6.1f}"
            )
        s = r["switch_all_ms"]
        lines.append(
            f"  every switch: p50 {s['p50']:.1f}, p95 {s['p95']:.1f} "
            f"(target <= {TARGETS['switch_ms']:.0f}: {_verdict(s['p95'], 'switch_ms')} at p95)"
        )
        lines += ["", "filter as you type on the all-threads view, key to painted rows (ms)"]
        for text, s in r["filter_ms"].items():
            lines.append(
                f"  {text!r:<24} {s['p50']:6.1f} / {s['p95']:6.1f} / {s['max']:6.1f}, "
                f"cpu {r['filter_cpu_ms'][text]['p50']:6.1f}"
            )
        s = r["filter_all_ms"]
        lines.append(
            f"  every key: p50 {s['p50']:.1f}, p95 {s['p95']:.1f} "
            f"(target <= {TARGETS['filter_ms']:.0f}: {_verdict(s['p95'], 'filter_ms')} at p95)"
        )
        lines += [
            "",
            (
                f"memory: RSS {r['rss_start_mb']:.0f} MiB after start-up, "
                f"{r['rss_end_mb']:.0f} MiB after the views and filters, peak "
                f"{r['rss_peak_mb']:.0f} MiB (target <= {TARGETS['rss_mb']:.0f}: "
                f"{_verdict(r['rss_peak_mb'], 'rss_mb')})"
            ),
        ]
    if "sync" in results:
        r = results["sync"]
        st = r["stall_ms"]
        lines += [
            "",
            (
                f"sync of {r['posts_stored']:,} posts with the window open: {r['sync_s']:.1f} s "
                f"(queue repainted at {r['until_painted_s']:.1f} s), {r['ticks']:,} GUI ticks; "
                f"worst stall {st['max']:.1f} ms, p99 {st['p99']:.1f} ms, "
                f"{st['over_50']} over 50 ms (target <= {TARGETS['stall_ms']:.0f}: "
                f"{_verdict(st['max'], 'stall_ms')}); longest (ms at s): "
                + ", ".join(f"{g:.0f} at {at:.1f}" for g, at in st.get("worst", ()))
                + f"; RSS peak {r['rss_peak_mb']:.0f} MiB"
            ),
        ]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.perf.bench_gui",
        description="GUI benchmarks: launch to painted queue, view switches, filtering, memory "
        "and GUI-thread stalls during a sync. Prints numbers, never pass/fail.",
    )
    parser.add_argument("--db", type=Path, help="a store.sqlite3 from tests.perf.bench_store")
    parser.add_argument(
        "--make-db",
        type=Path,
        metavar="DIR",
        help="first make the workspace in DIR with the store benchmark (see --posts)",
    )
    parser.add_argument("--posts", type=int, default=1_000_000, help="with --make-db")
    parser.add_argument("--launches", type=int, default=6, help="launch runs (default 6)")
    parser.add_argument("--repeat", type=int, default=5, help="rounds of view switches")
    parser.add_argument("--sync-posts", type=int, default=100_000)
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--phase", choices=CHILD_PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, default=0.0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.phase:
        result = _PHASE_FUNCS[args.phase](args)
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    if args.make_db:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.perf.bench_store",
                "--posts",
                str(args.posts),
                "--phases",
                "ingest-store",
                "--dir",
                str(args.make_db),
            ],
            check=True,
        )
        args.db = args.make_db / "store.sqlite3"
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    if {"launch", "interact"} & set(phases) and not (args.db and args.db.exists()):
        raise SystemExit("launch and interact need --db (or --make-db)")
    results: dict[str, Any] = {}
    if "launch" in phases:
        with tempfile.TemporaryDirectory(prefix="cmc-bench-launch-") as tmp:
            results["launch"] = [
                launch_once(args.db, Path(tmp) / "profile") for _ in range(args.launches)
            ]
    if "interact" in phases:
        results["interact"] = _child("interact", args)
    if "sync" in phases:
        results["sync"] = _child("sync", args)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
