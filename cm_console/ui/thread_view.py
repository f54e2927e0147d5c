"""The thread pane: the one place platform HTML is rendered, in a hardened text browser.

:class:`SafeTextBrowser` never loads anything by itself: ``loadResource`` answers every request
with nothing (no network, no files, no ``data:`` decoding), links never navigate the viewer, and
opening one externally first shows the real target (host in punycode) and asks. Only http, https
and mailto links can be opened at all. The HTML it shows has been sanitized just before, by
:func:`cm_console.reports.html.post_body_html`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.experts import NextStep, Via
from cm_console.domain.model import PostKind
from cm_console.domain.outbox import OpState
from cm_console.domain.views import PostView, QueueItem
from cm_console.reports.html import SAFE_SCHEMES, link_host, post_body_html, safe_href
from cm_console.services.prompting import Ladder
from cm_console.services.triage import ThreadDetail
from cm_console.ui import icons, theme
from cm_console.ui.format import (
    long_age,
    op_state_label,
    reason_text,
    state_label,
    status_label,
    tr,
    when,
)


def confirm_link(parent: QWidget | None, url: QUrl) -> bool:
    """Show where a link really leads and ask before opening it."""
    target = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    host = link_host(target)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("Open link?"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(tr("This link leads to %1").replace("%1", host or target))
    box.setInformativeText(target)
    box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Open


class SafeDocument(QTextDocument):
    """A text document that never loads a resource.

    ``QTextDocument.loadResource`` reads local files, ``qrc:`` and ``data:`` URLs by itself when
    its view does not answer, and Qt's image handler reads a file by the image's name when the
    document gives it no image. So every image request gets a blank placeholder and every
    other request nothing: no network, no file, no decoding.
    """

    def __init__(self, requests: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._requests = requests
        self._blank = QImage(1, 1, QImage.Format.Format_ARGB32)
        self._blank.fill(0)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        self._requests.append(name.toString() if isinstance(name, QUrl) else str(name))
        if type == QTextDocument.ResourceType.ImageResource.value:
            return self._blank
        if type == QTextDocument.ResourceType.StyleSheetResource.value:
            return ""
        return None


class SafeTextBrowser(QTextBrowser):
    """A text browser that loads nothing and opens links only after confirmation.

    Signals:
        link_refused(str): a link with a scheme that is never opened was clicked.
    """

    link_refused = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        confirm: Callable[[QWidget | None, QUrl], bool] = confirm_link,
        opener: Callable[[QUrl], bool] = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.resource_requests: list[str] = []
        """Every resource the document asked for (tests check it stays unanswered)."""
        self.setDocument(SafeDocument(self.resource_requests, self))
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.document().setUndoRedoEnabled(False)
        self._confirm = confirm
        self._opener = opener
        self.anchorClicked.connect(self._on_anchor_clicked)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        self.resource_requests.append(name.toString() if isinstance(name, QUrl) else str(name))
        return None

    def setSource(
        self,
        name: QUrl | str,
        type: QTextDocument.ResourceType = QTextDocument.ResourceType.UnknownResource,
    ) -> None:
        # Navigation inside the viewer is never allowed; a link is only ever opened externally.
        return

    def _on_anchor_clicked(self, url: QUrl) -> None:
        target = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if url.scheme().lower() not in SAFE_SCHEMES or safe_href(target) is None:
            self.link_refused.emit(target)
            return
        if self._confirm(self, url):
            self._opener(url)


def _css() -> str:
    c = theme.colours()
    return (
        f"body {{ color: {c.text.name()}; }}"
        f".meta {{ color: {c.muted.name()}; }}"
        f".author {{ font-weight: 600; }}"
        f".team {{ color: {c.ok.name()}; font-weight: 600; }}"
        f".badge {{ color: {c.muted.name()}; }}"
        f".deleted {{ color: {c.danger.name()}; }}"
        f".real-target {{ color: {c.warning.name()}; font-weight: 600; }}"
        f".pending {{ color: {c.accent.name()}; }}"
        f"blockquote {{ color: {c.muted.name()}; margin-left: 12px; }}"
        f"pre, code {{ font-family: monospace; }}"
    )


def _post_html(post: PostView, zone: Any) -> str:
    # Translated outside the f-strings: lupdate does not look inside them.
    badges = []
    if post.author_is_team:
        team = html.escape(tr("team"))
        badges.append(f'<span class="team">{team}</span>')
    if post.by_bot or post.kind is PostKind.NOTICE:
        bot = html.escape(tr("bot"))
        badges.append(f'<span class="badge">{bot}</span>')
    if post.kind is PostKind.WHISPER:
        whisper = html.escape(tr("whisper"))
        badges.append(f'<span class="badge">{whisper}</span>')
    if post.edited_at is not None:
        edited = html.escape(tr("edited"))
        badges.append(f'<span class="badge">{edited}</span>')
    if post.deleted:
        deleted = html.escape(tr("deleted on the platform"))
        badges.append(f'<span class="deleted">{deleted}</span>')
    head = (
        f'<p><span class="author">{html.escape(post.author)}</span> '
        f'<span class="meta">· {html.escape(when(post.created_at, zone))}</span> '
        + " ".join(badges)
        + "</p>"
    )
    body = post_body_html(post.text, post.html)
    reactions = ""
    if post.reactions:
        counts: dict[str, int] = {}
        for r in post.reactions:
            counts[r.emoji] = counts.get(r.emoji, 0) + 1
        reactions = (
            '<p class="meta">'
            + " ".join(f"{html.escape(e)} {n}" for e, n in counts.items())
            + "</p>"
        )
    c = theme.colours()
    card = c.team_bg if post.author_is_team else c.card
    return (
        f'<table width="100%" cellspacing="0" cellpadding="10" '
        f'style="background-color: {card.name()}; margin-bottom: 10px;"><tr><td>'
        f"{head}<div>{body}</div>{reactions}</td></tr></table>"
    )


def render_thread(detail: ThreadDetail, zone: Any = None) -> str:
    """The thread as one safe HTML document for :class:`SafeTextBrowser`."""
    parts = [f"<html><head><style>{_css()}</style></head><body>"]
    parts.extend(_post_html(post, zone) for post in detail.posts)
    for op in detail.operations:
        if op.state in (OpState.SENT, OpState.CANCELLED):
            continue
        text = html.escape(str(op.payload.get("text", "")))
        you = html.escape(tr("You"))
        parts.append(
            f'<div class="pending"><p><b>{you}</b> · '
            f"{html.escape(op_state_label(op.state))}</p><p>{text}</p></div>"
        )
    parts.append("</body></html>")
    return "".join(parts)


class ReasonsPanel(QFrame):
    """ "Why is this here?": the reasons that put the item in the queue, with their weights."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasons")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 10, 6)
        self._layout.setSpacing(2)
        self.labels: list[QLabel] = []

    def show_item(self, item: QueueItem, now: datetime) -> None:
        for label in self.labels:
            label.deleteLater()
        self.labels = []
        if not item.reasons:
            text = tr("Not in the queue: %1").replace("%1", state_label(item.state))
            self._add(text)
            return
        for reason in item.reasons:
            self._add(f"• {reason_text(reason, item, now)}  (+{reason.weight})")
        self._add(tr("Priority %1").replace("%1", str(item.priority)))

    def _add(self, text: str) -> None:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        self._layout.addWidget(label)
        self.labels.append(label)


