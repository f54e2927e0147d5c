"""The link harness: every link in the hostile corpus is clicked, through the real dialog.

Links reach the viewer two ways, and both are clicked: the anchors of the rendered, sanitized
posts (what a user can click), and every raw href straight into ``anchorClicked`` (as if the
sanitizer had let it through). The real :func:`confirm_link` dialog runs; a stand-in user reads
it and always answers Open (the worst case). Only the final hand-over to the desktop is recorded
instead of performed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cm_console.connectors.slack.text import mrkdwn_to_text
from cm_console.reports.html import post_body_html
from cm_console.ui.thread_view import SafeTextBrowser, confirm_link
from tests.security.hostile import LINK_HREFS, LINK_TEXTS, _link_samples

ALLOWED = {"http", "https", "mailto"}


@dataclass
class User:
    """Answers every confirmation with Open, after reading it."""

    events: list[tuple[str, str]] = field(default_factory=list)
    dialogs: list[tuple[str, str, str]] = field(default_factory=list)

    def confirm(self, parent: QWidget | None, url: QUrl) -> bool:
        target = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)

        def answer() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(5, answer)
                return
            self.dialogs.append((target, box.text(), box.informativeText()))
            box.button(QMessageBox.StandardButton.Open).click()

        QTimer.singleShot(0, answer)
        confirmed = confirm_link(parent, url)
        self.events.append(("confirmed" if confirmed else "declined", target))
        return confirmed

    def open(self, url: QUrl) -> bool:
        self.events.append(("opened", url.toString(QUrl.ComponentFormattingOption.FullyEncoded)))
        return True


def anchors(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor() and fmt.anchorHref():
                found.append(fmt.anchorHref())
            it += 1
        block = block.next()
    return found


def body(kind: str, href: str, text: str) -> str:
    source = _link_samples(kind, href, text)
    if kind == "html":
        return post_body_html("", source)
    if kind == "mrkdwn":
        return post_body_html(mrkdwn_to_text(source), None)
    return post_body_html(source, None)


def test_no_link_opens_unconfirmed_or_off_the_allow_list(qtbot) -> None:  # type: ignore[no-untyped-def]
    user = User()
    browser = SafeTextBrowser(confirm=user.confirm, opener=user.open)
    qtbot.addWidget(browser)
    refused: list[str] = []
    browser.link_refused.connect(refused.append)
    clicks = 0
    for href in LINK_HREFS:
        for text in LINK_TEXTS:
            for kind in ("html", "mrkdwn", "markdown", "text"):
                browser.setHtml(body(kind, href, text))
                for anchor in anchors(browser.document()):
                    clicks += 1
                    browser.anchorClicked.emit(QUrl(anchor))
        # The viewer's own gate, without the sanitizer in front of it.
        for url in (QUrl(href), QUrl(href.strip()), QUrl.fromUserInput(href)):
            clicks += 1
            browser.anchorClicked.emit(url)

    opened = [t for kind, t in user.events if kind == "opened"]
    unconfirmed = [
        t
        for i, (kind, t) in enumerate(user.events)
        if kind == "opened" and (i == 0 or user.events[i - 1] != ("confirmed", t))
    ]
    off_list = [t for t in opened if QUrl(t).scheme().lower() not in ALLOWED]
    print(
        f"\nlink harness: {clicks} clicks, {len(user.dialogs)} confirmations, {len(opened)} "
        f"opened, {len(refused)} refused, {len(unconfirmed)} unconfirmed, {len(off_list)} off-list"
    )
    assert clicks >= 300
    assert unconfirmed == []
    assert off_list == []
    assert len(refused) + len(user.dialogs) == clicks, "every click is refused or confirmed"

    # Every confirmation names the real host in punycode (never the Unicode look-alike).
    missing = []
    for target, text, informative in user.dialogs:
        url = QUrl(target)
        ace = url.host(QUrl.ComponentFormattingOption.FullyEncoded)
        expected = ace or target
        if expected not in text or not text.isascii() or not informative.isascii():
            missing.append((target, text))
    assert user.dialogs and missing == []
    homographs = [t for t, text, _ in user.dialogs if "xn--" in text]
    assert homographs, "the Cyrillic look-alikes were confirmed under their punycode names"
