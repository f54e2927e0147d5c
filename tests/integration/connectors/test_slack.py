"""Slack specifics: windowed re-sync economy, subtypes, ok:false errors, markers and sign-in."""

from __future__ import annotations

import dataclasses
import json
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
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    MalformedResponse,
    NotFound,
    PermanentError,
    RateLimited,
)
from cm_console.connectors.slack.connector import SlackConnector
from cm_console.domain.model import Page, PostKind, RemotePerson, Secret
from cm_console.domain.outbox import OpKind, OpState
from cm_console.domain.planning import StarterStatus
from cm_console.store import Store
from tests.helpers.fake_slack import FakeSlack
from tests.helpers.starter_outbox import current, schedule, send_due, sync
from tests.integration.connectors.slack_world import NOW, make_slack, slack

__all__ = ["slack"]
Server = tuple[FakeSlack, str]


def drain(conn: SlackConnector, cursors: dict[str, Any]) -> list[Page]:
    pages = []
    for page in conn.fetch(cursors):
        pages.append(page)
        cursors[page.scope] = page.cursor
    return pages


def posts_of(pages: list[Page]) -> dict[str, Any]:
    return {p.remote_id: p for page in pages for p in page.posts}


def test_quiet_resync_costs_one_request_per_channel(slack: Server) -> None:
    server, url = slack
    for i in range(30):
        m = server.post("C100", "U002", f"Vraag {i}?", NOW - timedelta(hours=40 - i))
        server.post("C100", "U003", "Antwoord", NOW - timedelta(hours=39 - i), thread_ts=m["ts"])
    server.post("C200", "U002", "Hallo allemaal", NOW - timedelta(hours=2))
    conn = make_slack(url, server.token("U001"))
    cursors: dict[str, Any] = {}
    pages = drain(conn, cursors)
    assert len({t.remote_id for p in pages for t in p.threads}) == 31
    assert server.calls("conversations.replies") == 30
    server.requests.clear()
    assert drain(conn, cursors) == []
    assert server.requests == ["conversations.history", "conversations.history"]


def test_new_reply_in_an_old_thread_rereads_only_that_thread(slack: Server) -> None:
    server, url = slack
    roots = [
        server.post("C100", "U002", f"Vraag {i}?", NOW - timedelta(days=3, hours=i))
        for i in range(5)
    ]
    conn = make_slack(url, server.token("U001"))
    cursors: dict[str, Any] = {}
    drain(conn, cursors)
    server.requests.clear()
    reply = server.post("C100", "U003", "Gevonden!", NOW, thread_ts=roots[2]["ts"])
    posts = posts_of(drain(conn, cursors))
    assert f"C100/{reply['ts']}" in posts
    assert posts[f"C100/{reply['ts']}"].thread_remote_id == f"C100/{roots[2]['ts']}"
    assert server.calls("conversations.replies") == 1


