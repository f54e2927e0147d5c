"""Review rules in the domain: attachment names made safe, the decision in force, and which
copy of an annotation wins a merge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cm_console.domain.model import MAX_ATTACHMENT_NAME, attachment_name
from cm_console.domain.review import (
    Annotation,
    Decision,
    DecisionRecord,
    current_decision,
    newer_annotation,
)

NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("rapport.pdf", "rapport.pdf"),
        ("C:\\Users\\sanne\\Bureaublad\\loonstrook €62.png", "loonstrook €62.png"),
        ("/home/u/.ssh/id_rsa", "id_rsa"),
        ("https://files.example/a/b/scan%20001.pdf?token=secret", "scan%20001.pdf"),
        ("factuur\u202egpj.exe", "factuurgpj.exe"),  # no right-to-left override
        ("  plan\n\tvoor   2026.docx ", "plan voor 2026.docx"),
        ("ĳsbaan.jpg", "ĳsbaan.jpg"),
        ("caf\u0065\u0301.png", "café.png"),  # NFC
        ("..", None),
        ("", None),
        (None, None),
    ],
)
def test_attachment_names_are_made_safe(raw: str | None, expected: str | None) -> None:
    assert attachment_name(raw) == expected


def test_long_attachment_names_keep_their_extension() -> None:
    name = attachment_name("x" * 500 + ".pdf")
    assert name is not None
    assert len(name) == MAX_ATTACHMENT_NAME and name.endswith("….pdf")


def decision(uid: str, minutes: int, what: Decision) -> DecisionRecord:
    return DecisionRecord(uid, 1, what, "Marieke", NOW + timedelta(minutes=minutes))


def test_the_latest_decision_is_in_force_and_ties_break_the_same_everywhere() -> None:
    history = [decision("b", 0, Decision.KEEP), decision("a", 5, Decision.ESCALATE)]
    assert current_decision(history) == history[1]
    assert current_decision(reversed(history)) == history[1]
    tie = [decision("a", 5, Decision.KEEP), decision("b", 5, Decision.RESOLVE)]
    assert current_decision(tie) == current_decision(list(reversed(tie))) == tie[1]
    assert current_decision([]) is None


def note(text: str, minutes: int, *, deleted: bool = False) -> Annotation:
    at = NOW + timedelta(minutes=minutes)
    return Annotation("u-1", 1, "p-1", "Marieke", text, NOW, at, deleted=deleted)


def test_annotation_merges_converge_whatever_the_order() -> None:
    old, new = note("eerst", 0), note("later", 10)
    assert newer_annotation(old, new) and not newer_annotation(new, old)
    assert newer_annotation(None, old)
    removed = note("later", 10, deleted=True)
    # A removal at the same moment as an edit wins on both consoles.
    assert newer_annotation(new, removed) and not newer_annotation(removed, new)
    assert not newer_annotation(new, new)
