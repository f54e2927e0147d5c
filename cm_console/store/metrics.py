"""Dialogue-health aggregates: per-thread facts and running totals, summed into a few thousand
rows.

Thread-level metrics read only the ``threads`` facts (one pass over the period's threads, summed
per account, community and period bucket), conversation depth included (``turn_count``, kept at
ingest like the other facts). Two things are about posts: the activity heatmap (posts per UTC
hour) and responder load (qualifying replies per person). Both read the running totals kept at
ingest (:mod:`cm_console.store.rollups`) for the whole hours and weeks of the period, and count
only the cut-off ends, or a single community, in the posts. The definitions live in
:mod:`cm_console.domain.metrics`; ``tests/integration/store/test_metrics.py`` checks them on
hand-built threads on SQLite and PostgreSQL, ``test_rollups.py`` the totals against the posts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, case, func, or_, select

from cm_console.domain.metrics import (
    HOUR_MS,
    Calendar,
    Counts,
    MetricsData,
    MetricsScope,
    Responder,
    Responses,
)
from cm_console.domain.model import PostKind
from cm_console.store import facts, rollups
from cm_console.store import schema as s
from cm_console.store.convert import to_ms
from cm_console.store.engine import Database

t = s.threads.c
p = s.posts.c
pe = s.people.c
ah = s.activity_hours.c
rw = s.reply_weeks.c


INDEXED_PERIOD = timedelta(days=91)
"""Periods up to this long find their threads through ``ix_threads_created``; longer ones read
the threads table in one pass (``created_at + 0``): walking the index over a year fetches every
row by its id, which cost a third more CPU than the scan at 100,000 threads."""


def _scope_threads(scope: MetricsScope) -> list[ColumnElement[bool]]:
    """Eligible roots: started in the period, root stored and not deleted, old enough to judge."""
    long_period = scope.until - scope.since > INDEXED_PERIOD
    created = t.created_at + 0 if long_period else t.created_at
    conditions = [
        created >= to_ms(scope.since),
        created < to_ms(scope.until),
        ~t.root_deleted,
        t.root_author_id.is_not(None),
        t.unanswered_at <= to_ms(scope.now),
    ]
    if scope.account_id is not None:
        conditions.append(t.account_id == scope.account_id)
    if scope.container_id is not None:
        conditions.append(t.container_id == scope.container_id)
    return conditions


def _posts_in(scope: MetricsScope) -> list[ColumnElement[bool]]:
    """Posts written in the period, read in one pass over the table.

    ``created_at + 0`` keeps SQLite from "skip-scanning" the (author, created_at) index for the
    range: that reads every post row out of order and costs eight times a plain scan at a
    million posts. A year of posts is most of the table, so one sequential pass is the fastest.
    """
    created = p.created_at + 0
    return [created >= to_ms(scope.since), created < to_ms(scope.until)]


def _human_post() -> list[ColumnElement[bool]]:
    return [p.deleted_at.is_(None), ~p.by_bot, p.kind == PostKind.REGULAR.value]


def _human_roots() -> ColumnElement[bool]:
    """The root author is not a bot (bots do not start conversations); the few bots' ids are
    looked up once, which is cheaper than joining every thread to its author."""
    return t.root_author_id.not_in(select(pe.id).where(pe.is_bot))


_TEAM_ROOT, _ANSWERED, _SETTLED = 1, 2, 4
"""Bits of the per-thread flags column :func:`thread_facts` reads."""


def thread_facts(
    conn: Connection, scope: MetricsScope
) -> tuple[dict[tuple[int, int, int], Counts], Responses]:
    """Sums of per-thread facts per (account, container, bucket), and the answered employee
    roots (when they started and when the first replies came) for the response times.

    One pass over the period's threads: a few integers per thread come back through the
    driver's cursor and numpy sums them per group. Grouping in SQL cost more than reading the
    rows (on SQLite every CASE of every sum is interpreted per thread, and the groups need a
    sort), and the response times need a row per answered thread anyway.
    """
    import numpy as np  # noqa: PLC0415 - only the insights need numpy

    flags = (
        case((t.root_by_team, _TEAM_ROOT), else_=0)
        + case((t.first_reply_at.is_not(None), _ANSWERED), else_=0)
        + case((or_(t.resolved, t.closed), _SETTLED), else_=0)
    )
    stmt = select(
        t.account_id,
        t.container_id,
        t.created_at,
        flags,
        t.qualifying_reply_count,
        t.participant_count,
        t.turn_count,
        func.coalesce(t.first_reply_at, -1),
        func.coalesce(t.first_team_reply_at, -1),
    ).where(*_scope_threads(scope), _human_roots())
    cursor = _driver_cursor(conn, stmt)
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return {}, Responses()
    width = 9
    table = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    account, container, created, bits, replies, participants, turns, first, first_team = (
        table.reshape(len(rows), width).T
    )
    del rows, table
    bucket = np.searchsorted(np.asarray(scope.edges, dtype=np.int64), created, side="right")
    # One integer per (account, container, bucket): sorting those is much cheaper than np.unique
    # over rows of three. Ids are far below the 2**63 this needs.
    containers, buckets = int(container.max()) + 1, len(scope.edges) + 1
    keys, group_of = np.unique(
        (account * containers + container) * buckets + bucket, return_inverse=True
    )
    group_of = group_of.reshape(-1)
    groups = [
        (key // (containers * buckets), key // buckets % containers, key % buckets)
        for key in keys.tolist()
    ]
    team = (bits & _TEAM_ROOT) != 0
    answered = (bits & _ANSWERED) != 0
    settled = (bits & _SETTLED) != 0
    employee = ~team

    def total(values: Any = None) -> list[int]:
        sums = np.bincount(group_of, weights=values, minlength=len(groups))
        return [int(v) for v in sums]

    columns = zip(
        total(),
        total(team),
        total(answered),
        total(team & answered),
        total(employee & ~answered & ~settled),
        total(employee & settled),
        total(replies),
        total(np.where(answered, np.maximum(participants - 1, 0), 0)),
        total(np.where(answered, turns, 0)),
        strict=True,
    )
    out = {group: Counts(*sums) for group, sums in zip(groups, columns, strict=True)}
    rows_answered = employee & answered
    responses = Responses(
        container[rows_answered],
        bucket[rows_answered],
        created[rows_answered],
        first[rows_answered],
        first_team[rows_answered],
    )
    return out, responses


def _pieces(since: int, until: int, first: int, last: int) -> list[tuple[int, int]]:
    """The parts of ``[since, until)`` outside the whole units ``[first, last)`` (``first`` is
    the first unit start at or after ``since``, ``last`` the last at or before ``until``); with
    no whole unit inside, the period cut at the one unit start it may cross."""
    if first < last:
        pieces = [(since, first), (last, until)]
    else:
        pieces = [(since, min(first, until)), (first, until)]
    return [(a, b) for a, b in pieces if a < b]


def hour_counts(conn: Connection, scope: MetricsScope) -> tuple[tuple[int, int], ...]:
    """Human, visible, not deleted posts per UTC hour (hours since the epoch) in the period.

    Whole hours come from ``activity_hours`` (kept at ingest); the cut-off hours at the ends
    are counted in the posts (``ix_posts_activity`` covers it). A community filter needs the
    thread of each post, so it groups the period's posts.
    """
    if scope.container_id is not None:
        hour = (p.created_at // HOUR_MS).label("hour")
        conditions = [*_posts_in(scope), *_human_post(), t.container_id == scope.container_id]
        if scope.account_id is not None:
            conditions.append(p.account_id == scope.account_id)
        stmt = (
            select(hour, func.count())
            .select_from(s.posts.join(s.threads, t.id == p.thread_id))
            .where(*conditions)
            .group_by(hour)
        )
        return tuple((int(h), int(n)) for h, n in conn.execute(stmt).all())
    since, until = to_ms(scope.since), to_ms(scope.until)
    first, last = rollups.next_hour(since), rollups.hour_of(until)
    counts: Counter[int] = Counter()
    if first < last:
        stmt = select(ah.hour, ah.posts).where(
            _of_accounts(ah.account_id, scope), ah.hour >= first, ah.hour < last
        )
        for hour, n in conn.execute(stmt):
            counts[hour // HOUR_MS] += n
    for start, end in _pieces(since, until, first, last):
        conditions = [p.created_at >= start, p.created_at < end, *_human_post()]
        if scope.account_id is not None:
            conditions.append(p.account_id == scope.account_id)
        n = conn.execute(select(func.count()).select_from(s.posts).where(*conditions)).scalar()
        counts[start // HOUR_MS] += n or 0
    return tuple((h, n) for h, n in sorted(counts.items()) if n)


def _of_accounts(column: Any, scope: MetricsScope) -> ColumnElement[bool]:
    """The scope's account, or every account (an IN list lets SQLite seek each account's range
    of a roll-up's primary key instead of reading all of it)."""
    if scope.account_id is not None:
        return column == scope.account_id  # type: ignore[no-any-return]
    return column.in_(select(s.accounts.c.id))  # type: ignore[no-any-return]


