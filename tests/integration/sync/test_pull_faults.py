"""The pull side under faults, per connector family, against the fixture servers.

An interrupted sync resumes from the stored cursors and stores nothing twice; replayed and
overlapping pages change nothing; edits and deletions are applied (tombstones, not removals); a
page of malformed JSON fails that account's sync with a clear error and loses nothing already
stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from cm_console.connectors.errors import ConnectorError, MalformedResponse
from cm_console.store import schema as s
from cm_console.sync.pull import Puller, PullResult
from tests.helpers.faultserver import Fault
from tests.helpers.faultserver_model import OutboxWorld, migrated_template

PAGES = {
    "mattermost": r"/api/v4/channels/[^/]+/posts$",
    "zulip": r"/api/v1/messages$",
    "discourse": r"^/latest\.json$",
    "slack": r"/api/conversations\.history$",
    "teams": r"/messages/delta$",
    "engage": r"/api/v1/messages/in_group/",
}
"""The request that brings a page of new activity, per platform."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("pull-template"))


@pytest.fixture
def world(request: pytest.FixtureRequest, template: Path, tmp_path: Path) -> Iterator[OutboxWorld]:
    name = request.param.removesuffix("-staff")
    w = OutboxWorld(name, template, tmp_path, staff=request.param.endswith("-staff"))
    try:
        yield w
    finally:
        w.close()


def pull(world: OutboxWorld) -> PullResult:
    world.advance(120)  # Viva Engage polls at most once a minute
    connector = world.rig.connector()
    try:
        return Puller(world.store, world.clock.now).pull(world.account, connector, holder="test")
    finally:
        connector.close()


def stored(world: OutboxWorld) -> dict[str, tuple[str, bool]]:
    """Every stored post: remote id → (text, deleted)."""
    p = s.posts.c
    with world.store.db.read() as conn:
        rows = conn.execute(
            select(p.remote_id, p.text, p.deleted_at).where(p.account_id == world.account.id)
        ).all()
    assert len(rows) == len({r.remote_id for r in rows})
    return {r.remote_id: (r.text, r.deleted_at is not None) for r in rows}


def texts(world: OutboxWorld) -> list[str]:
    return [text for text, deleted in stored(world).values() if not deleted]


@pytest.mark.parametrize("world", list(PAGES), indirect=True)
def test_a_malformed_page_fails_the_sync_clearly_and_loses_nothing(world: OutboxWorld) -> None:
    before = stored(world)
    world.rig.add_reply(world.rig.threads[0], "Het nieuwe antwoord")
    world.rig.proxy.arm(Fault.BAD_JSON, "any", match=PAGES[world.platform])
    with pytest.raises(MalformedResponse) as failed:
        pull(world)
    assert "JSON" in str(failed.value)
    assert stored(world) == before, "nothing stored is lost or changed"
    [status] = world.store.sync_state.status(world.clock.now())
    assert status.last_error_code == "malformed"
    assert not status.running, "the sync let go of the account"
    pull(world)
    after = stored(world)
    assert before.items() <= after.items()
    assert texts(world).count("Het nieuwe antwoord") == 1


@pytest.mark.parametrize("world", list(PAGES), indirect=True)
@pytest.mark.parametrize("skip", [0, 1, 2])
def test_an_interrupted_sync_resumes_and_stores_nothing_twice(
    world: OutboxWorld, skip: int
) -> None:
    for i, thread in enumerate(world.rig.threads):
        world.rig.add_reply(thread, f"Antwoord {i}a")
        world.rig.add_reply(thread, f"Antwoord {i}b")
    for _ in range(skip):
        world.rig.proxy.arm(Fault.OK, "any")
    for _ in range(8):  # more than a read's retries: the sync gives up
        world.rig.proxy.arm(Fault.RESET, "any")
    with pytest.raises(ConnectorError):
        pull(world)
    world.rig.proxy.disarm()
    pull(world)
    pull(world)
    shown = texts(world)
    for i in range(len(world.rig.threads)):
        assert shown.count(f"Antwoord {i}a") == 1
        assert shown.count(f"Antwoord {i}b") == 1


@pytest.mark.parametrize("world", list(PAGES), indirect=True)
def test_replayed_and_overlapping_pages_change_nothing(world: OutboxWorld) -> None:
    world.rig.add_reply(world.rig.threads[1], "Nog een antwoord")
    cursors = world.store.sync_state.cursors(world.account.id)
    pull(world)
    before = stored(world)
    connector = world.rig.connector()
    try:
        # The same pages again from the older cursors (a crash after the fetch, an overlap).
        for page in connector.fetch(cursors):
            result = world.store.ingest.page(world.account.id, page, world.clock.now())
            assert result.new_posts == 0
    finally:
        connector.close()
    pull(world)
    assert stored(world) == before


def _edit_and_delete(world: OutboxWorld) -> tuple[str, str]:
    """Edit one colleague reply and delete another on the server; their remote ids."""
    rig = world.rig
    thread = rig.threads[0]
    edited = rig.add_reply(thread, "Eerste versie")
    deleted = rig.add_reply(thread, "Dit haal ik weg")
    pull(world)
    at = world.clock.now()
    server = rig.server
    if world.platform == "mattermost":
        server.edit_post(edited, "Tweede versie")
        server.delete_post(deleted)
    elif world.platform == "zulip":
        server.edit_message(int(edited), "Tweede versie", at)
        server.delete_message(int(deleted))
    elif world.platform == "slack":
        server.edit(*edited.split("/"), "Tweede versie", at)
        server.delete(*deleted.split("/"))
    else:
        server.edit(int(edited), "Tweede versie", at)
        server.delete(int(deleted), at)
        rig.add_reply(thread, "Een bump")  # Discourse shows edits when the topic moves
    return edited, deleted


@pytest.mark.parametrize(
    "world", ["mattermost", "zulip", "slack", "discourse-staff"], indirect=True
)
def test_edits_and_deletions_are_applied(world: OutboxWorld) -> None:
    edited, deleted = _edit_and_delete(world)
    pull(world)
    posts = stored(world)
    assert posts[edited] == ("Tweede versie", False)
    assert posts[deleted][1], "a deletion is a tombstone, not a removal"
