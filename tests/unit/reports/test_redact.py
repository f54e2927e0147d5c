"""Redaction: phone numbers and e-mail addresses found (and only those), people pseudonymised
consistently, in text and in sanitized HTML."""

from __future__ import annotations

import pytest

from cm_console.reports.labels import Labels, pseudonym_letters
from cm_console.reports.redact import Identity, Redactor, find_phones

PHONES = [
    "06-12345678",
    "06 1234 5678",
    "0612345678",
    "06 12 34 56 78",
    "020-1234567",
    "020 123 4567",
    "(030) 123 45 67",
    "030-2345678",
    "+31 6 12345678",
    "+31 (0)6-1234 5678",
    "+31612345678",
    "0031 20 123 4567",
    "+44 20 7946 0958",
    "+1 (555) 123-4567",
    "+49 30 901820",
    "+32 470 12 34 56",
]
NOT_PHONES = [
    "Order 2024118230 failed",
    "on 27-11-2026 at 14:20",
    "release 5.2.1",
    "€ 4,95 delivery",
    "postcode 3511 AB",
    "version 2026.11.27",
    "incident #23819",
    "room 0.12",
    "NL91 ABNA 0417 1643 00",
    "from 01-12-2025 10:00 onwards",
]


@pytest.mark.parametrize("number", PHONES)
def test_phone_numbers_are_found_whole(number: str) -> None:
    text = f"Bel me op {number}, graag."
    spans = find_phones(text)
    assert [text[a:b] for a, b in spans] == [number]


@pytest.mark.parametrize("text", NOT_PHONES)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert find_phones(text) == []


def people() -> list[Identity]:
    return [
        Identity("w|a|1", "Sanne de Graaf", "sanne", "sanne.degraaf@example.nl", participant=True),
        Identity("w|a|2", "Fatima El Amrani", "fatima", "f.elamrani@example.nl", participant=True),
        Identity("w|a|3", "Mark de Boer", "mark", "mark@example.nl"),
    ]


def test_pseudonyms_are_consistent_and_cover_names_handles_and_addresses() -> None:
    r = Redactor(people(), pseudonymise=True, strip_contacts=False, labels=Labels("en"))
    text = r.text(
        "Sanne de Graaf asked; @fatima answered. Sanne wrote to f.elamrani@example.nl and "
        "SANNE DE GRAAF said thanks. Mark de Boer was copied; mark the ticket done. "
        "CV_Fatima_El_Amrani.pdf is attached. Call 06-12345678 or mail boss@example.org."
    )
    for original in ("Sanne", "Graaf", "Fatima", "Amrani", "Mark de Boer", "example.nl"):
        assert original not in text
    assert "boss@example.org" not in text and "06-12345678" not in text
    # Order of first appearance: Sanne is A, Fatima B, Mark C; the same person keeps a letter.
    assert text.count("Person A") == 3
    assert "@Person B answered" in text
    assert "wrote to Person B" in text
    assert "Person C was copied" in text
    # A bare lower-case word that is someone's handle goes too (better too much than too little).
    assert "Person C the ticket" in text
    assert "[e-mail removed]" in text and "[phone number removed]" in text
    assert r.pseudonym("w|a|1") == "Person A"
    assert r.pseudonym_handle("w|a|2") == "person-b"


def test_first_and_last_names_alone_only_for_participants() -> None:
    r = Redactor(people(), pseudonymise=True, strip_contacts=True, labels=Labels("nl"))
    # "Boer" (a word in Dutch) is only part of a directory name: kept; "Graaf" is a participant's.
    assert r.text("De Boer en de Graaf") == "De Boer en de Persoon A"


def test_strip_contacts_alone_keeps_names() -> None:
    r = Redactor(people(), pseudonymise=False, strip_contacts=True, labels=Labels("nl"))
    text = r.text("Sanne: bel +31 6 12345678 of mail sanne.degraaf@example.nl")
    assert text == "Sanne: bel [telefoonnummer verwijderd] of mail [e-mailadres verwijderd]"


def test_html_is_redacted_in_text_and_links_and_stays_escaped() -> None:
    r = Redactor(people(), pseudonymise=True, strip_contacts=True, labels=Labels("en"))
    out = r.html(
        '<p>Hi <b>Sanne de Graaf</b> &lt;3 <a href="mailto:sanne.degraaf@example.nl">mail</a> '
        '<a href="https://intranet.example/u/fatima" title="Fatima">profile</a></p>'
    )
    assert "Sanne" not in out and "sanne" not in out and "fatima" not in out.lower()
    assert "mailto:" not in out
    assert "&lt;3" in out
    assert 'href="https://intranet.example/u/Person B"' in out


def test_nothing_changes_without_options() -> None:
    r = Redactor(people(), pseudonymise=False, strip_contacts=False, labels=Labels("en"))
    text = "Sanne de Graaf, 06-12345678, sanne.degraaf@example.nl"
    assert r.text(text) == text
    assert r.html("<p>Sanne</p>") == "<p>Sanne</p>"


def test_pseudonym_letters_go_on_after_z() -> None:
    assert [pseudonym_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
