"""Outbox scenarios the state machine found, replayed step by step as regression tests.

Each test drives one platform behind the fault proxy (:mod:`tests.helpers.faultserver_model`)
through the exact steps that once lost, doubled or rushed a reply, and checks the invariants
I1–I6 after every step.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from cm_console.domain.outbox import OpState
from tests.helpers.faultserver import Fault
from tests.helpers.faultserver_model import OutboxWorld, migrated_template


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("outbox-template"))


@pytest.fixture
def world(request: pytest.FixtureRequest, template: Path, tmp_path: Path) -> Iterator[OutboxWorld]:
    w = OutboxWorld(request.param, template, tmp_path)
    try:
        yield w
    finally:
        w.close()


def steps(world: OutboxWorld, *actions: tuple[str, tuple[object, ...]]) -> None:
    for name, args in actions:
        getattr(world, name)(*args)
        world.check()


@pytest.mark.parametrize("world", ["mattermost", "slack"], indirect=True)
def test_a_throttle_holds_back_the_whole_account_in_the_next_sync_too(world: OutboxWorld) -> None:
    """A 429 with a 2-minute delay: a reply written afterwards must not go out before then,
    although the next sync builds a new connector that never saw the 429."""
    steps(
        world,
        ("write_reply", (0,)),
        ("arm", (Fault.THROTTLE, "create", "120")),
        ("drain", ()),
        ("write_reply", (1,)),
        ("drain", ()),
        ("advance", (60,)),
        ("drain", ()),
    )
    assert {op.state for op in world.store.outbox.find()} == {OpState.QUEUED}
    steps(world, ("advance", (61,)), ("drain", ()))
    assert {op.state for op in world.store.outbox.find()} == {OpState.SENT}


@pytest.mark.parametrize("world", ["zulip", "discourse"], indirect=True)
def test_a_throttle_holds_back_reading_back_an_unknown_reply(world: OutboxWorld) -> None:
    """One reply's answer is lost (unknown), the next one is throttled: the read-back of the
    first waits for the delay as well."""
    steps(
        world,
        ("write_reply", (0,)),
        ("write_reply", (1,)),
        ("arm", (Fault.ACCEPT_RESET, "create")),
        ("arm", (Fault.THROTTLE, "create", "date-future")),
        ("drain", ()),
        ("drain", ()),
        ("advance", (121,)),
        ("drain", ()),
        ("drain", ()),
    )
    assert {op.state for op in world.store.outbox.find()} == {OpState.SENT}


@pytest.mark.parametrize("world", ["mattermost"], indirect=True)
def test_mattermost_pending_answer_means_the_post_exists(world: OutboxWorld) -> None:
    """Mattermost's "still being saved" 500 came after the first copy was saved: resending it as
    a new post once the 30-second dedupe window is over would post it twice."""
    steps(
        world,
        ("write_reply", (0,)),
        ("arm", (Fault.PENDING, "create")),
        ("drain", ()),
        ("advance", (31,)),
        ("drain", ()),
    )
    assert [op.state for op in world.store.outbox.find()] == [OpState.SENT]


@pytest.mark.parametrize("world", ["mattermost"], indirect=True)
def test_mattermost_resends_with_the_same_pending_post_id_inside_the_window(
    world: OutboxWorld,
) -> None:
    """Inside the window the same pending_post_id is resent (the server hands back the copy);
    after it the post is read back, never resent blindly."""
    steps(
        world,
        ("write_reply", (0,)),
        ("arm", (Fault.ACCEPT_RESET, "create")),
        ("drain", ()),
        ("advance", (5,)),
        ("drain", ()),
    )
    creates = world.rig.proxy.requests("create")
    assert len(creates) == 2, "resent with the same pending_post_id inside the window"
    steps(
        world,
        ("write_reply", (1,)),
        ("arm", (Fault.ACCEPT_504, "create")),
        ("drain", ()),
        ("advance", (40,)),
        ("drain", ()),
    )
    assert len(world.rig.proxy.requests("create")) == 3, "read back, not resent, after it"
    assert {op.state for op in world.store.outbox.find()} == {OpState.SENT}


@pytest.mark.parametrize("world", ["zulip", "teams"], indirect=True)
def test_the_sender_never_sleeps_on_a_throttled_read_back(world: OutboxWorld) -> None:
    """Reading back an unknown reply draws a 429 with 20 s: the drain stores the delay and moves
    on; it neither sleeps nor asks again before then."""
    steps(
        world,
        ("write_reply", (0,)),
        ("arm", (Fault.ACCEPT_500, "create")),
        ("drain", ()),
        ("arm", (Fault.THROTTLE, "readback", "20")),
        ("drain", ()),
        ("drain", ()),
    )
    assert [op.state for op in world.store.outbox.find()] == [OpState.UNKNOWN]
    steps(world, ("advance", (20,)), ("drain", ()))
    assert [op.state for op in world.store.outbox.find()] == [OpState.SENT]


@pytest.mark.parametrize("world", ["slack", "engage"], indirect=True)
def test_offline_stops_the_drain_burns_nothing_and_sends_on_reconnect(world: OutboxWorld) -> None:
    """Offline: the first request fails, the drain stops, no attempt is counted and no backoff
    is stored; back online, the next drain sends everything at once."""
    steps(
        world,
        ("write_reply", (0,)),
        ("write_reply", (1,)),
        ("arm", (Fault.ACCEPT_RESET, "create")),
        ("drain", ()),
        ("set_offline", (True,)),
        ("drain", ()),
        ("drain", ()),
        ("set_offline", (False,)),
        ("drain", ()),
    )
    assert {op.state for op in world.store.outbox.find()} == {OpState.SENT}


@pytest.mark.parametrize("world", ["discourse", "teams"], indirect=True)
def test_an_operation_that_never_gets_an_answer_gives_up_after_max_attempts(
    world: OutboxWorld,
) -> None:
    """Every attempt ends in a 500 before the platform applies it: after the bounded number of
    attempts the reply needs attention (with no copy on the server) instead of cycling forever
    between unknown and queued."""
    for _ in range(12):
        world.arm(Fault.REJECT_500, "create")
    steps(world, ("write_reply", (0,)))
    for _ in range(12):
        steps(world, ("drain", ()), ("advance", (3700,)))
    [op] = world.store.outbox.find()
    assert op.state is OpState.NEEDS_ATTENTION
    assert op.attempts == 8
    assert len(world.rig.proxy.requests("create")) == 8


@pytest.mark.parametrize("world", ["mattermost", "zulip"], indirect=True)
def test_a_reply_whose_thread_moved_on_waits_for_the_user(world: OutboxWorld) -> None:
    """Written offline; meanwhile two colleagues answered. The reply is not sent blindly: it
    needs attention ("2 new replies since you wrote this"); a retry confirms it and it is sent
    once. The account's own earlier reply in the thread is no news to its author."""
    own = world.write_reply(1)
    steps(world, ("drain", ()), ("sync_page", ()))
    steps(world, ("write_reply", (1,)), ("sync_page", ()), ("drain", ()))
    assert {op.state for op in world.store.outbox.find()} == {OpState.SENT}, own

    steps(world, ("set_offline", (True,)))
    op_id = world.write_reply(0)
    steps(world, ("drain", ()), ("colleague_replies", (0,)), ("colleague_replies", (0,)))
    steps(world, ("set_offline", (False,)), ("sync_page", ()), ("drain", ()))
    op = world.store.outbox.get(op_id)
    assert op is not None
    assert op.state is OpState.NEEDS_ATTENTION
    assert op.last_error_code == "moved_on"
    assert op.last_error == "2 new replies since you wrote this — read them, then retry to send"
    assert not world.rig.copies(world.tokens[op_id])
    steps(world, ("retry_one", ()), ("drain", ()), ("drain", ()))
    op = world.store.outbox.get(op_id)
    assert op is not None
    assert op.state is OpState.SENT
    assert len(world.rig.copies(world.tokens[op_id])) == 1


