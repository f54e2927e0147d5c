"""Hostile search input on SQLite (FTS5) and PostgreSQL (full text), property-based.

Arbitrary Unicode — quotes, FTS5 operators and column filters, NUL, lone surrogates, RTL and
combining marks, emoji, thousands of words — must never raise, and every hit must contain every
word of every query term *as the index's own tokenizer sees it* (a term is what the query has
between whitespace; the index splits it into words as it splits the text). The oracle is the
engine itself: SQLite's ``fts5vocab`` over a table with the same tokenizer, PostgreSQL's
``to_tsvector``.

Budget: ``CMC_SEARCH_EXAMPLES`` examples per engine and path (default 300 on SQLite, 120 on
PostgreSQL, a CI budget); the documented long run sets it to 100000.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from cm_console.domain.model import (
    Page,
    PlatformKind,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
)
from cm_console.domain.views import QueueQuery, View
from cm_console.store import Store
from cm_console.store.search import (
    fts5_query,
    query_terms,
    search_posts,
    terms,
    tsquery_text,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
BUDGET = int(os.environ.get("CMC_SEARCH_EXAMPLES", "0"))

# Documents with the words users search for, and the characters that break query parsers.
DOCS = [
    "multi-agent systems in de multi agent werkgroep",
    "don't use agents; do not use AGENTS",
    "ubuntu 20.04 en ubuntu 22.04 LTS",
    "verify:something and title:x column filters",
    "AI AND ML, cats NOT dogs, a OR b, NEAR(a b) in tekst",
    'quotes "unbalanced and \'single\' and "" empty',
    "John Doe <john@x.org> schreef: C++ & C# = fun / 50% off",
    "café naïve coöperatie résumé Ærø",
    "Straße STRASSE strasse ß",
    "日本語のテキスト 中文 한국어",
    "עברית وعربي mixed with English",
    "emoji 🎉🚀 👩‍👩‍👧 party",
    "math x² + y³ = z⁴ ½",
    "under_score snake_case and kebab-case",
    "prefixes: pre prefix prefixed preference",
    "hindi हिन्दी and devanagari",
    "zero\u200bwidth join\u200dless",
    "tabs\tand\nnewlines\r\nand  spaces",
    "rtl \u202eoverride\u202c text",
    "numbers 12345 3.14159 -42 +7 0x1F",
]
OPERATORS = ["AND", "OR", "NOT", "NEAR", "NEAR(", "(", ")", "*", "^", ":", "-", '"', "'", "{", "}"]
VOCAB = sorted({w for d in DOCS for w in d.replace("\n", " ").split(" ") if w})

any_unicode = st.text(st.characters(exclude_categories=()), max_size=60)
query_parts = st.one_of(
    st.sampled_from(VOCAB), st.sampled_from(OPERATORS), st.text(max_size=6), any_unicode
)
queries = st.one_of(
    any_unicode,
    st.lists(query_parts, max_size=8).map(" ".join),
    st.lists(st.sampled_from(VOCAB), min_size=1, max_size=3).map(" ".join),
)
REGRESSIONS = [
    "multi-agent",
    "don't",
    "ubuntu 20.04",
    "verify:something",
    "title:x",
    "-x",
    "a AND",
    "OR",
    "NOT dogs",
    "NEAR(a b",
    '"unbalanced',
    '"" ""',
    "*",
    "a*",
    "^a",
    "(",
    ")",
    "{a b}:c",
    "=",
    "/",
    "\\",
    "'",
    "\x00",
    "\ud800",
    "a\x00b",
    " ".join(["w"] * 10_000),
    "",
    "   \t\n",
    "🎉",
    "עברית",
    "John Doe <john@x.org>",
]


def seed(store: Store) -> None:
    account = store.accounts.add(
        name="search",
        platform="demo",
        platform_kind=PlatformKind.FORUM,
        url=None,
        username=None,
        options={},
        now=NOW,
    )
    at = NOW - timedelta(days=1)
    threads = tuple(
        RemoteThread(f"t{i}", "c", at, title=DOCS[(i + 7) % len(DOCS)]) for i in range(len(DOCS))
    )
    posts = tuple(
        RemotePost(f"p{i}", f"t{i}", "u", at + timedelta(minutes=i), text=doc, is_root=True)
        for i, doc in enumerate(DOCS)
    )
    page = Page(
        scope="*",
        cursor={"n": 1},
        containers=(RemoteContainer("c", "search"),),
        people=(RemotePerson("u", "u", "U"),),
        threads=threads,
        posts=posts,
    )
    store.ingest.page(account.id, page, NOW)


class Oracle:
    """The index's tokenizer, asked directly."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.sqlite = store.db.is_sqlite
        self.memo: dict[str, frozenset[str]] = {}
        if self.sqlite:
            self.db = sqlite3.connect(":memory:")
            self.db.execute(
                "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')"
            )
            self.db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")

    def tokens(self, value: str) -> frozenset[str]:
        if value not in self.memo:
            if self.sqlite:
                self.db.execute("DELETE FROM t")
                self.db.execute("INSERT INTO t(x) VALUES (?)", (value,))
                found = {r[0] for r in self.db.execute("SELECT term FROM v")}
            else:
                with self.store.db.read() as conn:
                    found = set(
                        conn.execute(
                            text("SELECT unnest(tsvector_to_array(to_tsvector('simple', :v)))"),
                            {"v": value},
                        ).scalars()
                    )
            self.memo[value] = frozenset(found)
        return self.memo[value]

    def contains(self, document: str, query: str, *, prefix_last: bool) -> bool:
        have = self.tokens(document)
        wanted, prefix = query_terms(query, prefix_last=prefix_last, cut_words=self.sqlite)
        for index, term in enumerate(wanted):
            needed = self.tokens(term)
            if prefix and index == len(wanted) - 1:
                if not all(any(t.startswith(n) for t in have) for n in needed):
                    return False
            elif not needed <= have:
                return False
        return True


