"""Flagged threads as one self-contained HTML document, for a browser or for the PDF renderer.

The document loads nothing: its CSS is inline, it has no script and no images, and a Content
Security Policy forbids anything else should a browser find something. Platform text arrives
sanitized from the export model; every other string (titles, names, notes, annotations,
attachment names) is escaped here. The ``for_print`` variant uses the HTML subset Qt's text
engine lays out (tables for cards, no ``<details>``), with a page break before each thread.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime

from cm_console.domain.model import PostKind
from cm_console.domain.review import Annotation, CopyState, DecisionRecord
from cm_console.reports.export import Export, ExportPost, ExportThread
from cm_console.reports.html import safe_href
from cm_console.reports.labels import Labels

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)

_SCREEN_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #111827;
  font: 15px/1.55 "Segoe UI", "Noto Sans", "DejaVu Sans", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 880px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 20px 0 8px; text-transform: uppercase; letter-spacing: .04em;
  color: #4b5563; }
.doc-meta { color: #4b5563; margin: 0 0 4px; }
.redaction { display: inline-block; margin: 8px 8px 0 0; padding: 2px 10px; border-radius: 999px;
  background: #eef2ff; color: #3730a3; font-size: 13px; }
nav.contents { background: #fff; border: 1px solid #e5e7eb; border-radius: 10px;
  padding: 14px 20px; margin: 24px 0; }
nav.contents ol { margin: 6px 0 0; padding-left: 22px; }
nav.contents li { margin: 2px 0; }
nav.contents .muted { color: #6b7280; }
section.thread { background: #fff; border: 1px solid #e5e7eb; border-radius: 12px;
  padding: 24px 28px; margin: 28px 0; }
table.facts { border-collapse: collapse; width: 100%; margin: 0 0 12px; font-size: 14px; }
table.facts th { text-align: left; vertical-align: top; color: #6b7280; font-weight: 500;
  width: 150px; padding: 3px 12px 3px 0; }
table.facts td { padding: 3px 0; }
.banner { border-radius: 8px; padding: 10px 14px; margin: 12px 0; font-size: 14px; }
.banner.gone { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; }
.banner.pending { background: #fffbeb; color: #92400e; border: 1px solid #fde68a; }
.post { border: 1px solid #e5e7eb; border-left: 4px solid #d1d5db; border-radius: 8px;
  padding: 12px 16px; margin: 12px 0; background: #fafafa; }
.post.root { border-left-color: #4f46e5; background: #fff; }
.post.team { border-left-color: #047857; background: #f0fdf4; }
.post.deleted { border-left-color: #dc2626; background: #fff7f7; }
.post-head { margin: 0 0 6px; font-size: 14px; }
.author { font-weight: 600; }
.when, .muted { color: #6b7280; }
.badge { display: inline-block; font-size: 12px; padding: 0 8px; border-radius: 999px;
  background: #f3f4f6; color: #374151; margin-left: 4px; }
.badge.team { background: #d1fae5; color: #065f46; }
.badge.deleted { background: #fee2e2; color: #991b1b; }
.body { overflow-wrap: anywhere; }
.body p { margin: 0 0 8px; }
.body blockquote { margin: 6px 0; padding-left: 12px; border-left: 3px solid #e5e7eb;
  color: #4b5563; }
.body pre, .body code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 13px; }
.body pre { white-space: pre-wrap; background: #f3f4f6; padding: 8px; border-radius: 6px; }
.real-target { color: #b45309; font-weight: 600; }
.extra { font-size: 13px; color: #374151; margin: 8px 0 0; }
details.versions { margin: 8px 0 0; font-size: 13px; }
details.versions summary { cursor: pointer; color: #4338ca; }
.version { border-left: 3px dashed #d1d5db; padding: 4px 0 4px 12px; margin: 6px 0;
  color: #4b5563; }
.annotation { background: #fefce8; border: 1px solid #fde68a; border-radius: 8px;
  padding: 8px 12px; margin: 10px 0 0; font-size: 14px; }
.annotation .who { font-weight: 600; color: #854d0e; margin: 0 0 2px; }
ol.decisions { padding-left: 20px; }
.decision { font-weight: 600; }
footer { color: #6b7280; font-size: 13px; text-align: center; margin-top: 32px; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section.thread { border: none; padding: 0; break-before: page; }
  nav.contents { break-after: page; }
  .post, .annotation { break-inside: avoid; }
}
"""

