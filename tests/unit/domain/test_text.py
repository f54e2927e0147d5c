"""Text rules: does a post ask something, and what is a chat thread's title."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cm_console.domain.text import asks_question, strip_quotes_and_code, title_from_text


@pytest.mark.parametrize(
    "text",
    [
        "Is the VPN down?",
        "Weet iemand hoe dit werkt ?",
        "¿Alguien sabe?",
        "誰か知っていますか？",
        "هل يعرف أحد؟",
        "Line one.\nAnd a question on line two?",
        "See https://intranet/page?id=3 — does that help?",
        'He said "really?" and I wonder: why?',
        "> quoted question?\nMy own question?",
        "`x?` is not it, but is this?",
    ],
)
def test_asks_a_question(text: str) -> None:
    assert asks_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Thanks, that fixed it.",
        "> Did you try restarting?\nYes, that worked.",
        'The error says "file not found?" again.',
        "Use `grep -E 'a?b'` for that.",
        "```\nwhat?\n```\nDone.",
        "~~~\nwhy?\n~~~",
        "Details: https://intranet/search?q=vpn",
        "www.example.com/?page=2",
        "„Werkt het?” vroeg ze.",
        "«Ça marche ?» dit-il.",
        "“Really?” – yes.",
        "```unclosed fence\nwhat?",
    ],
)
def test_does_not_ask(text: str) -> None:
    assert not asks_question(text)


def test_only_the_authors_own_words_remain() -> None:
    stripped = strip_quotes_and_code('> a?\nmine `code?` "q?" https://x/?y\n```\nz?\n```')
    assert "?" not in stripped
    assert "mine" in stripped


@given(st.text())
def test_no_question_mark_no_question(text: str) -> None:
    if not any(mark in text for mark in "?？¿؟"):
        assert not asks_question(text)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Printer broken\nIt makes a noise.", "Printer broken"),
        ("\n\n   \n  Second   line  here \n", "Second line here"),
        ("", ""),
        ("   \n\t", ""),
        ("x" * 80, "x" * 80),
    ],
)
def test_title_from_text(text: str, title: str) -> None:
    assert title_from_text(text) == title


def test_a_long_first_line_is_clipped_to_80_characters() -> None:
    title = title_from_text("word " * 40)
    assert len(title) <= 80
    assert title.endswith("…")
    assert title.startswith("word word")


@given(st.text(), st.integers(2, 200))
def test_titles_are_one_line_and_never_longer_than_the_limit(text: str, limit: int) -> None:
    title = title_from_text(text, limit)
    assert len(title) <= limit
    assert title == title.strip()
    assert not any(ch in title for ch in "\n\r")
