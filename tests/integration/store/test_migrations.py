"""The migrations build exactly ``store/schema.py``, on SQLite and PostgreSQL, and step back."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cm_console.store import Database
from cm_console.store.engine import HEAD_REVISION
from cm_console.store.schema import metadata

# Full-text search objects are engine-specific and made by the migrations alone (schema.py).
_FTS_OBJECTS = ("ix_posts_search", "ix_threads_search")


def _declared(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    del obj, type_, reflected, compare_to
    return not (name and ("_fts" in name or name in _FTS_OBJECTS))


def _differences(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": _declared}
        )
        return list(compare_metadata(context, metadata))


def test_migrated_schema_matches_the_declared_one(db_url: str) -> None:
    db = Database(db_url)
    try:
        assert db.current_revision() == HEAD_REVISION
        assert _differences(db) == []
    finally:
        db.dispose()


def test_queue_indexes_migrate_down_and_up(db_url: str) -> None:
    db = Database(db_url)
    try:
        db.downgrade("0001")
        with db.read() as conn:
            names = {ix["name"] for ix in inspect(conn).get_indexes("threads")}
        assert "ix_threads_created" not in names
        db.upgrade()
        assert db.current_revision() == HEAD_REVISION
        assert _differences(db) == []
    finally:
        db.dispose()
