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
from cm_console.store.search import query_terms, terms
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


def spec_terms(query: str, *, cut: bool = True) -> tuple[list[str], bool]:
    """The query as the search promises to read it while typing: whitespace-separated terms, in
    Unicode normal form C, without NUL or lone surrogates (neither can be stored); the last term
    is a prefix unless a space follows it. A word of fewer than three letters still being typed
    waits: with ``cut`` (SQLite) the term is cut before it and is then a whole phrase; without
    (PostgreSQL) a last term that short is left out."""
    cleaned = re.sub("[\x00\ud800-\udfff]", " ", query)
    found = list(dict.fromkeys(unicodedata.normalize("NFC", cleaned).split()))
    if not found or query[-1:].isspace():
        return found, False
    last = found[-1]
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LN" or unicodedata.category(ch) == "Co" else " "
        for ch in last
    )
    words = kept.split()
    if not words:  # matches nothing; a single character may still become a word
        return (found[:-1] if len(last) < 2 else found), False
    if not cut:
        return (found[:-1], False) if len(last) < 3 else (found, True)
    if len(words[-1]) >= 3:
        return found, True
    end_of_previous = len(kept.rstrip()[: -len(words[-1])].rstrip())
    cut = last[:end_of_previous] if len(words) > 1 else ""
    found = found[:-1]
    if cut and cut not in found:
        found.append(cut)
    return found, False


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
        # The store keeps text in normal form C (the corpus has a decomposed "café" on purpose).
        value = unicodedata.normalize("NFC", value)
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


def holds(
    doc: set[str],
    query_terms: list[str],
    tokens: Callable[[str], tuple[str, ...]],
    *,
    prefix: bool = True,
) -> bool:
    """Every term's tokens are in ``doc``; the last term's as prefixes when ``prefix``."""
    for n, term in enumerate(query_terms):
        last = prefix and n == len(query_terms) - 1
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
    @example("CAFÉ:CLO")
    def check(query: str) -> None:
        hits = search(store, query)
        assert len(hits) == len(set(hits))
        assert set(hits) <= everything
        terms, prefix = spec_terms(query, cut=store.db.is_sqlite)
        if not terms:
            assert set(hits) == everything, "an empty search filters nothing"
            return
        for tid in hits:
            assert any(
                holds(set(tokenizer.tokens(d)), terms, tokenizer.tokens, prefix=prefix)
                for d in docs[tid]
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
        terms, _prefix = spec_terms(doc, cut=store.db.is_sqlite)
        start = data.draw(st.integers(0, max(0, len(terms) - 1)))
        length = data.draw(st.integers(1, 4))
        query = " ".join(terms[start : start + length])
        if not any(tokenizer.tokens(t) for t in spec_terms(query, cut=store.db.is_sqlite)[0]):
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
        ("printer j", {"Printer on floor 3 is broken"}),  # one letter waits for the next
        ("printer ja", {"Printer on floor 3 is broken"}),  # and two
        ("printer jam", {"Printer on floor 3 is broken"}),  # three letters: a prefix
        ("printer jams ", {"Printer on floor 3 is broken"}),  # a space: a whole word
    ],
)
def test_examples(store: Store, query: str, titles: set[str]) -> None:
    docs = load_corpus(store)
    assert {docs[tid][0] for tid in search(store, query)} == titles


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("printer j", (["printer"], False)),
        ("printer ja", (["printer"], False)),
        ("printer jam", (["printer", "jam"], True)),
        ("printer jam ", (["printer", "jam"], False)),
        ("vpn-g", (["vpn"], False)),
        ("vpn-gat", (["vpn-gat"], True)),
        ("it", ([], False)),
        ("it ", (["it"], False)),
        ("e-mail", (["e-mail"], True)),
        ("mail e-m", (["mail", "e"], False)),
        ("?", ([], False)),
        ("?!", (["?!"], False)),
        ("?!*", (["?!*"], False)),
    ],
)
def test_which_words_a_filter_searches_while_typing(
    query: str, expected: tuple[list[str], bool]
) -> None:
    assert query_terms(query) == expected
    assert query_terms(query, prefix_last=False) == (terms(query), False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("printer ja", (["printer"], False)),
        ("printer jam", (["printer", "jam"], True)),
        ("vpn-g", (["vpn-g"], True)),  # PostgreSQL reads "vpn-g" as one hyphenated word
        ("it", ([], False)),
        ("it ", (["it"], False)),
        ("?!", (["?!"], False)),
    ],
)
def test_which_words_a_filter_searches_on_postgresql(
    query: str, expected: tuple[list[str], bool]
) -> None:
    assert query_terms(query, cut_words=False) == expected


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
