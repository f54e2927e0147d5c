"""The Review page's reading pane: a flagged thread rendered with its annotations, earlier
versions and attachments' names in the hardened viewer, plus the page's own action links."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl, Signal
from PySide6.QtGui import QColor

from cm_console.domain.model import PostKind
from cm_console.domain.review import ReviewDetail, ReviewPost
from cm_console.reports.html import post_body_html
from cm_console.ui import theme
from cm_console.ui.format import when
from cm_console.ui.review_model import decision_label
from cm_console.ui.thread_view import SafeTextBrowser

ACTION_SCHEME = "cmc-review"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Review", text)


class ReviewBrowser(SafeTextBrowser):
    """The hardened viewer, plus the page's own links (annotate a post, remove an annotation).

    Signals:
        action_requested(str, str): an action link was clicked (action, argument).
    """

    action_requested = Signal(str, str)

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == ACTION_SCHEME:
            action, _sep, argument = url.path().partition("/")
            self.action_requested.emit(action, argument)
            return
        super()._on_anchor_clicked(url)


def _css() -> str:
    c = theme.colours()
    return (
        f"body {{ color: {c.text.name()}; }}"
        f".meta {{ color: {c.muted.name()}; }}"
        f".author {{ font-weight: 600; }}"
        f".team {{ color: {c.ok.name()}; font-weight: 600; }}"
        f".badge {{ color: {c.muted.name()}; }}"
        f".deleted {{ color: {c.danger.name()}; font-weight: 600; }}"
        f".real-target {{ color: {c.warning.name()}; font-weight: 600; }}"
        f".who {{ color: {'#FCD34D' if c.dark else '#854D0E'}; font-weight: 600; }}"
        f".version {{ color: {c.muted.name()}; }}"
        f".action {{ color: {c.accent.name()}; }}"
        f"blockquote {{ color: {c.muted.name()}; margin-left: 12px; }}"
        f"pre, code {{ font-family: monospace; }}"
        f"h4 {{ color: {c.muted.name()}; margin-top: 14px; }}"
    )


def _escape_lines(text: str) -> str:
    return "<br>".join(html.escape(line) for line in text.splitlines())


def _annotation_html(note: Any) -> str:
    c = theme.colours()
    background = "#3A3320" if c.dark else "#FEF9C3"
    who = html.escape(f"{note.author} · {when(note.updated_at)}")
    remove = html.escape(_tr("Remove"))
    return (
        f'<table width="100%" cellspacing="0" cellpadding="8" '
        f'style="background-color: {background}; margin-top: 6px;"><tr><td>'
        f'<p><span class="who">{who}</span> &nbsp; '
        f'<a class="action" href="{ACTION_SCHEME}:remove/{html.escape(note.uid)}">{remove}</a></p>'
        f"<p>{_escape_lines(note.text)}</p></td></tr></table>"
    )


def _post_html(detail: ReviewDetail, index: int, rpost: ReviewPost, current: bool) -> str:
    c = theme.colours()
    post = rpost.post
    badges = []
    if post.author_is_team:
        team = html.escape(_tr("team"))
        badges.append(f'<span class="team">{team}</span>')
    if post.by_bot or post.kind is PostKind.NOTICE:
        bot = html.escape(_tr("bot"))
        badges.append(f'<span class="badge">{bot}</span>')
    if post.edited_at is not None:
        edited = _tr("edited %1").replace("%1", when(post.edited_at))
        badges.append(f'<span class="badge">{html.escape(edited)}</span>')
    if post.deleted:
        deleted = html.escape(_tr("deleted on the platform"))
        badges.append(f'<span class="deleted">{deleted}</span>')
    number = f"#{index + 1}"
    annotate = html.escape(_tr("Annotate"))
    head = (
        f'<p><span class="meta">{number}</span> &nbsp;'
        f'<span class="author">{html.escape(post.author)}</span> '
        f'<span class="meta">· {html.escape(when(post.created_at))}</span> '
        + " ".join(badges)
        + f' &nbsp; <a class="action" href="{ACTION_SCHEME}:annotate/{index}">{annotate}</a></p>'
    )
    parts = [head, f"<div>{post_body_html(post.text, post.html)}</div>"]
    if rpost.attachments:
        names = ", ".join(html.escape(a) for a in rpost.attachments)
        label = html.escape(_tr("Attachments:"))
        parts.append(f'<p class="meta">{label} {names}</p>')
    if post.reactions:
        counts: dict[str, int] = {}
        for r in post.reactions:
            counts[r.emoji] = counts.get(r.emoji, 0) + 1
        shown = " ".join(f"{html.escape(e)} {n}" for e, n in counts.items())
        parts.append(f'<p class="meta">{shown}</p>')
    for version in rpost.versions:
        label = _tr("Earlier version, until %1:").replace("%1", when(version.replaced_at))
        parts.append(
            f'<p class="version"><i>{html.escape(label)}</i></p>'
            f'<div class="version">{post_body_html(version.text, version.html)}</div>'
        )
    parts.extend(_annotation_html(a) for a in detail.annotations_for(post.remote_id))
    if current:
        background = c.chip_bg
    elif post.deleted:
        background = QColor("#3B1F22" if c.dark else "#FFF1F2")
    elif post.author_is_team:
        background = c.team_bg
    else:
        background = c.card
    return (
        f'<a name="post-{index}"></a><table width="100%" cellspacing="0" cellpadding="10" '
        f'style="background-color: {background.name()}; margin-bottom: 10px;"><tr><td>'
        + "".join(parts)
        + "</td></tr></table>"
    )


def render_review(detail: ReviewDetail, current: int = 0) -> str:
    """A flagged thread for the reading pane: posts with their annotations, earlier versions
    and attachments' names, then the decision history. Post bodies go through the sanitizer;
    everything else is escaped."""
    parts = [f"<html><head><style>{_css()}</style></head><body>"]
    overall = detail.annotations_for(None)
    if overall:
        heading = html.escape(_tr("On the whole conversation"))
        parts.append(f"<h4>{heading}</h4>")
        parts.extend(_annotation_html(a) for a in overall)
    parts.extend(_post_html(detail, i, post, i == current) for i, post in enumerate(detail.posts))
    if detail.decisions:
        heading = html.escape(_tr("Decisions"))
        parts.append(f"<h4>{heading}</h4>")
        for d in detail.decisions:
            line = (
                _tr("%1 by %2, %3")
                .replace("%1", decision_label(d.decision))
                .replace("%2", d.reviewer)
                .replace("%3", when(d.decided_at))
            )
            note = f"<br>{_escape_lines(d.note)}" if d.note else ""
            parts.append(f"<p><b>{html.escape(line)}</b>{note}</p>")
    parts.append("</body></html>")
    return "".join(parts)
