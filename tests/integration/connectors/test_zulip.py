"""Zulip specifics against the fake server: resolved topics, throttling, errors, edits, DMs."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cm_console.connectors.base import AccountConfig, ConnectorContext, Outgoing, ThreadRef
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    MalformedResponse,
    PermanentError,
    RateLimited,
)
from cm_console.connectors.zulip.connector import ZulipConnector
from cm_console.domain.model import Secret
from cm_console.domain.outbox import OpKind, OpState
from cm_console.domain.planning import StarterKind, StarterPlan, StarterStatus
from cm_console.domain.rules import State
from cm_console.store import Database, Store
from cm_console.store.planner import payload_of
from cm_console.sync.outbox import Sender
from tests.helpers.fake_zulip import FakeZulip
from tests.helpers.tcp_proxy import TcpProxy
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


# --- conversation starters: new topics ----------------------------------------------------------


def starter(world: ZulipWorld, text: str, title: str = "", **kw: Any) -> Outgoing:
    return Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.POST,
        text=text,
        title=title,
        container_remote_id=world.container_id,
        first_attempt_at=world.now,
        **kw,
    )


def topics(world: ZulipWorld) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for m in sorted(world.server.messages.values(), key=lambda m: m["id"]):
        if m["stream_id"] == world.stream:
            out.setdefault(m["subject"], []).append(m)
    return out


def test_a_starter_opens_a_new_topic_named_after_its_title(world: ZulipWorld) -> None:
    world.server.wall = world.now.timestamp
    op = starter(world, "Wie heeft er een tip voor een goede podcast?", "Podcasttips gezocht")
    sent = world.connector().send(op)
    (message,) = topics(world)["Podcasttips gezocht"]
    assert message["content"] == op.text
    assert message["sender_id"] == int(world.me.remote_id)
    assert (sent.remote_id, sent.thread_remote_id) == (str(message["id"]), str(message["id"]))
    assert sent.page is not None
    (thread,) = sent.page.threads
    assert (thread.remote_id, thread.container_remote_id, thread.title) == (
        str(message["id"]),
        world.container_id,
        "Podcasttips gezocht",
    )
    assert sent.page.posts[0].is_root
    found = world.connector().find_sent(op)
    assert found is not None and (found.remote_id, found.thread_remote_id) == (
        sent.remote_id,
        sent.thread_remote_id,
    )


def test_an_untitled_starter_names_its_topic_after_the_first_line(world: ZulipWorld) -> None:
    connector = world.connector()
    connector.send(starter(world, "Vrijdagmiddagborrel?\n\nWie neemt er wat lekkers mee?"))
    assert [m["content"] for m in topics(world)["Vrijdagmiddagborrel?"]] == [
        "Wie neemt er wat lekkers mee?"
    ]
    line = "Vanaf maandag werkt de koffieautomaat op de derde verdieping alleen nog met je pas"
    connector.send(starter(world, line))
    (name,) = [n for n in topics(world) if n.startswith("Vanaf maandag")]
    assert len(name) <= 60 and name.endswith("…")  # cut by us, not by the server's "..."
    assert topics(world)[name][0]["content"] == line


def test_a_topic_name_in_use_gets_a_number_so_the_starter_opens_its_own(
    world: ZulipWorld,
) -> None:
    old = world.add_thread(
        world.author, "Ik ben er!", world.now - timedelta(days=7), title="Weekstart"
    )
    world.server.rename_topic(world.stream, "Weekstart", "✔ Weekstart")
    sent = world.connector().send(
        starter(world, "Wat staat er deze week op je lijst?", "Weekstart")
    )
    assert [m["id"] for m in topics(world)["Weekstart (2)"]] == [int(sent.remote_id)]
    assert [m["id"] for m in topics(world)["✔ Weekstart"]] == [int(old)]
    assert sent.thread_remote_id == sent.remote_id != old


def test_a_poll_starter_is_the_poll_widget(world: ZulipWorld) -> None:
    connector = world.connector()
    op = starter(world, "Waar lunchen we vrijdag?", poll_options=("Kantine", "Park"))
    sent = connector.send(op)
    (message,) = topics(world)["Waar lunchen we vrijdag?"]
    assert message["content"] == "/poll Waar lunchen we vrijdag?\nKantine\nPark"
    # The stored operation is compared as it was sent (the /poll form).
    found = connector.find_sent(op)
    assert found is not None and found.remote_id == sent.remote_id
    titled = connector.send(
        starter(world, "Waar lunchen we?", "Teamlunch in december", poll_options=("A", "B"))
    )
    assert world.server.messages[int(titled.remote_id)]["subject"] == "Teamlunch in december"


def test_a_channel_that_refuses_the_account_says_why_and_nothing_is_posted(
    world: ZulipWorld,
) -> None:
    world.server.posters[world.stream] = {int(world.author.remote_id)}
    with pytest.raises(PermanentError) as caught:
        world.connector().send(starter(world, "Nieuwe regeling thuiswerken", "Thuiswerken"))
    assert "You do not have permission to post in this channel." in str(caught.value)
    assert topics(world) == {}


def test_a_mention_in_a_reply_is_recognised_by_the_read_back(world: ZulipWorld) -> None:
    t = world.add_thread(world.author, "Wie weet dit?", world.now - timedelta(hours=2))
    op = Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.REPLY,
        text=f"@{world.expert.handle} weet jij dit?",
        thread=ThreadRef(t, world.container_id),
        mentions=(world.expert,),
    )
    world.server.fail("POST", "/api/v1/messages", 504, b"<html>Gateway Timeout</html>", apply=True)
    with pytest.raises(AmbiguousError):
        world.connector().send(op)
    found = world.connector().find_sent(op)
    assert found is not None
    assert (
        world.server.messages[int(found.remote_id)]["content"] == "@**Sven Expert** weet jij dit?"
    )


def test_a_dropped_connection_after_the_topic_was_started_never_posts_it_twice(
    world: ZulipWorld, store: Store
) -> None:
    """The planner's starter reaches Zulip, the connection drops before the answer: the outbox
    reads it back instead of sending it again, and the topic syncs back as its thread."""
    world.server.wall = world.now.timestamp
    world.add_thread(world.author, "Welkom!", world.now - timedelta(days=2), title="Welkom")
    ingest(store, world)
    account = store.accounts.get("acct")
    assert account is not None
    proxy = TcpProxy("127.0.0.1", int(world.server.url.rsplit(":", 1)[1]))

    def through_proxy() -> ZulipConnector:
        return ZulipConnector(
            AccountConfig(
                name="acct", url=f"http://127.0.0.1:{proxy.port}", username="mona@example.test"
            ),
            ConnectorContext(secret=Secret(world.key), clock=lambda: world.now),
        )

    container = next(
        c for c in store.accounts.containers(account.id) if c.remote_id == world.container_id
    )
    plan = StarterPlan(
        account_id=account.id,
        container_id=container.id,
        kind=StarterKind.POLL,
        title="Kerstlunch",
        text="Wat eten we met kerst?",
        scheduled_at=world.now,
        poll_options=("Gourmetten", "Buffet"),
    )
    op_id = store.planner.schedule(
        plan, payload_of(plan, world.container_id), world.now, None
    ).op_id
    sender = Sender(store, lambda: world.now)
    try:
        world.server.on_send = lambda _mid: proxy.cut()
        first = sender.drain(account, through_proxy(), holder="test")
        lost = store.outbox.get(op_id)
        assert first.unknown == [op_id]
        assert lost is not None and lost.last_error_code == "connection_lost"
        world.server.on_send = None
        proxy.restore()
        second = sender.drain(account, through_proxy(), holder="test")
    finally:
        proxy.stop()
    assert second.reconciled == [op_id]
    (message,) = topics(world)["Kerstlunch"]
    assert message["content"] == "/poll Wat eten we met kerst?\nGourmetten\nBuffet"
    sent = store.outbox.get(op_id)
    assert sent is not None and sent.state is OpState.SENT
    assert sent.remote_id == str(message["id"])
    # A colleague answers; the next sync links the starter to its topic and measures it.
    world.now += timedelta(hours=1)
    world.add_reply(str(message["id"]), world.expert, "Buffet!", world.now - timedelta(minutes=30))
    ingest(store, world)
    (planned,) = store.planner.list()
    assert planned.status is StarterStatus.SENT
    assert planned.outcome is not None
    assert planned.outcome.thread_key == f"acct/{message['id']}"
    assert (planned.outcome.replies, planned.outcome.responders) == (1, 1)
