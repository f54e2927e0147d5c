"""Alembic migrations for the cm-console schema (SQLite and PostgreSQL)."""
