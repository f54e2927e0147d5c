"""The Matrix connector passes the shared contract against a real Synapse."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from cm_console.connectors.base import Connector
from tests.helpers.contract import ConnectorContract
from tests.helpers.matrix_world import MatrixWorld
from tests.helpers.synapse import SynapseSession


class TestMatrixConnector(ConnectorContract):
    @pytest.fixture
    def world(self, synapse: SynapseSession) -> Iterator[MatrixWorld]:
        world = MatrixWorld(synapse)
        yield world
        world.leave()

    @pytest.fixture
    def make_connector(self, world: MatrixWorld) -> Callable[[], Connector]:
        return world.connector
