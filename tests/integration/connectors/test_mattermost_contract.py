"""The Mattermost connector passes the shared contract against the fake Mattermost server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from cm_console.connectors.base import AccountConfig, Connector, ConnectorContext
from cm_console.connectors.mattermost.connector import MattermostConnector
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.contract import ConnectorContract
from tests.helpers.fake_mattermost import FakeMattermost

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class MattermostWorld:
    """A team with one channel: the account's user, a colleague who asks and one who answers."""

    def __init__(self, server: FakeMattermost, now: datetime = NOW) -> None:
        self.server = server
        self.now = now
        me = server.add_user("mona", "Mona", "Manager")
        author = server.add_user("anna", "Anna", "Asker")
        expert = server.add_user("sven", "Sven", "Expert")
        self.token = server.token_for(me)
        self.team = server.add_team("intranet", "Intranet")
        self.container_id = server.add_channel(
            self.team, "helpdesk", "Helpdesk", [me, author, expert]
        )
        self.me = self.person(me)
        self.author = self.person(author)
        self.expert = self.person(expert)

    def person(self, user_id: str) -> RemotePerson:
        u = self.server.users[user_id]
        return RemotePerson(user_id, u["username"], f"{u['first_name']} {u['last_name']}")

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        return self.server.add_post(self.container_id, author.remote_id, text, at)

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        return self.server.add_post(
            self.container_id, author.remote_id, text, at, root_id=thread_id
        )

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        return [
            (p["user_id"], p["message"])
            for p in self.server.thread(thread_id)
            if p["root_id"] and not p["delete_at"]
        ]

    def top_level_on_server(self) -> list[tuple[str, str, str]]:
        """(channel, author, text) of every live post that is not a reply."""
        with self.server.lock:
            return [
                (p["channel_id"], p["user_id"], p["message"])
                for p in self.server.posts.values()
                if not p["root_id"] and not p["delete_at"]
            ]

    def connector(self) -> MattermostConnector:
        return MattermostConnector(
            AccountConfig(name="acct", url=self.server.url),
            ConnectorContext(secret=Secret(self.token), clock=lambda: self.now),
        )


@pytest.fixture
def mm_server() -> Iterator[FakeMattermost]:
    server = FakeMattermost()
    yield server
    server.stop()


class TestMattermostConnector(ConnectorContract):
    @pytest.fixture
    def world(self, mm_server: FakeMattermost) -> MattermostWorld:
        return MattermostWorld(mm_server)

    @pytest.fixture
    def make_connector(self, world: MattermostWorld) -> Callable[[], Connector]:
        return world.connector
