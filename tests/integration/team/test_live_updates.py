"""Live updates: what one console changes reaches the others within seconds, through
PostgreSQL's LISTEN/NOTIFY on a dedicated connection, without polling the queue."""

from __future__ import annotations

import queue
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from cm_console import app as app_module
from cm_console import config
from cm_console.services.triage import ChangeSet
from tests.helpers.fixtures import NOW
from tests.helpers.postgres import PostgresServer
from tests.integration.team.helpers import open_threads

pytestmark = pytest.mark.postgres


class Inbox:
    """Collects what a listener delivers (it calls from its own thread)."""

    def __init__(self) -> None:
        self.changes: queue.Queue[ChangeSet] = queue.Queue()
        self.states: queue.Queue[tuple[bool, str]] = queue.Queue()

    def on_changes(self, changes: ChangeSet) -> None:
        self.changes.put(changes)

    def on_state(self, online: bool, detail: str) -> None:
        self.states.put((online, detail))

    def next_change(self, timeout: float = 5.0) -> ChangeSet:
        return self.changes.get(timeout=timeout)

    def until(self, wanted: object, timeout: float = 10.0) -> ChangeSet:
        """The first delivery that satisfies ``wanted`` (a predicate on the change set)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("the change never arrived")
            got = self.changes.get(timeout=left)
            if wanted(got):  # type: ignore[operator]
                return got


@pytest.fixture
def shared(pg_server: PostgresServer, pg_template: str) -> Iterator[str]:
    url = pg_server.database(template=pg_template)
    yield url
    pg_server.drop(url)


@pytest.fixture
def two(shared: str, tmp_path: Path) -> Iterator[tuple[app_module.Workspace, app_module.Workspace]]:
    pair = [
        app_module.open_workspace(
            shared, config.Paths(tmp_path / name), app_module.fixed_clock(NOW), user_name=name
        )
        for name in ("anouk", "bram")
    ]
    yield pair[0], pair[1]
    for ws in pair:
        ws.close()


def listen(ws: app_module.Workspace, inbox: Inbox):  # type: ignore[no-untyped-def]
    listener = ws.team.listener(inbox.on_changes, inbox.on_state)
    assert listener is not None
    listener.start()
    assert listener.listening.wait(10)
    return listener


def test_a_colleagues_triage_reaches_the_other_console(two) -> None:  # type: ignore[no-untyped-def]
    anouk, bram = two
    ids = open_threads(anouk.store, 3)
    inbox = Inbox()
    listener = listen(bram, inbox)
    try:
        started = time.monotonic()
        anouk.triage.tag([ids[0]], "printers")
        got = inbox.until(lambda c: ids[0] in c.thread_ids and c.tags)
        assert got.queue and time.monotonic() - started < 3
        anouk.triage.assign([ids[1]], "anouk")
        assert inbox.until(lambda c: ids[1] in c.thread_ids).queue
        anouk.team.start_reply(ids[2])
        got = inbox.until(lambda c: ids[2] in c.thread_ids)
        assert got.presence and not got.queue
        assert bram.team.replying([ids[2]])[ids[2]].user_name == "anouk"
    finally:
        listener.stop()


def test_a_console_does_not_hear_its_own_changes(two) -> None:  # type: ignore[no-untyped-def]
    anouk, bram = two
    ids = open_threads(anouk.store, 2)
    inbox = Inbox()
    listener = listen(anouk, inbox)
    try:
        anouk.triage.done([ids[0]])
        bram.triage.done([ids[1]])
        got = inbox.until(lambda c: bool(c.thread_ids))
        assert got.thread_ids == frozenset({ids[1]}), "only Bram's change is news to Anouk"
        with pytest.raises(queue.Empty):
            inbox.next_change(timeout=0.6)
    finally:
        listener.stop()


def test_a_sync_by_another_console_refreshes_the_queue(two) -> None:  # type: ignore[no-untyped-def]
    anouk, bram = two
    inbox = Inbox()
    listener = listen(bram, inbox)
    try:
        anouk.demo.create()  # adds the account and syncs it: hundreds of threads at once
        got = inbox.until(lambda c: c.queue and c.accounts, timeout=20)
        assert got.queue
    finally:
        listener.stop()


def test_the_listener_reconnects_and_asks_for_a_full_refresh(
    two, pg_server: PostgresServer, shared: str
) -> None:  # type: ignore[no-untyped-def]
    anouk, bram = two
    ids = open_threads(anouk.store, 1)
    inbox = Inbox()
    listener = listen(bram, inbox)
    try:
        database = shared.rsplit("/", 1)[1]
        with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND application_name = 'cm-console listener'",
                (database,),
            )
        assert inbox.states.get(timeout=10)[0] is False
        assert inbox.states.get(timeout=20) == (True, "")
        everything = inbox.until(lambda c: c.queue and c.outbox and c.presence)
        assert everything.accounts
        assert listener.listening.wait(10)
        anouk.triage.flag([ids[0]], "after the reconnect")
        assert ids[0] in inbox.until(lambda c: ids[0] in c.thread_ids).thread_ids
    finally:
        listener.stop()
