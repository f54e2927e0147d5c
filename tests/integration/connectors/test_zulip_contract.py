"""The Zulip connector passes the shared contract against the fake Zulip server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from cm_console.connectors.base import AccountConfig, Connector, ConnectorContext
from cm_console.connectors.zulip.connector import ZulipConnector
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.contract import ConnectorContract
from tests.helpers.fake_zulip import FakeZulip

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class ZulipWorld:
    """One channel: the account's user, a colleague who asks and one who answers."""

    def __init__(self, server: FakeZulip, now: datetime = NOW) -> None:
        self.server = server
        self.now = now
        server.wall = self.clock  # the server dates what it is sent by the world's clock
        me, self.key = server.add_user("mona@example.test", "Mona Manager")
        author, _ = server.add_user("anna@example.test", "Anna Asker")
        expert, _ = server.add_user("sven@example.test", "Sven Expert")
        self.stream = server.add_stream("helpdesk", [me, author, expert])
        self.container_id = str(self.stream)
        self.me, self.author, self.expert = (self.person(u) for u in (me, author, expert))

    def clock(self) -> float:
        return self.now.timestamp()

    def person(self, uid: int) -> RemotePerson:
        u = self.server.users[uid]
        return RemotePerson(str(uid), u["email"], u["full_name"])

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        topic = title or text[:50]
        return str(self.server.add_message(self.stream, int(author.remote_id), topic, text, at))

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        topic = self.server.messages[int(thread_id)]["subject"]
        return str(self.server.add_message(self.stream, int(author.remote_id), topic, text, at))

    def topic_of(self, thread_id: str) -> str:
        return str(self.server.messages[int(thread_id)]["subject"])

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        messages = self.server.topic_messages(self.stream, self.topic_of(thread_id))
        return [(str(m["sender_id"]), m["content"]) for m in messages if m["id"] != int(thread_id)]

    def connector(self) -> ZulipConnector:
        return ZulipConnector(
            AccountConfig(name="acct", url=self.server.url, username="mona@example.test"),
            ConnectorContext(secret=Secret(self.key), clock=lambda: self.now),
        )


@pytest.fixture
def zulip_server() -> Iterator[FakeZulip]:
    server = FakeZulip()
    yield server
    server.stop()


class TestZulipConnector(ConnectorContract):
    @pytest.fixture
    def world(self, zulip_server: FakeZulip) -> ZulipWorld:
        return ZulipWorld(zulip_server)

    @pytest.fixture
    def make_connector(self, world: ZulipWorld) -> Callable[[], Connector]:
        return world.connector
