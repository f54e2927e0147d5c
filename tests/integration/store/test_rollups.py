"""Insights' running totals stay equal to a recount from the posts, on both engines.

Random sequences of what ingest does — new posts, re-synced and edited posts (text, time, author,
kind, bot mark, deletion, root mark), posts moved to another thread, tombstones, threads whose
start or community changes, duplicate deliveries, replayed pages, people marked as bots, a
recompute of the whole account — and at the end ``activity_hours`` and ``reply_weeks`` hold
exactly what counting the stored posts gives, and the metrics built on them (whole hours and
weeks from the totals, the cut-off ends from the posts) equal a count of the posts for any period.
Consoles writing the same threads at the same time (team mode on PostgreSQL) keep them exact too,
and removing an account removes its totals.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from cm_console.domain.metrics import MetricsScope
from cm_console.domain.model import (
    Page,
    PlatformKind,
    PostKind,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
)
from cm_console.store import Database, Store, rollups
from cm_console.store import metrics as sm
from cm_console.store import schema as s
from cm_console.store.convert import from_ms, to_ms
from cm_console.store.ingest import ingest_page

BASE = datetime(2026, 3, 23, 7, 30, tzinfo=UTC)  # a Monday, a week before the DST change
H = timedelta(hours=1)
ME = RemotePerson("u-me", "me", "Community Manager")
ALICE = RemotePerson("u-alice", "alice", "Alice")
BOB = RemotePerson("u-bob", "bob", "Bob")
CAROL = RemotePerson("u-carol", "carol", "Carol")
BOT = RemotePerson("u-bot", "bot", "Deploy Bot", is_bot=True)
PEOPLE = (ME, ALICE, BOB, CAROL, BOT)
CONTAINERS = (RemoteContainer("c1", "Help"), RemoteContainer("c2", "Ideas"))
THREADS = ("t0", "t1", "t2", "t3")
POSTS = tuple(f"p{n}" for n in range(10))
KINDS = [PostKind.REGULAR] * 6 + [PostKind.WHISPER, PostKind.SMALL_ACTION, PostKind.NOTICE]

# Times up to three weeks after BASE, on odd minutes and on the hour: weeks and hours are cut
# at their edges too.
AT = st.one_of(
    st.integers(0, 21 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m)),
    st.integers(0, 21 * 24).map(lambda h: BASE.replace(minute=0) + h * H),
)

# Each example writes a new account into the test's database (no fresh fixture per example).
EXAMPLES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)


@st.composite
def post_states(draw: st.DrawFn, remote_id: str) -> RemotePost:
    return RemotePost(
        remote_id,
        draw(st.sampled_from(THREADS)),
        draw(st.sampled_from(PEOPLE)).remote_id,
        draw(AT),
        draw(st.sampled_from(["Hello", "Any news?", "Fixed.", ""])),
        is_root=draw(st.integers(0, 3)) == 0,
        kind=draw(st.sampled_from(KINDS)),
        by_bot=draw(st.integers(0, 9)) == 0,
        deleted=draw(st.integers(0, 7)) == 0,
    )


@st.composite
def thread_states(draw: st.DrawFn, remote_id: str) -> RemoteThread:
    return RemoteThread(
        remote_id,
        draw(st.sampled_from(CONTAINERS)).remote_id,
        draw(AT),
        resolved=draw(st.booleans()),
    )


@dataclass(frozen=True)
class Step:
    """One thing ingest is asked to do."""

    kind: str  # "page", "tombstone", "replay", "recompute", "bot"
    posts: tuple[RemotePost, ...] = ()
    threads: tuple[RemoteThread, ...] = ()
    deleted: tuple[str, ...] = ()
    bots: frozenset[str] = frozenset()


@st.composite
def steps(draw: st.DrawFn) -> Step:
    kind = draw(st.sampled_from(["page"] * 6 + ["tombstone", "replay", "recompute", "bot"]))
    if kind == "page":
        ids = draw(st.lists(st.sampled_from(POSTS), min_size=1, max_size=6))  # repeats: dupes
        threads = draw(st.lists(st.sampled_from(THREADS), unique=True, max_size=2))
        return Step(
            kind,
            posts=tuple(draw(post_states(i)) for i in ids),
            threads=tuple(draw(thread_states(t)) for t in threads),
        )
    if kind == "tombstone":
        return Step(kind, deleted=tuple(draw(st.lists(st.sampled_from(POSTS), min_size=1))))
    if kind == "bot":
        return Step(
            kind, bots=frozenset(p.remote_id for p in draw(st.lists(st.sampled_from(PEOPLE[1:4]))))
        )
    return Step(kind)


class Workspace:
    """Applies steps to one account, the way a sync would deliver them."""

    _names = itertools.count()

    def __init__(self, store: Store, rng: random.Random) -> None:
        self.store = store
        self.name = f"acct{next(self._names)}"
        account = store.accounts.add(
            name=self.name,
            platform="demo",
            platform_kind=PlatformKind.FORUM,
            url=None,
            username=None,
            options={"timezone": "UTC"},
            now=BASE,
        )
        store.accounts.set_own_person(account.id, ME.remote_id)
        self.account = account.id
        self.threads = {t: RemoteThread(t, "c1", BASE + rng.randrange(48) * H) for t in THREADS}
        self.people = {p.remote_id: p for p in PEOPLE}
        self.last: Page | None = None
        self.now = BASE

    def ingest(self, page: Page) -> None:
        self.now += timedelta(minutes=1)
        self.store.ingest.page(self.account, page, self.now)
        self.last = page

    def apply(self, step: Step) -> None:
        if step.kind == "page":
            for thread in step.threads:
                self.threads[thread.remote_id] = thread
            self.ingest(
                Page(
                    "*",
                    None,
                    containers=CONTAINERS,
                    people=tuple(self.people.values()),
                    threads=tuple(self.threads.values()),
                    posts=step.posts,
                )
            )
        elif step.kind == "tombstone":
            self.ingest(Page("*", None, deleted_post_ids=step.deleted))
        elif step.kind == "replay" and self.last is not None:
            self.ingest(self.last)
        elif step.kind == "recompute":
            self.store.recompute_account(self.account)
        elif step.kind == "bot":
            for person in PEOPLE[1:4]:
                self.people[person.remote_id] = replace(
                    person, is_bot=person.remote_id in step.bots
                )
            self.ingest(Page("*", None, people=tuple(self.people.values())))


# --- the recount --------------------------------------------------------------------------------

p, t = s.posts.c, s.threads.c
HUMAN = (p.deleted_at.is_(None), ~p.by_bot, p.kind == PostKind.REGULAR.value)


def recount(store: Store, account_id: int) -> tuple[Counter[int], Counter[tuple[int, int]]]:
    """Posts per hour and qualifying replies per (author, week), counted in the posts."""
    with store.db.read() as conn:
        posts = conn.execute(select(p.created_at).where(p.account_id == account_id, *HUMAN))
        hours = Counter(rollups.hour_of(at) for (at,) in posts)
        replies = conn.execute(
            select(p.author_id, p.created_at)
            .join(s.threads, t.id == p.thread_id)
            .where(
                p.account_id == account_id,
                *HUMAN,
                ~p.is_root,
                (t.root_author_id.is_(None)) | (p.author_id != t.root_author_id),
                p.created_at > t.created_at,
            )
        )
        weeks = Counter((author, rollups.week_of(at)) for author, at in replies)
    return hours, weeks


def totals(store: Store, account_id: int) -> tuple[Counter[int], Counter[tuple[int, int]]]:
    """What the running totals hold (rows at zero are left out: nothing is counted there)."""
    ah, rw = s.activity_hours.c, s.reply_weeks.c
    with store.db.read() as conn:
        hours = Counter(
            dict(conn.execute(select(ah.hour, ah.posts).where(ah.account_id == account_id)).all())
        )
        weeks = Counter(
            {
                (a, w): n
                for a, w, n in conn.execute(
                    select(rw.author_id, rw.week, rw.replies).where(rw.account_id == account_id)
                )
            }
        )
    assert min([*hours.values(), *weeks.values(), 0]) >= 0, "a total went below zero"
    return +hours, +weeks


def assert_exact(store: Store, account_id: int) -> None:
    assert totals(store, account_id) == recount(store, account_id)


# --- the properties -----------------------------------------------------------------------------


@EXAMPLES
@given(st.lists(steps(), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_the_totals_equal_a_recount_after_any_ingest(
    store: Store, plan: list[Step], rng: random.Random
) -> None:
    workspace = Workspace(store, rng)
    for step in plan:
        workspace.apply(step)
    assert_exact(store, workspace.account)


PERIOD_END = st.integers(-2 * 24 * 60, 24 * 24 * 60).map(lambda m: BASE + timedelta(minutes=m))


def _posts_per_hour(conn: Any, account_id: int, lo: int, hi: int) -> dict[int, int]:
    rows = conn.execute(
        select(p.created_at).where(
            p.account_id == account_id, p.created_at >= lo, p.created_at < hi, *HUMAN
        )
    )
    return dict(Counter(rollups.hour_of(at) // rollups.HOUR_MS for (at,) in rows))


@EXAMPLES
@given(
    st.lists(steps(), min_size=1, max_size=8),
    st.randoms(use_true_random=False),
    st.lists(st.tuples(PERIOD_END, PERIOD_END, st.integers(0, 59_999)), min_size=1, max_size=6),
)
def test_metrics_on_the_totals_equal_a_count_of_the_posts(
    store: Store,
    plan: list[Step],
    rng: random.Random,
    periods: list[tuple[datetime, datetime, int]],
) -> None:
    """Whole hours and weeks from the totals, the ends from the posts: for any period, the same
    answer as counting the period's posts (what a single community's figures still do)."""
    workspace = Workspace(store, rng)
    for step in plan:
        workspace.apply(step)
    for a, b, ms in periods:
        since, until = min(a, b), max(a, b) + timedelta(milliseconds=ms + 1)
        scope = MetricsScope(since, until, until, account_id=workspace.account)
        everyone = MetricsScope(since, until, until)
        lo, hi = to_ms(since), to_ms(until)
        with store.db.read() as conn:
            hours = _posts_per_hour(conn, workspace.account, lo, hi)
            replies = +Counter(sm._replies_in_posts(conn, scope, lo, hi, scan=True))
            assert dict(sm.hour_counts(conn, scope)) == hours
            assert +sm.reply_counts(conn, scope) == replies
            # Every account at once: the other examples' accounts add theirs.
            for hour, n in hours.items():
                assert dict(sm.hour_counts(conn, everyone))[hour] >= n
            assert +sm.reply_counts(conn, everyone) == +Counter(
                sm._replies_in_posts(conn, everyone, lo, hi, scan=True)
            )


def test_week_and_hour_starts() -> None:
    monday = to_ms(datetime(2026, 3, 23, tzinfo=UTC))
    assert rollups.week_of(monday) == monday
    assert rollups.week_of(monday - 1) == monday - rollups.WEEK_MS
    assert rollups.week_of(monday + rollups.WEEK_MS - 1) == monday
    assert from_ms(rollups.week_of(0)) == datetime(1969, 12, 29, tzinfo=UTC)
    assert from_ms(rollups.week_of(-1)) == datetime(1969, 12, 29, tzinfo=UTC)
    assert rollups.hour_of(-1) == -rollups.HOUR_MS
    assert rollups.next_week(monday) == monday
    assert rollups.next_week(monday + 1) == monday + rollups.WEEK_MS
    assert rollups.next_hour(monday + 1) == monday + rollups.HOUR_MS


def test_removing_an_account_removes_its_totals(store: Store) -> None:
    rng = random.Random(7)
    kept, removed = Workspace(store, rng), Workspace(store, rng)
    for workspace in (kept, removed):
        workspace.apply(
            Step(
                "page",
                posts=tuple(
                    RemotePost(f"p{n}", THREADS[n % 4], PEOPLE[n % 4].remote_id, BASE + n * H, "x")
                    for n in range(8)
                ),
            )
        )
    assert totals(store, removed.account) != (Counter(), Counter())
    assert store.accounts.remove(removed.name)
    with store.db.read() as conn:
        for table in (s.activity_hours, s.reply_weeks):
            left = conn.execute(
                select(func.count()).select_from(table).where(table.c.account_id == removed.account)
            ).scalar()
            assert left == 0
        orphans = conn.execute(
            select(func.count())
            .select_from(s.tallied_posts)
            .outerjoin(s.posts, p.id == s.tallied_posts.c.post_id)
            .where(p.id.is_(None))
        ).scalar()
        assert orphans == 0
    assert_exact(store, kept.account)


# --- consoles writing at the same time ----------------------------------------------------------

WRITERS = 3
PAGES = 12


def _writer(url: str, account_id: int, seed: int, start: threading.Barrier, out: list[Any]) -> None:
    """One console: pages that write the same posts as the others, each retried until it is
    stored (a unique key taken meanwhile, or a deadlock, fails a page; a sync retries it)."""
    store = Store(Database(url))
    rng = random.Random(seed)
    retries = 0
    try:
        start.wait(timeout=60)
        for n in range(PAGES):
            posts = tuple(
                RemotePost(
                    rng.choice(POSTS),
                    rng.choice(THREADS),
                    rng.choice(PEOPLE).remote_id,
                    BASE + timedelta(minutes=rng.randrange(21 * 24 * 60)),
                    f"{seed}-{n}",
                    is_root=rng.random() < 0.2,
                    kind=rng.choice(KINDS),
                    deleted=rng.random() < 0.1,
                )
                for _ in range(rng.randrange(1, 6))
            )
            threads = tuple(
                RemoteThread(tid, rng.choice(CONTAINERS).remote_id, BASE + rng.randrange(72) * H)
                for tid in rng.sample(THREADS, rng.randrange(0, 3))
            )
            deleted = tuple(rng.sample(POSTS, 1)) if rng.random() < 0.2 else ()
            page = Page("*", None, threads=threads, posts=posts, deleted_post_ids=deleted)
            last: BaseException | None = None
            for _attempt in range(50):
                try:
                    store.ingest.page(account_id, page, BASE + timedelta(days=30))
                    break
                except Exception as exc:  # a unique key taken meanwhile, or a deadlock
                    retries += 1
                    last = exc
                    # A sync tries again later, not at once: without the pause the same
                    # consoles collide on the same rows again and again.
                    time.sleep(rng.uniform(0.005, 0.05))
            else:
                raise AssertionError(f"a page never got stored: {last!r}")
        out.append(retries)
    except BaseException as exc:  # reported by the test
        out.append(exc)
    finally:
        store.close()


def _facts(store: Store, account_id: int) -> dict[int, tuple[Any, ...]]:
    with store.db.read() as conn:
        rows = conn.execute(
            select(
                t.id,
                t.root_author_id,
                t.first_reply_at,
                t.qualifying_reply_count,
                t.participant_count,
                t.turn_count,
            ).where(t.account_id == account_id)
        )
        return {r[0]: tuple(r[1:]) for r in rows}


def test_consoles_writing_the_same_threads_keep_the_totals_exact(db_url: str) -> None:
    store = Store(Database(db_url))
    try:
        workspace = Workspace(store, random.Random(1))
        workspace.ingest(
            Page(
                "*",
                None,
                containers=CONTAINERS,
                people=PEOPLE,
                threads=tuple(workspace.threads.values()),
                posts=tuple(
                    RemotePost(f"{tid}-root", tid, ALICE.remote_id, BASE, "Q?", is_root=True)
                    for tid in THREADS
                ),
            )
        )
        start = threading.Barrier(WRITERS)
        results: list[Any] = []
        writers = [
            threading.Thread(target=_writer, args=(db_url, workspace.account, seed, start, results))
            for seed in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=300)
        failures = [r for r in results if isinstance(r, BaseException)]
        assert not failures, failures
        assert len(results) == WRITERS
        assert_exact(store, workspace.account)
        # The threads' own facts agree with their posts as well: each recompute read the posts
        # after taking its threads (PostgreSQL), or alone (SQLite); recomputing changes nothing.
        before = _facts(store, workspace.account)
        store.recompute_account(workspace.account)
        assert _facts(store, workspace.account) == before
        assert_exact(store, workspace.account)
    finally:
        store.close()


def test_a_console_waits_for_another_writing_the_same_thread(db_url: str) -> None:
    """One console moves a thread's start past a reply (it stops counting) and has not committed
    yet; meanwhile another re-syncs that reply with a later time (it counts again). The second
    reads the thread only once the first has committed, so the reply is counted exactly once."""
    first, second = Store(Database(db_url)), Store(Database(db_url))
    try:
        workspace = Workspace(first, random.Random(2))
        thread = RemoteThread("t0", "c1", BASE)
        workspace.ingest(
            Page(
                "*",
                None,
                containers=CONTAINERS,
                people=PEOPLE,
                threads=(thread,),
                posts=(
                    RemotePost("p0", "t0", ALICE.remote_id, BASE, "Q?", is_root=True),
                    RemotePost("p1", "t0", BOB.remote_id, BASE + 2 * H, "A."),
                ),
            )
        )
        done = threading.Event()

        def resync_reply() -> None:
            later = RemotePost("p1", "t0", BOB.remote_id, BASE + 5 * H, "A.")
            second.ingest.page(workspace.account, Page("*", None, posts=(later,)), BASE + 9 * H)
            done.set()

        writer = threading.Thread(target=resync_reply)
        with first.db.write() as conn:
            moved = replace(thread, created_at=BASE + 3 * H)
            ingest_page(conn, workspace.account, Page("*", None, threads=(moved,)), BASE + 9 * H)
            writer.start()
            assert not done.wait(1.0), "the second console went ahead"
        writer.join(timeout=60)
        assert done.is_set()
        bob = _person_id(first, workspace.account, BOB)
        assert totals(first, workspace.account)[1] == Counter(
            {(bob, rollups.week_of(to_ms(BASE))): 1}
        )
        assert_exact(first, workspace.account)
    finally:
        second.close()
        first.close()


def _person_id(store: Store, account_id: int, person: RemotePerson) -> int:
    pe = s.people.c
    with store.db.read() as conn:
        return int(
            conn.execute(
                select(pe.id).where(pe.account_id == account_id, pe.remote_id == person.remote_id)
            ).scalar_one()
        )
