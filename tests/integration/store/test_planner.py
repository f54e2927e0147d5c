"""Conversation starters in the store, on SQLite and PostgreSQL: one transaction with their
outbox operation, changes only while queued, and the outcome read from the thread."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select

from cm_console.domain.model import Page, RemotePost, RemoteThread
from cm_console.domain.outbox import OpKind, OpState
from cm_console.domain.planning import DutyMember, StarterKind, StarterPlan, StarterStatus
from cm_console.store import Database, Store
from cm_console.store import schema as s
from cm_console.store.convert import to_ms
from cm_console.store.planner import payload_of
from tests.helpers.builders import ALICE, BOB, HELP, ME, add_account

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _plan(store: Store, acc: int, at: datetime, **kw: object) -> StarterPlan:
    container = store.accounts.containers(acc)[0]
    return StarterPlan(
        account_id=acc,
        container_id=container.id,
        kind=StarterKind.POLL,
        title="Lunch on Fridays?",
        text="What should we serve?",
        scheduled_at=at,
        poll_options=("Soup", " Salad ", ""),
        on_duty=(DutyMember("Bob de Vries", person_id=None),),
        saved_reply_ids=(),
        notes="Expect allergy questions",
        **kw,  # type: ignore[arg-type]
    )


def _account_with_container(store: Store) -> int:
    acc = add_account(store, now=NOW)
    store.ingest.page(acc, Page(scope="~c", cursor=None, containers=(HELP,)), NOW)
    return acc


def test_schedule_queues_the_post_for_its_time(store: Store) -> None:
    acc = _account_with_container(store)
    at = NOW + timedelta(days=1)
    plan = _plan(store, acc, at)
    starter = store.planner.schedule(plan, payload_of(plan, HELP.remote_id), NOW, None)
    assert starter.status is StarterStatus.SCHEDULED
    assert starter.poll_options == ("Soup", "Salad")
    assert starter.container == "Help desk"
    op = store.outbox.get(starter.op_id)
    assert op is not None
    assert (op.kind, op.state, op.next_attempt_at) == (OpKind.POST, OpState.QUEUED, at)
    assert op.payload == {
        "container_remote_id": "c-help",
        "title": "Lunch on Fridays?",
        "text": "What should we serve?",
        "poll_options": ["Soup", "Salad"],
    }
    assert store.outbox.due(NOW) == []
    assert [o.op_id for o in store.outbox.due(at)] == [starter.op_id]

    later = _plan(store, acc, at + timedelta(hours=2))
    moved = store.planner.update(starter.id, later, payload_of(later, "c-help"), NOW)
    assert moved is not None and moved.scheduled_at == at + timedelta(hours=2)
    assert store.outbox.due(at) == []

    assert store.outbox.claim(starter.op_id, at + timedelta(hours=2), "test") is not None
    too_late = store.planner.update(starter.id, plan, payload_of(plan, "c-help"), NOW)
    assert too_late is None, "a post that left cannot be changed"
    assert store.planner.get(starter.id).status is StarterStatus.SENDING  # type: ignore[union-attr]


def test_sent_starter_links_its_thread_and_outcome(store: Store) -> None:
    acc = _account_with_container(store)
    plan = _plan(store, acc, NOW)
    starter = store.planner.schedule(plan, payload_of(plan, "c-help"), NOW, None)
    store.outbox.claim(starter.op_id, NOW, "test")
    root = RemotePost("p-1", "t-1", ME.remote_id, NOW, "What should we serve?", is_root=True)
    page = Page(
        scope="~sent",
        cursor=None,
        threads=(RemoteThread("t-1", "c-help", NOW, title="Lunch on Fridays?"),),
        posts=(root,),
    )
    store.outbox.move(starter.op_id, OpState.SENDING, OpState.SENT, NOW, remote_id="p-1", page=page)
    replies = Page(
        scope="*",
        cursor=None,
        people=(ALICE, BOB),
        posts=(
            RemotePost("p-2", "t-1", ALICE.remote_id, NOW + timedelta(minutes=20), "Soup!"),
            RemotePost("p-3", "t-1", BOB.remote_id, NOW + timedelta(hours=1), "Salad"),
            RemotePost("p-4", "t-1", ALICE.remote_id, NOW + timedelta(hours=2), "Or both?"),
        ),
    )
    store.ingest.page(acc, replies, NOW + timedelta(hours=3))
    (sent,) = store.planner.list()
    assert sent.status is StarterStatus.SENT
    assert sent.outcome is not None
    assert sent.outcome.thread_key == "acme/t-1"
    assert (sent.outcome.replies, sent.outcome.responders) == (3, 2)
    assert sent.outcome.first_reply_at == NOW + timedelta(minutes=20)
    assert store.planner.list(since=NOW + timedelta(seconds=1)) == []


def test_migration_0005_matches_the_declared_schema(store: Store) -> None:
    with store.db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, s.metadata)
    ours = [
        d
        for d in diffs
        if any(name in repr(d) for name in ("starters", "turn_count", "ix_posts_activity"))
    ]
    assert ours == []


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema) on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    url = server.database()
    yield url
    server.drop(url)


def test_upgrade_backfills_turns_as_ingest_counts_them(empty_url: str) -> None:
    db = Database(empty_url)
    db.upgrade("0001")
    ms = lambda minutes: to_ms(NOW + timedelta(minutes=minutes))  # noqa: E731
    with db.write() as conn:
        conn.execute(
            insert(s.accounts).values(id=1, name="acme", platform="demo", created_at=ms(0))
        )
        conn.execute(insert(s.containers).values(id=1, account_id=1, remote_id="c", name="C"))
        conn.execute(
            insert(s.people),
            [
                {"id": i, "account_id": 1, "remote_id": h, "handle": h, "display_name": h}
                for i, h in ((1, "a"), (2, "b"), (3, "c"), (4, "bot"))
            ],
        )
        conn.execute(
            insert(s.threads).values(
                id=1,
                account_id=1,
                container_id=1,
                remote_id="t",
                created_at=ms(0),
                last_activity_at=ms(0),
                unanswered_at=ms(0),
                stalled_at=ms(0),
                abandoned_at=ms(0),
                sla_due_at=ms(0),
                updated_at=ms(0),
            )
        )
        posts = [  # (author, minute, extra): a, b, b, a, (c deleted), (bot), b → 3 turns
            (1, 0, {"is_root": True}),
            (2, 1, {}),
            (2, 2, {}),
            (1, 3, {}),
            (3, 4, {"deleted_at": ms(5)}),
            (4, 5, {"by_bot": True}),
            (2, 6, {}),
        ]
        conn.execute(
            insert(s.posts),
            [
                {
                    "id": n + 1,
                    "account_id": 1,
                    "thread_id": 1,
                    "remote_id": f"p{n}",
                    "author_id": author,
                    "created_at": ms(minute),
                    "is_root": False,
                    "by_bot": False,
                    "deleted_at": None,
                    **extra,
                }
                for n, (author, minute, extra) in enumerate(posts)
            ],
        )
    db.upgrade()
    store = Store(db)
    try:
        with db.read() as conn:
            assert conn.execute(select(s.threads.c.turn_count)).scalar_one() == 3
        store.recompute_account(1)
        with db.read() as conn:
            assert conn.execute(select(s.threads.c.turn_count)).scalar_one() == 3
    finally:
        store.close()
