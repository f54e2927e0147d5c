"""The window's explicit choice when the keyring fails: the real dialog, asked from a worker
thread (where credential calls run), answered like a user would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from cm_console.credentials import (
    CredentialError,
    Credentials,
    EncryptedFileStore,
    KeyringStore,
    Storage,
)
from cm_console.domain.model import Secret
from cm_console.ui.credentials_dialog import CredentialsDialog, WindowChooser
from tests.security import keyrings

TOKEN = "dialog-canary-0a1b2c3d"


def answer(act: Callable[[CredentialsDialog], None]) -> None:
    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CredentialsDialog):
            QTimer.singleShot(20, handle)
            return
        act(dialog)

    QTimer.singleShot(0, handle)


def store_in_worker(credentials: Credentials) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            credentials.store("forum", Secret(TOKEN))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    return thread, errors


def locked(tmp_path: Path) -> Credentials:
    chooser = WindowChooser(lambda: [("forum", "API key"), ("chat", "Access token")], tmp_path)
    return Credentials(
        KeyringStore(backend=keyrings.LockedKeyring(), explicit=True), chooser=chooser
    )


def test_session_only_chosen_in_the_dialog(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    credentials = locked(tmp_path)
    seen: dict[str, object] = {}

    def choose_session(dialog: CredentialsDialog) -> None:
        seen["text"] = dialog.explanation.text()
        seen["plain"] = all(
            label.textFormat() == Qt.TextFormat.PlainText
            for label in dialog.findChildren(QLabel)
            if "forum" in label.text() or "chat" in label.text() or str(tmp_path) in label.text()
        )
        dialog.session.setChecked(True)
        dialog.secrets["chat"].setText("chat-secret")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer(choose_session)
    thread, errors = store_in_worker(credentials)
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    assert errors == []
    assert "locked" in str(seen["text"]) and "plain text" in str(seen["text"]), seen
    assert seen["plain"]
    assert credentials.storage is Storage.SESSION
    assert credentials.load("forum") == Secret(TOKEN)
    assert credentials.load("chat") == Secret("chat-secret"), "asked for this session's secrets"
    assert list(tmp_path.iterdir()) == [], "nothing written"


def test_an_encrypted_file_chosen_in_the_dialog(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    credentials = locked(tmp_path)

    def choose_file(dialog: CredentialsDialog) -> None:
        dialog.encrypted.setChecked(True)
        dialog.passphrase.setText("correct horse")
        dialog.again.setText("different")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        assert dialog.isVisible() and "differ" in dialog.message.text()
        dialog.again.setText("correct horse")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answer(choose_file)
    thread, errors = store_in_worker(credentials)
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=20_000)
    assert errors == []
    assert credentials.storage is Storage.ENCRYPTED_FILE
    path = tmp_path / "credentials.enc"
    assert path.exists() and TOKEN.encode() not in path.read_bytes()
    reopened = Credentials(EncryptedFileStore(path, lambda _c: "correct horse"))
    assert reopened.load("forum") == Secret(TOKEN)


def test_cancel_keeps_the_error(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    credentials = locked(tmp_path)
    answer(lambda dialog: dialog.reject())
    thread, errors = store_in_worker(credentials)
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=10_000)
    assert len(errors) == 1 and isinstance(errors[0], CredentialError)
    assert credentials.storage is Storage.KEYRING


@pytest.fixture(autouse=True)
def _no_dialog_left(qtbot) -> None:  # type: ignore[no-untyped-def]
    yield
    assert QApplication.activeModalWidget() is None


def test_the_window_asks_instead_of_failing(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cm_console import app as app_module
    from cm_console import config
    from cm_console.ui.credentials_dialog import WindowPassphrase

    paths = config.Paths(tmp_path / "profile")
    for store in (KeyringStore(backend=keyrings.LockedKeyring(), explicit=True), None):
        if store is None:
            monkeypatch.delenv("CM_CONSOLE_PASSPHRASE", raising=False)
            store = EncryptedFileStore(tmp_path / "profile" / "credentials.enc", lambda _c: None)
        ws = app_module.open_workspace(
            f"sqlite:///{tmp_path / 'db.sqlite3'}",
            paths,
            app_module.system_clock,
            credentials=Credentials(store),
        )
        try:
            app_module._ask_in_the_window(ws)
            if isinstance(store, KeyringStore):
                assert isinstance(ws.credentials._chooser, WindowChooser)
            else:
                current = ws.credentials.store_in_use
                assert isinstance(current, EncryptedFileStore)
                assert isinstance(current._passphrase, WindowPassphrase)
        finally:
            ws.close()
