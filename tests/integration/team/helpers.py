"""Shared set-up for the team-mode tests: a workspace with many open threads."""

from __future__ import annotations

from datetime import timedelta

from cm_console.domain.model import Page, RemotePost, RemoteThread
from cm_console.store import Store
from tests.helpers.builders import ALICE, BOB, HELP, add_account
from tests.helpers.fixtures import NOW

H = timedelta(hours=1)


def open_threads(store: Store, count: int, *, account: str = "acme") -> list[int]:
    """``count`` unanswered threads (a question by Alice five hours ago each), in id order."""
    acc = store.accounts.get(account)
    account_id = acc.id if acc is not None else add_account(store, account, now=NOW)
    threads = []
    posts = []
    for n in range(count):
        rid = f"q{n}"
        at = NOW - 5 * H + timedelta(seconds=n)
        threads.append(RemoteThread(rid, HELP.remote_id, at, title=f"Question {n}?"))
        posts.append(
            RemotePost(f"{rid}-0", rid, ALICE.remote_id, at, f"Question {n}?", is_root=True)
        )
    page = Page(
        scope="*",
        cursor={"n": count},
        containers=(HELP,),
        people=(ALICE, BOB),
        threads=tuple(threads),
        posts=tuple(posts),
    )
    store.ingest.page(account_id, page, NOW)
    ids = [store.threads.resolve(f"{account}/q{n}") for n in range(count)]
    assert all(i is not None for i in ids)
    return [i for i in ids if i is not None]
