"""Words and numbers the window shows for domain values (translatable, English and Dutch)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale

from cm_console.domain import experts
from cm_console.domain.outbox import OpState
from cm_console.domain.priority import Reason, ReasonCode
from cm_console.domain.rules import State, TriageStatus
from cm_console.domain.views import QueueItem, View


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    return QCoreApplication.translate("Format", text, disambiguation, n)


def age(delta: timedelta) -> str:
    """A compact duration: ``12 min``, ``5 h``, ``3 d``."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return tr("%n min", None, max(1, seconds // 60))
    if seconds < 48 * 3600:
        return tr("%n h", None, seconds // 3600)
    return tr("%n d", None, seconds // 86400)


def long_age(delta: timedelta) -> str:
    """A duration in words: ``12 minutes``, ``5 hours``, ``3 days``."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return tr("%n minute(s)", None, max(1, seconds // 60))
    if seconds < 48 * 3600:
        return tr("%n hour(s)", None, seconds // 3600)
    return tr("%n day(s)", None, seconds // 86400)


def when(dt: datetime, zone: tzinfo | None = None) -> str:
    """A local date and time in the user's locale."""
    local = dt.astimezone(zone) if zone is not None else dt.astimezone()
    naive = local.replace(tzinfo=None)
    return QLocale().toString(to_qdatetime(naive.replace(tzinfo=UTC)).toUTC(), "d MMM yyyy, HH:mm")


def to_qdatetime(dt: datetime) -> QDateTime:
    """An aware datetime as a QDateTime (same instant)."""
    return QDateTime.fromMSecsSinceEpoch(int(dt.timestamp() * 1000))


def from_qdatetime(value: QDateTime) -> datetime:
    """A QDateTime as an aware UTC datetime (same instant)."""
    return datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000, tz=UTC)


def state_label(state: State) -> str:
    return {
        State.NEW: tr("New"),
        State.UNANSWERED: tr("Unanswered"),
        State.STALLED: tr("Stalled"),
        State.AWAITING: tr("Awaiting us"),
        State.ANSWERED: tr("Answered"),
        State.BROADCAST: tr("Broadcast"),
        State.RESOLVED: tr("Resolved"),
        State.ABANDONED: tr("Abandoned"),
    }[state]


def status_label(status: TriageStatus) -> str:
    return {
        TriageStatus.OPEN: tr("Open"),
        TriageStatus.SNOOZED: tr("Snoozed"),
        TriageStatus.DONE: tr("Done"),
    }[status]


def view_label(view: View) -> str:
    return {
        View.QUEUE: tr("Queue"),
        View.UNANSWERED: tr("Unanswered"),
        View.STALLED: tr("Stalled"),
        View.AWAITING: tr("Awaiting us"),
        View.MINE: tr("Mine"),
        View.SNOOZED: tr("Snoozed"),
        View.FLAGGED: tr("Flagged"),
        View.DONE: tr("Done"),
        View.ALL: tr("All"),
    }[view]


def op_state_label(state: OpState) -> str:
    return {
        OpState.QUEUED: tr("Queued"),
        OpState.SENDING: tr("Sending…"),
        OpState.SENT: tr("Sent"),
        OpState.UNKNOWN: tr("Checking whether it arrived"),
        OpState.FAILED: tr("Failed"),
        OpState.NEEDS_ATTENTION: tr("Needs attention"),
        OpState.CANCELLED: tr("Discarded"),
    }[state]


def suggestion_text(reasons: Sequence[experts.Reason], community: str, now: datetime) -> str:
    """Why a colleague is suggested, in one line."""
    parts = []
    for reason in reasons:
        code, n = reason.code, reason.count
        if code is experts.ReasonCode.SIMILAR:
            parts.append(tr("answered %n similar question(s)", None, n))
        elif code is experts.ReasonCode.COMMUNITY:
            parts.append(tr("answered %n time(s) in %1", None, n).replace("%1", community))
        elif code is experts.ReasonCode.TAG:
            parts.append(tr("answered %n thread(s) with the same tags", None, n))
        elif code is experts.ReasonCode.ACCEPTED:
            parts.append(tr("%n accepted answer(s)", None, n))
        elif code is experts.ReasonCode.LAST_ANSWER and reason.at is not None:
            parts.append(tr("last answer %1 ago").replace("%1", long_age(now - reason.at)))
        elif code is experts.ReasonCode.BUSY:
            parts.append(tr("asked %n time(s) this week", None, n))
        elif code is experts.ReasonCode.LIMIT:
            parts.append(tr("asked %n time(s) today: limit reached", None, n))
    return ", ".join(parts)


def reason_text(reason: Reason, item: QueueItem, now: datetime) -> str:
    """Why an item is in the queue, in a sentence."""
    since = reason.params.get("since")
    ago = long_age(now - since) if isinstance(since, datetime) else ""
    code = reason.code
    if code is ReasonCode.UNANSWERED:
        return tr("Nobody has replied for %1").replace("%1", ago)
    if code is ReasonCode.AWAITING_US:
        return tr("Someone wrote after our last reply, %1 ago").replace("%1", ago)
    if code is ReasonCode.STALLED:
        return tr("The discussion went quiet %1 ago on an open question").replace("%1", ago)
    if code is ReasonCode.PAST_SLA:
        due = reason.params.get("due")
        late = long_age(now - due) if isinstance(due, datetime) else ""
        return tr("Past the first-response target by %1").replace("%1", late)
    if code is ReasonCode.QUESTION:
        return tr("Asks a question")
    if code is ReasonCode.NEWCOMER:
        return tr("First post by %1").replace("%1", item.author or tr("this colleague"))
    if code is ReasonCode.ACKNOWLEDGED_ONLY:
        return tr("Someone reacted, but nobody replied")
    if code is ReasonCode.WAITING:
        return tr("Waiting for %1").replace("%1", ago)
    return tr("The colleague you asked has not answered yet")


_DUTCH = frozenset(
    [
        "de",
        "het",
        "een",
        "ik",
        "je",
        "jij",
        "is",
        "niet",
        "en",
        "van",
        "voor",
        "met",
        "wat",
        "hoe",
        "waarom",
        "wie",
        "kan",
        "kun",
        "zijn",
        "wordt",
        "graag",
        "bij",
        "naar",
        "ook",
        "nog",
    ]
)


def guess_language(text: str) -> str:
    """``nl`` when a text reads as Dutch, else ``en`` (for choosing a prompt template)."""
    words = [w.strip(".,!?:;()'\"").lower() for w in text.split()]
    dutch = sum(w in _DUTCH for w in words)
    return "nl" if words and dutch / len(words) >= 0.15 else "en"