def _driver_cursor(conn: Connection, stmt: Any) -> Any:
    """Execute ``stmt`` on the driver's own cursor (inside ``conn``'s transaction).

    For the big results (the period's threads, reply authors, the people) SQLAlchemy's row
    objects cost more than the query; the statements' parameters are only integers and fixed
    words, never user text.
    """
    compiled = stmt.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    args: Any = (
        tuple(params[name] for name in compiled.positiontup or ())
        if conn.dialect.positional
        else params
    )
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    cursor.execute(str(compiled), args)
    return cursor


def _count_first_column(conn: Connection, stmt: Any) -> Counter[int]:
    """Count the values of a one-column query in Python.

    On SQLite a GROUP BY over a year of replies sorts every row, in memory with the console's
    connection settings (``temp_store=MEMORY``); streaming the ids into a Counter costs a third
    of that.
    """
    cursor = _driver_cursor(conn, stmt)
    try:
        counts: Counter[int] = Counter()
        first = itemgetter(0)
        while rows := cursor.fetchmany(20_000):
            counts.update(map(first, rows))
        return counts
    finally:
        cursor.close()


def _replies_in_posts(
    conn: Connection, scope: MetricsScope, since: int, until: int, *, scan: bool
) -> Mapping[int, int]:
    """Qualifying replies written in ``[since, until)`` per author, counted in the posts.

    ``scan``: read the posts in one pass (a long period, or a community: most of the table);
    otherwise find them through the creation-time index.
    """
    created = p.created_at + 0 if scan else p.created_at
    conditions = [
        created >= since,
        created < until,
        ~p.is_root,
        *_human_post(),
        or_(t.root_author_id.is_(None), p.author_id != t.root_author_id),
        p.created_at > t.created_at,
    ]
    if scope.account_id is not None:
        conditions.append(p.account_id == scope.account_id)
    if scope.container_id is not None:
        conditions.append(t.container_id == scope.container_id)
    # "thread_id + 0", as in _posts_in: one sequential pass over the posts, each reply looking
    # up its thread, instead of walking the threads and reading their posts out of order.
    replies = s.posts.join(s.threads, t.id == p.thread_id + 0)
    if conn.dialect.name == "sqlite":
        return _count_first_column(
            conn, select(p.author_id).select_from(replies).where(*conditions)
        )
    # PostgreSQL aggregates with a hash table: no sort to avoid
    stmt = select(p.author_id, func.count()).select_from(replies).where(*conditions)
    return {a: int(n) for a, n in conn.execute(stmt.group_by(p.author_id)).all()}


