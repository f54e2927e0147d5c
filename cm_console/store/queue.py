"""The triage queue in SQL: states, triage status and priority evaluated at ``now``.

These expressions are the SQL twins of :mod:`cm_console.domain.rules` and
:mod:`cm_console.domain.priority`; ``tests/integration/store/test_queue_rules.py`` checks that both
give the same answer for every thread. They read only per-thread facts and deadlines (never posts),
so a count or a page costs milliseconds on a million posts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    null,
    or_,
    select,
    true,
)

from cm_console.domain import priority as prio
from cm_console.domain.rules import QUEUE_STATES, Deadlines, State, ThreadFacts, TriageStatus
from cm_console.domain.views import QueueItem, QueueQuery, SortKey, View, ViewCounts
from cm_console.store import schema as s
from cm_console.store.convert import from_ms, to_ms
from cm_console.store.engine import Database
from cm_console.store.search import thread_matches

t = s.threads.c
tr = s.triage.c

_QUEUE_STATE_VALUES = [st.value for st in QUEUE_STATES]
_CLOSED_STATES = [State.RESOLVED.value, State.ABANDONED.value]
_STATE_VIEWS = {
    View.UNANSWERED: State.UNANSWERED,
    View.STALLED: State.STALLED,
    View.AWAITING: State.AWAITING,
}


Now = int | ColumnElement[int]
"""``now`` in milliseconds: a value, or the bound parameter of a cached statement."""

NOW: ColumnElement[int] = bindparam("now_ms", type_=BigInteger)
"""The ``now`` parameter of the cached queue statements."""


def state_expr(now_ms: Now) -> ColumnElement[str]:
    """The thread's state at ``now`` (first match wins, as in ``rules.thread_state``)."""
    no_reply = t.first_reply_at.is_(None)
    return case(
        (t.is_settled, literal(State.RESOLVED.value)),
        (t.abandoned_at <= now_ms, literal(State.ABANDONED.value)),
        (and_(no_reply, t.root_by_team), literal(State.BROADCAST.value)),
        (and_(no_reply, t.unanswered_at > now_ms), literal(State.NEW.value)),
        (no_reply, literal(State.UNANSWERED.value)),
        (
            and_(
                t.last_team_post_at.is_not(None),
                t.last_nonteam_post_at > t.last_team_post_at,
            ),
            literal(State.AWAITING.value),
        ),
        (and_(t.open_end, t.stalled_at <= now_ms), literal(State.STALLED.value)),
        else_=literal(State.ANSWERED.value),
    )


def status_expr(now_ms: Now) -> ColumnElement[str]:
    """The triage status in force at ``now`` (as ``rules.effective_status``)."""
    newer_post = func.coalesce(t.last_nonteam_arrival_at, -1) > tr.status_at
    return case(
        (and_(tr.status == TriageStatus.DONE.value, ~newer_post), literal("done")),
        (
            and_(
                tr.status == TriageStatus.SNOOZED.value,
                or_(tr.snooze_until.is_(None), tr.snooze_until > now_ms),
                ~and_(tr.snooze_until_reply, newer_post),
            ),
            literal("snoozed"),
        ),
        else_=literal("open"),
    )


def _waiting_since(state: ColumnElement[str], cols: Any = t) -> ColumnElement[int]:
    return case(
        (state == State.AWAITING.value, func.coalesce(cols.last_nonteam_post_at, cols.created_at)),
        (state == State.STALLED.value, cols.last_activity_at),
        else_=cols.created_at,
    )


