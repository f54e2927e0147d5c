"""Plain text from the HTML bodies of Teams and Viva Engage messages.

The HTML itself is kept (and sanitized only when rendered); the plain text feeds search, question
detection and every plain-text label. Quotes become ``> `` lines and code is fenced with
backticks, so the question rule ignores a ``?`` that someone else wrote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {
        "address", "article", "div", "dl", "dt", "dd", "figure", "footer", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_SKIPPED = frozenset({"script", "style", "head", "title", "template"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_MAX_DEPTH = 20
"""Deeper quotes are shown at this depth (a hostile body cannot make lines of megabytes)."""


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self._line: list[str] = []
        self._line_depth = 0
        self._depth = 0
        self._skip = 0
        self._pre = 0
        self._list_marks: list[str] = []

    # --- lines ----------------------------------------------------------------------------------

    def _break(self) -> None:
        text = "".join(self._line)
        if self._pre == 0:
            text = _SPACES.sub(" ", text).strip()
        self.lines.append((self._line_depth, text))
        self._line = []
        self._line_depth = self._depth

    def _soft_break(self) -> None:
        """End the line unless it is empty (blocks do not stack blank lines)."""
        if "".join(self._line).strip():
            self._break()
        else:
            self._line = []
            self._line_depth = self._depth

    def _write(self, text: str) -> None:
        if not self._line:
            self._line_depth = self._depth
        self._line.append(text)

    # --- parser events --------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
            return
        if self._skip:
            return
        if tag == "br":
            self._break()
        elif tag == "blockquote":
            self._soft_break()
            self._depth = min(_MAX_DEPTH, self._depth + 1)
            self._line_depth = self._depth
        elif tag == "pre":
            self._soft_break()
            self._write("```")
            self._break()
            self._pre += 1
        elif tag == "code" and not self._pre:
            self._write("`")
        elif tag == "li":
            self._soft_break()
            self._write("- ")
        elif tag in ("img", "emoji"):
            alt = dict(attrs).get("alt")
            if alt:
                self._write(alt)
        elif tag in ("td", "th"):
            self._write(" ")
        elif tag in _BLOCKS:
            self._soft_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag == "blockquote":
            self._soft_break()
            self._depth = max(0, self._depth - 1)
            self._line_depth = self._depth
        elif tag == "pre" and self._pre:
            self._soft_break()
            self._pre -= 1
            self._write("```")
            self._break()
        elif tag == "code" and not self._pre:
            self._write("`")
        elif tag in _BLOCKS:
            self._soft_break()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            for i, part in enumerate(data.split("\n")):
                if i:
                    self._break()
                self._write(part)
        else:
            self._write(data.replace("\n", " "))

    def finish(self) -> list[tuple[int, str]]:
        self.close()
        if self._line:
            self._break()
        return self.lines


def html_to_text(html: str) -> str:
    """Readable plain text from a message body in HTML.

    Paragraphs, ``<div>`` and ``<br>`` become line breaks, list items ``- `` lines, block quotes
    ``> `` lines (nested quotes ``> > ``), ``<pre>`` a fenced block and ``<code>`` backticks.
    Emoji and images keep their ``alt`` text; scripts and styles are dropped.
    """
    builder = _TextBuilder()
    builder.feed(html)
    out: list[str] = []
    for depth, text in builder.finish():
        prefix = "> " * depth
        line = (prefix + text).rstrip() if text else prefix.rstrip()
        if not line and (not out or not out[-1]):
            continue  # no leading or repeated blank lines
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
