"""Full-text search that never errors on what a user types.

User text never reaches an engine's query language as syntax. The query is split on whitespace
into terms; each term is handed to the index's own tokenizer as a quoted string (an FTS5 phrase on
SQLite, a quoted ``to_tsquery`` operand on PostgreSQL), so every hit holds the words exactly as
the index sees them: ``multi-agent`` is the phrase "multi agent", ``user@example.com`` is the
PostgreSQL parser's e-mail token, ``AND``, ``NEAR``, ``:``, ``^``, ``*`` and parentheses are
plain text. All terms must match; the last one matches as a prefix, so filtering works while
typing, unless a space follows it (then it is a whole word). A word still being typed that is
shorter than :data:`PREFIX_MIN_CHARS` is left out until it is long enough (on SQLite ``vpn-g``
searches ``vpn`` until ``vpn-gat``; PostgreSQL, whose parser keeps hyphenated words whole, leaves
out a whole last term that short): every word starting with one or two letters is a large part of
the index, and what it would find is noise (and slow to find).

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

MATCH_CAP = 10_000
"""At most this many matching posts (and titles) select threads: the most recently stored."""
RANK_CAP = 2_000
"""Ranked post search ranks at most this many matches: the most recently stored."""
PREFIX_MIN_CHARS = 3
"""A word still being typed (the end of the last term) needs this many characters to be searched
as a prefix; a shorter one is left out."""
_WORD = re.compile(r"[^\W_]+")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL (PostgreSQL text cannot hold it) and lone surrogates (undecodable bytes in a command
line arrive as surrogate escapes, which no driver can encode)."""


def terms(query: str) -> list[str]:
    """The search terms of ``query``: whitespace-separated, in Unicode normal form C, each once."""
    cleaned = unicodedata.normalize("NFC", _UNSTORABLE.sub(" ", query))
    return list(dict.fromkeys(cleaned.split()))