def priority_expr(state: ColumnElement[str], now_ms: Now, cols: Any = t) -> ColumnElement[int]:
    """The sum of reason weights, as ``priority.explain`` computes them.

    ``cols`` holds the thread columns it reads: the threads table, or a subquery of it.
    """
    step = int(prio.WAITING_STEP.total_seconds() * 1000)
    since = _waiting_since(state, cols)
    now = now_ms if isinstance(now_ms, ColumnElement) else literal(now_ms, BigInteger)
    # Whole steps, as ``priority.waiting_points`` counts them (``/`` would be true division).
    waited = (now - since) // step
    unanswered = state == State.UNANSWERED.value
    base = case(
        *((state == st.value, literal(w)) for st, w in prio.BASE_WEIGHT.items()), else_=literal(0)
    )
    return (
        base
        + case((and_(unanswered, cols.sla_due_at <= now_ms), prio.PAST_SLA_WEIGHT), else_=0)
        + case((and_(unanswered, cols.root_asks_question), prio.QUESTION_WEIGHT), else_=0)
        + case((and_(unanswered, cols.by_newcomer), prio.NEWCOMER_WEIGHT), else_=0)
        + case(
            (
                and_(state.in_(_QUEUE_STATE_VALUES), since < now_ms),
                case((waited >= prio.WAITING_CAP, prio.WAITING_CAP), else_=waited),
            ),
            else_=0,
        )
        + case(
            (
                and_(prompt_overdue(now_ms, cols), state.not_in(_CLOSED_STATES)),
                prio.PROMPT_UNANSWERED_WEIGHT,
            ),
            else_=0,
        )
    )


def prompt_overdue(now_ms: Now, cols: Any = t) -> ColumnElement[bool]:
    """A prompted colleague has not answered by the follow-up deadline."""
    return and_(cols.prompt_due_at.is_not(None), cols.prompt_due_at <= now_ms)


def _awaiting_fact() -> ColumnElement[bool]:
    return t.last_nonteam_post_at > t.last_team_post_at


def _active(now_ms: Now) -> ColumnElement[bool]:
    """Not settled and not abandoned: the range the active-thread index (``ix_threads_active``)
    holds."""
    return and_(t.is_settled == false(), t.abandoned_at > now_ms)


_SORT_COLUMNS = {
    SortKey.TITLE: "title",
    SortKey.REPLIES: "reply_count",
    SortKey.CONTAINER: "container_id",
    SortKey.AUTHOR: "root_author_id",
    SortKey.PLATFORM: "account_id",
}
"""Thread columns that only a sort needs (the others are always evaluated)."""


def _evaluated(
    now_ms: Now,
    *conditions: ColumnElement[bool],
    materialized: bool | None = None,
    columns: tuple[str, ...] = tuple(_SORT_COLUMNS.values()),
) -> Any:
    """Threads (those meeting ``conditions``) with their state, status and priority at ``now``.

    The state is computed once per thread in an inner query that is kept whole (a
    ``MATERIALIZED`` CTE on both engines): the priority and the view's filters then read it as a
    column, instead of the engine inlining the state expression into each of the dozen places
    that use it. ``conditions`` go into that inner query, so it only holds the threads the view
    can show; without conditions (or with ``materialized=False``) the inner query is inlined, so
    the engine can apply the caller's filters while it walks an index. Besides what state,
    status and priority read, the inner query carries only ``columns``: with no more than that,
    the active-thread indexes hold everything it reads.
    """
    if materialized is None:
        materialized = bool(conditions)
    inner = (
        select(
            t.id,
            *(t[name] for name in columns),
            t.created_at,
            t.last_activity_at,
            t.is_settled,
            t.abandoned_at,
            t.sla_due_at,
            t.root_asks_question,
            t.by_newcomer,
            t.last_nonteam_post_at,
            t.prompt_due_at,
            state_expr(now_ms).label("state"),
            status_expr(now_ms).label("status"),
            func.coalesce(tr.flagged, false()).label("flagged"),
            tr.assignee_id,
        )
        .select_from(s.threads.outerjoin(s.triage, tr.thread_id == t.id))
        .where(*conditions)
    )
    e = inner.cte("e").prefix_with("MATERIALIZED") if materialized else inner.subquery("e")
    return select(
        *e.c,
        priority_expr(e.c.state, now_ms, e.c).label("priority"),
        prompt_overdue(now_ms, e.c).label("prompt_overdue"),
        _waiting_since(e.c.state, e.c).label("waiting_since"),
    ).subquery("q")


