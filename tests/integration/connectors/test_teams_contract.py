"""The Teams connector passes the shared contract against a fake Graph on 127.0.0.1."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from cm_console.connectors.base import AccountConfig, Connector, ConnectorContext
from cm_console.connectors.teams.connector import TeamsConnector
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.contract import ConnectorContract
from tests.helpers.fake_graph import FakeGraph, plain
from tests.helpers.fixture_server import FakeTime, serving

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
TEAM = "0b6f1c1e-team-4a7e-9d7b-1f2e3d4c5b6a"
CHANNEL = "19:general@thread.tacv2"
ME = RemotePerson("u-me", "Community Manager", "Community Manager")
TOM = RemotePerson("u-tom", "Tom Bakker", "Tom Bakker")
SVEN = RemotePerson("u-sven", "Sven de Groot", "Sven de Groot")


class TeamsWorld:
    """Seeds the fake Graph the way colleagues would post in a channel."""

    def __init__(self, graph: FakeGraph) -> None:
        self.graph = graph
        self.me, self.author, self.expert = ME, TOM, SVEN
        self.container_id = f"{TEAM}/{CHANNEL}"
        self.now = NOW
        for person in (ME, TOM, SVEN):
            graph.add_user(person.remote_id, person.display_name)
        graph.tokens.grant("token-me", ME.remote_id)
        graph.add_channel(TEAM, "Intranet", CHANNEL, "General")
        graph.add_channel(TEAM, "Intranet", "19:random@thread.tacv2", "Random")

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        root = self.graph.post_root(
            TEAM, CHANNEL, author.remote_id, f"<p>{html.escape(text)}</p>", at, subject=title
        )
        return f"{CHANNEL}/{root}"

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        root = thread_id.split("/")[1]
        reply = self.graph.post_reply(
            TEAM, CHANNEL, root, author.remote_id, f"<p>{html.escape(text)}</p>", at
        )
        return f"{CHANNEL}/{root}/{reply}"

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        root = thread_id.split("/")[1]
        return [
            (r["from"]["user"]["id"], plain(r["body"]["content"]))
            for r in self.graph.replies(TEAM, CHANNEL, root)
        ]

    def top_level_on_server(self) -> list[tuple[str, str, str]]:
        """(container, author, subject and text) of every live channel message."""
        with self.graph.lock:
            return [
                (
                    f"{team}/{channel}",
                    (root["from"] or {}).get("user", {}).get("id", ""),
                    f"{root['subject'] or ''}\n{plain(root['body']['content'])}",
                )
                for (team, channel), roots in self.graph.roots.items()
                for root in roots
                if not root["deletedDateTime"]
            ]


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with serving(FakeGraph()) as api:
        assert isinstance(api, FakeGraph)
        yield api


def teams_connector(graph: FakeGraph, time: FakeTime, token: str = "token-me") -> TeamsConnector:
    return TeamsConnector(
        AccountConfig(name="acct", url=f"{graph.base_url}/v1.0"),
        ConnectorContext(secret=Secret(token), clock=lambda: NOW),
        sleep=time.sleep,
        monotonic=time.monotonic,
    )


class TestTeamsConnector(ConnectorContract):
    @pytest.fixture
    def world(self, graph: FakeGraph) -> TeamsWorld:
        return TeamsWorld(graph)

    @pytest.fixture
    def make_connector(self, graph: FakeGraph, world: TeamsWorld) -> Callable[[], Connector]:
        time = FakeTime()
        return lambda: teams_connector(graph, time)
