"""Sync use case: pull new activity for each account, fetch the complete copies that flags asked
for, then drain its outbox."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from cm_console.connectors.errors import ConnectorError
from cm_console.credentials import CredentialError
from cm_console.domain.model import Account
from cm_console.domain.review import is_imported
from cm_console.services.accounts import ConnectorFactory, ServiceError
from cm_console.store import Store, StoreError
from cm_console.sync.outbox import DrainResult, Sender, holder_id, recover_interrupted
from cm_console.sync.pull import Cancel, Progress, Puller, PullResult, SyncBusy
from cm_console.sync.review import CopyResult, ThreadCopier

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AccountSync:
    """How one account's sync went."""

    account: str
    pull: PullResult | None = None
    copies: CopyResult | None = None
    drain: DrainResult | None = None
    error_code: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(slots=True)
class SyncReport:
    """Every account's result, and the threads that changed."""

    accounts: list[AccountSync] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(a.ok for a in self.accounts)

    @property
    def thread_ids(self) -> set[int]:
        ids: set[int] = set()
        for a in self.accounts:
            if a.pull is not None:
                ids |= a.pull.thread_ids
            if a.copies is not None:
                ids |= a.copies.thread_ids
            if a.drain is not None:
                ids |= a.drain.thread_ids
        return ids


def _never() -> bool:
    return False


class SyncService:
    """Runs syncs for the window (in a worker thread) and for ``cm-console sync``."""

    def __init__(
        self,
        store: Store,
        factory: ConnectorFactory,
        clock: Callable[[], datetime],
        *,
        max_attempts: int = 8,
    ) -> None:
        self._store = store
        self._factory = factory
        self._clock = clock
        self.holder = holder_id(uuid.uuid4().hex[:8])
        self._puller = Puller(store, clock)
        self._sender = Sender(store, clock, max_attempts=max_attempts)
        self.copier = ThreadCopier(store, clock)

    def recover(self) -> list[str]:
        """Operations a dead process left in ``sending`` become ``unknown`` (run at start-up)."""
        return recover_interrupted(self._store, self._clock(), self.holder)

    def accounts(self, name: str | None = None) -> list[Account]:
        """The accounts to sync: all (but those imported from review packets), or one."""
        if name is None:
            return [a for a in self._store.accounts.all() if not is_imported(a)]
        account = self._store.accounts.get(name)
        if account is None:
            raise ServiceError(f"no account named {name!r}")
        if is_imported(account):
            raise ServiceError(f"{name} holds threads from a review packet; it is not synced")
        return [account]

    def sync(
        self,
        account: str | None = None,
        *,
        cancel: Cancel = _never,
        progress: Progress | None = None,
        pull: bool = True,
        send: bool = True,
    ) -> SyncReport:
        """Pull and send for one account or all; failures are reported per account."""
        report = SyncReport()
        self.recover()
        for acc in self.accounts(account):
            if cancel():
                break
            report.accounts.append(self._one(acc, cancel, progress, pull=pull, send=send))
        return report

    def _one(
        self,
        account: Account,
        cancel: Cancel,
        progress: Progress | None,
        *,
        pull: bool,
        send: bool,
    ) -> AccountSync:
        result = AccountSync(account.name)
        try:
            connector = self._factory.build(account)
        except (ServiceError, CredentialError, ConnectorError) as exc:
            result.error_code, result.error = "credentials", str(exc)
            return result
        try:
            if pull:
                result.pull = self._puller.pull(
                    account, connector, holder=self.holder, cancel=cancel, progress=progress
                )
                account = self._store.accounts.by_id(account.id) or account
                result.copies = self.copier.complete(account, connector, cancel=cancel)
            if send:
                result.drain = self._sender.drain(
                    account, connector, holder=self.holder, cancel=cancel
                )
        except SyncBusy as exc:
            result.error_code, result.error = "busy", str(exc)
        except ConnectorError as exc:
            result.error_code, result.error = exc.code, f"{account.name}: {exc}"
        except StoreError as exc:
            result.error_code, result.error = "database", f"{account.name}: {exc}"
        finally:
            connector.close()
        return result