def budget(store: Store) -> int:
    return BUDGET or (300 if store.db.is_sqlite else 120)


def post_texts(store: Store) -> dict[int, str]:
    with store.db.read() as conn:
        return {r[0]: r[1] for r in conn.execute(text("SELECT id, text FROM posts"))}


def test_post_search_never_errors_and_every_hit_has_every_word(store: Store) -> None:
    seed(store)
    oracle = Oracle(store)
    texts = post_texts(store)
    stats = {"queries": 0, "hits": 0}

    @settings(
        max_examples=budget(store),
        deadline=None,
        derandomize=not BUDGET,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(query=queries)
    def check(query: str) -> None:
        with store.db.read() as conn:
            hits = search_posts(conn, query, limit=100)
        stats["queries"] += 1
        stats["hits"] += len(hits)
        for post_id in hits:
            assert oracle.contains(texts[post_id], query, prefix_last=False), (query, post_id)

    for regression in REGRESSIONS:
        check = example(query=regression)(check)
    check()
    print(f"\nsearch ({store.db.engine.dialect.name}, posts): {stats}")
    assert stats["hits"] > 0, "the generated queries do find posts"


def test_queue_search_never_errors_and_every_hit_has_every_word(store: Store) -> None:
    seed(store)
    oracle = Oracle(store)
    texts = post_texts(store)
    with store.db.read() as conn:
        by_thread: dict[int, list[str]] = {}
        for thread_id, post in conn.execute(text("SELECT thread_id, text FROM posts")):
            by_thread.setdefault(thread_id, []).append(post)
        for thread_id, title in conn.execute(text("SELECT id, title FROM threads")):
            by_thread.setdefault(thread_id, []).append(title or "")
    assert texts
    stats = {"queries": 0, "hits": 0}

    @settings(
        max_examples=budget(store),
        deadline=None,
        derandomize=not BUDGET,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(query=queries)
    def check(query: str) -> None:
        ids = store.queue.ids(QueueQuery(view=View.ALL, search=query), NOW)
        stats["queries"] += 1
        if not query_terms(query, prefix_last=True, cut_words=store.db.is_sqlite)[0]:
            return  # nothing to search for yet: the filter does not apply
        stats["hits"] += len(ids)
        for thread_id in ids:
            assert any(
                oracle.contains(doc, query, prefix_last=True) for doc in by_thread[thread_id]
            ), (query, thread_id)

    for regression in REGRESSIONS:
        check = example(query=regression)(check)
    check()
    print(f"\nsearch ({store.db.engine.dialect.name}, queue): {stats}")
    assert stats["hits"] > 0


@pytest.mark.parametrize("query", REGRESSIONS[:24])
def test_terms_never_reach_the_query_language(query: str) -> None:
    # Each term is one quoted operand, its own quotes doubled (FTS5) or escaped (tsquery).
    found = terms(query)
    for term in found:
        assert term
        assert not any(ch.isspace() or ch == "\x00" or 0xD800 <= ord(ch) <= 0xDFFF for ch in term)
    fts = fts5_query(query, prefix_last=False)
    tsq = tsquery_text(query, prefix_last=False)
    if not found:
        assert fts is None and tsq is None
        return
    assert fts == " ".join('"' + t.replace('"', '""') + '"' for t in found)
    assert tsq == " & ".join("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in found)
