"""The outbox table and its state machine on both engines: every allowed move, every forbidden
one, conditional updates, the sent post stored with the ``sent`` transition, and the audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cm_console.domain.model import Page, RemotePost
from cm_console.domain.outbox import OpKind, OpState, can_move
from cm_console.store import Store
from cm_console.store.ingest import IngestError
from tests.helpers.builders import ALICE, ME, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW
from tests.helpers.outbox_spec import ALLOWED, CANCELLED, FAILED, NA, SENDING, SENT, UNKNOWN, Q

H = timedelta(hours=1)


def enqueue(store: Store, acc: int, text: str = "On it!", **kw: object) -> str:
    op = store.outbox.enqueue(
        account_id=acc,
        kind=OpKind.REPLY,
        payload={"text": text},
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )
    return op.op_id


def op_in(store: Store, acc: int, state: OpState) -> str:
    """An operation brought into ``state`` along the allowed moves."""
    op_id = enqueue(store, acc)
    if state is Q:
        return op_id
    if state is CANCELLED:
        assert store.outbox.discard(op_id, NOW)
        return op_id
    assert store.outbox.claim(op_id, NOW, "host:1:test") is not None
    if state is not SENDING:
        assert store.outbox.move(op_id, SENDING, state, NOW, remote_id="r-1")
    return op_id


def state_of(store: Store, op_id: str) -> OpState:
    op = store.outbox.get(op_id)
    assert op is not None
    return op.state


@pytest.fixture
def acc(store: Store) -> int:
    return add_account(store, now=NOW)


@pytest.mark.parametrize("src", list(OpState))
def test_every_move_through_the_store(store: Store, acc: int, src: OpState) -> None:
    for dst in OpState:
        op_id = op_in(store, acc, src)
        if (src, dst) in ALLOWED:
            assert store.outbox.move(op_id, src, dst, NOW + H), (src, dst)
            assert state_of(store, op_id) is dst
        else:
            with pytest.raises(ValueError, match="not allowed"):
                store.outbox.move(op_id, src, dst, NOW + H)
            assert state_of(store, op_id) is src, (src, dst)


def test_a_move_from_the_wrong_state_changes_nothing(store: Store, acc: int) -> None:
    for actual in OpState:
        op_id = op_in(store, acc, actual)
        for src, dst in ALLOWED:
            if src is not actual:
                assert not store.outbox.move(op_id, src, dst, NOW + H), (actual, src, dst)
        assert state_of(store, op_id) is actual


def test_claim_takes_only_what_may_be_sent(store: Store, acc: int) -> None:
    for src in OpState:
        op_id = op_in(store, acc, src)
        if can_move(src, SENDING):
            claimed = store.outbox.claim(op_id, NOW + H, "host:2:other", from_states=(src,))
            assert claimed is not None and claimed.state is SENDING, src
        else:
            with pytest.raises(ValueError, match="not allowed"):
                store.outbox.claim(op_id, NOW + H, "host:2:other", from_states=(src,))
            assert state_of(store, op_id) is src
        if src is not Q:
            assert store.outbox.claim(op_id, NOW + H, "host:2:other") is None, "default: queued"


def test_the_second_claim_loses(store: Store, acc: int) -> None:
    op_id = enqueue(store, acc)
    first = store.outbox.claim(op_id, NOW + H, "host:1:a")
    second = store.outbox.claim(op_id, NOW + H, "host:2:b")
    assert first is not None and second is None
    assert (first.attempts, first.first_attempt_at, first.last_attempt_at) == (1, NOW + H, NOW + H)
    assert store.outbox.sending() == [(op_id, "host:1:a", NOW + H)]


def test_attempts_count_and_the_first_attempt_is_kept(store: Store, acc: int) -> None:
    op_id = enqueue(store, acc)
    store.outbox.claim(op_id, NOW, "h:1:a")
    store.outbox.move(op_id, SENDING, Q, NOW, next_attempt_at=NOW + H, error_code="rate_limited")
    op = store.outbox.claim(op_id, NOW + 2 * H, "h:1:a")
    assert op is not None
    assert (op.attempts, op.first_attempt_at, op.last_attempt_at) == (2, NOW, NOW + 2 * H)
    assert op.last_error_code == "rate_limited"


def test_an_attempt_that_never_left_does_not_count(store: Store, acc: int) -> None:
    op_id = enqueue(store, acc)
    store.outbox.claim(op_id, NOW, "h:1:a")
    assert store.outbox.move(op_id, SENDING, Q, NOW, next_attempt_at=NOW, undo_attempt=True)
    op = store.outbox.get(op_id)
    assert op is not None and op.attempts == 0
    store.outbox.claim(op_id, NOW, "h:1:a")
    store.outbox.move(op_id, SENDING, Q, NOW, undo_attempt=True)
    store.outbox.move(op_id, Q, CANCELLED, NOW)
    op = store.outbox.get(op_id)
    assert op is not None and op.attempts == 0, "never below zero"


def test_due_respects_the_next_attempt_time(store: Store, acc: int) -> None:
    now_op, later_op = enqueue(store, acc, "a"), enqueue(store, acc, "b", not_before=NOW + H)
    claimed = enqueue(store, acc, "c")
    store.outbox.claim(claimed, NOW, "h:1:a")
    assert [o.op_id for o in store.outbox.due(NOW)] == [now_op]
    assert [o.op_id for o in store.outbox.due(NOW + H - timedelta(milliseconds=1))] == [now_op]
    assert [o.op_id for o in store.outbox.due(NOW + H)] == [now_op, later_op]
    assert store.outbox.due(NOW + H, account_ids=[acc + 1000]) == []


def test_sent_stores_the_new_post_in_the_same_transaction(store: Store, acc: int) -> None:
    b = ThreadBuilder("t1", ALICE, NOW - 5 * H, "Question?")
    store.ingest.page(acc, b.page(), NOW)
    tid = store.threads.resolve("acme/t1")
    op_id = enqueue(store, acc, "Answer", thread_id=tid)
    store.outbox.claim(op_id, NOW, "h:1:a")
    mine = RemotePost("t1-mine", "t1", ME.remote_id, NOW, "Answer")
    assert store.outbox.move(
        op_id, SENDING, SENT, NOW, remote_id="t1-mine", page=Page("~sent", None, posts=(mine,))
    )
    op = store.outbox.get(op_id)
    assert op is not None
    assert (op.state, op.remote_id, op.sent_at) == (SENT, "t1-mine", NOW)
    assert [p.remote_id for p in store.threads.posts(tid or 0)] == ["t1-0", "t1-mine"]
    assert store.queue.items([tid or 0], NOW)[0].reply_count == 1
    actions = [e["action"] for e in store.threads.audit_entries(tid)]
    assert actions == ["sent_reply", "queue_reply"]


def test_a_sent_post_that_cannot_be_stored_leaves_the_operation_sending(
    store: Store, acc: int
) -> None:
    op_id = enqueue(store, acc)
    store.outbox.claim(op_id, NOW, "h:1:a")
    orphan = RemotePost("x", "no-such-thread", ME.remote_id, NOW, "Answer")
    with pytest.raises(IngestError):
        store.outbox.move(
            op_id, SENDING, SENT, NOW, remote_id="x", page=Page("~sent", None, posts=(orphan,))
        )
    assert state_of(store, op_id) is SENDING


def test_errors_are_kept_and_cleared_when_sent(store: Store, acc: int) -> None:
    op_id = enqueue(store, acc)
    store.outbox.claim(op_id, NOW, "h:1:a")
    store.outbox.move(op_id, SENDING, UNKNOWN, NOW, error_code="timeout", error="read timed out")
    op = store.outbox.get(op_id)
    assert op is not None and (op.last_error_code, op.last_error) == ("timeout", "read timed out")
    assert [o.op_id for o in store.outbox.unknown()] == [op_id]
    store.outbox.move(op_id, UNKNOWN, SENT, NOW, remote_id="r-9")
    op = store.outbox.get(op_id)
    assert op is not None and (op.last_error_code, op.remote_id) == (None, "r-9")


class TestUserActions:
    def test_retry_only_from_failed_or_needs_attention(self, store: Store, acc: int) -> None:
        for src in OpState:
            op_id = op_in(store, acc, src)
            retried = store.outbox.retry(op_id, NOW + H, user_id=None)
            assert retried is (src in (FAILED, NA)), src
            op = store.outbox.get(op_id)
            assert op is not None
            if retried:
                assert (op.state, op.attempts, op.next_attempt_at) == (Q, 0, None)
            else:
                assert op.state is src

    def test_discard_only_from_queued_failed_or_needs_attention(
        self, store: Store, acc: int
    ) -> None:
        for src in OpState:
            if src is CANCELLED:
                continue
            op_id = op_in(store, acc, src)
            assert store.outbox.discard(op_id, NOW + H) is (src in (Q, FAILED, NA)), src
            assert state_of(store, op_id) is (CANCELLED if src in (Q, FAILED, NA) else src)

    def test_user_actions_are_audited(self, store: Store, acc: int) -> None:
        user = store.users.ensure("anouk", NOW)
        failed = op_in(store, acc, FAILED)
        store.outbox.retry(failed, NOW, user_id=user.id)
        store.outbox.discard(failed, NOW, user_id=user.id)
        entries = store.threads.audit_entries()
        assert [(e["action"], e["user"]) for e in entries[:2]] == [
            ("outbox_discard", "anouk"),
            ("outbox_retry", "anouk"),
        ]
        assert entries[0]["detail"] == {"op_id": failed}


class TestLookup:
    def test_by_id_and_by_op_id_prefix(self, store: Store, acc: int) -> None:
        op_id = enqueue(store, acc)
        op = store.outbox.get(op_id)
        assert op is not None
        assert store.outbox.get(op.id) == op
        assert store.outbox.get(str(op.id)) == op
        assert store.outbox.get(op_id[:8]) == op
        assert store.outbox.get(op_id[:7]) is None, "too short to be safe"
        assert store.outbox.get("no-such-op") is None

    def test_an_op_id_starting_with_digits_is_found_by_its_prefix(
        self, store: Store, acc: int
    ) -> None:
        op_id = enqueue(store, acc, op_id="12345678-9abc")
        found = store.outbox.get("12345678")
        assert found is not None and found.op_id == op_id

    def test_an_ambiguous_prefix_finds_nothing(self, store: Store, acc: int) -> None:
        enqueue(store, acc, op_id="aaaaaaaa-1")
        enqueue(store, acc, op_id="aaaaaaaa-2")
        assert store.outbox.get("aaaaaaaa") is None
        assert store.outbox.get("aaaaaaaa-2") is not None

    @pytest.mark.parametrize("ref", ["%%%%%%%%", "________", "%", "²", "٣", "9" * 30, "-1", ""])
    def test_odd_references_find_nothing_and_never_fail(
        self, store: Store, acc: int, ref: str
    ) -> None:
        enqueue(store, acc)
        assert store.outbox.get(ref) is None

    def test_counts_and_pending(self, store: Store, acc: int) -> None:
        for state in (Q, Q, SENDING, UNKNOWN, FAILED, SENT):
            op_in(store, acc, state)
        assert store.outbox.counts() == {Q: 2, SENDING: 1, UNKNOWN: 1, FAILED: 1, SENT: 1}
        assert store.outbox.pending_for_account(acc) == 4
        assert len(store.outbox.find({Q, FAILED})) == 3
        assert len(store.outbox.find()) == 6


def test_mark_interrupted_only_touches_the_named_holder(store: Store, acc: int) -> None:
    op_id = op_in(store, acc, SENDING)
    assert not store.outbox.mark_interrupted(op_id, "host:2:someone-else", NOW)
    assert not store.outbox.mark_interrupted(op_id, None, NOW)
    assert store.outbox.mark_interrupted(op_id, "host:1:test", NOW)
    op = store.outbox.get(op_id)
    assert op is not None
    assert (op.state, op.last_error_code) == (UNKNOWN, "interrupted")
    assert not store.outbox.mark_interrupted(op_id, "host:1:test", NOW), "only from sending"
