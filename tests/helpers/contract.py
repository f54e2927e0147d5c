"""The shared connector contract suite: every connector (the demo one included) passes it.

A test module subclasses :class:`ConnectorContract` and provides two fixtures:

- ``world``: a :class:`ContractWorld` that seeds the platform (a real fixture HTTP server, a real
  Synapse, or the demo's simulation) and inspects what the platform holds;
- ``make_connector``: builds a fresh connector for the account the world set up.

The suite then checks the contract's promises end to end, through a real SQLite store; its
new-thread part (:mod:`tests.helpers.contract_new_thread`) runs for connectors that start threads.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import pytest

from cm_console.connectors.base import (
    Capability,
    Connector,
    LoginMethod,
    Outgoing,
    ThreadRef,
)
from cm_console.connectors.errors import NotSupported
from cm_console.domain.model import Page, PlatformKind, RemotePerson
from cm_console.domain.outbox import OpKind
from cm_console.domain.rules import State
from cm_console.store import Database, Store
from tests.helpers.contract_new_thread import NewThreadContract


class ContractWorld(Protocol):
    """What the suite needs from a platform under test."""

    me: RemotePerson
    author: RemotePerson
    """A colleague who asks questions."""
    expert: RemotePerson
    """A colleague who answers them."""
    container_id: str
    now: datetime
    """The platform's "now" (seeded posts are older than this)."""

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        """Create a thread; returns its remote thread id (as the connector reports it)."""
        ...

    def add_reply(self, thread_id: str, author: RemotePerson, text: str, at: datetime) -> str:
        """Add a reply; returns the post's remote id."""
        ...

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        """(author remote id, text) of every reply the platform holds for the thread."""
        ...


def _drain(connector: Connector, cursors: dict[str, object]) -> list[Page]:
    pages = []
    for page in connector.fetch(cursors):
        pages.append(page)
        cursors[page.scope] = page.cursor
    return pages


