"""Bulk writes for ingest: ``executemany`` without per-row parameter processing on SQLite.

SQLAlchemy turns every row's dict into the driver's parameters through the column types'
processors; at ingest volume (a page writes thousands of rows) that costs as much as SQLite's own
work. The values ingest writes are already what the driver takes (int, str, bool, None), so on
SQLite the statement is compiled once and the rows go to ``sqlite3`` as plain tuples. PostgreSQL
keeps SQLAlchemy's own path (its batched ``insertmanyvalues`` is the fast one there).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql.expression import Executable

_COMPILED: dict[tuple[Executable, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}


def executemany(conn: Connection, stmt: Executable, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run ``stmt`` once per row; every row must have the same keys as the first.

    Statements are cached by identity: pass module-level statements, not ones built per call.
    """
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(stmt, list(rows))
        return
    keys = tuple(rows[0])
    compiled = _COMPILED.get((stmt, keys))
    if compiled is None:
        c = stmt.compile(dialect=conn.dialect, column_keys=list(keys))  # type: ignore[attr-defined]
        order = tuple(c.positiontup or ())
        compiled = _COMPILED[(stmt, keys)] = (c.string, order)
    sql, order = compiled
    conn.exec_driver_sql(sql, [tuple(row[k] for k in order) for row in rows])
