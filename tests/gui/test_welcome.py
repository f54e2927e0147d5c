"""First run: the welcome for a workspace without accounts, driven like a user would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.views import QueueQuery
from cm_console.ui import welcome
from cm_console.ui.accounts_dialog import AccountsDialog
from cm_console.ui.context import UiServices
from cm_console.ui.main import prepare
from cm_console.ui.main_window import MainWindow
from cm_console.ui.welcome import WelcomeDialog

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
MakeDialog = Callable[[UiServices, "welcome.OpenDemo | None"], WelcomeDialog]


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[app_module.Workspace]:
    """A profile whose own workspace has no accounts yet (a first start)."""
    paths = config.Paths(tmp_path / "profile")
    ws = app_module.open_workspace(None, paths, app_module.fixed_clock(NOW))
    yield ws
    ws.close()


@pytest.fixture
def settings(empty: app_module.Workspace) -> Iterator[QSettings]:
    s = QSettings(str(empty.paths.ui_settings), QSettings.Format.IniFormat)
    s.setValue("language", "en")
    s.setValue("theme", "light")
    prepare(s)
    yield s
    welcome.switch_language("en")


@pytest.fixture
def opened() -> Iterator[list[app_module.Workspace]]:
    workspaces: list[app_module.Workspace] = []
    yield workspaces
    for ws in workspaces:
        ws.close()


@pytest.fixture
def make_dialog(qtbot) -> Iterator[MakeDialog]:  # type: ignore[no-untyped-def]
    """Welcome dialogs, shown; kept alive until their background work ended.

    Finished tasks let go of their callbacks (and so of the dialog) in the pool's threads; a
    dialog must not be released there, so the test holds it until the pools are drained, as
    ``welcome.first_run`` does.
    """
    dialogs: list[WelcomeDialog] = []

    def make(services: UiServices, open_demo: welcome.OpenDemo | None) -> WelcomeDialog:
        dialog = WelcomeDialog(services, open_demo)
        dialogs.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    yield make
    for dialog in dialogs:
        assert dialog.tasks.wait(30_000), "background tasks still running after the test"
        dialog.close()
    QApplication.processEvents()
    dialogs.clear()


def when_modal(act: Callable[[QDialog], None]) -> None:
    """Act on the next modal dialog once it is open."""

    def handle() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AccountsDialog):
            QTimer.singleShot(20, handle)
            return
        act(dialog)

    QTimer.singleShot(0, handle)


def test_welcome_only_for_a_workspace_without_accounts(
    empty: app_module.Workspace, settings: QSettings
) -> None:
    services = app_module.ui_services(empty, settings)
    assert welcome.should_show(services)
    settings.setValue(welcome.DISMISSED_KEY, True)
    assert not welcome.should_show(services)
    settings.remove(welcome.DISMISSED_KEY)
    empty.accounts.add(platform="demo", name="intranet")
    assert not welcome.should_show(services)


def test_open_the_demo_makes_a_fresh_demo_workspace_in_the_profile(
    qtbot,  # type: ignore[no-untyped-def]
    make_dialog: MakeDialog,
    empty: app_module.Workspace,
    settings: QSettings,
    opened: list[app_module.Workspace],
) -> None:
    demo_db = empty.paths.demo_database
    demo_db.parent.mkdir(parents=True)
    demo_db.write_bytes(b"an old demo workspace that must be replaced")
    dialog = make_dialog(
        app_module.ui_services(empty, settings), app_module.demo_opener(empty, opened)
    )
    with qtbot.waitSignal(dialog.accepted, timeout=60_000):
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.services.is_demo
    assert dialog.services.triage.queue(QueueQuery())  # the queue has conversations
    assert [ws.database_label for ws in opened] == [dialog.services.database_label]
    assert str(demo_db) in dialog.services.database_label
    # The user's own workspace is untouched and still has no accounts.
    assert empty.accounts.overview() == []
    assert not settings.value(welcome.DISMISSED_KEY, False, type=bool)


def test_connect_an_account_with_the_zone_chosen_in_the_welcome(
    qtbot,  # type: ignore[no-untyped-def]
    make_dialog: MakeDialog,
    empty: app_module.Workspace,
    settings: QSettings,
) -> None:
    dialog = make_dialog(app_module.ui_services(empty, settings), None)
    assert not dialog.demo_button.isEnabled()  # no way to open the demo was provided
    zone = "Asia/Tokyo" if dialog.system_zone != "Asia/Tokyo" else "America/Lima"
    dialog.timezone.setCurrentText(zone)
    assert settings.value(welcome.TIMEZONE_KEY) == zone

    def add_account(accounts: QDialog) -> None:
        assert isinstance(accounts, AccountsDialog)
        form = accounts.form
        form.platform.setCurrentIndex(form.platform.findData("demo"))
        form.name.setText("intranet")
        qtbot.mouseClick(accounts.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "added" in accounts.message.text(), timeout=10_000)
        accounts.accept()

    when_modal(add_account)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    (row,) = empty.accounts.overview()
    assert row.account.name == "intranet"
    assert row.account.options[config.TIMEZONE.key] == zone
    assert not dialog.services.is_demo


def test_connect_without_adding_an_account_stays_in_the_welcome(
    qtbot,  # type: ignore[no-untyped-def]
    make_dialog: MakeDialog,
    empty: app_module.Workspace,
    settings: QSettings,
) -> None:
    dialog = make_dialog(app_module.ui_services(empty, settings), None)
    when_modal(lambda accounts: accounts.reject())
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.connect_button.isEnabled, timeout=10_000)
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_the_system_zone_is_not_copied_into_accounts(
    qtbot,  # type: ignore[no-untyped-def]
    make_dialog: MakeDialog,
    empty: app_module.Workspace,
    settings: QSettings,
) -> None:
    dialog = make_dialog(app_module.ui_services(empty, settings), None)
    dialog.system_zone = "Europe/Amsterdam"
    dialog.timezone.setCurrentText("Europe/Amsterdam")

    def add_account(accounts: QDialog) -> None:
        assert isinstance(accounts, AccountsDialog)
        accounts.form.platform.setCurrentIndex(accounts.form.platform.findData("demo"))
        accounts.form.name.setText("intranet")
        qtbot.mouseClick(accounts.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "added" in accounts.message.text(), timeout=10_000)
        accounts.accept()

    when_modal(add_account)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    (row,) = empty.accounts.overview()
    # An account without a zone follows the computer's, which is what was chosen.
    assert config.TIMEZONE.key not in row.account.options


def test_not_now_is_remembered(
    qtbot,  # type: ignore[no-untyped-def]
    make_dialog: MakeDialog,
    empty: app_module.Workspace,
    settings: QSettings,
) -> None:
    services = app_module.ui_services(empty, settings)
    dialog = make_dialog(services, None)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.later_button, Qt.MouseButton.LeftButton)
    assert dialog.services is services
    reread = QSettings(str(empty.paths.ui_settings), QSettings.Format.IniFormat)
    assert reread.value(welcome.DISMISSED_KEY, False, type=bool)
    assert not welcome.should_show(app_module.ui_services(empty, reread))


def test_language_applies_at_once_and_is_saved(
    qtbot,  # type: ignore[no-untyped-def]
    make_dialog: MakeDialog,
    empty: app_module.Workspace,
    settings: QSettings,
) -> None:
    dialog = make_dialog(app_module.ui_services(empty, settings), None)
    app = QApplication.instance()
    assert app is not None
    before = list(app.property("cm_translators") or [])
    retranslated: list[str] = []
    original = dialog.retranslate
    dialog.retranslate = lambda: (retranslated.append("yes"), original())[-1]  # type: ignore[method-assign]
    dialog.language.setCurrentIndex(dialog.language.findData("nl"))
    assert settings.value(welcome.LANGUAGE_KEY) == "nl"
    assert QLocale().language() == QLocale.Language.Dutch
    after = list(app.property("cm_translators") or [])
    assert after, "Qt's Dutch translation should be installed"
    assert not set(map(id, before)) & set(map(id, after)), "old translators must be removed"
    qtbot.waitUntil(lambda: bool(retranslated), timeout=2000)


def test_time_zone_list_and_default(
    qtbot,  # type: ignore[no-untyped-def]
    make_dialog: MakeDialog,
    empty: app_module.Workspace,
    settings: QSettings,
) -> None:
    names = welcome.time_zone_names()
    assert names[0] == "UTC"
    assert {"Europe/Amsterdam", "America/New_York", "Asia/Tokyo"} <= set(names)
    assert not any(n.startswith("Etc/") for n in names)
    settings.remove(welcome.TIMEZONE_KEY)
    expected = welcome.default_time_zone(settings)
    assert expected == "UTC" or "/" in expected
    dialog = make_dialog(app_module.ui_services(empty, settings), None)
    assert dialog.timezone.currentText() == expected
    # Typing a name that is no zone does not replace the saved one.
    line = dialog.timezone.lineEdit()
    assert isinstance(line, QLineEdit)
    line.setText("Not/AZone")
    assert settings.value(welcome.TIMEZONE_KEY) == expected


def test_first_run_leaves_a_workspace_with_accounts_alone(
    empty: app_module.Workspace, settings: QSettings
) -> None:
    empty.accounts.add(platform="demo", name="intranet")
    services = app_module.ui_services(empty, settings)
    assert welcome.first_run(services, None) is services  # no dialog: would block otherwise


def test_first_start_opens_the_demo_in_the_main_window(
    qtbot,  # type: ignore[no-untyped-def]
    empty: app_module.Workspace,
    settings: QSettings,
) -> None:
    """The composition root's whole first start: welcome, "open the demo", the main window on
    the demo workspace; the user's own workspace stays empty."""
    seen: dict[str, object] = {}

    def drive() -> None:
        top = QApplication.activeModalWidget()
        if isinstance(top, WelcomeDialog):
            if top.demo_button.isEnabled():
                qtbot.mouseClick(top.demo_button, Qt.MouseButton.LeftButton)
            QTimer.singleShot(50, drive)
            return
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].isVisible() or not windows[0].queue_model.rowCount():
            QTimer.singleShot(50, drive)
            return
        window = windows[0]
        seen["title"] = window.windowTitle()
        seen["rows"] = window.queue_model.rowCount()
        seen["is_demo"] = window.services.is_demo
        window.skip_exit_warning = True  # type: ignore[attr-defined]
        window.close()

    QTimer.singleShot(0, drive)
    assert app_module._run_gui(empty) == 0  # the composition root's own GUI entry
    assert seen["is_demo"] is True
    assert "demo" in str(seen["title"])
    assert int(str(seen["rows"])) > 0
    assert empty.accounts.overview() == []
    assert empty.paths.demo_database.exists()
