"""Redaction for exports: pseudonyms for people, and e-mail addresses and phone numbers removed.

One :class:`Redactor` serves one export, so a person is the same "Person A" in every thread,
post, note and annotation of that export (and a different letter in another export). People are
recognised by what the console knows about them: full names, handles, e-mail addresses and (for
the participants of the exported threads) their first and last names on their own. Phone numbers
are recognised in Dutch national formats (``06-12345678``, ``020 123 4567``, ``(030) 123 45 67``)
and international ones (``+31 6 1234 5678``, ``0031 20 …``, ``+44 20 7946 0958``).

HTML is redacted after sanitizing: only text and the few attributes the sanitizer lets through
are rewritten, and everything is escaped again on the way out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from cm_console.reports.labels import Labels, pseudonym_letters

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[1-9][\d \t().\-/]{5,24}|\(?0\d[\d \t().\-/]{5,18})\d(?!\w)"
)
_DATE = re.compile(r"(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
_PARTICLES = frozenset(
    {
        "de",
        "den",
        "der",
        "van",
        "het",
        "ten",
        "ter",
        "te",
        "op",
        "in",
        "la",
        "le",
        "el",
        "al",
        "von",
        "du",
        "da",
        "di",
        "dos",
        "del",
        "bin",
        "ben",
        "'t",
    }
)
MIN_TOKEN = 3


def is_phone(candidate: str) -> bool:
    """Whether a digit run looks like a phone number (not an order number, date or amount)."""
    digits = re.sub(r"\D", "", candidate)
    if _DATE.search(candidate):
        return False
    stripped = candidate.lstrip("(")
    if stripped.startswith("+"):
        return 8 <= len(digits) <= 15
    if stripped.startswith("00"):
        return 8 <= len(digits) - 2 <= 15
    # Dutch national numbers: a leading 0 and ten digits in all.
    return stripped.startswith("0") and len(digits) == 10


def find_phones(text: str) -> list[tuple[int, int]]:
    """Where ``text`` holds phone numbers (digit groups inside a bank account number do not
    count)."""
    accounts = [m.span() for m in _IBAN.finditer(text)]
    return [
        m.span()
        for m in _PHONE_CANDIDATE.finditer(text)
        if is_phone(m.group(0)) and not any(a < m.end() and m.start() < b for a, b in accounts)
    ]


@dataclass(frozen=True, slots=True)
class Identity:
    """What identifies one person: the key their pseudonym is filed under, and their names."""

    key: str
    name: str
    handle: str = ""
    email: str | None = None
    participant: bool = False
    """An author or reactor in the exported threads: their first and last names on their own
    are replaced as well (for everyone else only the full name, handle and e-mail)."""


def _bounded(alternatives: Iterable[str]) -> str:
    parts = sorted({a for a in alternatives if a}, key=len, reverse=True)
    body = "|".join(re.escape(a) for a in parts)
    # Letters and digits (not underscores) end a name: "CV_Alice_Jansen.pdf" gives up Alice too.
    return rf"(?<![^\W_])(?:{body})(?![^\W_])"


class Redactor:
    """Pseudonymises people and strips contact details, consistently within one export.

    Args:
        people: everyone who may be named (participants first, in the order they appear).
        pseudonymise: replace people by "Person A", "Person B"… (also removes contact details).
        strip_contacts: replace e-mail addresses and phone numbers.
        labels: the export's language (for "Person" and the removal markers).
    """

    def __init__(
        self,
        people: Iterable[Identity],
        *,
        pseudonymise: bool,
        strip_contacts: bool,
        labels: Labels,
    ) -> None:
        self.pseudonymise = pseudonymise
        self.strip_contacts = strip_contacts or pseudonymise
        self._labels = labels
        self._people: dict[str, Identity] = {}
        for person in people:
            known = self._people.get(person.key)
            if known is None or (person.participant and not known.participant):
                self._people[person.key] = person
        # Participants get their letters in the order they appear (the first author is A);
        # others only when the text names them.
        self._letters: dict[str, str] = {}
        for person in self._people.values():
            if person.participant:
                self._letters[person.key] = pseudonym_letters(len(self._letters))
        exact: dict[str, str] = {}
        folded: dict[str, str] = {}
        for person in self._people.values():
            if person.name.strip():
                folded[person.name.strip().casefold()] = person.key
            if person.handle:
                folded["@" + person.handle.casefold()] = person.key
                if len(person.handle) >= MIN_TOKEN:
                    exact.setdefault(person.handle, person.key)
            if person.email:
                folded[person.email.casefold()] = person.key
            if person.participant:
                for token in re.split(r"[\s\-]+", person.name):
                    token = token.strip(".,()")
                    if len(token) >= MIN_TOKEN and token.casefold() not in _PARTICLES:
                        exact.setdefault(token, person.key)
        self._folded = folded
        self._exact = exact
        self._folded_re = re.compile(_bounded(folded), re.IGNORECASE) if folded else None
        self._exact_re = re.compile(_bounded(exact)) if exact else None

    @property
    def active(self) -> bool:
        return self.pseudonymise or self.strip_contacts

    def pseudonym(self, key: str) -> str:
        """The pseudonym of the person filed under ``key`` (the next letter on first use)."""
        letters = self._letters.get(key)
        if letters is None:
            letters = self._letters[key] = pseudonym_letters(len(self._letters))
        return self._labels("person", letter=letters)

    def pseudonym_handle(self, key: str) -> str:
        return self.pseudonym(key).lower().replace(" ", "-")

    def person_name(self, key: str, name: str) -> str:
        return self.pseudonym(key) if self.pseudonymise else name

    def text(self, value: str | None) -> str:
        """``value`` with people and contact details replaced as the options say."""
        if not value:
            return value or ""
        if self.strip_contacts:
            value = self._contacts(value)
        if self.pseudonymise:
            value = self._names(value)
        return value

    def _contacts(self, value: str) -> str:
        def email(match: re.Match[str]) -> str:
            key = self._folded.get(match.group(0).casefold()) if self.pseudonymise else None
            return self.pseudonym(key) if key else self._labels("email_removed")

        value = _EMAIL.sub(email, value)
        spans = find_phones(value)
        for start, end in reversed(spans):
            value = value[:start] + self._labels("phone_removed") + value[end:]
        return value

    def _names(self, value: str) -> str:
        if self._folded_re is not None:

            def folded(match: re.Match[str]) -> str:
                found = match.group(0)
                key = self._folded[found.casefold()]
                return ("@" if found.startswith("@") else "") + self.pseudonym(key)

            value = self._folded_re.sub(folded, value)
        if self._exact_re is not None:
            value = self._exact_re.sub(lambda m: self.pseudonym(self._exact[m.group(0)]), value)
        return value

    def html(self, value: str) -> str:
        """Sanitized HTML with the same replacements in its text and link targets."""
        if not self.active or not value:
            return value
        rewriter = _Rewriter(self.text, drop_mailto=self.strip_contacts)
        rewriter.feed(value)
        rewriter.close()
        return "".join(rewriter.out)


class _Rewriter(HTMLParser):
    """Re-serializes sanitizer output, passing text and ``href``/``title`` values through a
    function. Tags and attribute names come from the sanitizer's small allow-list."""

    def __init__(self, fn: Callable[[str], str], *, drop_mailto: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._fn = fn
        self._drop_mailto = drop_mailto

    def _attrs(self, attrs: list[tuple[str, str | None]]) -> str:
        rendered = []
        for name, value in attrs:
            text = value or ""
            if name == "href" and self._drop_mailto and text.lower().startswith("mailto:"):
                continue
            if name in ("href", "title"):
                text = self._fn(text)
            rendered.append(f' {name}="{html.escape(text, quote=True)}"')
        return "".join(rendered)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(f"<{tag}{self._attrs(attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(f"<{tag}{self._attrs(attrs)}>")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(self._fn(data), quote=False))