def _token_spans(term: str) -> list[tuple[int, int]]:
    """Where the words of ``term`` are: runs of letters, digits and private-use characters, the
    characters the index's tokenizers keep (everything else separates words)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(term):
        category = unicodedata.category(ch)
        if category[0] in "LN" or category == "Co":
            if start is None:
                start = i
        elif start is not None:
            spans.append((start, i))
            start = None
    if start is not None:
        spans.append((start, len(term)))
    return spans


def query_terms(
    query: str, *, prefix_last: bool = True, cut_words: bool = True
) -> tuple[list[str], bool]:
    """The terms a search uses, and whether the last one is matched as a prefix.

    With ``prefix_last`` (a filter typed a key at a time), the last term is a prefix unless a
    space follows it. With ``cut_words`` (FTS5, whose tokenizer splits on every character but
    letters and digits), a word still being typed at its end that is shorter than
    :data:`PREFIX_MIN_CHARS` is cut off with what joins it to the term, and what is left of the
    term is then a whole phrase; without (PostgreSQL, whose parser keeps hyphenated words, URLs
    and addresses whole), a last term shorter than that is left out. A last term without a
    letter or digit matches nothing (a single such character is left out, as it may still
    become a word).
    """
    found = terms(query)
    if not (prefix_last and found) or query[-1:].isspace():
        return found, False
    last = found[-1]
    words = _token_spans(last)
    if not words:  # no word in it: it matches nothing (one character may still become a word)
        if len(last) < 2:
            found.pop()
        return found, False
    if not cut_words:
        if len(last) < PREFIX_MIN_CHARS:
            found.pop()
            return found, False
        return found, True
    start, end = words[-1]
    if end - start >= PREFIX_MIN_CHARS:
        return found, True
    cut = last[: words[-2][1]] if len(words) > 1 else ""
    found.pop()
    if cut and cut not in found:
        found.append(cut)
    return found, False


def fts5_query(query: str, *, prefix_last: bool = True) -> str | None:
    """An FTS5 MATCH expression for ``query``; None when it has no terms.

    Every term is a double-quoted string (quotes doubled inside): FTS5 tokenizes it as a phrase,
    and no character the user types can reach its operators.
    """
    found, prefix = query_terms(query, prefix_last=prefix_last)
    if not found:
        return None
    parts = ['"' + term.replace('"', '""') + '"' for term in found]
    if prefix:
        parts[-1] += "*"
    return " ".join(parts)


def tsquery_text(query: str, *, prefix_last: bool = True) -> str | None:
    """A ``to_tsquery`` input for ``query``; None when it has no terms.

    Every term is a single-quoted operand (backslashes and quotes escaped): PostgreSQL's parser
    turns it into the same lexemes as the indexed text, joined as a phrase. A term with no lexeme
    at all drops out with a notice, never an error.
    """
    found, prefix = query_terms(query, prefix_last=prefix_last, cut_words=False)
    if not found:
        return None
    parts = ["'" + term.replace("\\", "\\\\").replace("'", "''") + "'" for term in found]
    if prefix:
        parts[-1] += ":*"
    return " & ".join(parts)


def thread_matches(
    dialect: str, query: str, *, prefix_last: bool = True
) -> tuple[Any, dict[str, Any]] | None:
    """A selectable of the ids of threads whose title or any post matches ``query``, and the
    parameters to run it with; None when ``query`` has no terms (whitespace only, or a single
    character still being typed).

    The selectable is the same object for every query, so a statement built on it can be built
    once and cached (see ``queue.py``).
    """
    if dialect == "sqlite":
        match = fts5_query(query, prefix_last=prefix_last)
        if match is None:
            return None
        return _sqlite_thread_matches(), {"fts_match": match, "fts_cap": MATCH_CAP}
    tsquery = tsquery_text(query, prefix_last=prefix_last)
    if tsquery is None:
        return None
    return _pg_thread_matches(), {"fts_query": tsquery, "fts_cap": MATCH_CAP}


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


@functools.cache
def _pg_thread_matches() -> Any:
    stmt = (
        text(
            "SELECT thread_id AS id FROM (SELECT thread_id FROM posts "
            "WHERE to_tsvector('simple', text) @@ to_tsquery('simple', :fts_query) "
            "ORDER BY id DESC LIMIT :fts_cap) p "
            "UNION SELECT id FROM (SELECT id FROM threads "
            "WHERE to_tsvector('simple', title) @@ to_tsquery('simple', :fts_query) "
            "ORDER BY id DESC LIMIT :fts_cap) t"
        )
        .bindparams(bindparam("fts_query", type_=String), bindparam("fts_cap", type_=Integer))
        .columns(id=Integer)
    )
    return select(stmt.subquery().c.id)


def search_posts(conn: Connection, query: str, limit: int = 50) -> list[int]:
    """Ids of posts containing every term of ``query``, best match first (among the
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
    tsquery = tsquery_text(query, prefix_last=False)
    if tsquery is None:
        return []
    rows = conn.execute(
        text(
            "SELECT id FROM (SELECT id, text FROM posts "
            "WHERE to_tsvector('simple', text) @@ to_tsquery('simple', :q) "
            "ORDER BY id DESC LIMIT :cap) m "
            "ORDER BY ts_rank(to_tsvector('simple', text), to_tsquery('simple', :q)) DESC, "
            "id DESC LIMIT :n"
        ),
        {"q": tsquery, "cap": RANK_CAP, "n": limit},
    )
    return [r[0] for r in rows]


SIMILAR_WORDS = 8
SIMILAR_LIMIT = 200
SIMILAR_CAP = 4_000
"""Similar questions are ranked among the most recently stored posts sharing a word with the
question (as many as this): a common word is in a large part of the index, and what was said
recently is what expert suggestions weigh most."""
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
    cleaned = unicodedata.normalize("NFC", _UNSTORABLE.sub(" ", source.lower()))
    for word in _WORD.findall(cleaned):
        if len(word) >= 3 and not word.isdigit() and word not in _STOPWORDS:
            seen.setdefault(word)
    return sorted(seen, key=len, reverse=True)[:limit]


def similar_thread_ids(
    conn: Connection, source: str, *, exclude: int | None = None, limit: int = SIMILAR_LIMIT
) -> list[int]:
    """Threads whose question (the root post) shares the most distinctive words of ``source``,
    best match first (among the :data:`SIMILAR_CAP` most recent posts sharing a word): the
    "similar questions" of expert suggestions."""
    terms = keywords(source)
    if not terms:
        return []
    if conn.dialect.name == "sqlite":
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = conn.execute(
            text(
                "SELECT p.thread_id FROM (SELECT rowid AS post_id, rank FROM posts_fts "
                "WHERE posts_fts MATCH :m ORDER BY rowid DESC LIMIT :cap) AS m "
                "JOIN posts AS p ON p.id = m.post_id WHERE p.is_root "
                "ORDER BY m.rank LIMIT :n"
            ),
            {"m": match, "cap": SIMILAR_CAP, "n": limit * 3},
        )
    else:
        lexemes = " | ".join("".join(ch for ch in t if ch.isalnum()) for t in terms)
        rows = conn.execute(
            text(
                "SELECT thread_id FROM (SELECT thread_id, text FROM posts WHERE is_root AND "
                "to_tsvector('simple', text) @@ to_tsquery('simple', :q) "
                "ORDER BY id DESC LIMIT :cap) m "
                "ORDER BY ts_rank(to_tsvector('simple', text), to_tsquery('simple', :q)) DESC "
                "LIMIT :n"
            ),
            {"q": lexemes, "cap": SIMILAR_CAP, "n": limit * 3},
        )
    found: dict[int, None] = {}
    for (thread_id,) in rows:
        if thread_id != exclude:
            found.setdefault(thread_id)
        if len(found) >= limit:
            break
    return list(found)
