"""Platform HTML to the plain text the console searches and reads questions from.

Quotes become ``> `` lines and code is kept in backticks (fenced for blocks), because
:func:`cm_console.domain.text.asks_question` ignores both: a quoted ``?`` is someone else's
question, not the author's. Only the standard library's HTML parser is used; nothing is
rendered or fetched here, so no sanitizing is needed (that happens at render time).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "table",
        "tr",
        "details",
        "summary",
        "figure",
        "hr",
    }
)
_SKIP = frozenset({"script", "style", "template", "noscript", "head", "title"})
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col"})
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._quote = 0
        self._pre = 0
        self._code = 0
        self._skip = 0
        self._stack: list[str] = []
        self._quote_tags: list[str] = []

    # --- building lines -----------------------------------------------------------------

    def _prefix(self) -> str:
        return "> " * self._quote

    def _break(self, blank: bool = False) -> None:
        text = "".join(self._line)
        self._line = []
        if self._pre:
            self.lines.append(self._prefix() + text)
            return
        text = _SPACES.sub(" ", text).strip()
        if text:
            self.lines.append(self._prefix() + text)
        if blank and self.lines and self.lines[-1]:
            self.lines.append("")

    def _write(self, text: str) -> None:
        if self._skip:
            return
        if self._pre:
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._break()
                self._line.append(part)
            return
        self._line.append(text.replace("\n", " "))

    # --- parser callbacks --------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag not in _VOID:
            self._stack.append(tag)
        if tag in _SKIP:
            self._skip += 1
        elif tag == "aside" and "quote" in (attr.get("class") or ""):
            # Discourse wraps a quote's title and its <blockquote> in one aside: one level.
            self._break(blank=True)
            self._quote += 1
            self._quote_tags.append("aside")
        elif tag == "blockquote" and "aside" not in self._quote_tags:
            self._break(blank=True)
            self._quote += 1
            self._quote_tags.append("blockquote")
        elif tag == "pre":
            self._break()
            self.lines.append(self._prefix() + "```")
            self._pre += 1
        elif tag == "code" and not self._pre:
            self._code += 1
            self._line.append("`")
        elif tag == "br":
            self._break()
        elif tag == "li":
            self._break()
            self._line.append("- ")
        elif tag in ("td", "th"):
            self._line.append(" ")
        elif tag == "img":
            alt = attr.get("alt") or attr.get("title") or ""
            if alt:
                self._write(alt)
        elif tag in _BLOCKS:
            self._break(blank=tag in ("p", "hr"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or tag not in self._stack:
            return
        # Close whatever was left open inside this element (sloppy HTML is common).
        while self._stack:
            open_tag = self._stack.pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def _close(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif self._quote_tags and tag == self._quote_tags[-1]:
            self._break()
            self._quote -= 1
            self._quote_tags.pop()
            self._break(blank=True)
        elif tag == "pre" and self._pre:
            self._break()
            self._pre -= 1
            self.lines.append(self._prefix() + "```")
        elif tag == "code" and self._code:
            self._code -= 1
            self._line.append("`")
        elif tag in _BLOCKS or tag == "li":
            self._break(blank=tag == "p")

    def handle_data(self, data: str) -> None:
        self._write(data)

    def close(self) -> None:
        super().close()
        while self._stack:
            self._close(self._stack.pop())
        self._break()


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: blocks as lines, quotes as ``> `` lines, code kept.

    Args:
        html: the platform's HTML (e.g. Discourse ``cooked``); None or empty gives ``""``.

    Returns:
        The text, with at most one blank line between paragraphs and no trailing space.
    """
    if not html:
        return ""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    text = "\n".join(line.rstrip() for line in converter.lines)
    return _BLANK_LINES.sub("\n\n", text).strip("\n")
