"""The raw baseline of the ingest benchmark does the store's work: same rows, same facts.

Not a timing test: it keeps the benchmark honest (a baseline that skipped work would flatter the
store's percentage) on a small synthetic workspace.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.perf import bench_store
from tests.perf.workspace import Workspace

_COMPARED = {
    "threads": "SELECT a.name, t.remote_id, t.title, t.created_at, t.resolved, t.closed, "
    "t.is_settled, t.root_by_team, t.root_deleted, t.root_asks_question, t.acknowledged, "
    "t.by_newcomer, t.first_reply_at, t.first_team_reply_at, t.reply_count, "
    "t.qualifying_reply_count, t.participant_count, t.last_activity_at, t.open_end, "
    "t.last_team_post_at, t.last_nonteam_post_at, t.unanswered_at, t.stalled_at, "
    "t.abandoned_at, t.sla_due_at, r.remote_id, l.remote_id "
    "FROM threads t JOIN accounts a ON a.id = t.account_id "
    "LEFT JOIN people r ON r.id = t.root_author_id "
    "LEFT JOIN people l ON l.id = t.last_post_author_id ORDER BY 1, 2",
    "posts": "SELECT a.name, p.remote_id, t.remote_id, u.remote_id, p.created_at, p.deleted_at, "
    "p.kind, p.is_root, p.by_bot, p.asks_question, p.acked_by_other, p.text, p.reactions "
    "FROM posts p JOIN accounts a ON a.id = p.account_id JOIN threads t ON t.id = p.thread_id "
    "JOIN people u ON u.id = p.author_id ORDER BY 1, 2",
    "people": "SELECT a.name, p.remote_id, p.handle, p.is_bot, p.is_team, p.first_post_at "
    "FROM people p JOIN accounts a ON a.id = p.account_id ORDER BY 1, 2",
    "raw": "SELECT a.name, r.kind, r.remote_id, r.payload FROM raw_payloads r "
    "JOIN accounts a ON a.id = r.account_id ORDER BY 1, 2, 3",
    "fts": "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'crash'",
    "tallied_posts": "SELECT a.name, p.remote_id, u.remote_id, tp.created_at, tp.tally "
    "FROM tallied_posts tp JOIN posts p ON p.id = tp.post_id "
    "JOIN accounts a ON a.id = p.account_id JOIN people u ON u.id = tp.author_id ORDER BY 1, 2",
    "activity_hours": "SELECT a.name, h.hour, h.posts FROM activity_hours h "
    "JOIN accounts a ON a.id = h.account_id WHERE h.posts <> 0 ORDER BY 1, 2",
    "reply_weeks": "SELECT a.name, u.remote_id, w.week, w.replies FROM reply_weeks w "
    "JOIN accounts a ON a.id = w.account_id JOIN people u ON u.id = w.author_id "
    "WHERE w.replies <> 0 ORDER BY 1, 2, 3",
}


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in _COMPARED.items()}
    finally:
        con.close()


def test_baseline_and_store_write_the_same_database(tmp_path: Path) -> None:
    args = bench_store.parse_args(["--posts", "3000", "--page-size", "200"])
    args.db = tmp_path / "baseline.sqlite3"
    base = bench_store.phase_ingest_baseline(args)
    args.db = tmp_path / "store.sqlite3"
    store = bench_store.phase_ingest_store(args)
    assert base["posts"] == store["posts"] == 3000
    baseline_rows, store_rows = _rows(tmp_path / "baseline.sqlite3"), _rows(args.db)
    for name in _COMPARED:
        assert baseline_rows[name] == store_rows[name], name
    assert store_rows["fts"][0][0] > 0
    assert store_rows["reply_weeks"], "the workspace has qualifying replies"


def test_workspace_shape() -> None:
    ws = Workspace(20_000, raw=False)
    shape = ws.shape()
    assert shape.posts == 20_000
    assert 1_500 < shape.threads < 2_500, "about ten posts per thread"
    assert shape.accounts == len({st.spec.platform for st in ws.streams}) == 4
    sizes: dict[tuple[str, int], int] = {}
    for st in ws.streams:
        for tid in st.post_thread:
            sizes[st.spec.name, tid] = sizes.get((st.spec.name, tid), 0) + 1
    lone = sum(1 for n in sizes.values() if n == 1) / len(sizes)
    assert 0.2 < lone < 0.3, "a quarter of the threads get no reply"
    assert max(sizes.values()) > 100, "a long tail"
