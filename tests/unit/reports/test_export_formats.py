"""Every export format from one export model, read back the way a recipient would: the HTML
with ``html.parser``, the CSV with ``csv``, the packet with the importer's own parser.

Hostile platform HTML must never reach a document unsanitized, redaction must hold in every
format, and Dutch characters must survive all of them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from cm_console.domain.model import Person, PostKind, Reaction
from cm_console.domain.review import (
    Annotation,
    CopyState,
    Decision,
    DecisionRecord,
    FlagReason,
    PostVersion,
    ReviewDetail,
    ReviewItem,
    ReviewPost,
)
from cm_console.domain.views import PostView
from cm_console.reports.csv_export import COLUMNS, render_csv
from cm_console.reports.document import render_html
from cm_console.reports.export import ExportOptions, ThreadSource, build_export
from cm_console.reports.packet import PacketError, parse_packet, render_packet

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
DUTCH = "Privé: de ĳsbaan, een café met ruïne-sfeer, één reünie voor €12,50"
HOSTILE = (
    '<p onclick="steal()" style="background:url(https://evil.example/bg.png)">Hoi'
    "<script>alert('x')</script>"
    '<img src="https://evil.example/pixel.gif" onerror="steal()">'
    '<a href="javascript:alert(1)">klik</a> '
    '<a href="https://evil.example/login" onmouseover="steal()">intranet.example.nl</a>'
    "<style>@import url(https://evil.example/x.css); body{background:url(x)}</style>"
    '<iframe src="https://evil.example/frame"></iframe>'
    '<svg onload="steal()"><circle/></svg>'
    '<form action="https://evil.example/post"><input name="q"></form>'
    '<meta http-equiv="refresh" content="0;url=https://evil.example">'
    '<link rel="stylesheet" href="https://evil.example/s.css">'
    '<base href="https://evil.example/">'
    '<object data="https://evil.example/x.swf"></object>'
    '<a href="data:text/html;base64,PHNjcmlwdD4=">data</a>'
    '<a href="file:///etc/passwd">file</a>'
    '<span style="color:red">rood</span></p>'
)

SANNE = Person(1, 1, "u-sanne", "sanne", "Sanne de Graaf", email="sanne.degraaf@example.nl")
FATIMA = Person(2, 1, "u-fatima", "fatima", "Fatima El Amrani", email="f.elamrani@example.nl")
ANOUK = Person(3, 1, "u-anouk", "anouk", "Anouk de Vries", is_team=True)
MARK = Person(4, 1, "u-mark", "mark", "Mark de Boer", email="mark@example.nl")


def post(
    remote_id: str,
    who: Person,
    minutes: int,
    text: str,
    html: str | None = None,
    **kw: object,
) -> ReviewPost:
    extra = {k: kw.pop(k) for k in ("attachments", "versions") if k in kw}
    return ReviewPost(
        post=PostView(
            id=int(remote_id.rsplit("-", maxsplit=1)[-1]) + 1,
            remote_id=remote_id,
            author=who.display_name,
            author_handle=who.handle,
            author_is_team=who.is_team,
            created_at=NOW - timedelta(days=2) + timedelta(minutes=minutes),
            text=text,
            html=html,
            is_root=remote_id.endswith("-0"),
            kind=PostKind.REGULAR,
            deleted=bool(kw.pop("deleted", False)),
            edited_at=kw.pop("edited_at", None),  # type: ignore[arg-type]
            reactions=kw.pop("reactions", ()),  # type: ignore[arg-type]
        ),
        author_remote_id=who.remote_id,
        **extra,  # type: ignore[arg-type]
    )


def detail() -> ReviewDetail:
    posts = (
        post(
            "t1-0",
            SANNE,
            0,
            f"{DUTCH}. Bel me op 06-12345678 of mail sanne.degraaf@example.nl",
            attachments=("loonstrook €62 ĳssel.png",),
            reactions=(Reaction("u-fatima", "👍"),),
        ),
        post("t1-1", FATIMA, 30, "Hoi klik <script>", HOSTILE),
        post(
            "t1-2",
            ANOUK,
            60,
            "Dank Sanne, @fatima neemt contact op via +31 20 123 4567.",
            edited_at=NOW - timedelta(days=1),
            versions=(
                PostVersion(
                    "Eerste versie: vraag het Mark de Boer (mark@example.nl)",
                    None,
                    None,
                    NOW - timedelta(days=1),
                ),
            ),
        ),
        post("t1-3", FATIMA, 90, "Ik heb dit weggehaald.", deleted=True),
    )
    item = ReviewItem(
        thread_id=7,
        key="intranet/t1",
        platform="demo",
        account="intranet",
        container="HR & Personeel",
        title="Vraag van Sanne over de reünie",
        url="https://intranet.example.nl/t/t1",
        author=SANNE.display_name,
        created_at=posts[0].post.created_at,
        last_activity_at=posts[-1].post.created_at,
        reply_count=3,
        flag_note="Sanne deelt haar nummer 06 1234 5678; beoordelen door HR",
        flag_reason=FlagReason.PRIVACY,
        flagged_at=NOW - timedelta(hours=3),
        copy_state=CopyState.GONE,
        upstream_deleted_at=NOW - timedelta(hours=1),
    )
    annotations = (
        Annotation("a-1", 7, "t1-1", "Marieke Verhoef", "Gesprek met Fatima plannen", NOW, NOW),
        Annotation("a-2", 7, None, "Marieke Verhoef", "Geheel: privacy geschonden", NOW, NOW),
        Annotation("a-3", 7, "t1-0", "Marieke Verhoef", "weggehaald", NOW, NOW, deleted=True),
    )
    decisions = (
        DecisionRecord("d-2", 7, Decision.ESCALATE, "Marieke Verhoef", NOW, "Naar de FG"),
        DecisionRecord("d-1", 7, Decision.KEEP, "Marieke Verhoef", NOW - timedelta(hours=1)),
    )
    return ReviewDetail(
        item=item,
        posts=posts,
        annotations=annotations,
        decisions=decisions,
        people=(SANNE, FATIMA, ANOUK),
    )


def export(options: ExportOptions, *, detail_: ReviewDetail | None = None):  # type: ignore[no-untyped-def]
    source = ThreadSource(
        detail=detail_ or detail(),
        origin_workspace="ws-1",
        origin_account="intranet",
        remote_id="t1",
        container_remote_id="c-hr",
        directory=(SANNE, FATIMA, ANOUK, MARK),
    )
    return build_export(
        [source],
        options=options,
        created_at=NOW,
        created_by="Marieke Verhoef",
        workspace="ws-1",
        zone=ZoneInfo("Europe/Amsterdam"),
    )


class Tree(HTMLParser):
    """Every element with its attributes, the text, and the style sheets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def parse(document: str) -> Tree:
    tree = Tree()
    tree.feed(document)
    tree.close()
    return tree


