"""A seeded Discourse fixture server and connectors for it, shared by the Discourse tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from cm_console.connectors.base import AccountConfig, ConnectorContext
from cm_console.connectors.discourse.connector import DiscourseConnector
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.fake_discourse import ADMIN_KEY, FakeDiscourse
from tests.helpers.wsgi import serve

NOW = datetime.now(UTC).replace(microsecond=0)


def person(server: FakeDiscourse, uid: int) -> RemotePerson:
    u = server.users[uid]
    return RemotePerson(str(u.id), u.username, u.name)


class DiscourseWorld:
    """The contract's view of the fixture forum."""

    def __init__(self, server: FakeDiscourse, url: str) -> None:
        self.server = server
        self.url = url
        self.me = person(server, 1)
        self.author = person(server, 2)
        self.expert = person(server, 3)
        self.container_id = "5"
        self.now = NOW

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        topic = self.server.add_topic(
            int(author.remote_id), title or text[:40], text, at, category_id=5
        )
        return str(topic.id)

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        return str(self.server.add_post(int(thread_id), int(author.remote_id), text, at).id)

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        return [(str(p.user_id), p.raw) for p in self.server.replies(int(thread_id))]


def seeded_server() -> FakeDiscourse:
    server = FakeDiscourse(NOW)
    server.add_user(1, "anouk", "Anouk de Vries", admin=True)
    server.add_user(2, "tom", "Tom Jansen")
    server.add_user(3, "sven", "Sven Bakker")
    server.add_user(-1, "system", "system")
    server.add_category(5, "IT Help")
    server.add_category(6, "HR")
    server.add_category(7, "Laptops", parent=5)
    return server


@pytest.fixture
def discourse() -> Iterator[tuple[FakeDiscourse, str]]:
    server = seeded_server()
    with serve(server) as url:
        yield server, url


def make_discourse(
    url: str,
    *,
    secret: str = ADMIN_KEY,
    user: str | None = "anouk",
    options: dict[str, str] | None = None,
    own: str | None = None,
    **context: Any,
) -> DiscourseConnector:
    return DiscourseConnector(
        AccountConfig(
            name="forum", url=url, username=user, options=options or {}, own_remote_id=own
        ),
        ConnectorContext(secret=Secret(secret), clock=lambda: NOW, **context),
    )


def connector_factory(url: str, **kw: Any) -> Callable[[], DiscourseConnector]:
    return lambda: make_discourse(url, **kw)
