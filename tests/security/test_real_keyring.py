"""The keyring matrix against a real Secret Service (GNOME Keyring on a private D-Bus session).

Where ``dbus-run-session`` and ``gnome-keyring-daemon`` exist, three real situations: an
unlocked keyring (the secret is stored, by the Secret Service backend, chosen by keyring itself
with no ``PYTHON_KEYRING_BACKEND``), a keyring whose login collection cannot be unlocked (no
prompt can be shown: a clear "locked" error), and no Secret Service at all on the session bus
(refused, never the plaintext file). Skipped elsewhere; the in-process matrix always runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
from cm_console.credentials import Credentials, CredentialError, KeyringStore
from cm_console.domain.model import Secret
credentials = Credentials(KeyringStore(timeout=8))
try:
    credentials.store("acc", Secret("real-keyring-canary"))
    loaded = credentials.load("acc")
    print("OK", credentials.backend_name(), loaded.reveal() if loaded else None)
except CredentialError as exc:
    print("ERR", exc.problem.value)
"""

needs_tools = pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="no D-Bus session tools or GNOME Keyring on this machine",
)


def probe(tmp_path: Path, start: str) -> str:
    home = tmp_path / "home"
    for sub in (".cache", ".local/share", ".config", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_RUNTIME_DIR=str(home / "run"),
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    script = f'{start} >/dev/null 2>&1; exec "$0" -c "$1"'
    proc = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, sys.executable, PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(("OK", "ERR"))]
    assert lines, proc.stdout + proc.stderr
    return lines[-1]


@needs_tools
def test_an_unlocked_secret_service_is_used(tmp_path: Path) -> None:
    result = probe(
        tmp_path, "printf throwaway | gnome-keyring-daemon --unlock --components=secrets"
    )
    if result == "ERR unavailable":
        pytest.skip("the Secret Service could not start here")
    assert result.startswith("OK") and "SecretService" in result
    assert result.endswith("real-keyring-canary")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"real-keyring-canary" not in path.read_bytes(), path


@needs_tools
def test_a_keyring_that_cannot_be_unlocked_is_a_clear_error(tmp_path: Path) -> None:
    # Started without --unlock: creating or unlocking the login collection needs a prompt,
    # and no prompt can be shown in this session.
    result = probe(tmp_path, "gnome-keyring-daemon --start --components=secrets")
    assert result in ("ERR locked", "ERR timeout"), result


def test_a_bare_session_bus_is_refused_not_plaintext(tmp_path: Path) -> None:
    # Nothing started: D-Bus may activate GNOME Keyring by itself (then it is locked), or
    # there is no Secret Service (then only keyrings.alt's plaintext file is left).
    if not shutil.which("dbus-run-session"):
        pytest.skip("no dbus-run-session")
    result = probe(tmp_path, "true")
    assert result in ("ERR insecure", "ERR unavailable", "ERR locked", "ERR timeout"), result
    assert not list(tmp_path.rglob("keyring_pass.cfg")), "no plaintext keyring file"
