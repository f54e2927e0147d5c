"""The outbox sender against a scripted platform: each kind of outcome leads to the state the
reliability reference prescribes, and an ambiguous attempt is reconciled before any resend."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cm_console.connectors.base import (
    AccountConfig,
    Capability,
    Connector,
    ConnectorContext,
    ConnectorInfo,
    Outgoing,
    SendResult,
)
from cm_console.connectors.errors import (
    AmbiguousError,
    AuthError,
    NetworkError,
    NotSupported,
    PermanentError,
    RateLimited,
)
from cm_console.domain.model import (
    Account,
    FullThread,
    Page,
    PlatformKind,
    RemoteContainer,
    RemotePerson,
    RemotePost,
)
from cm_console.domain.outbox import OpKind, OpState
from cm_console.store import Store
from cm_console.sync.outbox import Sender
from tests.helpers.builders import ALICE, ME, ThreadBuilder, add_account

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
Outcome = SendResult | Exception | None


class ScriptedPlatform(Connector):
    """Answers sends and read-backs from a script; records every call."""

    info = ConnectorInfo(
        id="scripted",
        display_name="Scripted",
        kind=PlatformKind.FORUM,
        capabilities=frozenset({Capability.REPLY}),
    )

    def __init__(self, sends: list[Outcome], reads: list[Outcome] | None = None) -> None:
        super().__init__(AccountConfig(name="acme"), ConnectorContext())
        self.sends = list(sends)
        self.reads = list(reads or [])
        self.sent: list[str] = []
        self.read: list[str] = []

    def _next(self, script: list[Outcome], op: Outgoing) -> SendResult | None:
        outcome = script.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def post_reply(self, op: Outgoing) -> SendResult:
        self.sent.append(op.op_id)
        result = self._next(self.sends, op)
        assert result is not None
        return result

    def find_sent(self, op: Outgoing) -> SendResult | None:
        self.read.append(op.op_id)
        return self._next(self.reads, op)

    def whoami(self) -> RemotePerson:
        return ME

    def list_containers(self) -> list[RemoteContainer]:
        return []

    def fetch(self, cursors: Mapping[str, Any]) -> Iterator[Page]:
        yield from ()

    def fetch_thread(self, thread: Any) -> FullThread:
        raise NotSupported("no")


class IdempotentPlatform(ScriptedPlatform):
    idempotent_writes = True


def ok(remote_id: str = "r1") -> SendResult:
    post = RemotePost(remote_id, "t1", ME.remote_id, NOW, "On it")
    return SendResult(remote_id, "t1", Page("~sent", None, posts=(post,)))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def account(store: Store) -> Account:
    acc = add_account(store, now=NOW)
    store.ingest.page(acc, ThreadBuilder("t1", ALICE, NOW - timedelta(hours=3), "Q?").page(), NOW)
    found = store.accounts.by_id(acc)
    assert found is not None
    return found


def enqueue(store: Store, account: Account, text: str = "On it") -> str:
    tid = store.threads.resolve("acme/t1")
    return store.outbox.enqueue(
        account_id=account.id,
        kind=OpKind.REPLY,
        payload={"text": text, "thread": {"remote_id": "t1", "container_remote_id": "c-help"}},
        now=NOW,
        thread_id=tid,
    ).op_id


def op(store: Store, op_id: str) -> Any:
    found = store.outbox.get(op_id)
    assert found is not None
    return found


def drain(
    store: Store, clock: Clock, account: Account, platform: ScriptedPlatform, max_attempts: int = 8
) -> Any:
    return Sender(store, clock, max_attempts=max_attempts).drain(
        account, platform, holder="test:1:x"
    )


def test_sent_stores_the_reply(store: Store, clock: Clock, account: Account) -> None:
    op_id = enqueue(store, account)
    result = drain(store, clock, account, ScriptedPlatform([ok()]))
    assert result.sent == [op_id]
    sent = op(store, op_id)
    assert (sent.state, sent.remote_id, sent.attempts) == (OpState.SENT, "r1", 1)
    tid = store.threads.resolve("acme/t1")
    assert [p.remote_id for p in store.threads.posts(tid or 0)] == ["t1-0", "r1"]


def test_throttled_waits_for_the_platforms_delay(
    store: Store, clock: Clock, account: Account
) -> None:
    op_id = enqueue(store, account)
    platform = ScriptedPlatform([RateLimited("slow down", retry_after=timedelta(seconds=30)), ok()])
    result = drain(store, clock, account, platform)
    assert result.requeued == [op_id]
    queued = op(store, op_id)
    assert (queued.state, queued.next_attempt_at, queued.attempts) == (
        OpState.QUEUED,
        NOW + timedelta(seconds=30),
        1,
    )
    clock.now = NOW + timedelta(seconds=29)
    assert drain(store, clock, account, platform).sent == []
    assert platform.sent == [op_id], "no attempt before the delay"
    clock.now = NOW + timedelta(seconds=30)
    assert drain(store, clock, account, platform).sent == [op_id]


def test_offline_stops_the_drain_and_does_not_count_the_attempt(
    store: Store, clock: Clock, account: Account
) -> None:
    first, second = enqueue(store, account, "a"), enqueue(store, account, "b")
    platform = ScriptedPlatform([NetworkError("no route to host")])
    result = drain(store, clock, account, platform)
    assert result.offline
    assert platform.sent == [first], "the second one is not tried while offline"
    assert (op(store, first).state, op(store, first).attempts) == (OpState.QUEUED, 0)
    assert op(store, second).state is OpState.QUEUED


def test_an_ambiguous_attempt_is_read_back_before_any_resend(
    store: Store, clock: Clock, account: Account
) -> None:
    found, missing = enqueue(store, account, "a"), enqueue(store, account, "b")
    platform = ScriptedPlatform(
        sends=[AmbiguousError("read timed out"), AmbiguousError("reset"), ok("r2")],
        reads=[ok("r1"), None],
    )
    first = drain(store, clock, account, platform)
    assert first.unknown == [found, missing]
    assert op(store, found).state is OpState.UNKNOWN
    second = drain(store, clock, account, platform)
    # The first reached the platform: found by the read-back, never sent again.
    assert second.reconciled == [found]
    assert op(store, found).state is OpState.SENT and op(store, found).remote_id == "r1"
    # The second did not: conclusively missing, so it is sent again.
    assert op(store, missing).state is OpState.SENT and op(store, missing).remote_id == "r2"
    assert platform.sent == [found, missing, missing]
    assert platform.read == [found, missing]


def test_an_unverifiable_attempt_needs_a_person(
    store: Store, clock: Clock, account: Account
) -> None:
    op_id = enqueue(store, account)
    platform = ScriptedPlatform([AmbiguousError("timeout")], [NotSupported("no read-back")])
    drain(store, clock, account, platform)
    result = drain(store, clock, account, platform)
    assert result.needs_attention == [op_id]
    assert (op(store, op_id).state, op(store, op_id).last_error_code) == (
        OpState.NEEDS_ATTENTION,
        "unverifiable",
    )
    assert platform.sent == [op_id], "never resent blindly"


def test_a_failed_read_back_stays_unknown(store: Store, clock: Clock, account: Account) -> None:
    op_id = enqueue(store, account)
    platform = ScriptedPlatform([AmbiguousError("timeout")], [NetworkError("offline")])
    drain(store, clock, account, platform)
    result = drain(store, clock, account, platform)
    assert result.offline
    assert op(store, op_id).state is OpState.UNKNOWN
    assert platform.sent == [op_id]


def test_an_idempotent_platform_gets_the_same_operation_again(
    store: Store, clock: Clock, account: Account
) -> None:
    op_id = enqueue(store, account)
    platform = IdempotentPlatform([AmbiguousError("timeout"), ok()])
    drain(store, clock, account, platform)
    result = drain(store, clock, account, platform)
    assert result.sent == [op_id]
    assert platform.sent == [op_id, op_id]
    assert platform.read == []
    assert op(store, op_id).attempts == 2


@pytest.mark.parametrize(
    ("error", "state"),
    [
        (PermanentError("message too long"), OpState.FAILED),
        (AuthError("token revoked"), OpState.NEEDS_ATTENTION),
    ],
)
def test_refusals_are_shown_and_never_retried_by_themselves(
    store: Store, clock: Clock, account: Account, error: Exception, state: OpState
) -> None:
    op_id = enqueue(store, account)
    platform = ScriptedPlatform([error])
    drain(store, clock, account, platform)
    assert op(store, op_id).state is state
    assert op(store, op_id).last_error == str(error)
    clock.now = NOW + timedelta(days=1)
    drain(store, clock, account, platform)
    assert platform.sent == [op_id]


def test_giving_up_after_too_many_attempts(store: Store, clock: Clock, account: Account) -> None:
    op_id = enqueue(store, account)
    platform = ScriptedPlatform([RateLimited("busy"), RateLimited("busy")])
    drain(store, clock, account, platform, max_attempts=2)
    assert op(store, op_id).state is OpState.QUEUED
    clock.now = NOW + timedelta(hours=1)
    result = drain(store, clock, account, platform, max_attempts=2)
    assert result.needs_attention == [op_id]
    assert op(store, op_id).state is OpState.NEEDS_ATTENTION


def test_an_operation_another_process_is_sending_is_left_to_it(
    store: Store, clock: Clock, account: Account
) -> None:
    op_id = enqueue(store, account)
    assert store.outbox.claim(op_id, NOW, "other:2:y") is not None
    platform = ScriptedPlatform([])
    result = drain(store, clock, account, platform)
    assert (result.sent, platform.sent) == ([], [])
    assert op(store, op_id).state is OpState.SENDING
