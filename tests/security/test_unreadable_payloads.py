"""A hostile or broken server's payload shapes end as an error on that account, never a crash.

Found by fuzzing the connectors' normalizers (tests/fuzz): a Mattermost ``create_at`` of 10**30
made ``datetime.fromtimestamp`` raise OverflowError, which escaped the sync as a traceback. A
Matrix client can put ``"\\ud800"`` in an event; the lone surrogate could not be stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.model import Secret
from tests.helpers.fake_mattermost import FakeMattermost
from tests.integration.connectors.test_mattermost_contract import MattermostWorld


@pytest.fixture
def server() -> Iterator[tuple[FakeMattermost, MattermostWorld]]:
    fake = FakeMattermost()
    yield fake, MattermostWorld(fake, now=datetime.now(UTC))
    fake.stop()


def test_an_impossible_timestamp_is_an_account_error_and_keeps_what_was_stored(
    tmp_path: Path, server: tuple[FakeMattermost, MattermostWorld]
) -> None:
    fake, world = server
    now = datetime.now(UTC)
    first = world.add_thread(world.author, "Een gewone vraag", now - timedelta(hours=3))
    ws = app_module.open_workspace(
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        config.Paths(tmp_path / "profile"),
        app_module.system_clock,
    )
    try:
        ws.accounts.add(platform="mattermost", name="mm", url=fake.url, secret=Secret(world.token))
        assert ws.sync.sync("mm").accounts[0].error is None
        bad = world.add_thread(world.author, "Vreemde tijd", now - timedelta(hours=1))
        fake.posts[bad]["create_at"] = 10**30
        fake.posts[bad]["update_at"] = 10**30
        report = ws.sync.sync("mm")
        result = report.accounts[0]
        assert result.error_code == "unreadable", result
        assert "cannot read" in (result.error or "")
        assert ws.triage.resolve(f"mm/{first}"), "what was stored before stays"
    finally:
        ws.close()