def _in_queue(q: Any) -> ColumnElement[bool]:
    """In a queue state, or back in the queue because a prompted colleague did not answer."""
    return or_(q.c.state.in_(_QUEUE_STATE_VALUES), q.c.prompt_overdue == true())


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a view's statement depends on (its values are bound parameters)."""

    view: View
    queue_part: bool | None
    no_user: bool
    account: bool
    container: bool
    tag: bool
    search: Any
    """The search's selectable (one object for every query), or None: no search."""
    sort_column: str | None = None
    """The thread column the view is sorted by, when state and priority do not carry it."""
    unanswered_only: bool = False
    """Only threads without a qualifying reply (see :func:`_top_by_priority`)."""


def _shape(
    conn: Connection, query: QueueQuery, queue_part: bool | None
) -> tuple[_Shape, dict[str, Any]]:
    params: dict[str, Any] = {}
    search = None
    # A query with no terms (blank) filters nothing.
    found = thread_matches(conn.dialect.name, query.search) if query.search else None
    if found is not None:
        search = found[0]
        params.update(found[1])
    if query.user_id is not None:
        params["user_id"] = query.user_id
    if query.account is not None:
        params["account_name"] = query.account
    if query.container_id is not None:
        params["container_id"] = query.container_id
    if query.tag:
        params["tag"] = query.tag
    shape = _Shape(
        view=query.view,
        queue_part=queue_part,
        no_user=query.user_id is None,
        account=query.account is not None,
        container=query.container_id is not None,
        tag=bool(query.tag),
        search=search,
        sort_column=_SORT_COLUMNS.get(query.sort),
    )
    return shape, params


