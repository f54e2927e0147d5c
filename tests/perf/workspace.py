"""Synthetic workspaces for the store benchmarks: realistic shapes, fed as ``Page`` objects.

The shape (for ``posts`` posts, defaults scaled from the 1M-post workspace of the issue):

- several accounts on forum and chat platforms, a few hundred containers, 20k authors (fewer
  for small workspaces) whose activity follows a Zipf law; 1 % of them are bots;
- threads of ~10 posts on average with a long tail (a few run into the hundreds or thousands);
  25 % of threads get no reply, 5 % only replies by their own author; the team (the account's own
  user plus a few handles) starts 2 % of threads and writes ~8 % of replies;
- bodies of ~300 characters drawn from a Zipf vocabulary, ~30 % of them questions, with marker
  words at known frequencies for the search benchmark (see :data:`MARKERS`);
- reactions on ~20 % of posts, 1 % of posts arrive deleted and every page tombstones a few older
  posts, some bot notices, 10 % of forum threads resolved;
- spread over 180 days before :data:`NOW`, sent as each account's chronological stream in pages
  of ``page_size`` posts (a page carries the threads and authors it mentions, and raw payloads).

Everything is derived from the seed: two processes generate the very same pages, so the store
and the raw baseline ingest identical data. Only the per-post skeleton (a few integers) is held
in memory; bodies are made page by page.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

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

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
"""The instant the workspace ends at (and the queue is evaluated at)."""
SPAN = timedelta(days=180)

MARKERS: dict[str, float] = {
    "crash": 0.05,
    "refund": 0.01,
    "xylophone": 0.0001,
}
"""Marker words and the share of posts that contain them."""
PHRASE = "vpn-gateway timeout"
PHRASE_SHARE = 0.005
"""A phrase with punctuation, in 0.5 % of posts."""
QUESTION_SHARE = 0.3

# Real words at the top of the Zipf ranks, so "very common" searches look like real ones.
_COMMON_WORDS = (
    "the to and a of in is it for on that this with we you be have not are can please "
    "account team update issue help meeting"
)
_COMMON = _COMMON_WORDS.split(" ")
_SYLLABLES = [a + b for a in "kmlnprstvbdgfhjwz" for b in "aoieu"]


@dataclass(frozen=True, slots=True)
class AccountSpec:
    """One synthetic platform account."""

    name: str
    platform: str
    kind: PlatformKind
    share: float
    """Share of the workspace's posts, containers and authors."""
    team: tuple[str, ...] = ("team1", "team2", "team3", "team4")

    @property
    def me(self) -> str:
        return "me"

    @property
    def options(self) -> dict[str, str]:
        # A fixed zone keeps deadlines identical on every machine.
        return {"team": ",".join(self.team), "timezone": "Europe/Amsterdam"}


ACCOUNTS = (
    AccountSpec("engage", "engage", PlatformKind.FORUM, 0.35),
    AccountSpec("slack", "slack", PlatformKind.CHAT, 0.30),
    AccountSpec("discourse", "discourse", PlatformKind.FORUM, 0.20),
    AccountSpec("teams", "teams", PlatformKind.CHAT, 0.15),
)


@dataclass(slots=True)
class _Stream:
    """The skeleton of one account: threads and its posts in chronological order."""

    spec: AccountSpec
    containers: int
    authors: int
    bots: frozenset[int]
    # threads
    thread_container: array[int] = field(default_factory=lambda: array("i"))
    thread_resolved: array[int] = field(default_factory=lambda: array("b"))
    thread_root_at: array[int] = field(default_factory=lambda: array("q"))
    # posts, sorted by time
    post_thread: array[int] = field(default_factory=lambda: array("i"))
    post_author: array[int] = field(default_factory=lambda: array("i"))
    post_at: array[int] = field(default_factory=lambda: array("q"))
    post_is_root: array[int] = field(default_factory=lambda: array("b"))


@dataclass(frozen=True, slots=True)
class Shape:
    """What a generated workspace contains (for the report)."""

    posts: int
    threads: int
    containers: int
    authors: int
    accounts: int
    pages: int


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = list(_COMMON)
    seen = set(words) | set(MARKERS) | {"vpn", "gateway", "timeout"}
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word not in seen and not any(word.startswith(m[:3]) for m in MARKERS):
            seen.add(word)
            words.append(word)
    return words