@pytest.mark.parametrize(
    "world", ["mattermost", "zulip", "slack", "teams", "engage", "discourse"], indirect=True
)
@pytest.mark.parametrize("fault", [Fault.ACCEPT_RESET, Fault.REJECT_500])
def test_an_ambiguous_direct_message_is_never_doubled(world: OutboxWorld, fault: Fault) -> None:
    """A DM whose answer was lost is read back before anything is resent: it lands once, or it
    needs attention when the platform cannot be asked."""
    op_id = world.write_dm()
    world.arm(fault, "create")
    for _ in range(3):
        steps(world, ("drain", ()), ("advance", (60,)))
    op = world.store.outbox.get(op_id)
    assert op is not None
    copies = world.rig.copies(world.tokens[op_id])
    assert op.state in (OpState.SENT, OpState.NEEDS_ATTENTION), op
    assert len(copies) == (1 if op.state is OpState.SENT else len(copies))


@pytest.mark.parametrize("platform", ["slack", "teams", "engage", "discourse", "zulip"])
@pytest.mark.parametrize("hours", [-2, 2])
def test_a_read_back_finds_the_copy_when_the_clocks_disagree(
    platform: str, hours: int, template: Path, tmp_path: Path
) -> None:
    """Our clock is two hours off the platform's: the read-back after a lost answer still
    finds the copy instead of concluding it is not there and posting it again."""
    from datetime import timedelta

    world = OutboxWorld(platform, template, tmp_path, skew=timedelta(hours=hours))
    try:
        steps(
            world,
            ("write_reply", (0,)),
            ("arm", (Fault.ACCEPT_RESET, "create")),
            ("drain", ()),
            ("advance", (60,)),
            ("drain", ()),
            ("drain", ()),
        )
        assert [op.state for op in world.store.outbox.find()] == [OpState.SENT]
    finally:
        world.close()


