"""The Slack connector passes the shared contract against the fixture workspace."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cm_console.connectors.base import Connector
from tests.helpers.contract import ConnectorContract
from tests.helpers.fake_slack import FakeSlack
from tests.integration.connectors.slack_world import SlackWorld, make_slack, slack

__all__ = ["slack"]


class TestSlack(ConnectorContract):
    @pytest.fixture
    def world(self, slack: tuple[FakeSlack, str]) -> SlackWorld:
        return SlackWorld(*slack)

    @pytest.fixture
    def make_connector(self, slack: tuple[FakeSlack, str]) -> Callable[[], Connector]:
        server, url = slack
        token = server.token("U001")
        return lambda: make_slack(url, token)
