"""Polls in each platform's own form, or the numbered fallback (``Connector.format_poll``)."""

from __future__ import annotations

from cm_console.connectors.base import Connector
from cm_console.connectors.demo.connector import DemoConnector
from cm_console.connectors.discourse.connector import DiscourseConnector
from cm_console.connectors.engage.connector import EngageConnector
from cm_console.connectors.matrix.connector import MatrixConnector
from cm_console.connectors.matrix.text import message_text, poll_content
from cm_console.connectors.mattermost.connector import MattermostConnector
from cm_console.connectors.slack.connector import SlackConnector
from cm_console.connectors.teams.connector import TeamsConnector
from cm_console.connectors.zulip.connector import ZulipConnector

OPTIONS = ["Soep en broodjes", "Salades", "Warme  maaltijd"]


def test_default_is_numbered_options_to_react_to() -> None:
    body = Connector.format_poll("Wat eten we vrijdag?", OPTIONS)
    assert body.splitlines() == [
        "Wat eten we vrijdag?",
        "",
        "1\ufe0f\u20e3 Soep en broodjes",
        "2\ufe0f\u20e3 Salades",
        "3\ufe0f\u20e3 Warme  maaltijd",
    ]
    ten = Connector.format_poll("?", [str(i) for i in range(1, 12)]).splitlines()
    assert ten[-2] == "\U0001f51f 10"
    assert ten[-1] == "11. 11"
    assert DemoConnector.format_poll("Q", OPTIONS) == Connector.format_poll("Q", OPTIONS)
    assert EngageConnector.format_poll("Q", OPTIONS) == Connector.format_poll("Q", OPTIONS)
    # No poll API for Slack apps, Mattermost (Matterpoll is a slash command) or Teams (Graph).
    for chat in (SlackConnector, MattermostConnector, TeamsConnector):
        assert chat.format_poll("Q", OPTIONS) == Connector.format_poll("Q", OPTIONS)


def test_discourse_uses_the_poll_plugin() -> None:
    body = DiscourseConnector.format_poll("Wat eten we vrijdag?", OPTIONS)
    assert body == (
        "Wat eten we vrijdag?\n\n[poll type=regular results=always]\n"
        "* Soep en broodjes\n* Salades\n* Warme maaltijd\n[/poll]"
    )


def test_zulip_uses_the_poll_widget() -> None:
    body = ZulipConnector.format_poll("Wat eten\nwe vrijdag?", OPTIONS)
    assert body == "/poll Wat eten we vrijdag?\nSoep en broodjes\nSalades\nWarme maaltijd"


def test_matrix_sends_a_poll_event_and_reads_polls_as_text() -> None:
    # The connector sends the options in a poll event of its own (post_thread): the text is
    # the question alone.
    assert MatrixConnector.format_poll(" Wat eten we vrijdag? ", OPTIONS) == "Wat eten we vrijdag?"
    content = poll_content("Wat eten we vrijdag?", OPTIONS)
    answers = content["org.matrix.msc3381.poll.start"]["answers"]
    assert [a["id"] for a in answers] == ["1", "2", "3"]
    fallback = "Wat eten we vrijdag?\n1. Soep en broodjes\n2. Salades\n3. Warme  maaltijd"
    assert message_text(content) == (fallback, None)
    # A poll from a client that sends the stable form carries its text in ``m.text``.
    html = {"mimetype": "text/html", "body": "<b>Q</b>"}
    stable = {"m.poll": {}, "m.text": [html, {"body": "Q"}]}
    assert message_text(stable) == ("Q", None)