@pytest.mark.parametrize("world", ["teams", "discourse", "engage"], indirect=True)
def test_a_read_back_never_takes_another_replys_copy_for_its_own(world: OutboxWorld) -> None:
    """The same words twice in one thread: the second send never reaches the platform, and its
    read-back finds the first one's copy. That copy is not the second reply's: it needs
    attention, it is not marked sent (which would lose it silently)."""
    first = world.write_reply(0, "Bedankt, ik zoek het uit")
    world.drain()
    token = world.tokens[first]
    world.advance(400)  # past Discourse's 5-minute same-text check
    second = world.write_reply(0, "Bedankt, ik zoek het uit", token=token)
    world.arm(Fault.REJECT_500, "create")
    world.drain()
    world.drain()
    ops = {op.op_id: op for op in world.store.outbox.find()}
    assert ops[first].state is OpState.SENT
    assert ops[second].state is OpState.NEEDS_ATTENTION
    assert ops[second].last_error_code == "unverifiable"
    assert len(world.rig.copies(token)) == 1


@pytest.mark.parametrize("world", ["mattermost"], indirect=True)
def test_a_resend_that_never_left_keeps_the_operation_unknown(world: OutboxWorld) -> None:
    """The answer to a post is lost; its resend with the same pending_post_id (inside the window)
    meets a dead network. The first copy may be there: the operation stays unknown and is read
    back later, instead of going back to queued and being posted again after the window."""
    steps(
        world,
        ("write_reply", (1,)),
        ("arm", (Fault.ACCEPT_504, "create")),
        ("drain", ()),
        ("set_offline", (True,)),
        ("drain", ()),
    )
    assert [op.state for op in world.store.outbox.find()] == [OpState.UNKNOWN]
    steps(world, ("set_offline", (False,)), ("advance", (60,)), ("drain", ()))
    assert [op.state for op in world.store.outbox.find()] == [OpState.SENT]


