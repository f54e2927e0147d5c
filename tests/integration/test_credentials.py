"""Secrets in the keyring: kept there and only there, and a missing keyring is a clear error,
never a silent plaintext file. Each backend runs in its own process, chosen the way a user
chooses it: ``PYTHON_KEYRING_BACKEND``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cm_console.credentials import CredentialError, Credentials
from cm_console.domain.model import Secret

TOKEN = "cmc-canary-7f3b2e9d41"


def test_the_file_backend_keeps_secrets_per_account() -> None:
    creds = Credentials(service="cm-console-test")
    assert "keyrings.alt.file" in creds.backend_name()
    creds.store("a", Secret(TOKEN))
    creds.store("b", Secret("other"))
    creds.store("b", Secret("replaced"))
    assert creds.load("a") == Secret(TOKEN)
    assert creds.load("b") == Secret("replaced")
    assert creds.load("c") is None
    creds.delete("a")
    creds.delete("a")  # forgetting twice is fine
    assert creds.load("a") is None


def test_a_secret_never_shows_in_its_repr() -> None:
    secret = Secret(TOKEN)
    for text in (repr(secret), str(secret), f"{secret}", repr([secret]), repr({"s": secret})):
        assert TOKEN not in text
    assert secret.reveal() == TOKEN
    assert secret == Secret(TOKEN) and secret != Secret("x") and not Secret("")


_PROBE = textwrap.dedent(
    """
    import json, sys
    from cm_console.credentials import CredentialError, Credentials
    from cm_console.domain.model import Secret
    creds = Credentials(service="cm-console-test")
    out = {"backend": creds.backend_name()}
    for action in ("store", "load", "delete"):
        try:
            if action == "store":
                creds.store("acct", Secret(sys.argv[1]))
            elif action == "load":
                creds.load("acct")
            else:
                creds.delete("acct")
            out[action] = "ok"
        except CredentialError as exc:
            out[action] = "CredentialError: " + str(exc)
    print(json.dumps(out))
    """
)


def probe(backend: str, home: Path, python_path: Path | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": backend,
        "XDG_DATA_HOME": str(home),
        "HOME": str(home),
    }
    if python_path is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(python_path), os.environ.get("PYTHONPATH", "")])
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, TOKEN],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert TOKEN not in proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_a_backend_that_cannot_be_loaded_is_a_clear_error(tmp_path: Path) -> None:
    result = probe("keyrings.not_installed.Keyring", tmp_path)
    for action in ("store", "load", "delete"):
        assert result[action].startswith(
            "CredentialError: the keyring backend that was chosen cannot be loaded"
        ), result[action]
        assert "PYTHON_KEYRING_BACKEND" in result[action]


def files_holding(root: Path, needle: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def test_no_keyring_is_a_clear_error_and_no_plaintext_fallback(tmp_path: Path) -> None:
    result = probe("keyring.backends.fail.Keyring", tmp_path)
    for action in ("store", "load", "delete"):
        assert result[action].startswith("CredentialError: no system keyring is available")
        # The way on is an explicit choice, never a plaintext file picked for the user.
        assert "CM_CONSOLE_CREDENTIALS=session" in result[action]
        assert "CM_CONSOLE_CREDENTIALS=encrypted-file" in result[action]
    assert files_holding(tmp_path, TOKEN) == []


def test_the_null_keyring_is_refused_like_no_keyring(tmp_path: Path) -> None:
    # keyring's "null" backend accepts every secret and forgets it at once: an account added
    # with it would fail at its first sync, with the token already gone.
    result = probe("keyring.backends.null.Keyring", tmp_path)
    assert result["store"].startswith("CredentialError: no system keyring is available")
    assert files_holding(tmp_path, TOKEN) == []


def test_a_keyring_that_keeps_nothing_is_an_error_not_a_lost_secret(tmp_path: Path) -> None:
    # A chosen backend that accepts a secret and drops it: the read-back catches it.
    (tmp_path / "forgetful_backend.py").write_text(
        textwrap.dedent(
            """
            import keyring.backend
            class Keyring(keyring.backend.KeyringBackend):
                priority = 1
                def get_password(self, service, username):
                    return None
                def set_password(self, service, username, password):
                    pass
                def delete_password(self, service, username):
                    pass
            """
        )
    )
    result = probe("forgetful_backend.Keyring", tmp_path, python_path=tmp_path)
    assert result["store"].startswith("CredentialError: ")
    assert "did not keep the secret" in result["store"]
    assert "forgetful_backend.Keyring" in result["store"]
    assert files_holding(tmp_path, TOKEN) == []


def test_the_chosen_file_backend_works_across_processes(tmp_path: Path) -> None:
    result = probe("keyrings.alt.file.PlaintextKeyring", tmp_path)
    assert result == {
        "backend": "the system keyring (keyrings.alt.file.PlaintextKeyring)",
        "store": "ok",
        "load": "ok",
        "delete": "ok",
    }


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("KeyringLocked", "the system keyring is locked; unlock it and try again; "),
        ("PasswordSetError", "the system keyring refused to store the secret (PasswordSetError)"),
        ("InitError", "the system keyring could not be opened (locked, and its unlock prompt "),
        ("KeyringError", "the system keyring failed (KeyringError)"),
    ],
)
def test_keyring_failures_are_explained(error: str, message: str, tmp_path: Path) -> None:
    # A backend that raises the given keyring error, loaded by keyring itself from the module path.
    (tmp_path / "raising_backend.py").write_text(
        textwrap.dedent(
            f"""
            import keyring.backend, keyring.errors
            class Keyring(keyring.backend.KeyringBackend):
                priority = 1
                def get_password(self, service, username, *password):
                    raise keyring.errors.{error}("details that could hold {TOKEN}")
                set_password = delete_password = get_password
            """
        )
    )
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "raising_backend.Keyring",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, TOKEN],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(proc.stdout)
    assert result["store"].startswith(f"CredentialError: {message}")
    assert TOKEN not in proc.stdout


def test_credential_errors_are_plain_exceptions_with_the_message() -> None:
    assert issubclass(CredentialError, Exception)
    assert str(CredentialError("x")) == "x"
