"""The outbox as a Hypothesis state machine, against every platform behind the fault proxy.

Rules: write a reply, send (a drain with a fresh connector), arm a fault on the next write or
read-back (every behaviour of the fault proxy, throttles in each platform's dialect with good and
bad delays), crash mid-send and restart, go offline and online, let time pass, reconcile, sync a
page (replayed), a colleague replies, the user retries. After every step the invariants I1–I6 of
:mod:`tests.helpers.faultserver_model` hold; at the end everything is healed and each operation is
sent exactly once or visible to the user with at most one copy on the server.

Profiles: ``ci`` (the default, well under a minute in all) and ``nightly``
(``HYPOTHESIS_PROFILE=nightly``); the benchmark ``tests.perf.bench_outbox`` runs the same model at
full size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.helpers.faultserver import RETRY_AFTER_VALUES, Fault
from tests.helpers.faultserver_model import (
    ADVANCES,
    FAULTS_ON_CREATE,
    FAULTS_ON_READBACK,
    Figures,
    OutboxWorld,
    migrated_template,
)

# This machine's own sizes under the suite's two Hypothesis profiles (tests/conftest.py): every
# step runs real HTTP and real SQLite, so "ci" keeps a few short runs per platform.
PROFILES = {
    "ci": settings(
        max_examples=3,
        stateful_step_count=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ),
    "nightly": settings(
        max_examples=60,
        stateful_step_count=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    ),
}
PROFILE = PROFILES.get(os.environ.get("HYPOTHESIS_PROFILE", "ci"), PROFILES["ci"])

FIGURES = Figures()


class OutboxMachine(RuleBasedStateMachine):
    """Rules over one :class:`OutboxWorld`; ``world_args`` is set per platform."""

    world_args: ClassVar[dict[str, Any]] = {}

    def __init__(self) -> None:
        super().__init__()
        self.world = OutboxWorld(**self.world_args)
        self.offline = False

    def teardown(self) -> None:
        try:
            self.world.heal()
            FIGURES.add(self.world.tally())
        finally:
            self.world.close()

    @rule(thread=st.integers(0, 1))
    def write_reply(self, thread: int) -> None:
        self.world.write_reply(thread)

    @rule()
    def send(self) -> None:
        self.world.drain()

    @rule(fault=st.sampled_from(FAULTS_ON_CREATE), spec=st.sampled_from(RETRY_AFTER_VALUES))
    def fault_on_write(self, fault: Fault, spec: str) -> None:
        self.world.arm(fault, "create", spec)

    @rule(fault=st.sampled_from(FAULTS_ON_READBACK), spec=st.sampled_from(RETRY_AFTER_VALUES))
    def fault_on_readback(self, fault: Fault, spec: str) -> None:
        self.world.arm(fault, "readback", spec)

    @precondition(lambda self: not self.offline)
    @rule(applied=st.booleans())
    def crash_mid_send(self, applied: bool) -> None:
        self.world.crash_mid_send(applied)

    @rule()
    def restart(self) -> None:
        self.world.restart()

    @precondition(lambda self: not self.offline)
    @rule()
    def go_offline(self) -> None:
        self.offline = True
        self.world.set_offline(True)

    @precondition(lambda self: self.offline)
    @rule()
    def go_online(self) -> None:
        self.offline = False
        self.world.set_offline(False)

    @rule(seconds=st.sampled_from(ADVANCES))
    def advance_clock(self, seconds: int) -> None:
        self.world.advance(seconds)

    @rule(replay=st.booleans())
    def sync_page(self, replay: bool) -> None:
        self.world.sync_page(replay)

    @rule(thread=st.integers(0, 1))
    def colleague_replies(self, thread: int) -> None:
        self.world.colleague_replies(thread)

    @rule()
    def user_retries(self) -> None:
        self.world.retry_one()

    @invariant()
    def invariants_hold(self) -> None:
        self.world.check()


PLATFORMS = [
    "mattermost",
    "discourse",
    "discourse-staff",
    "slack",
    "zulip",
    "teams",
    "engage",
    pytest.param("matrix", marks=pytest.mark.slow),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("outbox-template"))


@pytest.fixture
def rig_kw(request: pytest.FixtureRequest, platform: str) -> Iterator[dict[str, Any]]:
    if platform == "matrix":
        yield {"synapse": request.getfixturevalue("synapse")}
    elif platform == "discourse-staff":
        yield {"staff": True}
    else:
        yield {}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_outbox_machine(
    platform: str, template: Path, tmp_path: Path, rig_kw: dict[str, Any]
) -> None:
    name = platform.removesuffix("-staff")

    class Machine(OutboxMachine):
        world_args: ClassVar[dict[str, Any]] = {
            "platform": name,
            "template": template,
            "workdir": tmp_path,
            **rig_kw,
        }

    run_state_machine_as_test(Machine, settings=PROFILE)


def teardown_module() -> None:
    if os.environ.get("OUTBOX_FIGURES"):
        print("\n", dict(FIGURES.counts), "\n", dict(FIGURES.faults))
