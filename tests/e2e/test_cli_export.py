"""Exports and review packets from the command line, as a user runs them: real processes, real
files read back (HTML with html.parser, PDF with pypdf, CSV with csv), exit codes and output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pypdf
import pytest

from cm_console import app as app_module
from cm_console import config
from cm_console.cli import parse_instant
from cm_console.domain.review import Decision
from tests.e2e.test_cli import NOW, run
from tests.unit.reports.test_export_formats import parse

DUTCH = "Privé: de ĳsbaan, een reünie, naïef, €12,50"
# Qt's PDF writer keeps typographic ligatures (ﬁ, ﬂ); read them back as letters. Not with NFKC,
# which would also take the Dutch ĳ apart.
LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
)


def pdf_text(reader: pypdf.PdfReader) -> str:
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.translate(LIGATURES).split())


@pytest.fixture(scope="module")
def manager(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A demo workspace with two threads flagged from the command line."""
    profile = tmp_path_factory.mktemp("manager")
    base = ["--db", str(profile / "demo.sqlite3"), "--now", NOW]
    run(profile, *base, "demo", "--headless")
    queue = json.loads(run(profile, *base, "queue", "--view", "all", "--json").stdout)
    busy = [i for i in queue if i["reply_count"] >= 2 and not i["flagged"]][:2]
    out = run(profile, *base, "flag", busy[0]["key"], "--reason", "privacy", "--note", DUTCH)
    assert out.stdout.strip() == "flagged; a complete copy is kept"
    run(profile, *base, "flag", str(busy[1]["id"]), "--reason", "conduct")
    return profile, base


def local(profile: Path, base: list[str], user: str = "Anouk de Vries") -> app_module.Workspace:
    """The same database opened in-process: what the window would do between commands."""
    now = parse_instant(NOW)
    return app_module.open_workspace(
        f"sqlite:///{base[1]}", config.Paths(profile), app_module.fixed_clock(now), user_name=user
    )


def test_flagging_keeps_the_thread_and_review_list_shows_it(
    manager: tuple[Path, list[str]],
) -> None:
    profile, base = manager
    listed = json.loads(run(profile, *base, "review", "list", "--json").stdout)
    ours = [i for i in listed if i["flag_reason"] in ("privacy", "conduct")]
    assert {i["flag_reason"] for i in ours} == {"privacy", "conduct"}
    assert all(i["copy"] == "complete" and i["copied_at"].endswith("Z") for i in ours)
    assert next(i for i in ours if i["flag_reason"] == "privacy")["flag_note"] == DUTCH
    table = run(profile, *base, "review", "list").stdout
    assert "REASON" in table and "privacy" in table
    bad = run(profile, *base, "flag", "1", "--reason", "gossip", check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_every_format_reads_back_with_the_review_and_dutch_intact(
    manager: tuple[Path, list[str]], tmp_path: Path
) -> None:
    profile, base = manager
    ws = local(profile, base)
    try:
        flagged = [i for i in ws.review.flagged() if i.flag_reason is not None]
        target = next(i for i in flagged if i.flag_note == DUTCH)
        ws.review.annotate(target.thread_id, "Aantekening: ĳverig gecontroleerd, één keer")
        ws.review.decide([target.thread_id], Decision.ESCALATE, "Naar de privacyfunctionaris")
        posts = len(ws.review.detail(target.thread_id).posts)
    finally:
        ws.close()
    outputs = {}
    for fmt, suffix in (("html", "html"), ("pdf", "pdf"), ("csv", "csv"), ("packet", "json")):
        path = tmp_path / f"review.{suffix}"
        out = run(
            profile, *base, "export", "--reason", "privacy", "--format", fmt, "--output", str(path)
        )
        assert out.stdout.startswith("exported 1 thread(s)"), out.stdout
        assert "1 annotation(s)" in out.stdout and str(path) in out.stdout
        outputs[fmt] = path

    html_text = " ".join("".join(parse(outputs["html"].read_text("utf-8")).text).split())
    reader = pypdf.PdfReader(outputs["pdf"])
    text_of_pdf = pdf_text(reader)
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].read_text("utf-8-sig"))))
    packet = json.loads(outputs["packet"].read_text("utf-8"))

    for text in (html_text, text_of_pdf):
        assert DUTCH in text
        assert "Aantekening: ĳverig gecontroleerd, één keer" in text
        assert "Escalate by Anouk de Vries" in text
        assert target.title in text
    assert (
        reader.metadata is not None and reader.metadata.title == "Review of flagged conversations"
    )
    assert f"Page 1 of {len(reader.pages)}" in text_of_pdf
    assert {r["flag_note"] for r in rows} == {DUTCH}
    assert rows[0]["is_root"] == "yes" and len(rows) == posts  # one row per post
    assert any("ĳverig" in r["annotations"] for r in rows)
    (thread,) = packet["threads"]
    assert thread["flag"] == {"note": DUTCH, "reason": "privacy", "flagged_at": NOW}
    assert [d["decision"] for d in thread["decisions"]] == ["escalate"]


