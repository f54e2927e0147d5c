"""A real Synapse homeserver on 127.0.0.1 for the Matrix tests (one per test session).

Synapse lives in its own virtual environment (``.synapse-venv`` at the repository root, made by
``.ci/quickstart test``; this module makes it too when it is missing). The server gets a fresh
configuration in a temporary directory: loopback only, no federation, SQLite, a registration
shared secret, generous rate limits, and an application service whose users the tests post as
with backdated timestamps (``?ts=``, the Matrix timestamp massaging bridges use to import
history). It is stopped by PID when the session ends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".synapse-venv"
SERVER_NAME = "cmc.test"
AS_PREFIX = "cmc_"
STARTUP_TIMEOUT = 120.0
SYNAPSE_REQUIREMENT = "matrix-synapse==1.163.2"
"""The version the Matrix rows of the platform reference were checked on (as .ci/quickstart)."""

GENEROUS = {"per_second": 1000, "burst_count": 1000}
RATE_LIMITS: dict[str, Any] = {
    "rc_message": GENEROUS,
    "rc_registration": GENEROUS,
    "rc_login": {"address": GENEROUS, "account": GENEROUS, "failed_attempts": GENEROUS},
    "rc_joins": {"local": GENEROUS, "remote": GENEROUS},
    "rc_joins_per_room": GENEROUS,
    "rc_invites": {"per_room": GENEROUS, "per_user": GENEROUS, "per_issuer": GENEROUS},
    "rc_admin_redaction": GENEROUS,
    "rc_room_creation": GENEROUS,
    "rc_presence": {"per_user": GENEROUS},
    "rc_profile": GENEROUS,
    "rc_delayed_event_mgmt": GENEROUS,
}


def synapse_python() -> Path:
    """The interpreter of Synapse's own virtual environment, installing Synapse when missing."""
    python = VENV / "bin" / "python"
    probe = [str(python), "-c", "import synapse.app.homeserver"]
    if python.exists() and subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return python
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", SYNAPSE_REQUIREMENT],
        check=True,
        timeout=900,
    )
    return python


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class MatrixUser:
    """A user on the test server and the token that acts as them."""

    user_id: str
    display_name: str
    access_token: str
    device_id: str | None = None
    password: str | None = None
    appservice: bool = False


