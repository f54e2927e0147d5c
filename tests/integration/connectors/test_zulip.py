"""Zulip specifics against the fake server: resolved topics, throttling, errors, edits, DMs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from cm_console.connectors.base import Outgoing, ThreadRef
from cm_console.connectors.errors import AmbiguousError, AuthError, MalformedResponse, RateLimited
from cm_console.domain.outbox import OpKind
from cm_console.domain.rules import State
from cm_console.store import Database, Store
from tests.helpers.fake_zulip import FakeZulip
from tests.integration.connectors.test_zulip_contract import ZulipWorld


@pytest.fixture
def server() -> Iterator[FakeZulip]:
    s = FakeZulip()
    yield s
    s.stop()


@pytest.fixture
def world(server: FakeZulip) -> ZulipWorld:
    return ZulipWorld(server)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    db = Database(f"sqlite:///{tmp_path / 'zulip.sqlite3'}")
    db.upgrade()
    st = Store(db)
    yield st
    st.close()


def ingest(store: Store, world: ZulipWorld) -> None:
    connector = world.connector()
    account = store.accounts.get("acct")
    if account is None:
        account = store.accounts.add(
            name="acct",
            platform="zulip",
            platform_kind=connector.info.kind,
            url=world.server.url,
            username="mona@example.test",
            options={},
            now=world.now,
        )
        store.accounts.set_own_person(account.id, world.me.remote_id)
    for page in connector.fetch(store.sync_state.cursors(account.id)):
        store.ingest.page(account.id, page, world.now)
    store.recompute_account(account.id)


def state(store: Store, thread: str, world: ZulipWorld) -> State:
    tid = store.threads.resolve(f"acct/{thread}")
    assert tid is not None
    return store.queue.items([tid], world.now)[0].state


def test_a_resolved_topic_keeps_its_thread_and_counts_as_resolved(
    world: ZulipWorld, store: Store
) -> None:
    now = world.now
    t = world.add_thread(
        world.author, "Waarom is de build rood?", now - timedelta(hours=30), title="build rood"
    )
    world.add_reply(t, world.expert, "Welke branch?", now - timedelta(hours=29))
    ingest(store, world)
    assert state(store, t, world) in (State.STALLED, State.ANSWERED)
    world.server.rename_topic(world.stream, "build rood", "✔ build rood")
    ingest(store, world)
    assert state(store, t, world) is State.RESOLVED
    tid = store.threads.resolve(f"acct/{t}")
    assert tid is not None
    assert store.queue.items([tid], now)[0].title == "build rood"
    # A reply goes to the topic under its current name.
    connector = world.connector()
    connector.send(
        Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.REPLY,
            text="Opgelost met de nieuwe runner.",
            thread=ThreadRef(t, world.container_id),
        )
    )
    assert (
        world.server.topic_messages(world.stream, "✔ build rood")[-1]["content"]
        == "Opgelost met de nieuwe runner."
    )
    assert world.server.topic_messages(world.stream, "build rood") == []


def test_edits_reactions_and_deletions_in_the_recent_window(
    world: ZulipWorld, store: Store
) -> None:
    now = world.now
    t = world.add_thread(
        world.author, "Hoe reserveer ik een vergaderruimte?", now - timedelta(hours=6)
    )
    answer = world.add_reply(t, world.expert, "Via Outlook.", now - timedelta(hours=5))
    ingest(store, world)
    assert state(store, t, world) is State.ANSWERED
    world.server.edit_message(
        int(answer), "Via Outlook, tabblad Ruimtes.", now - timedelta(hours=4)
    )
    world.server.react(int(t), int(world.expert.remote_id), "eyes")
    ingest(store, world)
    tid = store.threads.resolve(f"acct/{t}")
    assert tid is not None
    posts = {p.remote_id: p for p in store.threads.posts(tid)}
    assert posts[answer].text == "Via Outlook, tabblad Ruimtes." and posts[answer].edited_at
    assert store.queue.items([tid], now)[0].acknowledged
    world.server.delete_message(int(answer))
    ingest(store, world)
    assert state(store, t, world) is State.UNANSWERED


def test_rate_limit_hit_is_read_from_the_code_not_the_message(world: ZulipWorld) -> None:
    t = world.add_thread(world.author, "Vraag?", world.now - timedelta(hours=3))
    body = {
        "result": "error",
        "msg": "API-gebruik boven de limiet",
        "code": "RATE_LIMIT_HIT",
        "retry-after": 17.5,
    }
    world.server.fail(
        "POST",
        "/api/v1/messages",
        429,
        body,
        headers={"Content-Type": "application/json", "X-RateLimit-Remaining": "0"},
    )
    with pytest.raises(RateLimited) as caught:
        world.connector().send(
            Outgoing(
                op_id=str(uuid.uuid4()),
                kind=OpKind.REPLY,
                text="Hoi",
                thread=ThreadRef(t, world.container_id),
            )
        )
    assert caught.value.retry_after == timedelta(seconds=17.5)
    assert world.replies_on_server(t) == []
    # A read throttled for zero seconds is retried and succeeds.
    world.server.fail(
        "GET",
        "/api/v1/users/me/subscriptions",
        429,
        {**body, "retry-after": 0},
        headers={"Content-Type": "application/json"},
    )
    assert [c.remote_id for c in world.connector().list_containers()] == [world.container_id]


def test_auth_errors_bad_answers_and_ambiguous_writes(world: ZulipWorld) -> None:
    real = world.key
    world.key = "not-the-key"
    with pytest.raises(AuthError) as caught:
        world.connector().whoami()
    assert "not-the-key" not in str(caught.value)
    world.key = real
    world.server.fail(
        "GET", "/api/v1/users/me/subscriptions", 200, b'{"result": "success", "subscr'
    )
    with pytest.raises(MalformedResponse):
        world.connector().list_containers()
    t = world.add_thread(world.author, "Vraag?", world.now - timedelta(hours=3))
    op = Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.REPLY,
        text="Dit kwam wel aan.",
        thread=ThreadRef(t, world.container_id),
    )
    world.server.fail("POST", "/api/v1/messages", 504, b"<html>Gateway Timeout</html>", apply=True)
    with pytest.raises(AmbiguousError):
        world.connector().send(op)
    found = world.connector().find_sent(op)
    assert found is not None
    assert world.server.messages[int(found.remote_id)]["content"] == "Dit kwam wel aan."


def test_mentions_direct_messages_and_reactions(world: ZulipWorld) -> None:
    connector = world.connector()
    assert connector.mention_syntax(world.expert) == "@**Sven Expert**"
    sent = connector.send(
        Outgoing(
            op_id=str(uuid.uuid4()), kind=OpKind.DM, text="Heb je even?", recipients=(world.expert,)
        )
    )
    dm = world.server.messages[int(sent.remote_id)]
    assert dm["type"] == "private" and dm["to"] == [int(world.expert.remote_id)]
    t = world.add_thread(world.author, "Goed idee?", world.now - timedelta(hours=3))
    connector.send(
        Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.REACTION,
            thread=ThreadRef(t, world.container_id),
            emoji="👍",
        )
    )
    assert [
        (r["user_id"], r["emoji_name"]) for r in world.server.messages[int(t)]["reactions"]
    ] == [(int(world.me.remote_id), "+1")]
    assert {p.handle for p in connector.list_people()} == {
        "mona@example.test",
        "anna@example.test",
        "sven@example.test",
    }


def test_long_channels_are_read_in_batches(world: ZulipWorld, store: Store) -> None:
    start = world.now - timedelta(days=3)
    threads = [
        world.add_thread(
            world.author, f"Vraag {i}?", start + timedelta(minutes=i), title=f"onderwerp {i}"
        )
        for i in range(1200)
    ]
    ingest(store, world)
    assert all(store.threads.resolve(f"acct/{t}") is not None for t in threads[::97])
    world.add_reply(
        threads[5], world.expert, "Antwoord op een oude vraag.", world.now - timedelta(hours=1)
    )
    ingest(store, world)
    assert state(store, threads[5], world) is State.ANSWERED
