"""The outbox under faults, as a model the Hypothesis machine and the benchmark both drive.

:class:`OutboxWorld` holds a real SQLite store, one platform :class:`~tests.helpers.
faultserver_platforms.Rig` (fixture server behind the fault proxy) and the shared fake clock. Its
actions are the machine's rules — write a reply, send (drain), arm a fault, crash mid-send and
restart, go offline and online, let time pass, reconcile, sync a page (replayed or overlapping),
a colleague replies, the user retries — and :meth:`OutboxWorld.check` asserts the invariants
(reliability reference §7.1):

- I1 at most one server copy per operation;
- I2 every operation accounted for: ``sent`` has exactly its one copy, ``queued`` and ``failed``
  have none, ``unknown`` / ``needs_attention`` / ``cancelled`` at most one;
- I3 no request before the server-given delay (capped) after a throttle;
- I4 no request reaches the platform while offline, and an offline drain burns no attempt;
- I5 every observed move follows the transition graph; ``sent`` and ``cancelled`` are final;
- I6 no operation's text is stored twice in the local post store.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
import subprocess
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from cm_console.domain.model import Account
from cm_console.domain.outbox import RETRY_AFTER_CAP, TRANSITIONS, OpKind, OpState
from cm_console.store import Database, Store
from cm_console.store import schema as s
from cm_console.sync.outbox import Sender, outgoing, recover_interrupted
from cm_console.sync.pull import Puller
from tests.helpers.faultserver import FakeClock, Fault, nonce
from tests.helpers.faultserver_platforms import Rig, rig

FAULTS_ON_CREATE = (
    Fault.RESET,
    Fault.REJECT_500,
    Fault.PORTAL_HTML,
    Fault.HANG,
    Fault.ACCEPT_RESET,
    Fault.ACCEPT_500,
    Fault.ACCEPT_504,
    Fault.ACCEPT_TRUNCATED,
    Fault.ACCEPT_HTML,
    Fault.ACCEPT_DRIP,
    Fault.ACCEPT_HANG,
    Fault.DRIP_OK,
    Fault.THROTTLE,
    Fault.PENDING,
)
FAULTS_ON_READBACK = (
    Fault.RESET,
    Fault.REJECT_500,
    Fault.PORTAL_HTML,
    Fault.ACCEPT_TRUNCATED,
    Fault.THROTTLE,
)
ADVANCES = (1, 2, 5, 20, 31, 120, 400, 3700)
MAX_PACING_S = 3.0
"""The longest client-side spacing between requests (Viva Engage); longer sleeps in a drain
would be waits on a throttle or a backoff, which the outbox stores instead."""


def traced(method: Callable[..., Any]) -> Callable[..., Any]:
    """Record the action in the world's trace (a failing run prints the steps that led there)."""

    @functools.wraps(method)
    def wrapper(self: OutboxWorld, *args: Any, **kwargs: Any) -> Any:
        shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
        self.trace.append(f"{method.__name__}({', '.join(shown)})" if shown else method.__name__)
        return method(self, *args, **kwargs)

    return wrapper


def _reachable(src: OpState, dst: OpState) -> bool:
    seen, todo = {src}, [src]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return dst in seen


