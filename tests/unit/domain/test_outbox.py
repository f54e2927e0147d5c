"""The outbox state machine (DESIGN.md §4), the retry schedule and the reconciliation key."""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cm_console.domain.outbox import (
    BACKOFF_CAP,
    CANCELLABLE,
    PENDING_STATES,
    RETRY_AFTER_CAP,
    RETRYABLE_BY_USER,
    TRANSITIONS,
    OpState,
    backoff,
    can_move,
    normalize_text,
    retry_delay,
    text_hash,
)
from tests.helpers.outbox_spec import ALLOWED, CANCELLED, FAILED, NA, SENDING, SENT, UNKNOWN, Q


@pytest.mark.parametrize(("src", "dst"), list(product(OpState, OpState)))
def test_every_move_is_allowed_or_forbidden_as_designed(src: OpState, dst: OpState) -> None:
    assert can_move(src, dst) is ((src, dst) in ALLOWED)


def test_sent_and_cancelled_are_final() -> None:
    assert TRANSITIONS[SENT] == frozenset()
    assert TRANSITIONS[CANCELLED] == frozenset()


def test_user_actions() -> None:
    assert frozenset({FAILED, NA}) == RETRYABLE_BY_USER, "retry never from unknown"
    assert frozenset({Q, FAILED, NA}) == CANCELLABLE
    assert all(can_move(s, Q) for s in RETRYABLE_BY_USER)
    assert all(can_move(s, CANCELLED) for s in CANCELLABLE)
    assert frozenset({Q, SENDING, UNKNOWN}) == PENDING_STATES


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    for attempts in range(1, 30):
        ceiling = min(BACKOFF_CAP, timedelta(seconds=15) * 2 ** (attempts - 1))
        for _ in range(20):
            delay = backoff(attempts, rng)
            assert ceiling / 2 <= delay <= ceiling
    assert backoff(0, rng) >= timedelta(seconds=1)


def test_backoff_is_reproducible_with_a_seeded_generator() -> None:
    assert backoff(4, random.Random(1)) == backoff(4, random.Random(1))


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        (timedelta(seconds=30), timedelta(seconds=30)),
        (timedelta(0), timedelta(0)),
        (timedelta(seconds=-5), timedelta(0)),
        (timedelta(days=3), RETRY_AFTER_CAP),
    ],
)
def test_the_platforms_delay_wins_capped(retry_after: timedelta, expected: timedelta) -> None:
    assert retry_delay(retry_after, attempts=5) == expected


def test_without_a_platform_delay_backoff_is_used() -> None:
    assert timedelta(seconds=7) <= retry_delay(None, attempts=1) <= timedelta(seconds=15)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Thanks, I'll look into it", "  Thanks,   I'll look\ninto it \n"),
        ("café", "cafe\u0301"),  # NFC
        ("tab\there", "tab here"),
    ],
)
def test_reconciliation_ignores_whitespace_and_normalization(a: str, b: str) -> None:
    assert normalize_text(a) == normalize_text(b)
    assert text_hash(a) == text_hash(b)


def test_different_words_hash_differently() -> None:
    assert text_hash("Thanks!") != text_hash("Thanks?")
    assert len(text_hash("")) == 64


@given(st.text())
def test_normalizing_is_idempotent(text: str) -> None:
    assert normalize_text(normalize_text(text)) == normalize_text(text)
    assert text_hash(normalize_text(text)) == text_hash(text)
