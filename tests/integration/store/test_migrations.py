"""Alembic migrations on SQLite and PostgreSQL: upgrade from nothing, the models and the
migrations agree, every step down and up again keeps the data it can, and start-up migrates an
embedded database only after a backup while a shared one is left to ``db upgrade``."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, insert, inspect, select, text

from cm_console.domain.outbox import OpKind
from cm_console.domain.rules import TriageStatus
from cm_console.domain.views import QueueQuery, View
from cm_console.store import Database, SchemaOutdated, Store, StoreError
from cm_console.store import schema as s
from cm_console.store.engine import HEAD_REVISION
from tests.helpers.builders import ALICE, BOB, ME, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW
from tests.helpers.postgres import PostgresServer

H = timedelta(hours=1)


def alembic_config(conn: Any) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "cm_console.store:migrations")
    cfg.attributes["connection"] = conn
    return cfg


def scripts() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", "cm_console.store:migrations")
    return ScriptDirectory.from_config(cfg)


def downgrade(db: Database, target: str) -> None:
    with db.engine.connect() as conn:
        command.downgrade(alembic_config(conn), target)
        conn.commit()


DERIVED = {"tallied_posts", "activity_hours", "reply_weeks"}
"""Insights' roll-ups (0008): derived from the posts, rebuilt by the upgrade that adds them."""


def derived_rows(db: Database) -> dict[str, set[tuple[Any, ...]]]:
    with db.read() as conn:
        return {
            name: {tuple(r) for r in conn.execute(select(s.metadata.tables[name]))}
            for name in sorted(DERIVED)
            if inspect(conn).has_table(name)
        }


def revisions_oldest_first() -> list[str]:
    return [r.revision for r in reversed(list(scripts().walk_revisions()))]


def tables(db: Database) -> set[str]:
    with db.read() as conn:
        return set(inspect(conn).get_table_names())


def row_counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        names = set(inspect(conn).get_table_names()) & set(s.metadata.tables)
        return {
            name: conn.execute(
                select(func.count()).select_from(s.metadata.tables[name])
            ).scalar_one()
            for name in names
        }


def fts_objects(db: Database) -> set[str]:
    with db.read() as conn:
        if db.is_sqlite:
            rows = conn.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                    "OR sql LIKE 'CREATE VIRTUAL TABLE%'"
                )
            )
        else:
            rows = conn.execute(
                text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'ix_%_search'")
            )
        return set(rows.scalars())


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no schema at all."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        yield db
        db.dispose()
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    url = server.database()
    db = Database(url)
    yield db
    db.dispose()
    server.drop(url)


def fill(store: Store) -> None:
    """Something in every table a user's work touches."""
    acc = add_account(store, now=NOW)
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Is the VPN down?").reply(ME, H, "Checking")
    b.reply(ALICE, 2 * H, "Thanks, works again.")
    store.ingest.page(acc, b.page(cursor={"n": 1}), NOW)
    store.ingest.page(acc, ThreadBuilder("t2", BOB, NOW - 4 * H, "Printer?").page(), NOW)
    t1, t2 = store.threads.resolve("acme/t1"), store.threads.resolve("acme/t2")
    assert t1 is not None and t2 is not None
    user = store.users.ensure("anouk", NOW)
    store.triage.set_status([t1], TriageStatus.DONE, now=NOW, user_id=user.id)
    store.triage.add_tag([t2], "printers", now=NOW, user_id=user.id)
    store.triage.save_draft(t2, user.id, "Which floor?", 0, NOW)
    store.outbox.enqueue(
        account_id=acc, kind=OpKind.REPLY, payload={"text": "On it"}, now=NOW, thread_id=t2
    )
    store.settings.set_many({"sync_interval_minutes": 5})
    store.saved_replies.save("Thanks", "en", "Thanks {author|}!")


# --- the revision chain ---------------------------------------------------------------------


def test_head_revision_is_alembics_single_head() -> None:
    script = scripts()
    assert script.get_heads() == [HEAD_REVISION]
    chain = revisions_oldest_first()
    assert chain[-1] == HEAD_REVISION
    for older, newer in itertools.pairwise(chain):
        assert script.get_revision(newer).down_revision == older, "one straight line"


def test_upgrade_on_an_empty_database(empty_db: Database) -> None:
    assert empty_db.current_revision() is None
    empty_db.upgrade()
    assert empty_db.current_revision() == HEAD_REVISION
    assert set(s.metadata.tables) <= tables(empty_db)
    if empty_db.is_sqlite:
        assert {"posts_fts", "threads_fts"} <= tables(empty_db)
    assert fts_objects(empty_db)


def _is_search_object(item: Any) -> bool:
    name = getattr(item, "name", "") or ""
    return "_fts" in name or (name.startswith("ix_") and name.endswith("_search"))


def test_the_models_and_the_migrations_agree(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, s.metadata)
    finally:
        db.dispose()
    leftover = [d for d in diff if not (isinstance(d, tuple) and _is_search_object(d[1]))]
    assert leftover == []


def test_down_to_base_and_up_again_with_data(db_url: str) -> None:
    store = Store(Database(db_url))
    fill(store)
    db = store.db
    before = row_counts(db)
    assert all(before[t] > 0 for t in ("threads", "posts", "triage", "outbox", "drafts"))
    search_objects = fts_objects(db)
    chain = revisions_oldest_first()
    kept: dict[str, int] = dict(before)
    for target in [*reversed(chain[:-1]), "base"]:
        downgrade(db, target)
        assert db.current_revision() == (None if target == "base" else target)
        now = row_counts(db)
        for name, count in now.items():
            if name in kept:
                assert count == kept[name], f"{name} lost rows going down to {target}"
        kept = {name: kept[name] for name in now if name in kept}
    assert tables(db) <= {"alembic_version"}, "nothing left behind, no FTS objects either"
    db.upgrade()
    assert db.current_revision() == HEAD_REVISION
    assert fts_objects(db) == search_objects
    # Search and the triggers work after the round trip.
    fill(store)
    assert len(store.queue.ids(QueueQuery(view=View.ALL, search="printer"), NOW)) == 1
    store.close()


