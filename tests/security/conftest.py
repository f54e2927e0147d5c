"""A socket guard for every security test: nothing may leave the machine.

Connections to anything but loopback (and Unix sockets) and name look-ups of anything but
``localhost`` are refused and recorded; the test fails if any was attempted. The hostile inputs
point at remote hosts on purpose, so a regression must fail here rather than reach the network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkAttempts(list[str]):
    """What the code under test tried to reach outside loopback."""


def _loopback(host: Any) -> bool:
    if not isinstance(host, str):
        return False
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkAttempts]:
    attempts = NetworkAttempts()

    def allowed(sock: socket.socket, address: Any) -> bool:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return True
        host = address[0] if isinstance(address, tuple) else address
        if _loopback(host):
            return True
        attempts.append(f"connect {address!r}")
        return False

    def connect(sock: socket.socket, address: Any) -> None:
        if not allowed(sock, address):
            raise OSError(101, "network guard: only loopback is reachable in security tests")
        _real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        if not allowed(sock, address):
            return 101
        return _real_connect_ex(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and not _loopback(name):
            attempts.append(f"resolve {name!r}")
            raise socket.gaierror(socket.EAI_NONAME, "network guard: no name resolution")
        return _real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert not attempts, f"tried to reach the network: {attempts[:5]}"
