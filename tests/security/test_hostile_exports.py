"""The hostile corpus through the review exports: the HTML document (screen and print) and the
PDF Qt makes from the print variant.

Every sample becomes a post of a flagged thread (60 posts a thread). The documents are read back
with ``html.parser``: no element or attribute that loads anything, links only to http, https,
mailto or the document's own anchors. The PDF is written under the same witnesses as the thread
pane (inotify on the canary files, the loopback spy every remote address points at, the socket
guard): nothing may be opened or connected to while it is made.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cm_console.connectors.slack.text import mrkdwn_to_text
from cm_console.domain.model import PostKind
from cm_console.domain.review import CopyState, FlagReason, ReviewDetail, ReviewItem, ReviewPost
from cm_console.domain.views import PostView
from cm_console.reports.document import render_html
from cm_console.reports.export import ExportOptions, ThreadSource, build_export
from cm_console.ui.pdf import render_pdf
from tests.security.hostile import Sample
from tests.security.test_hostile_rendering import Harness, harness, in_canary_dir  # noqa: F401

AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PER_THREAD = 60
LOADING_TAGS = {
    "img", "image", "picture", "source", "video", "audio", "iframe", "frame", "object", "embed",
    "link", "base", "script", "svg", "form", "input", "use", "track", "applet",
}  # fmt: skip
LOADING_ATTRS = {"src", "srcset", "action", "background", "data", "poster", "lowsrc", "dynsrc"}
FIGURES: dict[str, object] = {}


def review_post(index: int, sample: Sample) -> ReviewPost:
    if sample.kind == "html":
        text, markup = "", sample.body
    elif sample.kind == "mrkdwn":
        text, markup = mrkdwn_to_text(sample.body), None
    else:
        text, markup = sample.body, None
    return ReviewPost(
        post=PostView(
            id=index + 1,
            remote_id=f"p-{index}",
            author="a",
            author_handle="a",
            author_is_team=False,
            created_at=AT + timedelta(seconds=index),
            text=text,
            html=markup,
            is_root=index % PER_THREAD == 0,
            kind=PostKind.REGULAR,
            deleted=False,
        ),
        author_remote_id="a",
    )


def hostile_export(samples: list[Sample]):  # type: ignore[no-untyped-def]
    sources = []
    for number, start in enumerate(range(0, len(samples), PER_THREAD), start=1):
        chunk = samples[start : start + PER_THREAD]
        posts = tuple(review_post(start + i, s) for i, s in enumerate(chunk))
        item = ReviewItem(
            thread_id=number,
            key=f"hostile/t{number}",
            platform="demo",
            account="hostile",
            container="c",
            title=f"hostile {number}",
            url=None,
            author="a",
            created_at=AT,
            last_activity_at=AT,
            reply_count=len(posts) - 1,
            flag_note=None,
            flag_reason=FlagReason.OTHER,
            flagged_at=AT,
            copy_state=CopyState.COMPLETE,
        )
        sources.append(
            ThreadSource(
                detail=ReviewDetail(item=item, posts=posts),
                origin_workspace="ws",
                origin_account="hostile",
                remote_id=f"t{number}",
                container_remote_id="c",
            )
        )
    return build_export(
        sources, options=ExportOptions(), created_at=AT, created_by="me", workspace="ws"
    )


class Loads(HTMLParser):
    """Anything in a document that could make a browser or Qt fetch something."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.styles = 0
        self.anchors = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in LOADING_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "style":
            self.styles += 1
        if tag == "meta" and any(
            n == "http-equiv" and (v or "").lower() == "refresh" for n, v in attrs
        ):
            self.problems.append("meta refresh")
        for name, value in attrs:
            value = value or ""
            if name in LOADING_ATTRS or name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style" and ("url(" in value.lower() or "expression" in value.lower()):
                self.problems.append(f"{tag}[style] {value[:40]}")
            if name == "href":
                self.anchors += 1
                if not value.lower().startswith(("https://", "http://", "mailto:", "#")):
                    self.problems.append(f"href {value[:60]!r}")


@pytest.mark.parametrize("for_print", [False, True])
def test_exported_documents_load_nothing(harness: Harness, for_print: bool) -> None:  # noqa: F811
    started = time.perf_counter()
    document = render_html(hostile_export(harness.samples), for_print=for_print)
    elapsed = time.perf_counter() - started
    check = Loads()
    check.feed(document)
    check.close()
    FIGURES[f"html{'-print' if for_print else ''}"] = {
        "samples": len(harness.samples),
        "links": check.anchors,
        "seconds": round(elapsed, 2),
    }
    assert check.problems == []
    assert check.styles == 1, "only the document's own style sheet"
    assert check.anchors > 500, "the corpus's web links stay links"


@pytest.mark.qt_log_ignore(".*")
def test_the_pdf_export_opens_and_connects_nothing(
    qtbot,  # type: ignore[no-untyped-def]
    harness: Harness,  # noqa: F811
    in_canary_dir: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    # Render bombs go into the HTML documents above; here the samples that name resources.
    samples = [s for s in harness.samples if not s.bomb]
    document = render_html(hostile_export(samples), for_print=True)
    harness.canary_events()
    before = harness.spy.connections
    target = tmp_path / "export.pdf"
    started = time.perf_counter()
    render_pdf(document, str(target))
    elapsed = time.perf_counter() - started
    FIGURES["pdf"] = {
        "samples": len(samples),
        "bytes": target.stat().st_size,
        "seconds": round(elapsed, 2),
    }
    print("\nhostile export figures:", FIGURES)
    assert target.read_bytes().startswith(b"%PDF")
    assert harness.canary_events() == []
    assert harness.spy.connections == before == 0
