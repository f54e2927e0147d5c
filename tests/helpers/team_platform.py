"""A slow platform for team-mode sync tests, and a console process that syncs it.

The platform yields a few pages with a pause between them and writes, per pull, when the pull
began and ended (wall clock and process id) to the file named in the account's ``log`` option:
overlapping intervals in that file would mean two consoles pulled the account at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cm_console import app as app_module
from cm_console import config
from cm_console.connectors.base import Capability, Connector, ConnectorInfo, ThreadRef
from cm_console.connectors.errors import NotSupported
from cm_console.connectors.registry import Registry
from cm_console.domain.model import (
    FullThread,
    Page,
    PlatformKind,
    RemotePost,
    RemoteThread,
)
from tests.helpers.builders import ALICE, HELP, ME

PAGES = 4
PAUSE_S = 0.06


class SlowPlatform(Connector):
    """Four pages of one new thread each, a pause before every page."""

    info = ConnectorInfo(
        id="slowtest",
        display_name="Slow test platform",
        kind=PlatformKind.FORUM,
        capabilities=frozenset({Capability.REPLY}),
        secret_label=None,
        url_label=None,
    )

    def whoami(self) -> Any:
        return ME

    def list_containers(self) -> list[Any]:
        return [HELP]

    def fetch(self, cursors: Mapping[str, Any]) -> Iterator[Page]:
        began = time.time()
        start = int((cursors.get("*") or {}).get("n", 0))
        try:
            for n in range(start, start + PAGES):
                time.sleep(PAUSE_S)
                at = datetime(2026, 11, 20, tzinfo=UTC) + timedelta(minutes=n)
                rid = f"slow-{n}"
                yield Page(
                    scope="*",
                    cursor={"n": n + 1},
                    containers=(HELP,),
                    people=(ALICE,),
                    threads=(RemoteThread(rid, HELP.remote_id, at, title=f"Slow {n}"),),
                    posts=(RemotePost(f"{rid}-0", rid, ALICE.remote_id, at, "?", is_root=True),),
                )
        finally:
            with Path(self.account.options["log"]).open("a", encoding="utf-8") as log:
                log.write(f"{os.getpid()} {began:.6f} {time.time():.6f}\n")

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        raise NotSupported("not in this test platform")


def registry() -> Registry:
    return Registry({"slowtest": SlowPlatform})


def sync_in_process(url: str, profile: str, skew_hours: float, rounds: int) -> list[str]:
    """A console on a machine whose clock is off by ``skew_hours``: sync the account a few times.

    Returns each round's outcome: ``ok`` or the error code (``busy`` when another console held
    the account's sync lease).
    """
    skew = timedelta(hours=skew_hours)
    ws = app_module.open_workspace(
        url,
        config.Paths(Path(profile)),
        lambda: datetime.now(UTC) + skew,
        registry=registry(),
        user_name=f"console-{os.getpid()}",
    )
    outcomes = []
    try:
        for _ in range(rounds):
            report = ws.sync.sync("acme", send=False)
            (one,) = report.accounts
            outcomes.append("ok" if one.ok else str(one.error_code))
    finally:
        ws.close()
    return outcomes


def intervals(log: Path) -> list[tuple[int, float, float]]:
    rows = []
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, began, ended = line.split()
        rows.append((int(pid), float(began), float(ended)))
    return sorted(rows, key=lambda r: r[1])
