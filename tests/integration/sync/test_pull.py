"""The pull engine: pages and cursors stored together, resumption, one sync per account, and
failures that keep what was stored before them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cm_console.connectors.base import (
    AccountConfig,
    Connector,
    ConnectorContext,
    ConnectorInfo,
)
from cm_console.connectors.errors import NetworkError, NotSupported
from cm_console.domain.model import (
    Account,
    FullThread,
    Page,
    PlatformKind,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
)
from cm_console.domain.views import QueueQuery, View
from cm_console.store import Store
from cm_console.store.ingest import IngestError
from cm_console.sync.pull import Puller, SyncBusy
from tests.helpers.builders import ME, add_account

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ALICE = RemotePerson("u-a", "alice", "Alice")


def page(n: int) -> Page:
    at = NOW - timedelta(hours=10 - n)
    return Page(
        scope="*",
        cursor={"after": n},
        containers=(RemoteContainer("c1", "General"),),
        people=(ALICE,),
        threads=(RemoteThread(f"t{n}", "c1", at),),
        posts=(RemotePost(f"p{n}", f"t{n}", ALICE.remote_id, at, f"Question {n}?", is_root=True),),
    )


class Paged(Connector):
    """A platform with a fixed list of pages; resumes after the stored cursor."""

    info = ConnectorInfo(
        id="paged", display_name="Paged", kind=PlatformKind.FORUM, capabilities=frozenset()
    )

    def __init__(self, pages: list[Page | Exception]) -> None:
        super().__init__(AccountConfig(name="acme"), ConnectorContext())
        self.pages = pages
        self.seen_cursors: list[dict[str, Any]] = []

    def fetch(self, cursors: Mapping[str, Any]) -> Iterator[Page]:
        self.seen_cursors.append(dict(cursors))
        after = (cursors.get("*") or {}).get("after", 0)
        for item in self.pages[after:]:
            if isinstance(item, Exception):
                raise item
            yield item

    def whoami(self) -> RemotePerson:
        return ME

    def list_containers(self) -> list[RemoteContainer]:
        return []

    def fetch_thread(self, thread: Any) -> FullThread:
        raise NotSupported("no")


@pytest.fixture
def account(store: Store) -> Account:
    found = store.accounts.by_id(add_account(store, now=NOW))
    assert found is not None
    return found


def pull(store: Store, account: Account, connector: Connector, **kw: Any) -> Any:
    return Puller(store, lambda: NOW).pull(account, connector, holder="test:1:x", **kw)


def thread_count(store: Store) -> int:
    return len(store.queue.ids(QueueQuery(view=View.ALL), NOW))


def test_pages_are_stored_and_the_next_pull_resumes(store: Store, account: Account) -> None:
    platform = Paged([page(1), page(2), page(3)])
    progress: list[int] = []
    result = pull(store, account, platform, progress=lambda _name, n: progress.append(n))
    assert (result.pages, result.new_posts, result.new_threads) == (3, 3, 3)
    assert progress == [1, 2, 3]
    assert store.sync_state.cursors(account.id)["*"] == {"after": 3}
    again = pull(store, account, platform)
    assert again.pages == 0
    assert platform.seen_cursors[-1]["*"] == {"after": 3}
    (status,) = store.sync_state.status(NOW)
    assert (status.running, status.last_success_at, status.last_error) == (False, NOW, None)


def test_a_platform_failure_keeps_what_was_stored(store: Store, account: Account) -> None:
    platform = Paged([page(1), NetworkError("connection reset"), page(3)])
    with pytest.raises(NetworkError):
        pull(store, account, platform)
    assert store.sync_state.cursors(account.id)["*"] == {"after": 1}
    assert thread_count(store) == 1
    (status,) = store.sync_state.status(NOW)
    assert (status.running, status.last_error_code) == (False, "network")
    platform.pages[1] = page(2)  # the network is back
    assert pull(store, account, platform).pages == 2
    assert thread_count(store) == 3


def test_a_page_that_breaks_the_contract_is_not_stored(store: Store, account: Account) -> None:
    broken = Page("*", {"after": 2}, posts=(RemotePost("x", "unknown", "u-a", NOW, "?"),))
    with pytest.raises(IngestError):
        pull(store, account, Paged([page(1), broken]))
    assert store.sync_state.cursors(account.id)["*"] == {"after": 1}
    (status,) = store.sync_state.status(NOW)
    assert status.last_error_code == "contract"


def test_one_sync_per_account(store: Store, account: Account) -> None:
    assert store.sync_state.acquire(account.id, "cron:2:y", NOW, timedelta(minutes=5))
    with pytest.raises(SyncBusy):
        pull(store, account, Paged([page(1)]))
    assert thread_count(store) == 0
    (status,) = store.sync_state.status(NOW)
    assert status.running, "the other sync keeps its lease"


def test_cancel_stops_between_pages(store: Store, account: Account) -> None:
    asked: list[int] = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 1

    result = pull(store, account, Paged([page(1), page(2), page(3)]), cancel=cancel)
    assert (result.pages, result.cancelled) == (1, True)
    assert store.sync_state.cursors(account.id)["*"] == {"after": 1}
