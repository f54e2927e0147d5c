"""Generates the demo intranet: months of threads from a fixed seed, anchored at a moment.

The same seed and anchor always give the same world. Posts dated after the anchor are the
platform's future: a sync reveals them as the clock passes their time, so the demo keeps moving.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cm_console.connectors.demo import scenarios as sc
from cm_console.domain.model import PostKind, utc

TZ = ZoneInfo("Europe/Amsterdam")
HISTORY_DAYS = 150
REACTIONS = ("👍", "❤️", "🎉", "🙏", "👀")


@dataclass(frozen=True, slots=True)
class DemoPost:
    remote_id: str
    thread_id: str
    author: str
    created_at: datetime
    text: str
    is_root: bool = False
    kind: PostKind = PostKind.REGULAR
    reactions: tuple[tuple[str, str], ...] = ()
    edited_at: datetime | None = None
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class DemoThread:
    remote_id: str
    community: str
    title: str
    created_at: datetime
    lang: str
    resolved: bool = False
    closed: bool = False
    accepted_post: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class DemoWorld:
    """Everything the simulated platform holds, generated (not user-written) content only."""

    seed: int
    anchor: datetime
    threads: dict[str, DemoThread] = field(default_factory=dict)
    posts: list[DemoPost] = field(default_factory=list)
    """Sorted by (created_at, remote_id)."""

    def thread_posts(self, thread_id: str) -> list[DemoPost]:
        return [p for p in self.posts if p.thread_id == thread_id]


class _Builder:
    def __init__(self, seed: int, anchor: datetime) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo content, not security
        self.anchor = utc(anchor).replace(second=0, microsecond=0)
        self.world = DemoWorld(seed=seed, anchor=self.anchor)
        self.counter = 0
        self.by_community: dict[str, list[sc.Scenario]] = {}
        for scenario in sc.SCENARIOS:
            self.by_community.setdefault(scenario.community, []).append(scenario)
        self.experts: dict[str, list[sc.DemoPerson]] = {
            c.key: [p for p in sc.PEOPLE if c.key in p.expertise] for c in sc.COMMUNITIES
        }
        self.team = [p for p in sc.PEOPLE if p.team]

    # --- helpers -------------------------------------------------------------------------------

    def _local_time(self, day: datetime, hour_lo: int = 8, hour_hi: int = 18) -> datetime:
        local_day = day.astimezone(TZ).date()
        hour = self.rng.randint(hour_lo, hour_hi - 1)
        minute = self.rng.randint(0, 59)
        return datetime(local_day.year, local_day.month, local_day.day, hour, minute, tzinfo=TZ)

    def _delay(self, mean_hours: float, lo: float = 0.1, hi: float = 40.0) -> timedelta:
        hours = min(hi, max(lo, self.rng.expovariate(1 / mean_hours)))
        return timedelta(hours=hours)

    def _author_for(self, community: str) -> sc.DemoPerson:
        experts = {p.remote_id for p in self.experts.get(community, [])}
        pool = [p for p in sc.EMPLOYEES if p.remote_id not in experts]
        return self.rng.choice(pool)

    def _expert_for(self, community: str, exclude: str) -> sc.DemoPerson:
        pool = [p for p in self.experts.get(community, []) if p.remote_id != exclude]
        if not pool:
            pool = [p for p in sc.EMPLOYEES if p.remote_id != exclude]
        # The first expert of a community carries most of the load: realistic, and it is what
        # load balancing in expert suggestions has to counter.
        weights = [3 if i == 0 else 1 for i in range(len(pool))]
        return self.rng.choices(pool, weights=weights)[0]

    def _peer(self, exclude: set[str]) -> sc.DemoPerson:
        return self.rng.choice([p for p in sc.EMPLOYEES if p.remote_id not in exclude])

    def _reactions(self, author: str, n: int) -> tuple[tuple[str, str], ...]:
        people = [p.remote_id for p in sc.EMPLOYEES if p.remote_id != author]
        chosen = self.rng.sample(people, k=min(n, len(people)))
        return tuple((pid, self.rng.choice(REACTIONS)) for pid in chosen)

    def _new_thread(self, scenario: sc.Scenario, created: datetime, **kwargs: object) -> DemoThread:
        self.counter += 1
        tid = f"t{self.counter:04d}"
        thread = DemoThread(
            remote_id=tid,
            community=scenario.community,
            title=scenario.title,
            created_at=utc(created),
            lang=scenario.lang,
            **kwargs,  # type: ignore[arg-type]
        )
        self.world.threads[tid] = thread
        return thread

    def _post(
        self, thread: DemoThread, index: int, author: str, at: datetime, text: str, **kwargs: object
    ) -> DemoPost:
        post = DemoPost(
            remote_id=f"{thread.remote_id}-{index}",
            thread_id=thread.remote_id,
            author=author,
            created_at=utc(at),
            text=text,
            **kwargs,  # type: ignore[arg-type]
        )
        self.world.posts.append(post)
        return post

    # --- shapes --------------------------------------------------------------------------------

    def thread(self, scenario: sc.Scenario, created: datetime, shape: str) -> None:
        community = scenario.community
        if community == "news":
            self._broadcast(scenario, created)
            return
        author = self._author_for(community)
        expert = self._expert_for(community, author.remote_id)
        lang = scenario.lang
        accepted = None
        thread = self._new_thread(scenario, created, tags=self._tags(community))
        root_reactions: tuple[tuple[str, str], ...] = ()
        if shape == "acknowledged":
            root_reactions = self._reactions(author.remote_id, self.rng.randint(1, 3))
        edited = created + timedelta(minutes=7) if self.rng.random() < 0.06 else None
        self._post(
            thread,
            0,
            author.remote_id,
            created,
            scenario.root,
            is_root=True,
            reactions=root_reactions,
            edited_at=edited,
        )
        at = created
        n = 1
        if shape in ("unanswered", "acknowledged", "bumped"):
            if community == "it" and self.rng.random() < 0.25:
                at += timedelta(minutes=3)
                self._post(thread, n, "u-statusbot", at, sc.BOT_NOTES[lang], kind=PostKind.NOTICE)
                n += 1
            if shape == "bumped":
                at += self._delay(20, lo=4)
                self._post(thread, n, author.remote_id, at, self.rng.choice(sc.ROOT_BUMPS[lang]))
            return
        if self.rng.random() < 0.25:
            at += self._delay(2)
            self._post(
                thread,
                n,
                self._peer({author.remote_id, expert.remote_id}).remote_id,
                at,
                sc.PEER_ACKS[lang],
            )
            n += 1
        if shape == "awaiting":
            at += self._delay(3)
            self._post(thread, n, self.rng.choice(self.team).remote_id, at, sc.TEAM_ACKS[lang])
            at += self._delay(6, lo=0.5)
            self._post(thread, n + 1, author.remote_id, at, scenario.follow_up)
            return
        at += self._delay(5)
        if shape == "stalled_question":
            self._post(thread, n, expert.remote_id, at, scenario.open_reply)
            return
        answer = self._post(
            thread,
            n,
            expert.remote_id,
            at,
            scenario.answer,
            reactions=self._reactions(expert.remote_id, self.rng.randint(0, 2)),
        )
        n += 1
        if shape == "stalled_followup":
            at += self._delay(8, lo=1)
            self._post(thread, n, author.remote_id, at, scenario.follow_up)
            return
        if shape == "resolved":
            accepted = answer.remote_id
            if scenario.thanks:
                at += self._delay(2)
                self._post(thread, n, author.remote_id, at, scenario.thanks)
            self.world.threads[thread.remote_id] = DemoThread(
                thread.remote_id,
                thread.community,
                thread.title,
                thread.created_at,
                lang,
                resolved=True,
                accepted_post=accepted,
                tags=thread.tags,
            )
            return
        if shape == "deleted_reply":
            at += self._delay(1)
            peer = self._peer({author.remote_id, expert.remote_id})
            self._post(thread, n, peer.remote_id, at, sc.PEER_ACKS[lang], deleted=True)

    def _broadcast(self, scenario: sc.Scenario, created: datetime) -> None:
        author = self.rng.choice(self.team)
        thread = self._new_thread(scenario, created)
        self._post(
            thread,
            0,
            author.remote_id,
            created,
            scenario.root,
            is_root=True,
            reactions=self._reactions(author.remote_id, self.rng.randint(2, 9)),
        )
        if self.rng.random() < 0.2:
            # Now and then an employee answers a broadcast: the team owes a response.
            peer = self._peer({author.remote_id})
            reply = (
                "Wanneer horen we meer over de details?"
                if scenario.lang == "nl"
                else "When will we hear more about the details?"
            )
            self._post(thread, 1, peer.remote_id, created + self._delay(5), reply)

    def _tags(self, community: str) -> tuple[str, ...]:
        if community == "webshop" and self.rng.random() < 0.5:
            return ("incident",)
        if community == "ideas":
            return ("idea",)
        return ()


_RECENT_SHAPES = (
    ("answered", 30),
    ("resolved", 16),
    ("unanswered", 14),
    ("acknowledged", 5),
    ("bumped", 5),
    ("stalled_question", 10),
    ("stalled_followup", 7),
    ("awaiting", 9),
    ("deleted_reply", 4),
)
_OLD_SHAPES = (
    ("answered", 45),
    ("resolved", 30),
    ("unanswered", 10),
    ("stalled_question", 8),
    ("stalled_followup", 4),
    ("deleted_reply", 3),
)


def build_world(seed: int, anchor: datetime) -> DemoWorld:
    """The demo intranet for ``seed`` anchored at ``anchor`` (deterministic)."""
    b = _Builder(seed, anchor)
    rng = b.rng
    communities = list(sc.COMMUNITIES)
    weights = [c.weight for c in communities]
    for days_ago in range(HISTORY_DAYS, 0, -1):
        day = b.anchor - timedelta(days=days_ago)
        local = day.astimezone(TZ)
        weekend = local.weekday() >= 5
        count = rng.randint(0, 1) if weekend else rng.randint(3, 6)
        shapes = _RECENT_SHAPES if days_ago <= 21 else _OLD_SHAPES
        for _ in range(count):
            community = rng.choices(communities, weights=weights)[0]
            scenario = rng.choice(b.by_community[community.key])
            created = b._local_time(day)
            shape = rng.choices([s for s, _ in shapes], weights=[w for _, w in shapes])[0]
            b.thread(scenario, created, shape)
    # Fresh today: a couple of posts younger than the unanswered threshold, and the future.
    for minutes_ago in (25, 70):
        community = rng.choices(communities[:-1], weights=weights[:-1])[0]
        b.thread(
            rng.choice(b.by_community[community.key]),
            b.anchor - timedelta(minutes=minutes_ago),
            "unanswered",
        )
    for hours_ahead in (0.5, 1.5, 3, 5, 20, 26, 30, 50):
        community = rng.choices(communities, weights=weights)[0]
        shape = rng.choice(("unanswered", "answered", "stalled_question"))
        b.thread(
            rng.choice(b.by_community[community.key]),
            b.anchor + timedelta(hours=hours_ahead),
            shape,
        )
    b.world.posts.sort(key=lambda p: (p.created_at, p.remote_id))
    return b.world
