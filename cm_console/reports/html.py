"""Safe HTML from platform text: the one sanitizer for the thread pane and every export.

Platform HTML is sanitized at render time (never at ingest, so a stricter sanitizer applies to
old content too). What survives is a small set of text-formatting tags and links to http, https
and mailto only: no images, styles, tables, forms, scripts or remote resources of any kind, no
relative, ``file:`` or ``data:`` URLs. Nesting is capped and bodies are truncated, so a render
bomb stays cheap. Plain text is escaped and its web links made clickable.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

MAX_BODY_CHARS = 100_000
"""Longer bodies are cut here (exports; the thread pane passes a smaller limit)."""
MAX_DEPTH = 16
MAX_ELEMENTS = 2_000
"""Past this many elements a post keeps its text but loses its markup (layout stays cheap)."""
MAX_LINES = 2_000
"""A plain-text post shows this many lines, then an ellipsis: Qt takes about as long to lay out
a line as a thread card holds, and 14,000 short lines (100,000 characters) took 2 s."""
LONG_RUN = 200
"""Runs of this many characters without a break get zero-width spaces: Qt lays out a single
100,000-character word in seconds, the same text with break opportunities in milliseconds."""
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "u",
    "ul",
}
_VOID = {"br", "hr"}
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "head",
    "title",
    "template",
    "noscript",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "select",
    "textarea",
    "button",
}
_URL = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"']+", re.IGNORECASE)
# A host as a reader would take it from link text: labels of letters and digits (any script,
# so a Cyrillic "аpple.com" is seen whole) ending in a top-level name of letters.
_HOSTLIKE = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}")


_LONG_RUN = re.compile(rf"\S{{{LONG_RUN},}}")


def _breakable(text: str) -> str:
    """``text`` with a zero-width space every 100 characters of any unbroken run."""
    return _LONG_RUN.sub(
        lambda m: "\u200b".join(m.group(0)[i : i + 100] for i in range(0, len(m.group(0)), 100)),
        text,
    )


def _invisible(ch: str) -> bool:
    # Controls, and format characters such as bidi overrides (U+202E) and zero-width joiners:
    # none belongs in a URL, and in one they make the shown address differ from the real one.
    return ord(ch) < 0x20 or ord(ch) == 0x7F or unicodedata.category(ch) in ("Cc", "Cf", "Zl")


def safe_href(value: str) -> str | None:
    """``value`` if it is an absolute http(s)/mailto URL, else None."""
    candidate = value.strip()
    # A backslash is a path separator to browsers but not to Python or Qt: a parser
    # differential that could show one host and open another.
    if "\\" in candidate or any(_invisible(ch) or ch.isspace() for ch in candidate):
        return None
    try:
        parts = urlsplit(candidate)
        scheme = parts.scheme.lower()
        if scheme not in SAFE_SCHEMES:
            return None
        # "https://bank.example@evil.example/" leads to evil.example: user info in a web link
        # exists to mislead.
        if scheme in ("http", "https") and (not parts.hostname or "@" in parts.netloc):
            return None
        _ = parts.port  # a malformed port or IP literal raises here
    except ValueError:
        return None
    return candidate


def _ace(host: str) -> str:
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host.encode("ascii", "backslashreplace").decode("ascii")


def link_host(url: str) -> str:
    """The host of a link as it really is: IDNA (punycode), so homographs show."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return _ace(host)


def _same_site(shown: str, real: str) -> bool:
    """True when link text naming ``shown`` leads to that host or one of its subdomains."""
    shown, real = _ace(shown.lower().rstrip(".")), real.lower().rstrip(".")
    return real == shown or real.endswith("." + shown)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return safe_href(value)
    return value


