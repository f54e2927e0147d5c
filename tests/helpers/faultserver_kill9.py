"""The kill -9 harness: a child console core is SIGKILLed at random moments, again and again.

The child (:mod:`tests.integration.sync.kill9_child`) writes to a real SQLite file and sends
through the fault proxy to the fake Mattermost; it prints ``ACK`` only after a commit. The
parent kills it — at a random moment, or while the proxy holds the answer to a send it has
already applied or not — and then checks, before the next child starts:

- ``PRAGMA integrity_check`` is ``ok``;
- every acknowledged write is there: drafts (the acknowledged text or one tried after it),
  queued replies, ingested pages (cursor and posts, once each), sends (still ``sent``);
- after start-up recovery no row is left in ``sending`` (it became ``unknown``);
- no reply has two copies on the server (I1); a sent one has exactly one (I2).

At the end everything pending is healed (sent without faults) and every reply is sent exactly
once, or needs attention with at most one copy.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cm_console.connectors.base import AccountConfig, ConnectorContext
from cm_console.connectors.mattermost.connector import MattermostConnector
from cm_console.domain.model import Secret
from cm_console.domain.outbox import OpState
from cm_console.store import Database, Store
from cm_console.sync.outbox import Sender, recover_interrupted
from cm_console.sync.pull import Puller
from tests.helpers.fake_mattermost import FakeMattermost
from tests.helpers.faultserver import Fault, FaultProxy, WallClock
from tests.helpers.faultserver_platforms import MattermostDialect

ROOT = Path(__file__).resolve().parents[2]
MARKER = re.compile(r"\((k9-[0-9a-f]+)\)")


@dataclass
class KillFigures:
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


@dataclass
class Acks:
    drafts: dict[int, list[str]] = field(default_factory=dict)
    """Thread → texts tried, the last acknowledged one first."""
    ops: dict[str, str] = field(default_factory=dict)
    pages: int = -1
    sent: set[str] = field(default_factory=set)


class Kill9:
    """One fake Mattermost, one proxy, one SQLite file; :meth:`kill_once` runs one child."""

    def __init__(self, workdir: Path, seed: int = 0) -> None:
        from tests.integration.connectors.test_mattermost_contract import MattermostWorld

        self.rng = random.Random(seed)
        self.seed = seed
        self.workdir = workdir
        self.server = FakeMattermost()
        self.world = MattermostWorld(self.server, datetime.now(UTC))
        now = self.world.now
        from datetime import timedelta

        self.threads = [
            self.world.add_thread(self.world.author, f"Vraag {i}?", now - timedelta(hours=5))
            for i in range(3)
        ]
        self.proxy = FaultProxy(self.server.url, MattermostDialect(), WallClock(), hang_s=2.0)
        self.db_path = workdir / "kill9.sqlite3"
        db = Database(f"sqlite:///{self.db_path}")
        db.upgrade()
        self.store = Store(db)
        connector = self._connector(self.server.url)
        account = self.store.accounts.add(
            name="acct",
            platform="mattermost",
            platform_kind=connector.info.kind,
            url=self.proxy.url,
            username=None,
            options={},
            now=now,
        )
        Puller(self.store, lambda: datetime.now(UTC)).pull(account, connector, holder="parent")
        connector.close()
        self.store.close()
        self.acks = Acks()
        self.figures = KillFigures()

    def close(self) -> None:
        self.proxy.stop()
        self.server.stop()

    def _connector(self, url: str) -> MattermostConnector:
        return MattermostConnector(
            AccountConfig(name="acct", url=url),
            ConnectorContext(secret=Secret(self.world.token), clock=lambda: datetime.now(UTC)),
        )

    # --- one child ------------------------------------------------------------------------------

    def kill_once(self, mid_send: bool) -> None:
        started = time.monotonic()
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.sync.kill9_child",
                str(self.db_path),
                self.proxy.url,
                self.world.token,
                str(self.rng.randrange(1 << 30)),
                *self.threads,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        assert child.stdout is not None
        ready = child.stdout.readline()
        if ready.strip() != "READY":
            child.kill()
            _, err = child.communicate()
            raise AssertionError(f"the child did not start: {ready!r} {err[-2000:]}")
        lines: list[str] = []
        reader = threading.Thread(target=_collect, args=(child.stdout, lines), daemon=True)
        reader.start()
        creates = len(self.proxy.requests("create"))
        held = False
        if mid_send:
            self.proxy.arm(self.rng.choice((Fault.ACCEPT_HANG, Fault.HANG)))
            deadline = time.monotonic() + 10
            # Waiting on a real process: until the proxy holds the child's send.
            while time.monotonic() < deadline and child.poll() is None:
                if len(self.proxy.requests("create")) > creates:
                    held = True
                    break
                time.sleep(0.002)
        else:
            if self.rng.random() < 0.2:
                self.proxy.arm(
                    self.rng.choice((Fault.ACCEPT_RESET, Fault.ACCEPT_500, Fault.REJECT_500))
                )
            time.sleep(self.rng.uniform(0, 0.2))  # a random moment in a real process's life
        if child.poll() is not None:
            raise AssertionError(f"the child died by itself: {child.stderr.read()[-3000:]}")  # type: ignore[union-attr]
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reader.join(timeout=5)
        assert child.stderr is not None
        err = child.stderr.read()
        child.stderr.close()
        assert "Traceback" not in err, err[-3000:]
        self.proxy.disarm()
        self.figures.counts["kills"] += 1
        self.figures.counts["kills mid-send"] += int(held)
        self._record(lines)
        self.verify()
        self.figures.seconds += time.monotonic() - started

    def _record(self, lines: list[str]) -> None:
        acks = self.acks
        for line in lines:
            parts = line.split()
            if len(parts) < 4:
                continue
            tag, kind, key, value = parts[0], parts[1], parts[2], parts[3]
            if kind == "draft":
                tid = int(key)
                if tag == "TRY":
                    acks.drafts.setdefault(tid, [""]).append(value)
                else:
                    acks.drafts[tid] = [value]
                    self.figures.counts["acked drafts"] += 1
            elif tag != "ACK":
                continue
            elif kind == "op":
                acks.ops[key] = value
                self.figures.counts["acked replies"] += 1
            elif kind == "page":
                acks.pages = max(acks.pages, int(key))
                self.figures.counts["acked pages"] += 1
            elif kind == "sent":
                acks.sent.add(key)
                self.figures.counts["acked sends"] += 1

    # --- after each kill --------------------------------------------------------------------------

    def verify(self) -> None:
        con = sqlite3.connect(self.db_path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            con.close()
        self.figures.counts["integrity_check ok"] += 1
        store = Store(Database(f"sqlite:///{self.db_path}"))
        try:
            self._acked_writes_present(store)
            recovered = recover_interrupted(store, datetime.now(UTC), "parent:0:check")
            self.figures.counts["rows recovered from sending"] += len(recovered)
            assert not store.outbox.sending(), "a row is left in sending after recovery"
            self._server_copies(store)
        finally:
            store.close()

    def _acked_writes_present(self, store: Store) -> None:
        user = store.users.get("k9")
        for tid, texts in self.acks.drafts.items():
            if texts == [""] or user is None:
                continue
            draft = store.triage.draft(tid, user.id)
            # "" in texts: no draft was acknowledged before the tries, so none is a right answer.
            text = "" if draft is None else draft.text
            assert text in texts, (tid, texts, draft)
        ops = {op.op_id: op for op in store.outbox.find(limit=100_000)}
        for op_id, marker in self.acks.ops.items():
            assert op_id in ops, f"acknowledged reply {op_id} is gone"
            assert marker in str(ops[op_id].payload.get("text"))
        for op_id in self.acks.sent:
            assert ops[op_id].state is OpState.SENT, f"acknowledged send {op_id} moved back"
        if self.acks.pages >= 0:
            account = store.accounts.get("acct")
            assert account is not None
            cursor = store.sync_state.cursors(account.id).get("kill9")
            assert isinstance(cursor, dict) and cursor["n"] >= self.acks.pages
            with store.db.read() as conn:
                from sqlalchemy import func, select

                from cm_console.store import schema as s

                p = s.posts.c
                rows = conn.execute(
                    select(p.remote_id, func.count())
                    .where(p.remote_id.like("k9-post-%"))
                    .group_by(p.remote_id)
                ).all()
            seen = {r[0]: r[1] for r in rows}
            for n in range(self.acks.pages + 1):
                assert seen.get(f"k9-post-{n}") == 1, f"page {n} lost or doubled"

    def _copies(self, marker: str) -> int:
        with self.server.lock:
            return sum(
                1
                for p in self.server.posts.values()
                if marker in p["message"] and not p["delete_at"]
            )

    def _server_copies(self, store: Store) -> None:
        for op in store.outbox.find(limit=100_000):
            found = MARKER.search(str(op.payload.get("text")))
            if found is None:
                continue
            copies = self._copies(found.group(1))
            assert copies <= 1, f"I1: {copies} copies of {op.op_id} ({op.state})"
            if op.state is OpState.SENT:
                assert copies == 1, f"I2: {op.op_id} is sent but not on the server"
            if op.state in (OpState.QUEUED, OpState.FAILED):
                assert copies == 0, f"I2: {op.op_id} is {op.state} but on the server"

    # --- the end --------------------------------------------------------------------------------

    def heal(self) -> None:
        """No faults, no kills: the parent drains until nothing is pending, then counts."""
        store = Store(Database(f"sqlite:///{self.db_path}"))
        try:
            sender = Sender(store, lambda: datetime.now(UTC))
            recover_interrupted(store, datetime.now(UTC), "parent:0:heal")
            account = store.accounts.get("acct")
            assert account is not None
            for _ in range(20):
                pending = store.outbox.find({OpState.QUEUED, OpState.UNKNOWN, OpState.SENDING})
                if not pending:
                    break
                connector = self._connector(self.proxy.url)
                try:
                    sender.drain(account, connector, holder="parent:0:heal")
                finally:
                    connector.close()
            self._server_copies(store)
            for op in store.outbox.find(limit=100_000):
                found = MARKER.search(str(op.payload.get("text")))
                copies = self._copies(found.group(1)) if found else 0
                c = self.figures.counts
                c["replies"] += 1
                c[f"final {op.state.value}"] += 1
                c["duplicated"] += int(copies > 1)
                c["lost"] += int(op.state is OpState.SENT and copies == 0)
                c["still pending"] += int(op.state in (OpState.QUEUED, OpState.UNKNOWN))
        finally:
            store.close()


def _collect(stream: object, lines: list[str]) -> None:
    lines.extend(line.rstrip("\n") for line in stream)  # type: ignore[attr-defined]
