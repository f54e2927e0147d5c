"""Connections and transactions: SQLite's WAL, synchronous=FULL, foreign keys and one writer; the
same schema rules on PostgreSQL; errors people can act on."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError

from cm_console.domain.outbox import OpKind
from cm_console.domain.rules import TriageStatus
from cm_console.store import Database, Store, StoreError
from cm_console.store import schema as s
from tests.helpers.builders import ALICE, BOB, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW


def test_sqlite_connections_are_configured(sqlite_store: Store) -> None:
    db = sqlite_store.db
    for use in (db.read, db.write):
        with use() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.db.write() as conn:
        conn.execute(
            insert(s.posts).values(
                account_id=999, thread_id=999, remote_id="x", author_id=999, created_at=0
            )
        )


def test_a_failed_write_rolls_back_and_a_savepoint_rolls_back_alone(store: Store) -> None:
    def fail_midway() -> None:
        with store.db.write() as conn:
            conn.execute(insert(s.settings).values(key="a", value="1"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    with store.db.write() as conn:
        conn.execute(insert(s.settings).values(key="b", value="1"))
        nested = conn.begin_nested()
        conn.execute(insert(s.settings).values(key="c", value="1"))
        nested.rollback()
        conn.execute(insert(s.settings).values(key="d", value="1"))
    with store.db.read() as conn:
        assert sorted(conn.execute(select(s.settings.c.key)).scalars()) == ["b", "d"]


def test_one_writer_at_a_time_within_a_process(sqlite_store: Store) -> None:
    db = sqlite_store.db
    order: list[str] = []
    entered = threading.Event()

    def slow_writer() -> None:
        with db.write() as conn:
            entered.set()
            order.append("first begins")
            time.sleep(0.3)
            conn.execute(insert(s.settings).values(key="first", value="1"))
            order.append("first ends")

    worker = threading.Thread(target=slow_writer)
    worker.start()
    assert entered.wait(5)
    with db.write() as conn:
        order.append("second begins")
        conn.execute(insert(s.settings).values(key="second", value="1"))
    worker.join()
    assert order == ["first begins", "first ends", "second begins"]


def test_readers_do_not_wait_for_the_writer(sqlite_store: Store) -> None:
    db = sqlite_store.db
    with db.write() as conn:
        conn.execute(insert(s.settings).values(key="k", value="old"))
    with db.write() as conn:
        conn.execute(s.settings.update().values(value="new"))
        started = time.monotonic()
        with db.read() as reader:  # WAL: the last committed value, without waiting
            assert reader.execute(select(s.settings.c.value)).scalar() == "old"
        assert time.monotonic() - started < 1


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_embedded_database_needs_a_file(url: str) -> None:
    with pytest.raises(StoreError, match="file path"):
        Database(url)


def test_unsupported_engines_are_refused() -> None:
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        Database("mysql://u@h/db")


def test_the_password_never_shows() -> None:
    db = Database("postgresql+psycopg://cm@db.example:5432/cm", password="hunter2-secret")
    try:
        assert "hunter2" not in db.display_url
        assert "***" in db.display_url
        assert "hunter2" not in repr(db.url)
    finally:
        db.dispose()


@pytest.mark.postgres
def test_an_unreachable_server_is_a_store_error() -> None:
    db = Database("postgresql+psycopg://cm@127.0.0.1:9/cm", password="x")
    try:
        with pytest.raises(StoreError, match=r"127\.0\.0\.1") as caught:
            db.current_revision()
        assert "x@" not in str(caught.value)
    finally:
        db.dispose()


def test_parent_directories_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "store.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    assert path.exists()


def test_removing_an_account_removes_what_was_synced_for_it(store: Store) -> None:
    keep = add_account(store, "keep", now=NOW)
    gone = add_account(store, "gone", now=NOW)
    for acc in (keep, gone):
        b = ThreadBuilder("t1", ALICE, NOW, "Hi?").reply(BOB, timedelta(hours=1), "Hello")
        store.ingest.page(acc, b.page(cursor={"n": 1}), NOW)
        tid = store.threads.resolve(f"{'keep' if acc == keep else 'gone'}/t1")
        assert tid is not None
        store.triage.set_status([tid], TriageStatus.DONE, now=NOW, user_id=None)
        store.triage.add_tag([tid], "x", now=NOW, user_id=None)
        store.outbox.enqueue(
            account_id=acc, kind=OpKind.REPLY, payload={"text": "x"}, now=NOW, thread_id=tid
        )
    assert store.accounts.remove("gone")
    assert not store.accounts.remove("gone")
    with store.db.read() as conn:
        for table in (s.threads, s.posts, s.people, s.containers, s.outbox, s.cursors):
            accounts = set(conn.execute(select(table.c.account_id)).scalars())
            assert accounts == {keep}, table.name
        assert conn.execute(select(s.triage.c.thread_id)).scalars().all() != []
        audit = set(conn.execute(select(s.audit_log.c.account_id)).scalars())
        assert audit <= {keep, None}, "the audit log outlives the account"
        assert conn.execute(text("SELECT count(*) FROM thread_tags")).scalar_one() == 1
