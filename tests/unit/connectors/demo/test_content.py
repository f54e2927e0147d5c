"""The demo intranet's content: deterministic, well-formed, and a queue worth showing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from cm_console import config
from cm_console.app import open_workspace
from cm_console.connectors.demo import scenarios as sc
from cm_console.connectors.demo.content import (
    TZ,
    DemoPost,
    DemoWorld,
    build_world,
    dutch_holidays,
)
from cm_console.domain.model import PostKind
from cm_console.domain.priority import ReasonCode
from cm_console.domain.rules import QUEUE_STATES, State
from cm_console.domain.text import asks_question
from cm_console.domain.views import QueueItem, QueueQuery, View
from cm_console.services.demo import DEMO_ACCOUNT

ANCHOR = datetime(2026, 11, 25, 10, 17, tzinfo=UTC)  # a Wednesday morning
TALK = ("it", "hr", "webshop", "ideas", "facilities")


@pytest.fixture(scope="module")
def world() -> DemoWorld:
    return build_world(7, ANCHOR)


# --- determinism -----------------------------------------------------------------------------


def test_same_seed_and_anchor_give_the_same_world(world: DemoWorld) -> None:
    again = build_world(7, ANCHOR)
    assert again.threads == world.threads
    assert again.posts == world.posts


def test_another_seed_gives_another_world(world: DemoWorld) -> None:
    other = build_world(8, ANCHOR)
    assert [p.text for p in other.posts] != [p.text for p in world.posts]
    assert [p.created_at for p in other.posts] != [p.created_at for p in world.posts]


# --- the material ----------------------------------------------------------------------------


@pytest.mark.parametrize("scenario", sc.SCENARIOS, ids=lambda s: s.title)
def test_an_answer_closes_and_an_open_reply_asks(scenario: sc.Scenario) -> None:
    assert not asks_question(scenario.answer), "an answer must not ask anything back"
    assert asks_question(scenario.open_reply), "an open reply must ask something back"
    assert scenario.root and scenario.follow_up
    assert not asks_question(scenario.thanks)


def test_every_community_has_enough_scenarios_in_both_languages() -> None:
    counts = Counter((s.community, s.lang) for s in sc.SCENARIOS)
    for community in TALK:
        total = counts[community, "nl"] + counts[community, "en"]
        assert total >= 12, community
        assert min(counts[community, "nl"], counts[community, "en"]) >= total // 3, community
    assert counts["news", "nl"] + counts["news", "en"] >= 8
    titles = [s.title for s in sc.SCENARIOS]
    assert len(titles) == len(set(titles))


def test_roots_exercise_the_question_rule() -> None:
    roots = [s.root for s in sc.SCENARIOS if s.community in TALK]
    assert sum(not asks_question(r) for r in roots) >= 10, "reports without a question"
    tricky = [r for r in roots if "?" in r and not asks_question(r)]
    assert len(tricky) >= 3, "a '?' only in a quote, code or URL does not ask"


def test_team_lines_and_chiming_in_do_not_ask() -> None:
    for lines in (*sc.TEAM_CLOSINGS.values(), *sc.PEER_ACKS.values()):
        for line in lines:
            assert not asks_question(line), line
    for notes in sc.BOT_NOTES.values():
        for note in notes.values():
            assert "{number}" in note


def test_stable_people_keep_their_ids() -> None:
    ids = {p.remote_id for p in sc.PEOPLE}
    assert {"u-anouk", "u-jeroen", "u-sven", "u-tom", "u-priya", "u-daan", "u-fatima"} <= ids
    assert len(ids) == len(sc.PEOPLE)
    assert {p.remote_id for p in sc.PEOPLE if p.team} == {"u-anouk", "u-jeroen"}
    for community in TALK:
        assert sum(community in p.expertise for p in sc.PEOPLE) >= 2, community


# --- the world's shape -----------------------------------------------------------------------


def test_ids_are_unique_and_posts_sorted(world: DemoWorld) -> None:
    ids = [p.remote_id for p in world.posts]
    assert len(ids) == len(set(ids))
    assert len(world.threads) == len({t.remote_id for t in world.threads.values()})
    keys = [(p.created_at, p.remote_id) for p in world.posts]
    assert keys == sorted(keys)


def test_every_thread_starts_with_its_root(world: DemoWorld) -> None:
    people = {p.remote_id for p in sc.PEOPLE}
    by_thread: dict[str, list[DemoPost]] = {}
    for post in world.posts:
        assert post.author in people
        by_thread.setdefault(post.thread_id, []).append(post)
    assert by_thread.keys() == world.threads.keys()
    for tid, posts in by_thread.items():
        thread = world.threads[tid]
        root = posts[0]
        assert root.is_root and sum(p.is_root for p in posts) == 1, tid
        assert root.created_at == thread.created_at
        assert all(p.created_at > root.created_at for p in posts[1:]), tid
        assert all(p.edited_at is None or p.edited_at > p.created_at for p in posts)
        if thread.accepted_post is not None:
            assert thread.accepted_post in {p.remote_id for p in posts}
            assert thread.resolved


def test_months_of_history_with_working_rhythms(world: DemoWorld) -> None:
    roots = [p for p in world.posts if p.is_root and p.created_at <= world.anchor]
    assert min(p.created_at for p in roots) <= world.anchor - timedelta(days=120)
    local = [p.created_at.astimezone(TZ) for p in roots]
    weekend = sum(t.weekday() >= 5 for t in local)
    assert weekend * 10 < len(local) - weekend
    office = sum(8 <= t.hour < 18 for t in local)
    assert office > 0.85 * len(local)
    per_community = Counter(t.community for t in world.threads.values())
    assert per_community["it"] > per_community["ideas"]
    assert per_community["webshop"] > per_community["facilities"]


def test_dutch_holidays_follow_easter() -> None:
    assert date(2026, 4, 6) in dutch_holidays(2026)  # Easter Monday
    assert date(2026, 5, 14) in dutch_holidays(2026)  # Ascension Day
    assert date(2027, 5, 17) in dutch_holidays(2027)  # Whit Monday
    assert date(2025, 4, 26) in dutch_holidays(2025)  # King's Day moves off a Sunday


def test_the_future_keeps_the_demo_moving(world: DemoWorld) -> None:
    later = [p for p in world.posts if p.created_at > world.anchor]
    assert any(p.is_root for p in later)
    assert any(not p.is_root for p in later)


# --- the mix at the anchor, through a real store ---------------------------------------------


@dataclass
class Demo:
    world: DemoWorld
    all: list[QueueItem]
    queue: list[QueueItem]

    def states(self) -> Counter[State]:
        return Counter(i.state for i in self.all)

    def in_queue(self) -> list[QueueItem]:
        return [i for i in self.all if i.state in QUEUE_STATES]


CASES = [
    (7, ANCHOR),
    (11, datetime(2026, 3, 2, 6, 30, tzinfo=UTC)),  # Monday before the office opens
    (2026, datetime(2026, 8, 16, 19, 45, tzinfo=UTC)),  # Sunday evening in the summer lull
]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"seed{c[0]}")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    seed, anchor = request.param
    profile = tmp_path_factory.mktemp("demo")
    ws = open_workspace(
        f"sqlite:///{profile / 'demo.sqlite3'}", config.Paths(profile), lambda: anchor
    )
    try:
        # The simulated platform keeps its seed and anchor; set them before the demo syncs.
        ws.store.simulation.set_meta(
            DEMO_ACCOUNT, {"seed": str(seed), "anchor": anchor.isoformat()}
        )
        ws.demo.create()
        everything = ws.triage.queue(QueueQuery(view=View.ALL))
        queue = ws.triage.queue(QueueQuery(view=View.QUEUE))
        yield Demo(build_world(seed, anchor), everything, queue)
    finally:
        ws.close()


def test_the_queue_has_a_demo_worthy_mix(demo: Demo) -> None:
    waiting = demo.in_queue()
    assert 25 <= len(waiting) <= 45
    assert 25 <= len(demo.queue) <= 45
    share = Counter(i.state for i in waiting)
    assert 0.40 <= share[State.UNANSWERED] / len(waiting) <= 0.50, share
    assert 0.25 <= share[State.STALLED] / len(waiting) <= 0.35, share
    assert 0.15 <= share[State.AWAITING] / len(waiting) <= 0.25, share


def test_every_other_state_is_there_too(demo: Demo) -> None:
    states = demo.states()
    assert 1 <= states[State.NEW] <= 3
    assert states[State.ANSWERED] >= 15
    assert states[State.RESOLVED] >= 50
    assert states[State.ABANDONED] >= 100
    assert states[State.BROADCAST] >= 2


def test_the_queue_shows_no_title_twice(demo: Demo) -> None:
    titles = [i.title for i in demo.in_queue()]
    assert len(titles) == len(set(titles))


def test_the_queue_shows_the_rules_at_work(demo: Demo) -> None:
    waiting = demo.in_queue()
    reasons = Counter(r.code for i in waiting for r in i.reasons)
    assert reasons[ReasonCode.ACKNOWLEDGED_ONLY] >= 2, "reactions only"
    assert reasons[ReasonCode.NEWCOMER] >= 1
    unanswered = [i for i in waiting if i.state is State.UNANSWERED]
    posts = {i.remote_id: demo.world.thread_posts(i.remote_id) for i in unanswered}
    visible = {
        tid: [p for p in ps if p.created_at <= demo.world.anchor] for tid, ps in posts.items()
    }
    assert any(p.kind is PostKind.NOTICE for ps in visible.values() for p in ps), "bot only"
    assert any(p.deleted for ps in visible.values() for p in ps), "withdrawn reply"
    assert any(not p.is_root and p.author == ps[0].author for ps in visible.values() for p in ps), (
        "bumped by the author"
    )
    assert any(i.remote_id in demo.world.threads and i.container_id == "news" for i in waiting)
    assert any(p.edited_at for p in demo.world.posts if p.created_at <= demo.world.anchor)