def dead_holder() -> str:
    """A sender id of a process on this host that has exited (a crashed console)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return f"{socket.gethostname()}:{proc.pid}:crashed"


@dataclass
class Figures:
    """What a run did, summed over worlds (the benchmark reports these)."""

    counts: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)

    def add(self, other: Figures) -> None:
        self.counts.update(other.counts)
        self.faults.update(other.faults)


class OutboxWorld:
    """One platform, one store, one clock; see the module docstring."""

    def __init__(self, platform: str, template: Path, workdir: Path, **rig_kw: Any) -> None:
        self.platform = platform
        self.clock = FakeClock()
        self._stack = ExitStack()
        self.rig: Rig = self._stack.enter_context(rig(platform, self.clock, **rig_kw))
        self.path = workdir / f"outbox-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copy(template, self.path)
        self.store = Store(Database(f"sqlite:///{self.path}"))
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.figures = Figures()
        self.tokens: dict[str, str] = {}
        """op_id → the token in its text."""
        self.states: dict[str, OpState] = {}
        self.trace: list[str] = []
        self.went_unknown: set[str] = set()
        """Operations seen in ``unknown`` (an ambiguous attempt, or a crash mid-send)."""
        self.attempts: dict[str, int] = {}
        self.sender = Sender(self.store, self.clock.now)
        connector = self.rig.connector()
        self.account: Account = self.store.accounts.add(
            name="acct",
            platform=connector.info.id,
            platform_kind=connector.info.kind,
            url=self.rig.proxy.url,
            username=None,
            options={},
            now=self.clock.now(),
        )
        connector.close()
        self.sync_page()
        self.thread_ids = [self.store.threads.resolve(f"acct/{t}") for t in self.rig.threads]
        assert all(t is not None for t in self.thread_ids), "the seeded threads were synced"

    def close(self) -> None:
        self.store.close()
        self._stack.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    # --- actions ------------------------------------------------------------------------------

    def _refresh_account(self) -> None:
        account = self.store.accounts.by_id(self.account.id)
        assert account is not None
        self.account = account

    @traced
    def write_reply(
        self, thread: int, text: str = "Dank je, ik kijk ernaar", token: str | None = None
    ) -> str:
        """The user queues a reply (the draft's base is the thread's current reply count);
        ``token`` makes it word for word the same as an earlier one."""
        tid = self.thread_ids[thread % len(self.thread_ids)]
        assert tid is not None
        meta = self.store.threads.meta(tid)
        assert meta is not None
        token = token or nonce()
        ref = {
            k: meta[k]
            for k in ("remote_id", "container_remote_id", "root_post_remote_id", "url", "title")
        }
        op = self.store.outbox.enqueue(
            account_id=self.account.id,
            kind=OpKind.REPLY,
            payload={"text": f"{text} ({token})", "thread": ref},
            now=self.clock.now(),
            thread_id=tid,
            base_reply_count=meta["reply_count"],
        )
        self.tokens[op.op_id] = token
        self.states[op.op_id] = OpState.QUEUED
        self.attempts[op.op_id] = 0
        self.figures.counts["replies written"] += 1
        return op.op_id

    @traced
    def write_dm(self, text: str = "Kun jij hier even naar kijken?") -> str:
        """The user prompts the colleague by direct message."""
        token = nonce()
        who = self.rig.colleague
        op = self.store.outbox.enqueue(
            account_id=self.account.id,
            kind=OpKind.DM,
            payload={
                "text": f"{text} ({token})",
                "recipients": [
                    {
                        "remote_id": who.remote_id,
                        "handle": who.handle,
                        "display_name": who.display_name,
                    }
                ],
            },
            now=self.clock.now(),
        )
        self.tokens[op.op_id] = token
        self.states[op.op_id] = OpState.QUEUED
        self.attempts[op.op_id] = 0
        self.figures.counts["direct messages written"] += 1
        return op.op_id

    @traced
    def arm(self, fault: Fault, target: str = "create", spec: str = "1") -> None:
        if fault is Fault.PENDING and self.platform != "mattermost":
            fault = Fault.ACCEPT_500  # the pending answer is Mattermost's own
        self.rig.proxy.arm(fault, target, spec)

    @traced
    def drain(self) -> None:
        """A sync's send half: a fresh connector, as every sync builds one."""
        offline = self.rig.proxy.offline
        before = self._attempts() if offline else {}
        self.rig.proxy.phase = "drain"
        connector = self.rig.connector()
        slept = len(self.clock.slept)
        try:
            result = self.sender.drain(self.account, connector, holder=self.holder)
        finally:
            connector.close()
            self.rig.proxy.settle()
            self.rig.proxy.phase = "idle"
        long_sleeps = [s for s in self.clock.slept[slept:] if s > MAX_PACING_S]
        assert not long_sleeps, f"the sender slept on a throttle or a backoff: {long_sleeps}"
        self.figures.counts["drains"] += 1
        self.figures.counts["reconciled"] += len(result.reconciled)
        if offline:
            assert (
                result.offline
                or result.throttled_until is not None
                or not self.store.outbox.due(self.clock.now(), [self.account.id])
            )
            after = self._attempts()
            assert after == before, f"I4: an offline drain burned attempts: {before} → {after}"

    @traced
    def crash_mid_send(self, applied: bool) -> None:
        """A console dies holding an operation in ``sending`` (its request reached the server
        or not); the next start turns it into ``unknown``."""
        held = self.store.outbox.held_until(self.account.id)
        if held is not None and held > self.clock.now():
            return  # the console that crashes was a sender: it too waited for the platform
        due = self.store.outbox.due(self.clock.now(), [self.account.id])
        if not due or self.rig.proxy.offline:
            return
        holder = dead_holder()
        op = self.store.outbox.claim(due[0].op_id, self.clock.now(), holder)
        if op is None:
            return
        if applied:
            # A console killed right after the platform's answer never learned of it: a 429
            # it drew binds nobody (I3 skips this phase), its write may or may not be there.
            self.rig.proxy.phase = "crash"
            connector = self.rig.connector()
            try:
                connector.send(outgoing(op))
            except Exception:
                pass
            finally:
                connector.close()
                self.rig.proxy.settle()
                self.rig.proxy.phase = "idle"
        self.figures.counts["crashes mid-send"] += 1
        self.restart()

    @traced
    def restart(self) -> None:
        self.store.close()
        self.store = Store(Database(f"sqlite:///{self.path}"))
        self.sender = Sender(self.store, self.clock.now)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        recover_interrupted(self.store, self.clock.now(), self.holder)
        assert not self.store.outbox.sending(), "no row is left in sending after a restart"

    @traced
    def set_offline(self, offline: bool) -> None:
        self.rig.proxy.set_offline(offline)

    @traced
    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @traced
    def sync_page(self, replay: bool = False) -> None:
        """A sync's pull half; ``replay`` stores the same pages a second time (a crash after the
        fetch, overlapping windows)."""
        if self.rig.proxy.offline:
            return
        self.rig.proxy.phase = "pull"
        connector = self.rig.connector()
        try:
            cursors = self.store.sync_state.cursors(self.account.id)
            result = Puller(self.store, self.clock.now).pull(
                self.account, connector, holder=self.holder
            )
            self.figures.counts["pages pulled"] += result.pages
            if replay:
                for page in connector.fetch(cursors):
                    self.store.ingest.page(self.account.id, page, self.clock.now())
                    self.figures.counts["pages replayed"] += 1
        except Exception as exc:
            self.figures.counts[f"pull failed: {type(exc).__name__}"] += 1
        finally:
            connector.close()
            self.rig.proxy.settle()
            self.rig.proxy.phase = "idle"
        self._refresh_account()

    @traced
    def colleague_replies(self, thread: int) -> None:
        self.rig.add_reply(self.rig.threads[thread % len(self.rig.threads)], "Ik heb het ook")

    @traced
    def retry_one(self) -> None:
        """The user deals with the oldest operation that needs attention or failed: they look
        at the thread (as the message asks), discard it when it is there, retry it when not."""
        stuck = self.store.outbox.find({OpState.NEEDS_ATTENTION, OpState.FAILED})
        if not stuck:
            return
        op = stuck[-1]
        if self.rig.copies(self.tokens[op.op_id]):
            self.store.outbox.discard(op.op_id, self.clock.now())
            self.figures.counts["user discards (it was there)"] += 1
        else:
            self.store.outbox.retry(op.op_id, self.clock.now())
            self.figures.counts["user retries"] += 1

    def heal(self, rounds: int = 12) -> None:
        """Online, no faults, time passes: everything pending reaches a final or visible state."""
        self.set_offline(False)
        self.rig.proxy.disarm()
        for _ in range(rounds):
            pending = self.store.outbox.find({OpState.QUEUED, OpState.UNKNOWN, OpState.SENDING})
            if not pending:
                return
            self.advance(RETRY_AFTER_CAP.total_seconds() + 60)
            self.drain()
            self.check()

    # --- invariants ---------------------------------------------------------------------------

    def _attempts(self) -> dict[str, int]:
        return {op.op_id: op.attempts for op in self.store.outbox.find()}

    def check(self) -> None:
        ops = {op.op_id: op for op in self.store.outbox.find()}
        for op_id, token in self.tokens.items():
            op = ops[op_id]
            copies = self.rig.copies(token)
            # I1
            assert len(copies) <= 1, (
                f"I1: {len(copies)} copies of {op_id} ({op.kind} {op.state}, "
                f"{op.attempts} attempts, remote {op.remote_id}): {copies}"
            )
            # I2
            if op.state is OpState.SENT:
                assert len(copies) == 1, f"I2: {op_id} is sent but the server has {copies}"
            elif op.state in (OpState.QUEUED, OpState.FAILED):
                assert not copies, f"I2: {op_id} is {op.state} but already on the server"
            # I5
            prev = self.states[op_id]
            if prev != op.state:
                assert prev not in (OpState.SENT, OpState.CANCELLED), f"I5: {prev} is final"
                assert _reachable(prev, op.state), f"I5: {prev} → {op.state}"
            self.states[op_id] = op.state
            if op.state is OpState.UNKNOWN:
                self.went_unknown.add(op_id)
        self._check_throttles()
        # I4
        early = [s for s in self.rig.proxy.requests() if s.offline]
        assert not early, f"I4: requests while offline: {early}"
        # I6
        self._check_store()

    def _check_throttles(self) -> None:
        seen = self.rig.proxy.requests()
        for i, throttle in enumerate(seen):
            if throttle.throttle_until is None or throttle.phase == "crash":
                continue
            allowed = min(throttle.throttle_until, throttle.at + RETRY_AFTER_CAP)
            for later in seen[i + 1 :]:
                if later.phase in ("drain", "crash") and later.kind in ("create", "readback"):
                    assert later.at >= allowed - timedelta(milliseconds=1), (
                        f"I3: {later.method} {later.path[:50]} at {later.at} before {allowed}"
                    )

    def _check_store(self) -> None:
        p = s.posts.c
        with self.store.db.read() as conn:
            rows = conn.execute(
                select(p.text).where(p.account_id == self.account.id, p.deleted_at.is_(None))
            ).all()
        counts: Counter[str] = Counter()
        tokens = set(self.tokens.values())
        for (text,) in rows:
            for token in tokens:
                if token in text:
                    counts[token] += 1
        twice = {t: n for t, n in counts.items() if n > 1}
        assert not twice, f"I6: the store shows a reply twice: {twice}"

    # --- figures ------------------------------------------------------------------------------

    def tally(self) -> Figures:
        """Final counts for this world (after :meth:`heal`)."""
        figures = self.figures
        for fault, n in self.rig.proxy.stats.faults.items():
            figures.faults[f"{self.platform}:{fault}"] += n
        ops = {op.op_id: op for op in self.store.outbox.find()}
        for op_id, token in self.tokens.items():
            op = ops[op_id]
            copies = len(self.rig.copies(token))
            figures.counts[f"final {op.state.value}"] += 1
            figures.counts["sends"] += 1
            if copies > 1:
                figures.counts["duplicated"] += 1
            if op.state is OpState.SENT and copies == 0:
                figures.counts["lost"] += 1
            if op.state in (OpState.QUEUED, OpState.UNKNOWN, OpState.SENDING):
                figures.counts["still pending"] += 1
            if op.state is OpState.NEEDS_ATTENTION:
                figures.counts[f"needs_attention with {copies} copies"] += 1
                figures.counts[f"needs_attention: {op.last_error_code}"] += 1
            if op_id in self.went_unknown:
                figures.counts["ever unknown"] += 1
                if op.state is OpState.SENT:
                    figures.counts["unknown resolved automatically"] += 1
        figures.counts["throttles"] += self.rig.proxy.stats.throttles
        return figures


def migrated_template(directory: Path) -> Path:
    """A migrated, empty SQLite file to copy for each world (migrating once is enough)."""
    path = directory / "template.sqlite3"
    if not path.exists():
        db = Database(f"sqlite:///{path}")
        db.upgrade()
        db.dispose()
    return path


def worlds(platform: str, template: Path, workdir: Path, **kw: Any) -> Iterator[OutboxWorld]:
    world = OutboxWorld(platform, template, workdir, **kw)
    try:
        yield world
    finally:
        world.close()
