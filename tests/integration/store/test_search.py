"""Full-text search never errors on what a user types, and finds only what was asked for.

Arbitrary Unicode goes into the search on SQLite (FTS5) and PostgreSQL (text search): quotes, the
engines' operators and keywords, NUL, lone surrogates (undecodable bytes in a command line),
emoji, right-to-left text, ten thousand words, nothing at all. The oracle is the index's own
tokenizer: every hit holds each word of the query (the last one as a prefix) as that tokenizer
splits and folds it, and a post holding the query verbatim is always found.
"""

from __future__ import annotations

import functools
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import text

from cm_console.domain.model import Page, RemoteContainer, RemotePerson, RemotePost, RemoteThread
from cm_console.domain.views import QueueQuery, View
from cm_console.store import Store
from tests.helpers.builders import add_account

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

FRAGMENTS = [
    '"',
    '""',
    "'",
    "*",
    ":",
    "-",
    "^",
    "(",
    ")",
    "{a b}",
    "+",
    "\\",
    "=",
    "/",
    "%",
    "_",
    "\x00",
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "NEAR(",
    "near/3",
    "col:val",
    "text:x",
    "printer",
    "Printer",
    "print",
    "printers",
    "café",
    "cafe\u0301",
    "CAFE",
    "multi-agent",
    "don't",
    "ubuntu 20.04",
    "v2.0",
    "foo.bar",
    "user@example.com",
    "https://intranet.example/a?b=1",
    "verify:something",
    "AI AND ML",
    "cats NOT dogs",
    "😀",
    "👍🏽",
    "שלום",
    "مَرْحَبًا",
    "हिन्दी",
    "日本語",
    "a\ue000b",
    "x²y",
    "Ⅻ",
    "١٢٣",
    "ß",
    "İstanbul",
    "\u200b",
    "\t",
    "\n",
    " ",
]
CORPUS = [
    ("Printer on floor 3 is broken", ["The printer jams. Any idea?", "Try the other printer."]),
    ("Café menu", ["Is the café open on Sunday?", "cafe\u0301 closes at 15:00"]),
    ("multi-agent setup", ["don't use agents for this", "ubuntu 20.04 and v2.0 work"]),
    ("Contact", ["mail user@example.com or see https://intranet.example/a?b=1"]),
    ("AI AND ML", ["cats NOT dogs", "verify:something", "col:val text:x"]),
    ("שלום", ["مَرْحَبًا بكم", "हिन्दी में", "日本語のテキスト"]),
    ("Emoji 😀", ["👍🏽 thanks", "a\ue000b x²y Ⅻ ١٢٣"]),
    ("Straße", ["İstanbul office", "ß and SS", 'He said "NEAR(a b)" ^start *star*']),
    ("", ["foo.bar and foo bar", "quotes ' and \" and \\ backslash"]),
]

SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
QUERIES = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None) | SURROGATE, max_size=20),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4).map("".join),
    st.tuples(st.sampled_from([c for _, posts in CORPUS for c in posts]), st.integers(1, 40)).map(
        lambda pair: pair[0][: pair[1]]
    ),
)
EXAMPLES = [
    "",
    "   \t\n",
    "\x00",
    "\ud800",
    "printer \udcff",
    '"',
    '"printer',
    "printer*",
    "print",
    "NEAR(printer jams)",
    "printer AND",
    "-printer",
    "^printer",
    "printer:",
    "cafe",
    "café",
    "a\ue000b",
    "foo.bar",
    "foo-bar",
    "user@example.com",
    "v2.0",
    "20.04",
    "multi-agent",
    "don't",
    "a'",
    "'",
    "\\",
    "a\\",
    "&|!",
    "x²y",
    "😀",
    "שלום",
    " ".join(f"word{i}" for i in range(10_000)),
]


def spec_terms(query: str) -> list[str]:
    """The query as the search promises to read it: whitespace-separated terms, in Unicode
    normal form C, without NUL or lone surrogates (neither can be stored)."""
    cleaned = re.sub("[\x00\ud800-\udfff]", " ", query)
    return list(dict.fromkeys(unicodedata.normalize("NFC", cleaned).split()))


