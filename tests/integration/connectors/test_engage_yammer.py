"""Viva Engage against a fake Yammer v1: limits, cursors, topics, likes, best answers, writes."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cm_console.connectors.base import Outgoing, ThreadRef
from cm_console.connectors.engage.connector import EngageConnector
from cm_console.connectors.errors import MalformedResponse
from cm_console.domain.model import Page
from cm_console.domain.outbox import OpKind
from tests.helpers.fake_yammer import FakeYammer
from tests.helpers.fixture_server import FakeTime, serving
from tests.integration.connectors.test_engage_contract import (
    GROUP,
    ME,
    NOW,
    SVEN,
    TOM,
    EngageWorld,
    engage_connector,
)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def yammer() -> Iterator[FakeYammer]:
    with serving(FakeYammer()) as api:
        assert isinstance(api, FakeYammer)
        yield api


@pytest.fixture
def world(yammer: FakeYammer) -> EngageWorld:
    return EngageWorld(yammer)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def conn(
    yammer: FakeYammer, world: EngageWorld, time: FakeTime, clock: Clock
) -> Iterator[EngageConnector]:
    c = engage_connector(yammer, time, clock)
    yield c
    c.close()


def drain(conn: EngageConnector, cursors: dict[str, Any]) -> list[Page]:
    pages = []
    for page in conn.fetch(cursors):
        pages.append(page)
        cursors[page.scope] = page.cursor
    return pages


def posts_of(pages: list[Page]) -> dict[str, Any]:
    return {p.remote_id: p for page in pages for p in page.posts}


def op(kind: OpKind, thread: str | None, text: str = "", **kw: Any) -> Outgoing:
    return Outgoing(
        op_id=str(uuid.uuid4()),
        kind=kind,
        text=text,
        thread=ThreadRef(thread, str(GROUP), thread) if thread else None,
        first_attempt_at=datetime.now(UTC),
        **kw,
    )


def test_polls_at_most_once_a_minute_without_blocking(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector, clock: Clock, time: FakeTime
) -> None:
    world.add_thread(TOM, "Waar is de beamer?", NOW - timedelta(hours=3))
    cursors: dict[str, Any] = {}
    assert posts_of(drain(conn, cursors))
    requests, slept = len(yammer.requests), sum(time.sleeps)
    clock.now += timedelta(seconds=30)
    assert drain(conn, cursors) == []
    assert len(yammer.requests) == requests and sum(time.sleeps) == slept
    clock.now += timedelta(seconds=31)
    world.add_reply(str(next(iter(yammer.thread_meta))), SVEN, "In kast 3.", NOW)
    assert [p.text for p in posts_of(drain(conn, cursors)).values() if not p.is_root] == [
        "In kast 3."
    ]


def test_requests_are_paced_to_ten_per_thirty_seconds(
    yammer: FakeYammer, world: EngageWorld, time: FakeTime
) -> None:
    for gid in range(12):  # more message listings than one 30 s window allows
        yammer.add_group(5000 + gid, f"Community {gid}", [1001])
        yammer.post(1002, f"Vraag {gid}?", NOW - timedelta(hours=2), group=5000 + gid)
    conn = engage_connector(yammer, time)
    pages = drain(conn, {})
    assert len(posts_of(pages)) == 12
    stamps = [r.at for r in yammer.requests]
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(stamps))
    listings = [r.at for r in yammer.requests if r.path.startswith("/api/v1/messages")]
    assert len(listings) > 10
    assert all(sum(1 for t in listings if s - 30 < t <= s) <= 10 for s in listings)
    assert 30.0 not in time.sleeps, "the fake never had to throttle"


def test_a_429_pauses_the_account_for_a_window(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector, time: FakeTime
) -> None:
    world.add_thread(TOM, "Wie heeft er een lader?", NOW - timedelta(hours=2))
    yammer.fail("GET", "/messages/in_group/", 429, body={"error": "rate limited"})
    assert posts_of(drain(conn, {}))
    assert 30.0 in time.sleeps


def test_newer_than_cursor_and_old_threads_read_whole(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector, clock: Clock
) -> None:
    old = world.add_thread(TOM, "Hoe werkt de nieuwe printer?", NOW - timedelta(days=2))
    world.add_reply(old, SVEN, "Met je pas.", NOW - timedelta(days=1))
    cursors: dict[str, Any] = {}
    drain(conn, cursors)
    assert cursors[str(GROUP)]["newer_than"] == str(max(m["id"] for m in yammer.messages))
    clock.now += timedelta(minutes=2)
    world.add_reply(old, TOM, "En zonder pas?", NOW - timedelta(hours=1))
    pages = drain(conn, cursors)
    posts = posts_of(pages)
    assert sorted(p.text for p in posts.values()) == [
        "En zonder pas?",
        "Hoe werkt de nieuwe printer?",
        "Met je pas.",
    ]
    assert yammer.requests_to("GET", f"/messages/in_thread/{old}.json")
    thread = next(t for p in pages for t in p.threads)
    assert thread.created_at == NOW - timedelta(days=2)


def test_reply_is_form_encoded_with_mentions(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector
) -> None:
    thread = world.add_thread(TOM, "Wie kent Power BI?", NOW - timedelta(hours=5))
    reply = op(OpKind.REPLY, thread, "Vraag het even aan", mentions=(SVEN,))
    sent = conn.send(reply)
    (request,) = yammer.requests_to("POST", "/messages.json$")
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    stored = yammer.message(int(sent.remote_id))
    assert stored["replied_to_id"] == int(thread)
    assert stored["body"]["plain"] == f"[[user:{SVEN.remote_id}]] Vraag het even aan"
    assert stored["notified_user_ids"] == [int(SVEN.remote_id)]
    found = conn.find_sent(reply)
    assert found is not None and found.remote_id == sent.remote_id
    # Read back with the mention shown as a name instead of the token: still the same reply.
    stored["body"] = {"plain": "@Sven de Groot Vraag het even aan"}
    found = conn.find_sent(reply)
    assert found is not None and found.remote_id == sent.remote_id
    stored["body"] = {"plain": "@Sven de Groot Vraag het morgen aan"}
    assert conn.find_sent(reply) is None


def test_topics_are_remote_tags_and_new_threads_carry_them(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector
) -> None:
    yammer.post(
        1002, "Nieuwe huisstijl!", NOW - timedelta(hours=2), group=GROUP, topics=["huisstijl"]
    )
    (thread,) = [t for p in drain(conn, {}) for t in p.threads]
    assert thread.remote_tags == ("huisstijl",)
    new = Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.POST,
        text="Wat vinden jullie van het nieuwe logo?",
        container_remote_id=str(GROUP),
        tags=("logo", "poll"),
    )
    sent = conn.send(new)
    assert sent.page is not None and sent.page.threads[0].remote_tags == ("logo", "poll")
    topics = yammer.thread_meta[int(sent.remote_id)]["topics"]
    assert [yammer.topics[t] for t in topics] == ["logo", "poll"]


def test_private_message_and_likes(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector
) -> None:
    thread = world.add_thread(TOM, "Het intranet is traag", NOW - timedelta(hours=5))
    dm = op(OpKind.DM, thread, "Kun jij hiernaar kijken?", recipients=(SVEN,))
    sent = conn.send(dm)
    stored = yammer.message(int(sent.remote_id.removeprefix("pm:")))
    assert stored["direct_message"] and stored["_direct_to"] == [int(SVEN.remote_id)]
    assert conn.find_sent(dm) is not None
    like = op(OpKind.REACTION, thread)
    assert conn.find_sent(like) is None
    conn.send(like)
    assert conn.find_sent(like) is not None
    root = posts_of(drain(conn, {}))[thread]
    assert [(r.person_remote_id, r.emoji) for r in root.reactions] == [(ME.remote_id, "👍")]
    # A private message is not a community conversation.
    assert all(
        p.thread_remote_id == thread
        for p in posts_of(drain(engage_connector(yammer, FakeTime()), {})).values()
    )


def test_best_answer_resolves_and_rich_bodies_become_text(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector
) -> None:
    question = yammer.post(
        1002,
        "",
        NOW - timedelta(hours=5),
        group=GROUP,
        rich="<p>Hoe exporteer ik naar PDF?</p><blockquote>Niet via Word?</blockquote>",
    )
    yammer.message(question)["body"].pop("plain")
    answer = world.add_reply(str(question), SVEN, "Bestand > Exporteren.", NOW - timedelta(hours=4))
    yammer.thread_meta[question]["best_reply_id"] = int(answer)
    pages = drain(conn, {})
    (thread,) = [t for p in pages for t in p.threads]
    assert thread.resolved and thread.accepted_post_remote_id == answer
    root = posts_of(pages)[str(question)]
    assert root.text == "Hoe exporteer ik naar PDF?\n> Niet via Word?"


def test_malformed_answers_are_clear_errors(
    yammer: FakeYammer, world: EngageWorld, conn: EngageConnector
) -> None:
    yammer.fail("GET", "/messages/in_group/", 200, body='{"messages": [{"id": 1,')
    with pytest.raises(MalformedResponse):
        drain(conn, {})
    yammer.fail("GET", "/messages/in_group/", 200, body='{"messages": "nope"}')
    with pytest.raises(MalformedResponse, match="no 'messages' list"):
        drain(conn, {})
