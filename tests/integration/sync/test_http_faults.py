"""How the shared HTTP client classifies each fault of the proxy, for writes and read-backs.

The outbox's safety rests on this table (reliability reference §1.4): a write that may have been
applied is *ambiguous* (reconcile before any resend), one that provably never left is
*retryable*, a throttle carries the platform's delay — whatever the ``Retry-After`` says.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from cm_console.connectors.attempts import single_attempts
from cm_console.connectors.errors import (
    AmbiguousError,
    ConnectorError,
    MalformedResponse,
    NetworkError,
    RateLimited,
)
from cm_console.connectors.http import RETRY_AFTER_MAX, HttpClient
from tests.helpers.faultserver import FakeClock, Fault, FaultProxy
from tests.helpers.faultserver_platforms import Dialect, wire
from tests.helpers.wsgi import json_response, serve


class Echo(Dialect):
    import re

    create = re.compile(r"^/items$")
    readback = re.compile(r"^/items$")


def app(environ: dict[str, Any], start_response: Any) -> Any:
    request = Request(environ)
    body = {"id": "42", "method": request.method, "padding": "x" * 200}
    response: Response = json_response(body, 201 if request.method == "POST" else 200)
    return response(environ, start_response)


@pytest.fixture
def proxy() -> Iterator[FaultProxy]:
    with serve(app) as url:
        p = FaultProxy(url.rstrip("/"), Echo(), FakeClock())
        try:
            yield p
        finally:
            p.stop()


def client(proxy: FaultProxy) -> HttpClient:
    http = HttpClient(proxy.url)

    class Holder:
        pass

    holder = Holder()
    holder.http = http  # type: ignore[attr-defined]
    wire(holder, proxy.clock)  # type: ignore[arg-type]
    return http


WRITE_OUTCOMES: list[tuple[Fault, type[ConnectorError] | None]] = [
    (Fault.OK, None),
    (Fault.DRIP_OK, None),
    (Fault.RESET, AmbiguousError),
    (Fault.REJECT_500, AmbiguousError),
    (Fault.PORTAL_HTML, AmbiguousError),
    (Fault.HANG, AmbiguousError),
    (Fault.ACCEPT_RESET, AmbiguousError),
    (Fault.ACCEPT_500, AmbiguousError),
    (Fault.ACCEPT_504, AmbiguousError),
    (Fault.ACCEPT_TRUNCATED, AmbiguousError),
    (Fault.ACCEPT_HTML, AmbiguousError),
    (Fault.ACCEPT_DRIP, AmbiguousError),
    (Fault.ACCEPT_HANG, AmbiguousError),
]


@pytest.mark.parametrize(("fault", "expected"), WRITE_OUTCOMES)
def test_a_write_that_may_have_been_applied_is_ambiguous(
    proxy: FaultProxy, fault: Fault, expected: type[ConnectorError] | None
) -> None:
    http = client(proxy)
    proxy.arm(fault)
    if expected is None:
        assert http.post_json("items", {"a": 1})["id"] == "42"
    else:
        with pytest.raises(expected):
            http.post_json("items", {"a": 1})
    http.close()


def test_a_write_that_never_left_is_retryable(proxy: FaultProxy) -> None:
    http = client(proxy)
    proxy.set_offline(True)
    with pytest.raises(NetworkError) as info:
        http.post_json("items", {"a": 1})
    assert not isinstance(info.value, AmbiguousError)
    proxy.set_offline(False)
    assert http.post_json("items", {"a": 1})["id"] == "42"


RETRY_AFTER: list[tuple[str, timedelta | None]] = [
    ("0", timedelta(0)),
    ("1", timedelta(seconds=1)),
    ("-5", timedelta(0)),
    ("1.5", timedelta(seconds=1.5)),
    ("garbage", None),
    ("", None),
    ("date-past", timedelta(0)),
    ("date-future", timedelta(seconds=120)),
    ("120", timedelta(seconds=120)),
    ("huge", RETRY_AFTER_MAX),
]


@pytest.mark.parametrize(("spec", "delay"), RETRY_AFTER)
def test_a_throttle_carries_the_servers_delay(
    proxy: FaultProxy, spec: str, delay: timedelta | None
) -> None:
    http = client(proxy)
    proxy.arm(Fault.THROTTLE, spec=spec)
    with pytest.raises(RateLimited) as info:
        http.post_json("items", {"a": 1})
    assert info.value.retry_after == delay


def test_an_http_date_is_read_against_the_servers_clock(proxy: FaultProxy) -> None:
    """The server's clock is two hours behind ours: its "in two minutes" is still two
    minutes, not "long ago" (which would let the client send again at once)."""
    http = client(proxy)
    behind = FakeClock(proxy.clock.now() - timedelta(hours=2))
    proxy.clock = behind
    proxy.arm(Fault.THROTTLE, spec="date-future")
    with pytest.raises(RateLimited) as info:
        http.post_json("items", {"a": 1})
    assert info.value.retry_after == timedelta(seconds=120)


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        (Fault.RESET, NetworkError),
        (Fault.REJECT_500, ConnectorError),
        (Fault.PORTAL_HTML, MalformedResponse),
        (Fault.ACCEPT_TRUNCATED, NetworkError),
        (Fault.THROTTLE, RateLimited),
    ],
)
def test_a_read_back_in_the_sender_is_tried_once_and_never_waits(
    proxy: FaultProxy, fault: Fault, expected: type[ConnectorError]
) -> None:
    http = client(proxy)
    proxy.arm(fault, "readback", spec="20")
    slept = list(proxy.clock.slept)
    with single_attempts(), pytest.raises(expected):
        http.get_json("items")
    assert proxy.clock.slept == slept
    assert len(proxy.requests("readback")) == 1


@pytest.mark.parametrize("fault", [Fault.HANG, Fault.ACCEPT_HANG, Fault.ACCEPT_DRIP])
def test_a_slow_fault_moves_the_clock_before_the_client_gives_up(
    proxy: FaultProxy, fault: Fault
) -> None:
    """The time a hang or an endless drip takes has passed by the time the client sees its
    timeout: it never lands later, in the middle of the next request."""
    http = client(proxy)
    started = proxy.clock.now()
    proxy.arm(fault)
    with pytest.raises(AmbiguousError):
        http.post_json("items", {"a": 1})
    assert proxy.clock.now() - started >= timedelta(seconds=30)
    after = proxy.clock.now()
    http.close()
    proxy.settle()
    assert proxy.clock.now() == after, "nothing moved the clock once the client gave up"


def test_settle_waits_for_requests_the_client_gave_up_on() -> None:
    """Clients that send a write and leave without the answer: once the proxy has settled, each
    request was seen and forwarded to the platform."""
    applied: list[str] = []

    def counting(environ: dict[str, Any], start_response: Any) -> Any:
        applied.append(environ["REQUEST_METHOD"])
        return app(environ, start_response)

    with serve(counting) as url:
        proxy = FaultProxy(url.rstrip("/"), Echo(), FakeClock())
        try:
            port = int(proxy.url.rsplit(":", 1)[1])
            for _ in range(10):
                with socket.create_connection(("127.0.0.1", port)) as sock:
                    sock.sendall(b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
            proxy.settle()
            assert len(proxy.requests("create")) == 10
            assert applied == ["POST"] * 10
        finally:
            proxy.stop()
