"""Mattermost specifics against the fake server: throttling, errors, dedup, edits and deletions."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cm_console.connectors.base import Outgoing, ThreadRef
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    MalformedResponse,
    PermanentError,
    RateLimited,
)
from cm_console.domain.model import Page
from cm_console.domain.outbox import OpKind
from cm_console.domain.planning import StarterStatus
from cm_console.domain.rules import State
from cm_console.store import Database, Store
from cm_console.store import schema as s
from tests.helpers.fake_mattermost import FakeMattermost
from tests.helpers.starter_outbox import current, schedule, send_due, sync
from tests.integration.connectors.test_mattermost_contract import MattermostWorld


@pytest.fixture
def server() -> Iterator[FakeMattermost]:
    s = FakeMattermost()
    yield s
    s.stop()


@pytest.fixture
def world(server: FakeMattermost) -> MattermostWorld:
    return MattermostWorld(server)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Database(f"sqlite:///{tmp_path / 'mm.sqlite3'}")
    db.upgrade()
    st = Store(db)
    yield st
    st.close()


def ingest(store: Store, world: MattermostWorld) -> int:
    connector = world.connector()
    account = store.accounts.get("acct")
    if account is None:
        account = store.accounts.add(
            name="acct",
            platform="mattermost",
            platform_kind=connector.info.kind,
            url=world.server.url,
            username=None,
            options={},
            now=world.now,
        )
        store.accounts.set_own_person(account.id, world.me.remote_id)
    for page in connector.fetch(store.sync_state.cursors(account.id)):
        store.ingest.page(account.id, page, world.now)
    store.recompute_account(account.id)
    return account.id


def reply_op(thread: str, world: MattermostWorld, text: str = "Ik kijk ernaar.") -> Outgoing:
    return Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.REPLY,
        text=text,
        thread=ThreadRef(thread, world.container_id),
    )


def state(store: Store, thread: str, world: MattermostWorld) -> State:
    tid = store.threads.resolve(f"acct/{thread}")
    assert tid is not None
    return store.queue.items([tid], world.now)[0].state


def test_edits_deletions_and_reactions_arrive_through_since(
    world: MattermostWorld, store: Store
) -> None:
    server, now = world.server, world.now
    t = world.add_thread(
        world.author, "Wie weet waar de handleiding van de scanner is?", now - timedelta(hours=8)
    )
    answer = world.add_reply(t, world.expert, "In de gedeelde map IT.", now - timedelta(hours=7))
    ingest(store, world)
    assert state(store, t, world) is State.ANSWERED
    server.edit_post(answer, "In de gedeelde map IT/Handleidingen.")
    server.react(t, world.expert.remote_id, "eyes")
    ingest(store, world)
    tid = store.threads.resolve(f"acct/{t}")
    assert tid is not None
    posts = {p.remote_id: p for p in store.threads.posts(tid)}
    assert posts[answer].text == "In de gedeelde map IT/Handleidingen." and posts[answer].edited_at
    assert store.queue.items([tid], now)[0].acknowledged
    server.delete_post(answer)
    ingest(store, world)
    assert state(store, t, world) is State.UNANSWERED
    assert {p.remote_id: p for p in store.threads.posts(tid)}[answer].deleted


def test_file_names_arrive_with_the_post(world: MattermostWorld, store: Store) -> None:
    now = world.now
    t = world.add_thread(world.author, "Kan iemand dit rooster nakijken?", now - timedelta(hours=3))
    files = [
        {"id": "f1", "name": "Rooster week 48 – Zoë.xlsx", "extension": "xlsx"},
        {"id": "f2", "name": "C:\\Temp\\scan 001.pdf", "extension": "pdf"},
    ]
    reply = world.server.add_post(
        world.container_id,
        world.expert.remote_id,
        "Aangepast, zie bijlagen",
        now - timedelta(hours=2),
        root_id=t,
        metadata={"files": files},
    )
    ingest(store, world)
    tid = store.threads.resolve(f"acct/{t}")
    assert tid is not None
    with store.db.read() as conn:
        stored = dict(
            conn.execute(
                select(s.posts.c.remote_id, s.posts.c.attachments).where(s.posts.c.thread_id == tid)
            ).all()
        )
    assert json.loads(stored[reply]) == ["Rooster week 48 – Zoë.xlsx", "scan 001.pdf"]
    assert stored[t] is None


def test_bot_posts_and_system_messages_do_not_answer(world: MattermostWorld, store: Store) -> None:
    now = world.now
    t = world.add_thread(world.author, "Staat de server nog aan?", now - timedelta(hours=5))
    world.server.add_post(
        world.container_id,
        world.expert.remote_id,
        "Monitor: alles groen",
        now - timedelta(hours=4),
        root_id=t,
        props={"from_bot": "true"},
    )
    world.server.add_post(
        world.container_id,
        world.expert.remote_id,
        "sven joined the channel",
        now - timedelta(hours=3),
        root_id=t,
        type="system_join_channel",
    )
    ingest(store, world)
    assert state(store, t, world) is State.UNANSWERED


def test_pending_post_id_deduplicates_and_find_sent_works_after_the_window(
    world: MattermostWorld,
) -> None:
    t = world.add_thread(
        world.author, "Kan iemand de wifi resetten?", world.now - timedelta(hours=3)
    )
    connector = world.connector()
    op = reply_op(t, world, "@sven kun jij hier even naar kijken?")
    first = connector.send(op)
    second = connector.send(op)  # within 30 s: the server returns the first copy
    assert first.remote_id == second.remote_id
    assert len(world.replies_on_server(t)) == 1
    world.server.pending.clear()  # the 30 s window has passed
    found = connector.find_sent(op)
    assert found is not None and found.remote_id == first.remote_id
    assert connector.mention_syntax(world.expert) == "@sven"


def test_throttling_in_mattermost_dialect(world: MattermostWorld) -> None:
    server = world.server
    t = world.add_thread(world.author, "Vraag?", world.now - timedelta(hours=3))
    connector = world.connector()
    headers = {
        "X-Ratelimit-Limit": "10",
        "X-Ratelimit-Remaining": "0",
        "X-Ratelimit-Reset": "42",
        "Content-Type": "text/plain",
    }
    server.fail("POST", "/api/v4/posts", 429, "limit exceeded\n", headers=headers)
    with pytest.raises(RateLimited) as caught:
        connector.send(reply_op(t, world))
    assert caught.value.retry_after == timedelta(seconds=42)
    assert world.replies_on_server(t) == []
    # A read that is throttled briefly waits for the window and then succeeds.
    server.fail(
        "GET",
        "/api/v4/users/me/teams",
        429,
        "limit exceeded\n",
        headers={**headers, "X-Ratelimit-Reset": "0"},
    )
    assert any(c.remote_id == world.container_id for c in world.connector().list_containers())


def test_server_errors_and_bad_answers(world: MattermostWorld) -> None:
    server = world.server
    t = world.add_thread(world.author, "Vraag?", world.now - timedelta(hours=3))
    connector = world.connector()
    server.fail(
        "POST",
        "/api/v4/posts",
        500,
        {"id": "api.post.deduplicate_create_post.pending", "status_code": 500},
    )
    # "Still being saved": the first copy exists, so the operation is unknown (read back or
    # resent with the same id shortly), never queued as new.
    with pytest.raises(AmbiguousError) as busy:
        connector.send(reply_op(t, world))
    assert busy.value.retry_after is not None
    # Applied, then the answer was cut off: ambiguous, and find_sent sees the copy.
    op = reply_op(t, world, "Dit komt wel aan.")
    server.fail("POST", "/api/v4/posts", 200, b'{"id": "abc", "mess', apply=True)
    with pytest.raises(AmbiguousError):
        connector.send(op)
    assert connector.find_sent(op) is not None
    server.fail("POST", "/api/v4/posts", 502, b"<html>Bad gateway</html>")
    with pytest.raises(AmbiguousError):
        connector.send(reply_op(t, world))
    # A read that fails once is retried; malformed JSON on a read is a clear error.
    server.fail("GET", "/api/v4/users/me", 503, b"")
    assert world.connector().whoami().remote_id == world.me.remote_id
    server.fail("GET", "/api/v4/users/me/teams", 200, b'[{"id": ')
    with pytest.raises(MalformedResponse):
        world.connector().list_containers()


def test_auth_error_and_no_secret_leak(world: MattermostWorld) -> None:
    world.token, real = "wrong-token-value", world.token
    with pytest.raises(AuthError) as caught:
        world.connector().whoami()
    assert "wrong-token-value" not in str(caught.value)
    world.token = real


def test_direct_message_and_reaction(world: MattermostWorld) -> None:
    connector = world.connector()
    sent = connector.send(
        Outgoing(
            op_id=str(uuid.uuid4()), kind=OpKind.DM, text="Heb je even?", recipients=(world.expert,)
        )
    )
    post = world.server.posts[sent.remote_id]
    channel = world.server.channels[post["channel_id"]]
    assert channel["type"] == "D" and world.expert.remote_id in channel["name"]
    dms = [c for c in connector.list_containers() if c.kind == "dm"]
    assert [c.name for c in dms] == ["Sven Expert"]
    t = world.add_thread(world.author, "Goed idee?", world.now - timedelta(hours=3))
    connector.send(
        Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.REACTION,
            thread=ThreadRef(t, world.container_id),
            emoji="👍",
        )
    )
    reactions = world.server.posts[t]["metadata"]["reactions"]
    assert [(r["user_id"], r["emoji_name"]) for r in reactions] == [(world.me.remote_id, "+1")]
    people = {p.handle for p in connector.list_people()}
    assert {"mona", "anna", "sven"} <= people


def test_pagination_reads_long_channels(world: MattermostWorld) -> None:
    t0 = world.now - timedelta(days=2)
    ids = [
        world.add_thread(world.author, f"Vraag {i}?", t0 + timedelta(minutes=i)) for i in range(450)
    ]
    pages = list(world.connector().fetch({}))
    threads = {th.remote_id for p in pages for th in p.threads}
    assert set(ids) <= threads
    assert world.server.count("GET", f"/api/v4/channels/{world.container_id}/posts") == 3
    assert isinstance(pages[-1], Page)


# --- new threads (conversation starters) ------------------------------------------------------


def top_level(world: MattermostWorld, needle: str) -> list[dict[str, Any]]:
    """Live posts (not replies) whose message contains ``needle``."""
    return [
        p
        for p in world.server.posts.values()
        if not p["root_id"] and not p["delete_at"] and needle in p["message"]
    ]


class Clock:
    """The sender's clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_a_starter_is_a_post_without_root_id_and_a_poll_is_numbered(
    world: MattermostWorld, sqlite_store: Store
) -> None:
    account = sync(sqlite_store, world.connector(), world.now)
    starter = schedule(
        sqlite_store,
        account,
        world.container_id,
        world.now,
        title="Lunchpeiling",
        text="Waar lunchen we vrijdag?",
        poll_options=("Kantine", "Buiten"),
    )
    sent = send_due(sqlite_store, account, world.connector(), lambda: world.now)
    assert sent.sent == [starter.op_id]
    (post,) = top_level(world, "Waar lunchen we")
    assert post["channel_id"] == world.container_id and post["root_id"] == ""
    assert post["user_id"] == world.me.remote_id
    assert post["message"] == (
        "Lunchpeiling\n\nWaar lunchen we vrijdag?\n\n1\ufe0f\u20e3 Kantine\n2\ufe0f\u20e3 Buiten"
    )
    assert post["pending_post_id"] == starter.op_id
    assert post["props"] == {"cm_console_op": starter.op_id}
    outcome = current(sqlite_store, starter).outcome
    assert outcome is not None and outcome.thread_key == f"acct/{post['id']}"


