"""Outbox use cases: list operations, retry or discard them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cm_console.domain.model import LocalUser
from cm_console.domain.outbox import CANCELLABLE, RETRYABLE_BY_USER, Operation, OpState
from cm_console.services.accounts import ServiceError, UsageError
from cm_console.store import Store


class OutboxService:
    """What waits to be sent, and the user's say over it."""

    def __init__(self, store: Store, clock: Callable[[], datetime], user: LocalUser) -> None:
        self._store = store
        self._clock = clock
        self._user = user

    def operations(self, states: set[OpState] | None = None) -> list[Operation]:
        return self._store.outbox.find(states)

    def counts(self) -> dict[OpState, int]:
        return self._store.outbox.counts()

    def get(self, ref: str) -> Operation:
        op = self._store.outbox.get(ref)
        if op is None:
            raise ServiceError(f"no outbox operation {ref!r} (use the id from 'outbox')")
        return op

    def retry(self, ref: str) -> Operation:
        """Send again an operation that failed or needs attention (never one in unknown)."""
        op = self.get(ref)
        if op.state not in RETRYABLE_BY_USER:
            raise UsageError(
                f"operation {op.id} is {op.state.value}; only failed or needs_attention "
                "operations can be retried"
            )
        if not self._store.outbox.retry(op.op_id, self._clock(), self._user.id):
            raise ServiceError(f"operation {op.id} changed meanwhile; look again")
        return self.get(op.op_id)

    def discard(self, ref: str) -> Operation:
        """Cancel an operation that is queued, failed or needs attention."""
        op = self.get(ref)
        if op.state not in CANCELLABLE:
            raise UsageError(
                f"operation {op.id} is {op.state.value}; only queued, failed or needs_attention "
                "operations can be discarded"
            )
        if not self._store.outbox.discard(op.op_id, self._clock(), self._user.id):
            raise ServiceError(f"operation {op.id} changed meanwhile; look again")
        return self.get(op.op_id)
