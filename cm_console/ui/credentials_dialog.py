"""The choice of where sign-ins live when the system keyring cannot keep them.

The console never falls back to another place by itself. When the keyring is missing, locked,
hangs or refuses a secret, this dialog says so and offers two explicit choices: keep secrets in
memory for this session only (asked again next time), or in a file encrypted with a passphrase.
Credential calls run in worker threads; :class:`WindowChooser` shows the dialog on the GUI thread
and hands the answer back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cm_console.credentials import (
    ENCRYPTED_FILE_NAME,
    CredentialError,
    EncryptedFileStore,
    KeyringStore,
    Problem,
    SecretStore,
    SessionStore,
)
from cm_console.domain.model import Secret


def _tr(text: str) -> str:
    return QCoreApplication.translate("CredentialsDialog", text)


class CredentialsDialog(QDialog):
    """Explains why the keyring cannot be used and asks where to keep secrets instead."""

    def __init__(
        self,
        problem: Problem,
        accounts: list[tuple[str, str]],
        profile: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Where should cm-console keep sign-ins?"))
        self.setModal(True)
        self.file_path = profile / ENCRYPTED_FILE_NAME
        self.chosen: SecretStore | None = None
        explanations = {
            Problem.UNAVAILABLE: self.tr(
                "No system keyring is available (on Linux: a Secret Service such as GNOME "
                "Keyring or KWallet)."
            ),
            Problem.INSECURE: self.tr(
                "The only keyring found does not encrypt what it keeps, so cm-console does not "
                "use it."
            ),
            Problem.LOCKED: self.tr("The system keyring is locked."),
            Problem.TIMEOUT: self.tr(
                "The system keyring does not answer; it may be waiting for an unlock prompt."
            ),
            Problem.TOO_LARGE: self.tr("This sign-in is too large for the system keyring."),
        }
        self.explanation = QLabel(
            explanations.get(problem, self.tr("The system keyring failed."))
            + " "
            + self.tr(
                "cm-console never stores sign-ins in plain text. Choose where to keep them, or "
                "fix the keyring and try again."
            ),
            self,
        )
        self.session = QRadioButton(
            self.tr("Only for this session: kept in memory, asked again next time"), self
        )
        self.encrypted = QRadioButton(
            self.tr("In an encrypted file, protected by a passphrase"), self
        )
        self.session.setChecked(True)
        self.secrets: dict[str, QLineEdit] = {}
        self.session_box = QWidget(self)
        session_form = QFormLayout(self.session_box)
        session_form.setContentsMargins(24, 0, 0, 0)
        for name, label in accounts:
            edit = QLineEdit(self.session_box)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            caption = QLabel(f"{name} ({label}):", self.session_box)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            session_form.addRow(caption, edit)
            self.secrets[name] = edit
        self.file_box = QWidget(self)
        file_form = QFormLayout(self.file_box)
        file_form.setContentsMargins(24, 0, 0, 0)
        self.passphrase = QLineEdit(self.file_box)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self.file_box)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        file_form.addRow(self.tr("Passphrase:"), self.passphrase)
        self.creating = not self.file_path.exists()
        if self.creating:
            file_form.addRow(self.tr("The same again:"), self.again)
        where = QLabel(self.file_path.as_posix(), self.file_box)
        where.setTextFormat(Qt.TextFormat.PlainText)
        file_form.addRow(self.tr("File:"), where)
        self.message = QLabel(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.retry = QPushButton(self.tr("Try the keyring again"), self)
        self.buttons.addButton(self.retry, QDialogButtonBox.ButtonRole.ActionRole)
        for text_label in (self.explanation, self.message):
            text_label.setTextFormat(Qt.TextFormat.PlainText)
            text_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (
            self.explanation,
            self.session,
            self.session_box,
            self.encrypted,
            self.file_box,
            self.message,
            self.buttons,
        ):
            layout.addWidget(widget)
        self.session.toggled.connect(self._on_choice_toggled)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        self.retry.clicked.connect(self._on_retry)
        self._on_choice_toggled()

    def _on_choice_toggled(self, *_args: object) -> None:
        self.session_box.setEnabled(self.session.isChecked())
        self.file_box.setEnabled(self.encrypted.isChecked())

    def _on_retry(self) -> None:
        self.chosen = KeyringStore()
        self.accept()

    def _on_accepted(self) -> None:
        if self.session.isChecked():
            store = SessionStore()
            for name, edit in self.secrets.items():
                if edit.text():
                    store.remember(name, Secret(edit.text()))
            self.chosen = store
            self.accept()
            return
        phrase = self.passphrase.text()
        if not phrase:
            self.message.setText(self.tr("Enter a passphrase."))
            return
        if self.creating and self.again.text() != phrase:
            self.message.setText(self.tr("The two passphrases differ."))
            return
        encrypted = EncryptedFileStore(self.file_path, lambda _creating: phrase)
        try:
            encrypted.get("probe")  # unlocks an existing file: a wrong passphrase shows here
        except CredentialError as exc:
            self.message.setText(
                self.tr("Wrong passphrase, or the file was altered.")
                if exc.problem is Problem.PASSPHRASE
                else str(exc)
            )
            return
        self.chosen = encrypted
        self.accept()


class _GuiThread(QObject):
    """Runs a function on the GUI thread and waits for it (from any thread)."""

    requested = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())
        self.requested.connect(self._run, Qt.ConnectionType.BlockingQueuedConnection)

    @Slot(object)
    def _run(self, job: Callable[[], None]) -> None:
        job()

    def call(self, work: Callable[[], Any]) -> Any:
        box: list[Any] = []
        failure: list[BaseException] = []

        def job() -> None:
            try:
                box.append(work())
            except Exception as exc:  # noqa: BLE001 - re-raised in the calling thread
                failure.append(exc)

        if QThread.currentThread() == self.thread():
            job()
        else:
            self.requested.emit(job)
        if failure:
            raise failure[0]
        return box[0] if box else None


class WindowChooser:
    """Asks the user, with :class:`CredentialsDialog`, where to keep secrets instead."""

    def __init__(self, accounts: Callable[[], list[tuple[str, str]]], profile: Path) -> None:
        self._accounts = accounts
        self._profile = profile
        self._gui = _GuiThread()

    def __call__(self, error: CredentialError) -> SecretStore | None:
        try:
            accounts = self._accounts()
        except Exception:  # noqa: BLE001 - the dialog works without the list
            accounts = []

        def ask() -> SecretStore | None:
            dialog = CredentialsDialog(error.problem, accounts, self._profile)
            dialog.exec()
            chosen = dialog.chosen if dialog.result() == QDialog.DialogCode.Accepted else None
            dialog.deleteLater()
            return chosen

        result = self._gui.call(ask)
        return (
            result if isinstance(result, KeyringStore | SessionStore | EncryptedFileStore) else None
        )


class WindowPassphrase:
    """Asks for the encrypted secrets file's passphrase in the window."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._gui = _GuiThread()

    def __call__(self, creating: bool) -> str | None:
        def ask() -> str | None:
            label = _tr("Passphrase for %1:").replace("%1", self._path.as_posix())
            phrase, ok = QInputDialog.getText(
                None, _tr("Encrypted sign-ins"), label, QLineEdit.EchoMode.Password
            )
            if not ok:
                return None
            if creating:
                again, ok = QInputDialog.getText(
                    None,
                    _tr("Encrypted sign-ins"),
                    _tr("The same passphrase again:"),
                    QLineEdit.EchoMode.Password,
                )
                if not ok or again != phrase:
                    return None
            return str(phrase)

        result = self._gui.call(ask)
        return result if isinstance(result, str) else None
