"""Secrets canary: unique fake tokens through a full sync and sends, with DEBUG logging, then
every file the console could have written is searched for them.

Four platforms (Slack, Mattermost, Zulip, Teams) run through the command line as real
processes against their fixture servers, in one profile, with debug logging to stderr and the
log file. Home, config, cache, state and temp directories point into the test's own folder,
so whatever the console or a library writes anywhere is searched too: the database, its WAL
and shared memory, the logs, caches, settings and temp files, and every line printed. Each
token is searched as it is, URL-encoded, in base64 (Zulip's Basic header), and in UTF-16.
The keyring must hold each secret; nothing else may.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from keyrings.alt.file import PlaintextKeyring

from tests.e2e.test_cli_matrix_mattermost_zulip import seed
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.fake_mattermost import FakeMattermost
from tests.helpers.fake_zulip import FakeZulip
from tests.helpers.fixture_server import serving
from tests.helpers.wsgi import serve
from tests.integration.connectors.slack_world import seeded_server as seeded_slack
from tests.integration.connectors.test_mattermost_contract import MattermostWorld
from tests.integration.connectors.test_zulip_contract import ZulipWorld

MARK = "cAnArY7q"
CANARIES = {
    "slack": f"xoxp-{MARK}-slack-5d1f0a9e77",
    "mm": f"{MARK}mattermost0c4e1b2a9",  # no recognisable shape: the redactor cannot help
    "zulip": f"{MARK}zulipkey51ab3e90f",
    "teams": f"eyJ0eXAiOiJKV1QifQ.eyJ{MARK}dGVhbXMifQ.c2lnbmF0dXJl{MARK}",
}
ZULIP_EMAIL = "mona@example.test"
TEAM = "7c1e0f7a-0000-4000-8000-000000000001"
CHANNEL = "19:helpdesk@thread.tacv2"


def forms(secret: str) -> list[bytes]:
    """Every spelling of ``secret`` that could land in a file."""
    raw = [secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode()]
    raw.append(base64.b64encode(f"{ZULIP_EMAIL}:{secret}".encode()).decode())
    out = [r.encode() for r in raw]
    out.append(secret.encode("utf-16-le"))
    return out


@pytest.fixture
def platforms() -> Iterator[dict[str, object]]:
    slack = seeded_slack()
    slack.tokens[CANARIES["slack"]] = "U001"
    mattermost = FakeMattermost()
    mm_world = MattermostWorld(mattermost, now=datetime.now(UTC))
    mattermost.tokens[CANARIES["mm"]] = mm_world.me.remote_id
    zulip = FakeZulip()
    zulip_world = ZulipWorld(zulip, now=datetime.now(UTC))
    zulip.keys[ZULIP_EMAIL] = CANARIES["zulip"]
    now = datetime.now(UTC)
    slack_ts = slack.post("C100", "U002", "Wie weet het wifi-wachtwoord?", now - timedelta(hours=5))
    with serve(slack) as slack_url, serving(FakeGraph()) as graph:
        assert isinstance(graph, FakeGraph)
        graph.add_user("u-me", "Community Manager", token=CANARIES["teams"])
        graph.add_user("u-tom", "Tom Bakker")
        graph.add_channel(TEAM, "Intranet", CHANNEL, "Helpdesk")
        root = graph.post_root(TEAM, CHANNEL, "u-tom", "<p>Verlof?</p>", now - timedelta(hours=6))
        yield {
            "slack_url": slack_url + "api/",
            "slack_thread": f"ws/C100/{slack_ts['ts']}",
            "mm_url": mattermost.url,
            "mm_thread": seed(mm_world)["unanswered"],
            "zulip_url": zulip.url,
            "zulip_thread": seed(zulip_world)["unanswered"],
            "graph_url": f"{graph.base_url}/v1.0",
            "teams_thread": f"work/{CHANNEL}/{root}",
            "servers": (slack, mattermost, zulip, graph),
        }
    mattermost.stop()
    zulip.stop()


def test_canary_tokens_reach_the_keyring_and_nothing_else(
    tmp_path: Path, platforms: dict[str, object]
) -> None:
    root = tmp_path / "world"
    dirs = {name: root / name for name in ("home", "config", "cache", "state", "tmp", "profile")}
    for d in dirs.values():
        d.mkdir(parents=True)
    keyring_home = tmp_path / "keyring"
    env = {
        **os.environ,
        "HOME": str(dirs["home"]),
        "XDG_CONFIG_HOME": str(dirs["config"]),
        "XDG_CACHE_HOME": str(dirs["cache"]),
        "XDG_STATE_HOME": str(dirs["state"]),
        "TMPDIR": str(dirs["tmp"]),
        "XDG_DATA_HOME": str(keyring_home),
        "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
        "CMC_SLACK": CANARIES["slack"],
        "CMC_MM": CANARIES["mm"],
        "CMC_ZULIP": CANARIES["zulip"],
        "CMC_TEAMS": CANARIES["teams"],
    }
    env.pop("CM_CONSOLE_CREDENTIALS", None)
    printed: list[str] = []

    def cli(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "cm_console", "--profile", str(dirs["profile"]), "-v", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        printed.extend([proc.stdout, proc.stderr])
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout

    p = platforms
    cli("account", "add", "slack", "--name", "ws", "--url", str(p["slack_url"]),
        "--token-env", "CMC_SLACK")  # fmt: skip
    # A connection held open keeps the WAL file (and its frames) after each process exits.
    holder = sqlite3.connect(dirs["profile"] / "cm-console.sqlite3")
    holder.execute("SELECT count(*) FROM sqlite_master").fetchall()
    cli("account", "add", "mattermost", "--name", "mm", "--url", str(p["mm_url"]),
        "--token-env", "CMC_MM")  # fmt: skip
    cli("account", "add", "zulip", "--name", "zulip", "--url", str(p["zulip_url"]),
        "--user", ZULIP_EMAIL, "--token-env", "CMC_ZULIP")  # fmt: skip
    cli("account", "add", "teams", "--name", "work", "--url", str(p["graph_url"]),
        "--token-env", "CMC_TEAMS")  # fmt: skip
    cli("sync")
    threads = [
        str(p["slack_thread"]),
        f"mm/{p['mm_thread']}",
        f"zulip/{p['zulip_thread']}",
        str(p["teams_thread"]),
    ]
    for thread in threads:  # an unknown thread would fail the command: all four were synced
        cli("reply", thread, "--text", "Canary reply: the answer is on the intranet.")
    cli("sync")
    ops = json.loads(cli("outbox", "--json"))
    assert sorted(op["state"] for op in ops) == ["sent"] * 4
    assert any("DEBUG" in text for text in printed), "debug logging was on"

    # The keyring received each secret.
    os.environ_backup = dict(os.environ)  # type: ignore[attr-defined]
    try:
        os.environ["XDG_DATA_HOME"] = str(keyring_home)
        ring = PlaintextKeyring()
        for name, secret in (("ws", "slack"), ("mm", "mm"), ("zulip", "zulip"), ("work", "teams")):
            assert ring.get_password("cm-console", f"account:{name}") == CANARIES[secret]
    finally:
        os.environ.clear()
        os.environ.update(os.environ_backup)  # type: ignore[attr-defined]

    # Nothing else did.
    searched: list[Path] = [path for path in root.rglob("*") if path.is_file()]
    names = {path.name for path in searched}
    assert {"cm-console.sqlite3", "cm-console.log"} <= names
    assert "cm-console.sqlite3-wal" in names
    hits = []
    for path in searched:
        data = path.read_bytes()
        hits += [f"{path.relative_to(root)}" for secret in CANARIES.values()
                 for form in forms(secret) if form in data]  # fmt: skip
    for text in printed:
        data = text.encode()
        hits += ["printed output" for s in CANARIES.values() for f in forms(s) if f in data]
    assert MARK.encode() not in b"".join(p.read_bytes() for p in searched)
    # And the database, queried: no column of any table holds a secret.
    db = sqlite3.connect(dirs["profile"] / "cm-console.sqlite3")
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}"'):
                assert MARK not in repr(row), table
    finally:
        db.close()
        holder.close()
    print(
        f"\nsecrets canary: {len(CANARIES)} tokens, {len(searched)} files searched, "
        f"{len(hits)} hits"
    )
    assert hits == []
