"""Platform personalities for the fault proxy: each platform's write, read-back and 429 dialect.

A :class:`Rig` is one platform under test: its fixture server (the same fakes the connector tests
use, or the session's real Synapse for Matrix) behind a :class:`~tests.helpers.faultserver.
FaultProxy`, seeded with a thread, every clock replaced by one :class:`FakeClock`, and a factory
for fresh connectors pointed at the proxy. The dedupe rules are the servers' own: Matrix
transaction ids (Synapse), Mattermost ``pending_post_id`` for 30 s (the fake, on the shared
clock), Discourse's 5-minute same-text check that staff bypass (the fake), none for Slack, Graph,
Zulip and Yammer.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

from cm_console.connectors.base import AccountConfig, Connector, ConnectorContext
from cm_console.connectors.http import HttpClient, Pacer
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.faultserver import FakeClock, FaultProxy, Throttle, delay_meant, header_value

READ_TIMEOUT_S = 0.4
"""The connectors' read timeout behind the proxy (a hang holds the socket longer than this)."""
ZERO = timedelta(0)
"""Servers' clocks minus ours (``skew=``: a client whose clock is off)."""
PLATFORMS = ("mattermost", "discourse", "slack", "zulip", "teams", "engage", "matrix")


def _json(data: Any) -> bytes:
    return json.dumps(data).encode()


def _number(spec: str) -> float | str | None:
    """``spec`` as a number a JSON body would carry (None: the field is left out)."""
    if spec == "":
        return None
    if spec == "huge":
        return 10 * 365 * 86400
    try:
        value = float(spec)
    except ValueError:
        return spec if spec == "garbage" else None
    return int(value) if value.is_integer() else value


class Dialect:
    """Routes and the 429 format of one platform (subclasses override)."""

    create: re.Pattern[str]
    create_method = "POST"
    readback: re.Pattern[str]

    def is_create(self, method: str, path: str) -> bool:
        route = path.split("?", maxsplit=1)[0]
        return method == self.create_method and bool(self.create.search(route))

    def is_readback(self, method: str, path: str) -> bool:
        return method == "GET" and bool(self.readback.search(path.split("?", maxsplit=1)[0]))

    def throttle(self, spec: str, now: datetime) -> Throttle:
        headers = {"Content-Type": "application/json"}
        if spec != "":
            headers["Retry-After"] = header_value(spec, now)
        return Throttle(429, headers, _json({"error": "rate limited"}))


class MattermostDialect(Dialect):
    create = re.compile(r"/api/v4/posts$")
    readback = re.compile(r"/api/v4/posts/[^/]+/thread$")

    def throttle(self, spec: str, now: datetime) -> Throttle:
        headers = {"Content-Type": "text/plain", "X-Ratelimit-Limit": "10"}
        headers["X-Ratelimit-Remaining"] = "0"
        if spec != "":
            value = header_value(spec, now)
            headers["Retry-After"] = value
            if not spec.startswith("date"):
                headers["X-Ratelimit-Reset"] = value
        return Throttle(429, headers, b"limit exceeded\n")


class ZulipDialect(Dialect):
    create = re.compile(r"/api/v1/messages$")
    readback = re.compile(r"/api/v1/messages$")

    def throttle(self, spec: str, now: datetime) -> Throttle:
        body: dict[str, Any] = {
            "result": "error",
            "msg": "API usage exceeded rate limit",
            "code": "RATE_LIMIT_HIT",
        }
        headers = {"Content-Type": "application/json", "X-RateLimit-Remaining": "0"}
        meant = delay_meant(spec)
        if spec.startswith("date"):
            headers["Retry-After"] = header_value(spec, now)
        elif (value := _number(spec)) is not None:
            body["retry-after"] = value
        if meant is not None:
            # Zulip's reset header is a *time*, not a delay.
            headers["X-RateLimit-Reset"] = str(int(now.timestamp() + min(meant, 1e9)))
        return Throttle(429, headers, _json(body))


