"""The outbox state machine as DESIGN.md §4 and the reliability reference §1.4 describe it, move
by move: the specification the domain table and the store are both checked against."""

from __future__ import annotations

from cm_console.domain.outbox import OpState

Q, SENDING, SENT, UNKNOWN, FAILED, NA, CANCELLED = (
    OpState.QUEUED,
    OpState.SENDING,
    OpState.SENT,
    OpState.UNKNOWN,
    OpState.FAILED,
    OpState.NEEDS_ATTENTION,
    OpState.CANCELLED,
)

ALLOWED = {
    (Q, SENDING): "claim before the network call",
    (Q, CANCELLED): "the user discards a queued operation",
    (Q, NA): "held back unsent: its thread moved on since it was written",
    (SENDING, SENT): "2xx with a remote id",
    (SENDING, Q): "provably never left, or throttled: try again later",
    (SENDING, UNKNOWN): "may have reached the server",
    (SENDING, FAILED): "refused for good",
    (SENDING, NA): "credentials refused, or too many attempts",
    (UNKNOWN, SENT): "the read-back found it",
    (UNKNOWN, Q): "the read-back conclusively did not find it",
    (UNKNOWN, SENDING): "an idempotent resend with the same transaction id",
    (UNKNOWN, NA): "cannot tell: a person decides",
    (FAILED, Q): "outbox retry",
    (FAILED, CANCELLED): "outbox discard",
    (NA, Q): "outbox retry",
    (NA, CANCELLED): "outbox discard",
}
