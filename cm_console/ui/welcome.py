"""First run: a welcome for a workspace without accounts (open the demo, or connect an account).

The welcome also sets the language and the time zone and explains the queue in a few lines. It
never knows where databases live: opening the demo goes through a callback the composition root
provides, which returns the services of a fresh demo workspace.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, Qt, QTimeZone
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cm_console import config
from cm_console.services.accounts import AccountOverview, AccountService
from cm_console.ui import i18n, icons
from cm_console.ui.accounts_dialog import AccountsDialog
from cm_console.ui.context import UiServices
from cm_console.ui.tasks import TaskRunner

DISMISSED_KEY = "welcome/dismissed"
LANGUAGE_KEY = "language"
TIMEZONE_KEY = "timezone"

OpenDemo = Callable[[QSettings], UiServices]
_UTC = frozenset(
    {
        "UTC",
        "UCT",
        "Universal",
        "Zulu",
        "GMT",
        "Etc/UTC",
        "Etc/UCT",
        "Etc/Universal",
        "Etc/Zulu",
        "Etc/GMT",
    }
)


def _normal_zone(name: str) -> str:
    return "UTC" if name in _UTC else name


def should_show(services: UiServices) -> bool:
    """True for a workspace without accounts, unless the user closed the welcome before."""
    if services.is_demo or services.ui_settings.value(DISMISSED_KEY, False, type=bool):
        return False
    return not services.accounts.overview()


def time_zone_names() -> list[str]:
    """IANA zone names (Area/Location) Qt knows, plus UTC, sorted."""
    names = {bytes(z.data()).decode("ascii") for z in QTimeZone.availableTimeZoneIds()}
    regional = {n for n in names if "/" in n and not n.startswith(("Etc/", "SystemV/"))}
    return ["UTC", *sorted(regional)]


def default_time_zone(settings: QSettings) -> str:
    """The zone saved before, else the computer's, else UTC."""
    saved = str(settings.value(TIMEZONE_KEY, "") or "")
    if saved:
        return saved
    system = config.system_timezone_name()
    if not system:
        system = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii")
    system = _normal_zone(system)
    return system if "/" in system else "UTC"


def apply_time_zone(accounts: AccountService, zone: str, system: str) -> list[AccountOverview]:
    """Give accounts without a zone of their own the one chosen in the welcome.

    When that is the computer's zone nothing is stored: an account without ``timezone`` follows
    the computer, which is what "the system's zone" means. Returns the accounts.
    """
    rows = accounts.overview()
    if zone and zone != system:
        for row in rows:
            if not row.account.options.get(config.TIMEZONE.key):
                accounts.update_options(row.account.name, {config.TIMEZONE.key: zone})
        rows = accounts.overview()
    return rows


def _nothing() -> None:
    """The accounts dialog's change callback: the welcome looks at the accounts afterwards."""


