"""Complete copies of flagged threads: fetch every post through the connector and keep it.

Flagging asks for a copy; it is fetched right away when the platform is reachable, otherwise by
the next sync of the account. Once stored, the copy survives whatever the platform does next:
later edits keep the earlier text, deletions become tombstones, and a thread the platform no
longer has is marked as deleted upstream instead of being dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from cm_console.connectors.base import Connector, ThreadRef
from cm_console.connectors.errors import ConnectorError, NetworkError, NotFound
from cm_console.domain.model import Account
from cm_console.store import Store, StoreError

log = logging.getLogger(__name__)

Cancel = Callable[[], bool]


@dataclass(slots=True)
class CopyResult:
    """What one round of copying did for an account."""

    copied: list[int] = field(default_factory=list)
    gone: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    """Still pending: the platform could not be asked (the next sync tries again)."""
    error: str | None = None
    """The first failure, for the status bar and the command line."""

    @property
    def thread_ids(self) -> set[int]:
        return {*self.copied, *self.gone, *self.failed}


def _never() -> bool:
    return False


class ThreadCopier:
    """Fetches the complete threads that flags asked for."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    def pending(self, account_id: int | None = None) -> int:
        return len(self._store.review.pending(account_id))

    def complete(
        self,
        account: Account,
        connector: Connector,
        thread_ids: Sequence[int] | None = None,
        *,
        cancel: Cancel = _never,
    ) -> CopyResult:
        """Fetch and store each pending copy of ``account`` (only ``thread_ids``, when given).

        A network failure stops the round (the platform is unreachable; the rest stays pending);
        any other platform error is recorded on its thread and the round goes on.
        """
        result = CopyResult()
        for pending in self._store.review.pending(account.id, thread_ids):
            if cancel():
                break
            ref = ThreadRef(
                remote_id=pending.remote_id,
                container_remote_id=pending.container_remote_id,
                root_post_remote_id=pending.root_post_remote_id,
                url=pending.url,
                title=pending.title,
            )
            try:
                full = connector.fetch_thread(ref)
            except NotFound:
                self._store.review.mark_gone(pending.thread_id, self._clock())
                result.gone.append(pending.thread_id)
                continue
            except ConnectorError as exc:
                log.info("complete copy of %s is still pending: %s", pending.remote_id, exc)
                self._store.review.copy_failed(pending.thread_id, str(exc), self._clock())
                result.failed.append(pending.thread_id)
                result.error = result.error or str(exc)
                if isinstance(exc, NetworkError):
                    break
                continue
            if not full.posts:
                self._store.review.mark_gone(pending.thread_id, self._clock())
                result.gone.append(pending.thread_id)
                continue
            try:
                self._store.review.store_copy(account.id, pending.thread_id, full, self._clock())
            except StoreError as exc:
                self._store.review.copy_failed(pending.thread_id, str(exc), self._clock())
                result.failed.append(pending.thread_id)
                result.error = result.error or str(exc)
                continue
            result.copied.append(pending.thread_id)
        return result
