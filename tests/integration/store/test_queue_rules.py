"""The SQL twins of the triage rules give the Python rules' answer, on both engines.

Random threads (authors in and out of the team, bots, whispers, deleted and early replies,
reactions, questions, resolved and closed flags), random teams, thresholds with per-container
overrides, random triage statuses and a random ``now``: for every thread, the state, status and
priority that ``store/queue.py`` computes in SQL equal what ``domain/rules.py`` and
``domain/priority.py`` compute in Python from the posts themselves.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cm_console import config
from cm_console.domain.model import (
    Page,
    PlatformKind,
    PostKind,
    Reaction,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
)
from cm_console.domain.priority import explain, priority
from cm_console.domain.rules import (
    QUEUE_STATES,
    PostFact,
    State,
    Thresholds,
    Triage,
    TriageStatus,
    compute_deadlines,
    compute_facts,
    effective_status,
    thread_state,
)
from cm_console.domain.text import asks_question
from cm_console.domain.views import QueueQuery
from cm_console.store import Store
from cm_console.store import schema as s
from cm_console.store.convert import to_ms
from cm_console.store.queue import priority_expr, state_expr, status_expr

BASE = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)  # a week before the spring DST change
MS = timedelta(milliseconds=1)

ME = RemotePerson("u-me", "me", "Community Manager")
PEOPLE = (
    ME,
    RemotePerson("u-anouk", "anouk", "Anouk"),
    RemotePerson("u-emile", "Émile", "Émile Dubois"),
    RemotePerson("u-p1", "p1", "Pim"),
    RemotePerson("u-p2", "p2", "Priya"),
    RemotePerson("u-bot", "deploybot", "Deploy Bot", is_bot=True),
)
TEAM_HANDLES = ("anouk", "émile", "P1", "nobody")
CONTAINERS = (RemoteContainer("c1", "Help"), RemoteContainer("c2", "Ideas"))

# Thresholds in whole minutes: the store keeps instants in milliseconds.
THRESHOLDS = {
    "unanswered_after_hours": st.sampled_from(["0", "0.5", "2", "6", "24"]),
    "stalled_after_hours": st.sampled_from(["auto", "1", "12", "24", "72"]),
    "abandoned_after_days": st.sampled_from(["1", "3", "30"]),
    "sla_hours": st.sampled_from(["0", "1", "4", "16"]),
    "business_hours": st.sampled_from(
        ["mon-fri 09:00-17:00", "mon-sun 00:00-24:00", "tue,thu 13:30-15:45", "sun 02:30-05:00"]
    ),
    "timezone": st.sampled_from(["Europe/Amsterdam", "Asia/Kathmandu", "UTC", "America/Santiago"]),
}


@st.composite
def options(draw: st.DrawFn, keys: st.SearchStrategy[list[str]]) -> dict[str, str]:
    return {key: draw(THRESHOLDS[key]) for key in draw(keys)}


KEYS = st.lists(st.sampled_from(sorted(THRESHOLDS)), unique=True)
OFFSET = st.integers(0, 40 * 24 * 3600 * 1000).map(lambda ms: timedelta(milliseconds=ms))
SMALL = st.sampled_from(
    [timedelta(0), -MS, MS, timedelta(minutes=30), timedelta(hours=2), timedelta(hours=25)]
)
GAP = st.one_of(
    SMALL, st.integers(-3600_000, 5 * 24 * 3600_000).map(lambda ms: timedelta(milliseconds=ms))
)
TEXT = st.sampled_from(
    ["Thanks!", "Any news?", "> Is it down?\nNo, it works.", "See `a?b`", "Why though?", ""]
)


@dataclass
class ThreadSpec:
    remote_id: str
    container: int
    created_at: datetime
    resolved: bool
    closed: bool
    posts: list[RemotePost]
    triage: Triage | None
    late_page: set[str] = field(default_factory=set)
    """Posts that arrive in a second page."""


@st.composite
def thread_specs(draw: st.DrawFn, index: int) -> ThreadSpec:
    tid = f"t{index}"
    created = BASE + draw(OFFSET)
    posts: list[RemotePost] = []
    if draw(st.integers(0, 9)):  # now and then the root is not stored at all
        author = draw(st.sampled_from(PEOPLE))
        reactors = draw(st.lists(st.sampled_from(PEOPLE), max_size=2))
        posts.append(
            RemotePost(
                f"{tid}-0",
                tid,
                author.remote_id,
                created,
                draw(TEXT),
                is_root=True,
                deleted=draw(st.integers(0, 9)) == 0,
                reactions=tuple(Reaction(p.remote_id, "👍") for p in reactors),
            )
        )
    at = created
    for n in range(1, draw(st.integers(0, 6)) + 1):
        at = at + draw(GAP)
        posts.append(
            RemotePost(
                f"{tid}-{n}",
                tid,
                draw(st.sampled_from(PEOPLE)).remote_id,
                at,
                draw(TEXT),
                kind=draw(
                    st.sampled_from(
                        [PostKind.REGULAR] * 5
                        + [PostKind.WHISPER, PostKind.SMALL_ACTION, PostKind.NOTICE]
                    )
                ),
                by_bot=draw(st.integers(0, 7)) == 0,
                deleted=draw(st.integers(0, 6)) == 0,
            )
        )
    triage = draw(
        st.one_of(
            st.none(),
            st.builds(
                Triage,
                status=st.sampled_from(TriageStatus),
                status_at=st.just(created) | OFFSET.map(lambda d: BASE + d),
                snooze_until=st.none() | OFFSET.map(lambda d: BASE + d),
                snooze_until_reply=st.booleans(),
            ),
        )
    )
    return ThreadSpec(
        remote_id=tid,
        container=draw(st.integers(0, 1)),
        created_at=created,
        resolved=draw(st.integers(0, 7)) == 0,
        closed=draw(st.integers(0, 7)) == 0,
        posts=posts,
        triage=triage,
        late_page={p.remote_id for p in posts if draw(st.booleans())},
    )


@dataclass
class World:
    kind: PlatformKind
    account: dict[str, str]
    container: dict[str, str]
    team: tuple[str, ...]
    threads: list[ThreadSpec]
    now: datetime
    second_page_at: datetime
    """When the second page is stored: after the triage statuses were set."""


@st.composite
def worlds(draw: st.DrawFn) -> World:
    count = draw(st.integers(1, 6))
    return World(
        kind=draw(st.sampled_from(PlatformKind)),
        account=draw(options(KEYS)),
        container=draw(options(KEYS)),
        team=tuple(draw(st.lists(st.sampled_from(TEAM_HANDLES), unique=True, max_size=3))),
        threads=[draw(thread_specs(i)) for i in range(count)],
        now=BASE + draw(OFFSET) + draw(SMALL),
        second_page_at=BASE + draw(OFFSET),
    )


# --- the Python side: straight from the posts -------------------------------------------------


def python_thresholds(world: World, container: int) -> Thresholds:
    merged = {**world.account, **(world.container if container == 1 else {})}
    values = {
        key: setting.parse(merged[key]) if key in merged else setting.default
        for key, setting in config.ALL_SETTINGS.items()
        if key in THRESHOLDS
    }
    return Thresholds.build(
        unanswered_after_hours=values["unanswered_after_hours"],
        stalled_after_hours=values["stalled_after_hours"],
        abandoned_after_days=values["abandoned_after_days"],
        sla_hours=values["sla_hours"],
        business_hours=values["business_hours"],
        tz=ZoneInfo(values["timezone"] or "UTC"),
        platform_kind=world.kind,
    )


def python_team(world: World) -> set[str]:
    """Remote ids of "us": the account's own user and the team handles (any letter case)."""
    handles = {h.casefold() for h in world.team}
    return {ME.remote_id} | {p.remote_id for p in PEOPLE if p.handle.casefold() in handles}


