"""Discourse sync cost: cm-console's connector against GrimoireLab Perceval, same fixture server.

Run with ``python -m tests.perf.bench_discourse [--topics N]``. It serves a seeded forum on
127.0.0.1 (the fixture server of the tests), then measures a first sync and a re-sync with
nothing new, counting the requests the server received and the wall time:

- cm-console: :class:`DiscourseConnector.fetch` (pages drained, not stored, as Perceval only
  fetches and prints);
- Perceval: its ``perceval discourse`` command, run as a subprocess from a separate virtual
  environment (``.bench-venv`` with ``pip install perceval``; never a project dependency),
  with ``--from-date`` set to the newest activity for the re-sync.

It prints numbers; it is not a pass/fail test.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.helpers.fake_discourse import ADMIN_KEY, FakeDiscourse
from tests.helpers.wsgi import serve
from tests.integration.connectors.discourse_world import NOW, make_discourse, seeded_server

ROOT = Path(__file__).resolve().parents[2]
PERCEVAL = ROOT / ".bench-venv" / "bin" / "perceval"


def seed(server: FakeDiscourse, topics: int) -> int:
    """``topics`` topics over the last 90 days with 0–6 replies each (3 on average)."""
    start = NOW - timedelta(days=90)
    step = timedelta(days=90) / topics
    for i in range(topics):
        at = start + step * i
        topic = server.add_topic(2, f"Vraag {i}", f"Hoe werkt onderdeel {i}?", at, 5 + i % 2)
        for r in range(i % 7):
            server.add_post(
                topic.id, 3 if r % 2 == 0 else 2, f"Antwoord {r}.", at + timedelta(minutes=r + 1)
            )
    return len(server.posts)


def ours(url: str, cursors: dict[str, Any]) -> tuple[int, float, int]:
    conn = make_discourse(url)
    started = time.perf_counter()
    posts = 0
    for page in conn.fetch(cursors):
        posts += len(page.posts)
        cursors[page.scope] = page.cursor
    elapsed = time.perf_counter() - started
    conn.close()
    return conn.http.requests_made, elapsed, posts


def perceval(url: str, server: FakeDiscourse, from_date: str | None) -> tuple[int, float] | None:
    if not PERCEVAL.exists():
        return None
    before = len(server.requests)
    cmd = [str(PERCEVAL), "discourse", url, "--api-token", ADMIN_KEY, "--api-username", "anouk"]
    if from_date:
        cmd += ["--from-date", from_date]
    started = time.perf_counter()
    subprocess.run(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        env={**os.environ, "PYTHONPATH": ""},
    )
    return len(server.requests) - before, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=10_000)
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = seeded_server()
    posts = seed(server, args.topics)
    print(f"fixture: {args.topics} topics, {posts} posts, 2 categories")
    with serve(server) as url:
        cursors: dict[str, Any] = {}
        first = ours(url, cursors)
        again = ours(url, cursors)
        newest = max(t.bumped_at for t in server.topics.values())
        p_first = perceval(url, server, None)
        p_again = perceval(url, server, newest.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    rows = [
        ("cm-console first sync", first[0], first[1]),
        ("cm-console re-sync (nothing new)", again[0], again[1]),
    ]
    if p_first is not None and p_again is not None:
        rows += [
            ("Perceval first fetch", p_first[0], p_first[1]),
            ("Perceval re-fetch (--from-date newest)", p_again[0], p_again[1]),
        ]
    else:
        print(
            f"(Perceval not found at {PERCEVAL}: python -m venv .bench-venv && "
            ".bench-venv/bin/pip install perceval)"
        )
    print(f"{'run':42} {'requests':>9} {'seconds':>9}")
    for name, requests_made, seconds in rows:
        print(f"{name:42} {requests_made:>9} {seconds:>9.2f}")
    print(f"cm-console delivered {first[2]} posts on the first sync, {again[2]} on the re-sync")
    return 0


if __name__ == "__main__":
    sys.exit(main())
