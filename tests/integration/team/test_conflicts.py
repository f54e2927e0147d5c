"""Two community managers edit the same conversation: a stale edit is detected, merged where it
can be, and refused where it would overwrite a colleague's change — never silently lost."""

from __future__ import annotations

import pytest

from cm_console.domain.rules import TriageStatus
from cm_console.domain.views import QueueQuery
from cm_console.services.team import AuditQuery
from cm_console.services.triage import ClaimedElsewhere, EditConflict
from tests.integration.team.conftest import Open
from tests.integration.team.helpers import open_threads


def test_the_second_assignment_from_a_stale_view_is_refused(consoles: Open) -> None:
    anouk, bram = consoles("anouk"), consoles("bram")
    (tid,) = open_threads(anouk.store, 1)
    anouk.store.users.ensure("carol", anouk.clock())
    seen_by_anouk = anouk.triage.show(tid)
    bram.triage.show(tid)
    bram.triage.assign([tid], "bram")
    with pytest.raises(EditConflict, match="bram changed the assignee") as caught:
        anouk.triage.assign([tid], "carol")
    assert caught.value.conflict.fields["assignee_id"][1] == bram.triage.user.id
    assert anouk.triage.show(tid).item.assignee == "bram", "Bram's assignment stands"
    assert seen_by_anouk.triage is not None and seen_by_anouk.triage.version == 0
    # Having seen it, Anouk may reassign on purpose.
    anouk.triage.assign([tid], "carol")
    assert bram.triage.show(tid).item.assignee == "carol"


def test_edits_of_different_fields_merge(consoles: Open) -> None:
    anouk, bram = consoles("anouk"), consoles("bram")
    (tid,) = open_threads(anouk.store, 1)
    anouk.triage.show(tid)
    bram.triage.show(tid)
    bram.triage.assign([tid], "bram")
    anouk.triage.flag([tid], "legal should see this")
    item = bram.triage.show(tid).item
    assert (item.assignee, item.flagged, item.flag_note) == ("bram", True, "legal should see this")
    entries = anouk.team.audit(AuditQuery(thread_id=tid))
    flag = next(e for e in entries if e.action == "flag")
    assert flag.user == "anouk"


def test_two_notes_on_one_flag_are_both_kept(consoles: Open) -> None:
    anouk, bram = consoles("anouk"), consoles("bram")
    (tid,) = open_threads(anouk.store, 1)
    anouk.triage.show(tid)
    bram.triage.show(tid)
    bram.triage.flag([tid], "Bram: customer is angry")
    anouk.triage.flag([tid], "Anouk: HR is involved")
    note = anouk.triage.show(tid).item.flag_note
    assert note == "Bram: customer is angry\n\nAnouk: HR is involved"


def test_done_over_a_colleagues_snooze_is_refused(consoles: Open) -> None:
    anouk, bram = consoles("anouk"), consoles("bram")
    (tid,) = open_threads(anouk.store, 1)
    anouk.triage.show(tid)
    bram.triage.show(tid)
    bram.triage.snooze([tid], until_reply=True)
    with pytest.raises(EditConflict, match="status"):
        anouk.triage.done([tid])
    assert anouk.store.triage.record(tid).status is TriageStatus.SNOOZED


def test_own_edits_in_a_row_do_not_conflict(consoles: Open) -> None:
    anouk = consoles("anouk")
    consoles("bram")
    (tid,) = open_threads(anouk.store, 1)
    anouk.triage.show(tid)
    anouk.triage.assign([tid], "bram")
    anouk.triage.assign([tid], "anouk")
    anouk.triage.flag([tid], "one")
    anouk.triage.flag([tid], "two")
    item = anouk.triage.show(tid).item
    assert (item.assignee, item.flag_note) == ("anouk", "two")


def test_a_colleague_replying_blocks_a_second_reply_and_keeps_the_text(consoles: Open) -> None:
    anouk, bram = consoles("anouk"), consoles("bram")
    anouk.demo.create()
    tid = anouk.triage.queue_ids(QueueQuery())[0]
    assert anouk.team.start_reply(tid) is None
    claim = bram.team.start_reply(tid)
    assert claim is not None and claim.user_name == "anouk"
    assert bram.triage.show(tid).claim is not None
    with pytest.raises(ClaimedElsewhere, match="anouk is replying"):
        bram.triage.reply(tid, "I'll take this one")
    kept = bram.triage.draft(tid)
    assert kept is not None and kept.text == "I'll take this one"
    assert bram.store.outbox.find(thread_id=tid) == []
    # Anouk's reply goes out and frees the thread.
    anouk.triage.reply(tid, "Looking into it now")
    assert anouk.store.claims.live([tid]) == {}
    assert bram.team.start_reply(tid) is None
