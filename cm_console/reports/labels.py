"""The words of exported documents, in English and Dutch (the window's two languages).

Exports are documents that leave the console (to HR, legal or a works council), so they speak
the language the person exporting chose; the command line defaults to English.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

LANGUAGES = ("en", "nl")

_EN: dict[str, str] = {
    "title": "Review of flagged conversations",
    "exported": "Exported {when} by {who}",
    "count_one": "1 conversation",
    "count_many": "{n} conversations",
    "pseudonymised": "People are pseudonymised",
    "contacts_stripped": "E-mail addresses and phone numbers are removed",
    "contents": "Contents",
    "community": "Community",
    "platform": "Platform",
    "started": "Started",
    "flagged": "Flagged",
    "reason": "Reason",
    "note": "Note",
    "decision": "Decision",
    "no_decision": "No decision yet",
    "copy": "Copy",
    "link": "On the platform",
    "reference": "Reference",
    "copy_complete": "Complete copy, fetched {when}",
    "copy_pending": "Complete copy still pending: this is what the console had synced",
    "copy_gone": "Deleted on the platform ({when}); this is the copy kept when it was flagged",
    "copy_imported": "From a review packet",
    "deleted_upstream": "Deleted on the platform",
    "post_deleted": "deleted on the platform",
    "edited": "edited {when}",
    "team": "team",
    "bot": "bot",
    "whisper": "staff only",
    "system": "system",
    "attachments": "Attachments",
    "reactions": "Reactions",
    "versions_one": "1 earlier version",
    "versions_many": "{n} earlier versions",
    "version": "Version until {when}",
    "annotation": "Annotation by {who}, {when}",
    "thread_annotations": "Annotations on the conversation",
    "decisions": "Decisions",
    "decided": "{decision} by {who}, {when}",
    "page": "Page {n} of {total}",
    "person": "Person {letter}",
    "email_removed": "[e-mail removed]",
    "phone_removed": "[phone number removed]",
    "reply_to": "in reply to",
    "untitled": "(untitled)",
    "end": "End of the export",
    "reason.conduct": "Conduct",
    "reason.privacy": "Privacy",
    "reason.confidential": "Confidential information",
    "reason.legal": "Legal",
    "reason.hr": "HR matter",
    "reason.other": "Other",
    "reason.none": "Not given",
    "decision.keep": "Keep",
    "decision.escalate": "Escalate",
    "decision.resolve": "Resolve",
}

_NL: dict[str, str] = {
    "title": "Beoordeling van gemarkeerde gesprekken",
    "exported": "Geëxporteerd op {when} door {who}",
    "count_one": "1 gesprek",
    "count_many": "{n} gesprekken",
    "pseudonymised": "Personen zijn gepseudonimiseerd",
    "contacts_stripped": "E-mailadressen en telefoonnummers zijn verwijderd",
    "contents": "Inhoud",
    "community": "Community",
    "platform": "Platform",
    "started": "Gestart",
    "flagged": "Gemarkeerd",
    "reason": "Reden",
    "note": "Toelichting",
    "decision": "Besluit",
    "no_decision": "Nog geen besluit",
    "copy": "Kopie",
    "link": "Op het platform",
    "reference": "Kenmerk",
    "copy_complete": "Volledige kopie, opgehaald {when}",
    "copy_pending": (
        "Volledige kopie nog niet opgehaald: dit is wat de console had gesynchroniseerd"
    ),
    "copy_gone": "Verwijderd op het platform ({when}); dit is de kopie van bij het markeren",
    "copy_imported": "Uit een beoordelingspakket",
    "deleted_upstream": "Verwijderd op het platform",
    "post_deleted": "verwijderd op het platform",
    "edited": "bewerkt {when}",
    "team": "team",
    "bot": "bot",
    "whisper": "alleen beheerders",
    "system": "systeem",
    "attachments": "Bijlagen",
    "reactions": "Reacties",
    "versions_one": "1 eerdere versie",
    "versions_many": "{n} eerdere versies",
    "version": "Versie tot {when}",
    "annotation": "Aantekening van {who}, {when}",
    "thread_annotations": "Aantekeningen bij het gesprek",
    "decisions": "Besluiten",
    "decided": "{decision} door {who}, {when}",
    "page": "Pagina {n} van {total}",
    "person": "Persoon {letter}",
    "email_removed": "[e-mailadres verwijderd]",
    "phone_removed": "[telefoonnummer verwijderd]",
    "reply_to": "antwoord op",
    "untitled": "(zonder titel)",
    "end": "Einde van de export",
    "reason.conduct": "Gedrag",
    "reason.privacy": "Privacy",
    "reason.confidential": "Vertrouwelijke informatie",
    "reason.legal": "Juridisch",
    "reason.hr": "HR-kwestie",
    "reason.other": "Overig",
    "reason.none": "Niet opgegeven",
    "decision.keep": "Bewaren",
    "decision.escalate": "Escaleren",
    "decision.resolve": "Afhandelen",
}

_TABLES = {"en": _EN, "nl": _NL}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
}


class Labels:
    """The words of one export's language."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in _TABLES else "en"
        self._table = _TABLES[self.language]

    def __call__(self, key: str, **values: object) -> str:
        text = self._table.get(key) or _EN[key]
        return text.format(**values) if values else text

    def count(self, n: int) -> str:
        return self("count_one") if n == 1 else self("count_many", n=n)

    def versions(self, n: int) -> str:
        return self("versions_one") if n == 1 else self("versions_many", n=n)

    def when(self, dt: datetime | None, zone: tzinfo | None) -> str:
        """``27 Nov 2026, 10:30 CET``: unambiguous in both languages, zone included."""
        if dt is None:
            return ""
        local = dt.astimezone(zone) if zone is not None else dt
        month = _MONTHS[self.language][local.month - 1]
        name = local.tzname() or ""
        return f"{local.day} {month} {local.year}, {local:%H:%M}" + (f" {name}" if name else "")


def pseudonym_letters(index: int) -> str:
    """A, B, … Z, AA, AB, …: the letters of the ``index``-th person (0-based)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
