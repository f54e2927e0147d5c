"""Per-thread facts and deadlines: recomputed from stored posts with the domain rules.

Ingest calls :func:`recompute` for the threads a page touched, inside the page's transaction.
A change of team or thresholds calls it for a whole account: no re-fetch from the platform.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, text, update

from cm_console import config
from cm_console.domain.calendar import zone
from cm_console.domain.model import PlatformKind, PostKind
from cm_console.domain.rules import (
    PostFact,
    ThreadFacts,
    Thresholds,
    compute_deadlines,
    compute_facts,
)
from cm_console.store import bulk, rollups
from cm_console.store import schema as s
from cm_console.store.convert import from_ms, loads, to_ms

CHUNK = 500


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def thresholds_from(
    account_options: Mapping[str, Any],
    container_options: Mapping[str, Any],
    kind: PlatformKind,
) -> Thresholds:
    """Effective thresholds: container overrides over account settings over defaults."""
    merged = {**account_options, **container_options}
    tz_name = config.effective(merged, config.TIMEZONE) or config.system_timezone_name()
    return Thresholds.build(
        unanswered_after_hours=config.effective(merged, config.UNANSWERED_AFTER_HOURS),
        stalled_after_hours=config.effective(merged, config.STALLED_AFTER_HOURS),
        abandoned_after_days=config.effective(merged, config.ABANDONED_AFTER_DAYS),
        sla_hours=config.effective(merged, config.SLA_HOURS),
        business_hours=config.effective(merged, config.BUSINESS_HOURS),
        tz=zone(tz_name),
        platform_kind=kind,
    )


def container_thresholds(conn: Connection, account_id: int) -> dict[int, Thresholds]:
    """Thresholds per container id of one account."""
    account = conn.execute(
        select(s.accounts.c.options, s.accounts.c.platform_kind).where(
            s.accounts.c.id == account_id
        )
    ).one()
    account_options = config.parse_options(
        {
            k: str(v) if not isinstance(v, str) else v
            for k, v in loads(account.options, {}).items()
            if k in config.ALL_SETTINGS
        },
        config.Scope.ACCOUNT,
    )
    kind = PlatformKind(account.platform_kind)
    base = thresholds_from(account_options, {}, kind)
    out: dict[int, Thresholds] = {}
    rows = conn.execute(
        select(s.containers.c.id, s.containers.c.options).where(
            s.containers.c.account_id == account_id
        )
    )
    for row in rows:
        raw = {k: v for k, v in loads(row.options, {}).items() if k in config.ALL_SETTINGS}
        if raw:
            opts = config.parse_options(
                {k: v if isinstance(v, str) else str(v) for k, v in raw.items()},
                config.Scope.CONTAINER,
            )
            out[row.id] = thresholds_from(account_options, opts, kind)
        else:
            out[row.id] = base
    return out


def refresh_team(
    conn: Connection, account_id: int, person_ids: Sequence[int] | None = None
) -> None:
    """Mark the account's own user and the handles in its ``team`` setting as the team (all of
    the account's people, or only ``person_ids``).

    Handles match without regard to letter case. The comparison runs in Python: SQLite's
    ``lower()`` folds ASCII letters only, so "Émile" would match "émile" on PostgreSQL but not
    on SQLite.
    """
    account = conn.execute(
        select(s.accounts.c.options, s.accounts.c.own_person_remote_id).where(
            s.accounts.c.id == account_id
        )
    ).one()
    options = loads(account.options, {})
    raw_team = options.get(config.TEAM.key, "")
    handles = {
        h.casefold()
        for h in (config.TEAM.parse(raw_team) if isinstance(raw_team, str) else tuple(raw_team))
    }
    own = account.own_person_remote_id
    p = s.people.c
    query = select(p.id, p.remote_id, p.handle, p.is_team).where(p.account_id == account_id)
    if person_ids is None:
        rows = list(conn.execute(query))
    else:
        rows = [
            r
            for chunk in chunks(list(person_ids))
            for r in conn.execute(query.where(p.id.in_(chunk)))
        ]
    to_team, off_team = [], []
    for row in rows:
        wanted = row.remote_id == own or row.handle.casefold() in handles
        if wanted and not row.is_team:
            to_team.append(row.id)
        elif not wanted and row.is_team:
            off_team.append(row.id)
    for ids, flag in ((to_team, True), (off_team, False)):
        for chunk in chunks(ids):
            conn.execute(update(s.people).where(p.id.in_(chunk)).values(is_team=flag))


def team_ids(conn: Connection, account_id: int) -> set[int]:
    rows = conn.execute(
        select(s.people.c.id).where(s.people.c.account_id == account_id, s.people.c.is_team)
    )
    return {r.id for r in rows}


_UPDATE = (
    update(s.threads)
    .where(s.threads.c.id == bindparam("tid"))
    .values(
        root_author_id=bindparam("root_author_id"),
        is_settled=bindparam("is_settled"),
        root_by_team=bindparam("root_by_team"),
        root_deleted=bindparam("root_deleted"),
        root_asks_question=bindparam("root_asks_question"),
        acknowledged=bindparam("acknowledged"),
        by_newcomer=bindparam("by_newcomer"),
        first_reply_at=bindparam("first_reply_at"),
        first_team_reply_at=bindparam("first_team_reply_at"),
        reply_count=bindparam("reply_count"),
        qualifying_reply_count=bindparam("qualifying_reply_count"),
        participant_count=bindparam("participant_count"),
        turn_count=bindparam("turn_count"),
        last_activity_at=bindparam("last_activity_at"),
        last_post_author_id=bindparam("last_post_author_id"),
        open_end=bindparam("open_end"),
        last_team_post_at=bindparam("last_team_post_at"),
        last_nonteam_post_at=bindparam("last_nonteam_post_at"),
        last_nonteam_arrival_at=bindparam("last_nonteam_arrival_at"),
        unanswered_at=bindparam("unanswered_at"),
        stalled_at=bindparam("stalled_at"),
        abandoned_at=bindparam("abandoned_at"),
        sla_due_at=bindparam("sla_due_at"),
    )
)


_POST_FACTS = text(
    "SELECT p.thread_id, p.author_id, p.created_at, p.is_root, p.kind, p.deleted_at, "
    "p.arrived_at, p.by_bot, p.asks_question, p.acked_by_other, p.id, "
    "tp.author_id, tp.created_at, tp.tally "
    "FROM posts p LEFT JOIN tallied_posts tp ON tp.post_id = p.id WHERE p.thread_id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_KINDS = {kind.value: kind for kind in PostKind}


def _post_facts(
    conn: Connection, thread_ids: Sequence[int]
) -> tuple[dict[int, list[PostFact]], dict[int, list[rollups.PostShare]]]:
    """The posts of ``thread_ids`` as the rules see them, and as the insights' roll-ups do."""
    # A plain-text statement: the rows come back without per-column result processing, which
    # matters here (a page re-reads every post of the threads it touched).
    out: dict[int, list[PostFact]] = {tid: [] for tid in thread_ids}
    shares: dict[int, list[rollups.PostShare]] = {tid: [] for tid in thread_ids}
    notice = PostKind.NOTICE
    for (
        tid,
        author,
        created,
        is_root,
        kind_value,
        deleted_at,
        arrived_at,
        by_bot,
        question,
        acked,
        post_id,
        tallied_author,
        tallied_at,
        tally,
    ) in conn.execute(_POST_FACTS, {"ids": list(thread_ids)}):
        kind = _KINDS[kind_value]
        out[tid].append(
            PostFact(
                author_id=author,
                created_at=from_ms(created),
                is_root=bool(is_root),
                kind=kind,
                deleted=deleted_at is not None,
                human=not by_bot and kind is not notice,
                asks_question=bool(question),
                acked_by_other=bool(acked),
                arrived_at=from_ms(arrived_at),
            )
        )
        shares[tid].append(
            rollups.PostShare(
                post_id,
                author,
                created,
                bool(is_root),
                kind_value,
                deleted_at is not None,
                bool(by_bot),
                tallied_author,
                tallied_at,
                tally,
            )
        )
    return out, shares