class ConnectorContract(NewThreadContract):
    """Tests every connector must pass. Subclasses provide ``world`` and ``make_connector``."""

    @pytest.fixture
    def connector(self, make_connector: Callable[[], Connector]) -> Iterator[Connector]:
        conn = make_connector()
        yield conn
        conn.close()

    @pytest.fixture
    def contract_store(self, tmp_path: Path) -> Iterator[Store]:
        db = Database(f"sqlite:///{tmp_path / 'contract.sqlite3'}")
        db.upgrade()
        store = Store(db)
        yield store
        store.close()

    def _ingest(self, store: Store, connector: Connector, world: ContractWorld) -> int:
        account = store.accounts.get("acct")
        if account is None:
            account = store.accounts.add(
                name="acct",
                platform=connector.info.id,
                platform_kind=connector.info.kind,
                url=None,
                username=None,
                options={},
                now=world.now,
            )
            store.accounts.set_own_person(account.id, connector.whoami().remote_id)
        cursors = store.sync_state.cursors(account.id)
        for page in connector.fetch(cursors):
            store.ingest.page(account.id, page, world.now)
        store.recompute_account(account.id)
        return account.id

    # --- the contract ---------------------------------------------------------------------------

    def test_info_is_complete(self, connector: Connector) -> None:
        info = connector.info
        assert info.id and info.display_name
        assert isinstance(info.kind, PlatformKind)
        assert isinstance(info.capabilities, frozenset)
        assert all(isinstance(c, Capability) for c in info.capabilities)
        assert info.login_methods
        assert all(isinstance(m, LoginMethod) for m in info.login_methods)

    def test_whoami_is_the_account_user(self, connector: Connector, world: ContractWorld) -> None:
        assert connector.whoami().remote_id == world.me.remote_id

    def test_containers_include_the_seeded_one(
        self, connector: Connector, world: ContractWorld
    ) -> None:
        ids = [c.remote_id for c in connector.list_containers()]
        assert world.container_id in ids
        assert len(ids) == len(set(ids))

    def test_fetch_delivers_normalized_threads(
        self, connector: Connector, world: ContractWorld
    ) -> None:
        t = world.add_thread(
            world.author,
            "Hoe vraag ik verlof aan? Is er een formulier?",
            world.now - timedelta(hours=6),
            title="Verlof aanvragen",
        )
        world.add_reply(
            t, world.expert, "Via het HR-portaal, onder Verlof.", world.now - timedelta(hours=5)
        )
        pages = _drain(connector, {})
        threads = {th.remote_id: th for p in pages for th in p.threads}
        posts = [post for p in pages for post in p.posts if post.thread_remote_id == t]
        assert t in threads
        assert threads[t].container_remote_id == world.container_id
        assert sum(p.is_root for p in posts) == 1
        root = next(p for p in posts if p.is_root)
        assert root.author_remote_id == world.author.remote_id
        assert "verlof" in root.text.lower()
        for post in posts:
            assert post.created_at.tzinfo is not None
            assert post.created_at.utcoffset() == timedelta(0)
            assert isinstance(post.text, str)
        known = {th.remote_id for p in pages for th in p.threads}
        assert all(post.thread_remote_id in known for p in pages for post in p.posts)

    def test_resync_without_news_brings_nothing_new(
        self, connector: Connector, world: ContractWorld, contract_store: Store
    ) -> None:
        world.add_thread(
            world.author, "Waar vind ik de parkeerregeling?", world.now - timedelta(hours=3)
        )
        self._ingest(contract_store, connector, world)
        account = contract_store.accounts.get("acct")
        assert account is not None
        cursors = contract_store.sync_state.cursors(account.id)
        again = [post for page in connector.fetch(dict(cursors)) for post in page.posts]
        before = contract_store.queue.state_counts(world.now)
        for page in connector.fetch(dict(cursors)):
            result = contract_store.ingest.page(account.id, page, world.now)
            assert result.new_posts == 0
        assert contract_store.queue.state_counts(world.now) == before
        assert len(again) <= 50, "a re-sync with nothing new re-sends little or nothing"

    def test_incremental_fetch_sees_a_new_reply(
        self, connector: Connector, world: ContractWorld, contract_store: Store
    ) -> None:
        t = world.add_thread(
            world.author, "De printer op 3 doet het niet. Iemand?", world.now - timedelta(hours=30)
        )
        account_id = self._ingest(contract_store, connector, world)
        tid = contract_store.threads.resolve(f"acct/{t}")
        assert tid is not None
        assert contract_store.queue.items([tid], world.now)[0].state is State.UNANSWERED
        world.add_reply(
            t,
            world.expert,
            "Is verholpen, de toner zat er verkeerd in.",
            world.now - timedelta(hours=1),
        )
        self._ingest(contract_store, connector, world)
        item = contract_store.queue.items([tid], world.now)[0]
        assert item.state is State.ANSWERED
        assert item.reply_count == 1
        assert account_id == item.account_id

    def test_fetch_thread_returns_every_post(
        self, connector: Connector, world: ContractWorld
    ) -> None:
        t = world.add_thread(
            world.author, "Wie weet hoe de nieuwe VPN werkt?", world.now - timedelta(hours=8)
        )
        for i in range(3):
            world.add_reply(
                t, world.expert, f"Stap {i + 1} van de uitleg.", world.now - timedelta(hours=7 - i)
            )
        full = connector.fetch_thread(ThreadRef(t, world.container_id))
        assert full.thread.remote_id == t
        assert len([p for p in full.posts if not p.is_root]) == 3
        assert sum(p.is_root for p in full.posts) == 1

    def test_reply_lands_once_and_find_sent_finds_it(
        self, connector: Connector, world: ContractWorld, contract_store: Store
    ) -> None:
        if not connector.info.supports(Capability.REPLY):
            pytest.skip("the connector declares no replies")
        t = world.add_thread(
            world.author, "Kan iemand mij helpen met Excel?", world.now - timedelta(hours=5)
        )
        self._ingest(contract_store, connector, world)
        tid = contract_store.threads.resolve(f"acct/{t}")
        assert tid is not None
        meta = contract_store.threads.meta(tid)
        assert meta is not None
        ref = ThreadRef(t, world.container_id, meta["root_post_remote_id"])
        text = f"Ik zoek het voor je uit ({uuid.uuid4().hex[:6]})."
        op = Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.REPLY,
            text=text,
            thread=ref,
            first_attempt_at=world.now,
        )
        sent = connector.send(op)
        assert sent.remote_id
        mine = [r for r in world.replies_on_server(t) if text in r[1]]
        assert len(mine) == 1
        assert mine[0][0] == world.me.remote_id
        found = connector.find_sent(op)
        assert found is not None
        assert found.remote_id == sent.remote_id
        other = Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.REPLY,
            text="never sent " + text,
            thread=ref,
            first_attempt_at=world.now,
        )
        assert connector.find_sent(other) is None

    def test_mention_syntax_names_the_person(
        self, connector: Connector, world: ContractWorld
    ) -> None:
        if not connector.info.supports(Capability.MENTION):
            pytest.skip("the connector declares no mentions")
        mention = connector.mention_syntax(world.expert)
        assert (
            world.expert.handle in mention
            or world.expert.remote_id in mention
            or (world.expert.display_name in mention)
        )

    def test_a_sent_reply_stores_once_and_a_later_sync_keeps_one_copy(
        self, connector: Connector, world: ContractWorld, contract_store: Store
    ) -> None:
        """The page a send returns and the next fetch name the new post by the same id."""
        if not connector.info.supports(Capability.REPLY):
            pytest.skip("the connector declares no replies")
        t = world.add_thread(
            world.author,
            "Wie heeft de sleutel van de fietsenstalling?",
            world.now - timedelta(hours=4),
        )
        account_id = self._ingest(contract_store, connector, world)
        tid = contract_store.threads.resolve(f"acct/{t}")
        assert tid is not None
        meta = contract_store.threads.meta(tid)
        assert meta is not None
        op = Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.REPLY,
            text=f"Bij de receptie ({uuid.uuid4().hex[:6]}).",
            thread=ThreadRef(t, world.container_id, meta["root_post_remote_id"]),
            first_attempt_at=world.now,
        )
        sent = connector.send(op)
        if sent.page is not None:
            contract_store.ingest.page(account_id, sent.page, world.now)
        self._ingest(contract_store, connector, world)
        item = contract_store.queue.items([tid], world.now)[0]
        assert item.reply_count == 1

    def test_a_started_thread_lands_once_and_syncs_back_as_the_starters_thread(
        self,
        connector: Connector,
        make_connector: Callable[[], Connector],
        world: ContractWorld,
        contract_store: Store,
    ) -> None:
        """A conversation starter (``OpKind.POST``) creates one thread in the container; the
        send names its root post and thread by the ids the next sync stores (the planner links
        a starter to its thread through them), and the read-back finds it."""
        if not connector.info.supports(Capability.NEW_THREAD):
            pytest.skip("the connector declares no new threads")
        # The planner offers the communities a sync stored.
        world.add_thread(
            world.author, "Waar staat de nieuwe koffieautomaat?", world.now - timedelta(hours=2)
        )
        account_id = self._ingest(contract_store, connector, world)
        token = uuid.uuid4().hex[:6]
        op = Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.POST,
            title=f"Lunchwandeling op donderdag ({token})",
            text=f"Wie loopt er mee? We vertrekken om 12:15 bij de hoofdingang ({token}).",
            container_remote_id=world.container_id,
            first_attempt_at=world.now,
        )
        sent = connector.send(op)
        assert sent.remote_id and sent.thread_remote_id
        if sent.page is not None:
            contract_store.ingest.page(account_id, sent.page, world.now)
        self._ingest(contract_store, connector, world)
        tid = contract_store.threads.resolve(f"acct/{sent.thread_remote_id}")
        assert tid is not None
        meta = contract_store.threads.meta(tid)
        assert meta is not None
        assert meta["container_remote_id"] == world.container_id
        assert meta["root_post_remote_id"] == sent.remote_id
        assert token in (meta["title"] or "")
        # One thread on the platform carries it, read from scratch.
        pages = _drain(make_connector(), {})
        roots = [p for page in pages for p in page.posts if p.is_root and token in p.text]
        assert [(p.remote_id, p.thread_remote_id) for p in roots] == [
            (sent.remote_id, sent.thread_remote_id)
        ]
        assert roots[0].author_remote_id == world.me.remote_id
        try:
            found = connector.find_sent(op)
        except NotSupported:
            return  # the outbox then asks the person to check: never a blind resend
        assert found is not None
        assert (found.remote_id, found.thread_remote_id) == (sent.remote_id, sent.thread_remote_id)
        other = dataclasses.replace(op, op_id=str(uuid.uuid4()), text=f"Nooit verstuurd {token}.")
        assert connector.find_sent(other) is None