def test_subtypes_bots_broadcasts_edits_and_deletions(slack: Server) -> None:
    server, url = slack
    root = server.post("C100", "U002", "Wie kan mij helpen?", NOW - timedelta(hours=5))
    server.post("C100", "U004", "", NOW - timedelta(hours=5), subtype="channel_join")
    server.post(
        "C100", None, "Deploy done", NOW - timedelta(hours=4), subtype="bot_message", bot_id="B001"
    )
    bot_reply = server.post(
        "C100",
        None,
        "Ticket aangemaakt",
        NOW - timedelta(hours=4),
        thread_ts=root["ts"],
        subtype="bot_message",
        bot_id="B001",
    )
    broadcast = server.post(
        "C100",
        "U003",
        "Zie <@U002|tom>: <https://wiki.example/vpn|de wiki> &amp; meer",
        NOW - timedelta(hours=3),
        thread_ts=root["ts"],
        broadcast=True,
    )
    gone = server.post("C100", "U003", "Oeps", NOW - timedelta(hours=3), thread_ts=root["ts"])
    server.react("C100", root["ts"], "U003", "eyes")
    conn = make_slack(url, server.token("U001"))
    cursors: dict[str, Any] = {}
    pages = drain(conn, cursors)
    threads = {t.remote_id for p in pages for t in p.threads}
    assert len(threads) == 2  # the question and the bot's announcement; no join event
    posts = posts_of(pages)
    assert posts[f"C100/{bot_reply['ts']}"].kind is PostKind.NOTICE
    assert posts[f"C100/{bot_reply['ts']}"].by_bot
    b = posts[f"C100/{broadcast['ts']}"]
    assert b.thread_remote_id == f"C100/{root['ts']}" and not b.is_root
    assert b.text == "Zie @tom: de wiki & meer"
    assert posts[f"C100/{root['ts']}"].reactions[0].person_remote_id == "U003"
    server.edit("C100", root["ts"], "Wie kan mij helpen met de VPN?", NOW)
    server.delete("C100", gone["ts"])
    pages = drain(conn, cursors)
    assert posts_of(pages)[f"C100/{root['ts']}"].edited_at is not None
    assert f"C100/{gone['ts']}" in {d for p in pages for d in p.deleted_post_ids}
    server.delete("C100", root["ts"])  # has replies: a tombstone stays
    assert posts_of(drain(conn, cursors))[f"C100/{root['ts']}"].deleted


def test_shared_files_arrive_as_attachment_names(slack: Server) -> None:
    server, url = slack
    root = server.post("C100", "U002", "Wie kan dit nakijken?", NOW - timedelta(hours=3))
    reply = server.post(
        "C100",
        "U003",
        "Hierbij, met de foto",
        NOW - timedelta(hours=2),
        thread_ts=root["ts"],
        files=[
            {"id": "F1", "name": "Offerte Müller & Zn.pdf", "mimetype": "application/pdf"},
            {"id": "F2", "name": "../../IMG\u202egpj.exe", "mimetype": "image/jpeg"},
            {"id": "F3", "mode": "tombstone"},  # a file deleted since: no name left
        ],
    )
    posts = posts_of(drain(make_slack(url, server.token("U001")), {}))
    assert posts[f"C100/{reply['ts']}"].attachments == ("Offerte Müller & Zn.pdf", "IMGgpj.exe")
    assert posts[f"C100/{root['ts']}"].attachments == ()


def test_a_deleted_root_without_replies_becomes_a_tombstone(slack: Server) -> None:
    server, url = slack
    m = server.post("C100", "U002", "Verkeerd kanaal, sorry", NOW - timedelta(hours=1))
    conn = make_slack(url, server.token("U001"))
    cursors: dict[str, Any] = {}
    drain(conn, cursors)
    server.delete("C100", m["ts"])
    pages = drain(conn, cursors)
    assert [d for p in pages for d in p.deleted_post_ids] == [f"C100/{m['ts']}"]


@pytest.mark.parametrize(
    ("error", "cls"),
    [
        ("invalid_auth", AuthError),
        ("token_revoked", AuthError),
        ("channel_not_found", NotFound),
        ("not_in_channel", PermanentError),
        ("msg_too_long", PermanentError),
        ("fatal_error", AmbiguousError),
    ],
)
def test_ok_false_errors_map_to_classes_and_clear_messages(
    slack: Server, error: str, cls: type[Exception]
) -> None:
    server, url = slack
    root = server.post("C100", "U002", "Vraag?", NOW - timedelta(hours=3))
    conn = make_slack(url, server.token("U001"))
    server.faults.arm("/api/chat.postMessage", "ok_false", body=error)
    op = Outgoing(
        str(uuid.uuid4()), OpKind.REPLY, "Antwoord", ThreadRef(f"C100/{root['ts']}", "C100")
    )
    with pytest.raises(cls) as info:
        conn.send(op)
    assert info.value.code == error  # type: ignore[attr-defined]
    assert "xoxp" not in str(info.value)


