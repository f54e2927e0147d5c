"""The raw ``sqlite3`` baseline for the ingest benchmark: the store's ingest, written by hand.

It does the same work as ``store.ingest.page`` on the same (migrated) schema, so the FTS
triggers and every index are maintained as well: one ``BEGIN IMMEDIATE`` transaction per page
with the store's pragmas; containers, people, threads and posts compared with what is stored
and inserted or updated with ``executemany``; tombstones; raw payloads; first-post times; the
per-thread facts and deadlines of every touched thread computed with the same domain functions
(``compute_facts``, ``compute_deadlines``); the insights' running totals (``store/rollups.py``);
and the cursor. What it leaves out is only overhead:
SQLAlchemy's statement building and result processing, and re-marking the whole team on every
page with new people (it marks new people as they are inserted).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cm_console import config
from cm_console.domain.model import Page, PlatformKind, PostKind, RemotePost
from cm_console.domain.rules import PostFact, Thresholds, compute_facts
from cm_console.domain.text import asks_question, title_from_text
from cm_console.store import rollups
from cm_console.store.convert import dumps, to_ms
from cm_console.store.facts import fact_row, thresholds_from

CHUNK = 500

_FACT_COLUMNS = (
    "root_author_id",
    "is_settled",
    "root_by_team",
    "root_deleted",
    "root_asks_question",
    "acknowledged",
    "by_newcomer",
    "first_reply_at",
    "first_team_reply_at",
    "reply_count",
    "qualifying_reply_count",
    "participant_count",
    "last_activity_at",
    "last_post_author_id",
    "open_end",
    "last_team_post_at",
    "last_nonteam_post_at",
    "unanswered_at",
    "stalled_at",
    "abandoned_at",
    "sla_due_at",
)
_UPDATE_FACTS = (
    "UPDATE threads SET "
    + ", ".join(f"{c} = :{c}" for c in _FACT_COLUMNS)
    + ", updated_at = :updated_at WHERE id = :tid"
)
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
_INSERT_POST = (
    f"INSERT INTO posts (account_id, remote_id, {', '.join(_POST_COLUMNS)}) "
    f"VALUES (?, ?, {', '.join('?' for _ in _POST_COLUMNS)})"
)
_UPDATE_POST = "UPDATE posts SET " + ", ".join(f"{c} = ?" for c in _POST_COLUMNS) + " WHERE id = ?"


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the store's pragmas (WAL, ``synchronous=FULL``, foreign keys…)."""
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA busy_timeout=30000")
    con.execute("PRAGMA cache_size=-32768")
    con.execute("PRAGMA temp_store=MEMORY")
    return con


