"""The command line without a usable keyring: a clear error that says how to choose, and the two
explicit choices (session-only, encrypted file) working end to end against a fixture server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cm_console import app as app_module
from cm_console import config
from cm_console.services.accounts import UsageError
from tests.helpers.fake_mattermost import FakeMattermost
from tests.integration.connectors.test_mattermost_contract import MattermostWorld

TOKEN = "cliCanary0f9e8d7c6b5a"


@pytest.fixture
def mattermost() -> Iterator[FakeMattermost]:
    server = FakeMattermost()
    world = MattermostWorld(server, now=datetime.now(UTC))
    server.tokens[TOKEN] = world.me.remote_id
    yield server
    server.stop()


class Cli:
    def __init__(self, root: Path, **env: str) -> None:
        self.root = root
        self.profile = root / "profile"
        for name in ("home", "config", "data", "tmp"):
            (root / name).mkdir(parents=True, exist_ok=True)
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")
            and not k.startswith("CM_CONSOLE_")
        }
        self.env.update(
            HOME=str(root / "home"),
            XDG_CONFIG_HOME=str(root / "config"),
            XDG_DATA_HOME=str(root / "data"),
            TMPDIR=str(root / "tmp"),
            CMC_TOKEN=TOKEN,
            **env,
        )

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cm_console", "--profile", str(self.profile), *args],
            capture_output=True,
            text=True,
            env={**self.env, **env},
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    def add(self, url: str, **env: str) -> subprocess.CompletedProcess[str]:
        args = ["account", "add", "mattermost", "--name", "mm", "--url", url]
        return self(*args, "--token-env", "CMC_TOKEN", **env)

    def files_with_token(self) -> list[str]:
        return [
            str(p.relative_to(self.root))
            for p in self.root.rglob("*")
            if p.is_file() and TOKEN.encode() in p.read_bytes()
        ]


def test_without_a_keyring_the_cli_refuses_and_says_how_to_choose(
    tmp_path: Path, mattermost: FakeMattermost
) -> None:
    # keyrings.alt is installed here, so keyring itself would pick its plaintext file.
    cli = Cli(tmp_path)
    proc = cli.add(mattermost.url)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "CM_CONSOLE_CREDENTIALS=session" in lines[0]
    assert "CM_CONSOLE_CREDENTIALS=encrypted-file" in lines[0]
    assert "not known to encrypt" in lines[0]
    assert cli.files_with_token() == []
    assert not (tmp_path / "data" / "python_keyring").exists(), "no plaintext keyring file"
    listed = cli("account", "list", "--json")
    assert listed.returncode == 0 and listed.stdout.strip() == "[]", "nothing half-added"
    locked = cli.add(mattermost.url, PYTHON_KEYRING_BACKEND="tests.security.keyrings.LockedKeyring")
    assert locked.returncode == 1 and "locked" in locked.stderr
    assert "CM_CONSOLE_CREDENTIALS=session" in locked.stderr


def test_an_encrypted_file_by_explicit_choice(tmp_path: Path, mattermost: FakeMattermost) -> None:
    cli = Cli(
        tmp_path, CM_CONSOLE_CREDENTIALS="encrypted-file", CM_CONSOLE_PASSPHRASE="hunter2 long"
    )
    assert cli.add(mattermost.url).returncode == 0
    assert (cli.profile / "credentials.enc").exists()
    synced = cli("sync")
    assert synced.returncode == 0, synced.stderr
    assert cli.files_with_token() == []
    wrong = cli("sync", CM_CONSOLE_PASSPHRASE="not it")
    assert wrong.returncode == 1 and "wrong passphrase" in wrong.stderr
    env_less = {k: v for k, v in cli.env.items() if k != "CM_CONSOLE_PASSPHRASE"}
    cli.env = env_less
    missing = cli("sync")
    assert missing.returncode == 1 and "CM_CONSOLE_PASSPHRASE" in missing.stderr


def test_session_only_by_explicit_choice(tmp_path: Path, mattermost: FakeMattermost) -> None:
    cli = Cli(tmp_path, CM_CONSOLE_CREDENTIALS="session")
    assert cli.add(mattermost.url).returncode == 0
    forgotten = cli("sync")
    assert forgotten.returncode == 1
    assert "no secret for this session" in forgotten.stderr
    assert "CM_CONSOLE_SECRET_MM" in forgotten.stderr
    synced = cli("sync", CM_CONSOLE_SECRET_MM=TOKEN)
    assert synced.returncode == 0, synced.stderr
    assert cli.files_with_token() == []


def test_an_unknown_storage_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CM_CONSOLE_CREDENTIALS", "plaintext")
    with pytest.raises(UsageError, match="expected one of keyring, session, encrypted-file"):
        app_module.credentials_from_environment(config.Paths(tmp_path))
