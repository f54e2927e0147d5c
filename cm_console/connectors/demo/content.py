"""Generates the demo intranet: months of threads from a fixed seed, anchored at a moment.

The same seed and anchor always give the same world. Posts dated after the anchor are the
platform's future: a sync reveals them as the clock passes their time, so the demo keeps moving.

Generation runs in three steps. A calendar lays out when threads start: working days and working
hours, Dutch public holidays and the summer and Christmas lull, busier and quieter communities.
A plan then gives every thread a *shape*, the course its conversation takes. The threads of the
last four weeks get their shapes by quota, so that under the default thresholds the queue at the
anchor holds a mix worth showing (about 45 % unanswered, 30 % stalled, 20 % awaiting us) whatever
the seed; older threads take their chances and mostly end up abandoned or resolved. Last, the
scenarios are dealt least recently used first, and never twice to threads that end up in the
queue, so the queue shows no title twice.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from operator import attrgetter
from zoneinfo import ZoneInfo

from cm_console import config
from cm_console.connectors.demo import scenarios as sc
from cm_console.domain.model import PostKind, utc
from cm_console.domain.rules import FORUM_STALLED_AFTER

TZ = ZoneInfo("Europe/Amsterdam")
HISTORY_DAYS = 150
QUEUE_WINDOW = timedelta(days=28)
"""Threads younger than this get their shapes by quota; older ones are history."""

# The default thresholds the quotas aim at (the demo account does not change them).
UNANSWERED_AFTER = timedelta(hours=config.UNANSWERED_AFTER_HOURS.default)
STALLED_AFTER = FORUM_STALLED_AFTER
ABANDONED_AFTER = timedelta(days=config.ABANDONED_AFTER_DAYS.default)

REACTIONS = ("👍", "❤️", "🎉", "🙏", "👀")
CHEERS = ("👍", "❤️", "🎉", "👏")

# --- shapes --------------------------------------------------------------------------------------
# Each shape leads to one state at the anchor under the default thresholds, as long as its posts
# fall where the plan puts them (``_deadline`` sees to that).

UNANSWERED_SHAPES = ("unanswered", "acknowledged", "bumped", "withdrawn_reply", "late_answer")
STALLED_SHAPES = ("stalled_question", "stalled_follow_up", "stalled_detail")
AWAITING_SHAPES = ("awaiting_ack", "awaiting_after_answer", "awaiting_routed", "news_awaiting")
QUEUE_SHAPES = frozenset(UNANSWERED_SHAPES + STALLED_SHAPES + AWAITING_SHAPES)

_UNANSWERED_MIX = (("unanswered", 9), ("acknowledged", 5), ("bumped", 4))
_STALLED_MIX = (("stalled_question", 5), ("stalled_follow_up", 4), ("stalled_detail", 3))
_AWAITING_MIX = (("awaiting_ack", 3), ("awaiting_after_answer", 2), ("awaiting_routed", 2))
_SETTLED_MIX = (
    ("answered", 44),
    ("answered_long", 10),
    ("answered_team", 8),
    ("deleted_reply", 3),
    ("resolved", 24),
    ("resolved_long", 5),
    ("closed", 3),
)
_OLD_MIX = (
    *_SETTLED_MIX,
    ("unanswered", 8),
    ("acknowledged", 2),
    ("bumped", 2),
    ("stalled_question", 5),
    ("stalled_follow_up", 4),
    ("awaiting_ack", 2),
)
_NEWS_MIX = (("broadcast", 70), ("news_answered", 25), ("news_awaiting", 5))
_FUTURE_SHAPES = ("unanswered", "answered", "answered_long", "stalled_question", "awaiting_ack")
"""Shapes for threads after the anchor (not resolved: the flag would show before the answer)."""

# --- rhythm --------------------------------------------------------------------------------------

_THREADS_PER_DAY = (5.2, 4.8, 4.6, 4.6, 3.6, 0.4, 0.3)
"""Expected new threads per weekday (Monday first) outside holidays."""
_START_HOURS = tuple(range(7, 22))
_HOUR_WEIGHTS = tuple(accumulate((1, 5, 9, 10, 8, 4, 7, 9, 8, 6, 3, 1, 1, 1, 1)))
"""When working-day threads start: busy mornings, a lunch dip, quiet evenings."""
_FIRST_RESPONSE_HOURS = {"it": 3.0, "hr": 6.0, "webshop": 1.5, "ideas": 16.0, "facilities": 5.0}
"""Mean time to the first expert reply per community: incidents go faster than ideas."""
_SEASON = {
    "webshop": {11: 1.6, 12: 1.6},
    "hr": {12: 1.4, 1: 1.4},
    "facilities": {6: 1.3, 7: 1.3, 8: 1.3},
}
"""Monthly multipliers on a community's weight: peak season, year end, summer heat."""
_NEWS_PER_WEEK = (1, 2, 2)
"""Announcements a week, drawn per week."""


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def dutch_holidays(year: int) -> frozenset[date]:
    """Public holidays most Dutch employers close on."""
    easter = _easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),
            kings_day,
            easter + timedelta(days=39),
            easter + timedelta(days=50),
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


