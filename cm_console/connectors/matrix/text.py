"""Matrix message bodies: plain text from ``formatted_body``, pills for intentional mentions, polls.

Kept inside the Matrix package for now; it can join a shared HTML-to-text helper later.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from html.parser import HTMLParser
from typing import Any

from cm_console.domain.model import RemotePerson

HTML_FORMAT = "org.matrix.custom.html"
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre"}
_SKIP = {"mx-reply", "script", "style"}


class _TextParser(HTMLParser):
    """Collects the visible text of a ``formatted_body`` (reply fallbacks dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag in _BLOCK and not self._skip:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK and not self._skip:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(body: str) -> str:
    """Plain text of an HTML body: tags dropped, entities decoded, blank lines squeezed."""
    parser = _TextParser()
    parser.feed(body)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_reply_fallback(body: str) -> str:
    """Drop the ``> <@user> quoted text`` lines older clients put before a reply's own text."""
    lines = body.splitlines()
    if not lines or not lines[0].startswith("> <"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    return "\n".join(lines[index:]).lstrip("\n")


POLL_START = "org.matrix.msc3381.poll.start"
"""The event type (and content key) of a poll as Element and most clients send and show it
(MSC3381 with its unstable prefix)."""
POLL_START_TYPES = frozenset({POLL_START, "m.poll.start"})
"""Poll starts, read as posts: the unstable type and the stable one."""
MESSAGE_TYPES = frozenset({"m.room.message", *POLL_START_TYPES})
"""Events read as posts."""
EXTENSIBLE_TEXT = "org.matrix.msc1767.text"


def poll_fallback(question: str, options: Sequence[str]) -> str:
    """The plain text of a poll, for clients that cannot show polls (and for the console)."""
    lines = [question.strip(), *(f"{i}. {o.strip()}" for i, o in enumerate(options, 1))]
    return "\n".join(lines)


def poll_content(question: str, options: Sequence[str]) -> dict[str, Any]:
    """The content of a single-choice poll whose votes everyone sees (``poll.disclosed``)."""
    fallback = poll_fallback(question, options)
    return {
        POLL_START: {
            "question": {EXTENSIBLE_TEXT: question.strip()},
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": 1,
            "answers": [
                {"id": str(i), EXTENSIBLE_TEXT: option.strip()}
                for i, option in enumerate(options, 1)
            ],
        },
        EXTENSIBLE_TEXT: fallback,
        "body": fallback,
    }


def _extensible_text(content: dict[str, Any]) -> str:
    """The plain-text representation of an extensible event (a poll start): the unstable
    ``org.matrix.msc1767.text`` string, or the stable ``m.text`` list of representations."""
    unstable = content.get(EXTENSIBLE_TEXT)
    if isinstance(unstable, str):
        return unstable
    stable = content.get("m.text")
    if isinstance(stable, list):
        for item in stable:
            if isinstance(item, dict) and item.get("mimetype", "text/plain") == "text/plain":
                body = item.get("body")
                if isinstance(body, str):
                    return body
    return ""


def message_text(content: dict[str, Any]) -> tuple[str, str | None]:
    """(plain text, HTML or None) of a message's content (or of a poll start's)."""
    body = content.get("body")
    text = body if isinstance(body, str) else _extensible_text(content)
    formatted = content.get("formatted_body")
    rich = (
        formatted if content.get("format") == HTML_FORMAT and isinstance(formatted, str) else None
    )
    relation = content.get("m.relates_to")
    is_reply = isinstance(relation, dict) and isinstance(relation.get("m.in_reply_to"), dict)
    if is_reply or (rich is not None and "<mx-reply>" in rich):
        text = strip_reply_fallback(text)
    if not text and rich:
        text = html_to_text(rich)
    return text, rich


def matrix_to(user_id: str) -> str:
    return f"https://matrix.to/#/{user_id}"


def message_content(
    text: str, mentions: Iterable[RemotePerson], label: Callable[[RemotePerson], str]
) -> dict[str, Any]:
    """The content of an ``m.text`` message with intentional mentions.

    Each mentioned person's label (their display name, as ``mention_syntax`` writes it) or
    bare user id in ``text`` becomes a pill (a matrix.to link) in ``formatted_body``; a person
    not named in the text is put in front of it. The user ids go to ``m.mentions``, which is
    always present so that no server guesses mentions from the body.
    """
    people = {p.remote_id: p for p in mentions}
    found = list(re.findall(r"@[A-Za-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(?::\d+)?", text))
    user_ids = list(dict.fromkeys([*people, *found]))
    content: dict[str, Any] = {"msgtype": "m.text", "body": text, "m.mentions": {}}
    if not user_ids:
        return content
    body = text
    rich = html.escape(text)
    for uid in user_ids:
        person = people.get(uid)
        name = label(person) if person is not None else uid
        link = f'<a href="{html.escape(matrix_to(uid))}">{html.escape(name)}</a>'
        for needle in dict.fromkeys([html.escape(name), html.escape(uid)]):
            if needle in rich:
                rich = rich.replace(needle, link, 1)
                break
        else:
            rich = f"{link}: {rich}"
            body = f"{name}: {body}"
    content.update(
        body=body,
        format=HTML_FORMAT,
        formatted_body=rich.replace("\n", "<br>"),
    )
    content["m.mentions"] = {"user_ids": user_ids}
    return content
