"""Each member's replies go out under their own platform identity where they set one up; the
others' through the account's shared credentials. Against the fake Mattermost server, whose
tokens each belong to one user, on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from cm_console.domain.model import Secret
from cm_console.domain.outbox import OpState
from cm_console.services.team import AuditQuery
from tests.helpers.fake_mattermost import FakeMattermost
from tests.helpers.fixtures import NOW
from tests.integration.team.conftest import Open


@pytest.fixture
def server() -> Iterator[FakeMattermost]:
    s = FakeMattermost()
    yield s
    s.stop()


def test_a_member_with_own_credentials_replies_as_themselves(
    consoles: Open, server: FakeMattermost
) -> None:
    shared_user = server.add_user("cm-team", "Community", "Team")
    anouk_user = server.add_user("anouk", "Anouk", "Visser")
    asker = server.add_user("anna", "Anna", "Asker")
    team = server.add_team("intranet", "Intranet")
    channel = server.add_channel(team, "helpdesk", "Helpdesk", [shared_user, anouk_user, asker])
    root = server.add_post(
        channel, asker, "Where do I find the holiday form?", NOW - timedelta(hours=5)
    )
    anouk, bram = consoles("anouk"), consoles("bram")
    anouk.accounts.add(
        platform="mattermost",
        name="acme",
        url=server.url,
        secret=Secret(server.token_for(shared_user)),
        test_connection=False,
    )
    assert anouk.sync.sync("acme").ok
    tid = anouk.triage.resolve(f"acme/{root}")
    anouk.team.set_identity("acme", person=anouk_user, secret=Secret(server.token_for(anouk_user)))

    mine = anouk.triage.reply(tid, "It is on the HR page, under Forms.").operation
    theirs = bram.triage.reply(tid, "And the deadline is Friday.").operation
    assert mine is not None and theirs is not None

    # Bram's console sends Bram's reply with the shared token and leaves Anouk's to her console.
    assert bram.sync.sync("acme", pull=False).ok
    assert bram.outbox.get(theirs.op_id).state is OpState.SENT
    assert bram.outbox.get(mine.op_id).state is OpState.QUEUED
    assert anouk.sync.sync("acme", pull=False).ok
    assert anouk.outbox.get(mine.op_id).state is OpState.SENT

    authors = {p["message"]: p["user_id"] for p in server.thread(root) if p["root_id"]}
    assert authors == {
        "It is on the HR page, under Forms.": anouk_user,
        "And the deadline is Friday.": shared_user,
    }
    sent_as = {
        e.detail["op_id"]: (e.user, e.detail["identity"])
        for e in anouk.team.audit(AuditQuery(action="sent_as"))
    }
    assert sent_as == {
        mine.op_id: ("anouk", f"own:{anouk_user}"),
        theirs.op_id: ("bram", "shared"),
    }
    sent = {e.detail["op_id"]: e.user for e in anouk.team.audit(AuditQuery(action="sent_*"))}
    assert sent == {mine.op_id: "anouk", theirs.op_id: "bram"}


def test_an_identity_without_a_secret_sends_as_the_account(
    consoles: Open, server: FakeMattermost
) -> None:
    shared_user = server.add_user("cm-team", "Community", "Team")
    asker = server.add_user("anna", "Anna", "Asker")
    team = server.add_team("intranet", "Intranet")
    channel = server.add_channel(team, "helpdesk", "Helpdesk", [shared_user, asker])
    root = server.add_post(channel, asker, "Printer broken?", NOW - timedelta(hours=5))
    anouk, bram = consoles("anouk"), consoles("bram")
    anouk.accounts.add(
        platform="mattermost",
        name="acme",
        url=server.url,
        secret=Secret(server.token_for(shared_user)),
        test_connection=False,
    )
    assert anouk.sync.sync("acme").ok
    identity = anouk.team.set_identity("acme", person="someone")
    assert not identity.own_credentials
    op = anouk.triage.reply(f"acme/{root}", "Which floor?").operation
    assert op is not None
    assert bram.sync.sync("acme", pull=False).ok, "anyone's console may send it"
    assert bram.outbox.get(op.op_id).state is OpState.SENT
    assert anouk.team.remove_identity("acme")
    assert [e.action for e in anouk.team.audit(AuditQuery(action="identity*"))] == [
        "identity_removed",
        "identity",
    ]
