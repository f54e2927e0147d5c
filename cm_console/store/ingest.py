"""Idempotent ingest of fetched pages, keyed by (account, remote id).

A page is written in one transaction together with the cursor that follows it, so a crash
replays at most that page. Rows are compared before they are written: a replayed or overlapping
page changes nothing. Edits are applied in place; deletions become tombstones (``deleted_at``),
never row removals, so a flagged thread keeps what the platform deleted.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

from sqlalchemy import Connection, Select, Table, and_, bindparam, insert, or_, select, update

from cm_console.domain.model import Page, RemotePerson, RemotePost, RemoteThread
from cm_console.domain.text import asks_question, title_from_text
from cm_console.store import bulk, facts, prompts
from cm_console.store import schema as s
from cm_console.store.convert import dumps, loads, to_ms
from cm_console.store.engine import Database, StoreError


class IngestError(StoreError):
    """A page that breaks the connector contract (e.g. a post whose thread is unknown)."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one page changed."""

    new_posts: int = 0
    updated_posts: int = 0
    deleted_posts: int = 0
    new_threads: int = 0
    thread_ids: frozenset[int] = frozenset()

    @property
    def changed(self) -> bool:
        return bool(self.new_posts or self.updated_posts or self.deleted_posts or self.thread_ids)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@overload
def clean_text(value: str) -> str: ...
@overload
def clean_text(value: None) -> None: ...
def clean_text(value: str | None) -> str | None:
    """Platform text as stored: NFC, with NUL and lone surrogates replaced by U+FFFD.

    JSON may carry ``\\u0000`` or a lone ``\\ud800``; PostgreSQL text cannot hold NUL and no
    driver can encode a lone surrogate, so either would fail the whole page (and every sync
    after it). NFC makes decomposed accents (``e`` + U+0301) match what people type, on
    PostgreSQL's search too. The raw payload keeps the original.
    """
    if value is None:
        return None
    return unicodedata.normalize("NFC", _UNSTORABLE.sub("\ufffd", value))


def _existing(
    conn: Connection, table: Table, account_id: int, remote_ids: Iterable[str], *columns: str
) -> dict[str, Any]:
    ids = list(dict.fromkeys(remote_ids))
    found: dict[str, Any] = {}
    stmt = _existing_statement(table, columns)
    for chunk in facts.chunks(ids):
        for row in conn.execute(stmt, {"account_id": account_id, "remote_ids": list(chunk)}):
            found[row.remote_id] = row
    return found


@functools.lru_cache(maxsize=64)
def _existing_statement(table: Table, columns: tuple[str, ...]) -> Select[Any]:
    # Built once per table and column list: a page runs a dozen of these.
    return select(table.c.remote_id, table.c.id, *(table.c[c] for c in columns)).where(
        table.c.account_id == bindparam("account_id"),
        table.c.remote_id.in_(bindparam("remote_ids", expanding=True)),
    )


_INSERT_PEOPLE = insert(s.people)
_INSERT_THREADS = insert(s.threads)
_INSERT_POSTS = insert(s.posts)
_FIRST_POST = (
    update(s.people)
    .where(s.people.c.id == bindparam("pid"))
    .where(or_(s.people.c.first_post_at.is_(None), s.people.c.first_post_at > bindparam("at")))
    .values(first_post_at=bindparam("at"))
)
_INSERT_RAW = insert(s.raw_payloads)
_UPDATE_RAW = (
    update(s.raw_payloads)
    .where(s.raw_payloads.c.id == bindparam("rid_"))
    .values(payload=bindparam("payload"), fetched_at=bindparam("fetched_at"))
)


def _changed(row: Any, values: Mapping[str, Any]) -> bool:
    return any(getattr(row, k) != v for k, v in values.items())


def _person_values(person: RemotePerson) -> dict[str, Any]:
    return {
        "handle": clean_text(person.handle),
        "display_name": clean_text(person.display_name),
        "email": clean_text(person.email),
        "title": clean_text(person.title),
        "department": clean_text(person.department),
        "is_bot": person.is_bot,
    }


