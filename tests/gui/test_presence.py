"""Team mode in the window, on a real shared PostgreSQL database: a colleague's console (a
second service stack on the same database) replies, tags and goes away, and the window shows it
within seconds; the network to the database is cut and restored; the audit log page filters
and exports."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import QSettings

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.views import QueueQuery
from cm_console.ui.audit import AuditModel
from cm_console.ui.main import prepare
from cm_console.ui.main_window import MainWindow
from tests.gui.conftest import NOW, ui_services
from tests.helpers.postgres import PostgresServer
from tests.helpers.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres


@pytest.fixture
def shared_url(pg_server: PostgresServer, pg_template: str) -> Iterator[str]:
    url = pg_server.database(template=pg_template)
    yield url
    pg_server.drop(url)


@pytest.fixture
def proxy(shared_url: str) -> Iterator[TcpProxy]:
    parts = urlsplit(shared_url)
    assert parts.hostname and parts.port
    p = TcpProxy(parts.hostname, parts.port)
    yield p
    p.stop()


def open_console(url: str, profile: Path, user: str) -> app_module.Workspace:
    return app_module.open_workspace(
        url, config.Paths(profile), app_module.fixed_clock(NOW), user_name=user
    )


@pytest.fixture
def team(shared_url: str, proxy: TcpProxy, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Anouk's workspace (through the proxy, so the test can cut her network) and Bram's."""
    through = shared_url.replace(f":{urlsplit(shared_url).port}/", f":{proxy.port}/")
    bram = open_console(shared_url, tmp_path / "bram", "bram")
    bram.demo.create()
    anouk = open_console(through, tmp_path / "anouk", "anouk")
    yield anouk, bram
    anouk.close()
    bram.close()


@pytest.fixture
def window(qtbot, team, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    anouk, _bram = team
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "en")
    settings.setValue("theme", "light")
    prepare(settings)
    win = MainWindow(ui_services(anouk, settings))
    win.skip_exit_warning = True
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    with qtbot.waitSignal(win.queue.loaded, timeout=15_000):
        win.start_without_sync()
    qtbot.waitUntil(lambda: win.thread_pane.detail is not None, timeout=15_000)
    assert win.team is not None and win.team.shared
    qtbot.waitUntil(win.team._listener.listening.is_set, timeout=10_000)  # type: ignore[union-attr]
    yield win
    win.close()
    for _ in range(100):  # results of the last tasks arrive while the window still exists
        assert win.tasks.wait(15_000), "background tasks still running after the test"
        qtbot.wait(20)
        if not win.tasks.busy:
            break
    assert not win.tasks.busy


def test_a_colleague_replying_shows_in_the_thread_pane_and_the_queue(qtbot, window, team) -> None:  # type: ignore[no-untyped-def]
    _anouk, bram = team
    shown = window.thread_pane.detail.item.id
    bram.team.beat()  # Bram's console is open
    assert bram.team.start_reply(shown) is None
    qtbot.waitUntil(window.claim_banner.isVisible, timeout=8_000)
    assert "bram is replying" in window.claim_banner.text()
    assert window.team.claim_for(shown).user_name == "bram"
    qtbot.waitUntil(lambda: "1 colleague online" in window.team_indicator.text(), timeout=8_000)
    bram.team.stop_reply(shown)
    qtbot.waitUntil(lambda: not window.claim_banner.isVisible(), timeout=8_000)


def test_typing_a_reply_claims_the_thread_for_colleagues(qtbot, window, team) -> None:  # type: ignore[no-untyped-def]
    _anouk, bram = team
    shown = window.thread_pane.detail.item.id
    window.composer.editor.setFocus()
    qtbot.keyClicks(window.composer.editor, "Ik kijk ernaar")
    qtbot.waitUntil(lambda: shown in bram.team.replying([shown]), timeout=8_000)
    assert bram.team.replying([shown])[shown].user_name == "anouk"
    window.table.step(1)  # moving on gives the thread back
    qtbot.waitUntil(lambda: bram.team.replying([shown]) == {}, timeout=8_000)


def test_a_colleagues_tag_reaches_the_queue_within_seconds(qtbot, window, team) -> None:  # type: ignore[no-untyped-def]
    _anouk, bram = team
    tid = bram.triage.queue_ids(QueueQuery())[0]
    row = window.queue_model.row_of(tid)
    assert row is not None
    bram.triage.tag([tid], "escalated")

    def tagged() -> bool:
        found = window.queue_model.row_of(tid)
        item = window.queue_model.item(found) if found is not None else None
        return item is not None and "escalated" in item.tags

    qtbot.waitUntil(tagged, timeout=8_000)


def test_losing_the_database_shows_offline_and_recovers(qtbot, window, proxy) -> None:  # type: ignore[no-untyped-def]
    proxy.cut()
    qtbot.waitUntil(lambda: window.status.offline, timeout=15_000)
    assert "unreachable" in window.team_indicator.text()
    proxy.restore()
    qtbot.waitUntil(lambda: not window.status.offline, timeout=30_000)


def test_the_audit_page_filters_and_exports(
    qtbot, qtmodeltester, window, team, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    anouk, bram = team
    tid = bram.triage.queue_ids(QueueQuery())[0]
    anouk.triage.tag([tid], "hr")
    bram.triage.flag([tid], "check with legal")
    with qtbot.waitSignal(window.audit_page.loaded, timeout=10_000):
        window.show_page("audit")
    page = window.audit_page
    assert page.model.rowCount() >= 2
    qtmodeltester.check(page.model)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.user.setCurrentIndex(page.user.findData("anouk"))
    assert {e.user for e in page.model.entries} == {"anouk"}
    assert page.model.data(page.model.index(0, 2)) == "Tagged"
    target = tmp_path / "audit.csv"
    page.export_to(str(target))
    qtbot.waitUntil(lambda: "exported" in page.status.text(), timeout=10_000)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows and {r["user"] for r in rows} == {"anouk"}


def test_the_audit_model_passes_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = AuditModel()
    qtmodeltester.check(model)


def test_presence_stops_when_the_window_closes(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    team = window.team
    assert team is not None and team._listener is not None
    window.close()
    assert team._stopped, "closing stopped the heartbeat and the listener"
    assert team._listener is None
    assert not team._heartbeat.isActive()
