"""Every widget that shows platform text shows it as plain text (a walk over the real window).

A demo workspace gets a colleague, a community, a conversation and posts whose names, title
and text are markup pointing at a canary file. The window opens on it with that conversation
selected, the people picker and the tag dialog open over it; then every label, tooltip, item
tooltip and text view is checked. Each tooltip is also really shown, with inotify on the
canary: Qt's rich-text tooltips read the files an ``<img>`` names.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QTextEdit,
    QToolTip,
    QWidget,
)

from cm_console import app as app_module
from cm_console import config
from cm_console.domain import experts
from cm_console.domain.model import Page, RemoteContainer, RemotePerson, RemotePost, RemoteThread
from cm_console.domain.views import QueueQuery, View
from cm_console.ui.dialogs import PeoplePicker
from cm_console.ui.format import suggestion_text
from cm_console.ui.main import prepare
from cm_console.ui.main_window import MainWindow
from cm_console.ui.thread_view import SafeTextBrowser
from tests.gui.conftest import NOW, ui_services
from tests.security.watch import FileWatch

MARK = "<b>pwned</b>"


def markup(canary: Path, what: str) -> str:
    return f'{MARK}<img src="{canary.as_posix()}">{what}<a href="https://evil.example">x</a>'


@pytest.fixture
def canary(tmp_path: Path) -> Iterator[tuple[Path, FileWatch]]:
    directory = tmp_path / "canaries"
    directory.mkdir()
    path = directory / "canary.png"
    path.write_bytes(b"\x89PNG canary")
    watch = FileWatch(directory)
    yield path, watch
    watch.close()


@pytest.fixture
def hostile_workspace(
    tmp_path: Path, canary: tuple[Path, FileWatch]
) -> Iterator[tuple[app_module.Workspace, int]]:
    path, _ = canary
    ws = app_module.open_workspace(
        f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        config.Paths(tmp_path / "profile"),
        app_module.fixed_clock(NOW),
    )
    ws.demo.create()
    account = ws.store.accounts.get("demo")
    assert account is not None
    at = NOW - timedelta(hours=30)
    page = Page(
        scope="hostile",
        cursor={"n": 1},
        containers=(RemoteContainer("hostile-c", markup(path, "community")),),
        people=(
            RemotePerson(
                "hostile-p",
                handle="<i>handle</i>",
                display_name=markup(path, "name"),
                title=markup(path, "job"),
                department=markup(path, "dept"),
            ),
        ),
        threads=(RemoteThread("hostile-t", "hostile-c", at, title=markup(path, "title")),),
        posts=(
            RemotePost(
                "hostile-root",
                "hostile-t",
                "hostile-p",
                at,
                text=markup(path, "text"),
                html=markup(path, "html"),
                is_root=True,
            ),
        ),
    )
    ws.store.ingest.page(account.id, page, NOW)
    ws.store.recompute_account(account.id)
    thread_id = ws.triage.resolve("demo/hostile-t")
    ws.triage.tag([thread_id], "<u>tag</u>")
    yield ws, thread_id
    ws.close()


def rich(text: str) -> bool:
    """Markup that Qt would render: raw tags, not escaped ones."""
    return MARK in text or "<img" in text


def item_tooltips(view: QAbstractItemView) -> list[str]:
    model = view.model()
    found: list[str] = []
    if model is None:
        return found
    pending = [QModelIndex()]
    while pending:
        parent = pending.pop()
        for row in range(model.rowCount(parent)):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                tip = index.data(Qt.ItemDataRole.ToolTipRole)
                if isinstance(tip, str) and tip:
                    found.append(tip)
            child = model.index(row, 0, parent)
            if child.isValid() and model.rowCount(child) > 0:
                pending.append(child)
    return found


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_platform_text_is_plain_everywhere(  # type: ignore[no-untyped-def]
    qtbot,
    hostile_workspace: tuple[app_module.Workspace, int],
    canary: tuple[Path, FileWatch],
    tmp_path: Path,
) -> None:
    ws, thread_id = hostile_workspace
    path, watch = canary
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "en")
    prepare(settings)
    win = MainWindow(ui_services(ws, settings))
    win.skip_exit_warning = True
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.queue.loaded, timeout=10_000):
        win.start_without_sync()
    win.queue.set_query(QueueQuery(view=View.ALL))
    qtbot.waitUntil(lambda: thread_id in win.queue_model._ids, timeout=10_000)
    win.table.select_row(win.queue_model._ids.index(thread_id))
    qtbot.waitUntil(
        lambda: win.thread_pane.detail is not None and win.thread_pane.detail.item.id == thread_id,
        timeout=10_000,
    )
    people = ws.triage.people(ws.store.accounts.get("demo").id)  # type: ignore[union-attr]
    picker = PeoplePicker(people, "Mention", win)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    # The prompt picker puts suggested colleagues first, each saying why (with the community's
    # name) in its item tooltip.
    hostile = next(p for p in people if MARK in p.display_name)
    why = suggestion_text(
        (experts.Reason(experts.ReasonCode.COMMUNITY, 3),), markup(path, "community"), NOW
    )
    prompt_picker = PeoplePicker(people, "Who could answer this?", win, [(hostile, why)])
    qtbot.addWidget(prompt_picker)
    prompt_picker.show()
    qtbot.waitExposed(prompt_picker)
    watch.poll()

    violations: list[str] = []
    checked = 0
    tooltips: list[tuple[QWidget, str]] = []
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel) and "pwned" in widget.text():
            checked += 1
            if widget.textFormat() != Qt.TextFormat.PlainText and rich(widget.text()):
                violations.append(f"QLabel {widget.objectName() or type(widget.parent()).__name__}")
        if "pwned" in widget.toolTip():
            checked += 1
            tooltips.append((widget, widget.toolTip()))
            if rich(widget.toolTip()):
                violations.append(f"tooltip of {type(widget).__name__}")
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            for tip in item_tooltips(widget):
                if "pwned" in tip:
                    checked += 1
                    tooltips.append((widget, tip))
                    if rich(tip):
                        violations.append(f"item tooltip in {type(widget).__name__}: {tip[:40]}")
        if isinstance(widget, QTextEdit) and "pwned" in widget.toPlainText():
            checked += 1
            if not isinstance(widget, SafeTextBrowser):
                violations.append(f"{type(widget).__name__} shows platform text")
            elif MARK in widget.toPlainText() and widget.toHtml().count("<b>pwned") > 0:
                violations.append("the thread pane rendered platform markup unsanitized")
    # Show every tooltip for real: a rich one would make Qt read the canary.
    for widget, tip in tooltips:
        QToolTip.showText(widget.mapToGlobal(QPoint(5, 5)), tip, widget)
        qtbot.wait(20)
        QToolTip.hideText()
    opened = [e for e in watch.poll() if "canary" in e]
    print(f"\nlabel walk: {checked} places show platform text, {len(violations)} violations")
    assert checked >= 6, "the hostile names, title and text are on screen"
    assert violations == []
    assert opened == [], "a tooltip read a local file"
    # The escaped form is what a plain rendering shows: the markup literally.
    title = win.thread_pane.title
    assert title.textFormat() == Qt.TextFormat.PlainText and MARK in title.text()
    doc = QTextDocument()
    doc.setHtml(html.escape(MARK))
    assert doc.toPlainText() == MARK