def test_one_step_down_and_up_keeps_every_row_and_every_answer(db_url: str) -> None:
    chain = revisions_oldest_first()
    if len(chain) < 2:
        pytest.skip("a single revision: nothing below head but base")
    store = Store(Database(db_url))
    fill(store)
    query = QueueQuery(view=View.ALL)
    before_items = [(i.id, i.state, i.status, i.priority) for i in store.queue.page(query, NOW)]
    before = row_counts(store.db)
    derived_before = derived_rows(store.db)
    downgrade(store.db, chain[-2])
    lower = row_counts(store.db)
    assert {k: before[k] for k in lower} == lower
    # Tables the newest revision added go away on the way down; the fill left them empty,
    # except the ones derived from the posts, which the upgrade rebuilds.
    assert all(before[k] == 0 for k in set(before) - set(lower) - DERIVED)
    store.db.upgrade()
    assert row_counts(store.db) == before
    assert derived_rows(store.db) == derived_before
    after_items = [(i.id, i.state, i.status, i.priority) for i in store.queue.page(query, NOW)]
    assert after_items == before_items
    # New posts still reach the full-text index through the triggers.
    acc = store.accounts.get("acme")
    assert acc is not None
    store.ingest.page(acc.id, ThreadBuilder("t3", BOB, NOW - H, "Scanner jams").page(), NOW)
    assert len(store.queue.ids(QueueQuery(view=View.ALL, search="scanner"), NOW)) == 1
    store.close()


def _thread_indexes(db: Database) -> set[str]:
    with db.read() as conn:
        return {ix["name"] for ix in inspect(conn).get_indexes("threads")}


def test_the_queue_indexes_go_down_and_come_back(db_url: str) -> None:
    db = Database(db_url)
    try:
        queue_indexes = {"ix_threads_created", "ix_threads_unreplied", "ix_threads_prompt_due_at"}
        assert queue_indexes <= _thread_indexes(db)
        db.downgrade("0003")
        assert not queue_indexes & _thread_indexes(db)
        assert "ix_threads_active" in _thread_indexes(db), "the narrow one is back"
        db.upgrade()
        assert db.current_revision() == HEAD_REVISION
        assert queue_indexes <= _thread_indexes(db)
    finally:
        db.dispose()


# --- start-up: Database.prepare -------------------------------------------------------------


def test_prepare_migrates_a_fresh_sqlite_file_without_a_backup(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    db.prepare(tmp_path / "backups")
    assert db.current_revision() == HEAD_REVISION
    assert not (tmp_path / "backups").exists()
    db.prepare(tmp_path / "backups")
    assert not (tmp_path / "backups").exists(), "at head: nothing to do"
    db.dispose()


def _sqlite_at_older_revision(path: Path) -> Database:
    chain = revisions_oldest_first()
    if len(chain) < 2:
        pytest.skip("a single revision: no older schema to start from")
    db = Database(f"sqlite:///{path}")
    db.upgrade(chain[-2])
    with db.write() as conn:
        conn.execute(insert(s.local_users).values(name="anouk", created_at=1))
        conn.execute(insert(s.settings).values(key="sync_interval_minutes", value="5"))
    return db


def test_prepare_backs_up_an_older_sqlite_database_before_migrating(tmp_path: Path) -> None:
    db = _sqlite_at_older_revision(tmp_path / "work.sqlite3")
    older = db.current_revision()
    db.prepare(tmp_path / "backups")
    assert db.current_revision() == HEAD_REVISION
    assert row_counts(db)["local_users"] == 1
    (backup,) = (tmp_path / "backups").iterdir()
    assert backup.name.startswith(f"work-before-{HEAD_REVISION}-")
    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (older,)
        assert copy.execute("SELECT name FROM local_users").fetchall() == [("anouk",)]
    finally:
        copy.close()
    db.dispose()


@pytest.mark.postgres
def test_a_shared_postgresql_database_is_never_migrated_at_start_up(
    pg_server: PostgresServer,
) -> None:
    url = pg_server.database()
    db = Database(url)
    try:
        with pytest.raises(SchemaOutdated, match="cm-console db upgrade"):
            db.prepare(None)
        assert db.current_revision() is None
        chain = revisions_oldest_first()
        if len(chain) > 1:
            db.upgrade(chain[-2])
            with pytest.raises(SchemaOutdated, match=f"at schema {chain[-2]}"):
                db.prepare(None)
            assert db.current_revision() == chain[-2]
        db.upgrade()
        db.prepare(None)
        assert db.current_revision() == HEAD_REVISION
    finally:
        db.dispose()
        pg_server.drop(url)


def test_a_database_from_a_newer_console_is_refused_clearly(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    with db.write() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="newer") as caught:
        db.prepare(tmp_path / "backups")
    assert not isinstance(caught.value, SchemaOutdated) or "db upgrade" not in str(caught.value)
    with pytest.raises(StoreError, match="newer"):
        db.upgrade()
    assert db.current_revision() == "9999"
    assert not (tmp_path / "backups").exists()
    db.dispose()
