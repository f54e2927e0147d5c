"""The demo connector passes the shared contract, seeded through its simulation backend."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cm_console.connectors.base import AccountConfig, Connector, ConnectorContext
from cm_console.connectors.demo import scenarios as sc
from cm_console.connectors.demo.connector import PEOPLE, DemoConnector
from cm_console.domain.model import RemotePerson
from cm_console.store import Database, Store
from tests.helpers.contract import ConnectorContract

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


class DemoWorld:
    """Seeds the simulated platform the way other people would post on it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.key = "demo"
        self.me = PEOPLE[sc.OWN.remote_id]
        self.author = PEOPLE["u-tom"]
        self.expert = PEOPLE["u-sven"]
        self.container_id = "it"
        self.now = NOW

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        remote_id = f"w-{uuid.uuid4().hex[:12]}"
        body = json.dumps({"title": title or text[:40], "text": text})
        self.store.simulation.append(
            self.key,
            kind="thread",
            remote_id=remote_id,
            thread_remote_id=None,
            target=self.container_id,
            author_remote_id=author.remote_id,
            created_at=at,
            body=body,
            marker=None,
        )
        return remote_id

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        remote_id = f"w-{uuid.uuid4().hex[:12]}"
        self.store.simulation.append(
            self.key,
            kind="reply",
            remote_id=remote_id,
            thread_remote_id=thread_id,
            target=None,
            author_remote_id=author.remote_id,
            created_at=at,
            body=text,
            marker=None,
        )
        return remote_id

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        return [
            (w["author_remote_id"], w["body"])
            for w in self.store.simulation.writes(self.key)
            if w["kind"] == "reply" and w["thread_remote_id"] == thread_id
        ]


class TestDemoConnector(ConnectorContract):
    @pytest.fixture
    def sim_store(self, tmp_path: Path) -> Iterator[Store]:
        db = Database(f"sqlite:///{tmp_path / 'sim.sqlite3'}")
        db.upgrade()
        store = Store(db)
        yield store
        store.close()

    @pytest.fixture
    def world(self, sim_store: Store) -> DemoWorld:
        return DemoWorld(sim_store)

    @pytest.fixture
    def make_connector(self, sim_store: Store) -> Callable[[], Connector]:
        def make() -> Connector:
            return DemoConnector(
                AccountConfig(name="demo"),
                ConnectorContext(clock=lambda: NOW, backends={"simulation": sim_store.simulation}),
            )

        return make