@functools.lru_cache(maxsize=256)
def _filtered(shape: _Shape) -> tuple[Select[Any], Any]:
    """The view's thread ids (unordered) and the evaluated subquery to order them by, with
    ``now`` and the filters' values as bound parameters (built once per shape).

    ``queue_part`` splits the all-threads view: True keeps the active threads in a queue state,
    False the others (see :func:`_all_in_parts`).
    """
    user: ColumnElement[Any] = null() if shape.no_user else bindparam("user_id", type_=Integer)
    # What narrows the threads by their stored columns goes into the inner query (each view
    # starts from its index: the active-thread index, or the few triage rows); what needs the
    # state or status is filtered on top. The inner conditions are implied by the outer ones:
    # they change no result.
    inner: list[ColumnElement[bool]] = []
    view = shape.view
    if view in (View.QUEUE, *_STATE_VIEWS) or shape.queue_part is True:
        inner.append(_active(NOW))
    # What each state needs of the facts, besides time (see ``state_expr``).
    replied = t.first_reply_at.is_not(None)
    if view is View.UNANSWERED or shape.unanswered_only:
        inner.append(t.first_reply_at.is_(None))
    elif view is View.AWAITING:
        inner.extend((replied, t.last_team_post_at.is_not(None), _awaiting_fact()))
    elif view is View.STALLED:
        inner.extend((replied, t.open_end == true()))
    elif view is View.MINE:
        inner.append(tr.assignee_id.is_(None) if shape.no_user else tr.assignee_id == user)
    elif view is View.SNOOZED:
        inner.append(tr.status == TriageStatus.SNOOZED.value)
    elif view is View.DONE:
        inner.append(tr.status == TriageStatus.DONE.value)
    elif view is View.FLAGGED:
        inner.append(tr.flagged == true())
    if shape.account:
        inner.append(
            t.account_id.in_(
                select(s.accounts.c.id).where(
                    s.accounts.c.name == bindparam("account_name", type_=String)
                )
            )
        )
    if shape.container:
        inner.append(t.container_id == bindparam("container_id", type_=Integer))
    if shape.tag:
        inner.append(
            t.id.in_(
                select(s.thread_tags.c.thread_id).where(
                    s.thread_tags.c.tag == bindparam("tag", type_=String)
                )
            )
        )
    if shape.search is not None:
        # A view that starts from an index (active threads, triage rows) checks each of its
        # threads against the matches; "id + 0" keeps the engine from starting at the matches
        # instead and reading every matching thread's row. The all-threads view starts there.
        thread_id = t.id + 0 if inner else t.id
        inner.append(thread_id.in_(shape.search))
    # Without narrowing conditions the evaluation is inlined, so the threads outside the queue
    # are read in creation order (an index) and only until a page is full.
    q = _evaluated(NOW, *inner, columns=(shape.sort_column,) if shape.sort_column else ())
    stmt: Select[Any] = select(q.c.id)
    active = and_(q.c.is_settled == false(), q.c.abandoned_at > NOW)
    if view is View.QUEUE:
        stmt = stmt.where(
            active,
            _in_queue(q),
            q.c.status == "open",
        )
    elif view in _STATE_VIEWS:
        stmt = stmt.where(active, q.c.state == _STATE_VIEWS[view].value, q.c.status == "open")
    elif view is View.MINE:
        mine = q.c.assignee_id.is_(None) if shape.no_user else q.c.assignee_id == user
        stmt = stmt.where(mine, q.c.status == "open")
    elif view is View.SNOOZED:
        stmt = stmt.where(q.c.status == "snoozed")
    elif view is View.DONE:
        stmt = stmt.where(q.c.status == "done")
    elif view is View.FLAGGED:
        stmt = stmt.where(q.c.flagged == true())
    elif shape.queue_part is True:
        stmt = stmt.where(active, _in_queue(q))
    elif shape.queue_part is False:
        stmt = stmt.where(~and_(active, _in_queue(q)))
    return stmt, q


@functools.lru_cache(maxsize=256)
def _ordered(shape: _Shape, sort: SortKey, descending: bool) -> Select[Any]:
    stmt, q = _filtered(shape)
    if shape.queue_part is False:
        # Outside the queue every thread has priority 0 and waits since its creation.
        return stmt.order_by(q.c.created_at.asc(), q.c.id.asc())
    return stmt.order_by(*_order(q, sort, descending))


def _order(q: Any, sort: SortKey, descending: bool) -> list[ColumnElement[Any]]:
    def directed(col: ColumnElement[Any]) -> ColumnElement[Any]:
        return col.desc() if descending else col.asc()

    if sort is SortKey.PRIORITY:
        return [directed(q.c.priority), q.c.waiting_since.asc(), q.c.id.asc()]
    if sort is SortKey.WAITING:
        return [directed(q.c.waiting_since), q.c.id.asc()]
    # Only the sorted-by column is looked up: the evaluated threads carry no other sort column.
    if sort is SortKey.ACTIVITY:
        return [directed(q.c.last_activity_at), q.c.id.asc()]
    if sort is SortKey.CREATED:
        return [directed(q.c.created_at), q.c.id.asc()]
    if sort is SortKey.TITLE:
        return [directed(func.lower(q.c.title)), q.c.id.asc()]
    if sort is SortKey.REPLIES:
        return [directed(q.c.reply_count), q.c.id.asc()]
    if sort is SortKey.CONTAINER:
        sub = (
            select(func.lower(s.containers.c.name))
            .where(s.containers.c.id == q.c.container_id)
            .scalar_subquery()
        )
    elif sort is SortKey.AUTHOR:
        sub = (
            select(func.lower(s.people.c.display_name))
            .where(s.people.c.id == q.c.root_author_id)
            .scalar_subquery()
        )
    elif sort is SortKey.PLATFORM:
        sub = (
            select(s.accounts.c.platform).where(s.accounts.c.id == q.c.account_id).scalar_subquery()
        )
    else:
        sub = (
            select(func.lower(s.local_users.c.name))
            .where(s.local_users.c.id == q.c.assignee_id)
            .scalar_subquery()
        )
    return [directed(sub), q.c.id.asc()]


