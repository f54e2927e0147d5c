"""Discourse and Slack through the command line: real processes against real fixture servers."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.test_cli import run
from tests.helpers.fake_discourse import ADMIN_KEY, FakeDiscourse
from tests.helpers.fake_slack import FakeSlack
from tests.helpers.wsgi import serve
from tests.integration.connectors.discourse_world import NOW, seeded_server
from tests.integration.connectors.slack_world import seeded_server as seeded_slack


@pytest.fixture
def forum() -> Iterator[tuple[FakeDiscourse, str, dict[str, int]]]:
    server = seeded_server()
    hours = lambda h: NOW - timedelta(hours=h)  # noqa: E731
    ids = {}
    ids["unanswered"] = server.add_topic(2, "Verlof", "Hoe vraag ik verlof aan?", hours(6), 5).id
    stalled = server.add_topic(2, "VPN", "De VPN valt steeds weg.", hours(120), 5)
    server.add_post(stalled.id, 3, "Welke versie van de client heb je?", hours(96))
    ids["stalled"] = stalled.id
    answered = server.add_topic(2, "Printer", "Waar staat de printer?", hours(5), 6)
    server.add_post(answered.id, 3, "Op de tweede verdieping.", hours(4))
    ids["answered"] = answered.id
    solved = server.add_topic(2, "Wifi", "Wifi werkt niet?", hours(30), 5)
    server.add_post(solved.id, 3, "Herstart de router.", hours(29)).accepted = True
    ids["resolved"] = solved.id
    ids["broadcast"] = server.add_topic(1, "Nieuws", "De kantine is dicht.", hours(10), 6).id
    with serve(server) as url:
        yield server, url, ids


@pytest.fixture
def workspace() -> Iterator[tuple[FakeSlack, str, dict[str, str]]]:
    server = seeded_slack()
    ts = {}
    ts["unanswered"] = server.post(
        "C100", "U002", "Weet iemand het wifi-wachtwoord?", NOW - timedelta(hours=5)
    )["ts"]
    stalled = server.post("C100", "U002", "Mijn laptop start niet op.", NOW - timedelta(hours=72))
    server.post(
        "C100",
        "U003",
        "Heb je hem al aan de lader gehad?",
        NOW - timedelta(hours=60),
        thread_ts=stalled["ts"],
    )
    ts["stalled"] = stalled["ts"]
    server.post("C100", "U003", "", NOW - timedelta(hours=3), subtype="channel_join")
    with serve(server) as url:
        yield server, url + "api/", ts


def test_add_sync_queue_reply_sync(
    tmp_path: Path,
    forum: tuple[FakeDiscourse, str, dict[str, int]],
    workspace: tuple[FakeSlack, str, dict[str, str]],
) -> None:
    d_server, d_url, topics = forum
    s_server, s_url, messages = workspace
    profile = tmp_path / "profile"
    env = {"D_KEY": ADMIN_KEY, "S_TOKEN": s_server.token("U001")}
    run(
        profile,
        "account",
        "add",
        "discourse",
        "--name",
        "forum",
        "--url",
        d_url,
        "--user",
        "anouk",
        "--token-env",
        "D_KEY",
        env=env,
    )
    run(
        profile,
        "account",
        "add",
        "slack",
        "--name",
        "ws",
        "--url",
        s_url,
        "--token-env",
        "S_TOKEN",
        env=env,
    )
    run(profile, "sync")
    items = json.loads(run(profile, "queue", "--view", "all", "--json").stdout)
    state = {i["key"]: i["state"] for i in items}
    for expected, tid in topics.items():
        assert state[f"forum/{tid}"] == expected, (expected, state)
    assert state[f"ws/C100/{messages['unanswered']}"] == "unanswered"
    assert state[f"ws/C100/{messages['stalled']}"] == "stalled"
    assert len([k for k in state if k.startswith("ws/")]) == 2  # the join event is no thread
    slack_item = next(i for i in items if i["key"] == f"ws/C100/{messages['unanswered']}")
    assert slack_item["title"] == "Weet iemand het wifi-wachtwoord?"
    assert slack_item["container"] == "#it-help"

    run(profile, "reply", f"forum/{topics['unanswered']}", "--text", "Via het HR-portaal.")
    run(
        profile,
        "reply",
        f"ws/C100/{messages['unanswered']}",
        "--text",
        "Staat op de intranetpagina.",
    )
    run(profile, "sync")
    run(profile, "sync")  # a second sync must not send anything twice
    mine = [(p.user_id, p.raw) for p in d_server.replies(topics["unanswered"])]
    assert mine == [(1, "Via het HR-portaal.")]
    replies = s_server.replies_of("C100", messages["unanswered"])
    assert [(m["user"], m["text"]) for m in replies] == [("U001", "Staat op de intranetpagina.")]
    ops = json.loads(run(profile, "outbox", "--json").stdout)
    assert sorted(op["state"] for op in ops) == ["sent", "sent"]
    after = {i["key"]: i["state"] for i in json.loads(run(profile, "queue", "--json").stdout)}
    assert f"forum/{topics['unanswered']}" not in after
    # The keys went to the keyring only: not the database, its WAL, the logs or any cache.
    for path in profile.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert env["D_KEY"].encode() not in data, path
            assert env["S_TOKEN"].encode() not in data, path


def test_discourse_browser_sign_in_through_the_cli(
    tmp_path: Path, forum: tuple[FakeDiscourse, str, dict[str, int]]
) -> None:
    server, url, topics = forum
    server.users[1].admin = False
    # The "system browser" approves the key page and follows Discourse's redirect back.
    browser = (
        f"{sys.executable} -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1])' %s"
    )
    profile = tmp_path / "profile"
    out = run(
        profile,
        "account",
        "add",
        "discourse",
        "--name",
        "forum",
        "--url",
        url,
        "--login",
        "browser",
        env={"BROWSER": browser},
    )
    assert "added forum" in out.stdout
    accounts = json.loads(run(profile, "account", "list", "--json").stdout)
    assert accounts[0]["options"]["auth"] == "user_api_key"
    assert accounts[0]["options"]["client_id"].startswith("cm-console-")
    run(profile, "sync")
    items = json.loads(run(profile, "queue", "--json").stdout)
    assert [i["key"] for i in items if i["state"] == "unanswered"] == [
        f"forum/{topics['unanswered']}"
    ]
    key = next(iter(server.user_keys))
    for path in profile.rglob("*"):
        if path.is_file():
            assert key.encode() not in path.read_bytes(), path