@pytest.mark.parametrize("for_print", [False, True])
def test_html_export_is_self_contained_and_hostile_html_is_neutralised(for_print: bool) -> None:
    document = render_html(export(ExportOptions()), for_print=for_print)
    tree = parse(document)
    tags = [tag for tag, _attrs in tree.elements]
    for banned in (
        "script",
        "img",
        "iframe",
        "svg",
        "form",
        "input",
        "object",
        "embed",
        "link",
        "base",
    ):
        assert banned not in tags, banned
    assert tags.count("style") == 1, "only the document's own style sheet"
    metas = [attrs for tag, attrs in tree.elements if tag == "meta"]
    assert not any(m.get("http-equiv", "").lower() == "refresh" for m in metas)
    if not for_print:
        csp = next(m for m in metas if m.get("http-equiv") == "Content-Security-Policy")
        assert "default-src 'none'" in (csp["content"] or "")
    for tag, attrs in tree.elements:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "action", "background"), (tag, name)
            if name == "style":
                assert "url(" not in (value or "") and "expression" not in (value or "")
            if name == "href":
                assert (value or "").startswith(("https://", "http://", "#")), value
    hrefs = [attrs.get("href") for tag, attrs in tree.elements if tag == "a"]
    assert "https://evil.example/login" in hrefs  # an ordinary web link stays a link
    assert not any((h or "").startswith(("javascript:", "data:", "file:")) for h in hrefs)
    sheet = "".join(tree.styles)
    assert "url(" not in sheet and "@import" not in sheet
    text = "".join(tree.text)
    assert "alert(" not in text and "steal()" not in text
    # The link that shows one host and leads to another is marked with the real one.
    assert "[→ evil.example]" in text
    assert "klik" in text and "rood" in text


def test_html_export_shows_the_review_record() -> None:
    text = " ".join("".join(parse(render_html(export(ExportOptions()))).text).split())
    assert DUTCH in text
    assert "loonstrook €62 ĳssel.png" in text
    assert "Eerste versie: vraag het Mark de Boer" in text  # the earlier version
    assert "Gesprek met Fatima plannen" in text and "Geheel: privacy geschonden" in text
    assert "weggehaald" not in text.replace("Ik heb dit weggehaald", "")  # removed annotation
    assert "Deleted on the platform" in text
    assert "deleted on the platform" in text  # the post deleted upstream
    assert "Escalate by Marieke Verhoef" in text  # the latest decision is the one in force
    assert text.index("Keep by Marieke Verhoef") < text.rindex("Escalate by Marieke Verhoef")
    assert "Privacy" in text and "intranet/t1" in text


def test_html_export_speaks_dutch_when_asked() -> None:
    text = " ".join("".join(parse(render_html(export(ExportOptions(language="nl")))).text).split())
    assert "Beoordeling van gemarkeerde gesprekken" in text
    assert "Escaleren door Marieke Verhoef" in text
    assert "Verwijderd op het platform" in text
    assert "nov 2026" in text and "CET" in text


def originals() -> list[str]:
    """What pseudonymisation must remove: names, handles, e-mail addresses, phone numbers."""
    found = []
    for person in (SANNE, FATIMA, ANOUK, MARK):
        found.append(person.display_name)
        found += [t for t in person.display_name.split() if len(t) > 2 and t not in ("El",)]
        found.append("@" + person.handle)
        if person.email:
            found.append(person.email)
    return [*found, "06-12345678", "06 1234 5678", "+31 20 123 4567", "@example.nl"]


