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
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

MAX_BODY_CHARS = 100_000
MAX_DEPTH = 16
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
_HOSTLIKE = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.IGNORECASE)


def safe_href(value: str) -> str | None:
    """``value`` if it is an absolute http(s)/mailto URL, else None."""
    candidate = value.strip()
    if any(ord(ch) < 0x20 for ch in candidate):
        return None
    parts = urlsplit(candidate)
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return None
    return candidate


def link_host(url: str) -> str:
    """The host of a link as it really is: IDNA (punycode), so homographs show."""
    host = urlsplit(url).hostname or ""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host.encode("ascii", "backslashreplace").decode("ascii")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return safe_href(value)
    return value


class _Limiter(HTMLParser):
    """Re-serializes sanitized HTML: caps nesting depth and marks links whose text names
    another host than the one they lead to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []
        self.skipped: list[str] = []
        self._link_href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.out.append(f"<{tag}>")
            return
        if len(self.stack) >= MAX_DEPTH:
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
        shown = _HOSTLIKE.search(text)
        real = link_host(href)
        if shown and real and shown.group(0).lower().rstrip(".") not in real.lower():
            self.out.append(f'<span class="real-target"> [→ {html.escape(real)}]</span>')

    def handle_data(self, data: str) -> None:
        if self._link_href is not None:
            self._link_text.append(data)
        self.out.append(html.escape(data, quote=False))

    def close_all(self) -> str:
        self.close()
        while self.stack:
            tag = self.stack.pop()
            self.out.append(f"</{tag}>")
            if tag == "a":
                self._close_link()
        return "".join(self.out)


def sanitize_html(raw: str) -> str:
    """Platform HTML reduced to safe, cheap-to-render markup."""
    truncated = len(raw) > MAX_BODY_CHARS
    cleaned = nh3.clean(
        raw[:MAX_BODY_CHARS],
        tags=_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes={"a": {"href", "title"}},
        attribute_filter=_attribute_filter,
        url_schemes=set(SAFE_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    limiter = _Limiter()
    limiter.feed(cleaned)
    out = limiter.close_all()
    if truncated:
        out += '<p class="truncated">…</p>'
    return out


def text_to_html(text: str) -> str:
    """Plain platform text as safe HTML: escaped, web links clickable, line breaks kept."""
    text = text[:MAX_BODY_CHARS]
    pieces: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        pieces.append(html.escape(text[last : match.start()]))
        url = match.group(0).rstrip(".,;:!?)")
        href = safe_href(url)
        shown = html.escape(url)
        if href is None:
            pieces.append(shown)
        else:
            pieces.append(f'<a href="{html.escape(href, quote=True)}">{shown}</a>')
        pieces.append(html.escape(match.group(0)[len(url) :]))
        last = match.end()
    pieces.append(html.escape(text[last:]))
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
    return "<br>".join(out)


def post_body_html(text: str, rich: str | None) -> str:
    """The safe HTML body of a post: its rich HTML when the platform gave one, else its text."""
    if rich:
        return sanitize_html(rich)
    return text_to_html(text)