class DiscourseDialect(Dialect):
    create = re.compile(r"^/posts\.json$")
    readback = re.compile(r"^/t/\d+(/posts)?\.json$|^/posts/\d+\.json$")

    def throttle(self, spec: str, now: datetime) -> Throttle:
        extras: dict[str, Any] = {"time_left": "a while"}
        if not spec.startswith("date") and (value := _number(spec)) is not None:
            extras["wait_seconds"] = value
        body = {
            "errors": ["You've performed this action too many times. Please wait."],
            "error_type": "rate_limit",
            "extras": extras,
        }
        headers = {"Content-Type": "application/json", "Discourse-Rate-Limit-Error-Code": "post"}
        if spec != "":
            headers["Retry-After"] = header_value(spec, now)
        return Throttle(429, headers, _json(body))


class SlackDialect(Dialect):
    create = re.compile(r"/api/chat\.postMessage$")
    readback = re.compile(r"/api/conversations\.(replies|history)$")

    def throttle(self, spec: str, now: datetime) -> Throttle:
        headers = {"Content-Type": "application/json"}
        if spec != "":
            headers["Retry-After"] = header_value(spec, now)
        return Throttle(429, headers, _json({"ok": False, "error": "ratelimited"}))


class GraphDialect(Dialect):
    create = re.compile(r"/messages/[^/]+/replies$")
    readback = re.compile(r"/messages/[^/]+/replies$")

    def throttle(self, spec: str, now: datetime) -> Throttle:
        headers = {"Content-Type": "application/json"}
        if spec != "":
            headers["Retry-After"] = header_value(spec, now)
        body = {"error": {"code": "TooManyRequests", "message": "Too many requests"}}
        return Throttle(429, headers, _json(body))


class YammerDialect(Dialect):
    create = re.compile(r"/api/v1/messages\.json$")
    readback = re.compile(r"/api/v1/messages/in_thread/\d+\.json$")


class MatrixDialect(Dialect):
    create = re.compile(r"/rooms/[^/]+/send/m\.room\.message/[^/]+$")
    create_method = "PUT"
    readback = re.compile(r"/relations/|/rooms/[^/]+/messages$")

    def throttle(self, spec: str, now: datetime) -> Throttle:
        body: dict[str, Any] = {"errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests"}
        headers = {"Content-Type": "application/json"}
        if spec.startswith("date"):
            headers["Retry-After"] = header_value(spec, now)
        elif (value := _number(spec)) is not None:
            body["retry_after_ms"] = value if isinstance(value, str) else int(value * 1000)
        return Throttle(429, headers, _json(body))


# --- rigs ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Rig:
    """One platform behind the fault proxy, seeded with threads, on one fake clock."""

    platform: str
    clock: FakeClock
    proxy: FaultProxy
    make: Callable[[], Connector]
    """A fresh connector (its HTTP clients on the fake clock) pointed at the proxy."""
    threads: list[str]
    me: RemotePerson
    colleague: RemotePerson
    copies: Callable[[str], list[str]]
    """Server-side ids of every live message whose text contains the token."""
    add_reply: Callable[[str, str], str]
    """A colleague replies in a thread (thread remote id, text) on the server."""
    server: Any = None
    """The fixture server itself (to edit and delete as colleagues would)."""

    def connector(self) -> Connector:
        return self.make()


def wire(connector: Connector, clock: FakeClock, read_timeout: float = READ_TIMEOUT_S) -> Connector:
    """Put every HTTP client of ``connector`` on ``clock`` with a short read timeout."""
    seen: set[int] = set()

    def visit(obj: Any, depth: int) -> None:
        if id(obj) in seen or depth > 2:
            return
        seen.add(id(obj))
        if isinstance(obj, HttpClient):
            obj.policy = dataclasses.replace(
                obj.policy, read_timeout=read_timeout, connect_timeout=2.0
            )
            obj._sleep = clock.sleep
            obj._clock = clock.monotonic
            obj.pacer = Pacer(obj.policy.min_interval, clock.monotonic, clock.sleep)
            return
        for value in list(vars(obj).values()) if hasattr(obj, "__dict__") else []:
            if isinstance(value, HttpClient) or hasattr(value, "__dict__"):
                visit(value, depth + 1)

    visit(connector, 0)
    return connector


def _contains(token: str) -> Callable[[str], bool]:
    return lambda text: token in (text or "")


@contextmanager
def rig(platform: str, clock: FakeClock, **kw: Any) -> Iterator[Rig]:
    """Start ``platform``'s fixture server behind a fault proxy (Matrix needs ``synapse=``)."""
    builders: dict[str, Callable[..., Any]] = {
        "mattermost": _mattermost,
        "discourse": _discourse,
        "slack": _slack,
        "zulip": _zulip,
        "teams": _teams,
        "engage": _engage,
        "matrix": _matrix,
    }
    with ExitStack() as stack:
        yield builders[platform](stack, clock, **kw)


