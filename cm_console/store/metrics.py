"""Dialogue-health aggregates in SQL: per-thread facts summed into a few thousand rows.

Thread-level metrics read only the ``threads`` facts (grouped by account, community and period
bucket), conversation depth included (``turn_count``, kept at ingest like the other facts). Two
things need posts: the activity heatmap (posts per UTC hour) and responder load (qualifying
replies per person). The definitions live in
:mod:`cm_console.domain.metrics`; ``tests/integration/store/test_metrics.py`` checks them on
hand-built threads on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)

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
from cm_console.store import facts
from cm_console.store import schema as s
from cm_console.store.convert import to_ms
from cm_console.store.engine import Database

t = s.threads.c
p = s.posts.c
pe = s.people.c


def _bucket(column: Any, edges: Sequence[int]) -> ColumnElement[int] | None:
    """The index of the bucket ``column`` falls in (edges are the starts of buckets 1, 2, …);
    None for a single bucket (a constant in GROUP BY would read as a column number)."""
    if not edges:
        return None

    def tree(first: int, last: int) -> ColumnElement[int]:
        # A binary search: about log2(n) comparisons per row instead of n/2 for a flat CASE.
        if first == last:
            return literal(first)
        middle = (first + last + 1) // 2
        return case((column < edges[middle - 1], tree(first, middle - 1)), else_=tree(middle, last))

    return tree(0, len(edges))


def _bucket_of(row: Any) -> int:
    return int(getattr(row, "bucket", 0) or 0)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


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


def _roots(scope: MetricsScope) -> Any:
    """``threads`` joined to a human root author (bots do not start conversations)."""
    return s.threads.join(s.people, and_(pe.id == t.root_author_id, ~pe.is_bot))


def thread_groups(conn: Connection, scope: MetricsScope) -> dict[tuple[int, int, int], Counts]:
    """Sums of per-thread facts per (account, container, bucket)."""
    bucket = _bucket(t.created_at, scope.edges)
    # "+ 0": grouping by the bare columns makes SQLite walk an index in group order and fetch
    # every thread row out of order; one sequential pass and a sort is several times cheaper.
    keys: list[Any] = [
        (t.account_id + 0).label("account_id"),
        (t.container_id + 0).label("container_id"),
    ]
    if bucket is not None:
        keys.append(bucket.label("bucket"))
    answered = t.first_reply_at.is_not(None)
    employee = ~t.root_by_team
    settled = or_(t.resolved, t.closed)
    responders = case((t.participant_count > 1, t.participant_count - 1), else_=0)
    stmt = (
        select(
            *keys,
            func.count().label("roots"),
            func.sum(_flag(t.root_by_team)).label("team_roots"),
            func.sum(_flag(answered)).label("answered"),
            func.sum(_flag(and_(t.root_by_team, answered))).label("team_answered"),
            func.sum(_flag(and_(employee, ~answered, ~settled))).label("unanswered"),
            func.sum(_flag(and_(employee, settled))).label("closed"),
            func.sum(t.qualifying_reply_count).label("replies"),
            func.sum(case((answered, responders), else_=0)).label("responders"),
            func.sum(case((answered, t.turn_count), else_=0)).label("turns"),
        )
        .select_from(_roots(scope))
        .where(*_scope_threads(scope))
        .group_by(*keys)
    )
    out: dict[tuple[int, int, int], Counts] = {}
    for r in conn.execute(stmt).all():
        out[(r.account_id, r.container_id, _bucket_of(r))] = Counts(
            roots=int(r.roots),
            team_roots=int(r.team_roots or 0),
            answered=int(r.answered or 0),
            team_answered=int(r.team_answered or 0),
            employee_unanswered=int(r.unanswered or 0),
            employee_closed=int(r.closed or 0),
            replies=int(r.replies or 0),
            responders=int(r.responders or 0),
            turns=int(r.turns or 0),
        )
    return out


def response_rows(conn: Connection, scope: MetricsScope) -> Responses:
    """Answered employee roots: when they started and when the first replies came."""
    bucket = _bucket(t.created_at, scope.edges)
    columns: list[Any] = [
        t.container_id,
        bucket.label("bucket") if bucket is not None else literal(0).label("bucket"),
        t.created_at,
        t.first_reply_at,
        func.coalesce(t.first_team_reply_at, -1),
    ]
    stmt = (
        select(*columns)
        .select_from(_roots(scope))
        .where(*_scope_threads(scope), ~t.root_by_team, t.first_reply_at.is_not(None))
    )
    cursor = _driver_cursor(conn, stmt)
    try:
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if not rows:
        return Responses()
    containers, buckets, roots, firsts, teams = zip(*rows, strict=True)
    return Responses(containers, buckets, roots, firsts, teams)


def hour_counts(conn: Connection, scope: MetricsScope) -> tuple[tuple[int, int], ...]:
    """Human, visible, not deleted posts per UTC hour (hours since the epoch) in the period.

    One index range count per hour (``ix_posts_activity`` covers it): no sort of a year of
    posts, which a GROUP BY needs on SQLite. A community filter needs the thread, so it groups.
    """
    conditions = [*_posts_in(scope), *_human_post()]
    if scope.container_id is not None:
        hour = (p.created_at // HOUR_MS).label("hour")
        conditions.append(t.container_id == scope.container_id)
        if scope.account_id is not None:
            conditions.append(p.account_id == scope.account_id)
        stmt = (
            select(hour, func.count())
            .select_from(s.posts.join(s.threads, t.id == p.thread_id))
            .where(*conditions)
            .group_by(hour)
        )
        return tuple((int(h), int(n)) for h, n in conn.execute(stmt).all())
    first, last = to_ms(scope.since) // HOUR_MS, (to_ms(scope.until) - 1) // HOUR_MS
    hours = select(literal(first, BigInteger).label("h")).cte("hours", recursive=True)
    hours = hours.union_all(select(hours.c.h + 1).where(hours.c.h < last))
    in_hour = [
        p.created_at >= hours.c.h * HOUR_MS,
        p.created_at < (hours.c.h + 1) * HOUR_MS,
        p.created_at >= to_ms(scope.since),
        p.created_at < to_ms(scope.until),
        *_human_post(),
    ]
    if scope.account_id is not None:
        in_hour.append(p.account_id == scope.account_id)
    count = select(func.count()).select_from(s.posts).where(*in_hour).scalar_subquery()
    stmt = select(hours.c.h, count.label("posts"))
    return tuple((int(h), int(n)) for h, n in conn.execute(stmt).all() if n)


def _driver_cursor(conn: Connection, stmt: Any) -> Any:
    """Execute ``stmt`` on the driver's own cursor (inside ``conn``'s transaction).

    For the two big results (answered threads, reply authors) SQLAlchemy's row objects cost
    more than the query; the statements hold only integers and fixed words, never user text.
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


def responders(conn: Connection, scope: MetricsScope) -> tuple[Responder, ...]:
    """Qualifying replies written in the period, per person (by the reply's time)."""
    conditions = [
        *_posts_in(scope),
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
    counts: Mapping[int, int]
    if conn.dialect.name == "sqlite":
        counts = _count_first_column(
            conn, select(p.author_id).select_from(replies).where(*conditions)
        )
    else:  # PostgreSQL aggregates with a hash table: no sort to avoid
        stmt = select(p.author_id, func.count()).select_from(replies).where(*conditions)
        counts = {a: int(n) for a, n in conn.execute(stmt.group_by(p.author_id)).all()}
    if not counts:
        return ()
    people = select(pe.id, pe.display_name, pe.handle, pe.is_team)
    if scope.account_id is not None:
        people = people.where(pe.account_id == scope.account_id)
    return tuple(
        Responder(r.id, r.display_name or r.handle, int(counts[r.id]), bool(r.is_team))
        for r in conn.execute(people).all()
        if r.id in counts
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
                return (
                    thread_groups(conn, scope),
                    response_rows(conn, scope),
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
