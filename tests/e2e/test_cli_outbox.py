"""The outbox through the command line: a reply whose thread moved on waits for the user.

Real processes against the fake Mattermost: ``reply`` queues it, colleagues answer meanwhile,
``sync`` holds it back (``outbox`` says why), ``outbox retry`` confirms it and the next ``sync``
sends it, once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.e2e.test_cli import run
from tests.helpers.fake_mattermost import FakeMattermost
from tests.integration.connectors.test_mattermost_contract import MattermostWorld


@pytest.fixture
def mattermost() -> Iterator[FakeMattermost]:
    server = FakeMattermost()
    yield server
    server.stop()


def test_a_reply_whose_thread_moved_on_is_held_until_retried(
    mattermost: FakeMattermost, tmp_path: Path
) -> None:
    world = MattermostWorld(mattermost, now=datetime.now(UTC))
    thread = world.add_thread(
        world.author, "Wie weet waar de beamer van zaal 3 is?", world.now - timedelta(hours=5)
    )
    profile = tmp_path / "profile"
    env = {"CMC_MM_TOKEN": world.token}
    run(profile, "account", "add", "mattermost", "--name", "mm", "--url", mattermost.url,
        "--token-env", "CMC_MM_TOKEN", env=env)  # fmt: skip
    run(profile, "sync")
    [item] = json.loads(run(profile, "queue", "--json").stdout)
    text = "Die staat in de kast naast de receptie."
    run(profile, "reply", str(item["id"]), "--text", text)

    world.add_reply(thread, world.expert, "Volgens mij bij facilitair.", world.now)
    world.add_reply(thread, world.expert, "Nee, hij is in reparatie.", world.now)
    out = run(profile, "sync").stdout
    assert "1 need attention" in out
    assert [r for r in world.replies_on_server(thread) if r[1] == text] == []

    [op] = json.loads(run(profile, "outbox", "--json").stdout)
    assert op["state"] == "needs_attention"
    assert op["last_error_code"] == "moved_on"
    listing = run(profile, "outbox").stdout
    assert "needs_attention" in listing
    assert "2 new replies since you wrote this" in listing

    assert "queued again" in run(profile, "outbox", "retry", str(op["id"])).stdout
    run(profile, "sync")
    run(profile, "sync")
    assert [r for r in world.replies_on_server(thread) if r[1] == text] == [
        (world.me.remote_id, text)
    ]
    [op] = json.loads(run(profile, "outbox", "--json").stdout)
    assert op["state"] == "sent"