def test_real_refusals_from_the_workspace(slack: Server) -> None:
    server, url = slack
    secret = server.post("C300", "U002", "Geheim", NOW - timedelta(hours=3))
    conn = make_slack(url, server.token("U001"))
    with pytest.raises(PermanentError) as info:
        conn.send(Outgoing("x", OpKind.REPLY, "Hoi", ThreadRef(f"C300/{secret['ts']}", "C300")))
    assert info.value.code == "not_in_channel" and "member" in str(info.value)
    with pytest.raises(AuthError):
        make_slack(url, "xoxp-revoked").whoami()


def test_throttling_and_malformed_answers(slack: Server) -> None:
    server, url = slack
    server.post("C100", "U002", "Vraag?", NOW - timedelta(hours=3))
    conn = make_slack(url, server.token("U001"))
    slept: list[float] = []
    conn.http._sleep = slept.append
    conn.http.pacer._sleep = slept.append
    server.faults.arm("/api/conversations.history", "ratelimited", body=2)
    assert drain(conn, {})
    assert slept and slept[0] == pytest.approx(2, abs=0.05)
    server.faults.arm("/api/conversations.history", "malformed")
    with pytest.raises(MalformedResponse):
        drain(make_slack(url, server.token("U001")), {})
    server.faults.arm("/api/chat.postMessage", "ratelimited", body=30)
    with pytest.raises(RateLimited) as info:
        make_slack(url, server.token("U001")).send(
            Outgoing("y", OpKind.REPLY, "Hoi", ThreadRef("C100/1.0", "C100"))
        )
    assert info.value.retry_after == timedelta(seconds=30)


def test_the_outbox_marker_finds_an_ambiguous_reply(slack: Server) -> None:
    server, url = slack
    root = server.post("C100", "U002", "Vraag?", NOW - timedelta(hours=3))
    conn = make_slack(url, server.token("U001"), own="U001")
    op = Outgoing(
        str(uuid.uuid4()),
        OpKind.REPLY,
        "Ik kijk ernaar",
        ThreadRef(f"C100/{root['ts']}", "C100"),
        first_attempt_at=NOW,
    )
    server.faults.arm("/api/chat.postMessage", "after", status=500)
    with pytest.raises(AmbiguousError):
        conn.send(op)
    stored = server.replies_of("C100", root["ts"])[-1]
    assert stored["metadata"] == {"event_type": "cmc_outbox", "event_payload": {"op_id": op.op_id}}
    found = conn.find_sent(op)
    assert found is not None and found.remote_id == f"C100/{stored['ts']}"
    # Same text, other operation: only the author + text fallback could match, and does.
    twin = Outgoing(str(uuid.uuid4()), OpKind.REPLY, "Iets anders", op.thread, first_attempt_at=NOW)
    assert conn.find_sent(twin) is None


def test_dm_reaction_and_mention(slack: Server) -> None:
    server, url = slack
    root = server.post("C100", "U002", "Vraag?", NOW - timedelta(hours=3))
    conn = make_slack(url, server.token("U001"), own="U001")
    sven = RemotePerson("U003", "sven", "Sven")
    assert conn.mention_syntax(sven) == "<@U003>"
    op = Outgoing(
        str(uuid.uuid4()), OpKind.DM, "Kun jij kijken?", recipients=(sven,), first_attempt_at=NOW
    )
    sent = conn.send(op)
    dm = sent.remote_id.split("/")[0]
    assert server.channels[dm].is_im
    assert conn.find_sent(op) is not None
    ref = ThreadRef(f"C100/{root['ts']}", "C100")
    conn.send(Outgoing(str(uuid.uuid4()), OpKind.REACTION, thread=ref, emoji="eyes"))
    conn.send(Outgoing(str(uuid.uuid4()), OpKind.REACTION, thread=ref, emoji="eyes"))  # no error
    assert server.channels["C100"].messages[root["ts"]]["reactions"][0]["users"] == ["U001"]


