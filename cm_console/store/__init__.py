"""Storage: SQLAlchemy 2 schema, migrations and repositories (the only package using SQL)."""

from cm_console.store.engine import Database, SchemaOutdated, StoreError, Unreachable
from cm_console.store.store import Store, open_store

__all__ = ["Database", "SchemaOutdated", "Store", "StoreError", "Unreachable", "open_store"]
