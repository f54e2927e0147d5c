"""Prompting colleagues on realistic history, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.experts import NextStep, Via
from cm_console.domain.model import RemotePerson
from cm_console.domain.outbox import OpKind
from cm_console.domain.rules import State
from cm_console.domain.views import QueueQuery, View
from cm_console.services.accounts import UsageError
from cm_console.store import Database
from tests.helpers.builders import ALICE, ME, ThreadBuilder
from tests.helpers.fixtures import NOW

SVEN = RemotePerson("u-sven", "sven", "Sven Jansen", email="sven@example.org")
PRIYA = RemotePerson("u-priya", "priya", "Priya Raman")
NEWBIE = RemotePerson("u-new", "newbie", "New Colleague")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(db_url: str, tmp_path: Path, clock: Clock) -> Iterator[app_module.Workspace]:
    workspace = app_module.open_workspace(db_url, config.Paths(tmp_path / "p"), clock)
    workspace.accounts.add(
        platform="demo", name="acme", test_connection=False, options={"prompt_limit_per_day": "2"}
    )
    account = workspace.store.accounts.get("acme")
    assert account is not None
    workspace.store.accounts.set_own_person(account.id, ME.remote_id)
    # History: Sven answered VPN questions in the help desk; Priya answered printer ones.
    history = [
        ("h1", "My VPN connection keeps dropping after the update", SVEN, 20),
        ("h2", "VPN client asks for my password every hour", SVEN, 12),
        ("h3", "Cannot connect to VPN from home wifi", SVEN, 6),
        ("h4", "The printer on the third floor prints blank pages", PRIYA, 4),
        ("h5", "Printer jams when printing double sided", PRIYA, 3),
        ("h6", "Shared printer queue is stuck", PRIYA, 2),
    ]
    for remote_id, text, expert, days in history:
        b = ThreadBuilder(remote_id, ALICE, NOW - timedelta(days=days), text)
        b.reply(expert, timedelta(hours=2), "Fixed: reinstall the client and reboot.")
        workspace.store.ingest.page(account.id, b.page(), NOW)
    question = ThreadBuilder(
        "q1",
        NEWBIE,
        NOW - timedelta(hours=6),
        "Is the VPN down? My VPN client disconnects constantly.",
    )
    question.people[ME.remote_id] = ME
    workspace.store.ingest.page(account.id, question.page(), NOW)
    workspace.store.recompute_account(account.id)
    yield workspace
    workspace.close()


def test_suggestions_rank_who_answered_similar_threads_first(ws: app_module.Workspace) -> None:
    suggestions = ws.prompting.suggestions("acme/q1")
    assert [s.person.handle for s in suggestions][:2] == ["sven", "priya"]
    top = suggestions[0]
    assert any(r.code.value == "similar" and r.count == 3 for r in top.reasons)
    # The asker and the team are never suggested.
    assert all(s.person.handle not in ("newbie", "me") for s in suggestions)


def test_prompt_goes_through_the_outbox_and_the_ladder_fires_at_the_deadline(
    ws: app_module.Workspace, clock: Clock
) -> None:
    sven = ws.accounts.find_person("acme", "sven")
    result = ws.prompting.prompt("acme/q1", sven.id, via=Via.MENTION, text="@sven could you help?")
    assert result.operation is not None
    assert result.operation.kind is OpKind.REPLY
    assert result.operation.payload["mentions"][0]["handle"] == "sven"
    ladder = ws.prompting.ladder("acme/q1")
    assert [p.handle for p in ladder.prompts] == ["sven"]
    assert ladder.next_step is NextStep.NONE
    # Not due before the follow-up deadline (24 h by default)…
    clock.now = NOW + timedelta(hours=23, minutes=59)
    assert ws.prompting.ladder("acme/q1").next_step is NextStep.NONE
    item = ws.triage.show("acme/q1").item
    assert all(r.code.value != "prompt_unanswered" for r in item.reasons)
    # …and due right at it: a DM to the same colleague is the next step.
    clock.now = NOW + timedelta(hours=24)
    ladder = ws.prompting.ladder("acme/q1")
    assert ladder.next_step is NextStep.DM
    assert ladder.person is not None
    assert ladder.person.handle == "sven"
    item = ws.triage.show("acme/q1").item
    assert any(r.code.value == "prompt_unanswered" for r in item.reasons)
    # After the DM, the ladder escalates to someone else.
    ws.prompting.prompt("acme/q1", sven.id, via=Via.DM, text="Could you look at this? link")
    clock.now = NOW + timedelta(hours=49)
    ladder = ws.prompting.ladder("acme/q1")
    assert ladder.next_step is NextStep.ESCALATE
    assert ladder.person is not None
    assert ladder.person.handle == "priya"
    assert [p.step for p in ladder.prompts] == [1, 2]


def test_an_answer_by_the_prompted_colleague_ends_the_ladder(
    ws: app_module.Workspace, clock: Clock
) -> None:
    sven = ws.accounts.find_person("acme", "sven")
    ws.prompting.prompt("acme/q1", sven.id, via=Via.MENTION, text="@sven help?")
    account = ws.store.accounts.get("acme")
    assert account is not None
    question = ThreadBuilder(
        "q1",
        NEWBIE,
        NOW - timedelta(hours=6),
        "Is the VPN down? My VPN client disconnects constantly.",
    )
    question.reply(SVEN, timedelta(hours=8), "Yes, we are on it.")
    ws.store.ingest.page(account.id, question.page(), NOW + timedelta(hours=2))
    clock.now = NOW + timedelta(hours=30)
    ladder = ws.prompting.ladder("acme/q1")
    assert ladder.prompts[0].answered_at is not None
    assert ladder.next_step is NextStep.NONE
    assert ws.triage.show("acme/q1").item.state is State.ANSWERED


def test_an_overdue_prompt_brings_an_answered_thread_back_to_the_queue(
    ws: app_module.Workspace, clock: Clock
) -> None:
    account = ws.store.accounts.get("acme")
    assert account is not None
    question = ThreadBuilder(
        "q1",
        NEWBIE,
        NOW - timedelta(hours=6),
        "Is the VPN down? My VPN client disconnects constantly.",
    )
    question.reply(ME, timedelta(hours=1), "@sven could you help?")
    ws.store.ingest.page(account.id, question.page(), NOW)
    sven = ws.accounts.find_person("acme", "sven")
    ws.prompting.prompt("acme/q1", sven.id, via=Via.MENTION, text="@sven could you help?")
    tid = ws.triage.resolve("acme/q1")
    assert tid not in ws.triage.queue_ids(QueueQuery())
    clock.now = NOW + timedelta(hours=25)
    queue = ws.triage.queue_ids(QueueQuery())
    assert tid in queue
    # Counted with the rest of the queue: in the sidebar's total and in its community.
    assert ws.triage.counts()[View.QUEUE] == len(queue)
    items = ws.triage.items(queue)
    community = ws.triage.show(tid).item.container_local_id
    in_community = sum(1 for item in items if item.container_local_id == community)
    assert ws.triage.container_counts()[community] == in_community


def test_daily_limit_holds(ws: app_module.Workspace) -> None:
    sven = ws.accounts.find_person("acme", "sven")
    ws.prompting.prompt("acme/q1", sven.id, via=Via.MENTION, text="@sven one")
    ws.prompting.prompt("acme/h1", sven.id, via=Via.MENTION, text="@sven two")
    with pytest.raises(UsageError, match="already asked 2 times today"):
        ws.prompting.prompt("acme/h2", sven.id, via=Via.MENTION, text="@sven three")
    limited = [s for s in ws.prompting.suggestions("acme/q1") if s.person.handle == "sven"]
    assert limited
    assert limited[0].limited


def test_people_linked_by_email_count_across_accounts(ws: app_module.Workspace) -> None:
    ws.accounts.add(platform="demo", name="other", test_connection=False)
    other = ws.store.accounts.get("other")
    assert other is not None
    twin = RemotePerson("x-sven", "sven.j", "Sven J.", email="SVEN@example.org")
    b = ThreadBuilder("o1", ALICE, NOW - timedelta(days=1), "VPN keeps dropping on the train")
    b.reply(twin, timedelta(hours=1), "Use the mobile profile.")
    ws.store.ingest.page(other.id, b.page(), NOW)
    top = ws.prompting.suggestions("acme/q1")[0]
    assert top.person.handle == "sven"
    assert any(r.code.value == "similar" and r.count == 4 for r in top.reasons)


def test_schema_is_current(db_url: str) -> None:
    assert Database(db_url).current_revision() is not None
