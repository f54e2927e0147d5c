"""Start-up recovery: operations a dead sender left in ``sending`` become ``unknown``, so they are
reconciled before any resend; a live sender's operations are left alone."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from cm_console.domain.outbox import OpKind, OpState
from cm_console.store import Database, Store
from cm_console.sync.outbox import SEND_DEADLINE_S, holder_id, recover_interrupted
from tests.helpers.builders import add_account

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HOST = socket.gethostname()
STALE = timedelta(seconds=2 * SEND_DEADLINE_S)
MS = timedelta(milliseconds=1)
OWN = holder_id("mine")


@pytest.fixture
def acc(store: Store) -> int:
    return add_account(store, now=NOW)


def sending(store: Store, acc: int, holder: str, at: datetime = NOW) -> str:
    op = store.outbox.enqueue(account_id=acc, kind=OpKind.REPLY, payload={"text": "x"}, now=at)
    assert store.outbox.claim(op.op_id, at, holder) is not None
    return op.op_id


def state(store: Store, op_id: str) -> OpState:
    op = store.outbox.get(op_id)
    assert op is not None
    return op.state


@pytest.fixture
def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def live_pid() -> Iterator[int]:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield child.pid
    child.kill()
    child.wait()


def test_a_dead_local_sender_is_recovered(store: Store, acc: int, dead_pid: int) -> None:
    op_id = sending(store, acc, f"{HOST}:{dead_pid}:nonce")
    assert recover_interrupted(store, NOW + MS, OWN) == [op_id]
    op = store.outbox.get(op_id)
    assert op is not None
    assert (op.state, op.last_error_code) == (OpState.UNKNOWN, "interrupted")
    assert recover_interrupted(store, NOW + MS, OWN) == [], "once"


def test_a_live_sender_is_left_alone(store: Store, acc: int, live_pid: int) -> None:
    other_process = sending(store, acc, f"{HOST}:{live_pid}:nonce")
    this_process_other_sender = sending(store, acc, f"{HOST}:{os.getpid()}:another")
    mine = sending(store, acc, OWN)
    other_host = sending(store, acc, "elsewhere:1:nonce")
    assert recover_interrupted(store, NOW + STALE, OWN) == []
    for op_id in (other_process, this_process_other_sender, mine, other_host):
        assert state(store, op_id) is OpState.SENDING


def test_an_attempt_silent_for_longer_than_any_attempt_can_take_is_dead(
    store: Store, acc: int, live_pid: int
) -> None:
    elsewhere = sending(store, acc, "elsewhere:1:nonce")
    unparseable = sending(store, acc, "not-a-holder")
    alive_but_stuck = sending(store, acc, f"{HOST}:{live_pid}:nonce")
    mine = sending(store, acc, OWN)
    assert recover_interrupted(store, NOW + STALE, OWN) == [], "exactly at the limit: alive"
    recovered = recover_interrupted(store, NOW + STALE + MS, OWN)
    assert sorted(recovered) == sorted([elsewhere, unparseable, alive_but_stuck])
    assert state(store, mine) is OpState.SENDING, "this process knows it is alive"


def test_a_killed_sender_process_is_recovered_at_the_next_start(db_url: str) -> None:
    store = Store(Database(db_url))
    acc = add_account(store, now=NOW)
    op = store.outbox.enqueue(account_id=acc, kind=OpKind.REPLY, payload={"text": "x"}, now=NOW)
    script = textwrap.dedent(
        f"""
        import sys, time
        from datetime import datetime, UTC
        from cm_console.store import Database, Store
        from cm_console.sync.outbox import holder_id
        store = Store(Database({db_url!r}))
        claimed = store.outbox.claim({op.op_id!r}, datetime.now(UTC), holder_id("child"))
        print("claimed" if claimed else "lost", flush=True)
        time.sleep(120)  # the request is in flight when the process dies
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "claimed"
        assert state(store, op.op_id) is OpState.SENDING
        assert recover_interrupted(store, datetime.now(UTC), OWN) == [], "still running"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    try:
        assert recover_interrupted(store, datetime.now(UTC), OWN) == [op.op_id]
        assert state(store, op.op_id) is OpState.UNKNOWN
    finally:
        store.close()