def _ordered_ids(
    conn: Connection, query: QueueQuery, now_ms: int, limit: int | None, offset: int = 0
) -> list[int]:
    if query.view is View.ALL and query.sort is SortKey.PRIORITY:
        return _all_in_parts(conn, query, now_ms, limit, offset)
    shape, params = _shape(conn, query, None)
    params["now_ms"] = now_ms
    if query.view is View.QUEUE:
        top = _top_by_priority(conn, shape, query, params, limit, offset)
        if top is not None:
            return top
    stmt = _ordered(shape, query.sort, query.descending)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return list(conn.execute(stmt, params).scalars())


_OTHER_QUEUE_MAX = (
    max(w for st, w in prio.BASE_WEIGHT.items() if st is not State.UNANSWERED)
    + prio.WAITING_CAP
    + prio.PROMPT_UNANSWERED_WEIGHT
)
"""The highest priority a queue thread that is not unanswered can have (``priority_expr``)."""


@functools.lru_cache(maxsize=64)
def _unanswered_by_priority(shape: _Shape) -> Select[Any]:
    stmt, q = _filtered(replace(shape, unanswered_only=True))
    return stmt.add_columns(q.c.priority).order_by(*_order(q, SortKey.PRIORITY, True))


def _top_by_priority(
    conn: Connection,
    shape: _Shape,
    query: QueueQuery,
    params: dict[str, Any],
    limit: int | None,
    offset: int,
) -> list[int] | None:
    """The first page of the queue by priority from its unanswered threads alone, when that is
    provably the same page; None when it is not.

    Unanswered threads are the only ones whose priority can exceed :data:`_OTHER_QUEUE_MAX`. If
    the unanswered threads' own top ``offset + limit`` all rank above it, no awaiting or stalled
    thread can come before any of them, so they are the queue's top ``offset + limit`` too; and
    unanswered threads are a fraction of the queue (and have an index of their own).
    """
    if limit is None or query.sort is not SortKey.PRIORITY or not query.descending:
        return None
    wanted = offset + limit
    rows = conn.execute(_unanswered_by_priority(shape).limit(wanted), params).all()
    if len(rows) < wanted or rows[-1][1] <= _OTHER_QUEUE_MAX:
        return None
    return [row[0] for row in rows[offset:]]


def _all_in_parts(
    conn: Connection, query: QueueQuery, now_ms: int, limit: int | None, offset: int
) -> list[int]:
    """The all-threads view by priority, without evaluating the priority of every thread.

    A thread outside the queue (settled, abandoned, or new, broadcast or answered) has priority
    0 and waits since its creation, while every queue thread has a positive priority
    (``priority_expr``, ``_waiting_since``). So the view is the queue threads in priority order,
    then the others by creation (the other way round when ascending): two queries that each
    start from an index (active threads; creation time) and stop after the page.
    """
    ids: list[int] = []
    skip = offset
    for part in (True, False) if query.descending else (False, True):
        want = None if limit is None else limit - len(ids)
        if want == 0:
            break
        shape, params = _shape(conn, query, part)
        params["now_ms"] = now_ms
        if part and not skip:
            top = _top_by_priority(conn, shape, query, params, want, 0)
            if top is not None:
                ids.extend(top)
                continue
        stmt = _ordered(shape, query.sort, query.descending)
        if skip:
            unordered, _ = _filtered(shape)
            size = conn.execute(
                select(func.count()).select_from(unordered.subquery()), params
            ).scalar_one()
            if skip >= size:
                skip -= size
                continue
            stmt = stmt.offset(skip)
            skip = 0
        if want is not None:
            stmt = stmt.limit(want)
        ids.extend(conn.execute(stmt, params).scalars())
    return ids