class Ingest:
    """Writes fetched pages into the store."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def page(self, account_id: int, page: Page, now: datetime) -> IngestResult:
        """Store ``page`` and its cursor in one transaction; returns what changed."""
        with self._db.write() as conn:
            return ingest_page(conn, account_id, page, now)


def ingest_page(conn: Connection, account_id: int, page: Page, now: datetime) -> IngestResult:
    """Store ``page`` (and its cursor) inside the caller's write transaction."""
    now_ms = to_ms(now)
    container_ids = _upsert_containers(conn, account_id, page)
    person_ids, bots = _upsert_people(conn, account_id, page)
    thread_ids, new_threads, touched = _upsert_threads(conn, account_id, page, container_ids)

    new_posts, updated_posts, post_touched, first_posts = _upsert_posts(
        conn, account_id, page.posts, thread_ids, person_ids, bots, now_ms
    )
    touched |= post_touched
    deleted, deleted_touched = _tombstone(conn, account_id, page.deleted_post_ids, now_ms)
    touched |= deleted_touched
    _first_posts(conn, first_posts)
    _raw_payloads(conn, account_id, page, now_ms)
    facts.recompute(conn, account_id, touched)
    prompts.refresh(conn, touched)
    if touched:
        conn.execute(
            update(s.threads).where(s.threads.c.id.in_(sorted(touched))).values(updated_at=now_ms)
        )
    _store_cursor(conn, account_id, page.scope, page.cursor, now_ms)
    return IngestResult(
        new_posts=new_posts,
        updated_posts=updated_posts,
        deleted_posts=deleted,
        new_threads=new_threads,
        thread_ids=frozenset(touched),
    )


def _upsert_containers(conn: Connection, account_id: int, page: Page) -> dict[str, int]:
    wanted = {c.remote_id: c for c in page.containers}
    referenced = {t.container_remote_id for t in page.threads}
    found = _existing(
        conn,
        s.containers,
        account_id,
        [*wanted, *referenced],
        "name",
        "url",
        "kind",
        "parent_name",
        "description",
    )
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for remote_id, c in wanted.items():
        values = {
            "name": clean_text(c.name),
            "url": c.url,
            "kind": c.kind,
            "parent_name": clean_text(c.parent_name),
            "description": clean_text(c.description),
        }
        row = found.get(remote_id)
        if row is None:
            inserts.append({"account_id": account_id, "remote_id": remote_id, **values})
        elif _changed(row, values):
            updates.append({"cid": row.id, **values})
    if inserts:
        conn.execute(insert(s.containers), inserts)
        found.update(_existing(conn, s.containers, account_id, [i["remote_id"] for i in inserts]))
    if updates:
        conn.execute(
            update(s.containers)
            .where(s.containers.c.id == bindparam("cid"))
            .values({k: bindparam(k) for k in updates[0] if k != "cid"}),
            updates,
        )
    missing = referenced - found.keys()
    if missing:
        raise IngestError(f"threads in unknown containers: {sorted(missing)[:3]}")
    return {remote_id: row.id for remote_id, row in found.items()}


def _upsert_people(
    conn: Connection, account_id: int, page: Page
) -> tuple[dict[str, int], set[str]]:
    wanted = {p.remote_id: p for p in page.people}
    authors = {p.author_remote_id for p in page.posts}
    found = _existing(
        conn,
        s.people,
        account_id,
        [*wanted, *authors],
        "handle",
        "display_name",
        "email",
        "title",
        "department",
        "is_bot",
        "identity",
    )
    inserts, updates = [], []
    for remote_id, person in wanted.items():
        values = _person_values(person)
        row = found.get(remote_id)
        # An e-mail address links a colleague across accounts, unless linked by hand already.
        identity = person.email.lower() if person.email else None
        if row is None:
            inserts.append(
                {"account_id": account_id, "remote_id": remote_id, "identity": identity, **values}
            )
        else:
            values["identity"] = row.identity or identity
            if _changed(row, values):
                updates.append({"pid": row.id, **values})
    # Authors known only by id so far; the people directory fills in their names later.
    inserts.extend(
        {
            "account_id": account_id,
            "remote_id": remote_id,
            "handle": remote_id,
            "display_name": remote_id,
            "email": None,
            "title": None,
            "department": None,
            "is_bot": False,
            "identity": None,
        }
        for remote_id in authors - wanted.keys() - found.keys()
    )
    # Only the people written here can change their team mark: every other row already carries
    # it (a change of team or own user re-marks the whole account, see Store.recompute_account).
    marked: list[int] = []
    if inserts:
        bulk.executemany(conn, _INSERT_PEOPLE, inserts)
        new = _existing(conn, s.people, account_id, [i["remote_id"] for i in inserts], "is_bot")
        found.update(new)
        marked.extend(row.id for row in new.values())
    if updates:
        conn.execute(
            update(s.people)
            .where(s.people.c.id == bindparam("pid"))
            .values({k: bindparam(k) for k in updates[0] if k != "pid"}),
            updates,
        )
        marked.extend(u["pid"] for u in updates)
    if marked:
        facts.refresh_team(conn, account_id, marked)
    bots = {rid for rid, p in wanted.items() if p.is_bot}
    bots |= {rid for rid, row in found.items() if rid not in wanted and row.is_bot}
    return {remote_id: row.id for remote_id, row in found.items()}, bots


