"""Discourse specifics: request economy, normalization, faults, reconciliation and sign-in."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
import requests

from cm_console.connectors.base import (
    AccountConfig,
    ConnectorContext,
    LoginMethod,
    Outgoing,
    ThreadRef,
)
from cm_console.connectors.discourse.connector import DiscourseConnector
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    MalformedResponse,
    PermanentError,
)
from cm_console.domain.model import Page, PostKind
from cm_console.domain.outbox import OpKind
from tests.helpers.fake_discourse import SMALL_ACTION, WHISPER, FakeDiscourse
from tests.integration.connectors.discourse_world import NOW, discourse, make_discourse

__all__ = ["discourse"]
Server = tuple[FakeDiscourse, str]


def drain(conn: DiscourseConnector, cursors: dict[str, Any]) -> list[Page]:
    pages = []
    for page in conn.fetch(cursors):
        pages.append(page)
        cursors[page.scope] = page.cursor
    return pages


def seed_topics(server: FakeDiscourse, n: int, replies: int = 1) -> None:
    for i in range(n):
        at = NOW - timedelta(hours=200 - i)
        topic = server.add_topic(2, f"Vraag {i}", f"Hoe werkt ding {i}?", at, category_id=5)
        for r in range(replies):
            server.add_post(topic.id, 3, f"Zo werkt het ({r}).", at + timedelta(minutes=5 + r))


def test_first_sync_walks_posts_and_a_quiet_resync_costs_one_request(discourse: Server) -> None:
    server, url = discourse
    seed_topics(server, 130, replies=1)
    conn = make_discourse(url)
    cursors: dict[str, Any] = {}
    pages = drain(conn, cursors)
    topics = {t.remote_id for p in pages for t in p.threads}
    posts = [post for p in pages for post in p.posts]
    assert len(topics) == 130 and len(posts) == 260
    # 2 topic-list pages + 1 categories + ceil(260/50)=6 post pages + 1 empty end.
    assert conn.http.requests_made <= 10
    assert server.count("/t/") == 0
    before = conn.http.requests_made
    assert drain(conn, cursors) == []
    assert conn.http.requests_made - before == 1


def test_few_changed_topics_are_reread_whole_with_edits_and_deletions(discourse: Server) -> None:
    server, url = discourse
    seed_topics(server, 5, replies=2)
    conn = make_discourse(url, own="1")
    cursors: dict[str, Any] = {}
    drain(conn, cursors)
    topic = server.topics[102]
    first_reply, second_reply = topic.post_ids[1], topic.post_ids[2]
    server.edit(first_reply, "Zo werkt het echt.", NOW)
    server.delete(second_reply, NOW)
    server.add_post(topic.id, 1, "Nog vragen?", NOW, post_type=WHISPER)
    server.add_post(topic.id, 1, "closed", NOW, post_type=SMALL_ACTION)
    new = server.add_post(topic.id, 2, "Dank je! Werkt het ook op Mac?", NOW)
    walks = server.count("/posts.json")
    pages = drain(conn, cursors)
    posts = {p.remote_id: p for page in pages for p in page.posts}
    assert set(posts) >= {str(first_reply), str(second_reply), str(new.id)}
    assert posts[str(first_reply)].text == "Zo werkt het echt."
    assert posts[str(first_reply)].edited_at is not None
    assert posts[str(second_reply)].deleted and posts[str(second_reply)].text == ""
    kinds = {p.kind for p in posts.values()}
    assert {PostKind.WHISPER, PostKind.SMALL_ACTION, PostKind.REGULAR} <= kinds
    assert server.count("/posts.json") == walks  # one topic changed: read whole, no walk


def test_many_changed_topics_use_the_post_walk(discourse: Server) -> None:
    server, url = discourse
    seed_topics(server, 40, replies=0)
    conn = make_discourse(url)
    cursors: dict[str, Any] = {}
    drain(conn, cursors)
    for tid in list(server.topics)[:30]:
        server.add_post(tid, 3, "Antwoord", NOW)
    walks = server.count("/posts.json")
    pages = drain(conn, cursors)
    assert sum(len(p.posts) for p in pages) == 30
    assert server.count("/posts.json") - walks == 1
    assert server.count("/t/") == 0


def test_topic_flags_likes_and_accepted_answers(discourse: Server) -> None:
    server, url = discourse
    topic = server.add_topic(2, "Printer", "Werkt de printer? > niet", NOW - timedelta(hours=3), 5)
    topic.tags = ["printer"]
    topic.closed = True
    answer = server.add_post(topic.id, 3, "> Werkt de printer?\n\nJa, nu wel.", NOW)
    answer.accepted = True
    answer.likes = {1, 2}
    full = make_discourse(url, own="1").fetch_thread(ThreadRef(str(topic.id), "5"))
    assert full.thread.resolved and full.thread.closed
    assert full.thread.accepted_post_remote_id == str(answer.id)
    assert full.thread.remote_tags == ("printer",)
    reply = next(p for p in full.posts if p.remote_id == str(answer.id))
    assert reply.text.startswith("> Werkt de printer?")
    assert reply.html and "<blockquote>" in reply.html
    assert {r.person_remote_id for r in reply.reactions} == {"1", ""}


def test_throttling_honours_wait_seconds(discourse: Server) -> None:
    server, url = discourse
    slept: list[float] = []
    conn = make_discourse(url)
    conn.http = type(conn.http)(
        conn.http.base_url,
        authorize=conn.http._authorize,
        throttle=conn.http._throttle,
        error_hook=conn.http._error_hook,
        sleep=slept.append,
    )
    server.faults.arm("/latest.json", "throttle", body=3)
    assert conn.list_containers()
    drain(conn, {})
    assert slept and slept[0] == pytest.approx(3, abs=0.05)


@pytest.mark.parametrize("kind", ["malformed", "html"])
def test_bad_bodies_fail_the_sync_with_a_clear_error(discourse: Server, kind: str) -> None:
    server, url = discourse
    seed_topics(server, 3)
    server.faults.arm("/latest.json", kind)
    with pytest.raises(MalformedResponse) as info:
        drain(make_discourse(url), {})
    assert "JSON" in str(info.value)
    assert "discourse-admin-key" not in str(info.value)


def test_a_bad_key_is_an_auth_error(discourse: Server) -> None:
    _, url = discourse
    with pytest.raises(AuthError):
        make_discourse(url, secret="wrong").whoami()


def test_duplicate_ids_across_list_pages_are_delivered_once(discourse: Server) -> None:
    server, url = discourse
    seed_topics(server, 150, replies=0)
    real = server._latest

    def shifting(args: Any) -> Any:
        # A topic bumped while the client pages: everything moves down by one.
        if args.get("page") == "1":
            newest = max(server.topics.values(), key=lambda t: t.bumped_at)
            oldest = min(server.topics.values(), key=lambda t: t.bumped_at)
            oldest.bumped_at = newest.bumped_at + timedelta(seconds=1)
        return real(args)

    server._latest = shifting  # type: ignore[method-assign]
    pages = drain(make_discourse(url), {})
    ids = [t.remote_id for p in pages for t in p.threads]
    assert len(ids) == len(set(ids))


def ambiguous_reply(server: FakeDiscourse, url: str, user_key: bool) -> tuple[Any, Outgoing]:
    if user_key:
        server.users[1].admin = False
        conn = make_discourse(
            url, secret=server.user_key(1), user=None, options={"auth": "user_api_key"}, own="1"
        )
    else:
        conn = make_discourse(url, own="1")
    topic = server.add_topic(2, "Excel", "Kan iemand helpen?", NOW - timedelta(hours=3), 5)
    op = Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.REPLY,
        text=f"Ik help je ({uuid.uuid4().hex[:6]})",
        thread=ThreadRef(str(topic.id), "5"),
        first_attempt_at=NOW,
    )
    server.faults.arm("/posts.json", "after", status=502)
    with pytest.raises(AmbiguousError):
        conn.send(op)
    return conn, op


def test_an_ambiguous_reply_is_found_by_reading_back(discourse: Server) -> None:
    server, url = discourse
    conn, op = ambiguous_reply(server, url, user_key=False)
    found = conn.find_sent(op)
    assert found is not None and found.page is not None
    assert found.page.posts[0].text == op.text
    assert len([p for p in server.posts.values() if p.raw == op.text]) == 1


def test_just_posted_that_after_an_ambiguous_attempt_counts_as_sent(discourse: Server) -> None:
    server, url = discourse
    conn, op = ambiguous_reply(server, url, user_key=True)
    retry = Outgoing(**{**{f: getattr(op, f) for f in op.__slots__}, "attempt": 2})
    sent = conn.send(retry)
    assert sent.remote_id
    assert len([p for p in server.posts.values() if p.raw == op.text]) == 1
    # A first attempt refused as a duplicate stays refused: nothing proves it was ours.
    with pytest.raises(PermanentError) as info:
        conn.send(Outgoing(**{**{f: getattr(op, f) for f in op.__slots__}, "attempt": 1}))
    assert info.value.code == "just_posted_that"


def test_tags_dm_and_reply_to_a_post(discourse: Server) -> None:
    server, url = discourse
    conn = make_discourse(url, own="1")
    topic = server.add_topic(2, "VPN", "VPN stuk?", NOW - timedelta(hours=3), 5)
    post = server.add_post(topic.id, 3, "Bij mij ook", NOW - timedelta(hours=2))
    ref = ThreadRef(str(topic.id), "5")
    conn.send(Outgoing(str(uuid.uuid4()), OpKind.SET_TAGS, thread=ref, tags=("vpn", "urgent")))
    assert topic.tags == ["vpn", "urgent"]
    conn.send(Outgoing(str(uuid.uuid4()), OpKind.REPLY, "Welke versie?", ref, str(post.id)))
    assert server.posts[topic.post_ids[-1]].reply_to_post_number == 2
    from cm_console.domain.model import RemotePerson

    dm = conn.send(
        Outgoing(
            str(uuid.uuid4()),
            OpKind.DM,
            "Kun je hiernaar kijken?",
            recipients=(RemotePerson("3", "sven", "Sven"),),
        )
    )
    pm = server.topics[int(dm.thread_remote_id or 0)]
    assert pm.archetype == "private_message" and 3 in pm.allowed


def test_people_come_from_the_admin_list_or_the_directory(discourse: Server) -> None:
    server, url = discourse
    admin = {p.handle for p in make_discourse(url).list_people()}
    assert {"anouk", "tom", "sven"} <= admin
    server.users[1].admin = False
    member = make_discourse(
        url, secret=server.user_key(1), user=None, options={"auth": "user_api_key"}
    )
    assert {"anouk", "tom", "sven"} <= {p.handle for p in member.list_people()}


class BrowserUI:
    """Plays the person: follows the page's redirects back to the console, or pastes."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open_url(self, url: str) -> bool:
        self.opened.append(url)
        if "auth_redirect" in url:
            requests.get(url, timeout=10)
        return True

    def show(self, message: str) -> None:
        raise AssertionError(f"unexpected message: {message}")

    def ask(self, prompt: str) -> str:
        page = requests.get(self.opened[-1], timeout=10).text
        return page.split("<pre id='payload'>")[1].split("</pre>")[0]


@pytest.mark.parametrize("mode", ["loopback", "paste"])
def test_user_api_key_browser_login(discourse: Server, mode: str) -> None:
    server, url = discourse
    ui = BrowserUI()
    result = DiscourseConnector.interactive_login(
        LoginMethod.BROWSER,
        AccountConfig(name="f", url=url, options={"login_redirect": mode}),
        ConnectorContext(),
        ui,
    )
    assert result.options["auth"] == "user_api_key"
    assert "public_key=" in ui.opened[0] and "nonce=" in ui.opened[0]
    assert result.secret.reveal() in server.user_keys
    conn = make_discourse(
        url, secret=result.secret.reveal(), user=None, options=dict(result.options)
    )
    assert conn.whoami().handle == "anouk"