class Tokenizer:
    """The index's tokenizer, as an oracle (not the code under test)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        if store.db.is_sqlite:
            with store.db.read() as conn:
                ddl = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'posts_fts'")
                ).scalar_one()
            option = re.search(r"tokenize\s*=\s*'([^']*)'", ddl)
            assert option is not None
            self._lite = sqlite3.connect(":memory:")
            self._lite.execute(f"CREATE VIRTUAL TABLE t USING fts5(x, tokenize='{option[1]}')")
            self._lite.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")

    @functools.cache  # noqa: B019 - one per test, small
    def tokens(self, value: str) -> tuple[str, ...]:
        if self.store.db.is_sqlite:
            self._lite.execute("DELETE FROM t")
            self._lite.execute("INSERT INTO t(x) VALUES (?)", (value,))
            return tuple(r[0] for r in self._lite.execute("SELECT term FROM v ORDER BY offset"))
        with self.store.db.read() as conn:
            return tuple(
                conn.execute(
                    text("SELECT lexeme FROM unnest(to_tsvector('simple', :v))"), {"v": value}
                ).scalars()
            )


def holds(doc: set[str], query_terms: list[str], tokens: Callable[[str], tuple[str, ...]]) -> bool:
    """Every term's tokens are in ``doc``; the last term's as prefixes (typing filters)."""
    for n, term in enumerate(query_terms):
        last = n == len(query_terms) - 1
        for token in tokens(term):
            if last:
                if not any(word.startswith(token) for word in doc):
                    return False
            elif token not in doc:
                return False
    return True


def load_corpus(store: Store) -> dict[int, list[str]]:
    acc = add_account(store, now=NOW)
    people = (RemotePerson("u-a", "a", "A"),)
    threads, posts = [], []
    for n, (title, bodies) in enumerate(CORPUS):
        tid = f"s{n}"
        threads.append(RemoteThread(tid, "c", NOW, title=title))
        for m, body in enumerate(bodies):
            posts.append(RemotePost(f"{tid}-{m}", tid, "u-a", NOW, body, is_root=m == 0))
    store.ingest.page(
        acc,
        Page(
            "*",
            None,
            containers=(RemoteContainer("c", "C"),),
            people=people,
            threads=tuple(threads),
            posts=tuple(posts),
        ),
        NOW,
    )
    docs = {}
    for n, (title, bodies) in enumerate(CORPUS):
        tid = store.threads.resolve(f"acme/s{n}")
        assert tid is not None
        docs[tid] = [title, *bodies]
    return docs


def search(store: Store, query: str) -> list[int]:
    return store.queue.ids(QueueQuery(view=View.ALL, search=query), NOW)


def test_search_never_errors_and_every_hit_holds_the_query(store: Store) -> None:
    docs = load_corpus(store)
    tokenizer = Tokenizer(store)
    everything = set(docs)

    @given(QUERIES)
    @example("")
    def check(query: str) -> None:
        hits = search(store, query)
        assert len(hits) == len(set(hits))
        assert set(hits) <= everything
        terms = spec_terms(query)
        if not terms:
            assert set(hits) == everything, "an empty search filters nothing"
            return
        for tid in hits:
            assert any(
                holds(set(tokenizer.tokens(d)), terms, tokenizer.tokens) for d in docs[tid]
            ), (query, docs[tid])

    for query in EXAMPLES:
        check.hypothesis.inner_test(query)  # type: ignore[attr-defined]
    check()


def test_text_found_verbatim_is_always_a_hit(store: Store) -> None:
    docs = load_corpus(store)
    tokenizer = Tokenizer(store)

    @given(st.sampled_from(sorted(docs)), st.data())
    def check(tid: int, data: st.DataObject) -> None:
        doc = data.draw(st.sampled_from(docs[tid]))
        terms = spec_terms(doc)
        start = data.draw(st.integers(0, max(0, len(terms) - 1)))
        length = data.draw(st.integers(1, 4))
        query = " ".join(terms[start : start + length])
        if not any(tokenizer.tokens(t) for t in spec_terms(query)):
            return
        assert tid in search(store, query), (query, doc)

    check()


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("printer", {"Printer on floor 3 is broken"}),
        ("PRINT", {"Printer on floor 3 is broken"}),  # the last word matches as a prefix
        ("print jams", set()),  # earlier words match whole
        ("printer jams", {"Printer on floor 3 is broken"}),
        ("AI AND", {"AI AND ML"}),  # a word, not an operator
        ("cats NOT dogs", {"AI AND ML"}),  # all three words, not "cats without dogs"
        ("NOT", {"AI AND ML"}),
        ("verify:something", {"AI AND ML"}),  # not a column filter
        ("user@example.com", {"Contact"}),
        ("שלום", {"שלום"}),
        ("nothing-like-this", set()),
        ("?!*", set()),  # no word at all: nothing matches
    ],
)
def test_examples(store: Store, query: str, titles: set[str]) -> None:
    docs = load_corpus(store)
    assert {docs[tid][0] for tid in search(store, query)} == titles


def test_accents_fold_on_sqlite(sqlite_store: Store) -> None:
    docs = load_corpus(sqlite_store)
    assert {docs[tid][0] for tid in search(sqlite_store, "cafe")} == {"Café menu"}


def test_search_follows_edits_and_keeps_tombstones_searchable(store: Store) -> None:
    docs = load_corpus(store)
    printer = next(tid for tid, d in docs.items() if d[0].startswith("Printer"))
    acc = store.accounts.get("acme")
    assert acc is not None
    edited = RemotePost("s0-1", "s0", "u-a", NOW, "The scanner jams.")
    store.ingest.page(acc.id, Page("*", None, posts=(edited,)), NOW)
    assert search(store, "scanner") == [printer]
    assert search(store, "jams scanner") == [printer]
    assert search(store, "other") == [], "the old text is gone from the index"
    store.ingest.page(acc.id, Page("*", None, deleted_post_ids=("s0-1",)), NOW)
    assert search(store, "scanner") == [printer], "a flagged thread keeps what was deleted"
