"""The Viva Engage connector passes the shared contract against a fake Yammer API on 127.0.0.1."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from cm_console.connectors.base import AccountConfig, Connector, ConnectorContext
from cm_console.connectors.engage.connector import EngageConnector
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.contract import ConnectorContract
from tests.helpers.fake_yammer import FakeYammer
from tests.helpers.fixture_server import FakeTime, serving

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
GROUP = 31158067201
ME = RemotePerson("1001", "cm", "Community Manager")
TOM = RemotePerson("1002", "tom", "Tom Bakker")
SVEN = RemotePerson("1003", "sven", "Sven de Groot")


class EngageWorld:
    """Seeds the fake Yammer the way colleagues would post in a community."""

    def __init__(self, yammer: FakeYammer) -> None:
        self.yammer = yammer
        self.me, self.author, self.expert = ME, TOM, SVEN
        self.container_id = str(GROUP)
        self.now = NOW
        for person in (ME, TOM, SVEN):
            yammer.add_user(int(person.remote_id), person.handle, person.display_name)
        yammer.tokens.grant("token-me", ME.remote_id)
        yammer.add_group(GROUP, "IT Helpdesk", [1001, 1002, 1003])
        yammer.add_group(31158067202, "HR", [1001, 1002])

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        return str(self.yammer.post(int(author.remote_id), text, at, group=GROUP))

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        return str(self.yammer.post(int(author.remote_id), text, at, replied_to=int(thread_id)))

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        return [
            (str(m["sender_id"]), m["body"]["plain"])
            for m in self.yammer.thread_messages(int(thread_id))
            if m["id"] != int(thread_id)
        ]


def ticking_clock(step: timedelta = timedelta(seconds=61)) -> Callable[[], datetime]:
    """Every reading is a poll interval later: each fetch in a test is a fresh poll."""
    counter = itertools.count()
    return lambda: NOW + step * next(counter)


@pytest.fixture
def yammer() -> Iterator[FakeYammer]:
    with serving(FakeYammer()) as api:
        assert isinstance(api, FakeYammer)
        yield api


def engage_connector(
    yammer: FakeYammer,
    time: FakeTime,
    clock: Callable[[], datetime] | None = None,
    token: str = "token-me",
) -> EngageConnector:
    yammer.clock = time.monotonic  # the 10-per-30-s limit is enforced in the test's time
    return EngageConnector(
        AccountConfig(name="acct", url=f"{yammer.base_url}/api/v1"),
        ConnectorContext(secret=Secret(token), clock=clock or ticking_clock()),
        sleep=time.sleep,
        monotonic=time.monotonic,
    )


class TestEngageConnector(ConnectorContract):
    @pytest.fixture
    def world(self, yammer: FakeYammer) -> EngageWorld:
        return EngageWorld(yammer)

    @pytest.fixture
    def make_connector(self, yammer: FakeYammer, world: EngageWorld) -> Callable[[], Connector]:
        time = FakeTime()
        return lambda: engage_connector(yammer, time)