class Browser:
    def open_url(self, url: str) -> bool:
        requests.get(url, timeout=10)
        return True

    def show(self, message: str) -> None:
        raise AssertionError(message)

    def ask(self, prompt: str) -> str:
        raise AssertionError(prompt)


def test_pkce_login_and_token_rotation(slack: Server) -> None:
    server, url = slack
    server.rotate = True
    result = SlackConnector.interactive_login(
        LoginMethod.BROWSER,
        AccountConfig(name="w", url=url, options={"client_id": "123.456"}),
        ConnectorContext(),
        Browser(),
    )
    bundle = json.loads(result.secret.reveal())
    assert bundle["refresh_token"].startswith("xoxe-") and bundle["client_id"] == "123.456"
    # An expired access token is renewed once and saved back to the keyring.
    bundle["expires_at"] = 0
    saved: list[Secret] = []
    conn = make_slack(url, json.dumps(bundle), save_secret=saved.append)
    assert conn.whoami().remote_id == "U001"
    assert (
        len(saved) == 1 and json.loads(saved[0].reveal())["access_token"] != bundle["access_token"]
    )


# --- new threads (conversation starters) ------------------------------------------------------


def top_level(server: FakeSlack, cid: str, needle: str) -> list[dict[str, Any]]:
    """Channel messages (not replies) whose text contains ``needle``."""
    return [
        m
        for m in server.channels[cid].messages.values()
        if m.get("thread_ts") in (None, m["ts"]) and needle in m["text"]
    ]


def test_a_starter_is_one_channel_message_marked_with_its_operation(
    slack: Server, sqlite_store: Store
) -> None:
    server, url = slack
    conn = make_slack(url, server.token("U001"))
    account = sync(sqlite_store, conn, NOW)
    starter = schedule(
        sqlite_store, account, "C100", NOW, title="Vrijdagvraag", text="Wat lees je nu?"
    )
    assert send_due(sqlite_store, account, conn, lambda: NOW).sent == [starter.op_id]
    (message,) = top_level(server, "C100", "Wat lees je nu?")
    assert message["text"] == "Vrijdagvraag\n\nWat lees je nu?"
    assert message["user"] == "U001" and "thread_ts" not in message
    assert message["metadata"]["event_payload"] == {"op_id": starter.op_id}
    assert top_level(server, "C200", "Wat lees je nu?") == []
    sent = current(sqlite_store, starter)
    assert sent.outcome is not None
    assert sent.outcome.thread_key == f"acct/C100/{message['ts']}"
    # The next sync reads it as the same thread; a colleague's answer counts for the starter.
    server.post("C100", "U003", "Een roman van Hella Haasse", thread_ts=message["ts"])
    sync(sqlite_store, conn, NOW)
    after = current(sqlite_store, starter)
    assert after.outcome is not None and after.outcome.thread_id == sent.outcome.thread_id
    assert after.outcome.replies == 1


def test_a_poll_is_sent_as_numbered_options_and_read_back_by_its_text(slack: Server) -> None:
    server, url = slack
    conn = make_slack(url, server.token("U001"))
    op = Outgoing(
        str(uuid.uuid4()),
        OpKind.POST,
        "Waar lunchen we vrijdag?",
        container_remote_id="C100",
        poll_options=("Kantine", "Buiten"),
        first_attempt_at=NOW,
    )
    sent = conn.send(op)
    (message,) = top_level(server, "C100", "Waar lunchen we")
    assert (
        message["text"] == "Waar lunchen we vrijdag?\n\n1\ufe0f\u20e3 Kantine\n2\ufe0f\u20e3 Buiten"
    )
    assert sent.remote_id == sent.thread_remote_id == f"C100/{message['ts']}"
    # A copy without its marker (metadata not returned) is still ours by author and text.
    del message["metadata"]
    found = conn.find_sent(op)
    assert found is not None and found.remote_id == sent.remote_id
    # Neither a colleague's message with the same text nor our own reply quoting it is ours.
    other = dataclasses.replace(op, op_id=str(uuid.uuid4()), text="Koffie of thee?")
    wanted = "Koffie of thee?\n\n1\ufe0f\u20e3 Kantine\n2\ufe0f\u20e3 Buiten"
    server.post("C100", "U002", wanted)
    server.post("C100", "U001", wanted, thread_ts=message["ts"])
    assert conn.find_sent(other) is None


