"""Teams through the command line as a user runs it: real processes against a fake Graph."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.test_cli import run
from tests.helpers.fake_entra import FakeEntra, Identity, LocalCA
from tests.helpers.fake_graph import FakeGraph, plain
from tests.helpers.fixture_server import serving
from tests.integration.connectors.test_microsoft_signin import encryption_available

TEAM = "7c1e0f7a-0000-4000-8000-000000000001"
CHANNEL = "19:helpdesk@thread.tacv2"
TOKEN_ENV = {"CMC_TEAMS_TOKEN": "e2e-access-token"}


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with serving(FakeGraph()) as api:
        assert isinstance(api, FakeGraph)
        yield api


def seed(graph: FakeGraph) -> dict[str, str]:
    """Four conversations, one in each state the queue cares about (times relative to now)."""
    now = datetime.now(UTC)
    graph.add_user("u-me", "Community Manager", token="e2e-access-token")
    graph.add_user("u-tom", "Tom Bakker")
    graph.add_user("u-sven", "Sven de Groot")
    graph.add_channel(TEAM, "Intranet", CHANNEL, "Helpdesk")

    def root(text: str, hours: float) -> str:
        body = f"<p>{html.escape(text)}</p>"
        return graph.post_root(TEAM, CHANNEL, "u-tom", body, now - timedelta(hours=hours))

    def reply(root_id: str, user: str, text: str, hours: float) -> None:
        body = f"<p>{html.escape(text)}</p>"
        graph.post_reply(TEAM, CHANNEL, root_id, user, body, now - timedelta(hours=hours))

    unanswered = root("Hoe vraag ik verlof aan?", 6)
    answered = root("De printer op 3 doet het niet.", 10)
    reply(answered, "u-sven", "Opgelost, de toner zat verkeerd.", 9)
    stalled = root("Wie weet hoe de nieuwe VPN werkt?", 72)
    reply(stalled, "u-sven", "Heb je de app al geinstalleerd?", 60)
    awaiting = root("Is de kantine open?", 8)
    reply(awaiting, "u-me", "Ja, tot 14 uur.", 7)
    reply(awaiting, "u-tom", "En morgen ook?", 6)
    graph.post_root(
        TEAM, CHANNEL, None, "<p>Sven joined</p>", now, message_type="systemEventMessage"
    )
    return {
        "unanswered": f"{CHANNEL}/{unanswered}",
        "answered": f"{CHANNEL}/{answered}",
        "stalled": f"{CHANNEL}/{stalled}",
        "awaiting": f"{CHANNEL}/{awaiting}",
    }


def test_teams_account_sync_queue_and_reply(graph: FakeGraph, profile: Path) -> None:
    threads = seed(graph)
    added = run(
        profile,
        "account",
        "add",
        "teams",
        "--name",
        "work",
        "--url",
        f"{graph.base_url}/v1.0",
        "--token-env",
        "CMC_TEAMS_TOKEN",
        env=TOKEN_ENV,
    )
    assert "added work (Microsoft Teams)" in added.stdout
    run(profile, "sync")

    every = json.loads(run(profile, "queue", "--view", "all", "--json").stdout)
    states = {item["remote_id"]: item["state"] for item in every}
    assert states == {tid: state for state, tid in threads.items()}
    first = next(i for i in every if i["remote_id"] == threads["unanswered"])
    assert first["platform"] == "teams" and first["container"] == "Helpdesk"
    assert first["key"] == f"work/{threads['unanswered']}"
    assert first["title"] == "Hoe vraag ik verlof aan?" and first["author"] == "Tom Bakker"
    answered = next(i for i in every if i["remote_id"] == threads["answered"])
    assert answered["reply_count"] == 1

    queue = json.loads(run(profile, "queue", "--json").stdout)
    assert {i["remote_id"] for i in queue} == {
        threads["unanswered"],
        threads["stalled"],
        threads["awaiting"],
    }

    text = "Via het HR-portaal, onder Verlof & afwezigheid."
    out = run(profile, "reply", f"work/{threads['unanswered']}", "--text", text)
    assert "queued" in out.stdout
    run(profile, "sync")
    run(profile, "sync")  # a second sync must not send it again
    root_id = threads["unanswered"].split("/")[1]
    replies = graph.replies(TEAM, CHANNEL, root_id)
    assert [(r["from"]["user"]["id"], plain(r["body"]["content"])) for r in replies] == [
        ("u-me", text)
    ]
    shown = json.loads(run(profile, "show", f"work/{threads['unanswered']}", "--json").stdout)
    assert [op["state"] for op in shown["outbox"]] == ["sent"]
    assert [p["text"] for p in shown["posts"] if p["team"]] == [text]
    assert shown["state"] == "answered"

    # The token went to the keyring only: not into the database or the logs.
    for path in profile.rglob("*"):
        if path.is_file():
            assert b"e2e-access-token" not in path.read_bytes(), path


def test_teams_device_code_sign_in_through_the_cli(
    graph: FakeGraph, profile: Path, tmp_path: Path
) -> None:
    seed(graph)
    ca = LocalCA()
    me = Identity("u-me", "tenant-0001", "cm@contoso.example", "Community Manager")
    entra = FakeEntra([(graph.tokens, "u-me")], me)
    # The subprocess trusts the test CA through the environment of this test only.
    env = {"REQUESTS_CA_BUNDLE": str(ca.bundle(tmp_path))}
    with serving(entra, ca.server_context()):
        add = [
            "account",
            "add",
            "teams",
            "--url",
            f"{graph.base_url}/v1.0",
            "--login",
            "device",
            "--option",
            f"tenant={entra.tenant}",
            "--option",
            f"client_id={entra.client_id}",
            "--option",
            f"authority={entra.base_url}",
        ]
        if not encryption_available(tmp_path):
            refused = run(profile, *add, "--name", "safe", check=False, env=env)
            assert refused.returncode == 1 and "Traceback" not in refused.stderr
            assert "token_cache=plaintext" in refused.stderr
            assert json.loads(run(profile, "account", "list", "--json").stdout) == []
        added = run(profile, *add, "--name", "m365", "--option", "token_cache=plaintext", env=env)
        assert "ABCD-EFGH" in added.stderr
        assert "WITHOUT encryption" in added.stderr
        (report,) = json.loads(run(profile, "sync", "--json", env=env).stdout)
    assert report["ok"] and report["account"] == "m365" and report["new_threads"] == 4
    # Tokens live in the MSAL cache the user chose to keep unencrypted, nowhere else.
    for path in profile.rglob("*"):
        if path.is_file() and "msal" not in path.parts:
            assert b"CANARY" not in path.read_bytes(), path