def reply_counts(conn: Connection, scope: MetricsScope) -> Counter[int]:
    """Qualifying replies written in the period, per person (by the reply's time).

    Whole weeks come from ``reply_weeks`` (kept at ingest), the cut-off days at the ends from
    the posts; a community filter needs each reply's thread, so it counts the period's posts.
    """
    since, until = to_ms(scope.since), to_ms(scope.until)
    counts: Counter[int] = Counter()
    if scope.container_id is not None:
        counts.update(_replies_in_posts(conn, scope, since, until, scan=True))
        return counts
    first, last = rollups.next_week(since), rollups.week_of(until)
    if first < last:
        # One account at a time: SQLite then sums each author's weeks in key order, no sort.
        accounts = (
            [scope.account_id]
            if scope.account_id is not None
            else list(conn.execute(select(s.accounts.c.id)).scalars())
        )
        stmt = (
            select(rw.author_id, func.sum(rw.replies))
            .where(rw.account_id == bindparam("account"), rw.week >= first, rw.week < last)
            .group_by(rw.author_id)
        )
        for account in accounts:
            for author, n in conn.execute(stmt, {"account": account}):
                counts[author] += int(n)
    for start, end in _pieces(since, until, first, last):
        counts.update(_replies_in_posts(conn, scope, start, end, scan=False))
    return counts


