"""Matrix browser sign-in: OAuth 2.0 (code + PKCE, refresh) and SSO on a loopback redirect."""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cm_console.connectors.base import AccountConfig, ConnectorContext, LoginMethod
from cm_console.connectors.errors import AuthError, NotSupported
from cm_console.connectors.matrix.api import MatrixSession
from cm_console.connectors.matrix.connector import MatrixConnector
from cm_console.domain.model import Secret
from tests.e2e.test_cli import run
from tests.helpers.fake_homeserver import USER, FakeHomeserver


class Browser:
    """Opens URLs as the system browser would: follows the redirects to the loopback page."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def open_url(self, url: str) -> None:
        self.opened.append(url)
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()

    def show(self, message: str) -> None:
        pass


@pytest.fixture(params=[True, False], ids=["oauth", "sso"])
def homeserver(request: pytest.FixtureRequest) -> Iterator[FakeHomeserver]:
    server = FakeHomeserver(oauth=request.param)
    yield server
    server.stop()


def test_browser_sign_in_gives_a_working_session(homeserver: FakeHomeserver) -> None:
    browser = Browser()
    account = AccountConfig(name="mx", url=homeserver.url, username=USER)
    secret = MatrixConnector.interactive_login(
        LoginMethod.BROWSER, account, ConnectorContext(), browser
    ).secret
    session = MatrixSession.parse(secret)
    assert session is not None
    if homeserver.oauth:
        assert "/oauth/authorize?" in browser.opened[0]
        assert session.refresh_token and session.client_id and session.device_id
        assert homeserver.devices == [session.device_id]
    else:
        assert "/login/sso/redirect?redirectUrl=http%3A%2F%2F127.0.0.1%3A" in browser.opened[0]
        assert session.device_id == "SSODEV"
    saved: list[Secret] = []
    connector = MatrixConnector(account, ConnectorContext(secret=secret, save_secret=saved.append))
    assert connector.whoami().display_name == "Sam Signon"
    assert not any(session.access_token in url for url in browser.opened)


def test_an_expired_oauth_token_is_refreshed_and_kept() -> None:
    server = FakeHomeserver(oauth=True)
    try:
        account = AccountConfig(name="mx", url=server.url, username=USER)
        secret = MatrixConnector.interactive_login(
            LoginMethod.BROWSER, account, ConnectorContext(), Browser()
        ).secret
        server.expire_all()
        saved: list[Secret] = []
        connector = MatrixConnector(
            account, ConnectorContext(secret=secret, save_secret=saved.append)
        )
        assert connector.whoami().remote_id == USER
        assert len(saved) == 1 and saved[0] != secret
        # Without a refresh token an expired session needs a new sign-in.
        server.expire_all()
        plain = MatrixSession.parse(saved[0])
        assert plain is not None
        bare = Secret(plain.access_token)
        with pytest.raises(AuthError):
            MatrixConnector(account, ConnectorContext(secret=bare)).whoami()
    finally:
        server.stop()


def test_device_code_is_not_offered() -> None:
    with pytest.raises(NotSupported):
        MatrixConnector.interactive_login(
            LoginMethod.DEVICE,
            AccountConfig(name="mx", url="https://hs.example"),
            ConnectorContext(),
            Browser(),
        )


def test_cli_account_add_with_browser_login(homeserver: FakeHomeserver, tmp_path: Path) -> None:
    browser = f"{sys.executable} {Path(__file__).parents[2] / 'helpers' / 'fake_browser.py'} %s"
    profile = tmp_path / "profile"
    proc = run(
        profile,
        "account",
        "add",
        "matrix",
        "--name",
        "mx",
        "--url",
        homeserver.url,
        "--user",
        USER,
        "--login",
        "browser",
        env={"BROWSER": browser},
    )
    assert "added mx" in proc.stdout
    accounts = json.loads(run(profile, "account", "list", "--json").stdout)
    assert [a["name"] for a in accounts] == ["mx"]