def fact_row(
    tid: int,
    facts: ThreadFacts,
    thresholds: Thresholds,
    *,
    settled: bool,
    newcomer: bool,
) -> dict[str, Any]:
    """The parameters of the facts UPDATE for one thread."""
    deadlines = compute_deadlines(facts, thresholds)
    return {
        "tid": tid,
        "root_author_id": facts.root_author_id,
        "is_settled": settled or facts.root_deleted,
        "root_by_team": facts.root_by_team,
        "root_deleted": facts.root_deleted,
        "root_asks_question": facts.root_asks_question,
        "acknowledged": facts.acknowledged,
        "by_newcomer": newcomer,
        "first_reply_at": to_ms(facts.first_reply_at),
        "first_team_reply_at": to_ms(facts.first_team_reply_at),
        "reply_count": facts.reply_count,
        "qualifying_reply_count": facts.qualifying_reply_count,
        "participant_count": facts.participant_count,
        "turn_count": facts.turn_count,
        "last_activity_at": to_ms(facts.activity_at),
        "last_post_author_id": facts.last_post_author_id,
        "open_end": facts.open_end,
        "last_team_post_at": to_ms(facts.last_team_post_at),
        "last_nonteam_post_at": to_ms(facts.last_nonteam_post_at),
        "last_nonteam_arrival_at": to_ms(facts.last_nonteam_arrival_at),
        "unanswered_at": to_ms(deadlines.unanswered_at),
        "stalled_at": to_ms(deadlines.stalled_at),
        "abandoned_at": to_ms(deadlines.abandoned_at),
        "sla_due_at": to_ms(deadlines.sla_due_at),
    }


