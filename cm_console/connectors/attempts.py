"""Whether a connector's reads may retry and wait, in the current thread.

Kept apart from :mod:`cm_console.connectors.http` so that the outbox (imported at start-up)
does not load ``requests`` before a connector needs it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_SINGLE_ATTEMPTS: ContextVar[bool] = ContextVar("cm_console_single_attempts", default=False)


@contextlib.contextmanager
def single_attempts() -> Iterator[None]:
    """Inside this block (in this thread) a read is tried once and never waits.

    The outbox sender reads back ambiguous sends; it must not sleep on a platform's throttle or
    on a retry backoff (it stores the delay as the operation's next attempt instead). A read that
    fails raises at once: a throttle as :class:`~cm_console.connectors.errors.RateLimited` with
    the platform's delay, also when an earlier 429 still blocks this client.
    """
    token = _SINGLE_ATTEMPTS.set(True)
    try:
        yield
    finally:
        _SINGLE_ATTEMPTS.reset(token)


def attempts_are_single() -> bool:
    """True inside :func:`single_attempts`."""
    return _SINGLE_ATTEMPTS.get()