def _zipf_cumulative(n: int, s: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


class Workspace:
    """A deterministic synthetic workspace of about ``posts`` posts.

    Args:
        posts: the number of posts to generate (exact).
        seed: everything follows from it.
        page_size: posts per page, as a connector would fetch them.
        raw: attach a raw payload to every thread and post (the store keeps them).
    """

    def __init__(
        self, posts: int, *, seed: int = 42, page_size: int = 500, raw: bool = True
    ) -> None:
        self.posts = posts
        self.seed = seed
        self.page_size = page_size
        self.raw = raw
        rng = random.Random(seed)
        self.vocabulary = _vocabulary(rng, 8000)
        self._word_cum = _zipf_cumulative(len(self.vocabulary), 1.05)
        # Bodies are strung together from Zipf-drawn six-word fragments: the word frequencies
        # stay Zipf, and a million bodies take seconds instead of a minute.
        self._fragments = [" ".join(self._words(rng, 6)) for _ in range(50_000)]
        total_containers = max(8, min(300, posts // 3000))
        total_authors = max(100, min(20_000, posts // 5))
        self.streams = []
        for spec in ACCOUNTS:
            n_posts = round(posts * spec.share)
            if spec is ACCOUNTS[-1]:
                n_posts = posts - sum(len(st.post_at) for st in self.streams)
            authors = max(20, round(total_authors * spec.share))
            bots = frozenset(rng.sample(range(authors), max(1, authors // 100)))
            stream = _Stream(spec, max(2, round(total_containers * spec.share)), authors, bots=bots)
            self._skeleton(stream, n_posts, random.Random(f"{seed}-{spec.name}"))
            self.streams.append(stream)

    # --- skeleton -------------------------------------------------------------------------

    def _skeleton(self, st: _Stream, n_posts: int, rng: random.Random) -> None:
        end_ms = int(NOW.timestamp() * 1000)
        span_ms = int(SPAN.total_seconds() * 1000)
        chat = st.spec.kind is PlatformKind.CHAT
        mean_gap_ms = (40 if chat else 6 * 60) * 60_000
        author_cum = _zipf_cumulative(st.authors, 0.8)
        author_total = author_cum[-1]
        container_cum = _zipf_cumulative(st.containers, 0.7)
        container_total = container_cum[-1]
        team = len(st.spec.team) + 1  # author ids >= st.authors are the team (+ me)

        def author() -> int:
            return bisect.bisect_left(author_cum, rng.random() * author_total)

        rows: list[tuple[int, int, int, int]] = []  # (at, thread, author, is_root)
        thread = 0
        while len(rows) < n_posts:
            budget = n_posts - len(rows)
            kind = rng.random()
            root_at = end_ms - int(rng.random() * span_ms)
            root_author = st.authors + rng.randrange(team) if rng.random() < 0.02 else author()
            if kind < 0.25:
                replies: list[int] = []
            elif kind < 0.30:
                replies = [root_author] * rng.randint(1, 3)
            else:
                n = max(1, min(5000, int(rng.lognormvariate(1.86, 1.2))))
                replies = [
                    st.authors + rng.randrange(team) if rng.random() < 0.08 else author()
                    for _ in range(n)
                ]
                if rng.random() < 0.3:  # the root author follows up somewhere
                    replies[rng.randrange(n)] = root_author
            replies = replies[: budget - 1]
            gaps = [rng.expovariate(1 / mean_gap_ms) for _ in replies]
            total_gap = sum(gaps)
            room = end_ms - root_at - 1000
            scale = min(1.0, room / total_gap) if total_gap > 0 else 1.0
            container = bisect.bisect_left(container_cum, rng.random() * container_total)
            st.thread_container.append(container)
            st.thread_resolved.append(1 if not chat and rng.random() < 0.1 else 0)
            st.thread_root_at.append(root_at)
            rows.append((root_at, thread, root_author, 1))
            at = float(root_at)
            for who, gap in zip(replies, gaps, strict=True):
                at += max(1.0, gap * scale)
                rows.append((int(at), thread, who, 0))
            thread += 1
        rows.sort()
        for at, tid, who, is_root in rows:
            st.post_at.append(at)
            st.post_thread.append(tid)
            st.post_author.append(who)
            st.post_is_root.append(is_root)

    # --- shape ----------------------------------------------------------------------------

    def shape(self) -> Shape:
        return Shape(
            posts=sum(len(st.post_at) for st in self.streams),
            threads=sum(len(st.thread_container) for st in self.streams),
            containers=sum(st.containers for st in self.streams),
            authors=sum(st.authors for st in self.streams),
            accounts=len(self.streams),
            pages=sum(math.ceil(len(st.post_at) / self.page_size) for st in self.streams),
        )

    # --- people and pages -----------------------------------------------------------------

    @staticmethod
    def me(spec: AccountSpec) -> RemotePerson:
        return RemotePerson(spec.me, spec.me, "Community Manager")

    @staticmethod
    def _person(st: _Stream, idx: int) -> RemotePerson:
        team = len(st.spec.team)
        if idx >= st.authors:
            k = idx - st.authors
            handle = st.spec.me if k == team else st.spec.team[k]
            return RemotePerson(handle, handle, handle.title())
        bot = idx in st.bots
        handle = f"bot{idx}" if bot else f"user{idx}"
        return RemotePerson(
            f"u{idx}", handle, f"Person {idx}", department=f"Dept {idx % 40}", is_bot=bot
        )

    def pages(self) -> Iterator[tuple[AccountSpec, Page]]:
        """Every page of every account, interleaved in time order as a multi-account sync runs."""
        iters = [self._account_pages(st) for st in self.streams]
        heads: list[tuple[int, int, AccountSpec, Page] | None] = []
        for i, it in enumerate(iters):
            nxt = next(it, None)
            heads.append(None if nxt is None else (nxt[0], i, *nxt[1:]))
        while any(h is not None for h in heads):
            best = min((h for h in heads if h is not None), key=lambda h: (h[0], h[1]))
            _, i, spec, page = best
            yield spec, page
            nxt = next(iters[i], None)
            heads[i] = None if nxt is None else (nxt[0], i, *nxt[1:])

    def _account_pages(self, st: _Stream) -> Iterator[tuple[int, AccountSpec, Page]]:
        spec = st.spec
        prefix = spec.name[:2]
        n = len(st.post_at)
        containers_sent: set[int] = set()
        for number, start in enumerate(range(0, n, self.page_size)):
            stop = min(n, start + self.page_size)
            rng = random.Random(f"{self.seed}-{spec.name}-page-{number}")
            posts: list[RemotePost] = []
            thread_ids: dict[int, None] = {}
            author_ids: dict[int, None] = {}
            roots_text: dict[int, str] = {}
            for i in range(start, stop):
                tid = st.post_thread[i]
                who = st.post_author[i]
                thread_ids[tid] = None
                author_ids[who] = None
                at = datetime.fromtimestamp(st.post_at[i] / 1000, tz=UTC)
                is_root = bool(st.post_is_root[i])
                text = self._body(rng)
                kind = PostKind.REGULAR
                by_bot = who in st.bots
                if by_bot and rng.random() < 0.5:
                    kind = PostKind.NOTICE
                deleted = rng.random() < 0.01
                if deleted and rng.random() < 0.5:
                    text = ""
                reactions: tuple[Reaction, ...] = ()
                if rng.random() < 0.2:
                    reactions = tuple(
                        Reaction(f"u{rng.randrange(st.authors)}", rng.choice("👍🎉❤👀"))
                        for _ in range(rng.randint(1, 3))
                    )
                remote_id = f"{prefix}p{i}"
                thread_remote = f"{prefix}t{tid}"
                if is_root:
                    roots_text[tid] = text
                posts.append(
                    RemotePost(
                        remote_id=remote_id,
                        thread_remote_id=thread_remote,
                        author_remote_id=self._person(st, who).remote_id,
                        created_at=at,
                        text=text,
                        html=None,
                        is_root=is_root,
                        kind=kind,
                        by_bot=by_bot,
                        deleted=deleted,
                        reply_to_remote_id=None if is_root else thread_remote,
                        reactions=reactions,
                        url=f"https://{spec.platform}.example/{thread_remote}/{remote_id}",
                        raw={
                            "id": remote_id,
                            "thread_id": thread_remote,
                            "user_id": self._person(st, who).remote_id,
                            "created_at": at.isoformat(),
                            "body": text,
                            "reactions": [[r.person_remote_id, r.emoji] for r in reactions],
                        }
                        if self.raw
                        else None,
                    )
                )
            threads = []
            containers = []
            for tid in thread_ids:
                cidx = st.thread_container[tid]
                if cidx not in containers_sent:
                    containers_sent.add(cidx)
                    containers.append(
                        RemoteContainer(f"{prefix}c{cidx}", f"{spec.name} community {cidx}")
                    )
                thread_remote = f"{prefix}t{tid}"
                title = None
                if spec.kind is PlatformKind.FORUM:
                    title = f"Topic {tid}: " + " ".join(self._words(random.Random(tid), 6))
                threads.append(
                    RemoteThread(
                        remote_id=thread_remote,
                        container_remote_id=f"{prefix}c{cidx}",
                        created_at=datetime.fromtimestamp(st.thread_root_at[tid] / 1000, tz=UTC),
                        title=title,
                        url=f"https://{spec.platform}.example/{thread_remote}",
                        resolved=bool(st.thread_resolved[tid]),
                        raw={"id": thread_remote, "title": title} if self.raw else None,
                    )
                )
            deleted_ids: tuple[str, ...] = ()
            if start > 0:
                deleted_ids = tuple(f"{prefix}p{rng.randrange(start)}" for _ in range(2))
            page = Page(
                scope="*",
                cursor={"page": number, "after": st.post_at[stop - 1]},
                containers=tuple(containers),
                people=tuple(self._person(st, who) for who in author_ids),
                threads=tuple(threads),
                posts=tuple(posts),
                deleted_post_ids=deleted_ids,
            )
            yield st.post_at[start], spec, page

    def _words(self, rng: random.Random, k: int) -> list[str]:
        vocab = self.vocabulary
        return [vocab[i] for i in self._word_indices(rng, k)]

    def _word_indices(self, rng: random.Random, k: int) -> list[int]:
        total = self._word_cum[-1]
        cum = self._word_cum
        return [bisect.bisect_left(cum, rng.random() * total) for _ in range(k)]

    def _body(self, rng: random.Random) -> str:
        fragments = self._fragments
        words = [fragments[int(rng.random() * len(fragments))] for _ in range(rng.randint(8, 11))]
        for marker, share in MARKERS.items():
            if rng.random() < share:
                words.insert(rng.randrange(len(words)), marker)
        if rng.random() < PHRASE_SHARE:
            words.insert(rng.randrange(len(words)), PHRASE)
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        return text + ("?" if rng.random() < QUESTION_SHARE else ".")
