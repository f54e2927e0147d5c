"""MSAL sign-in against a fake Entra authority over https (test CA), then Graph and Yammer.

Device code, the silent refresh (expired cache entry, and a 401 from the API), a refused refresh,
the second token for Viva Engage from the same sign-in, and where tokens may and may not end up.
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import msal_extensions
import pytest

from cm_console.connectors.base import AccountConfig, ConnectorContext, LoginMethod
from cm_console.connectors.engage.connector import EngageConnector
from cm_console.connectors.errors import AuthError, ConfigurationError
from cm_console.connectors.teams.connector import TeamsConnector
from cm_console.domain.model import Secret
from tests.helpers.fake_entra import FakeEntra, Identity, LocalCA
from tests.helpers.fake_graph import FakeGraph
from tests.helpers.fake_yammer import FakeYammer
from tests.helpers.fixture_server import FakeTime, serving
from tests.integration.connectors.test_engage_contract import EngageWorld
from tests.integration.connectors.test_teams_contract import ME, TeamsWorld

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CANARY = "CANARY"


class RecordingUI:
    """What a window or terminal would show during sign-in."""

    def __init__(self) -> None:
        self.codes: list[tuple[str, str, str]] = []
        self.warnings: list[str] = []
        self.urls: list[str] = []

    def open_url(self, url: str) -> None:
        self.urls.append(url)

    def show_device_code(self, message: str, url: str, code: str) -> None:
        self.codes.append((message, url, code))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def cancelled(self) -> bool:
        return False


@dataclass
class Stack:
    entra: FakeEntra
    graph: FakeGraph
    yammer: FakeYammer
    cache_dir: Path

    def options(self, **extra: str) -> dict[str, str]:
        return {
            "tenant": self.entra.tenant,
            "client_id": self.entra.client_id,
            "authority": self.entra.base_url,
            **extra,
        }

    def teams_account(self, **extra: str) -> AccountConfig:
        return AccountConfig(
            name="teams", url=f"{self.graph.base_url}/v1.0", options=self.options(**extra)
        )

    def context(self, secret: Secret | None = None) -> ConnectorContext:
        return ConnectorContext(
            secret=secret, clock=lambda: NOW, backends={"cache_dir": str(self.cache_dir)}
        )

    def teams(self, secret: Secret, **extra: str) -> TeamsConnector:
        time = FakeTime()
        return TeamsConnector(
            self.teams_account(**extra),
            self.context(secret),
            sleep=time.sleep,
            monotonic=time.monotonic,
        )

    def cache_files(self) -> list[Path]:
        return [p for p in self.cache_dir.rglob("*") if p.is_file()]


@pytest.fixture(scope="module")
def test_ca() -> LocalCA:
    return LocalCA()


@pytest.fixture
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_ca: LocalCA) -> Iterator[Stack]:
    # Only this test trusts the test CA; production code keeps verifying against the system.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(test_ca.bundle(tmp_path)))
    identity = Identity(ME.remote_id, "tenant-0001", "cm@contoso.example", ME.display_name)
    with serving(FakeGraph()) as graph, serving(FakeYammer()) as yammer:
        assert isinstance(graph, FakeGraph) and isinstance(yammer, FakeYammer)
        TeamsWorld(graph)
        EngageWorld(yammer)
        entra = FakeEntra([(graph.tokens, ME.remote_id), (yammer.tokens, "1001")], identity)
        with serving(entra, test_ca.server_context()):
            yield Stack(entra, graph, yammer, tmp_path / "cache")


def sign_in(stack: Stack, ui: RecordingUI, **extra: str) -> Secret:
    return TeamsConnector.interactive_login(
        LoginMethod.DEVICE, stack.teams_account(**extra), stack.context(), ui
    ).secret


def encryption_available(tmp_path: Path) -> bool:
    try:
        msal_extensions.build_encrypted_persistence(str(tmp_path / "probe.bin"))
    except (ImportError, ValueError, RuntimeError, OSError):
        return False
    return True


def test_device_code_sign_in_keeps_only_a_reference_in_the_secret(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ui = RecordingUI()
    secret = sign_in(stack, ui, token_cache="plaintext")
    assert [c[2] for c in ui.codes] == ["ABCD-EFGH"]
    assert "microsoft.example/devicelogin" in ui.codes[0][1]
    assert stack.entra.grants.count("urn:ietf:params:oauth:grant-type:device_code") == 2
    assert CANARY not in secret.reveal()
    assert json.loads(secret.reveal())["username"] == "cm@contoso.example"
    # The plaintext cache is the user's explicit choice: said out loud, and private to them.
    assert ui.warnings and "WITHOUT encryption" in ui.warnings[0]
    (cache,) = [p for p in stack.cache_files() if p.suffix == ".bin"]
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    conn = stack.teams(secret, token_cache="plaintext")
    assert conn.whoami().remote_id == ME.remote_id
    assert stack.entra.grants[-1] == "urn:ietf:params:oauth:grant-type:device_code"
    assert CANARY not in caplog.text, "no token in any log line"


def test_api_401_renews_the_token_once_silently(stack: Stack) -> None:
    secret = sign_in(stack, RecordingUI(), token_cache="plaintext")
    stack.graph.tokens.revoke(stack.entra.issued[-1])
    conn = stack.teams(secret, token_cache="plaintext")
    assert conn.whoami().remote_id == ME.remote_id
    assert stack.entra.grants[-1] == "refresh_token"
    me_calls = stack.graph.requests_to("GET", "/me$")
    assert len(me_calls) == 2
    assert me_calls[1].headers["Authorization"] == f"Bearer {stack.entra.issued[-1]}"


def test_an_expiring_cached_token_is_refreshed_before_use(stack: Stack) -> None:
    stack.entra.expires_in = 60  # MSAL renews tokens that expire within five minutes
    secret = sign_in(stack, RecordingUI(), token_cache="plaintext")
    conn = stack.teams(secret, token_cache="plaintext")
    conn.whoami()
    assert stack.entra.grants[-1] == "refresh_token"
    assert len(stack.graph.requests_to("GET", "/me$")) == 1, "no 401 was needed"


def test_a_refused_refresh_asks_to_sign_in_again(stack: Stack) -> None:
    secret = sign_in(stack, RecordingUI(), token_cache="plaintext")
    stack.entra.refuse_refresh = True
    stack.graph.tokens.revoke(stack.entra.issued[-1])
    with pytest.raises(AuthError) as caught:
        stack.teams(secret, token_cache="plaintext").whoami()
    assert caught.value.code == "signin_invalid_grant"
    assert CANARY not in str(caught.value) and "AADSTS" not in str(caught.value)


def test_engage_gets_its_own_token_from_the_same_sign_in(stack: Stack) -> None:
    secret = sign_in(stack, RecordingUI(), token_cache="plaintext")
    time = FakeTime()
    engage = EngageConnector(
        AccountConfig(
            name="engage",
            url=f"{stack.yammer.base_url}/api/v1",
            options=stack.options(token_cache="plaintext"),
        ),
        stack.context(secret),
        sleep=time.sleep,
        monotonic=time.monotonic,
    )
    assert engage.whoami().remote_id == "1001"
    assert stack.entra.grants[-1] == "refresh_token"
    (call,) = stack.yammer.requests_to("GET", "/users/current.json$")
    assert call.headers["Authorization"] == f"Bearer {stack.entra.issued[-1]}"


def test_without_a_keyring_an_unencrypted_cache_is_refused(stack: Stack, tmp_path: Path) -> None:
    if encryption_available(tmp_path):
        pytest.skip("this machine has encrypted persistence; see the test below")
    with pytest.raises(ConfigurationError) as caught:
        sign_in(stack, RecordingUI())
    assert caught.value.code == "insecure_cache_refused"
    assert "token_cache=plaintext" in str(caught.value)
    assert not [p for p in stack.cache_files() if p.suffix == ".bin"]
    assert stack.entra.grants == [], "nothing was asked of the authority"


def test_encrypted_cache_holds_no_plaintext_token(stack: Stack, tmp_path: Path) -> None:
    if not encryption_available(tmp_path):
        # Run inside a keyring session (test_msal_keyring.py), this must not skip.
        assert not os.environ.get("CMC_REQUIRE_ENCRYPTED_CACHE"), "no encrypted persistence"
        pytest.skip(
            "no encrypted persistence here (libsecret, PyGObject and an unlocked Secret Service "
            "are needed on Linux)"
        )
    secret = sign_in(stack, RecordingUI())
    assert stack.teams(secret).whoami().remote_id == ME.remote_id
    for path in stack.cache_files():
        assert CANARY.encode() not in path.read_bytes()