def _thread_values(thread: RemoteThread, container_id: int, title: str) -> dict[str, Any]:
    return {
        "container_id": container_id,
        "title": clean_text(title),
        "url": thread.url,
        "created_at": to_ms(thread.created_at),
        "resolved": thread.resolved,
        "closed": thread.closed,
        "accepted_post_remote_id": thread.accepted_post_remote_id,
        "remote_tags": dumps(list(thread.remote_tags)),
    }


def _upsert_threads(
    conn: Connection, account_id: int, page: Page, container_ids: Mapping[str, int]
) -> tuple[dict[str, int], int, set[int]]:
    wanted = {t.remote_id: t for t in page.threads}
    referenced = {p.thread_remote_id for p in page.posts}
    found = _existing(
        conn,
        s.threads,
        account_id,
        [*wanted, *referenced],
        "container_id",
        "title",
        "url",
        "created_at",
        "resolved",
        "closed",
        "accepted_post_remote_id",
        "remote_tags",
    )
    roots = {p.thread_remote_id: p for p in page.posts if p.is_root}
    inserts, updates, touched = [], [], set()
    for remote_id, thread in wanted.items():
        row = found.get(remote_id)
        title = thread.title
        if title is None:
            root = roots.get(remote_id)
            title = title_from_text(root.text) if root is not None else (row.title if row else "")
        values = _thread_values(thread, container_ids[thread.container_remote_id], title)
        if row is None:
            created = values["created_at"]
            inserts.append(
                {
                    "account_id": account_id,
                    "remote_id": remote_id,
                    **values,
                    "last_activity_at": created,
                    "unanswered_at": created,
                    "stalled_at": created,
                    "abandoned_at": created,
                    "sla_due_at": created,
                    "updated_at": created,
                }
            )
        elif _changed(row, values):
            updates.append({"tid": row.id, **values})
            touched.add(row.id)
    if inserts:
        bulk.executemany(conn, _INSERT_THREADS, inserts)
        new = _existing(conn, s.threads, account_id, [i["remote_id"] for i in inserts])
        found.update(new)
        touched |= {row.id for row in new.values()}
    if updates:
        conn.execute(
            update(s.threads)
            .where(s.threads.c.id == bindparam("tid"))
            .values({k: bindparam(k) for k in updates[0] if k != "tid"}),
            updates,
        )
    missing = referenced - found.keys()
    if missing:
        raise IngestError(f"posts for threads the page does not describe: {sorted(missing)[:3]}")
    return {remote_id: row.id for remote_id, row in found.items()}, len(inserts), touched


def _post_values(post: RemotePost, thread_id: int, author_id: int, by_bot: bool) -> dict[str, Any]:
    reactions = [[r.person_remote_id, r.emoji] for r in post.reactions]
    text = clean_text(post.text)
    return {
        "thread_id": thread_id,
        "author_id": author_id,
        "created_at": to_ms(post.created_at),
        "edited_at": to_ms(post.edited_at),
        "kind": post.kind.value,
        "is_root": post.is_root,
        "by_bot": by_bot,
        "asks_question": asks_question(text),
        "acked_by_other": any(r.person_remote_id != post.author_remote_id for r in post.reactions),
        "reply_to_remote_id": post.reply_to_remote_id,
        "text": text,
        "html": clean_text(post.html),
        "reactions": dumps(reactions) if reactions else None,
        "url": post.url,
    }


_POST_COLUMNS = (
    "thread_id",
    "author_id",
    "created_at",
    "edited_at",
    "deleted_at",
    "kind",
    "is_root",
    "by_bot",
    "asks_question",
    "acked_by_other",
    "reply_to_remote_id",
    "text",
    "html",
    "reactions",
    "url",
)
_UPDATE_POSTS = (
    update(s.posts)
    .where(s.posts.c.id == bindparam("pid"))
    .values({k: bindparam(k) for k in _POST_COLUMNS})
)


