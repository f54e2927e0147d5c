"""Search through the queue and ``store.search`` on SQLite and PostgreSQL: words, prefixes,
ranked posts, and the caps that keep a very common word fast."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cm_console.domain.views import QueueQuery, View
from cm_console.store import Store, search
from tests.helpers.builders import ALICE, BOB, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW


def _threads(store: Store) -> int:
    acc = add_account(store)
    pages = [
        ThreadBuilder("t1", ALICE, NOW - timedelta(hours=40), "The printer crashed again")
        .reply(BOB, timedelta(hours=1), "Which printer? The refund form is stuck.")
        .page(),
        ThreadBuilder(
            "t2", BOB, NOW - timedelta(hours=30), "VPN-gateway timeout (again)!", title="Network"
        ).page(),
        ThreadBuilder(
            "t3", ALICE, NOW - timedelta(hours=20), "Lunch?", title="Printer paper"
        ).page(),
    ]
    for page in pages:
        store.ingest.page(acc, page, NOW)
    return acc


def _keys(store: Store, text: str, view: View = View.ALL) -> set[str]:
    return {i.key for i in store.queue.page(QueueQuery(view=view, search=text), NOW, limit=50)}


def test_words_match_posts_and_titles_with_the_last_word_as_prefix(store: Store) -> None:
    _threads(store)
    assert _keys(store, "printer") == {"acme/t1", "acme/t3"}
    assert _keys(store, "refund") == {"acme/t1"}
    assert _keys(store, "ref") == {"acme/t1"}, "the last word is a prefix while typing"
    assert _keys(store, "vpn-gateway timeout?") == {"acme/t2"}
    assert _keys(store, '"(refund) printer*') == {"acme/t1"}, "operators are plain words"
    assert _keys(store, "printer zzyzzyx") == set()
    assert _keys(store, "?!") == set()


def test_ranked_post_search(store: Store) -> None:
    _threads(store)
    with store.db.read() as conn:
        assert len(search.search_posts(conn, "printer")) == 2
        assert search.search_posts(conn, "zzyzzyx") == []
        assert search.search_posts(conn, "...") == []


def test_a_very_common_word_searches_the_most_recent_matches(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    acc = add_account(store)
    for n in range(6):
        store.ingest.page(
            acc,
            ThreadBuilder(f"c{n}", ALICE, NOW - timedelta(hours=60 - n), f"Common word {n}").page(),
            NOW,
        )
    assert len(_keys(store, "common")) == 6
    monkeypatch.setattr(search, "MATCH_CAP", 2)
    monkeypatch.setattr(search, "RANK_CAP", 3)
    assert _keys(store, "common") == {"acme/c4", "acme/c5"}
    with store.db.read() as conn:
        assert len(search.search_posts(conn, "common")) == 3