# --- the world -----------------------------------------------------------------------------------


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
    attachments: tuple[str, ...] = ()


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


@dataclass(slots=True)
class _Slot:
    """A thread to be: when it starts, where, and the course it takes."""

    created: datetime
    community: str
    shape: str = ""
    author: str | None = None
    """A fixed root author (a newcomer's first post); otherwise one is drawn."""
    bot: bool = False
    """Automation posts a notice right after the root."""
    queue: bool = False
    """In the queue at the anchor, or later: its scenario is not dealt to another such thread."""


@dataclass(slots=True)
class _Draft:
    author: str
    at: datetime
    text: str
    kind: PostKind = PostKind.REGULAR
    reactions: tuple[tuple[str, str], ...] = ()
    deleted: bool = False
    edited: bool = False
    after_anchor: bool = False
    """Deliberately in the platform's future (an answer still to come)."""
    attachments: tuple[str, ...] = ()


class _Builder:
    def __init__(self, seed: int, anchor: datetime) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo content, not security
        self.anchor = utc(anchor).replace(second=0, microsecond=0)
        self.world = DemoWorld(seed=seed, anchor=self.anchor)
        self.counter = 0
        self.by_community: dict[str, list[sc.Scenario]] = {}
        for scenario in sc.SCENARIOS:
            self.by_community.setdefault(scenario.community, []).append(scenario)
        self.people = {p.remote_id: p for p in sc.PEOPLE}
        self.experts: dict[str, list[sc.DemoPerson]] = {}
        for c in sc.COMMUNITIES:
            lead = sc.LEAD_EXPERTS.get(c.key)
            pool = [p for p in sc.PEOPLE if c.key in p.expertise]
            # The lead expert first: the first of a pool carries most of the load.
            self.experts[c.key] = [p for p in pool if p.remote_id == lead] + [
                p for p in pool if p.remote_id != lead
            ]
        self.authors: dict[str, tuple[list[str], list[float]]] = {}
        for c in sc.COMMUNITIES:
            # Experts answer in their own community rather than ask; departments have affinities.
            affinity = sc.AUTHOR_AFFINITY.get(c.key, {})
            default = affinity.get("*", 1)
            pool = [p for p in sc.EMPLOYEES if c.key not in p.expertise]
            self.authors[c.key] = (
                [p.remote_id for p in pool],
                list(accumulate(affinity.get(p.department, default) for p in pool)),
            )
        self.team = [p.remote_id for p in sc.PEOPLE if p.team]
        self.employees = [p.remote_id for p in sc.EMPLOYEES]
        first = self.anchor.astimezone(TZ).year - 1
        self.holidays = frozenset(d for y in range(first, first + 3) for d in dutch_holidays(y))
        # Scenario indexes per community, least recently dealt first.
        self.lru = {k: self.rng.sample(range(len(v)), len(v)) for k, v in self.by_community.items()}
        self.in_queue: dict[str, set[int]] = {k: set() for k in self.by_community}

    # --- time ----------------------------------------------------------------------------------

    def _age(self, at: datetime) -> timedelta:
        return self.anchor - at

    def _workday(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def _day_rate(self, day: date) -> float:
        if day in self.holidays:
            return 0.35
        rate = _THREADS_PER_DAY[day.weekday()]
        if (day.month, day.day) >= (12, 24) or (day.month, day.day) == (1, 1):
            rate *= 0.45
        elif (7, 13) <= (day.month, day.day) <= (8, 23):
            rate *= 0.7
        return rate

    def _poisson(self, lam: float) -> int:
        limit, k, p = math.exp(-lam), 0, self.rng.random()
        while p > limit:
            k += 1
            p *= self.rng.random()
        return k

    def _at(self, day: date, hour: int, minute: int) -> datetime:
        return utc(datetime.combine(day, time(hour, minute), tzinfo=TZ))

    def _start_time(self, day: date) -> datetime:
        if self._workday(day):
            hour = self.rng.choices(_START_HOURS, cum_weights=_HOUR_WEIGHTS)[0]
        else:
            hour = self.rng.randint(9, 21)
        return self._at(day, hour, self.rng.randint(0, 59))

    def _working(self, at: datetime) -> datetime:
        """``at``, or a time in the next working morning: people answer during office hours.

        Now and then someone answers in the evening or the weekend anyway, never at night.
        """
        local = at.astimezone(TZ)
        day = local.date()
        if self._workday(day) and 8 <= local.hour < 18:
            return at
        if 8 <= local.hour < 22 and self.rng.random() < 0.15:
            return at
        if not (self._workday(day) and local.hour < 8):
            day += timedelta(days=1)
            while not self._workday(day):
                day += timedelta(days=1)
        # Catching up on what came in overnight: mostly the first hours of the day.
        return self._at(day, 8, 0) + timedelta(minutes=int(self.rng.triangular(5, 300, 30)))

    def _later(
        self, at: datetime, mean_hours: float, lo: float = 0.05, hi: float = 30.0
    ) -> datetime:
        hours = min(hi, max(lo, self.rng.expovariate(1 / mean_hours)))
        return self._working(at + timedelta(hours=hours)).replace(second=0, microsecond=0)

    # --- people --------------------------------------------------------------------------------

    def _author_for(self, community: str) -> str:
        pool, cum_weights = self.authors[community]
        return self.rng.choices(pool, cum_weights=cum_weights)[0]

    def _expert_for(self, community: str, exclude: str) -> str:
        pool = [p.remote_id for p in self.experts.get(community, []) if p.remote_id != exclude]
        if not pool:
            return self._peer({exclude})
        weights = [3 if i == 0 else 1 for i in range(len(pool))]
        return self.rng.choices(pool, weights=weights)[0]

    def _peer(self, exclude: set[str]) -> str:
        return self.rng.choice([p for p in self.employees if p not in exclude])

    def _reactions(
        self, exclude: set[str], n: int, emojis: Sequence[str] = REACTIONS
    ) -> tuple[tuple[str, str], ...]:
        people = [p for p in self.employees if p not in exclude]
        chosen = self.rng.sample(people, k=min(n, len(people)))
        return tuple((pid, self.rng.choice(emojis)) for pid in chosen)

    # --- the calendar and the plan -------------------------------------------------------------

    def calendar(self) -> list[_Slot]:
        """When threads start, from ``HISTORY_DAYS`` ago up to a little before the anchor."""
        slots: list[_Slot] = []
        communities = [c for c in sc.COMMUNITIES if not c.broadcast_only]
        news = [c.key for c in sc.COMMUNITIES if c.broadcast_only]
        today = self.anchor.astimezone(TZ).date()
        cutoff = self.anchor - UNANSWERED_AFTER - timedelta(minutes=30)
        day = today - timedelta(days=HISTORY_DAYS)
        news_days: list[date] = []
        while day <= today:
            weights = [c.weight * _SEASON.get(c.key, {}).get(day.month, 1.0) for c in communities]
            for _ in range(self._poisson(self._day_rate(day))):
                community = self.rng.choices(communities, weights=weights)[0]
                slots.append(_Slot(self._start_time(day), community.key))
            if day.weekday() == 0 or not news_days:
                # Management posts once or twice a week, on a working day.
                week = [day + timedelta(days=i) for i in range(5 - day.weekday())]
                week = [d for d in week if self._workday(d)]
                news_days = self.rng.sample(week, k=min(len(week), self.rng.choice(_NEWS_PER_WEEK)))
            if news and day in news_days:
                hour, minute = self.rng.choice(((8, 30), (9, 0), (9, 15), (10, 0), (16, 30)))
                at = self._at(day, hour, minute) + timedelta(minutes=self.rng.randint(0, 9))
                slots.append(_Slot(at, news[0]))
            day += timedelta(days=1)
        slots = [s for s in slots if s.created <= cutoff]
        slots.sort(key=lambda s: s.created)
        return slots

    def _pick(self, mix: Sequence[tuple[str, int]]) -> str:
        return self.rng.choices([s for s, _ in mix], weights=[w for _, w in mix])[0]

    def _deck(self, n: int, mix: Sequence[tuple[str, int]]) -> list[str]:
        """``n`` shapes in the proportions of ``mix`` (largest remainder), shuffled."""
        total = sum(w for _, w in mix)
        exact = [(s, n * w / total) for s, w in mix]
        counts = {s: int(x) for s, x in exact}
        short = n - sum(counts.values())
        for s, _ in sorted(exact, key=lambda e: e[1] - int(e[1]), reverse=True)[:short]:
            counts[s] += 1
        deck = [s for s, _ in mix for _ in range(counts[s])]
        self.rng.shuffle(deck)
        return deck

    def plan(self, slots: list[_Slot]) -> None:
        """Give every slot its shape; the recent ones by quota (see the module docstring)."""
        recent = [s for s in slots if self._age(s.created) <= QUEUE_WINDOW]
        talk = [s for s in recent if s.community != "news"]
        # A quiet month (summer, Christmas) gets a slightly shorter queue, not fewer answers.
        size = min(self.rng.randint(31, 38), max(28, round(len(talk) * 0.45)))
        n_unanswered = round(size * 0.46)
        n_awaiting = round(size * 0.21)
        n_stalled = size - n_unanswered - n_awaiting
        n_awaiting -= self._plan_announcements([s for s in recent if s.community == "news"])

        taken: dict[str, int] = {}
        edge = QUEUE_WINDOW - timedelta(hours=12)
        self._take(talk, taken, n_stalled, (STALLED_AFTER + timedelta(days=2), edge), _STALLED_MIX)
        self._take(talk, taken, n_awaiting, (timedelta(hours=12), edge), _AWAITING_MIX)
        youngest = UNANSWERED_AFTER + timedelta(minutes=30)
        unanswered = self._take(talk, taken, n_unanswered, (youngest, edge), _UNANSWERED_MIX)
        plain = [s for s in unanswered if s.shape == "unanswered"]
        # A reply withdrawn by its author does not answer; and one answer is still on its way.
        old_plain = [s for s in plain if self._age(s.created) >= timedelta(days=2)]
        if old_plain:
            self.rng.choice(old_plain).shape = "withdrawn_reply"
        young_plain = [s for s in plain if self._age(s.created) < timedelta(days=2)]
        if young_plain:
            self.rng.choice(young_plain).shape = "late_answer"
        # A newcomer's first post waits for an answer; another newcomer already got one.
        fresh = [s for s in unanswered if self._age(s.created) <= timedelta(days=12)]
        if fresh:
            self.rng.choice(fresh).author = sc.NEWCOMERS[0]
        settled = [s for s in talk if not s.shape]
        for s, shape in zip(settled, self._deck(len(settled), _SETTLED_MIX), strict=True):
            s.shape = shape
        welcomed = [s for s in settled if self._age(s.created) <= timedelta(days=14)]
        if len(sc.NEWCOMERS) > 1 and welcomed:
            pick = self.rng.choice(welcomed)
            pick.shape, pick.author = "answered", sc.NEWCOMERS[1]

        still_active = ABANDONED_AFTER + timedelta(days=4)
        for s in slots:
            if self._age(s.created) > QUEUE_WINDOW:
                s.shape = self._pick(_NEWS_MIX if s.community == "news" else _OLD_MIX)
                if s.shape in QUEUE_SHAPES and self._age(s.created) < still_active:
                    # Its last post could be younger than abandoned_after: it would slip into
                    # the planned queue.
                    s.shape = "broadcast" if s.community == "news" else "answered"
            if s.shape == "closed" and s.community != "webshop":
                s.shape = "resolved"
            if s.community in sc.BOTS:
                s.bot = self.rng.random() < (0.35 if s.shape in UNANSWERED_SHAPES else 0.12)
        # At least one thread in the queue where only a bot spoke: that is not an answer.
        automated = [s for s in unanswered if s.community in sc.BOTS]
        if automated and not any(s.bot for s in automated):
            self.rng.choice(automated).bot = True

    def _plan_announcements(self, news: list[_Slot]) -> int:
        """Shapes for recent announcements; returns how many of them await the team."""
        awaiting = 0
        # Now and then a colleague asks something under an announcement and the team has not
        # answered yet: the queue is also for leaders' posts.
        asked = [s for s in news if self._age(s.created) >= timedelta(days=1)]
        if asked:
            chosen = self.rng.choice(asked)
            chosen.shape, chosen.queue = "news_awaiting", True
            awaiting += 1
        for s in news:
            if not s.shape:
                s.shape = self._pick((("broadcast", 80), ("news_answered", 20)))
        # Most announcements get reactions and no reply at all: broadcast without dialogue.
        answered = [s for s in news if s.shape == "news_answered"]
        while answered and sum(s.shape == "broadcast" for s in news) < 3:
            answered.pop().shape = "broadcast"
        return awaiting

    def _take(
        self,
        talk: list[_Slot],
        taken: dict[str, int],
        n: int,
        ages: tuple[timedelta, timedelta],
        mix: Sequence[tuple[str, int]],
    ) -> list[_Slot]:
        """Put ``n`` unplanned slots aged within ``ages`` in the queue, shaped after ``mix``.

        No community gets more queue threads than it has scenarios less one (``taken`` counts),
        so the queue never has to show a title twice.
        """
        pool = [s for s in talk if not s.shape and ages[0] <= self._age(s.created) <= ages[1]]
        self.rng.shuffle(pool)
        chosen: list[_Slot] = []
        for s in pool:
            if len(chosen) == n:
                break
            if taken.get(s.community, 0) < len(self.by_community[s.community]) - 1:
                taken[s.community] = taken.get(s.community, 0) + 1
                chosen.append(s)
        for s, shape in zip(chosen, self._deck(len(chosen), mix), strict=True):
            s.shape, s.queue = shape, True
        return chosen

    def extra_slots(self) -> list[_Slot]:
        """Posts younger than the unanswered threshold (new), and the platform's future."""
        communities = [c for c in sc.COMMUNITIES if not c.broadcast_only]
        weights = [c.weight for c in communities]
        slots = []
        minutes = sorted(self.rng.sample(range(10, 110), k=self.rng.randint(1, 3)), reverse=True)
        for m in minutes:
            community = self.rng.choices(communities, weights=weights)[0].key
            slots.append(_Slot(self.anchor - timedelta(minutes=m), community, "unanswered"))
        for hours in (0.5, 1.5, 3, 5, 20, 26, 30, 50):
            community = self.rng.choices(communities, weights=weights)[0].key
            at = self._working(self.anchor + timedelta(hours=hours))
            slots.append(_Slot(at, community, self.rng.choice(_FUTURE_SHAPES)))
        for s in slots:
            s.queue = True
        return slots

    def _deal(self, community: str, queue: bool) -> sc.Scenario:
        """One of the three least recently used scenarios, never twice into the queue."""
        order = self.lru[community]
        used = self.in_queue[community]
        candidates = [i for i in order if i not in used] if queue else order
        pick = self.rng.choice((candidates or order)[:3])
        order.remove(pick)
        order.append(pick)
        if queue:
            used.add(pick)
        return self.by_community[community][pick]

    # --- threads -------------------------------------------------------------------------------

    def build(self, slot: _Slot) -> None:
        scenario = self._deal(slot.community, slot.queue)
        if slot.community == "news":
            self._announcement(slot, scenario)
        else:
            self._discussion(slot, scenario)

    def _discussion(self, slot: _Slot, scenario: sc.Scenario) -> None:
        c, lang, shape = slot.community, scenario.lang, slot.shape
        author = slot.author or self._author_for(c)
        expert = self._expert_for(c, author)
        team = self.rng.choice(self.team)
        pace = _FIRST_RESPONSE_HOURS.get(c, 4.0)
        root_files, answer_files = sc.ATTACHMENTS.get(scenario.title, ((), ()))
        root_reactions: tuple[tuple[str, str], ...] = ()
        if shape == "acknowledged":
            root_reactions = self._reactions({author}, self.rng.randint(1, 4))
        elif shape not in UNANSWERED_SHAPES and self.rng.random() < 0.3:
            root_reactions = self._reactions({author}, self.rng.randint(1, 2))
        drafts = [
            _Draft(
                author,
                slot.created,
                scenario.root,
                reactions=root_reactions,
                edited=self.rng.random() < 0.08,
                attachments=root_files,
            )
        ]
        if slot.bot:
            note = sc.BOT_NOTES[c][lang].format(number=self.rng.randint(10000, 99999))
            at = slot.created + timedelta(minutes=self.rng.randint(2, 9))
            drafts.append(_Draft(sc.BOTS[c], at, note, kind=PostKind.NOTICE))

        def say(
            who: str,
            text: str,
            mean: float,
            *,
            kind: PostKind = PostKind.REGULAR,
            reactions: tuple[tuple[str, str], ...] = (),
            deleted: bool = False,
            edited: bool = False,
            attachments: tuple[str, ...] = (),
        ) -> _Draft:
            """``who`` replies about ``mean`` hours after the previous post."""
            at = self._later(drafts[-1].at, mean)
            draft = _Draft(
                who,
                at,
                text,
                kind,
                reactions,
                deleted=deleted,
                edited=edited,
                attachments=attachments,
            )
            drafts.append(draft)
            return draft

        def answer() -> _Draft:
            fans = self._reactions({expert, author}, self.rng.randint(0, 2))
            if self.rng.random() < 0.5:
                fans = ((author, self.rng.choice(("👍", "✅", "🙏"))), *fans)
            return say(
                expert,
                scenario.answer,
                pace,
                reactions=fans,
                edited=self.rng.random() < 0.05,
                attachments=answer_files,
            )

        def ack() -> str:
            return self.rng.choice(sc.TEAM_ACKS[lang]).format(expert=self.people[expert].handle)

        def closing() -> str:
            text = self.rng.choice(sc.TEAM_CLOSINGS[lang])
            return text.format(expert=self.people[expert].handle)

        peer_first = self.rng.random() < 0.25
        accepted: _Draft | None = None
        closed = False
        if shape == "bumped":
            say(author, self.rng.choice(sc.ROOT_BUMPS[lang]), 26.0)
        elif shape == "withdrawn_reply":
            say(
                self._peer({author, expert}), self.rng.choice(sc.PEER_ACKS[lang]), 3.0, deleted=True
            )
        elif shape == "late_answer":
            at = self._working(self.anchor + timedelta(minutes=self.rng.randint(30, 300)))
            drafts.append(_Draft(expert, at, scenario.answer, after_anchor=True))
        elif shape in STALLED_SHAPES or shape.startswith(
            ("answered", "resolved", "deleted", "closed")
        ):
            if peer_first and shape != "answered_team":
                say(self._peer({author, expert}), self.rng.choice(sc.PEER_ACKS[lang]), pace)
            if shape == "stalled_question":
                say(expert, scenario.open_reply, pace)
            elif shape == "stalled_follow_up":
                answer()
                say(author, scenario.follow_up, 10.0)
            elif shape == "stalled_detail":
                say(expert, scenario.open_reply, pace)
                say(author, scenario.follow_up, 5.0)
            elif shape in ("answered", "resolved", "deleted_reply", "closed"):
                accepted = answer()
            elif shape in ("answered_long", "resolved_long"):
                say(expert, scenario.open_reply, pace)
                say(author, scenario.follow_up, 4.0)
                accepted = answer()
            elif shape == "answered_team":
                say(team, ack(), 1.5)
                answer()
                say(team, closing(), 2.0)
            if shape == "deleted_reply":
                say(
                    self._peer({author, expert}),
                    self.rng.choice(sc.PEER_ACKS[lang]),
                    2.0,
                    deleted=True,
                )
            if shape.startswith("resolved") and scenario.thanks:
                say(author, scenario.thanks, 3.0)
            if shape == "closed":
                say(expert, sc.CLOSE_NOTES[lang], 1.0, kind=PostKind.SMALL_ACTION)
                closed = True
        elif shape == "awaiting_ack":
            say(team, ack(), 2.0)
            text = scenario.follow_up
            if self.rng.random() < 0.4:
                text = self.rng.choice(sc.AUTHOR_NUDGES[lang])
            say(author, text, 20.0)
        elif shape == "awaiting_after_answer":
            answer()
            say(team, closing(), 2.0)
            say(author, scenario.follow_up, 12.0)
        elif shape == "awaiting_routed":
            say(team, ack(), 2.0)
            say(expert, scenario.open_reply, pace)
            say(author, scenario.follow_up, 6.0)

        tags: tuple[str, ...] = ()
        if c == "ideas":
            tags = ("idea",)
        elif slot.bot or (c == "webshop" and self.rng.random() < 0.5):
            tags = ("incident",)
        thread = self._new_thread(scenario, slot.created, tags)
        posts = self._emit(thread, drafts, self._deadline(slot))
        if accepted is not None and shape.startswith("resolved"):
            index = drafts.index(accepted)
            self.world.threads[thread.remote_id] = replace(
                thread, resolved=True, accepted_post=posts[index].remote_id
            )
        elif closed:
            self.world.threads[thread.remote_id] = replace(thread, closed=True)

    def _announcement(self, slot: _Slot, scenario: sc.Scenario) -> None:
        author = self.rng.choices(self.team, weights=[1, 3][: len(self.team)])[0]
        cheers = self._reactions({author}, self.rng.randint(4, 16), CHEERS)
        files = sc.ATTACHMENTS.get(scenario.title, ((), ()))[0]
        drafts = [_Draft(author, slot.created, scenario.root, reactions=cheers, attachments=files)]
        asker = self._peer({author})

        def say(who: str, text: str, mean: float) -> None:
            drafts.append(_Draft(who, self._later(drafts[-1].at, mean), text))

        if slot.shape in ("news_answered", "news_awaiting") and self.rng.random() < 0.4:
            say(self._peer({author, asker}), scenario.follow_up, 2.0)
        if slot.shape == "news_answered":
            say(asker, scenario.open_reply, 3.0)
            # The other team member answers: a reply by the root author would read as the author
            # coming back, an open end, and turn the thread stalled.
            colleague = next((t for t in self.team if t != author), author)
            say(colleague, scenario.answer, 2.0)
        elif slot.shape == "news_awaiting":
            say(asker, scenario.open_reply, 3.0)
        thread = self._new_thread(scenario, slot.created, ())
        self._emit(thread, drafts, self._deadline(slot))

    def _deadline(self, slot: _Slot) -> datetime | None:
        """The latest time the slot's replies may have, so its state at the anchor is the plan's."""
        if slot.created > self.anchor:
            return None
        if self._age(slot.created) > QUEUE_WINDOW:
            if slot.shape in QUEUE_SHAPES:
                return self.anchor - ABANDONED_AFTER - timedelta(hours=1)
            return self.anchor - timedelta(minutes=10)
        if slot.shape in STALLED_SHAPES:
            return self.anchor - STALLED_AFTER - timedelta(hours=1)
        return self.anchor - timedelta(minutes=10)

    def _new_thread(
        self, scenario: sc.Scenario, created: datetime, tags: tuple[str, ...]
    ) -> DemoThread:
        self.counter += 1
        tid = f"t{self.counter:04d}"
        thread = DemoThread(
            remote_id=tid,
            community=scenario.community,
            title=scenario.title,
            created_at=created,
            lang=scenario.lang,
            tags=tags,
        )
        self.world.threads[tid] = thread
        return thread

    def _emit(
        self, thread: DemoThread, drafts: list[_Draft], deadline: datetime | None
    ) -> list[DemoPost]:
        """Fit the replies before ``deadline`` (keeping their order and rhythm) and store them."""
        root = drafts[0].at
        timed = [d for d in drafts[1:] if not d.after_anchor]
        if deadline is not None and timed and timed[-1].at > deadline:
            span = (deadline - root) / (timed[-1].at - root)
            for d in timed:
                d.at = (root + (d.at - root) * span).replace(second=0, microsecond=0)
        posts = []
        previous = None
        for index, d in enumerate(drafts):
            at = d.at
            if previous is not None and at <= previous:
                at = previous + timedelta(minutes=1)
            previous = at
            edited = None
            if d.edited:
                edited = at + timedelta(minutes=self.rng.randint(2, 25))
                if at <= self.anchor < edited:
                    edited = None
            post = DemoPost(
                remote_id=f"{thread.remote_id}-{index}",
                thread_id=thread.remote_id,
                author=d.author,
                created_at=at,
                text=d.text,
                is_root=index == 0,
                kind=d.kind,
                reactions=d.reactions,
                edited_at=edited,
                deleted=d.deleted,
                attachments=d.attachments,
            )
            posts.append(post)
        self.world.posts.extend(posts)
        return posts


def build_world(seed: int, anchor: datetime) -> DemoWorld:
    """The demo intranet for ``seed`` anchored at ``anchor`` (deterministic)."""
    b = _Builder(seed, anchor)
    slots = b.calendar()
    b.plan(slots)
    for slot in [*slots, *b.extra_slots()]:
        b.build(slot)
    b.world.posts.sort(key=attrgetter("created_at", "remote_id"))
    return b.world
