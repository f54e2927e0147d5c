"""Dialogue-health aggregates in SQL: per-thread facts summed into a few thousand rows.

Thread-level metrics read only the ``threads`` facts (grouped by account, community and period
bucket). Four things need posts: back-and-forth turns (a window function over the posts of
threads with two or more replies), the activity heatmap (posts per UTC hour), responder load
(qualifying replies per person) and nothing else. The definitions live in
:mod:`cm_console.domain.metrics`; ``tests/integration/store/test_metrics.py`` checks them on
hand-built threads on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
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
    ResponseRow,
)
from cm_console.domain.model import PostKind
from cm_console.store import facts
from cm_console.store import schema as s
from cm_console.store.convert import to_ms
from cm_console.store.engine import Database

t = s.threads.c
p = s.posts.c
pe = s.people.c


def _bucket(column: Any, edges: Sequence[int]) -> ColumnElement[int]:
    """The index of the bucket ``column`` falls in (edges are the starts of buckets 1, 2, …)."""
    if not edges:
        return literal(0)
    return case(
        *((column < edge, literal(i)) for i, edge in enumerate(edges)),
        else_=literal(len(edges)),
    )


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def _scope_threads(scope: MetricsScope) -> list[ColumnElement[bool]]:
    """Eligible roots: started in the period, root stored and not deleted, old enough to judge."""
    conditions = [
        t.created_at >= to_ms(scope.since),
        t.created_at < to_ms(scope.until),
        ~t.root_deleted,
        t.root_author_id.is_not(None),
        t.unanswered_at <= to_ms(scope.now),
    ]
    if scope.account_id is not None:
        conditions.append(t.account_id == scope.account_id)
    if scope.container_id is not None:
        conditions.append(t.container_id == scope.container_id)
    return conditions


def _human_post() -> list[ColumnElement[bool]]:
    return [p.deleted_at.is_(None), ~p.by_bot, p.kind == PostKind.REGULAR.value]


def _roots(scope: MetricsScope) -> Any:
    """``threads`` joined to a human root author (bots do not start conversations)."""
    return s.threads.join(s.people, and_(pe.id == t.root_author_id, ~pe.is_bot))


def thread_groups(conn: Connection, scope: MetricsScope) -> dict[tuple[int, int, int], Counts]:
    """Sums of per-thread facts per (account, container, bucket)."""
    bucket = _bucket(t.created_at, scope.edges).label("bucket")
    answered = t.first_reply_at.is_not(None)
    employee = ~t.root_by_team
    settled = or_(t.resolved, t.closed)
    responders = case((t.participant_count > 1, t.participant_count - 1), else_=0)
    stmt = (
        select(
            t.account_id,
            t.container_id,
            bucket,
            func.count().label("roots"),
            func.sum(_flag(t.root_by_team)).label("team_roots"),
            func.sum(_flag(answered)).label("answered"),
            func.sum(_flag(and_(t.root_by_team, answered))).label("team_answered"),
            func.sum(_flag(and_(employee, ~answered, ~settled))).label("unanswered"),
            func.sum(_flag(and_(employee, settled))).label("closed"),
            func.sum(t.qualifying_reply_count).label("replies"),
            func.sum(case((answered, responders), else_=0)).label("responders"),
            # Threads with at most one visible reply: one turn if that reply qualifies.
            func.sum(
                case((and_(answered, t.reply_count < 2), t.qualifying_reply_count), else_=0)
            ).label("short_turns"),
        )
        .select_from(_roots(scope))
        .where(*_scope_threads(scope))
        .group_by(t.account_id, t.container_id, bucket)
    )
    out: dict[tuple[int, int, int], Counts] = {}
    for r in conn.execute(stmt):
        out[(r.account_id, r.container_id, int(r.bucket))] = Counts(
            roots=int(r.roots),
            team_roots=int(r.team_roots or 0),
            answered=int(r.answered or 0),
            team_answered=int(r.team_answered or 0),
            employee_unanswered=int(r.unanswered or 0),
            employee_closed=int(r.closed or 0),
            replies=int(r.replies or 0),
            responders=int(r.responders or 0),
            turns=int(r.short_turns or 0),
        )
    return out


def long_turns(conn: Connection, scope: MetricsScope) -> dict[tuple[int, int, int], int]:
    """Back-and-forth turns of answered roots with two or more replies, per group.

    A turn is a human post whose author differs from the previous human post's author, in
    time order: question → answer is one turn, → follow-up → answer is three.
    """
    sequence = (
        select(
            t.account_id,
            t.container_id,
            _bucket(t.created_at, scope.edges).label("bucket"),
            p.author_id,
            func.lag(p.author_id)
            .over(partition_by=p.thread_id, order_by=(p.created_at, p.id))
            .label("previous"),
        )
        .select_from(_roots(scope).join(s.posts, p.thread_id == t.id))
        .where(*_scope_threads(scope), t.first_reply_at.is_not(None), t.reply_count >= 2)
        .where(*_human_post())
        .subquery()
    )
    q = sequence.c
    changed = and_(q.previous.is_not(None), q.previous != q.author_id)
    stmt = select(
        q.account_id, q.container_id, q.bucket, func.sum(_flag(changed)).label("turns")
    ).group_by(q.account_id, q.container_id, q.bucket)
    return {
        (r.account_id, r.container_id, int(r.bucket)): int(r.turns or 0) for r in conn.execute(stmt)
    }


def response_rows(conn: Connection, scope: MetricsScope) -> tuple[ResponseRow, ...]:
    """Answered employee roots: when they started and when the first replies came."""
    stmt = (
        select(
            t.container_id,
            _bucket(t.created_at, scope.edges).label("bucket"),
            t.created_at,
            t.first_reply_at,
            t.first_team_reply_at,
        )
        .select_from(_roots(scope))
        .where(*_scope_threads(scope), ~t.root_by_team, t.first_reply_at.is_not(None))
    )
    return tuple(
        ResponseRow(r.container_id, int(r.bucket), r.created_at, r.first_reply_at, r[4])
        for r in conn.execute(stmt)
    )


def hour_counts(conn: Connection, scope: MetricsScope) -> tuple[tuple[int, int], ...]:
    """Human, visible, not deleted posts per UTC hour (hours since the epoch) in the period."""
    hour = (p.created_at // HOUR_MS).label("hour")
    conditions = [
        p.created_at >= to_ms(scope.since),
        p.created_at < to_ms(scope.until),
        *_human_post(),
    ]
    source: Any = s.posts
    if scope.account_id is not None:
        conditions.append(p.account_id == scope.account_id)
    if scope.container_id is not None:
        source = s.posts.join(s.threads, t.id == p.thread_id)
        conditions.append(t.container_id == scope.container_id)
    stmt = select(hour, func.count()).select_from(source).where(*conditions).group_by(hour)
    return tuple((int(r[0]), int(r[1])) for r in conn.execute(stmt))


def responders(conn: Connection, scope: MetricsScope) -> tuple[Responder, ...]:
    """Qualifying replies written in the period, per person (by the reply's time)."""
    conditions = [
        p.created_at >= to_ms(scope.since),
        p.created_at < to_ms(scope.until),
        ~p.is_root,
        *_human_post(),
        or_(t.root_author_id.is_(None), p.author_id != t.root_author_id),
        p.created_at > t.created_at,
    ]
    if scope.account_id is not None:
        conditions.append(p.account_id == scope.account_id)
    if scope.container_id is not None:
        conditions.append(t.container_id == scope.container_id)
    per_author = (
        select(p.author_id, func.count().label("replies"))
        .select_from(s.posts.join(s.threads, t.id == p.thread_id))
        .where(*conditions)
        .group_by(p.author_id)
        .subquery()
    )
    stmt = select(pe.id, pe.display_name, pe.handle, pe.is_team, per_author.c.replies).join(
        per_author, per_author.c.author_id == pe.id
    )
    return tuple(
        Responder(r.id, r.display_name or r.handle, int(r.replies), bool(r.is_team))
        for r in conn.execute(stmt)
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
        """Everything the insights need for ``scope``, from one consistent snapshot."""
        with self._db.read() as conn:
            groups = thread_groups(conn, scope)
            for key, turns in long_turns(conn, scope).items():
                counts = groups.get(key)
                if counts is not None:
                    groups[key] = counts + Counts(turns=turns)
            containers, accounts = names(conn, scope)
            return MetricsData(
                groups=groups,
                responses=response_rows(conn, scope),
                hours=hour_counts(conn, scope),
                responders=responders(conn, scope),
                calendars=calendars(conn, sorted(accounts)),
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