def test_a_dropped_answer_is_resent_inside_the_window_and_read_back_after_it(
    world: MattermostWorld, sqlite_store: Store
) -> None:
    """Inside the dedupe window the resend carries the same pending_post_id and the server hands
    back the first copy; after it the outbox reads back (by marker) and never posts again."""
    server = world.server
    clock = Clock(world.now)
    account = sync(sqlite_store, world.connector(), world.now)
    early = schedule(sqlite_store, account, world.container_id, world.now, text="Wie wil er taart?")
    server.fail("POST", "/api/v4/posts", 201, b'{"id": "x", "mess', apply=True, truncate=True)
    assert send_due(sqlite_store, account, world.connector(), clock).unknown == [early.op_id]
    clock.now += timedelta(seconds=5)
    assert send_due(sqlite_store, account, world.connector(), clock).sent == [early.op_id]
    assert server.count("POST", "/api/v4/posts") == 2, "resent with the same pending_post_id"
    (copy,) = top_level(world, "taart")
    outcome = current(sqlite_store, early).outcome
    assert outcome is not None and outcome.thread_key == f"acct/{copy['id']}"

    late = schedule(sqlite_store, account, world.container_id, clock.now, text="Wie wil er koffie?")
    server.fail("POST", "/api/v4/posts", 201, b'{"id": "x", "mess', apply=True, truncate=True)
    assert send_due(sqlite_store, account, world.connector(), clock).unknown == [late.op_id]
    clock.now += timedelta(minutes=5)
    server.pending.clear()  # the server forgot the pending_post_id
    result = send_due(sqlite_store, account, world.connector(), clock)
    assert result.reconciled == [late.op_id]
    assert server.count("POST", "/api/v4/posts") == 3, "found by its marker, not resent"
    (copy,) = top_level(world, "koffie")
    outcome = current(sqlite_store, late).outcome
    assert outcome is not None and outcome.thread_key == f"acct/{copy['id']}"


