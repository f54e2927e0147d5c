"""Teams against a fake Graph: delta cursors, 410 resync, paging, throttling, bodies and writes."""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cm_console.connectors.base import AccountConfig, ConnectorContext, Outgoing, ThreadRef
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    MalformedResponse,
    NetworkError,
    NotFound,
    PermanentError,
    RateLimited,
)
from cm_console.connectors.teams import connector as teams
from cm_console.connectors.teams.connector import TeamsConnector, request_id
from cm_console.domain.model import Page, PostKind, Secret
from cm_console.domain.outbox import OpKind
from cm_console.domain.planning import StarterStatus
from cm_console.store import Store
from tests.helpers.fake_graph import FakeGraph, plain
from tests.helpers.fixture_server import FakeTime, serving
from tests.helpers.starter_outbox import current, schedule, send_due, sync
from tests.integration.connectors.test_teams_contract import (
    CHANNEL,
    ME,
    NOW,
    SVEN,
    TEAM,
    TOM,
    TeamsWorld,
    teams_connector,
)

CONTAINER = f"{TEAM}/{CHANNEL}"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with serving(FakeGraph()) as api:
        assert isinstance(api, FakeGraph)
        yield api


@pytest.fixture
def world(graph: FakeGraph) -> TeamsWorld:
    return TeamsWorld(graph)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def conn(graph: FakeGraph, world: TeamsWorld, time: FakeTime) -> Iterator[TeamsConnector]:
    graph.clock = time.monotonic
    c = teams_connector(graph, time)
    yield c
    c.close()


def drain(conn: TeamsConnector, cursors: dict[str, Any]) -> list[Page]:
    pages = []
    for page in conn.fetch(cursors):
        pages.append(page)
        cursors[page.scope] = page.cursor
    return pages


def posts_of(pages: list[Page]) -> dict[str, Any]:
    return {p.remote_id: p for page in pages for p in page.posts}


def op(kind: OpKind, thread: str, text: str = "", **kw: Any) -> Outgoing:
    return Outgoing(
        op_id=str(uuid.uuid4()),
        kind=kind,
        text=text,
        thread=ThreadRef(thread, CONTAINER, thread),
        first_attempt_at=datetime.now(UTC),
        **kw,
    )


def test_joined_teams_and_channels_are_paged(graph: FakeGraph, conn: TeamsConnector) -> None:
    graph.add_channel("team-2", "Sales", "19:deals@thread.tacv2", "Deals")
    graph.teams_page_size = 1
    containers = {c.remote_id: c for c in conn.list_containers()}
    assert set(containers) == {
        CONTAINER,
        f"{TEAM}/19:random@thread.tacv2",
        "team-2/19:deals@thread.tacv2",
    }
    assert containers[CONTAINER].name == "General"
    assert containers[CONTAINER].parent_name == "Intranet"
    assert len(graph.requests_to("GET", r"/me/joinedTeams$")) == 2


