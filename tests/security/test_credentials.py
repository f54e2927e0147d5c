"""The keyring matrix: every way a keyring breaks gives a clear error and an explicit choice.

Never a silent fallback: a backend not known to encrypt (keyrings.alt's plaintext file, which
``keyring`` picks by itself when no Secret Service exists) is refused unless chosen explicitly.
"""

from __future__ import annotations

import logging
import os
import stat
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import keyring.backends.fail
import keyring.backends.null
import pytest
from keyrings.alt.file import PlaintextKeyring

from cm_console.credentials import (
    ENV_STORAGE,
    WINDOWS_BLOB_LIMIT,
    CredentialError,
    Credentials,
    EncryptedFileStore,
    KeyringStore,
    Problem,
    SessionStore,
    Storage,
    store_from_environment,
)
from cm_console.domain.model import Secret
from tests.security import keyrings

TOKEN = "canary-keyring-7f3c9a1e5b"


@pytest.fixture
def no_keyring_choice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No backend chosen by the user: no PYTHON_KEYRING_BACKEND, no keyringrc, fresh dirs."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


@pytest.fixture(autouse=True)
def _release_hanging() -> Iterator[None]:
    keyrings.RELEASE.clear()
    yield
    keyrings.RELEASE.set()


def files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()]


def test_a_plaintext_keyring_picked_automatically_is_refused(no_keyring_choice: Path) -> None:
    store = KeyringStore(backend=PlaintextKeyring())
    with pytest.raises(CredentialError) as caught:
        store.set("account:x", TOKEN)
    assert caught.value.problem is Problem.INSECURE
    assert caught.value.offers_choice
    assert f"{ENV_STORAGE}=session" in str(caught.value)
    assert f"{ENV_STORAGE}=encrypted-file" in str(caught.value)
    assert files_under(no_keyring_choice) == [], "nothing may be written anywhere"