def _ago(clock: FakeClock, hours: float) -> datetime:
    return clock.now() - timedelta(hours=hours)


def _mattermost(stack: ExitStack, clock: FakeClock, *, skew: timedelta = ZERO, **_: Any) -> Rig:
    from tests.helpers.fake_mattermost import FakeMattermost
    from tests.integration.connectors.test_mattermost_contract import MattermostWorld

    server = FakeMattermost()
    server.wall = lambda: clock.time() + skew.total_seconds()
    stack.callback(server.stop)
    world = MattermostWorld(server, clock.now())
    threads = [
        world.add_thread(world.author, f"Vraag {i}: werkt de VPN?", _ago(clock, 5 - i))
        for i in range(2)
    ]
    proxy = FaultProxy(server.url, MattermostDialect(), clock)
    stack.callback(proxy.stop)
    proxy.skew = skew

    def make() -> Connector:
        from cm_console.connectors.mattermost.connector import MattermostConnector

        return wire(
            MattermostConnector(
                AccountConfig(name="acct", url=proxy.url),
                ConnectorContext(secret=Secret(world.token), clock=clock.now),
            ),
            clock,
        )

    def copies(token: str) -> list[str]:
        with server.lock:
            return [
                p["id"]
                for p in server.posts.values()
                if token in p["message"] and not p["delete_at"]
            ]

    def add_reply(thread: str, text: str) -> str:
        return world.add_reply(thread, world.expert, text, clock.now())

    return Rig(
        "mattermost",
        clock,
        proxy,
        make,
        threads,
        world.me,
        world.expert,
        copies,
        add_reply,
        server=server,
    )


def _discourse(
    stack: ExitStack, clock: FakeClock, *, staff: bool = False, skew: timedelta = ZERO, **_: Any
) -> Rig:
    from tests.helpers.wsgi import serve
    from tests.integration.connectors.discourse_world import (
        DiscourseWorld,
        make_discourse,
        seeded_server,
    )

    server = seeded_server()
    server.now = clock.now() + skew
    server.users[1].admin = staff
    clock.listeners.append(lambda: setattr(server, "now", clock.now() + skew))
    url = stack.enter_context(serve(server)).rstrip("/")
    world = DiscourseWorld(server, url)
    threads = [
        world.add_thread(world.author, f"Vraag {i}: werkt de VPN?", _ago(clock, 5 - i))
        for i in range(2)
    ]
    proxy = FaultProxy(url, DiscourseDialect(), clock)
    stack.callback(proxy.stop)
    proxy.skew = skew
    key = server.user_key(1)

    def make() -> Connector:
        if staff:
            connector = make_discourse(proxy.url)
        else:
            connector = make_discourse(
                proxy.url,
                secret=key,
                user=None,
                options={"auth": "user_api_key", "client_id": "t"},
            )
        connector.context = dataclasses.replace(connector.context, clock=clock.now)
        return wire(connector, clock)

    def copies(token: str) -> list[str]:
        with server.lock:
            return [str(p.id) for p in server.posts.values() if token in p.raw and not p.deleted_at]

    def add_reply(thread: str, text: str) -> str:
        return world.add_reply(thread, world.expert, text, clock.now())

    name = "discourse-staff" if staff else "discourse"
    return Rig(
        name, clock, proxy, make, threads, world.me, world.expert, copies, add_reply, server=server
    )


