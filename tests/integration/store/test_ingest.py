"""Ingest on SQLite and PostgreSQL: idempotent, edits applied, deletions as tombstones."""

from __future__ import annotations

from datetime import timedelta

from cm_console.domain.model import Page
from cm_console.domain.rules import State, TriageStatus
from cm_console.domain.views import QueueQuery, View
from cm_console.store import Store
from tests.helpers.builders import ALICE, BOB, ME, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW


def test_replaying_a_page_changes_nothing(store: Store) -> None:
    acc = add_account(store)
    page = (
        ThreadBuilder("t1", ALICE, NOW - timedelta(hours=5), "Is the VPN down?")
        .reply(BOB, timedelta(hours=1), "Works for me.")
        .page(cursor={"n": 1})
    )
    first = store.ingest.page(acc, page, NOW)
    again = store.ingest.page(acc, page, NOW)
    assert (first.new_posts, first.new_threads) == (2, 1)
    assert (again.new_posts, again.updated_posts, again.thread_ids) == (0, 0, frozenset())
    assert store.sync_state.cursors(acc)["*"] == {"n": 1}


def test_edit_is_applied_and_delete_is_a_tombstone(store: Store) -> None:
    acc = add_account(store)
    builder = ThreadBuilder("t1", ALICE, NOW - timedelta(hours=5), "Printer broken")
    builder.reply(BOB, timedelta(hours=1), "Have you tried turning it off?")
    store.ingest.page(acc, builder.page(), NOW)
    edited = builder.page()
    from dataclasses import replace

    posts = list(edited.posts)
    posts[1] = replace(posts[1], text="Fixed it this morning.", edited_at=NOW - timedelta(hours=3))
    result = store.ingest.page(acc, replace(edited, posts=tuple(posts)), NOW)
    assert result.updated_posts == 1
    thread_id = store.threads.resolve("acme/t1")
    assert thread_id is not None
    assert [p.text for p in store.threads.posts(thread_id)][1] == "Fixed it this morning."

    store.ingest.page(acc, Page(scope="*", cursor=None, deleted_post_ids=("t1-1",)), NOW)
    posts_after = store.threads.posts(thread_id)
    assert len(posts_after) == 2, "a deleted post stays as a tombstone"
    assert posts_after[1].deleted and posts_after[1].text == "Fixed it this morning."
    item = store.queue.items([thread_id], NOW)[0]
    assert item.reply_count == 0
    assert item.state is State.UNANSWERED


def test_unanswered_team_reply_awaiting_and_done_reopens(store: Store) -> None:
    acc = add_account(store)
    b = ThreadBuilder("t1", ALICE, NOW - timedelta(hours=30), "How do I book leave?")
    store.ingest.page(acc, b.page(), NOW)
    assert [i.key for i in store.queue.page(QueueQuery(view=View.UNANSWERED), NOW)] == ["acme/t1"]
    b.reply(ME, timedelta(hours=2), "Through the HR portal.")
    store.ingest.page(acc, b.page(), NOW)
    tid = store.threads.resolve("acme/t1")
    assert tid is not None
    assert store.queue.items([tid], NOW)[0].state is State.ANSWERED
    b.reply(ALICE, timedelta(hours=3), "I can't find it there.")
    store.ingest.page(acc, b.page(), NOW)
    assert store.queue.items([tid], NOW)[0].state is State.AWAITING
    store.triage.set_status([tid], TriageStatus.DONE, now=NOW, user_id=None)
    assert store.queue.ids(QueueQuery(), NOW) == []
    b.reply(ALICE, timedelta(hours=31), "Anyone?")
    store.ingest.page(acc, b.page(), NOW + timedelta(hours=2))
    assert store.queue.ids(QueueQuery(), NOW + timedelta(hours=2)) == [tid]