class _Limiter(HTMLParser):
    """Re-serializes sanitized HTML: caps nesting depth, elements and lines, and marks links
    whose text names another host than the one they lead to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skipped: list[str] = []
        self.elements = 0
        self.lines = 0
        self.full = False
        """Past :data:`MAX_LINES` line breaks (``<br>``, or new lines in ``<pre>``): the rest is
        dropped."""
        self._link_href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.full:
            return
        if tag == "br":
            self.lines += 1
            if self.lines >= MAX_LINES:
                self.full = True
                return
        if tag in _VOID:
            self.elements += 1
            if self.elements <= MAX_ELEMENTS:
                self.out.append(f"<{tag}>")
            return
        self.elements += 1
        if len(self.stack) >= MAX_DEPTH or self.elements > MAX_ELEMENTS:
            self.skipped.append(tag)
            return
        rendered = "".join(
            f' {name}="{html.escape(value or "", quote=True)}"' for name, value in attrs
        )
        self.stack.append(tag)
        self.out.append(f"<{tag}{rendered}>")
        if tag == "a":
            self._link_href = dict(attrs).get("href")
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.skipped and self.skipped[-1] == tag:
            self.skipped.pop()
            return
        if tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            self.out.append(f"</{open_tag}>")
            if open_tag == "a":
                self._close_link()
            if open_tag == tag:
                break

    def _close_link(self) -> None:
        href, text = self._link_href, "".join(self._link_text)
        self._link_href = None
        if not href:
            return
        real = link_host(href)
        if href.lower().startswith("mailto:"):
            real = _ace(href.partition("?")[0].rpartition("@")[2])
        if not real:
            return
        if any(not _same_site(m.group(0), real) for m in _HOSTLIKE.finditer(text)):
            self.out.append(f'<span class="real-target"> [→ {html.escape(real)}]</span>')

    def handle_data(self, data: str) -> None:
        if self.full:
            return
        if "pre" in self.stack and "\n" in data:
            kept = data.split("\n", MAX_LINES - self.lines)
            if len(kept) > MAX_LINES - self.lines:
                data = "\n".join(kept[:-1])
                self.full = True
            self.lines += data.count("\n")
        if self._link_href is not None:
            self._link_text.append(data)
        self.out.append(html.escape(_breakable(data), quote=False))

    def close_all(self) -> str:
        self.close()
        while self.stack:
            tag = self.stack.pop()
            self.out.append(f"</{tag}>")
            if tag == "a":
                self._close_link()
        return "".join(self.out)


def _valid(text: str) -> str:
    # Lone surrogates cannot be encoded (nh3 and Qt both refuse them): U+FFFD instead.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def sanitize_html(raw: str, max_chars: int = MAX_BODY_CHARS) -> str:
    """Platform HTML reduced to safe, cheap-to-render markup (the first ``max_chars``)."""
    raw = _valid(raw)
    truncated = len(raw) > max_chars
    cleaned = nh3.clean(
        raw[:max_chars],
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes={"a": {"href"}},
        attribute_filter=_attribute_filter,
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    limiter = _Limiter()
    limiter.feed(cleaned)
    out = limiter.close_all()
    if truncated or limiter.full:
        out += '<p class="truncated">…</p>'
    return out


def text_to_html(text: str, max_chars: int = MAX_BODY_CHARS) -> str:
    """Plain platform text as safe HTML: escaped, web links clickable, line breaks kept; past
    ``max_chars`` characters or :data:`MAX_LINES` lines, an ellipsis."""
    truncated = len(text) > max_chars
    text = _valid(text[:max_chars])
    kept = text.split("\n", MAX_LINES)
    if len(kept) > MAX_LINES:
        text = "\n".join(kept[:MAX_LINES])
        truncated = True
    pieces: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        pieces.append(html.escape(_breakable(text[last : match.start()])))
        url = match.group(0).rstrip(".,;:!?)")
        href = safe_href(url)
        shown = html.escape(_breakable(url))
        if href is None:
            pieces.append(shown)
        else:
            pieces.append(f'<a href="{html.escape(href, quote=True)}">{shown}</a>')
        pieces.append(html.escape(match.group(0)[len(url) :]))
        last = match.end()
    pieces.append(html.escape(_breakable(text[last:])))
    body = "".join(pieces)
    lines = body.split("\n")
    out: list[str] = []
    quote: list[str] = []
    for line in lines:
        if line.startswith("&gt;"):
            quote.append(line[4:].lstrip())
            continue
        if quote:
            out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
            quote = []
        out.append(line)
    if quote:
        out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
    return "<br>".join(out) + ('<p class="truncated">…</p>' if truncated else "")


def post_body_html(text: str, rich: str | None, *, max_chars: int = MAX_BODY_CHARS) -> str:
    """The safe HTML body of a post: its rich HTML when the platform gave one, else its text."""
    if rich:
        return sanitize_html(rich, max_chars)
    return text_to_html(text, max_chars)
