"""No secret reaches the database, its WAL or the logs: a canary token goes through
``account add`` and ``sync`` with debug logging, and is then looked for byte by byte.

The platform is a small third-party connector, registered the way any plug-in is: a
distribution with a ``cm_console.connectors`` entry point on the path. It is careless on purpose
and logs its token in several shapes; the redacting filter must catch every one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cm_console.credentials import Credentials
from cm_console.domain.model import Secret

TOKEN = "cmc-canary-d41d8cd98f00b204"

CONNECTOR = textwrap.dedent(
    """
    import logging
    from datetime import datetime, timedelta, UTC
    from cm_console.connectors.base import Capability, Connector, ConnectorInfo
    from cm_console.connectors.errors import NotSupported
    from cm_console.domain.model import (
        Page, PlatformKind, RemoteContainer, RemotePerson, RemotePost, RemoteThread,
    )

    log = logging.getLogger("canary_connector")
    ME = RemotePerson("u-me", "me", "Me")

    class CanaryConnector(Connector):
        info = ConnectorInfo(
            id="canary", display_name="Canary", kind=PlatformKind.FORUM,
            capabilities=frozenset({Capability.REPLY}), url_label=None,
        )

        def _leak(self) -> None:
            token = self.context.secret.reveal()
            log.debug("GET /me headers={'Authorization': 'Bearer %s'}", token)
            log.info("signing in with token=%s", token)
            log.info('payload {"access_token": "%s"}', token)

        def whoami(self):
            self._leak()
            return ME

        def list_containers(self):
            return [RemoteContainer("c1", "General")]

        def fetch(self, cursors):
            self._leak()
            at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
            yield Page(
                scope="*", cursor={"page": 1},
                containers=(RemoteContainer("c1", "General"),),
                people=(ME, RemotePerson("u-a", "alice", "Alice")),
                threads=(RemoteThread("t1", "c1", at, title="Is the VPN down?"),),
                posts=(RemotePost("p1", "t1", "u-a", at, "Is the VPN down?", is_root=True),),
            )

        def fetch_thread(self, thread):
            raise NotSupported("no")
    """
)


@pytest.fixture
def plugin_path(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "canary_connector.py").write_text(CONNECTOR)
    dist = site / "canary_connector-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: canary-connector\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[cm_console.connectors]\ncanary = canary_connector:CanaryConnector\n"
    )
    return site


def cli(
    profile: Path, plugin_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(plugin_path), os.environ.get("PYTHONPATH", "")]),
        "CANARY_TOKEN": TOKEN,
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "cm_console", "-v", "--profile", str(profile), *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=120,
        check=False,
    )


def holding(root: Path, needle: str) -> list[str]:
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.is_file() and needle.encode() in p.read_bytes()
    )


def test_the_token_goes_to_the_keyring_and_nowhere_else(tmp_path: Path, plugin_path: Path) -> None:
    profile = tmp_path / "profile"
    first = cli(profile, plugin_path, "account", "list", "--json")
    assert first.returncode == 0, first.stderr
    database = profile / "cm-console.sqlite3"
    # Hold the database open so the console's WAL file is not folded in and deleted when it exits:
    # what was written there is still there to look at.
    watcher = sqlite3.connect(database)
    watcher.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        runs = [
            cli(
                profile,
                plugin_path,
                "account",
                "add",
                "canary",
                "--name",
                "canary",
                "--token-env",
                "CANARY_TOKEN",
            ),
            cli(profile, plugin_path, "sync", "--json"),
            cli(profile, plugin_path, "queue", "--view", "all", "--json"),
            cli(profile, plugin_path, "account", "list", "--json"),
        ]
        for run in runs:
            assert run.returncode == 0, run.stderr
            assert TOKEN not in run.stdout
            assert TOKEN not in run.stderr
        assert [i["title"] for i in json.loads(runs[2].stdout)] == ["Is the VPN down?"]
        assert (profile / "cm-console.sqlite3-wal").stat().st_size > 0
        assert holding(profile, TOKEN) == []
    finally:
        watcher.close()
    assert holding(profile, TOKEN) == []
    log = (profile / "logs" / "cm-console.log").read_text(encoding="utf-8")
    assert "signing in with token=[redacted]" in log, "the careless connector did log"
    assert Credentials().load("canary") == Secret(TOKEN), "the keyring has it"


def test_without_a_keyring_the_account_is_not_added(tmp_path: Path, plugin_path: Path) -> None:
    profile = tmp_path / "profile"
    run = cli(
        profile,
        plugin_path,
        "account",
        "add",
        "canary",
        "--name",
        "nokeyring",
        "--token-env",
        "CANARY_TOKEN",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert run.returncode == 1
    assert (
        run.stderr.strip()
        .splitlines()[-1]
        .startswith("cm-console: nokeyring: no system keyring is available")
    )
    assert "Traceback" not in run.stderr
    listed = cli(profile, plugin_path, "account", "list", "--json")
    assert json.loads(listed.stdout) == []
    assert holding(profile, TOKEN) == []
    assert TOKEN not in run.stderr + run.stdout
