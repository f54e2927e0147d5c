"""The pull engine: new activity from a connector into the store, page by page.

One sync per account at a time (a lease row, whoever starts it: the window or ``cm-console sync``
from cron). Each page is stored with its cursor in one transaction, so an interrupted sync resumes
where it stopped and a replayed page changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cm_console.connectors.base import Capability, Connector
from cm_console.connectors.errors import ConnectorError, MalformedResponse, RateLimited
from cm_console.domain.model import Account, Page
from cm_console.store import Store, StoreError
from cm_console.store.ingest import IngestError

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(minutes=5)
UNREADABLE = (TypeError, KeyError, AttributeError, IndexError, ValueError, ArithmeticError)
"""What a connector raises when a payload has a shape it does not expect: reported on the
account as unreadable data (like malformed JSON), never a crash of the sync."""
PEOPLE_REFRESH = timedelta(days=1)
PEOPLE_SCOPE = "~people"

Cancel = Callable[[], bool]
Progress = Callable[[str, int], None]
"""Called with the account name and the number of pages stored so far."""


class SyncBusy(Exception):
    """Another console or process is syncing this account right now."""


@dataclass(slots=True)
class PullResult:
    """What a pull did for one account."""

    account: str
    pages: int = 0
    new_posts: int = 0
    updated_posts: int = 0
    deleted_posts: int = 0
    new_threads: int = 0
    thread_ids: set[int] = field(default_factory=set)
    cancelled: bool = False


def _never() -> bool:
    return False


class Puller:
    """Pulls accounts into the store."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        *,
        lease_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        # Leases shared by consoles on several machines run on one clock (the database's):
        # machine clocks disagree, and a skewed one would take a lease that is still live.
        self._lease_clock = lease_clock or clock

    def pull(
        self,
        account: Account,
        connector: Connector,
        *,
        holder: str,
        cancel: Cancel = _never,
        progress: Progress | None = None,
    ) -> PullResult:
        """Fetch and store everything new for ``account``.

        Raises:
            SyncBusy: another sync holds the account's lease.
            ConnectorError: the platform failed; pages stored before the failure stay stored.
            StoreError: the database failed (the page in flight is rolled back).
        """
        store = self._store
        if not store.sync_state.acquire(account.id, holder, self._lease_clock(), LEASE_TTL):
            raise SyncBusy(f"{account.name} is being synced by another console")
        result = PullResult(account.name)
        error: Exception | None = None
        try:
            self._identify(account, connector)
            cursors = store.sync_state.cursors(account.id)
            self._people(account, connector, cursors)
            for page in connector.fetch(cursors):
                if cancel():
                    result.cancelled = True
                    break
                # A page is stored only under a live lease: one that expired (a stalled
                # fetch) may have been taken over, and two pulls would write cursors in turn.
                if not store.sync_state.renew(account.id, holder, self._lease_clock(), LEASE_TTL):
                    raise SyncBusy(f"{account.name}: another console took over this sync")
                self._store_page(account, page, result)
                if progress is not None:
                    progress(account.name, result.pages)
        except (ConnectorError, StoreError) as exc:
            error = exc
            if isinstance(exc, RateLimited) and exc.retry_after is not None:
                # The platform throttles the account, not this sync: the outbox waits too.
                now = self._clock()
                store.outbox.hold_account(account.id, now + exc.retry_after, now)
            raise
        except UNREADABLE as exc:
            # A connector tripped over a payload shape it did not expect (a broken or hostile
            # server): an error on this account, as malformed JSON is, never a crashed sync.
            log.warning("%s: unreadable platform data", account.name, exc_info=True)
            error = MalformedResponse(
                f"{account.name}: the platform sent data the console cannot read "
                f"({type(exc).__name__})",
                code="unreadable",
            )
            raise error from None
        finally:
            code = None
            if isinstance(error, ConnectorError):
                code = error.code
            elif isinstance(error, IngestError):
                code = "contract"
            elif error is not None:
                code = "database"
            store.sync_state.release(
                account.id,
                holder,
                self._clock(),
                error_code=code,
                error=str(error) if error is not None else None,
            )
        return result

    def _store_page(self, account: Account, page: Page, result: PullResult) -> None:
        ingested = self._store.ingest.page(account.id, page, self._clock())
        result.pages += 1
        result.new_posts += ingested.new_posts
        result.updated_posts += ingested.updated_posts
        result.deleted_posts += ingested.deleted_posts
        result.new_threads += ingested.new_threads
        result.thread_ids |= ingested.thread_ids

    def _identify(self, account: Account, connector: Connector) -> None:
        if account.own_person_remote_id is not None:
            return
        me = connector.whoami()
        self._store.accounts.set_own_person(account.id, me.remote_id)
        self._store.ingest.page(
            account.id,
            Page(scope="~me", cursor={"id": me.remote_id}, people=(me,)),
            self._clock(),
        )
        self._store.recompute_account(account.id)

    def _people(self, account: Account, connector: Connector, cursors: dict[str, object]) -> None:
        if not connector.info.supports(Capability.PEOPLE):
            return
        last = cursors.get(PEOPLE_SCOPE)
        now = self._clock()
        if isinstance(last, dict) and "at" in last:
            try:
                if now - datetime.fromisoformat(str(last["at"])) < PEOPLE_REFRESH:
                    return
            except ValueError:
                pass
        people = tuple(connector.list_people())
        self._store.ingest.page(
            account.id,
            Page(scope=PEOPLE_SCOPE, cursor={"at": now.isoformat()}, people=people),
            now,
        )