def expected(world: World) -> dict[str, tuple[State, TriageStatus, int]]:
    ids = {p.remote_id: n for n, p in enumerate(PEOPLE)}
    bots = {p.remote_id for p in PEOPLE if p.is_bot}
    team = {ids[r] for r in python_team(world)}
    first_post: dict[str, datetime] = {}
    for spec in world.threads:
        for p in spec.posts:
            if not p.deleted:
                first_post[p.author_remote_id] = min(
                    first_post.get(p.author_remote_id, p.created_at), p.created_at
                )
    out = {}
    for spec in world.threads:
        facts = compute_facts(
            [
                PostFact(
                    author_id=ids[p.author_remote_id],
                    created_at=p.created_at,
                    is_root=p.is_root,
                    kind=p.kind,
                    deleted=p.deleted,
                    human=not (p.by_bot or p.author_remote_id in bots)
                    and p.kind is not PostKind.NOTICE,
                    asks_question=asks_question(p.text),
                    acked_by_other=any(
                        r.person_remote_id != p.author_remote_id for r in p.reactions
                    ),
                    arrived_at=world.second_page_at if p.remote_id in spec.late_page else BASE,
                )
                for p in spec.posts
            ],
            team,
            spec.created_at,
        )
        deadlines = compute_deadlines(facts, python_thresholds(world, spec.container))
        state = thread_state(facts, deadlines, resolved=spec.resolved or spec.closed, now=world.now)
        status = effective_status(spec.triage or Triage(), facts.last_nonteam_arrival_at, world.now)
        root = next((p for p in spec.posts if p.is_root), None)
        newcomer = (
            root is not None
            and root.author_remote_id in first_post
            and first_post[root.author_remote_id] >= root.created_at
        )
        reasons = explain(state, facts, deadlines, world.now, by_newcomer=newcomer)
        out[spec.remote_id] = (state, status, priority(reasons))
    return out