_PRINT_CSS = """
body { color: #111827; font-family: "DejaVu Sans", "Noto Sans", sans-serif; font-size: 10pt; }
h1 { font-size: 18pt; margin-bottom: 2pt; }
h2 { font-size: 14pt; margin-top: 0; margin-bottom: 6pt; }
h3 { font-size: 10pt; color: #4b5563; margin-top: 12pt; margin-bottom: 4pt; }
p { margin-top: 0; margin-bottom: 4pt; }
.doc-meta, .muted, .when { color: #4b5563; }
.redaction { color: #3730a3; }
.facts-label { color: #6b7280; }
.author { font-weight: bold; }
.badge { color: #374151; }
.badge-team { color: #047857; font-weight: bold; }
.badge-deleted, .gone { color: #b91c1c; font-weight: bold; }
.pending { color: #92400e; font-weight: bold; }
.real-target { color: #b45309; font-weight: bold; }
.extra { color: #374151; font-size: 9pt; }
.version { color: #4b5563; font-size: 9pt; }
.who { color: #854d0e; font-weight: bold; }
.decision { font-weight: bold; }
blockquote { color: #4b5563; margin-left: 12pt; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }
"""

_POST_BG = {"root": "#F3F5FF", "team": "#EEFBF3", "deleted": "#FFF3F3", "reply": "#F6F7F9"}
_GAP = '<p style="font-size: 4pt; margin: 0;">&#160;</p>'
"""Qt's text engine ignores margins on tables: a small empty paragraph spaces the cards."""


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _lines(text: str | None) -> str:
    return "<br>".join(_e(line) for line in (text or "").splitlines())