@pytest.mark.parametrize("world", ["discourse", "zulip"], indirect=True)
def test_a_throttle_met_while_pulling_holds_the_outbox_too(world: OutboxWorld) -> None:
    """The sync's pull meets a 429 with two minutes (longer than a read may wait): the sync
    stops, and the outbox, whose next drain has a new connector, waits for the delay too."""
    world.write_reply(0)
    world.arm(Fault.THROTTLE, "any", "120")
    world.advance(120)
    steps(world, ("sync_page", ()), ("drain", ()), ("advance", (60,)), ("drain", ()))
    assert [op.state for op in world.store.outbox.find()] == [OpState.QUEUED]
    steps(world, ("advance", (61,)), ("drain", ()))
    assert [op.state for op in world.store.outbox.find()] == [OpState.SENT]


@pytest.mark.parametrize("world", ["slack"], indirect=True)
def test_giving_up_on_a_throttled_reply_still_holds_the_account(world: OutboxWorld) -> None:
    """The reply that draws the 429 has used its attempts and needs attention; the platform's
    delay still holds back the account's other replies."""
    first = world.write_reply(0)
    for _ in range(7):
        world.arm(Fault.RESET, "create")  # never applied; resent after each read-back
    for _ in range(7):
        steps(world, ("drain", ()), ("advance", (3700,)))
    op = world.store.outbox.get(first)
    assert op is not None and op.attempts == 7
    world.write_reply(1)
    world.arm(Fault.THROTTLE, "create", "120")
    steps(world, ("drain", ()), ("drain", ()))
    op = world.store.outbox.get(first)
    assert op is not None and op.state is OpState.NEEDS_ATTENTION
    assert [o.state for o in world.store.outbox.find() if o.op_id != first] == [OpState.QUEUED]


@pytest.mark.parametrize("world", ["discourse"], indirect=True)
def test_a_read_back_throttle_counts_from_its_answer_not_from_the_start(
    world: OutboxWorld,
) -> None:
    """The read-back of an unknown reply is slow (its first read drips for 5 s) and its next
    read draws a 429 with ``Retry-After: 1.5``: the account is held until 1.5 s after that
    answer, not 1.5 s after the read-back began (which had already passed)."""
    steps(
        world,
        ("write_reply", (0,)),
        ("arm", (Fault.ACCEPT_500, "create")),
        ("drain", ()),
    )
    assert [op.state for op in world.store.outbox.find()] == [OpState.UNKNOWN]
    steps(
        world,
        ("arm", (Fault.DRIP_OK, "readback")),
        ("arm", (Fault.THROTTLE, "readback", "1.5")),
        ("drain", ()),
    )
    throttled = [s for s in world.rig.proxy.requests() if s.fault is Fault.THROTTLE]
    assert len(throttled) == 1, "the read-back reached its second read and was throttled"
    held = world.store.outbox.held_until(world.account.id)
    assert held is not None and held >= throttled[0].at + timedelta(seconds=1.5)
    # Later syncs at the same moment wait (I3 is checked after each step).
    steps(world, ("drain", ()), ("advance", (1,)), ("drain", ()))
    steps(world, ("advance", (1,)), ("drain", ()), ("drain", ()))
    assert [op.state for op in world.store.outbox.find()] == [OpState.SENT]


@pytest.mark.parametrize("world", ["mattermost"], indirect=True)
def test_mattermost_resend_never_posts_after_the_dedupe_window_closed(world: OutboxWorld) -> None:
    """A direct message's answer is lost; 22 s later the resend by ``pending_post_id`` starts
    inside the window, but looking up the user and the direct channel takes 10 s more. The
    post must not go out once the server has forgotten the id (it would be a second copy)."""
    steps(world, ("write_dm", ()), ("arm", (Fault.ACCEPT_500, "create")), ("drain", ()))
    assert [op.state for op in world.store.outbox.find()] == [OpState.UNKNOWN]
    world.rig.proxy.arm(Fault.DRIP_OK, "other", match=r"/users/me$")
    world.rig.proxy.arm(Fault.DRIP_OK, "other", match=r"/channels/direct$")
    steps(world, ("advance", (22,)), ("drain", ()))
    steps(world, ("advance", (5,)), ("drain", ()), ("drain", ()))
    assert [op.state for op in world.store.outbox.find()] == [OpState.SENT]
