"""Engines, connection settings, transactions and migrations.

SQLite (the embedded default) runs in WAL mode with ``synchronous=FULL`` and foreign keys on.
Writes go through a one-connection writer engine that opens every transaction with
``BEGIN IMMEDIATE``: one writer per process, and a clear wait (not a deadlock) across processes.
Reads use a separate pool with deferred transactions, so the window reads while a sync writes.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError

log = logging.getLogger(__name__)

HEAD_REVISION = "0008"
"""The newest migration; start-up compares with it before importing Alembic (which is slow)."""

MIGRATIONS = "cm_console.store:migrations"
BUSY_TIMEOUT_S = 30.0


class StoreError(Exception):
    """A database problem the user can act on (locked, unreachable, wrong schema version)."""


class SchemaOutdated(StoreError):
    """A shared database that needs ``cm-console db upgrade`` first."""


class Unreachable(StoreError):
    """The shared database cannot be reached (network, server down): the console goes offline."""


_CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
"""SQLSTATEs of a lost or refused connection (class 08, admin/crash shutdown, cannot connect)."""


WRITER_CACHE_KIB = 32 * 1024
READER_CACHE_KIB = 8 * 1024
"""SQLite's page cache per connection. The writer's is large (ingest touches indexes all over);
readers (up to eight, one per background query) keep a small one each: the queue's indexes are a
few megabytes, and the operating system caches the file for all of them."""


def _sqlite_on_connect(cache_kib: int) -> Callable[[sqlite3.Connection, object], None]:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take transaction control away from the sqlite3 module; our "begin" hook issues BEGIN.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cur.execute(f"PRAGMA cache_size=-{cache_kib}")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    return on_connect


def _redacted(url: URL) -> str:
    return url.render_as_string(hide_password=True)


class Database:
    """A database URL with its engines: the single place that knows how to connect.

    Args:
        url: a SQLAlchemy URL (``sqlite:///…`` or ``postgresql+psycopg://…``).
        password: the PostgreSQL password (from the keyring); never part of a stored URL.
    """

    def __init__(self, url: str | URL, *, password: str | None = None) -> None:
        self.origin = uuid.uuid4().hex[:12]
        """This instance's mark on what it writes (team mode: a console ignores its own news)."""
        parsed = make_url(url)
        if password is not None:
            parsed = parsed.set(password=password)
        self.url = parsed
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database in ("", ":memory:"):
                raise StoreError("an embedded database needs a file path")
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.path: Path | None = Path(database)
            self._writer = create_engine(
                parsed,
                pool_size=1,
                max_overflow=0,
                pool_timeout=BUSY_TIMEOUT_S,
                connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            )
            self._reader = create_engine(
                parsed,
                pool_size=4,
                max_overflow=4,
                connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            )
            for engine, begin, cache in (
                (self._writer, "BEGIN IMMEDIATE", WRITER_CACHE_KIB),
                (self._reader, "BEGIN", READER_CACHE_KIB),
            ):
                event.listen(engine, "connect", _sqlite_on_connect(cache))
                event.listen(engine, "begin", _begin_with(begin))
        elif self.dialect == "postgresql":
            self.path = None
            from cm_console.store.schema import use_postgresql_indexes  # noqa: PLC0415

            use_postgresql_indexes()
            self._writer = self._reader = create_engine(
                parsed,
                pool_pre_ping=True,
                pool_size=5,
                max_overflow=5,
                connect_args=self._pg_connect_args(parsed),
            )
        else:
            raise StoreError(f"unsupported database {parsed.get_backend_name()!r}")

    def _pg_connect_args(self, url: URL) -> dict[str, Any]:
        # Laptops sleep and networks drop: keepalives notice a dead server, and a session left
        # idle inside a transaction cannot hold row locks for ever.
        options = (
            f"-c cm_console.origin={self.origin} -c idle_in_transaction_session_timeout=300000"
        )
        given = url.query.get("options")
        if isinstance(given, str) and given:
            options = f"{given} {options}"
        return {
            "connect_timeout": 10,
            "application_name": "cm-console",
            "options": options,
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }

    def listen_connection(self) -> Any:
        """A new autocommit psycopg connection outside the pool, for ``LISTEN`` (PostgreSQL).

        The caller owns it (and closes it); it carries this instance's origin like the pool's.
        """
        import psycopg  # noqa: PLC0415 - only team mode listens

        if self.is_sqlite:
            raise StoreError("only a PostgreSQL database announces changes")
        _args, kwargs = self._writer.dialect.create_connect_args(self.url)
        kwargs.update(self._pg_connect_args(self.url))
        kwargs["application_name"] = "cm-console listener"
        try:
            return psycopg.connect(autocommit=True, **kwargs)
        except psycopg.Error as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"lost the connection to {self.display_url}: {message}") from exc

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def display_url(self) -> str:
        """The URL with any password hidden (for messages and logs)."""
        return _redacted(self.url)

    @property
    def engine(self) -> Engine:
        """The writer engine (migrations and maintenance)."""
        return self._writer

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction (deferred on SQLite: it never blocks the writer)."""
        with _translate_errors(self), self._reader.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite); committed when the block ends."""
        with _translate_errors(self), self._writer.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        """Close every pooled connection."""
        self._writer.dispose()
        if self._reader is not self._writer:
            self._reader.dispose()

    # --- schema -----------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        """The schema revision stored in the database, or None for an empty database."""
        with self.read() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
            return None if row is None else str(row[0])

    def upgrade(self, target: str = "head") -> None:
        """Run the Alembic migrations up to ``target`` (imports Alembic)."""
        self._migrate("upgrade", target)

    def downgrade(self, target: str) -> None:
        """Run the Alembic migrations back down to ``target`` (for tests and recovery)."""
        self._migrate("downgrade", target)

    def _migrate(self, direction: str, target: str) -> None:
        from alembic import command  # noqa: PLC0415 - Alembic costs ~0.7 s to import
        from alembic.config import Config  # noqa: PLC0415

        self._refuse_newer(self.current_revision())
        cfg = Config()
        cfg.set_main_option("script_location", MIGRATIONS)
        with self._writer.connect() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, direction)(cfg, target)
            conn.commit()

    def prepare(self, backup_dir: Path | None) -> None:
        """Make the schema current at start-up.

        An embedded SQLite database is migrated automatically, after a backup copy when it holds
        data. A shared PostgreSQL database is only checked: it is migrated by
        ``cm-console db upgrade``, run once by whoever administers it.
        """
        current = self.current_revision()
        if current == HEAD_REVISION:
            return
        self._refuse_newer(current)
        if not self.is_sqlite:
            raise SchemaOutdated(
                f"the shared database is at schema {current or 'none'}, this console needs "
                f"{HEAD_REVISION}: run 'cm-console db upgrade' first"
            )
        if current is not None and backup_dir is not None:
            self.backup(backup_dir, f"before-{HEAD_REVISION}")
        self.upgrade()

    def _refuse_newer(self, current: str | None) -> None:
        """Raise when the schema was written by a newer console than this one."""
        if current is None or current == HEAD_REVISION or current in known_revisions():
            return
        raise StoreError(
            f"{self.display_url} is at schema {current}, written by a newer cm-console than this "
            f"one (which knows schemas up to {HEAD_REVISION}): update cm-console"
        )

    def backup(self, backup_dir: Path, label: str) -> Path:
        """Copy the SQLite database (consistently, with SQLite's backup API) into ``backup_dir``."""
        assert self.path is not None
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = backup_dir / f"{self.path.stem}-{label}-{stamp}.sqlite3"
        src = sqlite3.connect(self.path)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        log.info("backed up the database to %s", target)
        return target