def _upsert_posts(
    conn: Connection,
    account_id: int,
    posts: Sequence[RemotePost],
    thread_ids: Mapping[str, int],
    person_ids: Mapping[str, int],
    bots: set[str],
    now_ms: int,
) -> tuple[int, int, set[int], dict[int, int]]:
    unique = {p.remote_id: p for p in posts}  # a page may repeat an id: the last copy wins
    found = _existing(conn, s.posts, account_id, unique, *_POST_COLUMNS)
    inserts, updates, touched = [], [], set()
    first_posts: dict[int, int] = {}
    for remote_id, post in unique.items():
        author = person_ids[post.author_remote_id]
        values = _post_values(
            post,
            thread_ids[post.thread_remote_id],
            author,
            post.by_bot or post.author_remote_id in bots,
        )
        row = found.get(remote_id)
        if row is None:
            values["deleted_at"] = now_ms if post.deleted else None
            inserts.append(
                {"account_id": account_id, "remote_id": remote_id, "arrived_at": now_ms, **values}
            )
        else:
            if post.deleted:
                values["deleted_at"] = row.deleted_at or now_ms
                if not post.text and not post.html:
                    # The platform blanked the body; the tombstone keeps what was said.
                    values.update(text=row.text, html=row.html, asks_question=row.asks_question)
            else:
                values["deleted_at"] = None
            if not _changed(row, values):
                continue
            updates.append({"pid": row.id, **values})
            touched.add(row.thread_id)
        touched.add(values["thread_id"])
        if not post.deleted:
            created = values["created_at"]
            first_posts[author] = min(first_posts.get(author, created), created)
    bulk.executemany(conn, _INSERT_POSTS, inserts)
    bulk.executemany(conn, _UPDATE_POSTS, updates)
    return len(inserts), len(updates), touched, first_posts


def _tombstone(
    conn: Connection, account_id: int, remote_ids: Sequence[str], now_ms: int
) -> tuple[int, set[int]]:
    if not remote_ids:
        return 0, set()
    p = s.posts.c
    touched: set[int] = set()
    count = 0
    for chunk in facts.chunks(list(dict.fromkeys(remote_ids))):
        condition = and_(p.account_id == account_id, p.remote_id.in_(chunk), p.deleted_at.is_(None))
        touched |= {r.thread_id for r in conn.execute(select(p.thread_id).where(condition))}
        count += conn.execute(update(s.posts).where(condition).values(deleted_at=now_ms)).rowcount
    return count, touched


def _first_posts(conn: Connection, first_posts: Mapping[int, int]) -> None:
    if not first_posts:
        return
    bulk.executemany(conn, _FIRST_POST, [{"pid": pid, "at": at} for pid, at in first_posts.items()])


def _raw_payloads(conn: Connection, account_id: int, page: Page, now_ms: int) -> None:
    items = [("thread", t.remote_id, t.raw) for t in page.threads if t.raw is not None]
    items += [("post", p.remote_id, p.raw) for p in page.posts if p.raw is not None]
    if not items:
        return
    r = s.raw_payloads.c
    by_kind: dict[str, dict[str, str]] = {}
    for kind, remote_id, raw in items:
        by_kind.setdefault(kind, {})[remote_id] = dumps(raw)
    for kind, payloads in by_kind.items():
        existing: dict[str, Any] = {}
        for chunk in facts.chunks(list(payloads)):
            for row in conn.execute(
                select(r.remote_id, r.id, r.payload).where(
                    r.account_id == account_id, r.kind == kind, r.remote_id.in_(chunk)
                )
            ):
                existing[row.remote_id] = row
        inserts = [
            {
                "account_id": account_id,
                "kind": kind,
                "remote_id": rid,
                "payload": payload,
                "fetched_at": now_ms,
            }
            for rid, payload in payloads.items()
            if rid not in existing
        ]
        updates = [
            {"rid_": existing[rid].id, "payload": payload, "fetched_at": now_ms}
            for rid, payload in payloads.items()
            if rid in existing and existing[rid].payload != payload
        ]
        bulk.executemany(conn, _INSERT_RAW, inserts)
        bulk.executemany(conn, _UPDATE_RAW, updates)


def _store_cursor(conn: Connection, account_id: int, scope: str, cursor: Any, now_ms: int) -> None:
    c = s.cursors.c
    value = dumps(cursor)
    result = conn.execute(
        update(s.cursors)
        .where(c.account_id == account_id, c.scope == scope)
        .values(value=value, updated_at=now_ms)
    )
    if result.rowcount == 0:
        conn.execute(
            insert(s.cursors).values(
                account_id=account_id, scope=scope, value=value, updated_at=now_ms
            )
        )


def load_cursors(conn: Connection, account_id: int) -> dict[str, Any]:
    """Every stored cursor of an account, by scope."""
    rows = conn.execute(
        select(s.cursors.c.scope, s.cursors.c.value).where(s.cursors.c.account_id == account_id)
    )
    return {r.scope: loads(r.value) for r in rows}
