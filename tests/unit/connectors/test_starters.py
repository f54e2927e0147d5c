"""New threads on chat platforms: the title line, the read-back's view of an operation, and the
Teams subject."""

from __future__ import annotations

from cm_console.connectors.base import AccountConfig, ConnectorContext, Outgoing
from cm_console.connectors.slack.connector import SlackConnector
from cm_console.connectors.teams.connector import TeamsConnector
from cm_console.connectors.titles import titled
from cm_console.domain.model import RemotePerson, Secret
from cm_console.domain.outbox import OpKind

SVEN = RemotePerson("U003", "sven", "Sven de Groot")


def post(text: str, **kw: object) -> Outgoing:
    return Outgoing("op", OpKind.POST, text, container_remote_id="c", **kw)  # type: ignore[arg-type]


def test_a_title_is_the_first_line() -> None:
    assert titled(" Vrijdagvraag ", "Wat lees je nu?") == "Vrijdagvraag\n\nWat lees je nu?"
    assert titled("  ", "Wat lees je nu?") == "Wat lees je nu?"
    assert titled(None, "Wat lees je nu?") == "Wat lees je nu?"


def test_a_read_back_sees_the_text_as_it_was_sent() -> None:
    op = post("Wie weet het, @sven?", mentions=(SVEN,), poll_options=("Ja", "Nee"))
    slack = SlackConnector(AccountConfig(name="w"), ConnectorContext(secret=Secret("xoxp-1")))
    sent = slack.prepare(op)
    assert sent.text == "Wie weet het, <@U003>?\n\n1\ufe0f\u20e3 Ja\n2\ufe0f\u20e3 Nee"
    assert slack.prepare(post("Hoi")).text == "Hoi"
    slack.close()


def test_the_teams_subject() -> None:
    parts = TeamsConnector.starter_parts
    assert parts(post("Eerste\nTweede", title="Titel")) == ("Titel", "Eerste\nTweede")
    assert parts(post("  Vraag   van de week \n\nUitleg\n")) == ("Vraag van de week", "Uitleg")
    assert parts(post("Eén regel")) == (None, "Eén regel")
    long = "x" * 121
    assert parts(post(f"{long}\nmeer")) == (None, f"{long}\nmeer")
    named = post("Vraag aan @Sven de Groot\nmeer", mentions=(SVEN,))
    assert parts(named) == (None, "Vraag aan @Sven de Groot\nmeer")
    assert parts(post("t", title="y" * 300))[0] == "y" * 200