def switch_language(language: str) -> None:
    """Replace the application's translators; open windows get a LanguageChange event."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for translator in app.property("cm_translators") or []:
        app.removeTranslator(translator)
    app.setProperty("cm_translators", i18n.install(app, language))


class WelcomeDialog(QDialog):
    """Open the demo or connect an account; language and time zone; what the queue means.

    After ``exec()``, :attr:`services` holds the services the window should open on: the demo
    workspace's, or the ones it was given.
    """

    def __init__(
        self,
        services: UiServices,
        open_demo: OpenDemo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowIcon(icons.app_icon())
        self.services = services
        self._open_demo = open_demo
        self._settings = services.ui_settings
        self.tasks = TaskRunner(self)
        self._accounts_dialog: AccountsDialog | None = None
        self._working = False
        self.system_zone = _normal_zone(config.system_timezone_name())

        self.heading = QLabel(self)
        self.heading.setObjectName("welcomeHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.intro = QLabel(self)
        self.queue_help = QLabel(self)
        self.keys_help = QLabel(self)
        for label in (self.intro, self.queue_help, self.keys_help):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)

        self.preferences = QGroupBox(self)
        self.language = QComboBox(self)
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.timezone = QComboBox(self)
        self.timezone.setEditable(True)
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone.addItems(time_zone_names())
        completer = QCompleter(self.timezone.model(), self.timezone)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.timezone.setCompleter(completer)
        self.timezone_note = QLabel(self)
        self.timezone_note.setObjectName("muted")
        self.timezone_note.setWordWrap(True)
        form = QFormLayout(self.preferences)
        self.language_label = QLabel(self)
        self.language_label.setBuddy(self.language)
        self.timezone_label = QLabel(self)
        self.timezone_label.setBuddy(self.timezone)
        form.addRow(self.language_label, self.language)
        form.addRow(self.timezone_label, self.timezone)
        form.addRow(self.timezone_note)

        self.demo_button = QPushButton(icons.icon("community"), "", self)
        self.demo_button.setDefault(True)
        self.demo_button.setEnabled(open_demo is not None)
        self.connect_button = QPushButton(icons.icon("add"), "", self)
        self.later_button = QPushButton(self)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.connect_button)
        buttons.addStretch(1)
        buttons.addWidget(self.later_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.queue_help)
        layout.addWidget(self.keys_help)
        layout.addWidget(self.preferences)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self._load_preferences()
        self.retranslate()
        self.setMinimumWidth(600)
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.timezone.currentTextChanged.connect(self._on_timezone_changed)
        self.demo_button.clicked.connect(self._on_open_demo)
        self.connect_button.clicked.connect(self._on_connect)
        self.later_button.clicked.connect(self._on_later)

    # --- texts ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Welcome to cm-console"))
        self.heading.setText(self.tr("Welcome to cm-console"))
        self.intro.setText(
            self.tr(
                "cm-console gathers the conversations that wait for an answer on your "
                "organisation's platforms into one queue:"
            )
        )
        self.queue_help.setText(
            "<ul style='margin-left: -20px'>"
            + "".join(
                f"<li>{line}</li>"
                for line in (
                    self.tr("<b>Unanswered</b>: a post nobody has replied to yet."),
                    self.tr(
                        "<b>Stalled</b>: a discussion that ended on an open question and went "
                        "quiet."
                    ),
                    self.tr("<b>Awaiting us</b>: someone posted after the team's last reply."),
                )
            )
            + "</ul>"
        )
        self.keys_help.setText(
            self.tr(
                "Work through it with the keyboard: <b>J</b> and <b>K</b> move through the "
                "queue, <b>R</b> replies, <b>E</b> marks a conversation done and <b>?</b> "
                "lists every shortcut."
            )
        )
        self.preferences.setTitle(self.tr("Your preferences"))
        self.language_label.setText(self.tr("&Language:"))
        self.timezone_label.setText(self.tr("&Time zone:"))
        self.timezone_note.setText(
            self.tr(
                "Business hours and response targets count in this zone. You can change both "
                "later in Settings."
            )
        )
        self.demo_button.setText(self.tr("Open the &demo workspace"))
        self.demo_button.setToolTip(
            self.tr("A simulated intranet with months of history, kept apart from your own data")
        )
        self.connect_button.setText(self.tr("&Connect an account…"))
        self.later_button.setText(self.tr("&Not now"))
        self.later_button.setToolTip(self.tr("Start with an empty workspace; do not ask again"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- preferences ---------------------------------------------------------------------------

    def _load_preferences(self) -> None:
        language = i18n.choose(str(self._settings.value(LANGUAGE_KEY, "") or ""))
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        zone = default_time_zone(self._settings)
        if self.timezone.findText(zone) < 0:
            self.timezone.addItem(zone)
        self.timezone.setCurrentText(zone)
        # Saved right away, so the choice holds whichever way the welcome ends.
        self._settings.setValue(LANGUAGE_KEY, language)
        self._settings.setValue(TIMEZONE_KEY, zone)

    def _on_language_changed(self, _index: int) -> None:
        language = str(self.language.currentData())
        self._settings.setValue(LANGUAGE_KEY, language)
        switch_language(language)

    def _on_timezone_changed(self, text: str) -> None:
        if text in self._zones():
            self._settings.setValue(TIMEZONE_KEY, text)

    def _zones(self) -> set[str]:
        return {self.timezone.itemText(i) for i in range(self.timezone.count())}

    def chosen_time_zone(self) -> str:
        return str(self._settings.value(TIMEZONE_KEY, "") or "")

    # --- the three ways out --------------------------------------------------------------------

    def _busy(self, text: str) -> None:
        self._working = True
        self.message.setText(text)
        for button in (self.demo_button, self.connect_button, self.later_button):
            button.setEnabled(False)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def _idle(self, text: str = "") -> None:
        self._working = False
        QGuiApplication.restoreOverrideCursor()
        self.message.setText(text)
        self.demo_button.setEnabled(self._open_demo is not None)
        self.connect_button.setEnabled(True)
        self.later_button.setEnabled(True)

    def _on_open_demo(self) -> None:
        open_demo = self._open_demo
        if open_demo is None:
            return
        settings = self._settings
        self._busy(self.tr("Preparing the demo workspace…"))

        def done(services: UiServices) -> None:
            self._idle()
            self.services = services
            self.accept()

        def failed(exc: Exception) -> None:
            self._idle(
                self.tr("The demo workspace could not be opened: %1").replace("%1", str(exc))
            )

        self.tasks.run(lambda _s: open_demo(settings), done, failed, writer=True, label="demo")

    def _on_connect(self) -> None:
        # Kept on self: tasks it starts may outlive exec(), and their callbacks refer to it.
        self._accounts_dialog = AccountsDialog(self.services.accounts, self.tasks, _nothing, self)
        self._accounts_dialog.exec()
        self._busy(self.tr("Checking the accounts…"))
        accounts, zone, system = self.services.accounts, self.chosen_time_zone(), self.system_zone
        self.tasks.run(
            lambda _s: apply_time_zone(accounts, zone, system),
            self._after_connect,
            lambda exc: self._idle(str(exc)),
            writer=True,
            label="welcome accounts",
        )

    def _after_connect(self, rows: list[AccountOverview]) -> None:
        self._idle()
        if rows:
            self.accept()

    def _on_later(self) -> None:
        self.reject()

    def done(self, result: int) -> None:
        if self._working and result == QDialog.DialogCode.Rejected:
            return  # Escape or the close button while the demo is being made: let it finish
        if result == QDialog.DialogCode.Rejected:
            # "Not now", Escape or the close button: an empty workspace, and no welcome again.
            self._settings.setValue(DISMISSED_KEY, True)
        self._settings.sync()
        super().done(result)


def first_run(services: UiServices, open_demo: OpenDemo | None) -> UiServices:
    """Show the welcome when it applies; the services the main window should open on."""
    if not should_show(services):
        return services
    dialog = WelcomeDialog(services, open_demo)
    dialog.exec()
    # Finished tasks let go of their callbacks in the pool's threads; once they all have, the
    # dialog is released here, on the GUI thread, where Qt widgets must be destroyed.
    dialog.tasks.wait()
    return dialog.services
