"""Insights' running totals, kept at ingest: posts per account and UTC hour (the activity heatmap)
and qualifying replies per account, author and UTC week (responder load).

Both are additive, so a period's whole hours and weeks are a sum of a few thousand rows; the
metrics count only the cut-off ends (part of an hour, the days of a partial week) in the posts
themselves (``store/metrics.py``). The definitions are the metrics' own (``docs/insights.md``):

- **activity**: a post that is not deleted, not by a bot and of the regular kind;
- **qualifying reply**: such a post that is not the root, is by someone other than the thread's
  root author (or the root is not stored), and was written after the thread started.

Each post's share is recorded in ``tallied_posts``: which totals it is in, under which author and
time. :func:`reconcile` runs in ``facts.recompute`` for every thread a write touched, with all of
the thread's posts, so whatever changed — a new post, an edit, a tombstone, a post moved to
another thread, the thread's root or start — it takes the recorded share out and puts the
current one in, and a replay changes nothing. On PostgreSQL ``facts.recompute`` locks the
threads first, so two consoles writing the same thread take turns; the totals are changed last
in the transaction, by key order, with additive upserts that never overwrite a concurrent one.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Connection, bindparam, delete, update
from sqlalchemy.dialects import postgresql, sqlite

from cm_console.domain.model import PostKind
from cm_console.store import bulk
from cm_console.store import schema as s

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
WEEK_MS = 7 * DAY_MS
_MONDAY = 3 * DAY_MS
"""1970-01-01 was a Thursday: weeks start three days later in the cycle (Monday 00:00 UTC)."""

ACTIVITY = 1
"""``tally`` bit: the post counts in ``activity_hours``."""
REPLY = 2
"""``tally`` bit: the post counts in ``reply_weeks``."""

_REGULAR = PostKind.REGULAR.value


def hour_of(ms: int) -> int:
    """The first instant of the UTC hour ``ms`` falls in."""
    return ms - ms % HOUR_MS


def week_of(ms: int) -> int:
    """The first instant (Monday 00:00 UTC) of the week ``ms`` falls in."""
    return ms - (ms + _MONDAY) % WEEK_MS


def next_week(ms: int) -> int:
    """The first week start at or after ``ms``."""
    start = week_of(ms)
    return start if start == ms else start + WEEK_MS


def next_hour(ms: int) -> int:
    """The first hour start at or after ``ms``."""
    start = hour_of(ms)
    return start if start == ms else start + HOUR_MS


class PostShare(NamedTuple):
    """One stored post as :func:`reconcile` reads it, with what is recorded for it (if any)."""

    post_id: int
    author_id: int
    created_at: int
    is_root: bool
    kind: str
    deleted: bool
    by_bot: bool
    tallied_author_id: int | None
    tallied_created_at: int | None
    tally: int | None


def tally_of(post: PostShare, thread_created_at: int, root_author_id: int | None) -> int:
    """Which totals ``post`` belongs in now (bits), by the metrics' definitions."""
    if post.deleted or post.by_bot or post.kind != _REGULAR:
        return 0
    if (
        not post.is_root
        and post.author_id != root_author_id
        and post.created_at > thread_created_at
    ):
        return ACTIVITY | REPLY
    return ACTIVITY


class Changes:
    """What :func:`reconcile` found for some threads: rows of ``tallied_posts`` to write and the
    changes to the totals, applied by :meth:`write_tallies` and :meth:`write_totals`."""

    def __init__(self) -> None:
        self.inserts: list[dict[str, int]] = []
        self.updates: list[dict[str, int]] = []
        self.deletes: list[int] = []
        self.hours: Counter[int] = Counter()
        self.weeks: Counter[tuple[int, int]] = Counter()  # by (author, week)

    def add(self, author_id: int, created_at: int, tally: int, sign: int) -> None:
        if tally & ACTIVITY:
            self.hours[hour_of(created_at)] += sign
        if tally & REPLY:
            self.weeks[(author_id, week_of(created_at))] += sign

    def write_tallies(self, conn: Connection) -> None:
        """Record each post's new share (the posts' threads are locked by the caller)."""
        self.inserts.sort(key=_by_post)
        self.updates.sort(key=_by_post)
        bulk.executemany(conn, _INSERT_TALLY, self.inserts)
        bulk.executemany(
            conn, _UPDATE_TALLY, [{"pid": r.pop("post_id"), **r} for r in self.updates]
        )
        ids = sorted(self.deletes)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            conn.execute(delete(s.tallied_posts).where(s.tallied_posts.c.post_id.in_(chunk)))
        self.inserts, self.updates, self.deletes = [], [], []

    def write_totals(self, conn: Connection, account_id: int) -> None:
        """Add the changes to the totals, in key order (two writers never wait on each other in
        opposite orders); keys whose changes cancel out are left alone."""
        hours = [
            {"account_id": account_id, "hour": hour, "posts": n}
            for hour, n in sorted(self.hours.items())
            if n
        ]
        weeks = [
            {"account_id": account_id, "author_id": author, "week": week, "replies": n}
            for (author, week), n in sorted(self.weeks.items())
            if n
        ]
        dialect = conn.dialect.name
        bulk.executemany(conn, _add_statement(dialect, s.activity_hours, "posts"), hours)
        bulk.executemany(conn, _add_statement(dialect, s.reply_weeks, "replies"), weeks)
        self.hours.clear()
        self.weeks.clear()


def _by_post(row: dict[str, int]) -> int:
    return row["post_id"]


def reconcile(
    changes: Changes,
    posts: Iterable[PostShare],
    thread_created_at: int,
    root_author_id: int | None,
) -> None:
    """Compare every post of one thread with what is recorded for it; note the differences."""
    for post in posts:
        tally = tally_of(post, thread_created_at, root_author_id)
        recorded = post.tally or 0
        if tally == recorded and (
            not tally
            or (post.author_id, post.created_at)
            == (post.tallied_author_id, post.tallied_created_at)
        ):
            continue
        if recorded:
            assert post.tallied_author_id is not None  # the columns are NOT NULL
            assert post.tallied_created_at is not None
            changes.add(post.tallied_author_id, post.tallied_created_at, recorded, -1)
        if tally:
            changes.add(post.author_id, post.created_at, tally, 1)
            row = {
                "post_id": post.post_id,
                "author_id": post.author_id,
                "created_at": post.created_at,
                "tally": tally,
            }
            (changes.updates if recorded else changes.inserts).append(row)
        else:
            changes.deletes.append(post.post_id)


_INSERT_TALLY = s.tallied_posts.insert()
_UPDATE_TALLY = (
    update(s.tallied_posts)
    .where(s.tallied_posts.c.post_id == bindparam("pid"))
    .values(
        author_id=bindparam("author_id"),
        created_at=bindparam("created_at"),
        tally=bindparam("tally"),
    )
)


@functools.lru_cache(maxsize=8)
def _add_statement(dialect_name: str, table: Any, column: str) -> Any:
    """``INSERT … ON CONFLICT (key) DO UPDATE SET n = n + excluded.n``: additive, so concurrent
    writers' changes to one key add up on PostgreSQL instead of one overwriting the other.
    Built once per engine and table (:func:`bulk.executemany` caches by statement)."""
    dialect: Any = postgresql if dialect_name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    return stmt.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={column: table.c[column] + stmt.excluded[column]},
    )