class _Writer:
    def __init__(self, export: Export, for_print: bool) -> None:
        self.export = export
        self.print = for_print
        self.l: Labels = export.labels
        self.zone = export.zone
        self.out: list[str] = []

    def when(self, dt: datetime | None) -> str:
        return self.l.when(dt, self.zone)

    def add(self, *parts: str) -> None:
        self.out.extend(parts)

    # --- document ------------------------------------------------------------------------------

    def document(self) -> str:
        export, lab = self.export, self.l
        css = _PRINT_CSS if self.print else _SCREEN_CSS
        self.add(
            "<!DOCTYPE html>\n",
            f'<html lang="{_e(lab.language)}">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta name="generator" content="{_e(export.generator)}">\n',
            f'<meta name="page-label" content="{_e(lab("page", n="{n}", total="{total}"))}">\n'
            if self.print
            else "",
            f"<title>{_e(lab('title'))}</title>\n<style>{css}</style>\n</head>\n<body>\n",
            "<main>\n" if not self.print else "",
        )
        self.header()
        for thread in export.threads:
            self.thread(thread)
        self.add(f'<p class="muted" align="center">{_e(lab("end"))}</p>\n' if self.print else "")
        if not self.print:
            self.add(f"<footer>{_e(lab('end'))} · {_e(export.generator)}</footer>\n</main>\n")
        self.add("</body>\n</html>\n")
        return "".join(self.out)

    def header(self) -> None:
        export, lab = self.export, self.l
        meta = [
            lab("exported", when=self.when(export.created_at), who=export.created_by),
            lab.count(len(export.threads)),
        ]
        self.add(f"<h1>{_e(lab('title'))}</h1>\n")
        self.add(f'<p class="doc-meta">{_e(" · ".join(meta))}</p>\n')
        notes = []
        if export.options.pseudonymise:
            notes.append(lab("pseudonymised"))
        if export.options.removes_contacts:
            notes.append(lab("contacts_stripped"))
        if notes:
            if self.print:
                self.add(f'<p class="redaction">{_e(" · ".join(notes))}</p>\n')
            else:
                self.add("<p>" + "".join(f'<span class="redaction">{_e(n)}</span>' for n in notes))
                self.add("</p>\n")
        if len(export.threads) > 1:
            self.contents()

    def contents(self) -> None:
        lab = self.l
        tag = "div" if self.print else 'nav class="contents"'
        self.add(f"<{tag}><h3>{_e(lab('contents'))}</h3><ol>\n")
        for thread in self.export.threads:
            title = thread.title or lab("untitled")
            status = [self.reason(thread)]
            decision = thread.decision
            status.append(
                lab(f"decision.{decision.decision.value}") if decision else lab("no_decision")
            )
            link = _e(title) if self.print else f'<a href="#thread-{thread.number}">{_e(title)}</a>'
            self.add(f'<li>{link} <span class="muted">— {_e(" · ".join(status))}</span></li>\n')
        self.add(f"</ol></{'div' if self.print else 'nav'}>\n")

    def reason(self, thread: ExportThread) -> str:
        reason = thread.flag_reason
        return self.l(f"reason.{reason.value}") if reason else self.l("reason.none")

    # --- threads -------------------------------------------------------------------------------

    def thread(self, thread: ExportThread) -> None:
        lab = self.l
        title = thread.title or lab("untitled")
        if self.print:
            # Each thread starts a page, after the contents page of a multi-thread export.
            brk = ' style="page-break-before: always"' if len(self.export.threads) > 1 else ""
            self.add(f"<h2{brk}>{thread.number}. {_e(title)}</h2>\n")
        else:
            self.add(f'<section class="thread" id="thread-{thread.number}">\n')
            self.add(f"<h2>{thread.number}. {_e(title)}</h2>\n")
        self.facts(thread)
        self.banner(thread)
        notes = thread.live_annotations(None)
        if notes:
            self.add(f"<h3>{_e(lab('thread_annotations'))}</h3>\n")
            self.add("".join(self.annotation_html(note) for note in notes) + "\n")
        for post in thread.posts:
            self.post(thread, post)
        self.decisions(thread.decisions)
        if not self.print:
            self.add("</section>\n")

    def facts(self, thread: ExportThread) -> None:
        lab = self.l
        root = next((p for p in thread.posts if p.is_root), None)
        started = self.when(thread.created_at)
        if root is not None:
            started = f"{started} · {root.author.name}"
        decision = thread.decision
        decided = (
            lab(
                "decided",
                decision=lab(f"decision.{decision.decision.value}"),
                who=decision.reviewer,
                when=self.when(decision.decided_at),
            )
            if decision
            else lab("no_decision")
        )
        rows: list[tuple[str, str]] = [
            (lab("community"), f"{thread.container} · {thread.account} ({thread.platform})"),
            (lab("started"), started),
            (lab("flagged"), self.when(thread.flagged_at) or "—"),
            (lab("reason"), self.reason(thread)),
        ]
        if thread.flag_note:
            rows.append((lab("note"), thread.flag_note))
        rows.append((lab("decision"), decided))
        rows.append((lab("reference"), thread.key))
        href = safe_href(thread.url) if thread.url else None
        if self.print:
            self.add('<table width="100%" cellspacing="0" cellpadding="2">\n')
            for name, value in rows:
                self.add(
                    f'<tr><td width="22%" class="facts-label">{_e(name)}</td>'
                    f"<td>{_lines(value)}</td></tr>\n"
                )
            if href:
                self.add(
                    f'<tr><td class="facts-label">{_e(lab("link"))}</td><td>{_e(href)}</td></tr>\n'
                )
            self.add("</table>\n")
            return
        self.add('<table class="facts">\n')
        for name, value in rows:
            self.add(f"<tr><th>{_e(name)}</th><td>{_lines(value)}</td></tr>\n")
        if href:
            self.add(
                f'<tr><th>{_e(lab("link"))}</th><td><a href="{_e(href)}" '
                f'rel="noopener noreferrer">{_e(href)}</a></td></tr>\n'
            )
        self.add("</table>\n")

    def banner(self, thread: ExportThread) -> None:
        lab = self.l
        state = thread.copy_state
        if thread.upstream_deleted_at is not None or state is CopyState.GONE:
            text, kind = lab("copy_gone", when=self.when(thread.upstream_deleted_at)), "gone"
        elif state is CopyState.PENDING and thread.flagged_at is not None:
            text, kind = lab("copy_pending"), "pending"
        else:
            return
        if self.print:
            self.add(f'<p class="{kind}">{_e(text)}</p>\n')
        else:
            self.add(f'<p class="banner {kind}">{_e(text)}</p>\n')

    def post(self, thread: ExportThread, post: ExportPost) -> None:
        lab = self.l
        kind = (
            "deleted"
            if post.deleted
            else "root"
            if post.is_root
            else "team"
            if post.author.team
            else "reply"
        )
        badges = []
        if post.author.team:
            badges.append(("team", lab("team")))
        if post.author.bot or post.kind == PostKind.NOTICE.value:
            badges.append(("", lab("bot")))
        if post.kind == PostKind.WHISPER.value:
            badges.append(("", lab("whisper")))
        if post.kind == PostKind.SMALL_ACTION.value:
            badges.append(("", lab("system")))
        if post.edited_at is not None:
            badges.append(("", lab("edited", when=self.when(post.edited_at))))
        if post.deleted:
            badges.append(("deleted", lab("post_deleted")))
        if self.print:
            badge_html = " ".join(
                f'<span class="badge{"-" + c if c else ""}">[{_e(t)}]</span>' for c, t in badges
            )
        else:
            badge_html = "".join(
                f'<span class="badge{" " + c if c else ""}">{_e(t)}</span>' for c, t in badges
            )
        head = (
            f'<span class="author">{_e(post.author.name)}</span> '
            f'<span class="when">· {_e(self.when(post.created_at))}</span> {badge_html}'
        )
        extras = self.extras(post)
        versions = self.versions(post)
        notes = "".join(self.annotation_html(a) for a in thread.live_annotations(post.remote_id))
        anchor = f"thread-{thread.number}-post-{_e(post.remote_id)}"
        if self.print:
            self.add(
                f'{_GAP}<table width="100%" cellspacing="0" cellpadding="7" '
                f'style="background-color: {_POST_BG[kind]};">'
                f"<tr><td><p>{head}</p><div>{post.html}</div>{extras}{versions}{notes}"
                "</td></tr></table>\n"
            )
        else:
            self.add(
                f'<article class="post {kind}" id="{anchor}">'
                f'<p class="post-head">{head}</p><div class="body">{post.html}</div>'
                f"{extras}{versions}{notes}</article>\n"
            )

    def extras(self, post: ExportPost) -> str:
        lab = self.l
        parts = []
        if post.attachments:
            names = ", ".join(_e(a) for a in post.attachments)
            parts.append(f'<p class="extra">{_e(lab("attachments"))}: {names}</p>')
        if post.reactions:
            counts: dict[str, int] = {}
            for _who, emoji in post.reactions:
                counts[emoji] = counts.get(emoji, 0) + 1
            shown = " · ".join(f"{_e(e)} {n}" for e, n in counts.items())
            parts.append(f'<p class="extra">{_e(lab("reactions"))}: {shown}</p>')
        return "".join(parts)

    def versions(self, post: ExportPost) -> str:
        if not post.versions:
            return ""
        lab = self.l
        items = "".join(
            f'<div class="version"><p class="muted">'
            f"{_e(lab('version', when=self.when(v.replaced_at)))}</p>{v.html}</div>"
            for v in post.versions
        )
        summary = _e(lab.versions(len(post.versions)))
        if self.print:
            return f'<p class="extra">{summary}:</p>{items}'
        return f'<details class="versions"><summary>{summary}</summary>{items}</details>'

    def annotation_html(self, note: Annotation) -> str:
        who = self.l("annotation", who=note.author, when=self.when(note.updated_at))
        if self.print:
            return (
                f'{_GAP}<table width="100%" cellspacing="0" cellpadding="6" '
                'style="background-color: #FEF9C3;"><tr><td>'
                f'<p class="who">{_e(who)}</p><p>{_lines(note.text)}</p></td></tr></table>'
            )
        return (
            f'<aside class="annotation"><p class="who">{_e(who)}</p>'
            f"<p>{_lines(note.text)}</p></aside>"
        )

    def decisions(self, decisions: Iterable[DecisionRecord]) -> None:
        items = list(decisions)
        if not items:
            return
        lab = self.l
        self.add(f'<h3>{_e(lab("decisions"))}</h3>\n<ol class="decisions">\n')
        for d in items:
            text = lab(
                "decided",
                decision=lab(f"decision.{d.decision.value}"),
                who=d.reviewer,
                when=self.when(d.decided_at),
            )
            note = f"<br>{_lines(d.note)}" if d.note else ""
            self.add(f'<li><span class="decision">{_e(text)}</span>{note}</li>\n')
        self.add("</ol>\n")


def render_html(export: Export, *, for_print: bool = False) -> str:
    """The export as one self-contained HTML document."""
    return _Writer(export, for_print).document()