class RawIngest:
    """Hand-written ingest over one ``sqlite3`` connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def add_account(
        self, name: str, platform: str, kind: PlatformKind, options: Mapping[str, str], me: str
    ) -> int:
        con = self.con
        now = to_ms(datetime.now(UTC))
        con.execute("BEGIN IMMEDIATE")
        cur = con.execute(
            "INSERT INTO accounts (name, platform, platform_kind, options, own_person_remote_id, "
            "enabled, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
            (name, platform, kind.value, dumps(dict(options)), me, now),
        )
        account_id = cur.lastrowid
        assert account_id is not None
        con.execute(
            "INSERT INTO people (account_id, remote_id, handle, display_name, is_bot, is_team) "
            "VALUES (?, ?, ?, ?, 0, 1)",
            (account_id, me, me, "Community Manager"),
        )
        con.execute("COMMIT")
        return account_id

    def _existing(
        self, sql: str, account_id: int, remote_ids: Iterable[str]
    ) -> dict[str, tuple[Any, ...]]:
        ids = list(dict.fromkeys(remote_ids))
        found: dict[str, tuple[Any, ...]] = {}
        for chunk in _chunks(ids):
            for row in self.con.execute(sql.format(_marks(len(chunk))), (account_id, *chunk)):
                found[row[0]] = row
        return found

    def page(self, account_id: int, page: Page, now: datetime) -> int:
        """Store one page; returns the number of threads whose facts were recomputed."""
        con = self.con
        now_ms = to_ms(now)
        con.execute("BEGIN IMMEDIATE")
        try:
            touched = self._write(account_id, page, now_ms)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return touched

    def _write(self, account_id: int, page: Page, now_ms: int) -> int:
        con = self.con
        # containers
        wanted_c = {c.remote_id: c for c in page.containers}
        found_c = self._existing(
            "SELECT remote_id, id, name, url, kind, parent_name, description FROM containers "
            "WHERE account_id = ? AND remote_id IN ({})",
            account_id,
            [*wanted_c, *(t.container_remote_id for t in page.threads)],
        )
        c_new, c_upd = [], []
        for rid, c in wanted_c.items():
            values = (c.name, c.url, c.kind, c.parent_name, c.description)
            row = found_c.get(rid)
            if row is None:
                c_new.append((account_id, rid, *values))
            elif row[2:] != values:
                c_upd.append((*values, row[1]))
        if c_new:
            con.executemany(
                "INSERT INTO containers (account_id, remote_id, name, url, kind, parent_name, "
                "description) VALUES (?, ?, ?, ?, ?, ?, ?)",
                c_new,
            )
            found_c.update(
                self._existing(
                    "SELECT remote_id, id FROM containers WHERE account_id = ? "
                    "AND remote_id IN ({})",
                    account_id,
                    [r[1] for r in c_new],
                )
            )
        if c_upd:
            con.executemany(
                "UPDATE containers SET name = ?, url = ?, kind = ?, parent_name = ?, "
                "description = ? WHERE id = ?",
                c_upd,
            )
        container_ids = {rid: row[1] for rid, row in found_c.items()}

        # people (new ones are marked as team as they are inserted)
        account = con.execute(
            "SELECT options, own_person_remote_id, platform_kind FROM accounts WHERE id = ?",
            (account_id,),
        ).fetchone()
        options = json.loads(account[0])
        team_handles = {h.lower() for h in config.TEAM.parse(options.get("team", ""))}
        own = account[1]
        wanted_p = {p.remote_id: p for p in page.people}
        authors = {p.author_remote_id for p in page.posts}
        found_p = self._existing(
            "SELECT remote_id, id, handle, display_name, email, title, department, is_bot "
            "FROM people WHERE account_id = ? AND remote_id IN ({})",
            account_id,
            [*wanted_p, *authors],
        )
        p_new, p_upd = [], []
        for rid, p in wanted_p.items():
            values = (p.handle, p.display_name, p.email, p.title, p.department, p.is_bot)
            row = found_p.get(rid)
            if row is None:
                team = rid == own or p.handle.lower() in team_handles
                p_new.append((account_id, rid, *values, team))
            elif row[2:7] != values[:5] or bool(row[7]) != p.is_bot:
                p_upd.append((*values, row[1]))
        for rid in authors - wanted_p.keys() - found_p.keys():
            team = rid == own or rid.lower() in team_handles
            p_new.append((account_id, rid, rid, rid, None, None, None, False, team))
        if p_new:
            con.executemany(
                "INSERT INTO people (account_id, remote_id, handle, display_name, email, title, "
                "department, is_bot, is_team) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                p_new,
            )
            found_p.update(
                self._existing(
                    "SELECT remote_id, id, handle, display_name, email, title, department, "
                    "is_bot FROM people WHERE account_id = ? AND remote_id IN ({})",
                    account_id,
                    [r[1] for r in p_new],
                )
            )
        if p_upd:
            con.executemany(
                "UPDATE people SET handle = ?, display_name = ?, email = ?, title = ?, "
                "department = ?, is_bot = ? WHERE id = ?",
                p_upd,
            )
        person_ids = {rid: row[1] for rid, row in found_p.items()}
        bots = {rid for rid, p in wanted_p.items() if p.is_bot}
        bots |= {rid for rid, row in found_p.items() if rid not in wanted_p and row[7]}

        # threads
        wanted_t = {t.remote_id: t for t in page.threads}
        found_t = self._existing(
            "SELECT remote_id, id, container_id, title, url, created_at, resolved, closed, "
            "accepted_post_remote_id, remote_tags FROM threads "
            "WHERE account_id = ? AND remote_id IN ({})",
            account_id,
            [*wanted_t, *(p.thread_remote_id for p in page.posts)],
        )
        roots = {p.thread_remote_id: p for p in page.posts if p.is_root}
        t_new, t_upd = [], []
        touched: set[int] = set()
        for rid, t in wanted_t.items():
            row = found_t.get(rid)
            title = t.title
            if title is None:
                root = roots.get(rid)
                if root is not None:
                    title = title_from_text(root.text)
                else:
                    title = row[3] if row is not None else ""
            values = (
                container_ids[t.container_remote_id],
                title,
                t.url,
                to_ms(t.created_at),
                t.resolved,
                t.closed,
                t.accepted_post_remote_id,
                dumps(list(t.remote_tags)),
            )
            if row is None:
                created = values[3]
                t_new.append((account_id, rid, *values, created, created, created, created))
            elif (
                row[2:6] != values[:4]
                or bool(row[6]) != t.resolved
                or bool(row[7]) != t.closed
                or row[8:] != values[6:]
            ):
                t_upd.append((*values, row[1]))
                touched.add(row[1])
        if t_new:
            # last_activity_at, unanswered_at, stalled_at, abandoned_at, sla_due_at, updated_at
            con.executemany(
                "INSERT INTO threads (account_id, remote_id, container_id, title, url, "
                "created_at, resolved, closed, accepted_post_remote_id, remote_tags, "
                "last_activity_at, unanswered_at, stalled_at, abandoned_at, sla_due_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*r, r[5], r[5]) for r in t_new],
            )
            new = self._existing(
                "SELECT remote_id, id FROM threads WHERE account_id = ? AND remote_id IN ({})",
                account_id,
                [r[1] for r in t_new],
            )
            found_t.update(new)
            touched |= {row[1] for row in new.values()}
        if t_upd:
            con.executemany(
                "UPDATE threads SET container_id = ?, title = ?, url = ?, created_at = ?, "
                "resolved = ?, closed = ?, accepted_post_remote_id = ?, remote_tags = ? "
                "WHERE id = ?",
                t_upd,
            )
        thread_ids = {rid: row[1] for rid, row in found_t.items()}

        # posts
        touched |= self._posts(account_id, page.posts, thread_ids, person_ids, bots, now_ms)
        touched |= self._tombstones(account_id, page.deleted_post_ids, now_ms)
        self._raw_payloads(account_id, page, now_ms)
        self._facts(account_id, sorted(touched), now_ms)
        value = dumps(page.cursor)
        cur = con.execute(
            "UPDATE cursors SET value = ?, updated_at = ? WHERE account_id = ? AND scope = ?",
            (value, now_ms, account_id, page.scope),
        )
        if cur.rowcount == 0:
            con.execute(
                "INSERT INTO cursors (account_id, scope, value, updated_at) VALUES (?, ?, ?, ?)",
                (account_id, page.scope, value, now_ms),
            )
        return len(touched)

    def _posts(
        self,
        account_id: int,
        posts: Sequence[RemotePost],
        thread_ids: Mapping[str, int],
        person_ids: Mapping[str, int],
        bots: set[str],
        now_ms: int,
    ) -> set[int]:
        unique = {p.remote_id: p for p in posts}
        found = self._existing(
            f"SELECT remote_id, id, {', '.join(_POST_COLUMNS)} FROM posts "
            "WHERE account_id = ? AND remote_id IN ({})",
            account_id,
            unique,
        )
        inserts, updates = [], []
        touched: set[int] = set()
        first_posts: dict[int, int] = {}
        for rid, post in unique.items():
            author = person_ids[post.author_remote_id]
            thread_id = thread_ids[post.thread_remote_id]
            reactions = [[r.person_remote_id, r.emoji] for r in post.reactions]
            row = found.get(rid)
            text, html = post.text, post.html
            question = asks_question(post.text)
            if row is None:
                deleted_at = now_ms if post.deleted else None
            elif post.deleted:
                deleted_at = row[6] or now_ms
                if not post.text and not post.html:
                    text, html, question = row[13], row[14], bool(row[10])
            else:
                deleted_at = None
            values = (
                thread_id,
                author,
                to_ms(post.created_at),
                to_ms(post.edited_at),
                deleted_at,
                post.kind.value,
                post.is_root,
                post.by_bot or post.author_remote_id in bots,
                question,
                any(r.person_remote_id != post.author_remote_id for r in post.reactions),
                post.reply_to_remote_id,
                text,
                html,
                dumps(reactions) if reactions else None,
                post.url,
            )
            if row is None:
                inserts.append((account_id, rid, *values))
            else:
                stored = row[2:]
                if all(
                    (bool(a) == b) if isinstance(b, bool) else (a == b)
                    for a, b in zip(stored, values, strict=True)
                ):
                    continue
                updates.append((*values, row[1]))
                touched.add(row[2])
            touched.add(thread_id)
            if not post.deleted:
                created = values[2]
                first_posts[author] = min(first_posts.get(author, created), created)
        if inserts:
            self.con.executemany(_INSERT_POST, inserts)
        if updates:
            self.con.executemany(_UPDATE_POST, updates)
        if first_posts:
            self.con.executemany(
                "UPDATE people SET first_post_at = ? WHERE id = ? "
                "AND (first_post_at IS NULL OR first_post_at > ?)",
                [(at, pid, at) for pid, at in first_posts.items()],
            )
        return touched

    def _tombstones(self, account_id: int, remote_ids: Sequence[str], now_ms: int) -> set[int]:
        touched: set[int] = set()
        for chunk in _chunks(list(dict.fromkeys(remote_ids))):
            marks = _marks(len(chunk))
            where = f"account_id = ? AND remote_id IN ({marks}) AND deleted_at IS NULL"
            args = (account_id, *chunk)
            touched |= {
                r[0] for r in self.con.execute(f"SELECT thread_id FROM posts WHERE {where}", args)
            }
            self.con.execute(f"UPDATE posts SET deleted_at = ? WHERE {where}", (now_ms, *args))
        return touched

    def _raw_payloads(self, account_id: int, page: Page, now_ms: int) -> None:
        by_kind: dict[str, dict[str, str]] = {}
        for t in page.threads:
            if t.raw is not None:
                by_kind.setdefault("thread", {})[t.remote_id] = dumps(t.raw)
        for p in page.posts:
            if p.raw is not None:
                by_kind.setdefault("post", {})[p.remote_id] = dumps(p.raw)
        for kind, payloads in by_kind.items():
            existing: dict[str, tuple[Any, ...]] = {}
            for chunk in _chunks(list(payloads)):
                for row in self.con.execute(
                    "SELECT remote_id, id, payload FROM raw_payloads WHERE account_id = ? "
                    f"AND kind = ? AND remote_id IN ({_marks(len(chunk))})",
                    (account_id, kind, *chunk),
                ):
                    existing[row[0]] = row
            new = [
                (account_id, kind, rid, payload, now_ms)
                for rid, payload in payloads.items()
                if rid not in existing
            ]
            changed = [
                (payload, now_ms, existing[rid][1])
                for rid, payload in payloads.items()
                if rid in existing and existing[rid][2] != payload
            ]
            if new:
                self.con.executemany(
                    "INSERT INTO raw_payloads (account_id, kind, remote_id, payload, fetched_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    new,
                )
            if changed:
                self.con.executemany(
                    "UPDATE raw_payloads SET payload = ?, fetched_at = ? WHERE id = ?", changed
                )

    def _thresholds(self, account_id: int) -> dict[int, Thresholds]:
        options, kind = self.con.execute(
            "SELECT options, platform_kind FROM accounts WHERE id = ?", (account_id,)
        ).fetchone()
        account_options = config.parse_options(
            {
                k: v if isinstance(v, str) else str(v)
                for k, v in json.loads(options).items()
                if k in config.ALL_SETTINGS
            },
            config.Scope.ACCOUNT,
        )
        platform_kind = PlatformKind(kind)
        base = thresholds_from(account_options, {}, platform_kind)
        out: dict[int, Thresholds] = {}
        for cid, raw in self.con.execute(
            "SELECT id, options FROM containers WHERE account_id = ?", (account_id,)
        ):
            opts = {k: v for k, v in json.loads(raw).items() if k in config.ALL_SETTINGS}
            out[cid] = (
                thresholds_from(
                    account_options,
                    config.parse_options(
                        {k: v if isinstance(v, str) else str(v) for k, v in opts.items()},
                        config.Scope.CONTAINER,
                    ),
                    platform_kind,
                )
                if opts
                else base
            )
        return out

    def _facts(self, account_id: int, ids: Sequence[int], now_ms: int) -> None:
        if not ids:
            return
        con = self.con
        team = {
            r[0]
            for r in con.execute(
                "SELECT id FROM people WHERE account_id = ? AND is_team", (account_id,)
            )
        }
        thresholds = self._thresholds(account_id)
        from_ms = _from_ms
        for chunk in _chunks(ids):
            marks = _marks(len(chunk))
            posts: dict[int, list[PostFact]] = {tid: [] for tid in chunk}
            shares: dict[int, list[rollups.PostShare]] = {tid: [] for tid in chunk}
            for r in con.execute(
                "SELECT p.thread_id, p.author_id, p.created_at, p.is_root, p.kind, p.deleted_at, "
                "p.by_bot, p.asks_question, p.acked_by_other, p.id, tp.author_id, "
                "tp.created_at, tp.tally FROM posts p "
                "LEFT JOIN tallied_posts tp ON tp.post_id = p.id "
                f"WHERE p.thread_id IN ({marks})",
                chunk,
            ):
                kind = PostKind(r[4])
                posts[r[0]].append(
                    PostFact(
                        author_id=r[1],
                        created_at=from_ms(r[2]),
                        is_root=bool(r[3]),
                        kind=kind,
                        deleted=r[5] is not None,
                        human=not r[6] and kind is not PostKind.NOTICE,
                        asks_question=bool(r[7]),
                        acked_by_other=bool(r[8]),
                    )
                )
                shares[r[0]].append(
                    rollups.PostShare(
                        r[9], r[1], r[2], bool(r[3]), r[4], r[5] is not None, bool(r[6]), *r[10:]
                    )
                )
            meta = con.execute(
                "SELECT id, created_at, container_id, resolved, closed FROM threads "
                f"WHERE id IN ({marks})",
                chunk,
            ).fetchall()
            computed = [(row, compute_facts(posts[row[0]], team, from_ms(row[1]))) for row in meta]
            authors = sorted({f.root_author_id for _, f in computed if f.root_author_id})
            first_posts = (
                dict(
                    con.execute(
                        "SELECT id, first_post_at FROM people "
                        f"WHERE id IN ({_marks(len(authors))})",
                        authors,
                    ).fetchall()
                )
                if authors
                else {}
            )
            params = []
            for row, facts in computed:
                first = first_posts.get(facts.root_author_id) if facts.root_author_id else None
                values = fact_row(
                    row[0],
                    facts,
                    thresholds[row[2]],
                    settled=bool(row[3] or row[4]),
                    newcomer=first is not None and first >= to_ms(facts.root_at),
                )
                values["updated_at"] = now_ms
                params.append(values)
            con.executemany(_UPDATE_FACTS, params)
            # the insights' running totals (store/rollups.py), by the same rules
            changes = rollups.Changes()
            for row, facts in computed:
                rollups.reconcile(changes, shares[row[0]], row[1], facts.root_author_id)
            self._rollups(account_id, changes)

    def _rollups(self, account_id: int, changes: rollups.Changes) -> None:
        con = self.con
        con.executemany(
            "INSERT INTO tallied_posts (post_id, author_id, created_at, tally) VALUES (?, ?, ?, ?)",
            [(r["post_id"], r["author_id"], r["created_at"], r["tally"]) for r in changes.inserts],
        )
        con.executemany(
            "UPDATE tallied_posts SET author_id = ?, created_at = ?, tally = ? WHERE post_id = ?",
            [(r["author_id"], r["created_at"], r["tally"], r["post_id"]) for r in changes.updates],
        )
        con.executemany(
            "DELETE FROM tallied_posts WHERE post_id = ?", [(i,) for i in changes.deletes]
        )
        con.executemany(
            "INSERT INTO activity_hours (account_id, hour, posts) VALUES (?, ?, ?) "
            "ON CONFLICT (account_id, hour) DO UPDATE SET posts = posts + excluded.posts",
            [(account_id, h, n) for h, n in sorted(changes.hours.items()) if n],
        )
        con.executemany(
            "INSERT INTO reply_weeks (account_id, author_id, week, replies) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (account_id, author_id, week) "
            "DO UPDATE SET replies = replies + excluded.replies",
            [(account_id, a, w, n) for (a, w), n in sorted(changes.weeks.items()) if n],
        )


def _from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
