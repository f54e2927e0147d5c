"""The outbox sender: takes queued operations to the platform without losing or doubling any.

Protocol (reliability reference §1.4): claim ``queued → sending`` (committed) → send → classify.
Retryable failures go back to ``queued`` with the platform's delay or backoff stored as
``next_attempt_at`` (no thread sleeps on it); ambiguous ones become ``unknown`` and are reconciled
before anything is resent: an idempotent connector resends with the same operation id, every other
connector reads the thread back (:meth:`Connector.find_sent`).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from cm_console.connectors.attempts import single_attempts
from cm_console.connectors.base import Connector, Outgoing, SendResult, ThreadRef
from cm_console.connectors.errors import (
    ConnectorError,
    NetworkError,
    NotSupported,
    RateLimited,
    ServerBusy,
)
from cm_console.domain.model import Account, RemotePerson
from cm_console.domain.outbox import ErrorClass, Operation, OpKind, OpState, retry_delay
from cm_console.store import Store
from cm_console.store.outbox import CONFIRMED

log = logging.getLogger(__name__)

Cancel = Callable[[], bool]


@dataclass(slots=True)
class DrainResult:
    """What one drain of an account's outbox did."""

    account: str
    sent: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    needs_attention: list[str] = field(default_factory=list)
    reconciled: list[str] = field(default_factory=list)
    moved_on: list[str] = field(default_factory=list)
    """Held back, unsent: the thread got new replies since the message was written."""
    offline: bool = False
    throttled_until: datetime | None = None
    """The platform asked to wait: nothing more of this account goes out before then."""
    thread_ids: set[int] = field(default_factory=set)


def _people(items: Any) -> tuple[RemotePerson, ...]:
    return tuple(
        RemotePerson(
            remote_id=p["remote_id"],
            handle=p.get("handle", p["remote_id"]),
            display_name=p.get("display_name", p.get("handle", p["remote_id"])),
        )
        for p in items or ()
    )


def outgoing(op: Operation) -> Outgoing:
    """The connector's view of a stored operation (its payload was frozen at enqueue)."""
    payload: Mapping[str, Any] = op.payload
    thread = payload.get("thread")
    ref = None
    if thread:
        ref = ThreadRef(
            remote_id=thread["remote_id"],
            container_remote_id=thread["container_remote_id"],
            root_post_remote_id=thread.get("root_post_remote_id"),
            url=thread.get("url"),
            title=thread.get("title"),
        )
    return Outgoing(
        op_id=op.op_id,
        kind=op.kind,
        text=payload.get("text", ""),
        thread=ref,
        reply_to_post_remote_id=payload.get("reply_to"),
        mentions=_people(payload.get("mentions")),
        recipients=_people(payload.get("recipients")),
        tags=tuple(payload.get("tags", ())),
        emoji=payload.get("emoji"),
        container_remote_id=payload.get("container_remote_id"),
        title=payload.get("title"),
        poll_options=tuple(payload.get("poll_options", ())),
        first_attempt_at=op.first_attempt_at,
        attempt=max(1, op.attempts),
    )


def _never() -> bool:
    return False


