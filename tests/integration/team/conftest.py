"""Two consoles on one database: Anouk's and Bram's, each with its own service stack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cm_console import app as app_module
from cm_console import config
from tests.helpers.fixtures import NOW

Open = Callable[[str], app_module.Workspace]


@pytest.fixture
def consoles(db_url: str, tmp_path: Path) -> Iterator[Open]:
    """Opens a console (a whole workspace) for a named user on the test database."""
    opened: list[app_module.Workspace] = []

    def open_console(user: str) -> app_module.Workspace:
        ws = app_module.open_workspace(
            db_url, config.Paths(tmp_path / user), app_module.fixed_clock(NOW), user_name=user
        )
        opened.append(ws)
        return ws

    yield open_console
    for ws in opened:
        ws.close()