@dataclass
class Synapse:
    """A running Synapse and a small admin client for seeding it (stdlib HTTP only)."""

    url: str
    directory: Path
    shared_secret: str
    as_token: str
    process: subprocess.Popen[bytes] | None = None
    users: dict[str, MatrixUser] = field(default_factory=dict)

    # --- raw HTTP ------------------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        params: Mapping[str, Any] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> Any:
        url = self.url + path
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        if status not in ok:
            raise AssertionError(f"{method} {path} -> {status}: {raw[:300]!r}")
        return json.loads(raw) if raw else None

    def as_call(
        self, method: str, path: str, body: Any = None, *, user: MatrixUser, **kw: Any
    ) -> Any:
        """A request by an application-service user (``?user_id=`` masquerading)."""
        params = {"user_id": user.user_id, **kw.pop("params", {})}
        return self.call(method, path, body, token=self.as_token, params=params, **kw)

    # --- users ---------------------------------------------------------------------------------

    def register(self, localpart: str, display_name: str, *, admin: bool = False) -> MatrixUser:
        """A normal user, through the shared-secret admin registration API."""
        nonce = self.call("GET", "/_synapse/admin/v1/register")["nonce"]
        password = secrets.token_urlsafe(12)
        message = "\x00".join((nonce, localpart, password, "admin" if admin else "notadmin"))
        mac = hmac.new(self.shared_secret.encode(), message.encode(), hashlib.sha1)
        body = {
            "nonce": nonce,
            "username": localpart,
            "displayname": display_name,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        answer = self.call("POST", "/_synapse/admin/v1/register", body)
        user = MatrixUser(
            answer["user_id"], display_name, answer["access_token"], answer["device_id"], password
        )
        self.users[localpart] = user
        return user

    def register_puppet(self, localpart: str, display_name: str) -> MatrixUser:
        """A user owned by the test application service (it can post with backdated times)."""
        assert localpart.startswith(AS_PREFIX)
        answer = self.call(
            "POST",
            "/_matrix/client/v3/register",
            {"type": "m.login.application_service", "username": localpart},
            token=self.as_token,
        )
        user = MatrixUser(answer["user_id"], display_name, self.as_token, appservice=True)
        self.as_call(
            "PUT",
            f"/_matrix/client/v3/profile/{q(user.user_id)}/displayname",
            {"displayname": display_name},
            user=user,
        )
        self.users[localpart] = user
        return user

    def act(self, method: str, path: str, body: Any = None, *, user: MatrixUser, **kw: Any) -> Any:
        if user.appservice:
            return self.as_call(method, path, body, user=user, **kw)
        return self.call(method, path, body, token=user.access_token, **kw)

    # --- rooms and events ----------------------------------------------------------------------

    def create_room(
        self, owner: MatrixUser, name: str, members: list[MatrixUser], **extra: Any
    ) -> str:
        body = {"name": name, "preset": "public_chat", **extra}
        room_id: str = self.act("POST", "/_matrix/client/v3/createRoom", body, user=owner)[
            "room_id"
        ]
        for member in members:
            self.act("POST", f"/_matrix/client/v3/join/{q(room_id)}", {}, user=member)
        return room_id

    def send(
        self,
        room_id: str,
        user: MatrixUser,
        content: dict[str, Any],
        *,
        event_type: str = "m.room.message",
        ts_ms: int | None = None,
        txn: str | None = None,
    ) -> str:
        params = {"ts": ts_ms} if ts_ms is not None and user.appservice else {}
        path = (
            f"/_matrix/client/v3/rooms/{q(room_id)}/send/{event_type}/{txn or secrets.token_hex(8)}"
        )
        return str(self.act("PUT", path, content, user=user, params=params)["event_id"])

    def messages(self, room_id: str, user: MatrixUser, limit: int = 200) -> list[dict[str, Any]]:
        """The room's newest events (newest first)."""
        answer = self.act(
            "GET",
            f"/_matrix/client/v3/rooms/{q(room_id)}/messages",
            user=user,
            params={"dir": "b", "limit": limit},
        )
        return list(answer["chunk"])

    def thread_replies(self, room_id: str, root: str, user: MatrixUser) -> list[dict[str, Any]]:
        answer = self.act(
            "GET",
            f"/_matrix/client/v1/rooms/{q(room_id)}/relations/{q(root)}/m.thread",
            user=user,
            params={"limit": 200},
        )
        return list(answer["chunk"])

    def override_ratelimit(
        self, admin: MatrixUser, user: MatrixUser, per_second: int, burst: int
    ) -> None:
        self.call(
            "POST",
            f"/_synapse/admin/v1/users/{q(user.user_id)}/override_ratelimit",
            {"messages_per_second": per_second, "burst_count": burst},
            token=admin.access_token,
        )

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


def q(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def _write_config(directory: Path, port: int, shared_secret: str, as_token: str) -> Path:
    registration = directory / "appservice.yaml"
    # JSON is YAML: no PyYAML needed in the test venv.
    registration.write_text(
        json.dumps(
            {
                "id": "cmc-seeder",
                "url": None,
                "as_token": as_token,
                "hs_token": secrets.token_hex(16),
                "sender_localpart": "cmc-seeder-bot",
                "rate_limited": False,
                "namespaces": {
                    "users": [{"exclusive": True, "regex": f"@{AS_PREFIX}.*:{SERVER_NAME}"}],
                    "rooms": [],
                    "aliases": [],
                },
            }
        )
    )
    log_config = directory / "log.yaml"
    log_config.write_text(
        json.dumps(
            {
                "version": 1,
                "formatters": {
                    "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
                },
                "handlers": {
                    "file": {
                        "class": "logging.FileHandler",
                        "formatter": "plain",
                        "filename": str(directory / "homeserver.log"),
                    }
                },
                "root": {"level": "WARNING", "handlers": ["file"]},
                "disable_existing_loggers": False,
            }
        )
    )
    config = {
        "server_name": SERVER_NAME,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "pid_file": str(directory / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(directory / "homeserver.db")}},
        "log_config": str(log_config),
        "media_store_path": str(directory / "media"),
        "signing_key_path": str(directory / "signing.key"),
        "registration_shared_secret": shared_secret,
        "enable_registration": False,
        "report_stats": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "bcrypt_rounds": 4,
        "url_preview_enabled": False,
        "presence": {"enabled": False},
        "app_service_config_files": [str(registration)],
        "enable_metrics": False,
        # Synapse replays an identical /sync from a cache for 2 minutes; the tests sync the
        # same account many times a minute and must see every change at once.
        "caches": {"sync_response_cache_duration": 0},
        **RATE_LIMITS,
    }
    path = directory / "homeserver.yaml"
    path.write_text(json.dumps(config, indent=1))
    return path


def _wait_ready(server: Synapse, deadline: float) -> None:
    url = server.url + "/_matrix/client/versions"
    while True:
        assert server.process is not None
        if server.process.poll() is not None:
            log = (server.directory / "synapse.out").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"Synapse exited with {server.process.returncode}:\n{log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("Synapse did not start in time")
        time.sleep(0.2)  # waiting on Synapse's start-up, the one allowed wait


@contextmanager
def running_synapse(directory: Path) -> Iterator[Synapse]:
    """Configure, start and (at the end) stop a Synapse in ``directory``."""
    python = synapse_python()
    port = free_port()
    shared_secret = secrets.token_hex(16)
    as_token = secrets.token_hex(16)
    config = _write_config(directory, port, shared_secret, as_token)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    subprocess.run(
        [str(python), "-m", "synapse.app.homeserver", "-c", str(config), "--generate-keys"],
        check=True,
        capture_output=True,
        env=env,
        cwd=directory,
    )
    server = Synapse(f"http://127.0.0.1:{port}", directory, shared_secret, as_token)
    with (directory / "synapse.out").open("wb") as out:
        server.process = subprocess.Popen(
            [str(python), "-m", "synapse.app.homeserver", "-c", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=directory,
        )
    try:
        _wait_ready(server, time.monotonic() + STARTUP_TIMEOUT)
        yield server
    finally:
        server.stop()


@dataclass
class SynapseSession:
    """The session's server with its standing cast: the account's user, an admin, colleagues."""

    server: Synapse
    me: MatrixUser
    admin: MatrixUser
    author: MatrixUser
    expert: MatrixUser


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseSession]:
    """One Synapse for the whole test session (start-up takes seconds: it is shared)."""
    with running_synapse(tmp_path_factory.mktemp("synapse")) as server:
        yield SynapseSession(
            server=server,
            me=server.register("manager", "Mona Manager"),
            admin=server.register("admin", "Server Admin", admin=True),
            author=server.register_puppet(f"{AS_PREFIX}anna", "Anna Asker"),
            expert=server.register_puppet(f"{AS_PREFIX}sven", "Sven Expert"),
        )