def test_pseudonymised_pdf_names_nobody(manager: tuple[Path, list[str]], tmp_path: Path) -> None:
    profile, base = manager
    ws = local(profile, base)
    try:
        ids = ws.review.ids()
        people = {p for tid in ids for p in ws.review.detail(tid).people}
    finally:
        ws.close()
    path = tmp_path / "anon.pdf"
    run(profile, *base, "export", "--format", "pdf", "--output", str(path), "--pseudonymise")
    reader = pypdf.PdfReader(path)
    text = pdf_text(reader)
    assert "People are pseudonymised" in text and "Person A" in text
    for person in people:
        assert person.display_name not in text
        assert not person.email or person.email not in text
    # The Dutch document speaks Dutch.
    path_nl = tmp_path / "anon-nl.html"
    run(profile, *base, "export", "--format", "html", "--output", str(path_nl), "--language", "nl")
    assert "Beoordeling van gemarkeerde gesprekken" in path_nl.read_text("utf-8")


def test_a_review_packet_goes_to_a_reviewer_and_back(
    manager: tuple[Path, list[str]], tmp_path: Path
) -> None:
    profile, base = manager
    packet = tmp_path / "to-hr.json"
    run(profile, *base, "export", "--format", "packet", "--output", str(packet))

    reviewer = tmp_path / "reviewer"
    rbase = ["--db", str(reviewer / "hr.sqlite3"), "--now", NOW]
    imported = json.loads(run(reviewer, *rbase, "review", "import", str(packet), "--json").stdout)
    flagged = len(json.loads(run(profile, *base, "review", "list", "--json").stdout))
    assert imported["threads"] == imported["new_threads"] == flagged
    assert imported["accounts"] == ["review-demo"]
    listed = json.loads(run(reviewer, *rbase, "review", "list", "--json").stdout)
    assert all(i["imported"] and i["copy"] == "imported" for i in listed)
    assert run(reviewer, *rbase, "sync").returncode == 0  # nothing to sync: no platform
    refused = run(reviewer, *rbase, "sync", "--account", "review-demo", check=False)
    assert refused.returncode == 1 and "review packet" in refused.stderr

    # The reviewer works in their window (in-process here), then sends a packet back.
    ws = local(reviewer, rbase, user="Marieke Verhoef")
    try:
        first = ws.review.flagged()[0]
        detail = ws.review.detail(first.thread_id)
        ws.review.annotate(first.thread_id, "Geen actie nodig", detail.posts[0].post.remote_id)
        ws.review.decide([first.thread_id], Decision.KEEP, "Binnen de huisregels")
    finally:
        ws.close()
    back = tmp_path / "from-hr.json"
    run(reviewer, *rbase, "export", "--format", "packet", "--output", str(back))

    merged = run(profile, *base, "review", "import", str(back)).stdout
    assert f"imported {flagged} thread(s): 0 new" in merged
    assert "1 decision(s) added" in merged
    mine = {
        i["title"]: i for i in json.loads(run(profile, *base, "review", "list", "--json").stdout)
    }
    assert mine[first.title]["decision"] == "keep"
    assert mine[first.title]["decided_by"] == "Marieke Verhoef"
    again = run(profile, *base, "review", "import", str(back)).stdout
    assert "0 annotation(s) added, 0 updated, 0 decision(s) added" in again


def test_bad_input_gives_one_line_and_the_right_exit_code(
    manager: tuple[Path, list[str]], tmp_path: Path
) -> None:
    profile, base = manager
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", "utf-8")
    for args, code in (
        (["review", "import", str(junk)], 1),
        (["review", "import", str(tmp_path / "missing.json")], 1),
        (["export", "--format", "docx", "--output", str(tmp_path / "x")], 2),
        (
            [
                "export",
                "--format",
                "csv",
                "--output",
                str(tmp_path / "x.csv"),
                "--view",
                "all",
                "--reason",
                "hr",
            ],
            2,
        ),
        (
            [
                "export",
                "--format",
                "csv",
                "--output",
                str(tmp_path / "x.csv"),
                "--decision",
                "resolve",
            ],
            1,  # nothing matches: the export fails, no file is written
        ),
        (["export", "--format", "html", "--output", str(junk / "x.html")], 1),
        (
            [
                "export",
                "--format",
                "html",
                "--output",
                str(tmp_path / "y.html"),
                "--thread",
                "demo/nope",
            ],
            1,
        ),
    ):
        proc = run(profile, *base, *args, check=False)
        assert proc.returncode == code, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.csv").exists()