def test_a_plaintext_keyring_chosen_explicitly_is_used_with_a_warning(
    no_keyring_choice: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    store = KeyringStore(backend=PlaintextKeyring())
    with caplog.at_level(logging.WARNING):
        store.set("account:x", TOKEN)
    assert store.get("account:x") == TOKEN
    assert "chosen explicitly" in caplog.text


@pytest.mark.parametrize(
    "backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()], ids=str
)
@pytest.mark.parametrize("explicit", [False, True])
def test_no_keyring_or_a_disabled_one_is_unavailable(
    backend: object, explicit: bool, no_keyring_choice: Path
) -> None:
    # Even PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring (a common "fix") stores nothing:
    # accepting it would lose every secret without a word.
    store = KeyringStore(backend=backend, explicit=explicit)  # type: ignore[arg-type]
    for call in (lambda: store.set("account:x", TOKEN), lambda: store.get("account:x")):
        with pytest.raises(CredentialError) as caught:
            call()
        assert caught.value.problem is Problem.UNAVAILABLE
        assert "Secret Service" in str(caught.value)


def test_a_locked_keyring_says_unlock(no_keyring_choice: Path) -> None:
    store = KeyringStore(backend=keyrings.LockedKeyring(), explicit=True)
    with pytest.raises(CredentialError) as caught:
        store.set("account:x", TOKEN)
    assert caught.value.problem is Problem.LOCKED
    assert "unlock it" in str(caught.value)


def test_a_hanging_keyring_times_out_and_then_fails_fast(no_keyring_choice: Path) -> None:
    store = KeyringStore(backend=keyrings.HangingKeyring(), explicit=True, timeout=0.5)
    started = time.perf_counter()
    with pytest.raises(CredentialError) as caught:
        store.set("account:x", TOKEN)
    first = time.perf_counter() - started
    assert caught.value.problem is Problem.TIMEOUT
    assert 0.4 < first < 3
    started = time.perf_counter()
    with pytest.raises(CredentialError) as again:
        store.get("account:x")
    assert again.value.problem is Problem.TIMEOUT
    assert time.perf_counter() - started < 0.2, "no second thread piles up on a hung keyring"


def test_the_windows_size_limit_is_a_clear_error(no_keyring_choice: Path) -> None:
    backend = keyrings.WindowsLimitKeyring()
    store = KeyringStore(backend=backend, explicit=True)
    fits = "t" * (WINDOWS_BLOB_LIMIT // 2)
    store.set("account:small", fits)
    assert store.get("account:small") == fits
    bundle = '{"access_token": "eyJ' + "a" * 3000 + '", "refresh_token": "r"}'
    with pytest.raises(CredentialError) as caught:
        store.set("account:big", bundle)
    assert caught.value.problem is Problem.TOO_LARGE
    assert "2560" in str(caught.value)
    assert bundle not in str(caught.value)
    assert ("cm-console", "account:big") not in backend.values


def test_an_unexpected_backend_error_never_carries_the_secret(no_keyring_choice: Path) -> None:
    store = KeyringStore(backend=keyrings.BrokenKeyring(), explicit=True)
    with pytest.raises(CredentialError) as caught:
        store.set("account:x", TOKEN)
    assert caught.value.problem is Problem.FAILED
    printed = "".join(traceback.format_exception(caught.value))
    assert TOKEN not in printed, "the backend's own message (quoting the secret) is dropped"


@pytest.mark.parametrize(
    "backend",
    [
        keyring.backends.fail.Keyring(),
        keyrings.LockedKeyring(),
        keyrings.HangingKeyring(),
        PlaintextKeyring(),
    ],
    ids=lambda b: type(b).__name__,
)
def test_every_keyring_problem_offers_the_choice_and_nothing_falls_back_silently(
    backend: object, no_keyring_choice: Path
) -> None:
    asked: list[Problem] = []
    keyring_store = KeyringStore(backend=backend, timeout=0.5)  # type: ignore[arg-type]
    refused = Credentials(keyring_store)
    with pytest.raises(CredentialError) as caught:
        refused.store("forum", Secret(TOKEN))
    assert caught.value.offers_choice
    assert refused.storage is Storage.KEYRING, "no other storage without the user's choice"

    def choose_session(error: CredentialError) -> SessionStore:
        asked.append(error.problem)
        return SessionStore()

    chosen = Credentials(KeyringStore(backend=backend, timeout=0.5), chooser=choose_session)  # type: ignore[arg-type]
    chosen.store("forum", Secret(TOKEN))
    assert len(asked) == 1
    assert chosen.storage is Storage.SESSION
    loaded = chosen.load("forum")
    assert loaded is not None and loaded.reveal() == TOKEN
    for path in files_under(no_keyring_choice):
        assert TOKEN.encode() not in path.read_bytes(), path


def test_a_declined_choice_keeps_the_error(no_keyring_choice: Path) -> None:
    credentials = Credentials(
        KeyringStore(backend=keyrings.LockedKeyring(), explicit=True), chooser=lambda _e: None
    )
    with pytest.raises(CredentialError):
        credentials.store("forum", Secret(TOKEN))


def test_session_storage_keeps_secrets_in_memory_and_reads_the_environment() -> None:
    store = SessionStore({"CM_CONSOLE_SECRET_TEAM_CHAT": "from-env"})
    credentials = Credentials(store)
    assert credentials.load("team-chat") == Secret("from-env")
    credentials.store("forum", Secret(TOKEN))
    assert credentials.load("forum") == Secret(TOKEN)
    credentials.delete("forum")
    assert credentials.load("forum") is None
    assert "CM_CONSOLE_SECRET_FORUM" in credentials.missing_hint("forum")


def test_encrypted_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "credentials.enc"
    asked: list[bool] = []

    def passphrase(creating: bool) -> str:
        asked.append(creating)
        return "correct horse battery staple"

    credentials = Credentials(EncryptedFileStore(path, passphrase))
    credentials.store("forum", Secret(TOKEN))
    credentials.store("chat", Secret("second-" + TOKEN))
    assert asked == [True], "asked once, when the file is created"
    data = path.read_bytes()
    assert TOKEN.encode() not in data and b"forum" not in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.with_name("credentials.enc.tmp").exists()
    reopened = Credentials(EncryptedFileStore(path, lambda _c: "correct horse battery staple"))
    assert reopened.load("forum") == Secret(TOKEN)
    reopened.delete("forum")
    assert reopened.load("forum") is None
    assert reopened.load("chat") == Secret("second-" + TOKEN)


def test_encrypted_file_refuses_a_wrong_or_missing_passphrase_and_tampering(tmp_path: Path) -> None:
    path = tmp_path / "credentials.enc"
    Credentials(EncryptedFileStore(path, lambda _c: "right")).store("forum", Secret(TOKEN))
    for source in (lambda _c: "wrong", lambda _c: None, lambda _c: ""):
        with pytest.raises(CredentialError) as caught:
            Credentials(EncryptedFileStore(path, source)).load("forum")
        assert caught.value.problem is Problem.PASSPHRASE
    text = path.read_text()
    head, _, tail = text.rpartition('"data": "')
    flipped = tail[:10] + ("A" if tail[10] != "A" else "B") + tail[11:]
    path.write_text(head + '"data": "' + flipped)
    with pytest.raises(CredentialError) as caught:
        Credentials(EncryptedFileStore(path, lambda _c: "right")).load("forum")
    assert caught.value.problem is Problem.PASSPHRASE
    path.write_text("not json")
    with pytest.raises(CredentialError):
        Credentials(EncryptedFileStore(path, lambda _c: "right")).load("forum")


def test_storage_from_the_environment(tmp_path: Path) -> None:
    never = lambda _c: None  # noqa: E731
    assert isinstance(store_from_environment({}, tmp_path, never), KeyringStore)
    session = store_from_environment({ENV_STORAGE: "session"}, tmp_path, never)
    assert isinstance(session, SessionStore)
    encrypted = store_from_environment(
        {ENV_STORAGE: "encrypted-file", "CM_CONSOLE_PASSPHRASE": "p"}, tmp_path, never
    )
    assert isinstance(encrypted, EncryptedFileStore)
    assert encrypted.path == tmp_path / "credentials.enc"
    Credentials(encrypted).store("a", Secret("b"))
    with pytest.raises(ValueError, match="plaintext"):
        store_from_environment({ENV_STORAGE: "plaintext"}, tmp_path, never)


def test_the_test_session_never_uses_the_real_keyring() -> None:
    assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyrings.alt.file.PlaintextKeyring"
