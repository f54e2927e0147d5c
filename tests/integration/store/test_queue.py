"""The queue in SQL: views, filters, sort orders and counts, all evaluated at ``now`` without a
write, and thresholds that change without a re-fetch."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cm_console.domain.model import PlatformKind, RemoteContainer
from cm_console.domain.rules import State, TriageStatus
from cm_console.domain.views import QueueQuery, SortKey, View
from cm_console.store import Store
from tests.helpers.builders import ALICE, BOB, CAROL, ME, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW

H = timedelta(hours=1)
DAY = timedelta(days=1)
IDEAS = RemoteContainer("c-ideas", "Ideas box")


@pytest.fixture
def world(store: Store) -> dict[str, int]:
    """One thread per state, in two containers."""
    acc = add_account(store, now=NOW, options={"timezone": "Europe/Amsterdam"})
    builders = {
        "unanswered": ThreadBuilder("u", ALICE, NOW - 30 * H, "Where is the printer?"),
        "new": ThreadBuilder("n", BOB, NOW - 1 * H, "Fresh question?"),
        "awaiting": ThreadBuilder("a", CAROL, NOW - 50 * H, "Leave?", container=IDEAS)
        .reply(ME, H, "Use the portal")
        .reply(CAROL, 2 * H, "It is broken"),
        "stalled": ThreadBuilder("s", ALICE, NOW - 100 * H, "VPN?").reply(
            BOB, H, "Did you restart?"
        ),
        "answered": ThreadBuilder("d", BOB, NOW - 10 * H, "Lunch?").reply(CAROL, H, "At noon."),
        "broadcast": ThreadBuilder("b", ME, NOW - 10 * H, "Newsletter"),
        "abandoned": ThreadBuilder("old", CAROL, NOW - 40 * DAY, "Anyone?"),
    }
    ids = {}
    for name, b in builders.items():
        store.ingest.page(acc, b.page(), NOW)
        tid = store.threads.resolve(f"acme/{b.thread.remote_id}")
        assert tid is not None
        ids[name] = tid
    ids["account"] = acc
    return ids


def names(world: dict[str, int], ids: list[int]) -> list[str]:
    by_id = {v: k for k, v in world.items() if k != "account"}
    return [by_id[i] for i in ids]


def test_every_state(store: Store, world: dict[str, int]) -> None:
    items = store.queue.items([v for k, v in world.items() if k != "account"], NOW)
    assert {i.state.value: i.id for i in items} == {
        k: v for k, v in world.items() if k != "account"
    }


def test_the_default_queue_most_urgent_first(store: Store, world: dict[str, int]) -> None:
    ids = store.queue.ids(QueueQuery(), NOW)
    assert set(names(world, ids)) == {"unanswered", "awaiting", "stalled"}
    items = store.queue.items(ids, NOW)
    assert [i.priority for i in items] == sorted((i.priority for i in items), reverse=True)
    assert names(world, ids)[0] == "unanswered"


VIEWS = {
    View.UNANSWERED: {"unanswered"},
    View.AWAITING: {"awaiting"},
    View.STALLED: {"stalled"},
    View.ALL: {"unanswered", "new", "awaiting", "stalled", "answered", "broadcast", "abandoned"},
    View.SNOOZED: set(),
    View.DONE: set(),
    View.FLAGGED: set(),
}


def test_views(store: Store, world: dict[str, int]) -> None:
    for view, expected in VIEWS.items():
        assert set(names(world, store.queue.ids(QueueQuery(view=view), NOW))) == expected, view


def test_triage_views(store: Store, world: dict[str, int]) -> None:
    me = store.users.ensure("anouk", NOW)
    other = store.users.ensure("jeroen", NOW)
    t = store.triage
    t.set_status([world["unanswered"]], TriageStatus.DONE, now=NOW, user_id=me.id)
    t.set_status(
        [world["awaiting"]], TriageStatus.SNOOZED, now=NOW, user_id=me.id, snooze_until=NOW + DAY
    )
    t.flag([world["answered"], world["stalled"]], True, "HR", now=NOW, user_id=me.id)
    t.assign([world["stalled"], world["answered"]], me.id, now=NOW, user_id=me.id)
    t.assign([world["new"]], other.id, now=NOW, user_id=me.id)

    def view(v: View, **kw: object) -> set[str]:
        return set(names(world, store.queue.ids(QueueQuery(view=v, **kw), NOW)))  # type: ignore[arg-type]

    assert view(View.QUEUE) == {"stalled"}
    assert view(View.UNANSWERED) == set()
    assert view(View.DONE) == {"unanswered"}
    assert view(View.SNOOZED) == {"awaiting"}
    assert view(View.FLAGGED) == {"answered", "stalled"}
    assert view(View.MINE, user_id=me.id) == {"stalled", "answered"}
    assert view(View.MINE, user_id=other.id) == {"new"}
    counts = store.queue.counts(NOW, user_id=me.id)
    assert (
        counts[View.QUEUE],
        counts[View.STALLED],
        counts[View.DONE],
        counts[View.SNOOZED],
        counts[View.FLAGGED],
        counts[View.MINE],
        counts[View.ALL],
    ) == (1, 1, 1, 1, 2, 2, 7)
    # The snooze ends at its time, with no write: --now is exact.
    assert view(View.QUEUE) == {"stalled"}
    later = set(names(world, store.queue.ids(QueueQuery(), NOW + DAY)))
    assert "awaiting" in later
    item = store.queue.items([world["awaiting"]], NOW)[0]
    assert (item.status, item.snooze_until) == (TriageStatus.SNOOZED, NOW + DAY)


def test_counts_match_the_views(store: Store, world: dict[str, int]) -> None:
    counts = store.queue.counts(NOW)
    for view in (View.QUEUE, View.UNANSWERED, View.AWAITING, View.STALLED, View.ALL):
        assert counts[view] == len(store.queue.ids(QueueQuery(view=view), NOW)), view
    assert store.queue.state_counts(NOW) == {
        state: 1 for state in State if state is not State.RESOLVED
    }


def test_time_passing_needs_no_write(store: Store, world: dict[str, int]) -> None:
    new = world["new"]

    def state(at: timedelta) -> State:
        return store.queue.items([new], NOW + at)[0].state

    assert state(timedelta(0)) is State.NEW
    assert state(H - timedelta(milliseconds=1)) is State.NEW
    assert state(H) is State.UNANSWERED  # created an hour ago, threshold 2 h
    assert state(30 * DAY - H - timedelta(milliseconds=1)) is State.UNANSWERED
    assert state(30 * DAY - H) is State.ABANDONED
    assert store.queue.items([world["answered"]], NOW)[0].state is State.ANSWERED


def test_filters(store: Store, world: dict[str, int]) -> None:
    ideas = next(c.id for c in store.accounts.containers(world["account"]) if c.name == "Ideas box")
    assert names(world, store.queue.ids(QueueQuery(view=View.ALL, container_id=ideas), NOW)) == [
        "awaiting"
    ]
    assert store.queue.ids(QueueQuery(account="nobody"), NOW) == []
    assert len(store.queue.ids(QueueQuery(account="acme"), NOW)) == 3
    store.triage.add_tag([world["new"]], "hr", now=NOW, user_id=None)
    assert names(world, store.queue.ids(QueueQuery(view=View.ALL, tag="hr"), NOW)) == ["new"]
    assert names(world, store.queue.ids(QueueQuery(view=View.ALL, search="printer"), NOW)) == [
        "unanswered"
    ]


def test_every_sort_order_is_total_and_stable(store: Store, world: dict[str, int]) -> None:
    for sort in SortKey:
        for descending in (True, False):
            query = QueueQuery(view=View.ALL, sort=sort, descending=descending)
            ids = store.queue.ids(query, NOW)
            assert len(ids) == 7 == len(set(ids)), query
            assert store.queue.ids(query, NOW) == ids, "stable"
            page = store.queue.page(query, NOW, limit=3, offset=2)
            assert [i.id for i in page] == ids[2:5], query


def test_sort_by_activity_and_title(store: Store, world: dict[str, int]) -> None:
    items = store.queue.items(
        store.queue.ids(QueueQuery(view=View.ALL, sort=SortKey.ACTIVITY), NOW), NOW
    )
    assert [i.last_activity_at for i in items] == sorted(
        (i.last_activity_at for i in items), reverse=True
    )
    titles = [
        i.title.lower()
        for i in store.queue.items(
            store.queue.ids(QueueQuery(view=View.ALL, sort=SortKey.TITLE, descending=False), NOW),
            NOW,
        )
    ]
    assert titles == sorted(titles)


def test_a_container_override_changes_states_without_a_re_fetch(
    store: Store, world: dict[str, int]
) -> None:
    # "awaiting" lives in the ideas box; move "unanswered" there too and make the box patient.
    acc = world["account"]
    ideas = next(c.id for c in store.accounts.containers(acc) if c.name == "Ideas box")
    store.accounts.set_container_options(ideas, {"unanswered_after_hours": "72"})
    store.ingest.page(
        acc,
        ThreadBuilder("p", ALICE, NOW - 30 * H, "Idea: free fruit?", container=IDEAS).page(),
        NOW,
    )
    store.recompute_account(acc)
    patient = store.threads.resolve("acme/p")
    assert patient is not None
    items = store.queue.items([patient, world["unanswered"]], NOW)
    assert [i.state for i in items] == [State.NEW, State.UNANSWERED]
    store.accounts.set_options(acc, {"unanswered_after_hours": "48", "timezone": "UTC"})
    store.recompute_account(acc)
    items = store.queue.items([patient, world["unanswered"]], NOW)
    assert [i.state for i in items] == [State.NEW, State.NEW]


def test_the_team_is_a_setting_not_a_fetch(store: Store, world: dict[str, int]) -> None:
    # Bob joins the team (letter case does not matter): his roots and replies become ours.
    acc = world["account"]
    assert store.queue.items([world["stalled"]], NOW)[0].state is State.STALLED
    store.accounts.set_options(acc, {"team": "BOB"})
    store.recompute_account(acc)
    people = {p.handle: p.is_team for p in store.accounts.people(acc)}
    assert people == {"me": True, "bob": True, "alice": False, "carol": False}
    # Still an open question to Alice, now asked by the team.
    assert store.queue.items([world["stalled"]], NOW)[0].state is State.STALLED
    # Bob's lunch question got Carol's answer after the team's (his) last post: ours to follow up.
    assert store.queue.items([world["answered"]], NOW)[0].state is State.AWAITING
    # Bob's fresh question is now a team post nobody answered.
    assert store.queue.items([world["new"]], NOW)[0].state is State.BROADCAST


def test_chat_platforms_stall_sooner(store: Store) -> None:
    chat = add_account(store, "chat", kind=PlatformKind.CHAT, now=NOW)
    forum = add_account(store, "forum", kind=PlatformKind.FORUM, now=NOW)
    for acc in (chat, forum):
        b = ThreadBuilder("s", ALICE, NOW - 30 * H, "VPN?").reply(BOB, H, "Restarted?")
        store.ingest.page(acc, b.page(), NOW)
    states = {
        name: store.queue.items([store.threads.resolve(f"{name}/s") or 0], NOW)[0].state
        for name in ("chat", "forum")
    }
    assert states == {"chat": State.STALLED, "forum": State.ANSWERED}


def test_thresholds_container_over_account_over_defaults() -> None:
    from cm_console.store.facts import thresholds_from

    account = {"unanswered_after_hours": 6.0, "sla_hours": 8.0, "timezone": "UTC"}
    container = {"unanswered_after_hours": 1.0, "stalled_after_hours": 12.0}
    limits = thresholds_from(account, container, PlatformKind.CHAT)
    assert limits.unanswered_after == H
    assert limits.stalled_after == 12 * H
    assert limits.sla_hours == 8
    assert limits.abandoned_after == 30 * DAY
    assert limits.business_hours.start_minute == 9 * 60
    assert thresholds_from(account, {}, PlatformKind.CHAT).stalled_after == 24 * H
    assert thresholds_from({}, {}, PlatformKind.FORUM).stalled_after == 72 * H