def test_a_refused_or_throttled_starter_says_why_and_stays_in_the_outbox(
    world: MattermostWorld, sqlite_store: Store
) -> None:
    server = world.server
    account = sync(sqlite_store, world.connector(), world.now)
    server.members[world.container_id].discard(world.me.remote_id)
    starter = schedule(sqlite_store, account, world.container_id, world.now, text="Nieuwe printer!")
    assert send_due(sqlite_store, account, world.connector(), lambda: world.now).failed == [
        starter.op_id
    ]
    refused = current(sqlite_store, starter)
    assert refused.status is StarterStatus.PROBLEM
    assert refused.error == "you may not post in this Mattermost channel"
    assert top_level(world, "printer") == []
    server.members[world.container_id].add(world.me.remote_id)
    assert sqlite_store.outbox.retry(starter.op_id, world.now)
    headers = {"X-Ratelimit-Reset": "42", "Content-Type": "text/plain"}
    server.fail("POST", "/api/v4/posts", 429, "limit exceeded\n", headers=headers)
    throttled = send_due(sqlite_store, account, world.connector(), lambda: world.now)
    assert throttled.requeued == [starter.op_id] and throttled.throttled_until is not None
    later = world.now + timedelta(seconds=43)
    assert send_due(sqlite_store, account, world.connector(), lambda: later).sent == [starter.op_id]
    assert len(top_level(world, "printer")) == 1
    connector = world.connector()
    with pytest.raises(PermanentError, match="too long"):
        connector.send(
            Outgoing(
                str(uuid.uuid4()), OpKind.POST, "x" * 20_000, container_remote_id=world.container_id
            )
        )
    with pytest.raises(PermanentError) as info:
        connector.send(Outgoing(str(uuid.uuid4()), OpKind.POST, "Hallo"))
    assert info.value.code == "no_container"
