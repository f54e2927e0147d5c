"""The child of the kill -9 harness: a console core that writes until it is killed.

Run as ``python -m tests.integration.sync.kill9_child DB URL TOKEN SEED THREAD...``. It opens
the SQLite store (recovering what a killed predecessor left in ``sending``, as the app does at
start-up), then loops at random: autosave a draft, queue a reply, ingest a page (sometimes the
same page again), drain the outbox through the fault proxy. It prints ``ACK <kind> <key>
<value>`` on stdout only after the write's transaction committed (``TRY`` before a draft, whose
text may survive without its ACK); the parent kills it with SIGKILL at a random moment and checks
that every acknowledged write survived.
"""

from __future__ import annotations

import random
import sys
import uuid
from datetime import UTC, datetime, timedelta

from cm_console.connectors.base import AccountConfig, ConnectorContext
from cm_console.connectors.mattermost.connector import MattermostConnector
from cm_console.domain.model import Page, RemoteContainer, RemotePost, RemoteThread, Secret
from cm_console.domain.outbox import OpKind
from cm_console.store import Database, Store
from cm_console.sync.outbox import Sender, holder_id, recover_interrupted

PAGE_SCOPE = "kill9"
PAGE_THREAD = "k9-thread"


def ack(*parts: object) -> None:
    print("ACK", *parts, flush=True)


def page(n: int, now: datetime) -> Page:
    """Page ``n`` of a synthetic channel: a thread and one post per page."""
    root_at = now - timedelta(days=1)
    return Page(
        scope=PAGE_SCOPE,
        cursor={"n": n},
        containers=(RemoteContainer("k9-channel", "Kill 9"),),
        threads=(RemoteThread(PAGE_THREAD, "k9-channel", root_at, title="Kill 9"),),
        posts=(
            RemotePost(
                remote_id=f"k9-post-{n}",
                thread_remote_id=PAGE_THREAD,
                author_remote_id="k9-someone",
                created_at=root_at + timedelta(seconds=n),
                text=f"Bericht {n}",
                is_root=n == 0,
            ),
        ),
    )


def main(argv: list[str]) -> int:
    db_path, url, token, seed, *remote_threads = argv
    rng = random.Random(int(seed))
    store = Store(Database(f"sqlite:///{db_path}"))
    clock = lambda: datetime.now(UTC)  # noqa: E731
    holder = holder_id(uuid.uuid4().hex[:8])
    recover_interrupted(store, clock(), holder)
    account = store.accounts.get("acct")
    user = store.users.ensure("k9", clock())
    assert account is not None
    threads = [t for t in (store.threads.resolve(f"acct/{r}") for r in remote_threads) if t]
    assert threads, "the parent synced the platform's threads first"
    sender = Sender(store, clock)
    cursor = store.sync_state.cursors(account.id).get(PAGE_SCOPE)
    n = int(cursor["n"]) + 1 if isinstance(cursor, dict) else 0
    print("READY", flush=True)
    while True:
        action = rng.choice(("draft", "reply", "reply", "page", "drain", "drain"))
        tid = rng.choice(threads)
        if action == "draft":
            text = f"Concept-{uuid.uuid4().hex[:8]}"
            print("TRY draft", tid, text, flush=True)
            store.triage.save_draft(tid, user.id, text, 0, clock())
            ack("draft", tid, text)
        elif action == "reply":
            meta = store.threads.meta(tid)
            assert meta is not None
            ref = {
                k: meta[k]
                for k in ("remote_id", "container_remote_id", "root_post_remote_id", "url", "title")
            }
            marker = f"k9-{uuid.uuid4().hex[:10]}"
            op = store.outbox.enqueue(
                account_id=account.id,
                kind=OpKind.REPLY,
                payload={"text": f"Ik kijk ernaar ({marker})", "thread": ref},
                now=clock(),
                thread_id=tid,
            )
            ack("op", op.op_id, marker)
        elif action == "page":
            replay = n > 0 and rng.random() < 0.3
            store.ingest.page(account.id, page(n - 1 if replay else n, clock()), clock())
            if not replay:
                ack("page", n, "-")
                n += 1
        else:
            connector = MattermostConnector(
                AccountConfig(name="acct", url=url),
                ConnectorContext(secret=Secret(token), clock=clock),
            )
            try:
                result = sender.drain(account, connector, holder=holder)
            finally:
                connector.close()
            for op_id in result.sent:
                ack("sent", op_id, "-")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
