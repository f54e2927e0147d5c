"""The title and body of a thread the console starts (Discourse topics, Zulip topic names)."""

from __future__ import annotations

from cm_console.connectors.titles import shorten, split_title


def test_shorten_cuts_on_a_word_boundary_with_an_ellipsis() -> None:
    assert shorten("Kort genoeg", 60) == "Kort genoeg"
    assert shorten("Wie  gaat\nmee?", 60) == "Wie gaat mee?"
    cut = shorten("Wat vinden jullie van de nieuwe indeling van het intranet sinds maandag?", 40)
    assert cut == "Wat vinden jullie van de nieuwe…"
    assert len(cut) <= 40
    # One long word is cut inside it rather than leaving almost nothing.
    assert shorten("Donaudampfschifffahrtsgesellschaftskapitän", 20) == "Donaudampfschifffah…"


def test_the_starters_own_title_is_used_and_not_repeated_in_the_body() -> None:
    assert split_title("Fietsplan", "Wie doet er mee?", limit=255) == (
        "Fietsplan",
        "Wie doet er mee?",
    )
    # The text repeating the title on its first line: the body starts after it.
    assert split_title("Fietsplan", "# Fietsplan\n\nWie doet er mee?", limit=255) == (
        "Fietsplan",
        "Wie doet er mee?",
    )
    # ... unless that would leave a body shorter than the platform accepts.
    assert split_title("Fietsplan", "Fietsplan\nJa?", limit=255, min_body=20) == (
        "Fietsplan",
        "Fietsplan\nJa?",
    )
    title, _ = split_title("x" * 300, "Tekst", limit=255)
    assert len(title) == 255 and title.endswith("…")


def test_without_a_title_the_first_line_is_the_title_and_the_rest_the_body() -> None:
    text = "Wat is jullie favoriete sneltoets?\n\nIk verzamel tips voor de nieuwsbrief."
    assert split_title("", text, limit=255) == (
        "Wat is jullie favoriete sneltoets?",
        "Ik verzamel tips voor de nieuwsbrief.",
    )
    # A single line is both: a thread needs a body.
    assert split_title(None, "Wie gaat er mee lunchen?", limit=255) == (
        "Wie gaat er mee lunchen?",
        "Wie gaat er mee lunchen?",
    )
    # A first line that is a whole paragraph is cut; the body keeps all of it.
    long = "Vanaf maandag werkt de nieuwe koffieautomaat op de derde verdieping met de pas"
    title, body = split_title(None, long + "\n\nMeer volgt.", limit=60)
    assert title == "Vanaf maandag werkt de nieuwe koffieautomaat op de derde…"
    assert body == long + "\n\nMeer volgt."


def test_a_short_first_line_runs_on_into_the_text() -> None:
    title, body = split_title(
        None, "Hoi allemaal!\n\nWie komt er vrijdag naar de borrel?", limit=255, min_length=15
    )
    assert title == "Hoi allemaal! Wie komt er vrijdag naar de borrel?"
    assert body == "Hoi allemaal!\n\nWie komt er vrijdag naar de borrel?"


def test_a_tail_ends_the_body_and_never_feeds_the_title() -> None:
    block = "[poll type=regular results=always]\n* Ja\n* Nee\n[/poll]"
    assert split_title(None, "Gaan we weer naar de hei?", limit=255, tail=block) == (
        "Gaan we weer naar de hei?",
        block,
    )
    assert split_title("Uitje", "Gaan we weer naar de hei?", limit=255, tail=block) == (
        "Uitje",
        "Gaan we weer naar de hei?\n\n" + block,
    )