class Sender:
    """Drains the outbox of one account at a time."""

    def __init__(
        self, store: Store, clock: Callable[[], datetime], *, max_attempts: int = 8
    ) -> None:
        self._store = store
        self._clock = clock
        self._max_attempts = max_attempts

    def drain(
        self, account: Account, connector: Connector, *, holder: str, cancel: Cancel = _never
    ) -> DrainResult:
        """Reconcile the account's unknown operations, then send those that are due.

        Nothing here sleeps: reads are tried once (:func:`single_attempts`) and every delay a
        platform asks for is stored as the operations' next attempt.
        """
        with single_attempts():
            return self._drain(account, connector, holder, cancel)

    def _drain(
        self, account: Account, connector: Connector, holder: str, cancel: Cancel
    ) -> DrainResult:
        result = DrainResult(account.name)
        outbox = self._store.outbox
        held = outbox.held_until(account.id)
        if held is not None and held > self._clock():
            result.throttled_until = held
            return result
        for op in outbox.unknown([account.id], self._clock()):
            if cancel() or result.offline or result.throttled_until is not None:
                return result
            self._reconcile(op, connector, holder, result)
        for op in outbox.due(self._clock(), [account.id]):
            if cancel() or result.offline or result.throttled_until is not None:
                break
            if self._moved_on(op, result):
                continue
            claimed = outbox.claim(op.op_id, self._clock(), holder)
            if claimed is None:
                continue  # another console or process took it
            self._send(claimed, connector, result)
        return result

    def _moved_on(self, op: Operation, result: DrainResult) -> bool:
        """Hold back a message whose thread got new replies since it was written.

        It is not sent blindly: it needs the user's attention ("2 new replies since you wrote
        this"), and ``outbox retry`` confirms it. Tags and reactions do not depend on what was
        said meanwhile.
        """
        if op.kind not in (OpKind.REPLY, OpKind.DM) or op.payload.get(CONFIRMED):
            return False
        outbox = self._store.outbox
        new = outbox.new_replies(op)
        if new <= 0 or not outbox.hold_moved_on(op.op_id, new, self._clock()):
            return False
        result.needs_attention.append(op.op_id)
        result.moved_on.append(op.op_id)
        return True

    def _send(
        self,
        op: Operation,
        connector: Connector,
        result: DrainResult,
        *,
        resend: bool = False,
        until: datetime | None = None,
    ) -> None:
        """One attempt; ``resend``: the operation was unknown (an earlier attempt may have
        landed), so a failure sends it back to unknown, never to queued or failed; ``until``:
        the write must not leave after then (the platform forgets the operation's id)."""
        try:
            out = outgoing(op)
            if until is not None:
                out = dataclasses.replace(out, resend_until=until)
            sent = connector.send(out)
        except ConnectorError as exc:
            self._failed(op, exc, result, src=OpState.SENDING, resend=resend)
            return
        self._sent(op, sent, result, src=OpState.SENDING)

    def _sent(self, op: Operation, sent: SendResult, result: DrainResult, *, src: OpState) -> None:
        moved = self._store.outbox.move(
            op.op_id, src, OpState.SENT, self._clock(), remote_id=sent.remote_id, page=sent.page
        )
        if moved:
            result.sent.append(op.op_id)
            if op.thread_id is not None:
                result.thread_ids.add(op.thread_id)

    def _failed(
        self,
        op: Operation,
        exc: ConnectorError,
        result: DrainResult,
        *,
        src: OpState,
        resend: bool = False,
    ) -> None:
        outbox = self._store.outbox
        now = self._clock()
        log.info(
            "outbox %s attempt %d: %s (%s)", op.op_id, op.attempts, exc.code, exc.error_class.value
        )
        cls = exc.error_class
        if cls is ErrorClass.RETRYABLE:
            network = isinstance(exc, NetworkError)
            if network:
                result.offline = True
            if not network and op.attempts >= self._max_attempts:
                outbox.move(
                    op.op_id, src, OpState.NEEDS_ATTENTION, now, error_code=exc.code, error=str(exc)
                )
                result.needs_attention.append(op.op_id)
                if _throttle(exc):
                    # Giving up on this one does not lift the platform's throttle on the rest.
                    self._throttled(op, now + retry_delay(exc.retry_after, op.attempts), result)
                return
            delay = retry_delay(exc.retry_after, op.attempts)
            outbox.move(
                op.op_id,
                src,
                # A resend that never left leaves the earlier attempt's copy in doubt.
                OpState.UNKNOWN if resend else OpState.QUEUED,
                now,
                # Never sent: due again at the next drain (which stops at its first network
                # error too), so the outbox drains as soon as the network is back.
                next_attempt_at=None if network else now + delay,
                error_code=exc.code,
                error=str(exc),
                undo_attempt=network or exc.code == "not_before",
            )
            (result.unknown if resend else result.requeued).append(op.op_id)
            if _throttle(exc):
                self._throttled(op, now + delay, result)
        elif cls is ErrorClass.AMBIGUOUS:
            later = now + exc.retry_after if exc.retry_after is not None else None
            outbox.move(
                op.op_id,
                src,
                OpState.UNKNOWN,
                now,
                next_attempt_at=later,
                error_code=exc.code,
                error=str(exc),
            )
            result.unknown.append(op.op_id)
        elif cls is ErrorClass.AUTH:
            outbox.move(
                op.op_id, src, OpState.NEEDS_ATTENTION, now, error_code=exc.code, error=str(exc)
            )
            result.needs_attention.append(op.op_id)
        else:
            # Refused, but after a resend an earlier attempt may be there: not "failed".
            target = OpState.NEEDS_ATTENTION if resend else OpState.FAILED
            outbox.move(op.op_id, src, target, now, error_code=exc.code, error=str(exc))
            (result.failed if target is OpState.FAILED else result.needs_attention).append(op.op_id)

    def _throttled(self, op: Operation, until: datetime, result: DrainResult) -> None:
        """The platform throttles the whole account: hold back everything else of it too."""
        result.throttled_until = until
        self._store.outbox.hold_account(op.account_id, until, self._clock())

    def _reconcile(
        self, op: Operation, connector: Connector, holder: str, result: DrainResult
    ) -> None:
        """Find out whether an ambiguous attempt reached the platform, before any resend."""
        outbox = self._store.outbox
        now = self._clock()
        if op.attempts < self._max_attempts and _resend_recognised(connector, op, now):
            # The platform recognises a resend with the same operation id (Matrix txnId, or
            # Mattermost's pending_post_id inside its window): it hands back the first copy.
            claimed = outbox.claim(op.op_id, now, holder, from_states=(OpState.UNKNOWN,))
            if claimed is not None:
                self._send(
                    claimed, connector, result, resend=True, until=_resend_until(connector, op)
                )
            return
        try:
            found = connector.find_sent(outgoing(op))
        except NotSupported as exc:
            outbox.move(
                op.op_id,
                OpState.UNKNOWN,
                OpState.NEEDS_ATTENTION,
                now,
                error_code="unverifiable",
                error=str(exc),
            )
            result.needs_attention.append(op.op_id)
            return
        except ConnectorError as exc:
            # A read-back may take a while (several reads, each paced, a slow answer): what
            # happens next counts from its answer, not from when it began.
            now = self._clock()
            if isinstance(exc, NetworkError):
                result.offline = True
            if _throttle(exc):
                self._throttled(op, now + retry_delay(exc.retry_after, op.attempts), result)
                return
            # Still cannot tell: it stays unknown and is looked up again next time.
            log.info("outbox %s: read-back failed (%s); still unknown", op.op_id, exc.code)
            if op.attempts >= self._max_attempts and not isinstance(exc, NetworkError):
                outbox.move(
                    op.op_id,
                    OpState.UNKNOWN,
                    OpState.NEEDS_ATTENTION,
                    now,
                    error_code=exc.code,
                    error=str(exc),
                )
                result.needs_attention.append(op.op_id)
            return
        now = self._clock()
        if found is not None and outbox.owner(op.account_id, found.remote_id, op.op_id):
            # Same author, same text, but that copy is another operation's: this one may or may
            # not be there. Only the user can tell (0 or 1 copies; never a blind resend).
            outbox.move(
                op.op_id,
                OpState.UNKNOWN,
                OpState.NEEDS_ATTENTION,
                now,
                error_code="unverifiable",
                error="an identical message of yours is already there; check the thread",
            )
            result.needs_attention.append(op.op_id)
        elif found is not None:
            self._sent(op, found, result, src=OpState.UNKNOWN)
            result.reconciled.append(op.op_id)
        elif op.attempts >= self._max_attempts:
            # Conclusively not on the platform, but no attempt ever got an answer: stop and
            # show it rather than cycle between sending and reading back for ever.
            outbox.move(
                op.op_id,
                OpState.UNKNOWN,
                OpState.NEEDS_ATTENTION,
                now,
                error_code="gave_up",
                error=f"not on the platform after {op.attempts} attempts without an answer",
            )
            result.needs_attention.append(op.op_id)
        else:
            # Conclusively not on the platform: safe to send again.
            outbox.move(op.op_id, OpState.UNKNOWN, OpState.QUEUED, now, next_attempt_at=None)
            result.requeued.append(op.op_id)


