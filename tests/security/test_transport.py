"""Transport rules against real loopback servers, plain and TLS (a trustme CA).

Complements tests/integration/connectors/test_http.py: what a hostile server can make the client
do with a page's "next" link or a redirect, and that TLS verification cannot be switched off.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from cm_console.connectors import http
from cm_console.connectors.errors import NetworkError, PermanentError
from tests.integration.connectors.test_http import Scripted, client, reply

CANARY = b"sekrit-token"


def start(srv: Scripted) -> Scripted:
    threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return srv


@pytest.fixture
def servers() -> Iterator[list[Scripted]]:
    started: list[Scripted] = []
    yield started
    for srv in started:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def tls_server(ca: trustme.CA, *names: str) -> Scripted:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    return Scripted(tls=context)


@pytest.fixture
def bundle(ca: trustme.CA, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def test_a_next_link_to_plain_http_on_the_same_host_gets_no_credentials(
    servers: list[Scripted],
) -> None:
    # The account is https://127.0.0.1:P; a page says "next: http://127.0.0.1:P/…". The same
    # host and port, so before this rule the token went out in plain text.
    srv = start(Scripted())
    servers.append(srv)
    srv.script = [reply(200)]
    port = srv.server_address[1]
    c = client(f"https://127.0.0.1:{port}/")
    c.get(f"http://127.0.0.1:{port}/page2")
    assert len(srv.seen) == 1
    assert CANARY not in srv.seen[0]
    assert b"authorization" not in srv.seen[0].lower()


@pytest.mark.parametrize(
    "target",
    [
        "http://intranet.example.org/page2",
        "http://192.0.2.1/page2",
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        "https://user:pw@127.0.0.1/x",
    ],
)
def test_a_next_link_the_client_must_not_follow_is_refused_before_any_connection(
    target: str, servers: list[Scripted]
) -> None:
    srv = start(Scripted())
    servers.append(srv)
    with pytest.raises(PermanentError) as info:
        client(srv.url).get(target)
    assert info.value.code == "insecure_url"
    assert srv.seen == []


@pytest.mark.parametrize(
    "location",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "http://intranet.example.org/", "gopher://x/"],
)
def test_a_redirect_to_a_non_web_or_remote_plain_address_is_refused(
    location: str, servers: list[Scripted]
) -> None:
    srv = start(Scripted())
    servers.append(srv)
    srv.script = [reply(302, b"", {"Location": location})]
    with pytest.raises(PermanentError) as info:
        client(srv.url).get("start")
    assert info.value.code == "insecure_url"
    assert len(srv.seen) == 1


def test_a_redirect_to_another_host_drops_headers_a_caller_passed_too(
    servers: list[Scripted],
) -> None:
    first, other = start(Scripted()), start(Scripted())
    servers.extend([first, other])
    first.script = [reply(307, b"", {"Location": f"http://localhost:{other.server_address[1]}/"})]
    other.script = [reply(200)]
    client(first.url).get(
        "start", headers={"Cookie": "session=sekrit-token", "Api-Key": "sekrit-token", "X-Id": "1"}
    )
    assert first.seen[0].count(CANARY) == 3
    assert CANARY not in other.seen[0]
    assert b"x-id: 1" in other.seen[0].lower()


def test_a_tls_redirect_to_another_host_drops_credentials(
    ca: trustme.CA, bundle: str, servers: list[Scripted]
) -> None:
    first = start(tls_server(ca, "127.0.0.1"))
    other = start(tls_server(ca, "localhost"))
    servers.extend([first, other])
    first.script = [reply(302, b"", {"Location": f"https://localhost:{other.server_address[1]}/"})]
    other.script = [reply(200)]
    client(first.url, ca_bundle=bundle).get("start")
    assert CANARY in first.seen[0]
    assert len(other.seen) == 1 and CANARY not in other.seen[0]


def test_an_untrusted_or_misnamed_certificate_is_refused(
    ca: trustme.CA, bundle: str, servers: list[Scripted], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = start(tls_server(ca, "127.0.0.1"))
    misnamed = start(tls_server(ca, "intranet.example.org"))
    stranger = start(tls_server(trustme.CA(), "127.0.0.1"))
    servers.extend([good, misnamed, stranger])
    good.script = [reply(200)]
    assert client(good.url, ca_bundle=bundle).get("x").status == 200
    # The environment variables that switch verification off for curl and requests users are
    # not honoured: verification stays on whatever they say.
    monkeypatch.setenv("CURL_CA_BUNDLE", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    monkeypatch.setenv("PYTHONHTTPSVERIFY", "0")
    for srv, ca_bundle in ((misnamed, bundle), (stranger, bundle), (good, None)):
        with pytest.raises(NetworkError) as info:
            client(srv.url, ca_bundle=ca_bundle).get("x")
        assert info.value.code == "tls"
    assert len(good.seen) == 1, "no request went out over an unverified connection"
    assert misnamed.seen == [] and stranger.seen == []


def test_verification_has_no_off_switch() -> None:
    import inspect

    params = inspect.signature(http.HttpClient).parameters
    assert not {"verify", "insecure", "verify_tls"} & set(params)
    c = http.HttpClient("https://127.0.0.1:9/", ca_bundle="")
    assert c._verify is True  # an empty bundle means the system's CAs, never "no check"