def _slack(stack: ExitStack, clock: FakeClock, *, skew: timedelta = ZERO, **_: Any) -> Rig:
    from tests.helpers.wsgi import serve
    from tests.integration.connectors.slack_world import SlackWorld, make_slack, seeded_server

    server = seeded_server()
    server.wall = lambda: clock.now() + skew
    url = stack.enter_context(serve(server)).rstrip("/")
    world = SlackWorld(server, url + "/api/")
    threads = [
        world.add_thread(world.author, f"Vraag {i}: werkt de VPN?", _ago(clock, 5 - i))
        for i in range(2)
    ]
    proxy = FaultProxy(url, SlackDialect(), clock)
    stack.callback(proxy.stop)
    proxy.skew = skew
    token = server.token("U001")

    def make() -> Connector:
        return wire(make_slack(proxy.url + "/api/", token, clock=clock.now), clock)

    def copies(token_: str) -> list[str]:
        with server.lock:
            return [
                f"{c.id}/{ts}"
                for c in server.channels.values()
                for ts, m in c.messages.items()
                if token_ in str(m.get("text", "")) and m.get("subtype") != "tombstone"
            ]

    def add_reply(thread: str, text: str) -> str:
        return world.add_reply(thread, world.expert, text, clock.now())

    return Rig(
        "slack",
        clock,
        proxy,
        make,
        threads,
        world.me,
        world.expert,
        copies,
        add_reply,
        server=server,
    )


def _zulip(stack: ExitStack, clock: FakeClock, *, skew: timedelta = ZERO, **_: Any) -> Rig:
    from tests.helpers.fake_zulip import FakeZulip
    from tests.integration.connectors.test_zulip_contract import ZulipWorld

    server = FakeZulip()
    server.wall = lambda: clock.time() + skew.total_seconds()
    stack.callback(server.stop)
    world = ZulipWorld(server, clock.now())
    threads = [
        world.add_thread(
            world.author, f"Vraag {i}: werkt de VPN?", _ago(clock, 5 - i), title=f"VPN {i}"
        )
        for i in range(2)
    ]
    proxy = FaultProxy(server.url, ZulipDialect(), clock)
    stack.callback(proxy.stop)
    proxy.skew = skew

    def make() -> Connector:
        from cm_console.connectors.zulip.connector import ZulipConnector

        return wire(
            ZulipConnector(
                AccountConfig(name="acct", url=proxy.url, username="mona@example.test"),
                ConnectorContext(secret=Secret(world.key), clock=clock.now),
            ),
            clock,
        )

    def copies(token: str) -> list[str]:
        with server.lock:
            return [str(i) for i, m in server.messages.items() if token in m["content"]]

    def add_reply(thread: str, text: str) -> str:
        return world.add_reply(thread, world.expert, text, clock.now())

    return Rig(
        "zulip",
        clock,
        proxy,
        make,
        threads,
        world.me,
        world.expert,
        copies,
        add_reply,
        server=server,
    )


def _teams(stack: ExitStack, clock: FakeClock, *, skew: timedelta = ZERO, **_: Any) -> Rig:
    from cm_console.connectors.teams.connector import TeamsConnector
    from tests.helpers.fake_graph import FakeGraph
    from tests.helpers.fixture_server import serving
    from tests.integration.connectors.test_teams_contract import TeamsWorld

    graph = stack.enter_context(serving(FakeGraph()))
    assert isinstance(graph, FakeGraph)
    graph.wall = lambda: clock.now() + skew
    graph.clock = clock.monotonic
    world = TeamsWorld(graph)
    world.now = clock.now()
    threads = [
        world.add_thread(world.author, f"Vraag {i}: werkt de VPN?", _ago(clock, 5 - i))
        for i in range(2)
    ]
    proxy = FaultProxy(graph.base_url, GraphDialect(), clock)
    stack.callback(proxy.stop)
    upstream, here = graph.base_url.encode(), proxy.url.encode()
    proxy.rewrite = lambda body: body.replace(upstream, here)  # links name the proxy
    proxy.skew = skew

    def make() -> Connector:
        return wire(
            TeamsConnector(
                AccountConfig(name="acct", url=f"{proxy.url}/v1.0"),
                ConnectorContext(secret=Secret("token-me"), clock=clock.now),
                sleep=clock.sleep,
                monotonic=clock.monotonic,
            ),
            clock,
        )

    def copies(token: str) -> list[str]:
        with graph.lock:
            found = [
                r["id"]
                for roots in graph.roots.values()
                for root in roots
                for r in [root, *root["_replies"]]
                if token in html.unescape(r["body"]["content"]) and not r.get("deletedDateTime")
            ]
            found += [
                m["id"]
                for chat in graph.chats.values()
                for m in chat["messages"]
                if token in m["body"]["content"]
            ]
            return found

    def add_reply(thread: str, text: str) -> str:
        return world.add_reply(thread, world.expert, text, clock.now())

    return Rig(
        "teams",
        clock,
        proxy,
        make,
        threads,
        world.me,
        world.expert,
        copies,
        add_reply,
        server=graph,
    )


