"""Ranking colleagues and the nudge ladder (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cm_console.domain.experts import (
    Answer,
    Load,
    NextStep,
    PromptRecord,
    ReasonCode,
    Source,
    Via,
    next_step,
    rank,
    recency,
    step_for,
)

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def answers(
    identity: str, n: int, sources: set[Source], days_ago: float = 1, **kw: bool
) -> list[Answer]:
    return [
        Answer(identity, NOW - timedelta(days=days_ago), frozenset(sources), **kw) for _ in range(n)
    ]


def test_similar_questions_outweigh_community_volume() -> None:
    evidence = answers("sven", 3, {Source.SIMILAR}) + answers("priya", 6, {Source.COMMUNITY})
    ranked = rank(evidence, NOW)
    assert [s.identity for s in ranked] == ["sven", "priya"]
    top = ranked[0]
    assert top.reasons[0].code is ReasonCode.SIMILAR
    assert top.reasons[0].count == 3
    assert any(r.code is ReasonCode.LAST_ANSWER and r.at is not None for r in top.reasons)


def test_recent_answers_count_more_than_old_ones() -> None:
    assert recency(NOW, NOW) == 1.0
    assert abs(recency(NOW - timedelta(days=60), NOW) - 0.5) < 1e-9
    evidence = answers("old", 4, {Source.COMMUNITY}, days_ago=300) + answers(
        "new", 2, {Source.COMMUNITY}, days_ago=2
    )
    assert [s.identity for s in rank(evidence, NOW)] == ["new", "old"]


def test_accepted_answers_and_reactions_raise_the_score() -> None:
    plain = rank(answers("a", 2, {Source.COMMUNITY}), NOW)[0].score
    accepted = rank(answers("a", 2, {Source.COMMUNITY}, accepted=True), NOW)[0]
    assert accepted.score > plain
    assert any(r.code is ReasonCode.ACCEPTED and r.count == 2 for r in accepted.reasons)


def test_load_balancing_lets_a_less_asked_expert_come_first() -> None:
    evidence = answers("busy", 5, {Source.SIMILAR}) + answers("free", 4, {Source.SIMILAR})
    assert rank(evidence, NOW)[0].identity == "busy"
    balanced = rank(evidence, NOW, load={"busy": Load(last_week=3)})
    assert balanced[0].identity == "free"
    assert any(r.code is ReasonCode.BUSY and r.count == 3 for r in balanced[1].reasons)


def test_daily_limit_puts_a_colleague_last_and_marks_it() -> None:
    evidence = answers("sven", 9, {Source.SIMILAR}) + answers("priya", 1, {Source.COMMUNITY})
    ranked = rank(evidence, NOW, load={"sven": Load(last_week=3, today=3)}, limit_per_day=3)
    assert [s.identity for s in ranked] == ["priya", "sven"]
    assert ranked[1].limited
    assert not ranked[0].limited


def test_excluded_people_are_never_suggested() -> None:
    evidence = answers("author", 5, {Source.SIMILAR}) + answers("other", 1, {Source.TAG})
    assert [s.identity for s in rank(evidence, NOW, exclude=["author"])] == ["other"]


def prompt(via: Via, hours_ago: float, deadline_in: float, **kw: object) -> PromptRecord:
    at = NOW - timedelta(hours=hours_ago)
    return PromptRecord(7, via, 1, at, NOW + timedelta(hours=deadline_in), **kw)  # type: ignore[arg-type]


def test_ladder_waits_until_the_deadline() -> None:
    history = [prompt(Via.MENTION, 5, deadline_in=1)]
    assert next_step(history, NOW) == (NextStep.NONE, None)
    assert next_step(history, NOW + timedelta(hours=1)) == (NextStep.DM, 7)


def test_ladder_after_a_dm_escalates_and_an_answer_ends_it() -> None:
    assert next_step([prompt(Via.DM, 30, deadline_in=-2)], NOW) == (NextStep.ESCALATE, None)
    answered = prompt(Via.MENTION, 30, deadline_in=-2, answered_at=NOW - timedelta(hours=3))
    assert next_step([answered], NOW) == (NextStep.NONE, None)
    assert next_step([], NOW) == (NextStep.NONE, None)


def test_step_counts_unanswered_prompts() -> None:
    assert step_for([]) == 1
    assert step_for([prompt(Via.MENTION, 30, -2)]) == 2
    assert step_for([prompt(Via.MENTION, 30, -2), prompt(Via.DM, 5, -1)]) == 3
    assert step_for([prompt(Via.MENTION, 30, -2)] * 5) == 3
