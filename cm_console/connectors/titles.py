"""The title of a thread the console starts, and the body that goes under it.

Forums and Zulip want a title (a Discourse topic title, a Zulip topic name) with limits of their
own. A starter's own title is used when it has one; otherwise the first line of its text becomes
the title and the rest of the text the body, so the post does not open by repeating its title.
"""

from __future__ import annotations

ELLIPSIS = "…"
DERIVED_MAX = 100
"""A title taken from the text is at most this long (a first line that is a whole paragraph is
cut), whatever longer title the platform would accept."""


def one_line(text: str) -> str:
    """``text`` with every run of white space (newlines included) as one space."""
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters: cut on a word boundary (unless the
    last word would take more than half of it) with an ellipsis."""
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: max(0, limit - len(ELLIPSIS))]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def _first_line(text: str) -> tuple[str, str]:
    """The first non-empty line of ``text`` (without a Markdown heading's ``#``) and the rest."""
    lines = text.strip().splitlines()
    if not lines:
        return "", ""
    first = lines[0].strip()
    if first.startswith("#"):
        first = first.lstrip("#").strip()
    return first, "\n".join(lines[1:]).strip()


def split_title(
    title: str | None,
    text: str,
    *,
    limit: int,
    min_length: int = 1,
    min_body: int = 1,
    tail: str = "",
) -> tuple[str, str]:
    """The title and the body of a new thread.

    Args:
        title: the starter's own title (may be empty).
        text: the starter's text.
        limit: the platform's longest title.
        min_length: the platform's shortest title: a first line shorter than this is not taken
            on its own; the title then runs on into the text.
        min_body: the platform's shortest body: the first line stays in the body when what
            follows it would be shorter.
        tail: what follows the text in the body and never feeds the title (a poll block).

    Returns:
        ``(title, body)``. The title is never longer than ``limit``; it may be shorter than
        ``min_length`` when the text is, and the platform then says so.
    """
    text = text.strip()
    first, rest = _first_line(text)

    def body(main: str) -> str:
        return "\n\n".join(part for part in (main, tail.strip()) if part)

    own = one_line(title or "")
    if own:
        # The text repeating the title on its first line: that line is left out of the body.
        if first.casefold() == own.casefold() and len(body(rest)) >= min_body:
            return shorten(own, limit), body(rest)
        return shorten(own, limit), body(text)
    wanted = min(limit, DERIVED_MAX)
    if len(first) >= min_length:
        if len(first) <= wanted and len(body(rest)) >= min_body:
            return first, body(rest)
        return shorten(first, wanted), body(text)
    # A short opening line ("Hi all!"): the title runs on into the text.
    return shorten(text, wanted), body(text)


def titled(title: str | None, text: str) -> str:
    """The text of a new thread on a platform without titles: the title (if any) as the first
    line, a blank line, then the text."""
    title = (title or "").strip()
    return f"{title}\n\n{text}" if title else text
