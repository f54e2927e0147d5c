"""Text rules: does a post ask a question, and what is a chat thread's title."""

from __future__ import annotations

import re

_FENCED_CODE = re.compile(r"(```|~~~).*?(\1|\Z)", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_DOUBLE_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”|„[^”“\n]*[”“]|«[^»\n]*»")
_URL = re.compile(r"\b(?:https?|ftp|mailto):[^\s<>]+|\bwww\.[^\s<>]+", re.IGNORECASE)
_QUESTION_MARKS = ("?", "？", "¿", "؟")
_WHITESPACE = re.compile(r"\s+")


def strip_quotes_and_code(text: str) -> str:
    """Remove quoted lines, quoted phrases, code and URLs: text that is not the author's own ask."""
    text = _FENCED_CODE.sub(" ", text)
    text = _INLINE_CODE.sub(" ", text)
    text = _QUOTE_LINE.sub(" ", text)
    text = _URL.sub(" ", text)
    return _DOUBLE_QUOTED.sub(" ", text)


def asks_question(text: str) -> bool:
    """True when the post asks something: a question mark outside quotes, code and links."""
    if not any(mark in text for mark in _QUESTION_MARKS):
        return False
    own = strip_quotes_and_code(text)
    return any(mark in own for mark in _QUESTION_MARKS)


def title_from_text(text: str, limit: int = 80) -> str:
    """The first non-empty line of ``text``, whitespace collapsed, at most ``limit`` characters."""
    for line in text.splitlines():
        line = _WHITESPACE.sub(" ", line).strip()
        if line:
            if len(line) <= limit:
                return line
            return line[: limit - 1].rstrip() + "…"
    return ""
