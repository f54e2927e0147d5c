"""Discourse specifics: request economy, normalization, faults, reconciliation and sign-in."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

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
    RateLimited,
)
from cm_console.domain.model import Account, Page, PostKind
from cm_console.domain.outbox import OpKind, OpState
from cm_console.domain.planning import StarterKind, StarterPlan, StarterStatus
from cm_console.store import Store
from cm_console.store.planner import payload_of
from cm_console.sync.outbox import Sender
from tests.helpers.fake_discourse import SMALL_ACTION, WHISPER, FakeDiscourse
from tests.helpers.tcp_proxy import TcpProxy
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


# --- conversation starters: new topics ----------------------------------------------------------


def starter(text: str, *, title: str = "", category: str = "5", **kw: Any) -> Outgoing:
    return Outgoing(
        op_id=str(uuid.uuid4()),
        kind=OpKind.POST,
        text=text,
        title=title,
        container_remote_id=category,
        first_attempt_at=NOW,
        **kw,
    )


def test_a_starter_creates_one_topic_in_its_category(discourse: Server) -> None:
    server, url = discourse
    conn = make_discourse(url, own="1")
    op = starter(
        "Wie heeft er al een nieuwe laptop gekregen? Hoe bevalt hij?",
        title="Ervaringen met de nieuwe laptops",
        category="7",
    )
    sent = conn.send(op)
    (topic,) = server.topics_titled("nieuwe laptops")
    assert (topic.title, topic.category_id, topic.user_id) == (
        "Ervaringen met de nieuwe laptops",
        7,
        1,
    )
    first = server.posts[topic.post_ids[0]]
    assert first.raw == op.text
    assert (sent.remote_id, sent.thread_remote_id) == (str(first.id), str(topic.id))
    assert sent.page is not None
    assert [t.remote_id for t in sent.page.threads] == [str(topic.id)]
    assert sent.page.threads[0].container_remote_id == "7"
    assert sent.page.posts[0].is_root and sent.page.posts[0].remote_id == str(first.id)


def test_an_untitled_starter_takes_its_first_line_as_the_title(discourse: Server) -> None:
    server, url = discourse
    conn = make_discourse(url)
    conn.send(
        starter(
            "wat is jullie favoriete sneltoets in Excel?\n\n"
            "Ik verzamel tips voor de nieuwsbrief van volgende week."
        )
    )
    (topic,) = server.topics_titled("sneltoets")
    # Discourse prettifies the title; the body does not repeat it.
    assert topic.title == "Wat is jullie favoriete sneltoets in Excel?"
    assert server.posts[topic.post_ids[0]].raw == (
        "Ik verzamel tips voor de nieuwsbrief van volgende week."
    )
    paragraph = "Vanaf maandag werkt de koffieautomaat op de derde verdieping " * 3
    conn.send(starter(paragraph.strip()))
    (long,) = server.topics_titled("koffieautomaat")
    assert long.title.endswith("…") and len(long.title) <= 100
    assert server.posts[long.post_ids[0]].raw == paragraph.strip()


def test_a_poll_starter_is_a_native_poll(discourse: Server) -> None:
    server, url = discourse
    conn = make_discourse(url)
    sent = conn.send(starter("Waar gaat het teamuitje heen?", poll_options=("Hei", "Strand")))
    topic = server.topics[int(sent.thread_remote_id or 0)]
    assert topic.title == "Waar gaat het teamuitje heen?"
    assert server.posts[topic.post_ids[0]].raw == (
        "[poll type=regular results=always]\n* Hei\n* Strand\n[/poll]"
    )
    titled = conn.send(
        starter("Waar gaan we heen?", title="Teamuitje in juni", poll_options=("Hei", "Strand"))
    )
    raw = server.posts[int(titled.remote_id)].raw
    assert (
        raw == "Waar gaan we heen?\n\n[poll type=regular results=always]\n* Hei\n* Strand\n[/poll]"
    )
    # The read-back compares the stored operation as it was sent: the poll block included.
    op = starter("Waar gaan we heen?", title="Teamuitje in juni", poll_options=("Hei", "Strand"))
    found = conn.find_sent(op)
    assert found is not None and found.remote_id == titled.remote_id


def test_refusals_are_clear_and_create_nothing(discourse: Server) -> None:
    server, url = discourse
    conn = make_discourse(url)
    before = len(server.topics)
    with pytest.raises(PermanentError) as short:
        conn.send(starter("Wie komt er vrijdag naar de borrel in de kantine?", title="Borrel"))
    assert short.value.code == "unprocessable"
    assert "Title is too short (minimum is 15 characters)" in str(short.value)
    assert "'Borrel'" in str(short.value)
    server.add_topic(2, "Parkeren bij kantoor", "Waar parkeer ik?", NOW - timedelta(hours=1), 5)
    with pytest.raises(PermanentError) as taken:
        conn.send(starter("Er zijn nieuwe plekken bijgekomen.", title="Parkeren bij kantoor"))
    assert taken.value.code == "title_taken"
    assert "another title" in str(taken.value)
    # A category a regular member may read but not start topics in: refused, not an auth error.
    server.users[1].admin = False
    server.create_restricted.add(6)
    member = make_discourse(
        url, secret=server.user_key(1), user=None, options={"auth": "user_api_key"}
    )
    with pytest.raises(PermanentError) as forbidden:
        member.send(starter("Nieuwe regeling voor thuiswerken", title="Thuiswerken", category="6"))
    assert not isinstance(forbidden.value, AuthError)
    assert forbidden.value.code == "forbidden"
    assert "category 6" in str(forbidden.value)
    assert len(server.topics) == before + 1  # only the seeded one


def test_a_throttled_starter_is_retryable_with_discourses_delay(discourse: Server) -> None:
    server, url = discourse
    conn = make_discourse(url)
    server.faults.arm("/posts.json", "throttle", body=7)
    with pytest.raises(RateLimited) as info:
        conn.send(starter("Wat lezen jullie deze zomer?", title="Zomerboeken gezocht"))
    assert info.value.retry_after == timedelta(seconds=7)
    assert server.topics_titled("Zomerboeken") == []


def test_title_taken_after_an_ambiguous_attempt_counts_as_sent(discourse: Server) -> None:
    server, url = discourse
    conn = make_discourse(url)
    op = starter("Wie helpt mee met de kerstborrel?", title="Vrijwilligers voor de kerstborrel")
    server.faults.arm("/posts.json", "after", status=502)
    with pytest.raises(AmbiguousError):
        conn.send(op)
    sent = conn.send(dataclasses.replace(op, attempt=2))
    (topic,) = server.topics_titled("kerstborrel")
    assert sent.thread_remote_id == str(topic.id)
    assert sent.remote_id == str(topic.post_ids[0])


def account_for(store: Store, conn: DiscourseConnector) -> Account:
    account = store.accounts.add(
        name="forum",
        platform="discourse",
        platform_kind=conn.info.kind,
        url=None,
        username="anouk",
        options={},
        now=NOW,
    )
    store.accounts.set_own_person(account.id, "1")
    return account


def sync(store: Store, account: Account, conn: DiscourseConnector, at: datetime) -> None:
    for page in conn.fetch(store.sync_state.cursors(account.id)):
        store.ingest.page(account.id, page, at)
    store.recompute_account(account.id)


def schedule(store: Store, account: Account, title: str, text: str) -> str:
    container = next(c for c in store.accounts.containers(account.id) if c.remote_id == "5")
    plan = StarterPlan(
        account_id=account.id,
        container_id=container.id,
        kind=StarterKind.POST,
        title=title,
        text=text,
        scheduled_at=NOW,
    )
    return store.planner.schedule(plan, payload_of(plan, "5"), NOW, None).op_id


def test_a_dropped_connection_after_the_topic_was_created_never_posts_it_twice(
    discourse: Server, sqlite_store: Store
) -> None:
    """The planner's starter reaches Discourse, the connection drops before the answer: the
    outbox reads it back instead of posting again, and the topic syncs back as its thread."""
    server, url = discourse
    server.add_topic(2, "Welkom op het forum", "Stel je voor!", NOW - timedelta(days=2), 5)
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 80)
    try:
        conn = make_discourse(f"http://127.0.0.1:{proxy.port}/", own="1")
        account = account_for(sqlite_store, conn)
        sync(sqlite_store, account, conn, NOW)
        op_id = schedule(
            sqlite_store,
            account,
            "Wat is jullie beste thuiswerktip?",
            "Deel je tip, de leukste komen in de nieuwsbrief.",
        )
        server.on_create = lambda _post: proxy.cut()
        sender = Sender(sqlite_store, lambda: NOW)
        first = sender.drain(account, conn, holder="test")
        assert first.unknown == [op_id]
        lost = sqlite_store.outbox.get(op_id)
        assert lost is not None and lost.last_error_code == "connection_lost", lost
        server.on_create = None
        proxy.restore()
        second = sender.drain(
            account, make_discourse(f"http://127.0.0.1:{proxy.port}/", own="1"), holder="test"
        )
    finally:
        proxy.stop()
    assert second.reconciled == [op_id]
    (topic,) = server.topics_titled("thuiswerktip")
    op = sqlite_store.outbox.get(op_id)
    assert op is not None and op.state is OpState.SENT
    assert op.remote_id == str(topic.post_ids[0])
    # A colleague answers; the next sync links the starter to its topic and measures it.
    server.add_post(topic.id, 2, "Elk uur even naar buiten!", NOW + timedelta(minutes=30))
    sync(sqlite_store, account, make_discourse(url, own="1"), NOW + timedelta(hours=1))
    (planned,) = sqlite_store.planner.list()
    assert planned.status is StarterStatus.SENT
    assert planned.outcome is not None
    assert planned.outcome.thread_key == f"forum/{topic.id}"
    assert (planned.outcome.replies, planned.outcome.responders) == (1, 1)
    assert planned.outcome.first_reply_at == NOW + timedelta(minutes=30)


def test_a_refused_starter_fails_with_the_reason_and_stays_in_the_planner(
    discourse: Server, sqlite_store: Store
) -> None:
    server, url = discourse
    server.add_topic(2, "Welkom op het forum", "Stel je voor!", NOW - timedelta(days=2), 5)
    conn = make_discourse(url, own="1")
    account = account_for(sqlite_store, conn)
    sync(sqlite_store, account, conn, NOW)
    op_id = schedule(sqlite_store, account, "Lunch", "Wie gaat er mee naar de nieuwe lunchzaak?")
    result = Sender(sqlite_store, lambda: NOW).drain(account, conn, holder="test")
    assert result.failed == [op_id]
    (planned,) = sqlite_store.planner.list()
    assert planned.status is StarterStatus.PROBLEM
    assert planned.error is not None and "Title is too short" in planned.error
    assert planned.text == "Wie gaat er mee naar de nieuwe lunchzaak?"
    assert server.topics_titled("Lunch") == []
