"""Ingest on SQLite and PostgreSQL: idempotent, edits applied, deletions as tombstones, and the
cursor in the same transaction as the rows it covers."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from cm_console.domain.model import (
    Page,
    RemoteContainer,
    RemotePerson,
    RemotePost,
)
from cm_console.domain.rules import State, TriageStatus
from cm_console.domain.views import QueueQuery, View
from cm_console.store import Store
from cm_console.store import schema as s
from cm_console.store.ingest import IngestError
from tests.helpers.builders import ALICE, BOB, BOT, CAROL, HELP, ME, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW

H = timedelta(hours=1)


def counts(store: Store) -> dict[str, int]:
    tables = (s.containers, s.people, s.threads, s.posts, s.raw_payloads, s.cursors)
    with store.db.read() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in tables
        }


def post_row(store: Store, remote_id: str) -> Any:
    with store.db.read() as conn:
        return conn.execute(select(s.posts).where(s.posts.c.remote_id == remote_id)).one()


def thread_row(store: Store, remote_id: str) -> Any:
    with store.db.read() as conn:
        return conn.execute(select(s.threads).where(s.threads.c.remote_id == remote_id)).one()


def vpn_thread() -> ThreadBuilder:
    return (
        ThreadBuilder("t1", ALICE, NOW - 5 * H, "Is the VPN down?")
        .reply(BOB, H, "Works for me.")
        .reply(ALICE, 2 * H, "Still down here?")
    )


def test_replaying_a_page_changes_nothing(store: Store) -> None:
    acc = add_account(store)
    page = vpn_thread().page(cursor={"n": 1})
    first = store.ingest.page(acc, page, NOW)
    before = counts(store)
    updated_at = thread_row(store, "t1").updated_at
    again = store.ingest.page(acc, page, NOW + H)
    assert (first.new_posts, first.new_threads) == (3, 1)
    assert (again.new_posts, again.updated_posts, again.thread_ids) == (0, 0, frozenset())
    assert not again.changed
    assert counts(store) == before
    assert thread_row(store, "t1").updated_at == updated_at
    assert store.sync_state.cursors(acc)["*"] == {"n": 1}


def test_overlapping_pages_only_add_what_is_new(store: Store) -> None:
    acc = add_account(store)
    b = vpn_thread().reply(CAROL, 3 * H, "Reboot the router.").reply(ME, 4 * H, "Fixed now.")
    whole = b.page()
    early = replace(whole, posts=whole.posts[:3], cursor={"after": 3})
    late = replace(whole, posts=whole.posts[1:], cursor={"after": 5})
    assert store.ingest.page(acc, early, NOW).new_posts == 3
    result = store.ingest.page(acc, late, NOW)
    assert (result.new_posts, result.updated_posts, result.new_threads) == (2, 0, 0)
    assert counts(store)["posts"] == 5
    assert store.sync_state.cursors(acc)["*"] == {"after": 5}


def test_duplicate_ids_in_one_page_the_last_copy_wins(store: Store) -> None:
    acc = add_account(store)
    page = vpn_thread().page()
    first, *rest = page.posts
    dupes = replace(
        page,
        containers=page.containers * 2,
        people=(*page.people, replace(BOB, display_name="Bob (old)"), BOB),
        threads=page.threads * 2,
        posts=(first, replace(rest[0], text="draft"), *rest, first),
    )
    result = store.ingest.page(acc, dupes, NOW)
    assert (result.new_posts, result.new_threads) == (3, 1)
    assert post_row(store, rest[0].remote_id).text == "Works for me."
    assert counts(store)["containers"] == 1
    bob = next(p for p in store.accounts.people(acc) if p.remote_id == BOB.remote_id)
    assert bob.display_name == BOB.display_name


def test_a_failing_page_leaves_neither_rows_nor_cursor(store: Store) -> None:
    acc = add_account(store)
    store.ingest.page(acc, vpn_thread().page(cursor={"n": 1}), NOW)
    before = counts(store)
    new = ThreadBuilder("t2", CAROL, NOW - H, "New question?", container=RemoteContainer("c2", "X"))
    orphan = RemotePost("p-orphan", "no-such-thread", CAROL.remote_id, NOW, "?")
    broken = replace(new.page(cursor={"n": 2}), posts=(*new.page().posts, orphan))
    with pytest.raises(IngestError, match="no-such-thread"):
        store.ingest.page(acc, broken, NOW)
    assert counts(store) == before
    assert store.sync_state.cursors(acc)["*"] == {"n": 1}


def test_a_page_failing_after_its_posts_were_written_rolls_them_back(store: Store) -> None:
    acc = add_account(store)
    store.ingest.page(acc, vpn_thread().page(cursor={"n": 1}), NOW)
    before = counts(store)
    page = ThreadBuilder("t2", CAROL, NOW - H, "Hello").page(cursor={"n": 2})
    # The raw payload is written after the posts; one that cannot be stored fails the page there.
    unstorable = replace(page.posts[0], raw={"when": object()})
    with pytest.raises(TypeError):
        store.ingest.page(acc, replace(page, posts=(unstorable,)), NOW)
    assert counts(store) == before
    assert store.sync_state.cursors(acc)["*"] == {"n": 1}


def test_edit_is_applied_and_delete_is_a_tombstone(store: Store) -> None:
    acc = add_account(store)
    builder = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Printer broken")
    builder.reply(BOB, timedelta(hours=1), "Have you tried turning it off?")
    store.ingest.page(acc, builder.page(), NOW)
    edited = builder.page()
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


def test_a_post_deleted_on_the_platform_keeps_its_last_text(store: Store) -> None:
    acc = add_account(store)
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Question?").reply(BOB, H, "Rude answer")
    store.ingest.page(acc, b.page(), NOW)
    blanked = replace(b.posts[1], text="", deleted=True)
    result = store.ingest.page(acc, replace(b.page(), posts=(b.posts[0], blanked)), NOW + H)
    assert result.updated_posts == 1
    row = post_row(store, "t1-1")
    assert row.text == "Rude answer"
    assert row.deleted_at is not None
    again = store.ingest.page(acc, replace(b.page(), posts=(b.posts[0], blanked)), NOW + 2 * H)
    assert again.updated_posts == 0, "the tombstone time does not move"


def test_an_undeleted_post_comes_back(store: Store) -> None:
    acc = add_account(store)
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Question?").reply(BOB, H, "Answer")
    store.ingest.page(acc, b.page(), NOW)
    tid = store.threads.resolve("acme/t1")
    assert tid is not None
    store.ingest.page(acc, Page("*", None, deleted_post_ids=("t1-1", "unknown-id")), NOW)
    assert store.queue.items([tid], NOW)[0].state is State.UNANSWERED
    result = store.ingest.page(acc, b.page(), NOW + H)
    assert result.updated_posts == 1
    assert post_row(store, "t1-1").deleted_at is None
    assert store.queue.items([tid], NOW + H)[0].state is State.ANSWERED


def test_deleting_twice_counts_once(store: Store) -> None:
    acc = add_account(store)
    store.ingest.page(acc, vpn_thread().page(), NOW)
    first = store.ingest.page(acc, Page("*", None, deleted_post_ids=("t1-1", "t1-1")), NOW)
    again = store.ingest.page(acc, Page("*", None, deleted_post_ids=("t1-1",)), NOW + H)
    assert (first.deleted_posts, again.deleted_posts) == (1, 0)
    assert post_row(store, "t1-1").deleted_at == int(NOW.timestamp() * 1000)


def test_a_post_that_moves_to_another_thread(store: Store) -> None:
    acc = add_account(store)
    one = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Question one?").reply(BOB, H, "Answer")
    two = ThreadBuilder("t2", CAROL, NOW - 4.5 * H, "Question two?")
    store.ingest.page(acc, one.page(), NOW)
    store.ingest.page(acc, two.page(), NOW)
    t1, t2 = store.threads.resolve("acme/t1"), store.threads.resolve("acme/t2")
    assert t1 is not None and t2 is not None
    moved = replace(one.posts[1], thread_remote_id="t2")
    result = store.ingest.page(acc, Page("*", None, posts=(moved,)), NOW)
    assert result.thread_ids == {t1, t2}
    assert post_row(store, "t1-1").thread_id == t2
    a, b = store.queue.items([t1, t2], NOW)
    assert (a.state, a.reply_count) == (State.UNANSWERED, 0)
    assert (b.state, b.reply_count) == (State.ANSWERED, 1)


def test_raw_payloads_are_kept_and_updated(store: Store) -> None:
    acc = add_account(store)
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Hi")
    thread = replace(b.thread, raw={"id": 1, "v": 1})
    post = replace(b.posts[0], raw={"id": "p", "body": "<b>Hi</b>", "n": [1, 2]})
    page = replace(b.page(), threads=(thread,), posts=(post,))
    store.ingest.page(acc, page, NOW)
    assert store.threads.raw(acc, "thread", "t1") == {"id": 1, "v": 1}
    assert store.threads.raw(acc, "post", "t1-0") == {"id": "p", "body": "<b>Hi</b>", "n": [1, 2]}
    store.ingest.page(acc, page, NOW + H)  # same payload: not rewritten
    with store.db.read() as conn:
        fetched = conn.execute(select(s.raw_payloads.c.kind, s.raw_payloads.c.fetched_at)).all()
    assert dict(fetched) == {
        "thread": int(NOW.timestamp() * 1000),
        "post": int(NOW.timestamp() * 1000),
    }
    changed = replace(page, threads=(replace(thread, raw={"id": 1, "v": 2}),))
    store.ingest.page(acc, changed, NOW + 2 * H)
    assert store.threads.raw(acc, "thread", "t1") == {"id": 1, "v": 2}
    assert counts(store)["raw_payloads"] == 2


def test_thread_metadata_changes_are_applied(store: Store) -> None:
    acc = add_account(store)
    b = vpn_thread()
    store.ingest.page(acc, b.page(), NOW)
    tid = store.threads.resolve("acme/t1")
    assert tid is not None
    assert store.queue.items([tid], NOW)[0].title == "Is the VPN down?"
    other = RemoteContainer("c-it", "IT")
    thread = replace(b.thread, title="VPN outage", resolved=True, container_remote_id="c-it")
    result = store.ingest.page(
        acc, replace(b.page(), containers=(HELP, other), threads=(thread,)), NOW
    )
    assert result.thread_ids == {tid}
    item = store.queue.items([tid], NOW)[0]
    assert (item.title, item.container, item.state) == ("VPN outage", "IT", State.RESOLVED)


def test_people_are_kept_up_to_date_and_bots_are_recognised(store: Store) -> None:
    acc = add_account(store)
    b = vpn_thread().reply(BOT, 3 * H, "Build passed")
    page = b.page()
    unknown = RemotePost("t1-x", "t1", "u-ghost", NOW - H, "Who am I?")
    store.ingest.page(acc, replace(page, posts=(*page.posts, unknown)), NOW)
    people = {p.remote_id: p for p in store.accounts.people(acc)}
    assert people["u-ghost"].display_name == "u-ghost", "known by id until the directory says"
    assert people[BOT.remote_id].is_bot
    assert post_row(store, "t1-3").by_bot
    store.ingest.page(
        acc, Page("~people", None, people=(RemotePerson("u-ghost", "g", "Ghost"),)), NOW
    )
    assert {p.remote_id: p for p in store.accounts.people(acc)}["u-ghost"].display_name == "Ghost"


def test_cursors_are_kept_per_scope(store: Store) -> None:
    acc = add_account(store)
    store.ingest.page(acc, Page("c1", {"since": 1}), NOW)
    store.ingest.page(acc, Page("c2", "opaque-token"), NOW)
    store.ingest.page(acc, Page("c1", {"since": 2}), NOW)
    cursors = store.sync_state.cursors(acc)
    assert cursors["c1"] == {"since": 2}
    assert cursors["c2"] == "opaque-token"


def test_text_is_stored_normalized_and_without_nul(store: Store) -> None:
    # A platform may hand over decomposed accents or a NUL (JSON allows \\u0000); PostgreSQL text
    # cannot hold NUL at all. Neither may fail a page or make the engines disagree.
    acc = add_account(store)
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Cafe\u0301 menu\x00?", title="Cafe\u0301\x00")
    b.reply(BOB, H, "nai\u0308ve\x00 answer", html="<p>x\x00</p>")
    b.reply(CAROL, 2 * H, "half an emoji \ud83d", raw={"text": "half an emoji \ud83d\x00"})
    page = b.page()
    store.ingest.page(acc, page, NOW)
    assert not store.ingest.page(acc, page, NOW).changed, "stored as cleaned, replay is a no-op"
    tid = store.threads.resolve("acme/t1")
    assert tid is not None
    root, answer, half = store.threads.posts(tid)
    assert root.text == unicodedata.normalize("NFC", "Café menu\ufffd?")
    assert answer.text == "naïve\ufffd answer"
    assert answer.html == "<p>x\ufffd</p>"
    assert half.text == "half an emoji \ufffd"
    assert store.threads.raw(acc, "post", "t1-2") == {"text": "half an emoji \ud83d\x00"}
    assert store.queue.items([tid], NOW)[0].title == "Café\ufffd"
    assert store.queue.ids(QueueQuery(view=View.ALL, search="café"), NOW) == [tid]
    assert store.queue.ids(QueueQuery(view=View.ALL, search="naïve"), NOW) == [tid]


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


def test_a_newcomer_is_someone_whose_first_post_is_the_root(store: Store) -> None:
    acc = add_account(store)
    store.ingest.page(acc, ThreadBuilder("old", BOB, NOW - 50 * H, "Hello all").page(), NOW)
    store.ingest.page(acc, ThreadBuilder("t1", BOB, NOW - 5 * H, "Question?").page(), NOW)
    store.ingest.page(acc, ThreadBuilder("t2", CAROL, NOW - 5 * H, "Question?").page(), NOW)
    t1, t2 = (store.threads.resolve(f"acme/{t}") for t in ("t1", "t2"))
    assert t1 is not None and t2 is not None
    codes = {i.id: {r.code.value for r in i.reasons} for i in store.queue.items([t1, t2], NOW)}
    assert "newcomer" not in codes[t1]
    assert "newcomer" in codes[t2]


def test_a_reply_that_arrives_after_done_reopens_even_if_written_before(store: Store) -> None:
    # The manager marks the thread done at 10:00 from what the console showed; Alice's reply of
    # 09:55 only arrives with the sync at 10:05 (the console was offline, or the platform lagged).
    # The manager never saw it: the thread must come back.
    acc = add_account(store)
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "How do I book leave?").reply(ME, H, "HR portal")
    store.ingest.page(acc, b.page(), NOW - 3 * H)
    tid = store.threads.resolve("acme/t1")
    assert tid is not None
    store.triage.set_status([tid], TriageStatus.DONE, now=NOW, user_id=None)
    assert store.queue.items([tid], NOW)[0].status is TriageStatus.DONE
    b.reply(ALICE, 5 * H - timedelta(minutes=5), "It is not in the portal.")
    store.ingest.page(acc, b.page(), NOW + timedelta(minutes=5))
    item = store.queue.items([tid], NOW + timedelta(minutes=5))[0]
    assert (item.state, item.status) == (State.AWAITING, TriageStatus.OPEN)
    assert store.queue.ids(QueueQuery(), NOW + timedelta(minutes=5)) == [tid]


def test_a_reply_seen_before_done_does_not_reopen(store: Store) -> None:
    acc = add_account(store)
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Question?").reply(ME, H, "Answer")
    b.reply(ALICE, 2 * H, "Thanks!")
    store.ingest.page(acc, b.page(), NOW - H)
    tid = store.threads.resolve("acme/t1")
    assert tid is not None
    store.triage.set_status([tid], TriageStatus.DONE, now=NOW, user_id=None)
    store.ingest.page(acc, b.page(), NOW + H)  # seen again: nothing new arrived
    store.ingest.page(acc, b.reply(ME, 3 * H, "You're welcome").page(), NOW + 2 * H)
    assert store.queue.items([tid], NOW + 2 * H)[0].status is TriageStatus.DONE
