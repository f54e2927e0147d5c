"""Full-text search that never errors on what a user types.

User text is never handed to the engine's query language: it is split into words, and every word
becomes a quoted phrase (SQLite FTS5) or a lexeme of ``plainto_tsquery`` (PostgreSQL). All words
must match; the last one matches as a prefix, so filtering works while typing.

Searches stay fast however common the words are: thread filters look at the :data:`MATCH_CAP` most
recently stored matching posts (and as many thread titles), and ranked post search ranks the
:data:`RANK_CAP` most recent matches. A search narrower than that (nearly every real one) is
exact; a word in more posts than that (``the``, a two-letter prefix while typing) finds the
threads where it was said most recently instead of every thread since the beginning, which is
also what a user typing it wants to see first.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from sqlalchemy import Connection, Integer, String, bindparam, select, text

MAX_TOKENS = 32
MATCH_CAP = 10_000
"""At most this many matching posts (and titles) select threads: the most recently stored."""
RANK_CAP = 2_000
"""Ranked post search ranks at most this many matches: the most recently stored."""
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(query: str) -> list[str]:
    """The words of ``query`` as the index tokenizer sees them (letters and digits; NUL dropped)."""
    cleaned = unicodedata.normalize("NFC", query.replace("\x00", " "))
    found: list[str] = []
    for token in _WORD.findall(cleaned):
        if token not in found:
            found.append(token)
    return found[:MAX_TOKENS]


def fts5_query(query: str, *, prefix_last: bool = True) -> str | None:
    """An FTS5 MATCH expression for ``query``; None when it has no searchable word.

    Every word is a double-quoted string (quotes doubled inside), so no character the user types
    can reach FTS5's operators (``AND``, ``NEAR``, ``:``, ``^``, ``*``, parentheses…).
    """
    tokens = words(query)
    if not tokens:
        return None
    parts = ['"' + tok.replace('"', '""') + '"' for tok in tokens]
    if prefix_last:
        parts[-1] += "*"
    return " ".join(parts)


def _pg_prefix(token: str) -> str | None:
    # Only letters and digits reach to_tsquery; then the prefix marker is added.
    cleaned = "".join(ch for ch in token if ch.isalnum())
    return cleaned + ":*" if cleaned else None


def thread_matches(
    dialect: str, query: str, *, prefix_last: bool = True
) -> tuple[Any, dict[str, Any]] | None:
    """A selectable of the ids of threads whose title or any post matches ``query``, and the
    parameters to run it with; None when ``query`` has no searchable word.

    The selectable is the same object for every query of one shape, so a statement built on it
    can be built once and cached (see ``queue.py``).
    """
    if dialect == "sqlite":
        match = fts5_query(query, prefix_last=prefix_last)
        if match is None:
            return None
        return _sqlite_thread_matches(), {"fts_match": match, "fts_cap": MATCH_CAP}
    tsquery, params = _pg_tsquery(query, prefix_last=prefix_last)
    if tsquery is None:
        return None
    return _pg_thread_matches(tsquery), {**params, "fts_cap": MATCH_CAP}


def matching_thread_ids(conn: Connection, query: str, *, prefix_last: bool = True) -> Any:
    """A selectable of thread ids whose title or any post matches ``query`` (None: no words)."""
    found = thread_matches(conn.dialect.name, query, prefix_last=prefix_last)
    if found is None:
        return None
    selectable, params = found
    return selectable.params(**params)


@functools.cache
def _sqlite_thread_matches() -> Any:
    # FTS5 walks a match list backwards by rowid without sorting, so the cap costs nothing; the
    # thread of each match comes from the narrow (id, thread_id) index, not the wide posts rows.
    stmt = (
        text(
            "SELECT p.thread_id AS id FROM ("
            "SELECT rowid AS post_id FROM posts_fts WHERE posts_fts MATCH :fts_match "
            "ORDER BY rowid DESC LIMIT :fts_cap) AS m "
            "JOIN posts AS p INDEXED BY ix_posts_id_thread ON p.id = m.post_id "
            "UNION SELECT id FROM ("
            "SELECT rowid AS id FROM threads_fts WHERE threads_fts MATCH :fts_match "
            "ORDER BY rowid DESC LIMIT :fts_cap)"
        )
        .bindparams(bindparam("fts_match", type_=String), bindparam("fts_cap", type_=Integer))
        .columns(id=Integer)
    )
    return select(stmt.subquery().c.id)


@functools.lru_cache(maxsize=8)
def _pg_thread_matches(tsquery: str) -> Any:
    stmt = (
        text(
            "SELECT thread_id AS id FROM (SELECT thread_id FROM posts "
            f"WHERE to_tsvector('simple', text) @@ ({tsquery}) ORDER BY id DESC LIMIT :fts_cap) p "
            "UNION SELECT id FROM (SELECT id FROM threads "
            f"WHERE to_tsvector('simple', title) @@ ({tsquery}) ORDER BY id DESC LIMIT :fts_cap) t"
        )
        .bindparams(bindparam("fts_cap", type_=Integer))
        .columns(id=Integer)
    )
    return select(stmt.subquery().c.id)


def _pg_tsquery(query: str, *, prefix_last: bool) -> tuple[str | None, dict[str, str]]:
    tokens = words(query)
    if not tokens:
        return None, {}
    parts: list[str] = []
    params: dict[str, str] = {}
    plain = " ".join(tokens[:-1] if prefix_last else tokens)
    if plain:
        parts.append("plainto_tsquery('simple', :fts_plain)")
        params["fts_plain"] = plain
    if prefix_last:
        prefix = _pg_prefix(tokens[-1])
        if prefix is not None:
            parts.append("to_tsquery('simple', :fts_prefix)")
            params["fts_prefix"] = prefix
    if not parts:
        return None, {}
    return " && ".join(parts), params


def search_posts(conn: Connection, query: str, limit: int = 50) -> list[int]:
    """Ids of posts containing every word of ``query``, best match first (among the
    :data:`RANK_CAP` most recent matches)."""
    if conn.dialect.name == "sqlite":
        match = fts5_query(query, prefix_last=False)
        if match is None:
            return []
        rows = conn.execute(
            text(
                "SELECT post_id FROM (SELECT rowid AS post_id, rank FROM posts_fts "
                "WHERE posts_fts MATCH :m ORDER BY rowid DESC LIMIT :cap) "
                "ORDER BY rank, post_id DESC LIMIT :n"
            ),
            {"m": match, "cap": RANK_CAP, "n": limit},
        )
        return [r[0] for r in rows]
    tsquery, params = _pg_tsquery(query, prefix_last=False)
    if tsquery is None:
        return []
    rows = conn.execute(
        text(
            "SELECT id FROM (SELECT id, text FROM posts "
            f"WHERE to_tsvector('simple', text) @@ ({tsquery}) ORDER BY id DESC LIMIT :cap) m "
            f"ORDER BY ts_rank(to_tsvector('simple', text), ({tsquery})) DESC, id DESC LIMIT :n"
        ),
        {**params, "cap": RANK_CAP, "n": limit},
    )
    return [r[0] for r in rows]