def test_delta_link_is_the_cursor_per_channel(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    for i in range(60):  # more than one page of 50
        world.add_thread(TOM, f"Vraag {i}?", NOW - timedelta(hours=70 - i))
    cursors: dict[str, Any] = {}
    pages = drain(conn, cursors)
    general = [p for p in pages if p.scope == CONTAINER]
    assert len(general) == 2
    assert "next" in general[0].cursor and "delta" in general[1].cursor
    assert len(posts_of(general)) == 60
    assert "delta" in cursors[f"{TEAM}/19:random@thread.tacv2"]
    # Nothing new: the stored delta links bring nothing.
    assert not posts_of(drain(conn, cursors))
    # A reply in an old thread brings back exactly that chain, with all of its replies.
    thread = world.add_thread(TOM, "Wie heeft de sleutel?", NOW - timedelta(hours=3))
    drain(conn, cursors)
    world.add_reply(thread, SVEN, "Ik!", NOW - timedelta(hours=1))
    again = posts_of(drain(conn, cursors))
    assert set(again) == {thread, *[p for p in again if p != thread]}
    assert sum(not p.is_root for p in again.values()) == 1


def test_expired_delta_link_answers_410_and_resyncs(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    world.add_thread(TOM, "Eerste vraag?", NOW - timedelta(hours=5))
    cursors: dict[str, Any] = {}
    drain(conn, cursors)
    old_link = cursors[CONTAINER]["delta"]
    graph.expire_delta_links()
    world.add_thread(TOM, "Tweede vraag?", NOW - timedelta(hours=1))
    pages = [p for p in drain(conn, cursors) if p.scope == CONTAINER]
    assert len(graph.requests_to("GET", "/messages/delta$")) >= 4
    texts = sorted(p.text for p in posts_of(pages).values())
    assert texts == ["Eerste vraag?", "Tweede vraag?"]  # a full resync of the channel
    assert cursors[CONTAINER]["delta"] != old_link


def test_replies_follow_next_links_and_are_listed_when_not_expanded(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    graph.inline_replies = 2
    thread = world.add_thread(TOM, "Printer kapot?", NOW - timedelta(hours=9))
    for i in range(5):
        world.add_reply(thread, SVEN, f"Antwoord {i}", NOW - timedelta(hours=8 - i))
    replies = [p for p in posts_of(drain(conn, {})).values() if not p.is_root]
    assert sorted(p.text for p in replies) == [f"Antwoord {i}" for i in range(5)]
    graph.expand_replies_in_delta = False
    replies = [p for p in posts_of(drain(conn, {})).values() if not p.is_root]
    assert len(replies) == 5
    assert graph.requests_to("GET", r"/messages/\d+/replies$")


def test_html_bodies_mentions_quotes_system_and_bots(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    root = graph.post_root(
        TEAM,
        CHANNEL,
        TOM.remote_id,
        '<div><at id="0">Sven de Groot</at>, zie hieronder</div>'
        "<blockquote>Werkt de VPN op kantoor?</blockquote><p>Hetzelfde bij mij.</p>",
        NOW - timedelta(hours=4),
    )
    graph.post_reply(
        TEAM, CHANNEL, root, None, "<systemEventMessage/>", NOW, message_type="systemEventMessage"
    )
    graph.post_reply(
        TEAM, CHANNEL, root, None, "Build groen", NOW, content_type="text", app=("a1", "CI")
    )
    graph.post_root(
        TEAM, CHANNEL, None, "<p>Sven joined</p>", NOW, message_type="systemEventMessage"
    )
    pages = drain(conn, {})
    posts = posts_of(pages)
    threads = {t.remote_id for p in pages for t in p.threads}
    assert threads == {f"{CHANNEL}/{root}"}, "a system event is not a conversation"
    first = posts[f"{CHANNEL}/{root}"]
    assert (
        first.text == "Sven de Groot, zie hieronder\n> Werkt de VPN op kantoor?\nHetzelfde bij mij."
    )
    assert first.html is not None and "<blockquote>" in first.html
    kinds = {p.kind for p in posts.values() if not p.is_root}
    assert kinds == {PostKind.SMALL_ACTION, PostKind.REGULAR}
    bot = next(p for p in posts.values() if p.text == "Build groen")
    assert bot.by_bot and bot.author_remote_id == "app:a1"


def test_reply_with_mention_lands_once_with_a_derived_request_id(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector, time: FakeTime
) -> None:
    thread = world.add_thread(TOM, "Wie kent SAP?", NOW - timedelta(hours=5))
    reply = op(OpKind.REPLY, thread, "Vraag het @Sven de Groot!", mentions=(SVEN,))
    sent = conn.send(reply)
    stored = graph.replies(TEAM, CHANNEL, thread.split("/")[1])
    assert len(stored) == 1
    assert stored[0]["body"]["content"] == 'Vraag het <at id="0">Sven de Groot</at>!'
    assert stored[0]["mentions"][0]["mentioned"]["user"]["id"] == SVEN.remote_id
    assert stored[0]["_client_request_id"] == request_id(reply)
    assert uuid.UUID(request_id(reply)) and request_id(reply) == request_id(reply)
    assert sent.page is not None and sent.page.posts[0].text == "Vraag het Sven de Groot!"
    assert conn.find_sent(reply) is not None
    # Writes are paced: 4 per second at most on a team or channel.
    stamps = [r.at for r in graph.requests]
    assert all(b - a >= 0.25 for a, b in itertools.pairwise(stamps))


def test_throttled_reads_wait_as_told_and_writes_are_left_to_the_outbox(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector, time: FakeTime
) -> None:
    thread = world.add_thread(TOM, "Hoe laat is de borrel?", NOW - timedelta(hours=5))
    graph.fail("GET", "/messages/delta$", 429, headers={"Retry-After": "7"})
    graph.fail("GET", "/messages/delta$", 429)  # no Retry-After: back off exponentially
    assert posts_of(drain(conn, {}))
    assert 7.0 in time.sleeps
    graph.fail("POST", "/replies$", 429, headers={"Retry-After": "12"})
    with pytest.raises(RateLimited) as caught:
        conn.send(op(OpKind.REPLY, thread, "Om vijf uur."))
    assert caught.value.retry_after == timedelta(seconds=12)
    assert graph.replies(TEAM, CHANNEL, thread.split("/")[1]) == []


def test_malformed_and_truncated_answers(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    thread = world.add_thread(TOM, "Kan iemand helpen?", NOW - timedelta(hours=5))
    graph.fail("GET", "/messages/delta$", 200, body='{"value": [{"id": ')
    with pytest.raises(MalformedResponse):
        drain(conn, {})
    graph.fail("GET", "/messages/delta$", 200, body='{"value": 3}')
    with pytest.raises(MalformedResponse, match="no 'value' list"):
        drain(conn, {})
    graph.fail(
        "GET", "/messages/delta$", 200, body='{"value": []' + " " * 50, truncate=True, times=5
    )
    with pytest.raises(NetworkError):
        drain(conn, {})
    reply = op(OpKind.REPLY, thread, "Ja, ik kom eraan.")
    graph.fail("POST", "/replies$", 201, body='{"id": "1', truncate=True)
    with pytest.raises(AmbiguousError):
        conn.send(reply)
    assert conn.find_sent(reply) is None  # the fault answered before anything was stored
    assert conn.send(reply).remote_id


def test_dm_opens_a_one_on_one_chat_and_reconciles(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    thread = world.add_thread(TOM, "Wie weet dit?", NOW - timedelta(hours=5))
    dm = op(OpKind.DM, thread, "Wil jij hier even naar kijken?", recipients=(SVEN,))
    sent = conn.send(dm)
    assert sent.remote_id.startswith("chat:")
    (chat,) = graph.chats.values()
    assert sorted(chat["members"]) == sorted([ME.remote_id, SVEN.remote_id])
    assert [plain(m["body"]["content"]) for m in chat["messages"]] == [dm.text]
    found = conn.find_sent(dm)
    assert found is not None and found.remote_id == sent.remote_id
    assert len(graph.chats) == 1


def test_reaction_is_set_and_read_back(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    thread = world.add_thread(TOM, "Goed nieuws: de kantine is open!", NOW - timedelta(hours=5))
    like = op(OpKind.REACTION, thread, emoji="👍")
    assert conn.find_sent(like) is None
    conn.send(like)
    assert conn.find_sent(like) is not None
    root = posts_of(drain(conn, {}))[thread]
    assert [(r.person_remote_id, r.emoji) for r in root.reactions] == [(ME.remote_id, "👍")]


def test_refused_and_expired_tokens_say_what_to_do(
    graph: FakeGraph, world: TeamsWorld, time: FakeTime
) -> None:
    revoked = teams_connector(graph, time, token="never-granted-secret")
    with pytest.raises(AuthError) as caught:
        revoked.whoami()
    assert "never-granted-secret" not in str(caught.value)
    assert caught.value.code == "unauthorized"
    claims = {"exp": int((NOW - timedelta(minutes=1)).timestamp()), "oid": ME.remote_id}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    jwt = f"eyJhbGciOiJub25lIn0.{payload}.sig"
    graph.tokens.grant(jwt, ME.remote_id)
    expired = TeamsConnector(
        AccountConfig(name="acct", url=f"{graph.base_url}/v1.0"),
        ConnectorContext(secret=Secret(jwt), clock=lambda: NOW),
        sleep=time.sleep,
        monotonic=time.monotonic,
    )
    before = len(graph.requests)
    with pytest.raises(AuthError, match="expired") as caught:
        expired.whoami()
    assert caught.value.code == "token_expired"
    assert len(graph.requests) == before, "an expired token is not sent at all"


def test_deleted_root_is_a_tombstone(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    thread = world.add_thread(TOM, "Oeps, verkeerde kanaal", NOW - timedelta(hours=5))
    cursors: dict[str, Any] = {}
    drain(conn, cursors)
    graph.delete_root(TEAM, CHANNEL, thread.split("/")[1], NOW)
    root = posts_of(drain(conn, cursors))[thread]
    assert root.deleted and root.text == ""


# --- new threads (conversation starters) ------------------------------------------------------


def channel_roots(graph: FakeGraph, needle: str, channel: str = CHANNEL) -> list[dict[str, Any]]:
    """Root messages of the channel whose subject or body contains ``needle``."""
    with graph.lock:
        return [
            r
            for r in graph.roots[(TEAM, channel)]
            if needle in plain(r["body"]["content"]) or needle in (r["subject"] or "")
        ]


def starter_op(text: str, container: str = CONTAINER, **kw: Any) -> Outgoing:
    return Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.POST,
        text=text,
        container_remote_id=container,
        first_attempt_at=datetime.now(UTC),
        **kw,
    )


def test_a_starter_is_a_channel_message_with_a_subject(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector, sqlite_store: Store
) -> None:
    account = sync(sqlite_store, conn, NOW)
    starter = schedule(
        sqlite_store,
        account,
        CONTAINER,
        NOW,
        title="Vrijdagvraag",
        text="Wat lees je nu?\nTips zijn welkom, @Sven de Groot ook!",
    )
    assert send_due(sqlite_store, account, conn, lambda: NOW).sent == [starter.op_id]
    (root,) = channel_roots(graph, "Wat lees je nu?")
    assert root["subject"] == "Vrijdagvraag"
    assert root["body"]["contentType"] == "html"
    assert root["body"]["content"] == "Wat lees je nu?<br>Tips zijn welkom, @Sven de Groot ook!"
    assert root["from"]["user"]["id"] == ME.remote_id and root["replyToId"] is None
    assert channel_roots(graph, "Wat lees je nu?", "19:random@thread.tacv2") == []
    outcome = current(sqlite_store, starter).outcome
    assert outcome is not None and outcome.thread_key == f"acct/{CHANNEL}/{root['id']}"
    # Synced back as the same thread, with the subject as its title.
    world.add_reply(
        f"{CHANNEL}/{root['id']}", SVEN, "Een roman van Hella Haasse", datetime.now(UTC)
    )
    pages = drain(conn, {})
    (thread,) = [t for p in pages for t in p.threads if t.remote_id == f"{CHANNEL}/{root['id']}"]
    assert thread.title == "Vrijdagvraag"


def test_without_a_title_the_first_line_is_the_subject_and_a_poll_is_numbered(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector
) -> None:
    poll = starter_op("Waar houden we de borrel?", poll_options=("Kantine", "Dakterras"))
    sent = conn.send(poll)
    (root,) = channel_roots(graph, "Waar houden we de borrel?")
    assert root["subject"] == "Waar houden we de borrel?"
    assert plain(root["body"]["content"]) == "1\ufe0f\u20e3 Kantine2\ufe0f\u20e3 Dakterras"
    assert root["body"]["content"] == "1\ufe0f\u20e3 Kantine<br>2\ufe0f\u20e3 Dakterras"
    assert sent.remote_id == sent.thread_remote_id == f"{CHANNEL}/{root['id']}"
    assert sent.page is not None and sent.page.threads[0].title == "Waar houden we de borrel?"
    found = conn.find_sent(poll)
    assert found is not None and found.remote_id == sent.remote_id
    # The same options under another question are another poll (the subject tells them apart).
    other = dataclasses.replace(poll, op_id=str(uuid.uuid4()), text="Waar lunchen we?")
    assert conn.find_sent(other) is None
    # One line, no title: no subject that only repeats the body.
    single = starter_op("Goedemorgen allemaal!")
    conn.send(single)
    (root,) = channel_roots(graph, "Goedemorgen")
    assert root["subject"] is None and plain(root["body"]["content"]) == "Goedemorgen allemaal!"


def test_a_dropped_answer_is_read_back_and_never_posted_twice(
    graph: FakeGraph, world: TeamsWorld, time: FakeTime, sqlite_store: Store
) -> None:
    account = sync(sqlite_store, teams_connector(graph, time), NOW)
    starter = schedule(sqlite_store, account, CONTAINER, NOW, text="Wie gaat er mee naar de beurs?")
    graph.fail(
        "POST", rf"/channels/{CHANNEL}/messages$", 201, body='{"id": "1', truncate=True, apply=True
    )
    first = send_due(sqlite_store, account, teams_connector(graph, time), lambda: NOW)
    assert first.unknown == [starter.op_id]
    assert len(channel_roots(graph, "naar de beurs")) == 1
    second = send_due(sqlite_store, account, teams_connector(graph, time), lambda: NOW)
    assert second.reconciled == [starter.op_id]
    assert len(graph.requests_to("POST", rf"/channels/{CHANNEL}/messages$")) == 1
    (root,) = channel_roots(graph, "naar de beurs")
    outcome = current(sqlite_store, starter).outcome
    assert outcome is not None and outcome.thread_key == f"acct/{CHANNEL}/{root['id']}"


def test_a_read_back_pages_through_busy_channels_and_says_when_it_cannot_tell(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    op = starter_op("Wie heeft de sleutel van het archief?")
    sent = conn.send(op)
    for i in range(60):  # newer changes push it to the second page
        world.add_thread(TOM, f"Vraag {i}", datetime.now(UTC) + timedelta(minutes=1 + i))
    found = conn.find_sent(op)
    assert found is not None and found.remote_id == sent.remote_id
    assert len(graph.requests_to("GET", rf"/channels/{CHANNEL}/messages$")) == 2
    never = starter_op("Nooit verstuurd")
    assert conn.find_sent(never) is None  # the whole listing was read
    monkeypatch.setattr(teams, "STARTER_PAGES", 1)
    with pytest.raises(AmbiguousError, match="too many recent messages"):
        conn.find_sent(never)  # one page does not reach back to the first attempt


def test_refusals_are_clear_and_chats_take_no_new_threads(
    graph: FakeGraph, world: TeamsWorld, conn: TeamsConnector, time: FakeTime, sqlite_store: Store
) -> None:
    account = sync(sqlite_store, conn, NOW)
    graph.moderated.add((TEAM, CHANNEL))
    starter = schedule(sqlite_store, account, CONTAINER, NOW, text="Nieuwe koffieautomaat!")
    assert send_due(sqlite_store, account, conn, lambda: NOW).failed == [starter.op_id]
    refused = current(sqlite_store, starter)
    assert refused.status is StarterStatus.PROBLEM
    assert refused.error is not None and "moderated" in refused.error
    assert channel_roots(graph, "koffieautomaat") == []
    graph.moderated.clear()
    graph.fail("POST", rf"/channels/{CHANNEL}/messages$", 429, headers={"Retry-After": "12"})
    with pytest.raises(RateLimited) as caught:
        conn.send(starter_op("Nog een keer"))
    assert caught.value.retry_after == timedelta(seconds=12)
    assert channel_roots(graph, "Nog een keer") == []
    time.sleep(12)
    with pytest.raises(NotFound, match="no longer exists"):
        conn.send(starter_op("Hallo", container=f"{TEAM}/19:gone@thread.tacv2"))
    with pytest.raises(PermanentError, match="not in chats") as info:
        conn.send(starter_op("Hallo", container="19:abc_def@unq.gbl.spaces"))
    assert info.value.code == "not_a_channel"
    assert conn.find_sent(starter_op("Hallo", container=CONTAINER)) is None
