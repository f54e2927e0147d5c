"""Full-text search that never errors on what a user types.

User text is never handed to the engine's query language: it is split into words, and every word
becomes a quoted phrase (SQLite FTS5) or a lexeme of ``plainto_tsquery`` (PostgreSQL). All words
must match; the last one matches as a prefix, so filtering works while typing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import Connection, Integer, bindparam, select, text

MAX_TOKENS = 32
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


def matching_thread_ids(conn: Connection, query: str, *, prefix_last: bool = True) -> Any:
    """A selectable of thread ids whose title or any post matches ``query`` (None: no words)."""
    if conn.dialect.name == "sqlite":
        match = fts5_query(query, prefix_last=prefix_last)
        if match is None:
            return None
        stmt = (
            text(
                "SELECT posts.thread_id AS id FROM posts_fts "
                "JOIN posts ON posts.id = posts_fts.rowid WHERE posts_fts MATCH :fts_match "
                "UNION SELECT rowid AS id FROM threads_fts WHERE threads_fts MATCH :fts_match"
            )
            .bindparams(bindparam("fts_match", match))
            .columns(id=Integer)
        )
        return select(stmt.subquery().c.id)
    tsquery, params = _pg_tsquery(query, prefix_last=prefix_last)
    if tsquery is None:
        return None
    stmt = (
        text(
            f"SELECT thread_id AS id FROM posts WHERE to_tsvector('simple', text) @@ ({tsquery}) "
            f"UNION SELECT id FROM threads WHERE to_tsvector('simple', title) @@ ({tsquery})"
        )
        .bindparams(**params)
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
    """Ids of posts containing every word of ``query``, best match first."""
    if conn.dialect.name == "sqlite":
        match = fts5_query(query, prefix_last=False)
        if match is None:
            return []
        rows = conn.execute(
            text("SELECT rowid FROM posts_fts WHERE posts_fts MATCH :m ORDER BY rank LIMIT :n"),
            {"m": match, "n": limit},
        )
        return [r[0] for r in rows]
    tsquery, params = _pg_tsquery(query, prefix_last=False)
    if tsquery is None:
        return []
    rows = conn.execute(
        text(
            f"SELECT id FROM posts WHERE to_tsvector('simple', text) @@ ({tsquery}) "
            f"ORDER BY ts_rank(to_tsvector('simple', text), ({tsquery})) DESC LIMIT :n"
        ),
        {**params, "n": limit},
    )
    return [r[0] for r in rows]


SIMILAR_WORDS = 8
SIMILAR_LIMIT = 200
_STOPWORDS = frozenset(
    (  # noqa: SIM905 - a word list, kept compact
        "aan alle als andere ben bij dan dat de deze die dit doen door een eens en er ga gaan "
        "geen had heb hebben heeft hier hij hoe iemand ik in is je jij kan kun kunnen maar me met "
        "mij mijn moet na naar niet nog nu of om omdat ook op over te tot uit van veel voor waar "
        "wat we wel werd wie wij wil word worden zal ze zelf zij zijn zo zou about after all also "
        "and any are because been but can could does doesn each for from get got have has help "
        "here how into just like more need not now only other our out please should some still "
        "than that the their them then there these they this those through very was were what "
        "when where which while who why will with would you your"
    ).split()
)


def keywords(source: str, limit: int = SIMILAR_WORDS) -> list[str]:
    """The distinctive words of a text (longest first), for finding similar threads."""
    seen: dict[str, None] = {}
    for word in words(source.lower()):
        if len(word) >= 3 and not word.isdigit() and word not in _STOPWORDS:
            seen.setdefault(word)
    return sorted(seen, key=len, reverse=True)[:limit]


def similar_thread_ids(
    conn: Connection, source: str, *, exclude: int | None = None, limit: int = SIMILAR_LIMIT
) -> list[int]:
    """Threads whose question (the root post) shares the most distinctive words of ``source``,
    best match first: the "similar questions" of expert suggestions."""
    terms = keywords(source)
    if not terms:
        return []
    if conn.dialect.name == "sqlite":
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = conn.execute(
            text(
                "SELECT posts.thread_id FROM posts_fts JOIN posts ON posts.id = posts_fts.rowid "
                "WHERE posts_fts MATCH :m AND posts.is_root ORDER BY rank LIMIT :n"
            ),
            {"m": match, "n": limit * 3},
        )
    else:
        lexemes = " | ".join("".join(ch for ch in t if ch.isalnum()) for t in terms)
        rows = conn.execute(
            text(
                "SELECT thread_id FROM posts WHERE is_root AND to_tsvector('simple', text) @@ "
                "to_tsquery('simple', :q) ORDER BY ts_rank(to_tsvector('simple', text), "
                "to_tsquery('simple', :q)) DESC LIMIT :n"
            ),
            {"q": lexemes, "n": limit * 3},
        )
    found: dict[int, None] = {}
    for (thread_id,) in rows:
        if thread_id != exclude:
            found.setdefault(thread_id)
        if len(found) >= limit:
            break
    return list(found)
