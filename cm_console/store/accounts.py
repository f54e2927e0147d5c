"""Accounts, containers, people, local users and app settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from cm_console.domain.model import Account, Container, LocalUser, Person, PlatformKind
from cm_console.store import schema as s
from cm_console.store.convert import dumps, from_ms, loads, to_ms
from cm_console.store.engine import Database, StoreError, insert_new


class AccountExists(StoreError):
    """An account with that name is already configured."""


def account_from_row(row: Row[Any]) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        platform=row.platform,
        url=row.url,
        username=row.username,
        options=loads(row.options, {}),
        own_person_remote_id=row.own_person_remote_id,
        created_at=from_ms(row.created_at),
    )


def person_from_row(row: Row[Any]) -> Person:
    return Person(
        id=row.id,
        account_id=row.account_id,
        remote_id=row.remote_id,
        handle=row.handle,
        display_name=row.display_name,
        email=row.email,
        title=row.title,
        department=row.department,
        is_bot=row.is_bot,
        is_team=row.is_team,
        identity=row.identity,
    )


def container_from_row(row: Row[Any]) -> Container:
    return Container(
        id=row.id,
        account_id=row.account_id,
        remote_id=row.remote_id,
        name=row.name,
        url=row.url,
        kind=row.kind,
        parent_name=row.parent_name,
        options=loads(row.options, {}),
    )


class Accounts:
    """Configured accounts and what belongs to them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
        self,
        *,
        name: str,
        platform: str,
        platform_kind: PlatformKind,
        url: str | None,
        username: str | None,
        options: Mapping[str, Any],
        now: datetime,
    ) -> Account:
        with self._db.write() as conn:
            # Skipping an existing name (rather than checking first) also covers two consoles
            # adding the same account at once on a shared database.
            new_id = conn.execute(
                insert_new(conn, s.accounts)
                .values(
                    name=name,
                    platform=platform,
                    platform_kind=platform_kind.value,
                    url=url,
                    username=username,
                    options=dumps(dict(options)),
                    created_at=to_ms(now),
                )
                .returning(s.accounts.c.id)
            ).scalar()
            if new_id is None:
                raise AccountExists(f"an account named {name!r} already exists")
            row = conn.execute(select(s.accounts).where(s.accounts.c.id == new_id)).one()
            return account_from_row(row)

    def get(self, name: str) -> Account | None:
        with self._db.read() as conn:
            row = conn.execute(select(s.accounts).where(s.accounts.c.name == name)).first()
            return None if row is None else account_from_row(row)

    def by_id(self, account_id: int) -> Account | None:
        with self._db.read() as conn:
            row = conn.execute(select(s.accounts).where(s.accounts.c.id == account_id)).first()
            return None if row is None else account_from_row(row)

    def all(self) -> list[Account]:
        with self._db.read() as conn:
            rows = conn.execute(select(s.accounts).order_by(s.accounts.c.name)).all()
            return [account_from_row(r) for r in rows]

    def remove(self, name: str) -> bool:
        """Delete the account and everything synced for it (threads, posts, outbox)."""
        with self._db.write() as conn:
            result = conn.execute(delete(s.accounts).where(s.accounts.c.name == name))
            return result.rowcount > 0

    def set_options(self, account_id: int, options: Mapping[str, Any]) -> None:
        with self._db.write() as conn:
            conn.execute(
                update(s.accounts)
                .where(s.accounts.c.id == account_id)
                .values(options=dumps(dict(options)))
            )

    def set_own_person(self, account_id: int, remote_id: str) -> None:
        with self._db.write() as conn:
            conn.execute(
                update(s.accounts)
                .where(s.accounts.c.id == account_id)
                .values(own_person_remote_id=remote_id)
            )

    def containers(self, account_id: int | None = None) -> list[Container]:
        with self._db.read() as conn:
            query = select(s.containers).order_by(s.containers.c.account_id, s.containers.c.name)
            if account_id is not None:
                query = query.where(s.containers.c.account_id == account_id)
            return [container_from_row(r) for r in conn.execute(query)]

    def set_container_options(self, container_id: int, options: Mapping[str, Any]) -> None:
        with self._db.write() as conn:
            conn.execute(
                update(s.containers)
                .where(s.containers.c.id == container_id)
                .values(options=dumps(dict(options)))
            )

    def people(self, account_id: int) -> list[Person]:
        with self._db.read() as conn:
            rows = conn.execute(
                select(s.people)
                .where(s.people.c.account_id == account_id)
                .order_by(func.lower(s.people.c.display_name))
            )
            return [person_from_row(r) for r in rows]

    def find_person(self, account_id: int, handle: str) -> Person | None:
        """A person by handle, remote id or display name (case-insensitive), in that order.

        Compared in Python: SQLite's ``lower()`` folds ASCII letters only.
        """
        needle = handle.lstrip("@").casefold()
        with self._db.read() as conn:
            rows = conn.execute(
                select(s.people).where(s.people.c.account_id == account_id).order_by(s.people.c.id)
            ).all()
        for field in ("handle", "remote_id", "display_name"):
            for row in rows:
                if getattr(row, field).casefold() == needle:
                    return person_from_row(row)
        return None


class LocalUsers:
    """The people using this console; one per machine, several in team mode."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def ensure(self, name: str, now: datetime) -> LocalUser:
        """The console user ``name``, created on first use (by any number of consoles at once)."""
        with self._db.write() as conn:
            row = conn.execute(select(s.local_users).where(s.local_users.c.name == name)).first()
            if row is None:
                conn.execute(
                    insert_new(conn, s.local_users).values(name=name, created_at=to_ms(now))
                )
                row = conn.execute(select(s.local_users).where(s.local_users.c.name == name)).one()
            return LocalUser(id=row.id, name=row.name)

    def get(self, name: str) -> LocalUser | None:
        """A console user by name, in any letter case (compared in Python, as for people)."""
        wanted = name.casefold()
        for user in self.all():
            if user.name.casefold() == wanted:
                return user
        return None

    def all(self) -> list[LocalUser]:
        with self._db.read() as conn:
            rows = conn.execute(select(s.local_users).order_by(s.local_users.c.name))
            return [LocalUser(id=r.id, name=r.name) for r in rows]


class AppSettings:
    """Workspace-wide settings stored in the database (shared in team mode)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get_all(self) -> dict[str, Any]:
        with self._db.read() as conn:
            return {r.key: loads(r.value) for r in conn.execute(select(s.settings))}

    def set_many(self, values: Mapping[str, Any]) -> None:
        with self._db.write() as conn:
            set_settings(conn, values)


def set_settings(conn: Connection, values: Mapping[str, Any]) -> None:
    keys: Sequence[str] = list(values)
    if keys:
        conn.execute(delete(s.settings).where(s.settings.c.key.in_(keys)))
        conn.execute(insert(s.settings), [{"key": k, "value": dumps(values[k])} for k in keys])
