"""Fixtures shared across test trees: databases on both engines, stores, clocks."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cm_console.store import Database, Store
from tests.helpers.postgres import PostgresServer, running_server

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server for the whole session."""
    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def pg_template(pg_server: PostgresServer) -> str:
    """A migrated template database; each test clones it (fast) instead of migrating."""
    url = pg_server.database()
    db = Database(url)
    db.upgrade()
    db.dispose()
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file; each test copies it (fast) instead of migrating."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()  # the last connection checkpoints the WAL into the file
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database URL on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server: PostgresServer = request.getfixturevalue("pg_server")
    template: str = request.getfixturevalue("pg_template")
    url = server.database(template=template)
    yield url
    server.drop(url)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store on each engine."""
    st = Store(Database(db_url))
    yield st
    st.close()


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path) -> Iterator[Store]:
    """A store on SQLite only (for engine-specific behaviour)."""
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(sqlite_template, path)
    st = Store(Database(f"sqlite:///{path}"))
    yield st
    st.close()
