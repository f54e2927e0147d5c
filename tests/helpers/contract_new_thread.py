"""The new-thread part of the connector contract: conversation starters (posts and polls).

It runs for every connector that declares :attr:`Capability.NEW_THREAD` (the others skip it),
through the same ``world`` and ``make_connector`` fixtures as :class:`~tests.helpers.contract.
ConnectorContract`, which includes it. A world may also offer ``top_level_on_server()``: (container
id, author remote id, text) of every top-level message the platform holds, so the suite can count
the copies of a starter on the server itself; without it, the connector's own read-back counts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from cm_console.connectors.base import Capability, Connector, Outgoing, ThreadRef
from cm_console.connectors.errors import NotSupported
from cm_console.domain.outbox import OpKind
from cm_console.domain.planning import StarterKind, StarterPlan, StarterStatus
from cm_console.store import Store
from cm_console.store.planner import payload_of
from cm_console.sync.outbox import Sender

KEYCAP_1 = "1\ufe0f\u20e3"
KEYCAP_2 = "2\ufe0f\u20e3"


def _starts_threads(connector: Connector) -> None:
    if not connector.info.supports(Capability.NEW_THREAD):
        pytest.skip("the connector declares no new threads")


def _fallback_polls(connector: Connector) -> bool:
    """True when the connector sends polls in the default numbered form."""
    own = getattr(type(connector).format_poll, "__func__", None)
    return own is getattr(Connector.format_poll, "__func__", None)


class NewThreadContract:
    """Starting a thread: once, in the right place, found again, and linked to its starter."""

    _ingest: Callable[..., int]

    @staticmethod
    def _starter(world: Any, text: str, **kw: Any) -> Outgoing:
        return Outgoing(
            op_id=str(uuid.uuid4()),
            kind=OpKind.POST,
            text=text,
            container_remote_id=world.container_id,
            first_attempt_at=world.now,
            **kw,
        )

    @staticmethod
    def _copies(world: Any, token: str) -> list[tuple[str, str, str]] | None:
        listing = getattr(world, "top_level_on_server", None)
        if listing is None:
            return None
        return [m for m in listing() if token in m[2]]

    def test_a_starter_lands_once_as_a_new_thread_and_is_found_again(
        self, connector: Connector, world: Any
    ) -> None:
        _starts_threads(connector)
        token = uuid.uuid4().hex[:8]
        op = self._starter(
            world,
            f"Wat was jullie mooiste project dit jaar? ({token})\nVertel het hieronder!",
            title=f"Terugblik {token}",
        )
        sent = connector.send(op)
        assert sent.remote_id and sent.thread_remote_id
        copies = self._copies(world, token)
        if copies is not None:
            assert [(c[0], c[1]) for c in copies] == [(world.container_id, world.me.remote_id)]
        if sent.page is not None:
            assert sent.thread_remote_id in {t.remote_id for t in sent.page.threads}
            (root,) = [p for p in sent.page.posts if p.is_root]
            assert root.remote_id == sent.remote_id
        full = connector.fetch_thread(ThreadRef(sent.thread_remote_id, world.container_id))
        assert full.thread.remote_id == sent.thread_remote_id
        assert full.thread.container_remote_id == world.container_id
        (root,) = [p for p in full.posts if p.is_root]
        assert root.remote_id == sent.remote_id
        assert root.author_remote_id == world.me.remote_id
        assert token in root.text
        try:
            found = connector.find_sent(op)
        except NotSupported:
            pytest.skip("the connector cannot read a new thread back")
        assert found is not None
        assert (found.remote_id, found.thread_remote_id) == (sent.remote_id, sent.thread_remote_id)
        never = self._starter(world, f"Nooit verstuurd ({token})", title=f"Terugblik {token}")
        assert connector.find_sent(never) is None

    def test_a_poll_without_native_polls_goes_out_as_numbered_options(
        self, connector: Connector, world: Any
    ) -> None:
        _starts_threads(connector)
        if not _fallback_polls(connector):
            pytest.skip("the platform writes polls in its own form")
        token = uuid.uuid4().hex[:8]
        op = self._starter(
            world, f"Waar houden we de borrel? ({token})", poll_options=("Kantine", "Dakterras")
        )
        sent = connector.send(op)
        assert sent.thread_remote_id
        copies = self._copies(world, token)
        if copies is not None:
            assert len(copies) == 1
        full = connector.fetch_thread(ThreadRef(sent.thread_remote_id, world.container_id))
        (root,) = [p for p in full.posts if p.is_root]
        assert f"{KEYCAP_1} Kantine" in root.text
        assert f"{KEYCAP_2} Dakterras" in root.text
        assert token in root.text or token in (full.thread.title or "")
        try:
            found = connector.find_sent(op)
        except NotSupported:
            return
        assert found is not None and found.remote_id == sent.remote_id

    def test_a_sent_starter_is_linked_to_its_thread_after_the_next_sync(
        self, connector: Connector, world: Any, contract_store: Store
    ) -> None:
        _starts_threads(connector)
        # The planner offers the communities a sync stored: one with a conversation in it.
        world.add_thread(
            world.author,
            "Wie heeft de sleutel van de fietsenstalling?",
            world.now - timedelta(hours=3),
        )
        account_id = self._ingest(contract_store, connector, world)
        (container,) = [
            c
            for c in contract_store.accounts.containers(account_id)
            if c.remote_id == world.container_id
        ]
        token = uuid.uuid4().hex[:8]
        plan = StarterPlan(
            account_id=account_id,
            container_id=container.id,
            kind=StarterKind.POST,
            title=f"Vrijdagvraag {token}",
            text=f"Welk boek raden jullie aan? ({token})",
            scheduled_at=world.now - timedelta(minutes=1),
        )
        starter = contract_store.planner.schedule(
            plan, payload_of(plan, world.container_id), world.now, None
        )
        account = contract_store.accounts.by_id(account_id)
        assert account is not None
        result = Sender(contract_store, lambda: world.now).drain(
            account, connector, holder="contract"
        )
        assert result.sent == [starter.op_id]
        sent = contract_store.planner.get(starter.id)
        assert sent is not None and sent.status is StarterStatus.SENT
        assert sent.outcome is not None, "the sent post is stored with its thread at once"
        thread_remote_id = sent.outcome.thread_key.removeprefix("acct/")
        # The server dates the starter by its own clock, which may be ahead of the world's.
        started = max(world.now, sent.outcome.started_at or world.now)
        world.add_reply(
            thread_remote_id,
            world.expert,
            "De Nederlandse vertaling van Stoner!",
            started + timedelta(minutes=1),
        )
        self._ingest(contract_store, connector, world)
        after = contract_store.planner.get(starter.id)
        assert after is not None and after.outcome is not None
        assert after.outcome.thread_id == sent.outcome.thread_id
        assert after.outcome.thread_key == sent.outcome.thread_key
        assert after.outcome.replies == 1, (after.outcome, sent.outcome)
        assert contract_store.threads.resolve(sent.outcome.thread_key) == sent.outcome.thread_id
        copies = self._copies(world, token)
        if copies is not None:
            assert len(copies) == 1