def _engage(stack: ExitStack, clock: FakeClock, *, skew: timedelta = ZERO, **_: Any) -> Rig:
    from cm_console.connectors.engage.connector import EngageConnector
    from tests.helpers.fake_yammer import FakeYammer
    from tests.helpers.fixture_server import serving
    from tests.integration.connectors.test_engage_contract import EngageWorld

    yammer = stack.enter_context(serving(FakeYammer()))
    assert isinstance(yammer, FakeYammer)
    yammer.wall = lambda: clock.now() + skew
    yammer.clock = clock.monotonic
    world = EngageWorld(yammer)
    world.now = clock.now()
    threads = [
        world.add_thread(world.author, f"Vraag {i}: werkt de VPN?", _ago(clock, 5 - i))
        for i in range(2)
    ]
    proxy = FaultProxy(yammer.base_url, YammerDialect(), clock)
    stack.callback(proxy.stop)
    upstream, here = yammer.base_url.encode(), proxy.url.encode()
    proxy.rewrite = lambda body: body.replace(upstream, here)  # links name the proxy
    proxy.skew = skew

    def make() -> Connector:
        return wire(
            EngageConnector(
                AccountConfig(name="acct", url=f"{proxy.url}/api/v1"),
                ConnectorContext(secret=Secret("token-me"), clock=clock.now),
                sleep=clock.sleep,
                monotonic=clock.monotonic,
            ),
            clock,
        )

    def copies(token: str) -> list[str]:
        with yammer.lock:
            return [str(m["id"]) for m in yammer.messages if token in m["body"]["plain"]]

    def add_reply(thread: str, text: str) -> str:
        return world.add_reply(thread, world.expert, text, clock.now())

    return Rig(
        "engage",
        clock,
        proxy,
        make,
        threads,
        world.me,
        world.expert,
        copies,
        add_reply,
        server=yammer,
    )


def _matrix(
    stack: ExitStack, clock: FakeClock, *, synapse: Any = None, skew: timedelta = ZERO, **_: Any
) -> Rig:
    from cm_console.connectors.matrix.connector import MatrixConnector
    from tests.helpers.matrix_world import MatrixWorld

    if synapse is None:
        raise RuntimeError("the Matrix rig needs the session's Synapse")
    world = MatrixWorld(synapse, clock.now())
    stack.callback(world.leave)
    threads = [
        world.add_thread(world.author, f"Vraag {i}: werkt de VPN?", _ago(clock, 5 - i))
        for i in range(2)
    ]
    proxy = FaultProxy(world.server.url, MatrixDialect(), clock)
    stack.callback(proxy.stop)
    proxy.skew = skew

    def make() -> Connector:
        return wire(
            MatrixConnector(
                AccountConfig(name="acct", url=proxy.url, username=synapse.me.user_id),
                ConnectorContext(secret=Secret(synapse.me.access_token), clock=clock.now),
            ),
            clock,
        )

    def copies(token: str) -> list[str]:
        # Replies land in the world's room, direct messages in the rooms the console recorded
        # as direct with the colleague (a lost createRoom answer may leave an empty extra one).
        rooms = [world.container_id]
        direct = world.server.act(
            "GET",
            f"/_matrix/client/v3/user/{quote(synapse.me.user_id, safe='')}/account_data/m.direct",
            user=synapse.me,
            ok=(200, 404),  # 404: no direct message was ever recorded
        )
        if isinstance(direct, dict) and "errcode" not in direct:
            rooms += [r for r in direct.get(synapse.expert.user_id, []) if r not in rooms]
        found: list[str] = []
        for room in rooms:
            found += [
                e["event_id"]
                for e in world.server.messages(room, synapse.me, limit=500)
                if e.get("type") == "m.room.message"
                and token in str((e.get("content") or {}).get("body", ""))
            ]
        return found

    def add_reply(thread: str, text: str) -> str:
        return world.add_reply(thread, world.expert, text, clock.now())

    return Rig(
        "matrix",
        clock,
        proxy,
        make,
        threads,
        world.me,
        world.expert,
        copies,
        add_reply,
        server=world.server,
    )


def http_date(at: datetime) -> str:
    return format_datetime(at.astimezone(UTC), usegmt=True)