def recompute(
    conn: Connection,
    account_id: int,
    thread_ids: Iterable[int],
    *,
    team: set[int] | None = None,
    thresholds: Mapping[int, Thresholds] | None = None,
) -> int:
    """Recompute facts and deadlines of ``thread_ids`` (all in one account), and bring the
    insights' roll-ups in line with their posts; returns the count.

    On PostgreSQL the threads are locked (in id order) before their posts are read: two
    consoles writing to one thread take turns, so neither computes from posts the other is
    changing. The roll-ups' totals are written last (see :mod:`cm_console.store.rollups`).
    """
    ids = sorted(set(thread_ids))
    if not ids:
        return 0
    team = team_ids(conn, account_id) if team is None else team
    thresholds = container_thresholds(conn, account_id) if thresholds is None else thresholds
    t = s.threads.c
    done = 0
    changes = rollups.Changes()
    for chunk in chunks(ids):
        meta = conn.execute(
            select(t.id, t.created_at, t.container_id, t.resolved, t.closed)
            .where(t.id.in_(chunk))
            .order_by(t.id)
            .with_for_update()
        ).all()
        posts, shares = _post_facts(conn, chunk)
        computed = [
            (row, compute_facts(posts[row.id], team, from_ms(row.created_at))) for row in meta
        ]
        authors = {f.root_author_id for _, f in computed if f.root_author_id is not None}
        first_posts = (
            dict(
                conn.execute(
                    select(s.people.c.id, s.people.c.first_post_at).where(
                        s.people.c.id.in_(authors)
                    )
                ).all()
            )
            if authors
            else {}
        )
        params = []
        for row, facts in computed:
            first = first_posts.get(facts.root_author_id) if facts.root_author_id else None
            newcomer = first is not None and first >= to_ms(facts.root_at)
            params.append(
                fact_row(
                    row.id,
                    facts,
                    thresholds[row.container_id],
                    settled=row.resolved or row.closed,
                    newcomer=newcomer,
                )
            )
        bulk.executemany(conn, _UPDATE, params)
        for row, facts in computed:
            rollups.reconcile(changes, shares[row.id], row.created_at, facts.root_author_id)
        changes.write_tallies(conn)
        done += len(params)
    changes.write_totals(conn, account_id)
    return done


def recompute_account(conn: Connection, account_id: int) -> int:
    """Refresh the team marks and recompute every thread of an account."""
    refresh_team(conn, account_id)
    ids = [
        r.id
        for r in conn.execute(select(s.threads.c.id).where(s.threads.c.account_id == account_id))
    ]
    return recompute(conn, account_id, ids)