def _throttle(exc: ConnectorError) -> bool:
    """The platform asks the whole account to slow down (not one request's trouble)."""
    return isinstance(exc, RateLimited) or (
        isinstance(exc, ServerBusy) and exc.retry_after is not None
    )


def _resend_until(connector: Connector, op: Operation) -> datetime | None:
    """When a resend that relies on the platform's memory of the id must have left by."""
    window = getattr(connector, "resend_window", None)
    if getattr(connector, "idempotent_writes", False) or not isinstance(window, timedelta):
        return None
    return op.first_attempt_at + window if op.first_attempt_at is not None else None


def _resend_recognised(connector: Connector, op: Operation, now: datetime) -> bool:
    """True when resending ``op`` with the same id cannot post it twice.

    Matrix keeps transaction ids (``idempotent_writes``); Mattermost remembers a
    ``pending_post_id`` for a short window (``resend_window``), counted from the first attempt,
    which is no later than the first one that reached the server.
    """
    if getattr(connector, "idempotent_writes", False):
        return True
    window = getattr(connector, "resend_window", None)
    if not isinstance(window, timedelta) or op.first_attempt_at is None:
        return False
    return now - op.first_attempt_at < window


SEND_DEADLINE_S = 120
"""No attempt lasts longer than this (connect + read timeouts and the overall deadline)."""


def holder_id(nonce: str) -> str:
    """Identifies this process as the claimer of an operation: host, pid and a nonce."""
    import os  # noqa: PLC0415
    import socket  # noqa: PLC0415

    return f"{socket.gethostname()}:{os.getpid()}:{nonce}"


def _process_alive(pid: int) -> bool:
    import os  # noqa: PLC0415

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_interrupted(store: Store, now: datetime, own_holder: str) -> list[str]:
    """Turn ``sending`` operations whose sender died into ``unknown``.

    A sender on this machine whose process is gone, or any sender silent for longer than an
    attempt can take, died mid-flight: its request may or may not have reached the platform.
    Run at start-up and before each drain; a live sender in another process is left alone.
    """
    import socket  # noqa: PLC0415
    from datetime import timedelta  # noqa: PLC0415

    host = socket.gethostname()
    recovered = []
    for op_id, claimed_by, last_attempt in store.outbox.sending():
        if claimed_by == own_holder:
            continue
        dead = last_attempt is None or now - last_attempt > timedelta(seconds=2 * SEND_DEADLINE_S)
        if not dead and claimed_by:
            parts = claimed_by.split(":")
            if len(parts) >= 2 and parts[0] == host and parts[1].isdigit():
                dead = not _process_alive(int(parts[1]))
        if dead and store.outbox.mark_interrupted(op_id, claimed_by, now):
            recovered.append(op_id)
    return recovered
