"""Slack specifics: windowed re-sync economy, subtypes, ok:false errors, markers and sign-in."""

from __future__ import annotations

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
from cm_console.domain.outbox import OpKind
from tests.helpers.fake_slack import FakeSlack
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
