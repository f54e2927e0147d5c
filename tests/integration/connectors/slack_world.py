"""A seeded Slack fixture workspace and connectors for it, shared by the Slack tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from cm_console.connectors.base import AccountConfig, ConnectorContext
from cm_console.connectors.slack.connector import SlackConnector
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.fake_slack import FakeSlack
from tests.helpers.wsgi import serve

NOW = datetime.now(UTC).replace(microsecond=0)


class SlackWorld:
    """The contract's view of the fixture workspace."""

    def __init__(self, server: FakeSlack, url: str) -> None:
        self.server = server
        self.url = url
        self.me = RemotePerson("U001", "anouk", "Anouk de Vries")
        self.author = RemotePerson("U002", "tom", "Tom Jansen")
        self.expert = RemotePerson("U003", "sven", "Sven Bakker")
        self.container_id = "C100"
        self.now = NOW

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        m = self.server.post(self.container_id, author.remote_id, text, at)
        return f"{self.container_id}/{m['ts']}"

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        cid, _, ts = thread_id.partition("/")
        m = self.server.post(cid, author.remote_id, text, at, thread_ts=ts)
        return f"{cid}/{m['ts']}"

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        cid, _, ts = thread_id.partition("/")
        return [(m.get("user", ""), m["text"]) for m in self.server.replies_of(cid, ts)]

    def top_level_on_server(self) -> list[tuple[str, str, str]]:
        """(channel, author, text) of every channel message that is not a reply."""
        with self.server.lock:
            return [
                (c.id, m.get("user", ""), m["text"])
                for c in self.server.channels.values()
                for m in c.messages.values()
                if m.get("thread_ts") in (None, m["ts"])
            ]


def seeded_server() -> FakeSlack:
    server = FakeSlack()
    server.add_user("U001", "anouk", "Anouk de Vries")
    server.add_user("U002", "tom", "Tom Jansen")
    server.add_user("U003", "sven", "Sven Bakker")
    server.add_user("B001", "deploybot", "Deploy Bot", bot=True)
    server.add_channel("C100", "it-help", {"U001", "U002", "U003"})
    server.add_channel("C200", "general", {"U001", "U002", "U003"})
    server.add_channel("C300", "secret", {"U002"})
    return server


@pytest.fixture
def slack() -> Iterator[tuple[FakeSlack, str]]:
    server = seeded_server()
    with serve(server) as url:
        yield server, url + "api/"


def make_slack(
    url: str,
    token: str,
    *,
    options: dict[str, str] | None = None,
    own: str | None = None,
    clock: Callable[[], datetime] = lambda: NOW,
    **context: Any,
) -> SlackConnector:
    return SlackConnector(
        AccountConfig(name="ws", url=url, options=options or {}, own_remote_id=own),
        ConnectorContext(secret=Secret(token), clock=clock, **context),
    )