def assert_redacted(text: str) -> None:
    for original in originals():
        assert original.lower() not in text.lower() if "@" in original else original not in text, (
            original
        )


def test_pseudonymised_exports_hold_no_name_address_or_number() -> None:
    exp = export(ExportOptions(pseudonymise=True))
    html_text = render_html(exp)
    assert_redacted(html_text)
    assert_redacted(render_html(exp, for_print=True))
    assert_redacted(render_csv(exp))
    packet = render_packet(exp, "p-1")
    assert_redacted(packet)
    assert "Person A" in html_text and "Person B" in html_text
    # Consistent: the root author is Person A everywhere, and the reviewer's note says so too.
    rows = list(csv.DictReader(io.StringIO(render_csv(exp))))
    assert rows[0]["author"] == "Person A" and rows[1]["author"] == "Person B"
    assert "Gesprek met Person B plannen" in rows[1]["annotations"]
    assert exp.threads[0].title == "Vraag van Person A over de reünie"
    assert exp.threads[0].url is None and all(p.url is None for p in exp.threads[0].posts)
    # The review itself stays readable.
    assert DUTCH in html_text.replace("&#x27;", "'")


def test_strip_contacts_keeps_names() -> None:
    exp = export(ExportOptions(strip_contacts=True))
    text = render_csv(exp)
    assert "Sanne de Graaf" in text
    for gone in ("06-12345678", "sanne.degraaf@example.nl", "+31 20 123 4567", "06 1234 5678"):
        assert gone not in text


def test_csv_has_one_row_per_post_and_defuses_formulas() -> None:
    hostile = detail()
    first = replace(hostile.posts[0], post=replace(hostile.posts[0].post, text="=HYPERLINK(1)"))
    exp = export(ExportOptions(), detail_=replace(hostile, posts=(first, *hostile.posts[1:])))
    raw = render_csv(exp)
    rows = list(csv.reader(io.StringIO(raw)))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    assert len(body) == 4
    assert body[0]["text"] == "'=HYPERLINK(1)"
    assert body[0]["attachments"] == "loonstrook €62 ĳssel.png"
    assert body[0]["is_root"] == "yes" and body[3]["deleted"] == "yes"
    assert body[0]["flag_reason"] == "privacy" and body[0]["decision"] == "escalate"
    assert "Eerste versie" in body[2]["earlier_versions"]
    assert "Geheel: privacy geschonden" in body[0]["annotations"]


def test_packet_round_trip_keeps_ids_and_everything_the_reviewer_needs() -> None:
    exp = export(ExportOptions())
    header, threads = parse_packet(render_packet(exp, "p-1").encode("utf-8"))
    assert header["workspace"] == "ws-1" and header["packet_id"] == "p-1"
    (thread,) = threads
    assert (thread.origin.workspace, thread.origin.account, thread.origin.remote_id) == (
        "ws-1",
        "intranet",
        "t1",
    )
    assert thread.flag_reason is FlagReason.PRIVACY
    assert thread.upstream_deleted_at is not None
    assert [p.remote_id for p in thread.posts] == ["t1-0", "t1-1", "t1-2", "t1-3"]
    assert thread.posts[0].text.startswith(DUTCH)
    assert thread.posts[0].attachments == ("loonstrook €62 ĳssel.png",)
    assert thread.posts[3].deleted
    assert "<script" not in (thread.posts[1].html or "")  # packets carry sanitized HTML
    assert thread.versions["t1-2"][0].text.startswith("Eerste versie")
    assert {a.uid for a in thread.annotations} == {"a-1", "a-2", "a-3"}
    assert next(a for a in thread.annotations if a.uid == "a-3").deleted
    assert [d.uid for d in thread.decisions] == ["d-1", "d-2"]
    assert thread.team == ("u-anouk",)


def test_damaged_or_foreign_packets_are_refused() -> None:
    text = render_packet(export(ExportOptions()), "p-1")
    with pytest.raises(PacketError, match="checksum"):
        parse_packet(text.replace("Gesprek met Fatima", "Gesprek met Piet").encode())
    with pytest.raises(PacketError, match="not JSON"):
        parse_packet(b"\x00\x01 not json")
    with pytest.raises(PacketError, match="not a review packet"):
        parse_packet(json.dumps({"hello": "world"}).encode())
    data = json.loads(text)
    data["version"] = 99
    with pytest.raises(PacketError, match="version 99"):
        parse_packet(json.dumps(data).encode())
    # A well-formed checksum over a malformed thread: still refused, with where it went wrong.
    from cm_console.reports import packet as packet_module

    data = json.loads(text)
    data["threads"][0]["posts"][0]["created_at"] = "yesterday"
    content = {k: v for k, v in data.items() if k != "checksum"}
    data["checksum"] = packet_module._checksum(content)
    with pytest.raises(PacketError, match=r"threads\[0\]\.posts\[0\]\.created_at"):
        parse_packet(json.dumps(data).encode())
