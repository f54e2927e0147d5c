"""Matrix, Mattermost and Zulip through the command line, as a user runs it (real processes).

Each platform: ``account add`` → ``sync`` → ``queue --json`` shows the right states; ``reply`` →
``sync`` puts exactly one reply in the right thread, on the platform and in the console.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest

from cm_console.domain.model import RemotePerson
from tests.e2e.test_cli import run
from tests.helpers.fake_mattermost import FakeMattermost
from tests.helpers.fake_zulip import FakeZulip
from tests.helpers.matrix_world import MatrixWorld
from tests.helpers.synapse import SynapseSession
from tests.integration.connectors.test_mattermost_contract import MattermostWorld
from tests.integration.connectors.test_zulip_contract import ZulipWorld


class World(Protocol):
    now: datetime
    me: RemotePerson
    author: RemotePerson
    expert: RemotePerson

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str: ...
    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str: ...
    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]: ...


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def seed(world: World) -> dict[str, str]:
    now = world.now
    unanswered = world.add_thread(
        world.author,
        "Wie kan mij helpen met de nieuwe laptop?",
        now - timedelta(hours=5),
        title="Nieuwe laptop",
    )
    answered = world.add_thread(
        world.author,
        "Waar staat het declaratieformulier?",
        now - timedelta(hours=10),
        title="Declaraties",
    )
    world.add_reply(
        answered, world.expert, "In het HR-portaal, onder Formulieren.", now - timedelta(hours=9)
    )
    stalled = world.add_thread(
        world.author, "De VPN valt steeds weg bij mij.", now - timedelta(days=4), title="VPN"
    )
    world.add_reply(
        stalled,
        world.expert,
        "Welke versie van de client heb je?",
        now - timedelta(days=3, hours=20),
    )
    return {"unanswered": unanswered, "answered": answered, "stalled": stalled}


def check_flow(
    profile: Path,
    account: str,
    world: World,
    threads: dict[str, str],
    add: list[str],
    env: dict[str, str],
) -> None:
    now = ["--now", iso(world.now)]
    run(profile, *now, "account", "add", *add, env=env)
    run(profile, *now, "sync")
    items = {
        i["remote_id"]: i
        for i in json.loads(run(profile, *now, "queue", "--view", "all", "--json").stdout)
    }
    assert items[threads["unanswered"]]["state"] == "unanswered"
    assert items[threads["answered"]]["state"] == "answered"
    assert items[threads["stalled"]]["state"] == "stalled"
    assert all(items[t]["account"] == account for t in threads.values())
    queue = json.loads(run(profile, *now, "queue", "--json").stdout)
    assert {i["remote_id"] for i in queue} == {threads["unanswered"], threads["stalled"]}

    target = items[threads["unanswered"]]
    text = "Ik regel een afspraak met de servicedesk voor je."
    run(profile, *now, "reply", str(target["id"]), "--text", text)
    run(profile, *now, "sync")
    run(profile, *now, "sync")  # a second sync must not send or store it again
    on_server = [r for r in world.replies_on_server(threads["unanswered"]) if r[1] == text]
    assert on_server == [(world.me.remote_id, text)]
    shown = json.loads(run(profile, *now, "show", target["key"], "--json").stdout)
    mine = [p for p in shown["posts"] if p["text"] == text]
    assert len(mine) == 1 and mine[0]["team"]
    assert [op["state"] for op in shown["outbox"]] == ["sent"]
    assert shown["state"] == "answered"


def test_matrix_from_account_add_to_reply(synapse: SynapseSession, tmp_path: Path) -> None:
    world = MatrixWorld(synapse)
    try:
        threads = seed(world)
        add = [
            "matrix",
            "--name",
            "element",
            "--url",
            world.server.url,
            "--user",
            synapse.me.user_id,
            "--option",
            "login=password",
            "--token-env",
            "CMC_MATRIX_PASSWORD",
        ]
        assert synapse.me.password
        check_flow(
            tmp_path / "profile",
            "element",
            world,
            threads,
            add,
            {"CMC_MATRIX_PASSWORD": synapse.me.password},
        )
    finally:
        world.leave()


@pytest.fixture
def mattermost() -> Iterator[FakeMattermost]:
    server = FakeMattermost()
    yield server
    server.stop()


def test_mattermost_from_account_add_to_reply(mattermost: FakeMattermost, tmp_path: Path) -> None:
    world = MattermostWorld(mattermost, now=datetime.now(UTC))
    threads = seed(world)
    add = ["mattermost", "--name", "mm", "--url", mattermost.url, "--token-env", "CMC_MM_TOKEN"]
    check_flow(tmp_path / "profile", "mm", world, threads, add, {"CMC_MM_TOKEN": world.token})


@pytest.fixture
def zulip() -> Iterator[FakeZulip]:
    server = FakeZulip()
    yield server
    server.stop()


def test_zulip_from_account_add_to_reply(zulip: FakeZulip, tmp_path: Path) -> None:
    world = ZulipWorld(zulip, now=datetime.now(UTC))
    threads = seed(world)
    add = [
        "zulip",
        "--name",
        "zulip",
        "--url",
        zulip.url,
        "--user",
        "mona@example.test",
        "--token-env",
        "CMC_ZULIP_KEY",
    ]
    check_flow(tmp_path / "profile", "zulip", world, threads, add, {"CMC_ZULIP_KEY": world.key})


def test_refused_credentials_add_nothing(mattermost: FakeMattermost, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    proc = run(
        profile,
        "account",
        "add",
        "mattermost",
        "--name",
        "mm",
        "--url",
        mattermost.url,
        "--token-env",
        "CMC_BAD",
        env={"CMC_BAD": "definitely-wrong-token"},
        check=False,
    )
    assert proc.returncode == 1
    assert (
        len(proc.stderr.strip().splitlines()) == 1 and "definitely-wrong-token" not in proc.stderr
    )
    assert json.loads(run(profile, "account", "list", "--json").stdout) == []