def insert_new(conn: Connection, table: Table) -> Any:
    """An INSERT that skips rows whose key is already there (ON CONFLICT DO NOTHING).

    For rows several consoles may create at the same moment (team mode): checking first and
    inserting after is a race on PostgreSQL, where the loser gets a unique violation.
    """
    return dialect_module(conn.dialect.name).insert(table).on_conflict_do_nothing()


def dialect_module(name: str) -> Any:
    """SQLAlchemy's dialect package for ``name`` (its ``insert`` knows ON CONFLICT).

    PostgreSQL's is imported when it is first used: the embedded database never loads it.
    """
    if name == "postgresql":
        from sqlalchemy.dialects import postgresql  # noqa: PLC0415

        return postgresql
    return sqlite


def known_revisions() -> set[str]:
    """Every schema revision this version of cm-console has a migration for (imports Alembic)."""
    from alembic.config import Config  # noqa: PLC0415
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    return {script.revision for script in ScriptDirectory.from_config(cfg).walk_revisions()}


def _begin_with(statement: str) -> Any:
    def do_begin(conn: Connection) -> None:
        conn.exec_driver_sql(statement)

    return do_begin


@contextlib.contextmanager
def _translate_errors(db: Database) -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        orig = getattr(exc, "orig", None)
        message = str(orig or exc).strip().splitlines()[0]
        if db.is_sqlite and "locked" in message:
            raise StoreError(f"the database is busy (another program holds it): {message}") from exc
        if not db.is_sqlite:
            state = getattr(orig, "sqlstate", None)
            if (
                (isinstance(exc, DBAPIError) and exc.connection_invalidated)
                or state is None
                or state.startswith(_CONNECTION_STATES)
            ):
                raise Unreachable(f"lost the connection to {db.display_url}: {message}") from exc
        raise StoreError(f"database error on {db.display_url}: {message}") from exc
    except DBAPIError as exc:
        if not db.is_sqlite and exc.connection_invalidated:
            message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise Unreachable(f"lost the connection to {db.display_url}: {message}") from exc
        raise