def ladder_lines(ladder: Ladder, now: datetime) -> list[str]:
    """The prompts on a thread and the ladder's next step, as lines for the thread pane."""
    lines = []
    for prompt in ladder.prompts:
        how = tr("by mention") if prompt.via is Via.MENTION else tr("by direct message")
        head = (
            tr("Asked %1 %2, %3 ago")
            .replace("%1", prompt.person)
            .replace("%2", how)
            .replace("%3", long_age(now - prompt.prompted_at))
        )
        if prompt.answered_at is not None:
            tail = tr("answered")
        elif prompt.closed:
            tail = tr("followed up")
        elif now >= prompt.deadline_at:
            tail = tr("no answer yet")
        else:
            tail = tr("waiting until %1").replace("%1", when(prompt.deadline_at))
        lines.append(f"{head} — {tail}")
    if ladder.next_step is NextStep.DM and ladder.person is not None:
        lines.append(
            tr("Next step: send %1 a direct message (P)").replace("%1", ladder.person.display_name)
        )
    elif ladder.next_step is NextStep.ESCALATE:
        who = ladder.person.display_name if ladder.person else tr("another colleague")
        lines.append(tr("Next step: ask %1 (P)").replace("%1", who))
    return lines


class ThreadPane(QWidget):
    """Header (title, community, state, reasons) and the rendered thread."""

    def __init__(self, now: Callable[[], datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 4)
        layout.setSpacing(6)
        self.title = QLabel(self)
        self.title.setObjectName("threadTitle")
        self.title.setWordWrap(True)
        self.meta = QLabel(self)
        self.meta.setObjectName("threadMeta")
        self.meta.setWordWrap(True)
        self.meta.setMinimumWidth(50)
        self.why = QToolButton(self)
        self.why.setText(tr("Why is this here?"))
        self.why.setCheckable(True)
        self.why.setIcon(icons.icon("info", theme.colours().icon))
        self.why.setToolButtonStyle(self.why.toolButtonStyle().ToolButtonTextBesideIcon)
        for label in (self.title, self.meta):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.meta, 1)
        row.addWidget(self.why)
        self.reasons = ReasonsPanel(self)
        self.ladder = QLabel(self)
        self.ladder.setObjectName("muted")
        self.ladder.setTextFormat(Qt.TextFormat.PlainText)
        self.ladder.setWordWrap(True)
        self.ladder.setVisible(False)
        self.why.toggled.connect(self.reasons.setVisible)
        self.why.setChecked(True)
        self.browser = SafeTextBrowser(self)
        self.browser.setAccessibleName(tr("Conversation"))
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.reasons)
        layout.addWidget(self.ladder)
        layout.addWidget(self.browser, 1)
        self.detail: ThreadDetail | None = None
        self.show_empty()

    def show_empty(self) -> None:
        self.detail = None
        self.title.setText(tr("Nothing selected"))
        self.meta.setText(tr("Pick a conversation in the queue, or press j and k to move."))
        self.why.setEnabled(False)
        self.reasons.setVisible(False)
        self.ladder.setVisible(False)
        self.browser.clear()

    def show_ladder(self, ladder: Ladder | None) -> None:
        lines = ladder_lines(ladder, self._now()) if ladder is not None else []
        self.ladder.setText("\n".join(lines))
        self.ladder.setVisible(bool(lines))

    def show_detail(self, detail: ThreadDetail) -> None:
        self.detail = detail
        item = detail.item
        self.title.setText(item.title or tr("(untitled)"))
        bits = [
            item.container,
            item.author,
            state_label(item.state),
            status_label(item.status),
            tr("%n reply(ies)", None, item.reply_count),
        ]
        if item.assignee:
            bits.append(tr("assigned to %1").replace("%1", item.assignee))
        if item.tags:
            bits.append(", ".join(item.tags))
        self.meta.setText(" · ".join(b for b in bits if b))
        self.why.setEnabled(True)
        self.reasons.show_item(item, self._now())
        self.reasons.setVisible(self.why.isChecked())
        scroll = self.browser.verticalScrollBar().value() if self.detail is detail else 0
        self.browser.setHtml(render_thread(detail))
        self.browser.verticalScrollBar().setValue(scroll)