def responders(conn: Connection, scope: MetricsScope) -> tuple[Responder, ...]:
    """Qualifying replies written in the period, per person (by the reply's time)."""
    counts = +reply_counts(conn, scope)  # people whose replies were all taken back drop out
    if not counts:
        return ()
    people = select(pe.id, pe.display_name, pe.handle, pe.is_team)
    if scope.account_id is not None:
        people = people.where(pe.account_id == scope.account_id)
    cursor = _driver_cursor(conn, people)  # everyone once: cheaper than looking each one up
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return tuple(
        Responder(person, display_name or handle, counts[person], bool(is_team))
        for person, display_name, handle, is_team in rows
        if person in counts
    )


def names(
    conn: Connection, scope: MetricsScope
) -> tuple[dict[int, tuple[str, int]], dict[int, tuple[str, str]]]:
    """Container names (with their account) and account names (with their platform)."""
    accounts_q = select(s.accounts.c.id, s.accounts.c.name, s.accounts.c.platform)
    containers_q = select(s.containers.c.id, s.containers.c.name, s.containers.c.account_id)
    if scope.account_id is not None:
        accounts_q = accounts_q.where(s.accounts.c.id == scope.account_id)
        containers_q = containers_q.where(s.containers.c.account_id == scope.account_id)
    accounts = {r.id: (r.name, r.platform) for r in conn.execute(accounts_q)}
    containers = {r.id: (r.name, r.account_id) for r in conn.execute(containers_q)}
    return containers, accounts


def calendars(conn: Connection, account_ids: Sequence[int]) -> dict[int, Calendar]:
    """Business hours and first-response target per container (account settings + overrides)."""
    out: dict[int, Calendar] = {}
    for account_id in account_ids:
        for container_id, th in facts.container_thresholds(conn, account_id).items():
            out[container_id] = Calendar(th.business_hours, th.sla_hours)
    return out


class Metrics:
    """Aggregates for the dashboard, ``cm-console report`` and the planner's suggestions."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def collect(self, scope: MetricsScope) -> MetricsData:
        """Everything the insights need for ``scope``.

        Three read transactions run side by side: the thread facts, and the two aggregates
        that each read a period of posts (the sqlite3 and psycopg drivers release the GIL while
        the database works, so on a multi-core machine they overlap). A sync committing in
        between can move a count by the posts it added.
        """

        def thread_part() -> tuple[Any, ...]:
            with self._db.read() as conn:
                containers, accounts = names(conn, scope)
                groups, responses = thread_facts(conn, scope)
                return (
                    groups,
                    responses,
                    containers,
                    accounts,
                    calendars(conn, sorted(accounts)),
                )

        def read(fn: Any) -> Any:
            with self._db.read() as conn:
                return fn(conn, scope)

        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="metrics") as pool:
            hours = pool.submit(read, hour_counts)
            people = pool.submit(read, responders)
            groups, responses, containers, accounts, calendar = thread_part()
            return MetricsData(
                groups=groups,
                responses=responses,
                hours=hours.result(),
                responders=people.result(),
                calendars=calendar,
                containers=containers,
                accounts=accounts,
            )

    def calendars(self, account_ids: Sequence[int]) -> dict[int, Calendar]:
        """Business hours and first-response target per container of ``account_ids``."""
        with self._db.read() as conn:
            return calendars(conn, account_ids)

    def hour_counts(self, scope: MetricsScope) -> tuple[tuple[int, int], ...]:
        """Posts per UTC hour for ``scope`` (the planner's suggested time)."""
        with self._db.read() as conn:
            return hour_counts(conn, scope)
