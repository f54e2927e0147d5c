"""Matrix against a real Synapse: states, edits, reactions, redactions, DMs, tags and the outbox."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cm_console.connectors.base import (
    AccountConfig,
    ConnectorContext,
    Outgoing,
    SendResult,
    ThreadRef,
)
from cm_console.connectors.matrix.connector import MatrixConnector
from cm_console.domain.model import Secret
from cm_console.domain.outbox import OpKind, OpState
from cm_console.domain.rules import State
from cm_console.domain.views import PostView
from cm_console.store import Database, Store
from cm_console.sync.outbox import Sender, outgoing
from tests.helpers.matrix_world import MatrixWorld, ms
from tests.helpers.synapse import SynapseSession, q


@pytest.fixture
def world(synapse: SynapseSession) -> Iterator[MatrixWorld]:
    w = MatrixWorld(synapse)
    yield w
    w.leave()


@pytest.fixture
def mstore(tmp_path: Path) -> Iterator[Store]:
    db = Database(f"sqlite:///{tmp_path / 'matrix.sqlite3'}")
    db.upgrade()
    st = Store(db)
    yield st
    st.close()


def ingest(store: Store, connector: MatrixConnector, now: datetime) -> int:
    account = store.accounts.get("acct")
    if account is None:
        account = store.accounts.add(
            name="acct",
            platform="matrix",
            platform_kind=connector.info.kind,
            url=connector.http.base_url,
            username=None,
            options={},
            now=now,
        )
        store.accounts.set_own_person(account.id, connector.whoami().remote_id)
    cursors = store.sync_state.cursors(account.id)
    for page in connector.fetch(cursors):
        store.ingest.page(account.id, page, now)
    store.recompute_account(account.id)
    return account.id


def state_of(store: Store, key: str, now: datetime) -> State:
    tid = store.threads.resolve(f"acct/{key}")
    assert tid is not None, key
    return store.queue.items([tid], now)[0].state


def stored_posts(store: Store, key: str) -> dict[str, PostView]:
    tid = store.threads.resolve(f"acct/{key}")
    assert tid is not None
    return {p.remote_id: p for p in store.threads.posts(tid)}


def test_unanswered_answered_and_stalled_as_of_now(world: MatrixWorld, mstore: Store) -> None:
    now = world.now
    unanswered = world.add_thread(
        world.author, "Wie kan de beamer in zaal 2 resetten?", now - timedelta(hours=5)
    )
    answered = world.add_thread(
        world.author, "Waar staat het verlofformulier?", now - timedelta(hours=10)
    )
    world.add_reply(
        answered, world.expert, "Op het HR-portaal onder Formulieren.", now - timedelta(hours=9)
    )
    stalled = world.add_thread(
        world.author, "De VPN valt steeds weg. Iemand?", now - timedelta(days=3)
    )
    world.add_reply(
        stalled,
        world.expert,
        "Welke versie van de client gebruik je?",
        now - timedelta(days=2, hours=20),
    )
    bot_only = world.add_thread(world.author, "Is de storing al voorbij?", now - timedelta(hours=4))
    world.add_reply(
        bot_only,
        world.expert,
        "Automatisch bericht: ticket 42 aangemaakt.",
        now - timedelta(hours=3),
        msgtype="m.notice",
    )
    # A rich reply in the main timeline (m.in_reply_to, no thread) answers the message it quotes.
    rich = world.add_thread(
        world.author, "Mag ik thuiswerken op vrijdag?", now - timedelta(hours=8)
    )
    world.post(
        world.expert,
        {
            "msgtype": "m.text",
            "body": "> <@cmc_anna:cmc.test> Mag ik thuiswerken op vrijdag?\n\nJa, in overleg.",
            "m.relates_to": {"m.in_reply_to": {"event_id": rich.split("/", 1)[1]}},
        },
        now - timedelta(hours=7),
    )
    connector = world.connector()
    ingest(mstore, connector, now)
    assert state_of(mstore, unanswered, now) is State.UNANSWERED
    assert state_of(mstore, answered, now) is State.ANSWERED
    assert state_of(mstore, stalled, now) is State.STALLED
    assert state_of(mstore, rich, now) is State.ANSWERED
    # The quoted fallback older clients put in front is not part of the answer's text.
    assert [p.text for p in stored_posts(mstore, rich).values() if not p.is_root] == [
        "Ja, in overleg."
    ]
    # A bot's m.notice is not an answer.
    assert state_of(mstore, bot_only, now) is State.UNANSWERED
    # The same facts a day earlier: the stalled thread was still a fresh conversation.
    assert state_of(mstore, stalled, now - timedelta(days=2)) is State.ANSWERED
    # The room's container is stored under its name.
    containers = {c.remote_id: c for c in mstore.accounts.containers(1)}
    assert containers[world.container_id].name.startswith("Helpdesk")


def test_incremental_sync_applies_edits_reactions_and_redactions(
    world: MatrixWorld, mstore: Store
) -> None:
    now = world.now
    thread = world.add_thread(
        world.author, "Hoe zet ik een out-of-office aan?", now - timedelta(hours=6)
    )
    root = thread.split("/", 1)[1]
    reply = world.add_reply(
        thread, world.expert, "Via Instellingen > Automatisch antwoord.", now - timedelta(hours=5)
    )
    connector = world.connector()
    ingest(mstore, connector, now)
    assert state_of(mstore, thread, now) is State.ANSWERED
    pages_before = mstore.sync_state.cursors(1)["*"]["since"]

    # The expert edits the answer, someone reacts to the question, then the answer is deleted.
    world.post(
        world.expert,
        {
            "msgtype": "m.text",
            "body": "* Via Instellingen > Afwezig.",
            "m.new_content": {"msgtype": "m.text", "body": "Via Instellingen > Afwezig."},
            "m.relates_to": {"rel_type": "m.replace", "event_id": reply},
        },
        now - timedelta(hours=4),
    )
    world.post(
        world.expert,
        {"m.relates_to": {"rel_type": "m.annotation", "event_id": root, "key": "👀"}},
        now - timedelta(hours=4),
        event_type="m.reaction",
    )
    connector = world.connector()
    ingest(mstore, connector, now)
    assert mstore.sync_state.cursors(1)["*"]["since"] != pages_before
    full = connector.fetch_thread(ThreadRef(thread, world.container_id))
    edited = next(p for p in full.posts if p.remote_id == reply)
    assert edited.text == "Via Instellingen > Afwezig." and edited.edited_at is not None
    item = mstore.queue.items([mstore.threads.resolve(f"acct/{thread}") or 0], now)[0]
    assert item.acknowledged
    stored = stored_posts(mstore, thread)
    assert stored[reply].text == "Via Instellingen > Afwezig."
    assert stored[reply].edited_at is not None
    assert [(r.person_remote_id, r.emoji) for r in stored[root].reactions] == [
        (world.expert.remote_id, "👀")
    ]

    world.server.call(
        "PUT",
        f"/_matrix/client/v3/rooms/{q(world.container_id)}/redact/{q(reply)}/{uuid.uuid4().hex}",
        {"reason": "verkeerd antwoord"},
        token=world.server.as_token,
        params={"user_id": world.expert.remote_id},
    )
    ingest(mstore, world.connector(), now)
    # The only answer was withdrawn: the question is open again, and the tombstone kept it.
    assert state_of(mstore, thread, now) is State.UNANSWERED
    stored = stored_posts(mstore, thread)
    assert stored[reply].deleted and stored[reply].text == "Via Instellingen > Afwezig."


def test_reply_lands_once_in_the_thread_and_a_resend_does_not_duplicate(
    world: MatrixWorld,
) -> None:
    thread = world.add_thread(
        world.author, "Wie heeft de sleutel van de fietsenstalling?", world.now - timedelta(hours=3)
    )
    connector = world.connector()
    op = Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.REPLY,
        text="Sven Expert weet dat vast.",
        thread=ThreadRef(thread, world.container_id),
        mentions=(world.expert,),
    )
    first = connector.send(op)
    # The same operation again, as after a lost response: the transaction id makes it a no-op.
    second = world.connector().send(op)
    assert first.remote_id == second.remote_id
    replies = world.replies_on_server(thread)
    assert replies == [(world.me.remote_id, "Sven Expert weet dat vast.")]
    event = world.server.call(
        "GET",
        f"/_matrix/client/v3/rooms/{q(world.container_id)}/event/{q(first.remote_id)}",
        token=world.session.me.access_token,
    )
    content = event["content"]
    assert content["m.mentions"] == {"user_ids": [world.expert.remote_id]}
    assert f'href="https://matrix.to/#/{world.expert.remote_id}"' in content["formatted_body"]
    assert content["m.relates_to"]["rel_type"] == "m.thread"
    assert content["m.relates_to"]["m.in_reply_to"]["event_id"] == thread.split("/", 1)[1]


def test_dm_reuses_the_direct_room_and_room_tags_come_back(world: MatrixWorld) -> None:
    connector = world.connector()
    dm = Outgoing(
        op_id=str(uuid.uuid4()), kind=OpKind.DM, text="Heb je even?", recipients=(world.expert,)
    )
    sent = connector.send(dm)
    again = connector.send(
        Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.DM,
            text="Laat maar, gevonden.",
            recipients=(world.expert,),
        )
    )
    assert sent.remote_id != again.remote_id
    direct = connector._direct()
    assert len(direct[world.expert.remote_id]) == 1
    containers = {c.remote_id: c for c in connector.list_containers()}
    dm_room = direct[world.expert.remote_id][0]
    assert containers[dm_room].kind == "dm"
    assert containers[dm_room].name == "Sven Expert"
    assert connector.find_sent(dm) is not None

    thread = world.add_thread(
        world.author, "Wie beheert de printers?", world.now - timedelta(hours=3)
    )
    connector.send(
        Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.SET_TAGS,
            thread=ThreadRef(thread, world.container_id),
            tags=("needs-reply", "printers"),
        )
    )
    pages = list(connector.fetch({}))
    threads = {t.remote_id: t for p in pages for t in p.threads}
    assert threads[thread].remote_tags == ("needs-reply", "printers")
    world.server.call(
        "POST",
        f"/_matrix/client/v3/rooms/{q(dm_room)}/leave",
        {},
        token=world.session.me.access_token,
    )


def test_spaces_become_parent_names(world: MatrixWorld) -> None:
    server, me = world.server, world.session.me
    space = server.create_room(
        world.session.author, "Afdeling IT", [me], creation_content={"type": "m.space"}
    )
    server.act(
        "PUT",
        f"/_matrix/client/v3/rooms/{q(space)}/state/m.space.child/{q(world.container_id)}",
        {"via": ["cmc.test"]},
        user=world.session.author,
    )
    containers = {c.remote_id: c for c in world.connector().list_containers()}
    assert space not in containers
    assert containers[world.container_id].parent_name == "Afdeling IT"
    server.call("POST", f"/_matrix/client/v3/rooms/{q(space)}/leave", {}, token=me.access_token)


def test_password_login_keeps_a_session_not_the_password(synapse: SynapseSession) -> None:
    saved: list[Secret] = []
    user = synapse.me
    assert user.password
    connector = MatrixConnector(
        AccountConfig(
            name="pw", url=synapse.server.url, username=user.user_id, options={"login": "password"}
        ),
        ConnectorContext(secret=Secret(user.password), save_secret=saved.append),
    )
    assert connector.whoami().remote_id == user.user_id
    assert len(saved) == 1
    kept = saved[0].reveal()
    assert user.password not in kept and '"access_token"' in kept and '"device_id"' in kept
    again = MatrixConnector(
        AccountConfig(
            name="pw", url=synapse.server.url, username=user.user_id, options={"login": "password"}
        ),
        ConnectorContext(secret=saved[0]),
    )
    assert again.whoami().display_name == "Mona Manager"


def test_rate_limited_sends_are_requeued_and_all_land_once(
    synapse: SynapseSession, mstore: Store
) -> None:
    server = synapse.server
    limited = server.register(f"limited{uuid.uuid4().hex[:6]}", "Lotte Limited")
    server.override_ratelimit(synapse.admin, limited, per_second=1, burst=1)
    room = server.create_room(synapse.author, "Drukke zaal", [limited])
    t0 = datetime.now(UTC)
    root = server.send(
        room,
        synapse.author,
        {"msgtype": "m.text", "body": "Wie helpt?"},
        ts_ms=ms(t0 - timedelta(hours=3)),
    )
    clock = [t0]
    connector = MatrixConnector(
        AccountConfig(name="acct", url=server.url, username=limited.user_id),
        ConnectorContext(secret=Secret(limited.access_token), clock=lambda: clock[0]),
    )
    account_id = ingest(mstore, connector, clock[0])
    account = mstore.accounts.by_id(account_id)
    assert account is not None
    thread = {
        "remote_id": f"{room}/{root}",
        "container_remote_id": room,
        "root_post_remote_id": root,
    }
    texts = [f"Antwoord {i}" for i in range(4)]
    for text in texts:
        mstore.outbox.enqueue(
            account_id=account_id,
            kind=OpKind.REPLY,
            payload={"text": text, "thread": thread},
            now=clock[0],
        )
    sender = Sender(mstore, lambda: clock[0])
    throttled = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        result = sender.drain(account, connector, holder="test")
        throttled += len(result.requeued)
        ops = [
            mstore.outbox.get(op.op_id)
            for op in mstore.outbox.due(clock[0] + timedelta(days=1), [account_id])
        ]
        waiting = [op for op in ops if op is not None and op.state is OpState.QUEUED]
        if not waiting:
            break
        # Each waiting reply was throttled itself, or not tried: the throttle holds the account.
        assert all(op.last_error_code == "rate_limited" or op.attempts == 0 for op in waiting)
        held = mstore.outbox.held_until(account_id)
        delays = [op.next_attempt_at for op in waiting if op.next_attempt_at]
        due = held if held is not None else min(delays)
        assert due > clock[0], "the platform's delay is stored, not slept on"
        # Wait for Synapse's window to pass (real time), then let the outbox clock catch up.
        time.sleep(max(0.0, (due - clock[0]).total_seconds()))
        clock[0] = due
    assert throttled >= 1, "Synapse's rc_message limit was hit"
    replies = [e["content"]["body"] for e in server.thread_replies(room, root, limited)]
    assert sorted(replies) == texts


def test_an_unknown_send_is_resent_with_its_transaction_id_and_lands_once(
    world: MatrixWorld, mstore: Store
) -> None:
    """The request reached Synapse but the answer was lost: the outbox resends, no duplicate."""
    thread = world.add_thread(
        world.author, "Wie kent het wachtwoord van de gastwifi?", world.now - timedelta(hours=3)
    )
    connector = world.connector()
    account_id = ingest(mstore, connector, world.now)
    account = mstore.accounts.get("acct")
    assert account is not None
    room, root = thread.split("/", 1)
    payload = {
        "text": "Staat op het prikbord bij de receptie.",
        "thread": {"remote_id": thread, "container_remote_id": room, "root_post_remote_id": root},
    }
    op = mstore.outbox.enqueue(
        account_id=account_id, kind=OpKind.REPLY, payload=payload, now=world.now
    )
    claimed = mstore.outbox.claim(op.op_id, world.now, "lost-process")
    assert claimed is not None
    first = world.connector().send(outgoing(claimed))  # it landed ...
    mstore.outbox.move(op.op_id, OpState.SENDING, OpState.UNKNOWN, world.now, error_code="timeout")
    # ... but the process never heard back. The next drain reconciles by resending.
    result = Sender(mstore, lambda: world.now).drain(account, world.connector(), holder="next")
    assert result.sent == [op.op_id]
    stored = mstore.outbox.get(op.op_id)
    assert stored is not None and stored.state is OpState.SENT
    assert stored.remote_id == first.remote_id
    mine = [r for r in world.replies_on_server(thread) if r[1] == payload["text"]]
    assert mine == [(world.me.remote_id, payload["text"])]


def test_threads_and_relations_complete_a_thread_the_backfill_window_missed(
    world: MatrixWorld,
) -> None:
    """An old question that got a new reply: its root lies behind months of other messages."""
    now = world.now
    old = now - timedelta(days=70)
    thread = world.add_thread(world.author, "Wie beheert de oude intranetpagina?", old)
    first = world.add_reply(
        thread, world.expert, "Dat was Piet, die is weg.", old + timedelta(hours=1)
    )
    for i in range(45):
        world.post(
            world.author, {"msgtype": "m.text", "body": f"ruis {i}"}, old + timedelta(days=1)
        )
    latest = world.add_reply(thread, world.author, "Wie neemt het over?", now - timedelta(hours=1))

    class SmallPages(MatrixConnector):
        page_size = 20  # the same reading, in pages small enough to seed quickly

    base = world.connector()
    pages = list(SmallPages(base.account, base.context).fetch({}))
    posts = {p.remote_id for page in pages for p in page.posts if p.thread_remote_id == thread}
    assert {thread.split("/", 1)[1], first, latest} <= posts
    assert thread in {t.remote_id for page in pages for t in page.threads}
    noise = [p for page in pages for p in page.posts if p.text.startswith("ruis")]
    assert len(noise) < 45, "the window stopped at the horizon"


def test_a_poll_starts_a_thread_once_and_replies_to_it_are_read_back(
    world: MatrixWorld, mstore: Store
) -> None:
    """A planned poll is a native MSC3381 poll event; a resend is a no-op; colleagues' replies in
    its thread are read like any other thread's."""
    connector = world.connector()
    op = Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.POST,
        text="Waar houden we de vrijdagborrel?",
        container_remote_id=world.container_id,
        poll_options=("Kantine", "Dakterras"),
    )
    first = connector.send(op)
    assert world.connector().send(op).remote_id == first.remote_id
    assert first.thread_remote_id == f"{world.container_id}/{first.remote_id}"
    assert first.page is not None and first.page.posts[0].is_root
    event = world.server.call(
        "GET",
        f"/_matrix/client/v3/rooms/{q(world.container_id)}/event/{q(first.remote_id)}",
        token=world.session.me.access_token,
    )
    assert event["type"] == "org.matrix.msc3381.poll.start"
    poll = event["content"]["org.matrix.msc3381.poll.start"]
    assert poll["question"] == {"org.matrix.msc1767.text": "Waar houden we de vrijdagborrel?"}
    assert [a["org.matrix.msc1767.text"] for a in poll["answers"]] == ["Kantine", "Dakterras"]
    assert poll["max_selections"] == 1
    fallback = "Waar houden we de vrijdagborrel?\n1. Kantine\n2. Dakterras"
    assert event["content"]["org.matrix.msc1767.text"] == fallback
    # The outbox lost the answer: the read-back finds the poll by its transaction id.
    assert connector.find_sent(op) == SendResult(first.remote_id, first.thread_remote_id)

    world.now += timedelta(minutes=30)
    world.add_reply(first.thread_remote_id, world.author, "Dakterras, als het droog is!", world.now)
    ingest(mstore, world.connector(), world.now)
    posts = stored_posts(mstore, first.thread_remote_id)
    assert posts[first.remote_id].text == fallback
    assert [p.text for p in posts.values() if p.remote_id != first.remote_id] == [
        "Dakterras, als het droog is!"
    ]


def test_a_planned_post_starts_a_thread_with_its_title_as_first_line(world: MatrixWorld) -> None:
    op = Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.POST,
        title="Nieuw: fietsplan",
        text="Wie heeft er al gebruik van gemaakt?",
        container_remote_id=world.container_id,
    )
    sent = world.connector().send(op)
    event = world.server.call(
        "GET",
        f"/_matrix/client/v3/rooms/{q(world.container_id)}/event/{q(sent.remote_id)}",
        token=world.session.me.access_token,
    )
    assert event["type"] == "m.room.message"
    assert event["content"]["body"] == "Nieuw: fietsplan\n\nWie heeft er al gebruik van gemaakt?"
    assert "m.relates_to" not in event["content"]
    assert world.connector().send(op).remote_id == sent.remote_id
