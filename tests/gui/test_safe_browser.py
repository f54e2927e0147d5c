"""The hardened thread viewer against hostile HTML: nothing is loaded, nothing navigates."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from pytest_httpserver import HTTPServer

from cm_console.reports.html import sanitize_html
from cm_console.ui.thread_view import SafeTextBrowser


@pytest.fixture
def spy_server() -> HTTPServer:
    server = HTTPServer(host="127.0.0.1")
    server.start()
    yield server
    server.clear()
    server.stop()


def hostile(server: HTTPServer, canary: Path) -> str:
    remote = server.url_for("/pixel.png")
    css = server.url_for("/style.css")
    return (
        f'<p>Hello <img src="{remote}"> <img src="file://{canary}"> <img src="{canary}">'
        f'<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4'
        f'nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=">'
        f'<link rel="stylesheet" href="{css}"><style>@import url({css});</style>'
        f'<table background="{remote}"><tr><td style="background:url({remote})">x</td></tr></table>'
        f'<a href="javascript:alert(1)">click</a> <a href="JaVaScRiPt:alert(2)">obfuscated</a>'
        f'<a href="file:///etc/passwd">passwd</a> <a href="../relative">rel</a>'
        f'<a href="https://evil.example/login">https://bank.example</a></p>'
    )


class Recorder:
    def __init__(self, confirm: bool) -> None:
        self.confirm = confirm
        self.asked: list[str] = []
        self.opened: list[str] = []

    def ask(self, _parent: object, url: QUrl) -> bool:
        self.asked.append(url.toString())
        return self.confirm

    def open(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True


def test_raw_hostile_html_loads_nothing(qtbot, spy_server: HTTPServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Even unsanitized HTML cannot make the viewer fetch anything: loadResource answers None."""
    canary = tmp_path / "secret.png"
    canary.write_bytes(b"\x89PNG canary")
    before = canary.stat().st_atime_ns
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.setHtml(hostile(spy_server, canary))
    browser.resize(600, 400)
    browser.show()
    qtbot.waitExposed(browser)
    qtbot.wait(200)
    assert spy_server.log == [], "the viewer made a network request"
    assert browser.resource_requests, "Qt did ask for the resources"
    document = browser.document()
    for name in list(browser.resource_requests):
        loaded = document.resource(document.ResourceType.ImageResource.value, QUrl(name))
        assert loaded is not None
        assert loaded.size().width() == 1, "only the blank placeholder, never the file"
    assert canary.stat().st_atime_ns == before


def test_sanitized_hostile_html_asks_for_nothing(
    qtbot,
    spy_server: HTTPServer,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    clean = sanitize_html(hostile(spy_server, tmp_path / "x.png"))
    browser.setHtml(clean)
    browser.show()
    qtbot.wait(100)
    assert browser.resource_requests == []
    assert "javascript" not in clean.lower()
    assert "file:" not in clean
    assert "[→ evil.example]" in browser.toPlainText(), "the real target is shown"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,hi",
        "vbscript:msgbox",
        "ms-msdt:/id",
        "smb://host/share",
        "qrc:/icons/app.png",
    ],
)
def test_unsafe_links_never_open(qtbot, href: str) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder(confirm=True)
    browser = SafeTextBrowser(confirm=recorder.ask, opener=recorder.open)
    qtbot.addWidget(browser)
    with qtbot.waitSignal(browser.link_refused, timeout=1000):
        browser.anchorClicked.emit(QUrl(href))
    assert recorder.asked == []
    assert recorder.opened == []


def test_web_links_open_only_after_confirmation(qtbot) -> None:  # type: ignore[no-untyped-def]
    declined = Recorder(confirm=False)
    browser = SafeTextBrowser(confirm=declined.ask, opener=declined.open)
    qtbot.addWidget(browser)
    browser.anchorClicked.emit(QUrl("https://evil.example/login"))
    assert declined.asked == ["https://evil.example/login"]
    assert declined.opened == []
    accepted = Recorder(confirm=True)
    browser2 = SafeTextBrowser(confirm=accepted.ask, opener=accepted.open)
    qtbot.addWidget(browser2)
    source_before = browser2.source()
    browser2.anchorClicked.emit(QUrl("https://intranet.example/t/1"))
    assert accepted.opened == ["https://intranet.example/t/1"]
    assert browser2.source() == source_before, "the viewer itself never navigates"


def test_render_bomb_stays_cheap(qtbot) -> None:  # type: ignore[no-untyped-def]
    bomb = "<table>" * 200 + "x" + "</table>" * 200
    bomb += "<div>" * 10_000 + "deep" + "</div>" * 10_000
    bomb += '<font size="1000000">' + "big " * 50_000 + "</font>"
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    started = time.perf_counter()
    browser.setHtml(sanitize_html(bomb))
    browser.resize(500, 400)
    browser.show()
    qtbot.waitExposed(browser)
    elapsed = time.perf_counter() - started
    # Not a performance target: a guard that the sanitizer defuses the bomb instead of hanging.
    assert elapsed < 10
    assert "deep" in browser.toPlainText()