def test_a_dropped_answer_is_found_by_its_marker_and_never_posted_twice(
    slack: Server, sqlite_store: Store
) -> None:
    server, url = slack
    token = server.token("U001")
    account = sync(sqlite_store, make_slack(url, token), NOW)
    starter = schedule(sqlite_store, account, "C100", NOW, text="Wie gaat er mee naar de beurs?")
    server.faults.arm("/api/chat.postMessage", "dropped")
    first = send_due(sqlite_store, account, make_slack(url, token), lambda: NOW)
    assert first.unknown == [starter.op_id], "the connection dropped: it may have arrived"
    assert len(top_level(server, "C100", "naar de beurs")) == 1
    second = send_due(sqlite_store, account, make_slack(url, token), lambda: NOW)
    assert second.reconciled == [starter.op_id]
    assert server.calls("chat.postMessage") == 1, "found by its marker, not sent again"
    (message,) = top_level(server, "C100", "naar de beurs")
    sent = current(sqlite_store, starter)
    assert sent.status is StarterStatus.SENT and sent.outcome is not None
    assert sent.outcome.thread_key == f"acct/C100/{message['ts']}"
    assert send_due(sqlite_store, account, make_slack(url, token), lambda: NOW).sent == []


def test_a_refused_or_throttled_starter_says_why_and_stays_in_the_outbox(
    slack: Server, sqlite_store: Store
) -> None:
    server, url = slack
    conn = make_slack(url, server.token("U001"))
    account = sync(sqlite_store, conn, NOW)
    server.channels["C100"].read_only = True
    starter = schedule(sqlite_store, account, "C100", NOW, text="Nieuwe koffieautomaat!")
    assert send_due(sqlite_store, account, conn, lambda: NOW).failed == [starter.op_id]
    refused = current(sqlite_store, starter)
    assert refused.status is StarterStatus.PROBLEM
    assert refused.error is not None and "read-only" in refused.error
    assert refused.text == "Nieuwe koffieautomaat!"
    assert top_level(server, "C100", "koffieautomaat") == []
    # Once the channel is open again, a retry sends it, once.
    server.channels["C100"].read_only = False
    assert sqlite_store.outbox.retry(starter.op_id, NOW)
    server.faults.arm("/api/chat.postMessage", "ratelimited", body=30)
    throttled = send_due(sqlite_store, account, make_slack(url, server.token("U001")), lambda: NOW)
    assert throttled.requeued == [starter.op_id]
    op = sqlite_store.outbox.get(starter.op_id)
    assert op is not None and op.state is OpState.QUEUED
    assert op.next_attempt_at is not None and op.next_attempt_at >= NOW + timedelta(seconds=30)
    later = op.next_attempt_at
    result = send_due(sqlite_store, account, make_slack(url, server.token("U001")), lambda: later)
    assert result.sent == [starter.op_id]
    assert len(top_level(server, "C100", "koffieautomaat")) == 1


def test_a_starter_needs_a_channel_and_text(slack: Server) -> None:
    server, url = slack
    conn = make_slack(url, server.token("U001"))
    with pytest.raises(PermanentError) as info:
        conn.send(Outgoing("z", OpKind.POST, "Hallo"))
    assert info.value.code == "no_container"
    with pytest.raises(PermanentError):
        conn.send(Outgoing("z", OpKind.POST, "  ", container_remote_id="C100"))
    with pytest.raises(NotFound):
        conn.send(Outgoing("z", OpKind.POST, "Hallo", container_remote_id="C999"))
    with pytest.raises(PermanentError, match="member"):
        conn.send(Outgoing("z", OpKind.POST, "Hallo", container_remote_id="C300"))
