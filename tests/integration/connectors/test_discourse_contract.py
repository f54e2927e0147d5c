"""The Discourse connector passes the shared contract against the fixture forum, with both keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cm_console.connectors.base import Connector
from tests.helpers.contract import ConnectorContract
from tests.helpers.fake_discourse import FakeDiscourse
from tests.integration.connectors.discourse_world import (
    DiscourseWorld,
    connector_factory,
    discourse,
)

__all__ = ["discourse"]


class TestDiscourseAdminKey(ConnectorContract):
    @pytest.fixture
    def world(self, discourse: tuple[FakeDiscourse, str]) -> DiscourseWorld:
        return DiscourseWorld(*discourse)

    @pytest.fixture
    def make_connector(self, discourse: tuple[FakeDiscourse, str]) -> Callable[[], Connector]:
        return connector_factory(discourse[1])


class TestDiscourseUserApiKey(ConnectorContract):
    """A User API key of a regular (non-staff) member: the duplicate check applies to it."""

    @pytest.fixture
    def world(self, discourse: tuple[FakeDiscourse, str]) -> DiscourseWorld:
        server, url = discourse
        server.users[1].admin = False
        return DiscourseWorld(server, url)

    @pytest.fixture
    def make_connector(
        self, discourse: tuple[FakeDiscourse, str], world: DiscourseWorld
    ) -> Callable[[], Connector]:
        server, url = discourse
        key = server.user_key(1)
        return connector_factory(
            url, secret=key, user=None, options={"auth": "user_api_key", "client_id": "t"}
        )
