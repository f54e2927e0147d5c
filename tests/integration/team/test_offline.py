"""Losing the team database: the console notices, keeps what the user writes on this machine,
and hands it over when the connection is back. The network really goes away (a TCP proxy in
front of the PostgreSQL server is cut), nothing is simulated inside the console."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.outbox import OpState
from cm_console.services.triage import Offline
from cm_console.store import Unreachable
from tests.helpers.fixtures import NOW
from tests.helpers.postgres import PostgresServer
from tests.helpers.tcp_proxy import TcpProxy
from tests.integration.team.helpers import open_threads

pytestmark = pytest.mark.postgres


@pytest.fixture
def through_proxy(pg_server: PostgresServer, pg_template: str) -> Iterator[tuple[str, TcpProxy]]:
    url = pg_server.database(template=pg_template)
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    proxy = TcpProxy(parts.hostname, parts.port)
    yield url.replace(f":{parts.port}/", f":{proxy.port}/"), proxy
    proxy.stop()
    pg_server.drop(url)


def test_drafts_survive_a_lost_connection_and_reach_the_database_after(
    through_proxy: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = through_proxy
    ws = app_module.open_workspace(
        url, config.Paths(tmp_path / "anouk"), app_module.fixed_clock(NOW), user_name="anouk"
    )
    states: queue.Queue[tuple[bool, str]] = queue.Queue()
    changes: queue.Queue[object] = queue.Queue()
    listener = ws.team.listener(changes.put, lambda online, detail: states.put((online, detail)))
    assert listener is not None
    listener.start()
    try:
        assert listener.listening.wait(10)
        (tid,) = open_threads(ws.store, 1)
        ws.triage.show(tid)
        ws.triage.save_draft(tid, "Let me check")
        assert ws.store.triage.draft(tid, ws.triage.user.id) is not None
        assert ws.team.local_drafts is not None
        assert ws.team.local_drafts.pending(ws.triage.user.id) == [], "handed over at once"

        proxy.cut()
        online, detail = states.get(timeout=15)
        assert not online and detail
        with pytest.raises(Unreachable):
            ws.team.ping()
        ws.triage.save_draft(tid, "Let me check with facilities")  # no error: kept here
        draft = ws.triage.draft(tid)
        assert draft is not None and draft.text == "Let me check with facilities"
        with pytest.raises(Offline, match="kept as a draft"):
            ws.triage.reply(tid, "Facilities will fix it today.")
        kept = ws.team.local_drafts.pending(ws.triage.user.id)
        assert [d.text for d in kept] == ["Facilities will fix it today."]

        proxy.restore()
        assert states.get(timeout=30) == (True, "")
        ws.team.ping()
        assert ws.team.flush_drafts() == 1
        assert ws.team.local_drafts.pending(ws.triage.user.id) == []
        shared = ws.store.triage.draft(tid, ws.triage.user.id)
        assert shared is not None and shared.text == "Facilities will fix it today."
        op = ws.triage.reply(tid, shared.text).operation
        assert op is not None and ws.outbox.get(op.op_id).state is OpState.QUEUED
    finally:
        listener.stop()
        ws.close()


def test_a_console_started_while_the_database_is_down_says_so(
    through_proxy: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = through_proxy
    proxy.cut()
    with pytest.raises(Unreachable, match="lost the connection"):
        app_module.open_workspace(url, config.Paths(tmp_path / "p"), app_module.fixed_clock(NOW))
