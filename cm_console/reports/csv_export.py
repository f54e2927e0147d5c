"""Flagged threads as CSV: one row per post, with the thread's review facts on every row.

UTF-8 with a byte-order mark (so spreadsheet programs read ë, ĳ and € right). A cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a
platform post can never become a formula in the reader's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from cm_console.reports.export import Export

COLUMNS = (
    "thread",
    "thread_title",
    "community",
    "platform",
    "flag_reason",
    "flag_note",
    "decision",
    "decided_by",
    "post",
    "post_number",
    "is_root",
    "author",
    "author_team",
    "created_at",
    "edited_at",
    "deleted",
    "text",
    "attachments",
    "reactions",
    "earlier_versions",
    "annotations",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_csv(export: Export) -> str:
    """The export as CSV text (write it with ``encoding="utf-8-sig"``)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for thread in export.threads:
        decision = thread.decision
        for number, post in enumerate(thread.posts, start=1):
            notes = [f"{a.author}: {a.text}" for a in thread.live_annotations(post.remote_id)]
            if post.is_root:
                notes = [f"{a.author}: {a.text}" for a in thread.live_annotations(None)] + notes
            counts: dict[str, int] = {}
            for _who, emoji in post.reactions:
                counts[emoji] = counts.get(emoji, 0) + 1
            writer.writerow(
                [
                    _cell(v)
                    for v in (
                        thread.key,
                        thread.title,
                        thread.container,
                        thread.platform,
                        thread.flag_reason.value if thread.flag_reason else "",
                        thread.flag_note,
                        decision.decision.value if decision else "",
                        decision.reviewer if decision else "",
                        post.remote_id,
                        number,
                        post.is_root,
                        post.author.name,
                        post.author.team,
                        post.created_at,
                        post.edited_at,
                        post.deleted,
                        post.text,
                        "; ".join(post.attachments),
                        " ".join(f"{e} {n}" for e, n in counts.items()),
                        "\n---\n".join(v.text for v in post.versions),
                        "\n".join(notes),
                    )
                ]
            )
    return out.getvalue()
