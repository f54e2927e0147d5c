"""A private PostgreSQL server for the test session (Debian's ``postgresql`` package).

The server runs from a temporary data directory on a free loopback port, owned by the
``postgres`` user when the tests run as root (``initdb`` refuses root). Set
``CM_CONSOLE_TEST_PG_URL`` to an admin URL to use an existing server instead.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError(
        "PostgreSQL server binaries are missing: install Debian's 'postgresql' package "
        "(.ci/quickstart test does this)"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """A running throwaway cluster; :meth:`database` hands out fresh databases."""

    def __init__(self) -> None:
        self.admin_url = os.environ.get("CM_CONSOLE_TEST_PG_URL", "")
        self._proc_dir: Path | None = None
        self._run_as: str | None = None
        if not self.admin_url:
            self._start()

    def _cmd(self, *args: str) -> list[str]:
        if self._run_as:
            return ["runuser", "-u", self._run_as, "--", *args]
        return list(args)

    def _start(self) -> None:
        bins = _bin_dir()
        # The cluster is thrown away after the session: on a RAM disk, creating a database from
        # the template takes ~50 ms instead of more than a second on a slow disk.
        ram = Path("/dev/shm")
        ram_ok = ram.is_dir() and os.access(ram, os.W_OK)
        base = Path(tempfile.mkdtemp(prefix="cmc-pg-", dir=ram if ram_ok else None))
        data, sock = base / "data", base / "sock"
        sock.mkdir()
        if os.geteuid() == 0:
            self._run_as = "postgres"
            entry = pwd.getpwnam("postgres")
            for path in (base, sock):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()
        subprocess.run(
            self._cmd(
                str(bins / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ),
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {sock} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            self._cmd(
                str(bins / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(base / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ),
            check=True,
            capture_output=True,
        )
        self._proc_dir = base
        self._data = data
        self._bins = bins
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10)

    def database(self, template: str | None = None) -> str:
        """Create an empty database (optionally from a template) and return its SQLAlchemy URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with self._admin() as conn:
            if template:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                conn.execute(f'CREATE DATABASE "{name}"')
        host_part = self.admin_url.split("://", 1)[1].rsplit("/", 1)[0]
        return f"postgresql+psycopg://{host_part}/{name}"

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(psycopg.Error), self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._proc_dir is None:
            return
        subprocess.run(
            self._cmd(
                str(self._bins / "pg_ctl"), "-D", str(self._data), "-m", "immediate", "-w", "stop"
            ),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self._proc_dir, ignore_errors=True)
        self._proc_dir = None


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                server._admin().close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield server
    finally:
        server.stop()