class Queue:
    """Queries over the triage queue."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def ids(self, query: QueueQuery, now: datetime, limit: int | None = None) -> list[int]:
        """Thread ids in the view, in display order."""
        now_ms = to_ms(now)
        with self._db.read() as conn:
            return _ordered_ids(conn, query, now_ms, limit)

    def items(self, ids: Sequence[int], now: datetime) -> list[QueueItem]:
        """Queue items for ``ids``, in the order given (missing ids are skipped)."""
        if not ids:
            return []
        now_ms = to_ms(now)
        with self._db.read() as conn:
            return _items(conn, ids, now_ms)

    def page(
        self, query: QueueQuery, now: datetime, limit: int = 50, offset: int = 0
    ) -> list[QueueItem]:
        """One page of the view (counts and first page are what a refresh needs)."""
        now_ms = to_ms(now)
        with self._db.read() as conn:
            ids = _ordered_ids(conn, query, now_ms, limit, offset)
            return _items(conn, ids, now_ms)

    def counts(self, now: datetime, user_id: int | None = None) -> ViewCounts:
        """Counts for every view in the sidebar."""
        now_ms = to_ms(now)
        with self._db.read() as conn:
            return _counts(conn, now_ms, user_id)

    def container_counts(self, now: datetime) -> dict[int, int]:
        """Open queue items per container (for the sidebar)."""
        queued_stmt, held_stmt = _container_count_statements()
        params = {"now_ms": to_ms(now)}
        with self._db.read() as conn:
            counts: dict[int, int] = dict(conn.execute(queued_stmt, params).all())
            for container_id, n in conn.execute(held_stmt, params):
                counts[container_id] -= n
        return {cid: n for cid, n in counts.items() if n}

    def state_counts(self, now: datetime, account: str | None = None) -> dict[State, int]:
        """How many threads are in each state (for statistics)."""
        now_ms = to_ms(now)
        inner = select(state_expr(now_ms).label("state"))
        if account is not None:
            inner = inner.where(
                t.account_id.in_(select(s.accounts.c.id).where(s.accounts.c.name == account))
            )
        states = inner.subquery("st")
        stmt = select(states.c.state, func.count()).group_by(states.c.state)
        with self._db.read() as conn:
            return {State(row[0]): row[1] for row in conn.execute(stmt)}


@functools.cache
def _count_statements(with_user: bool) -> tuple[Any, Any, Any, Any]:
    # Queue threads per state: every active thread counted by its state (from the active-thread
    # index, no join; the state computed once per thread), less those whose triage status holds
    # them out (from the few triage rows).
    states = select(state_expr(NOW).label("state")).where(_active(NOW)).subquery("st")
    per_state = select(states.c.state, func.count()).group_by(states.c.state)
    state = state_expr(NOW)
    held = (
        select(state, func.count())
        .select_from(s.triage.join(s.threads, t.id == tr.thread_id))
        .where(_active(NOW), state.in_(_QUEUE_STATE_VALUES), status_expr(NOW) != "open")
        # Implied by a status other than open; it lets the engine start from the triage rows.
        .where(tr.status.in_([TriageStatus.DONE.value, TriageStatus.SNOOZED.value]))
        .group_by(state)
    )
    # Threads back in the queue because a prompted colleague did not answer, although their
    # state is not a queue state (few: they start from the prompt deadlines).
    prompted = (
        select(func.count())
        .select_from(s.threads.outerjoin(s.triage, tr.thread_id == t.id))
        .where(
            prompt_overdue(NOW),
            _active(NOW),
            state.not_in(_QUEUE_STATE_VALUES),
            status_expr(NOW) == "open",
        )
    )
    # The triage-driven views only look at threads that have a triage row (few of them).
    tq = (
        select(
            tr.thread_id,
            tr.flagged,
            tr.assignee_id,
            status_expr(NOW).label("status"),
        )
        .select_from(s.triage.join(s.threads, t.id == tr.thread_id))
        .subquery("tq")
    )
    user = bindparam("user_id", type_=Integer)
    triaged = select(
        func.count().filter(tq.c.status == "snoozed"),
        func.count().filter(tq.c.status == "done"),
        func.count().filter(tq.c.flagged == true()),
        func.count().filter(and_(tq.c.assignee_id == user, tq.c.status == "open"))
        if with_user
        else null(),
        select(func.count()).select_from(s.threads).scalar_subquery(),
    )
    return per_state, held, prompted, triaged


@functools.cache
def _container_count_statements() -> tuple[Any, Any]:
    # As the view counts: every active thread in the queue per container, from the active-thread
    # index alone (it holds the container), less those whose triage status holds them out (from
    # the few triage rows).
    in_queue = or_(state_expr(NOW).in_(_QUEUE_STATE_VALUES), prompt_overdue(NOW))
    # "+ 0": grouping by the bare column would have SQLite walk every thread in container order
    # (another index) instead of the active threads alone.
    container = (t.container_id + 0).label("container_id")
    queued = select(container, func.count()).where(_active(NOW), in_queue).group_by(container)
    held = (
        select(t.container_id, func.count())
        .select_from(s.triage.join(s.threads, t.id == tr.thread_id))
        .where(_active(NOW), in_queue, status_expr(NOW) != "open")
        .where(tr.status.in_([TriageStatus.DONE.value, TriageStatus.SNOOZED.value]))
        .group_by(t.container_id)
    )
    return queued, held


def _counts(conn: Connection, now_ms: int, user_id: int | None) -> ViewCounts:
    counts: dict[View, int] = dict.fromkeys(View, 0)
    per_state_stmt, held_stmt, prompted_stmt, triaged_stmt = _count_statements(user_id is not None)
    params: dict[str, Any] = {"now_ms": now_ms, "user_id": user_id}
    per_state: dict[str, int] = {
        st: n for st, n in conn.execute(per_state_stmt, params).all() if st in _QUEUE_STATE_VALUES
    }
    for st, n in conn.execute(held_stmt, params):
        per_state[st] -= n
    for view, st in _STATE_VIEWS.items():
        counts[view] = per_state.get(st.value, 0)
    counts[View.QUEUE] = sum(per_state.values()) + conn.execute(prompted_stmt, params).scalar_one()
    row = conn.execute(triaged_stmt, params).one()
    counts[View.SNOOZED], counts[View.DONE], counts[View.FLAGGED] = row[0], row[1], row[2]
    counts[View.MINE] = row[3] or 0
    counts[View.ALL] = row[4]
    return ViewCounts(counts)


def row_facts(row: Any) -> ThreadFacts:
    """The facts the reasons need, from a threads row."""
    return ThreadFacts(
        root_at=from_ms(row.created_at),
        root_author_id=row.root_author_id,
        root_by_team=row.root_by_team,
        root_asks_question=row.root_asks_question,
        acknowledged=row.acknowledged,
        first_reply_at=from_ms(row.first_reply_at),
        reply_count=row.reply_count,
        last_activity_at=from_ms(row.last_activity_at),
        open_end=row.open_end,
        last_team_post_at=from_ms(row.last_team_post_at),
        last_nonteam_post_at=from_ms(row.last_nonteam_post_at),
        last_nonteam_arrival_at=from_ms(row.last_nonteam_arrival_at),
    )


@functools.cache
def _item_statements() -> tuple[Select[Any], Select[Any], Select[Any]]:
    author = s.people.alias("author")
    assignee = s.local_users.alias("assignee")
    ids: Any = bindparam("ids", expanding=True)
    rows = (
        select(
            s.threads,
            state_expr(NOW).label("state"),
            status_expr(NOW).label("status"),
            s.accounts.c.name.label("account_name"),
            s.accounts.c.platform,
            s.containers.c.name.label("container_name"),
            s.containers.c.remote_id.label("container_remote_id"),
            author.c.display_name.label("author_name"),
            author.c.handle.label("author_handle"),
            assignee.c.name.label("assignee_name"),
            tr.flagged,
            tr.flag_note,
            tr.snooze_until,
            tr.status.label("stored_status"),
        )
        .select_from(
            s.threads.join(s.accounts, s.accounts.c.id == t.account_id)
            .join(s.containers, s.containers.c.id == t.container_id)
            .outerjoin(author, author.c.id == t.root_author_id)
            .outerjoin(s.triage, tr.thread_id == t.id)
            .outerjoin(assignee, assignee.c.id == tr.assignee_id)
        )
        .where(t.id.in_(ids))
    )
    tags = (
        select(s.thread_tags.c.thread_id, s.thread_tags.c.tag)
        .where(s.thread_tags.c.thread_id.in_(ids))
        .order_by(s.thread_tags.c.tag)
    )
    pending = (
        select(s.outbox.c.thread_id, func.count())
        .where(s.outbox.c.thread_id.in_(ids))
        .where(s.outbox.c.state.in_(["queued", "sending", "unknown"]))
        .group_by(s.outbox.c.thread_id)
    )
    return rows, tags, pending


def _items(conn: Connection, ids: Sequence[int], now_ms: int) -> list[QueueItem]:
    now = from_ms(now_ms)
    rows_stmt, tags_stmt, pending_stmt = _item_statements()
    rows = {row.id: row for row in conn.execute(rows_stmt, {"ids": list(ids), "now_ms": now_ms})}
    found = {"ids": list(rows)}
    tags: dict[int, list[str]] = {}
    for tid, tag in conn.execute(tags_stmt, found):
        tags.setdefault(tid, []).append(tag)
    pending: dict[int, int] = dict(conn.execute(pending_stmt, found).all())
    items = []
    for tid in ids:
        row = rows.get(tid)
        if row is None:
            continue
        facts = row_facts(row)
        deadlines = Deadlines(
            unanswered_at=from_ms(row.unanswered_at),
            stalled_at=from_ms(row.stalled_at),
            abandoned_at=from_ms(row.abandoned_at),
            sla_due_at=from_ms(row.sla_due_at),
        )
        st = State(row.state)
        overdue = row.prompt_due_at is not None and row.prompt_due_at <= now_ms
        reasons = prio.explain(
            st, facts, deadlines, now, by_newcomer=row.by_newcomer, prompt_unanswered=overdue
        )
        items.append(
            QueueItem(
                id=row.id,
                key=f"{row.account_name}/{row.remote_id}",
                platform=row.platform,
                account=row.account_name,
                account_id=row.account_id,
                container=row.container_name,
                container_id=row.container_remote_id,
                container_local_id=row.container_id,
                remote_id=row.remote_id,
                title=row.title,
                url=row.url,
                author=row.author_name or "",
                author_handle=row.author_handle or "",
                created_at=from_ms(row.created_at),
                last_activity_at=from_ms(row.last_activity_at),
                reply_count=row.reply_count,
                state=st,
                priority=prio.priority(reasons),
                reasons=reasons,
                tags=tuple(tags.get(tid, ())),
                assignee=row.assignee_name,
                status=TriageStatus(row.status),
                flagged=bool(row.flagged),
                flag_note=row.flag_note,
                sla_due_at=from_ms(row.sla_due_at),
                waiting_since=prio.waiting_since(st, facts) if st in QUEUE_STATES else None,
                snooze_until=from_ms(row.snooze_until) if row.status == "snoozed" else None,
                acknowledged=row.acknowledged,
                pending_ops=pending.get(tid, 0),
            )
        )
    return items
