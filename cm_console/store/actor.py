"""On whose behalf a store changes accounts, settings and saved replies (for the audit log)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cm_console.store.convert import to_ms


def _system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Actor:
    """The console user the audit log names for changes that carry no user of their own, and the
    clock that dates them. One per :class:`~cm_console.store.store.Store`, set by
    :meth:`~cm_console.store.store.Store.act_as_member`; ``None`` until then (an entry without a
    user: the demo's set-up, scripts)."""

    user_id: int | None = None
    clock: Callable[[], datetime] = field(default=_system_clock)

    def now_ms(self) -> int:
        return to_ms(self.clock())