# --- the store side -------------------------------------------------------------------------

_accounts = itertools.count()


def load(store: Store, world: World) -> tuple[int, str, dict[str, int]]:
    name = f"acct{next(_accounts)}"
    account = store.accounts.add(
        name=name,
        platform="demo",
        platform_kind=world.kind,
        url=None,
        username=None,
        options={**world.account, **({"team": ",".join(world.team)} if world.team else {})},
        now=BASE,
    )
    store.accounts.set_own_person(account.id, ME.remote_id)
    threads = tuple(
        RemoteThread(
            spec.remote_id,
            CONTAINERS[spec.container].remote_id,
            spec.created_at,
            resolved=spec.resolved,
            closed=spec.closed,
        )
        for spec in world.threads
    )
    first = [p for spec in world.threads for p in spec.posts if p.remote_id not in spec.late_page]
    late = [p for spec in world.threads for p in spec.posts if p.remote_id in spec.late_page]
    store.ingest.page(
        account.id,
        Page(
            "*", {"n": 1}, containers=CONTAINERS, people=PEOPLE, threads=threads, posts=tuple(first)
        ),
        BASE,
    )
    thread_ids = {}
    for spec in world.threads:
        tid = store.threads.resolve(f"{name}/{spec.remote_id}")
        assert tid is not None
        thread_ids[spec.remote_id] = tid
        t = spec.triage
        if t is not None and t.status_at is not None:
            store.triage.set_status(
                [tid],
                t.status,
                now=t.status_at,
                user_id=None,
                snooze_until=t.snooze_until,
                until_reply=t.snooze_until_reply,
            )
    # Posts that arrive after the statuses were set, some of them written before.
    store.ingest.page(account.id, Page("*", {"n": 2}, posts=tuple(late)), world.second_page_at)
    container_ids = {c.remote_id: c.id for c in store.accounts.containers(account.id)}
    if world.container:
        store.accounts.set_container_options(container_ids["c2"], world.container)
    store.recompute_account(account.id)
    return account.id, name, thread_ids


def sql_evaluation(store: Store, account_id: int, now: datetime) -> dict[int, tuple[str, str, int]]:
    now_ms = to_ms(now)
    state = state_expr(now_ms)
    stmt = (
        select(s.threads.c.id, state, status_expr(now_ms), priority_expr(state, now_ms))
        .select_from(s.threads.outerjoin(s.triage, s.triage.c.thread_id == s.threads.c.id))
        .where(s.threads.c.account_id == account_id)
    )
    with store.db.read() as conn:
        return {row[0]: (row[1], row[2], row[3]) for row in conn.execute(stmt)}


def normalized_triage(spec: ThreadSpec) -> None:
    # What the store keeps of a status: a snooze time only while snoozed, until-reply likewise.
    t = spec.triage
    if t is None:
        return
    snoozed = t.status is TriageStatus.SNOOZED
    spec.triage = Triage(
        t.status,
        t.status_at,
        t.snooze_until if snoozed else None,
        t.snooze_until_reply and snoozed,
    )


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(world=worlds())
def test_sql_rules_equal_python_rules(store: Store, world: World) -> None:
    for spec in world.threads:
        normalized_triage(spec)
    account_id, name, thread_ids = load(store, world)
    want = expected(world)
    got = sql_evaluation(store, account_id, world.now)
    for remote_id, tid in thread_ids.items():
        state, status, prio = want[remote_id]
        assert got[tid] == (state.value, status.value, prio), remote_id

    # The read model the CLI and the window use agrees as well.
    items = {i.id: i for i in store.queue.items(list(thread_ids.values()), world.now)}
    for remote_id, tid in thread_ids.items():
        state, status, prio = want[remote_id]
        assert (items[tid].state, items[tid].status, items[tid].priority) == (state, status, prio)

    # And the default queue is exactly the open threads in a queue state, most urgent first.
    queue = list(store.queue.ids(QueueQuery(account=name), world.now))
    expected_members = {
        thread_ids[rid]
        for rid, (state, status, _) in want.items()
        if state in QUEUE_STATES and status is TriageStatus.OPEN
    }
    assert set(queue) == expected_members
    priorities = [want[rid][2] for tid in queue for rid, t in thread_ids.items() if t == tid]
    assert priorities == sorted(priorities, reverse=True)

    # The sidebar's per-community counts are the same members, by community.
    local = {c.remote_id: c.id for c in store.accounts.containers(account_id)}
    members = Counter(
        local[CONTAINERS[spec.container].remote_id]
        for spec in world.threads
        if thread_ids[spec.remote_id] in expected_members
    )
    counted = store.queue.container_counts(world.now)
    assert {cid: counted.get(cid, 0) for cid in local.values()} == {
        cid: members.get(cid, 0) for cid in local.values()
    }
