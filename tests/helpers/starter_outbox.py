"""A planned conversation starter taken through the real store and outbox sender.

The connector tests use it to send starters the way the application does (schedule → drain →
reconcile on a later drain), against their fixture servers and a real SQLite store.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from cm_console.connectors.base import Connector
from cm_console.domain.model import Account
from cm_console.domain.planning import Starter, StarterKind, StarterPlan
from cm_console.store import Store
from cm_console.store.planner import payload_of
from cm_console.sync.outbox import DrainResult, Sender


def sync(store: Store, connector: Connector, now: datetime, name: str = "acct") -> Account:
    """Add the account on first use (its own user set) and store one full sync."""
    account = store.accounts.get(name)
    if account is None:
        account = store.accounts.add(
            name=name,
            platform=connector.info.id,
            platform_kind=connector.info.kind,
            url=None,
            username=None,
            options={},
            now=now,
        )
        store.accounts.set_own_person(account.id, connector.whoami().remote_id)
    for page in connector.fetch(store.sync_state.cursors(account.id)):
        store.ingest.page(account.id, page, now)
    store.recompute_account(account.id)
    found = store.accounts.by_id(account.id)
    assert found is not None
    return found


def schedule(
    store: Store,
    account: Account,
    container_remote_id: str,
    now: datetime,
    *,
    text: str,
    title: str = "",
    poll_options: tuple[str, ...] = (),
) -> Starter:
    """Plan a starter in the container, due a minute ago."""
    (container,) = [
        c for c in store.accounts.containers(account.id) if c.remote_id == container_remote_id
    ]
    plan = StarterPlan(
        account_id=account.id,
        container_id=container.id,
        kind=StarterKind.POLL if poll_options else StarterKind.POST,
        title=title,
        text=text,
        scheduled_at=now - timedelta(minutes=1),
        poll_options=poll_options,
    )
    return store.planner.schedule(plan, payload_of(plan, container_remote_id), now, None)


def send_due(
    store: Store, account: Account, connector: Connector, clock: Callable[[], datetime]
) -> DrainResult:
    """One send half of a sync: reconcile what is unknown, then send what is due."""
    return Sender(store, clock).drain(account, connector, holder="test")


def current(store: Store, starter: Starter) -> Starter:
    found = store.planner.get(starter.id)
    assert found is not None
    return found
