"""The triage repository: status, snooze, done, tags, assignment, flags, drafts and the audit log,
with a version bump for every change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from cm_console.domain.rules import Triage, TriageStatus
from cm_console.store import Store
from cm_console.store import schema as s
from tests.helpers.builders import ALICE, BOB, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW

H = timedelta(hours=1)


@pytest.fixture
def threads(store: Store) -> list[int]:
    acc = add_account(store, now=NOW)
    ids = []
    for n in range(3):
        store.ingest.page(acc, ThreadBuilder(f"t{n}", ALICE, NOW - 5 * H, f"Q{n}?").page(), NOW)
        tid = store.threads.resolve(f"acme/t{n}")
        assert tid is not None
        ids.append(tid)
    return ids


def triage_row(store: Store, tid: int) -> Any:
    with store.db.read() as conn:
        return conn.execute(select(s.triage).where(s.triage.c.thread_id == tid)).one()


def audit(store: Store, tid: int | None = None) -> list[tuple[str, Any]]:
    return [(e["action"], e["detail"]) for e in reversed(store.threads.audit_entries(tid))]


def test_no_triage_row_means_open(store: Store, threads: list[int]) -> None:
    assert store.triage.record(threads[0]) == Triage()


def test_status_changes_bump_the_version_and_are_audited(store: Store, threads: list[int]) -> None:
    user = store.users.ensure("anouk", NOW)
    tid = threads[0]
    assert store.triage.set_status([tid], TriageStatus.DONE, now=NOW, user_id=user.id) == 1
    row = triage_row(store, tid)
    assert (row.status, row.version, row.updated_by) == ("done", 2, user.id)
    store.triage.set_status([tid], TriageStatus.OPEN, now=NOW + H, user_id=user.id)
    assert triage_row(store, tid).version == 3
    assert store.triage.record(tid) == Triage(TriageStatus.OPEN, status_at=NOW + H)
    assert audit(store, tid) == [("status", {"status": "done"}), ("status", {"status": "open"})]
    assert store.threads.audit_entries(tid)[0]["user"] == "anouk"


def test_snooze_until_a_time_or_a_reply(store: Store, threads: list[int]) -> None:
    a, b = threads[:2]
    store.triage.set_status(
        [a], TriageStatus.SNOOZED, now=NOW, user_id=None, snooze_until=NOW + 3 * H
    )
    store.triage.set_status([b], TriageStatus.SNOOZED, now=NOW, user_id=None, until_reply=True)
    assert store.triage.record(a) == Triage(TriageStatus.SNOOZED, NOW, NOW + 3 * H, False)
    assert store.triage.record(b) == Triage(TriageStatus.SNOOZED, NOW, None, True)
    assert audit(store, a)[-1] == (
        "status",
        {"status": "snoozed", "until": (NOW + 3 * H).isoformat()},
    )
    assert audit(store, b)[-1] == ("status", {"status": "snoozed", "until_reply": True})
    # Leaving the snooze forgets its conditions.
    store.triage.set_status([a, b], TriageStatus.DONE, now=NOW + H, user_id=None)
    assert store.triage.record(a) == Triage(TriageStatus.DONE, NOW + H, None, False)
    assert store.triage.record(b) == Triage(TriageStatus.DONE, NOW + H, None, False)


def test_bulk_actions_touch_each_thread_once(store: Store, threads: list[int]) -> None:
    a, b, _ = threads
    assert store.triage.set_status([a, b, a], TriageStatus.DONE, now=NOW, user_id=None) == 2
    assert triage_row(store, a).version == 2
    assert len(audit(store, a)) == 1


def test_assign_and_unassign(store: Store, threads: list[int]) -> None:
    anouk = store.users.ensure("anouk", NOW)
    tid = threads[0]
    store.triage.assign([tid], anouk.id, now=NOW, user_id=anouk.id)
    assert triage_row(store, tid).assignee_id == anouk.id
    store.triage.assign([tid], None, now=NOW, user_id=anouk.id)
    assert triage_row(store, tid).assignee_id is None
    assert triage_row(store, tid).version == 3
    assert [a for a, _ in audit(store, tid)] == ["assign", "assign"]


def test_flag_with_a_note_and_unflag(store: Store, threads: list[int]) -> None:
    tid = threads[0]
    store.triage.flag([tid], True, "Show HR", now=NOW, user_id=None)
    row = triage_row(store, tid)
    assert (row.flagged, row.flag_note, row.flagged_at) == (
        True,
        "Show HR",
        int(NOW.timestamp() * 1000),
    )
    store.triage.flag([tid], False, "ignored", now=NOW + H, user_id=None)
    row = triage_row(store, tid)
    assert (row.flagged, row.flag_note, row.flagged_at) == (False, None, None)
    assert audit(store, tid)[0] == ("flag", {"flagged": True, "note": "Show HR"})


def test_tags_are_a_set(store: Store, threads: list[int]) -> None:
    a, b, c = threads
    assert store.triage.add_tag([a, b], "printers", now=NOW, user_id=None) == 2
    assert store.triage.add_tag([a, b, c], "printers", now=NOW, user_id=None) == 1
    assert store.triage.add_tag([a], "urgent", now=NOW, user_id=None) == 1
    assert store.triage.tags() == [("printers", 3), ("urgent", 1)]
    assert [a_ for a_, _ in audit(store, a)] == ["tag", "tag"], "no entry for a no-op"
    assert store.triage.remove_tag([a, b], "printers", now=NOW, user_id=None) == 2
    assert store.triage.remove_tag([a], "printers", now=NOW, user_id=None) == 0
    assert store.triage.tags() == [("printers", 1), ("urgent", 1)]
    assert [i.tags for i in store.queue.items([a, c], NOW)] == [("urgent",), ("printers",)]


def test_drafts_autosave_per_user(store: Store, threads: list[int]) -> None:
    anouk, jeroen = store.users.ensure("anouk", NOW), store.users.ensure("jeroen", NOW)
    tid = threads[0]
    store.triage.save_draft(tid, anouk.id, "Hi Alice,", 2, NOW)
    store.triage.save_draft(tid, anouk.id, "Hi Alice, the portal", 5, NOW + H)
    store.triage.save_draft(tid, jeroen.id, "Hello", 3, NOW)
    draft = store.triage.draft(tid, anouk.id)
    assert draft is not None
    assert (draft.text, draft.base_reply_count, draft.updated_at) == (
        "Hi Alice, the portal",
        2,
        NOW + H,
    ), "the reply count is the one the draft was started against"
    assert [d.text for d in store.triage.drafts(anouk.id)] == ["Hi Alice, the portal"]
    store.triage.save_draft(tid, anouk.id, "   ", 0, NOW + 2 * H)
    assert store.triage.draft(tid, anouk.id) is None
    assert store.triage.draft(tid, jeroen.id) is not None


def test_a_draft_survives_a_new_store(store: Store, threads: list[int]) -> None:
    from cm_console.store import Database

    anouk = store.users.ensure("anouk", NOW)
    store.triage.save_draft(threads[0], anouk.id, "Unsent words", 0, NOW)
    url = store.db.url
    store.close()
    again = Store(Database(url))
    try:
        draft = again.triage.draft(threads[0], anouk.id)
        assert draft is not None and draft.text == "Unsent words"
    finally:
        again.close()


def test_audit_entries_name_the_account(store: Store, threads: list[int]) -> None:
    store.triage.add_tag([threads[0]], "x", now=NOW, user_id=None)
    with store.db.read() as conn:
        acc = conn.execute(select(s.audit_log.c.account_id)).scalar_one()
    assert acc == store.accounts.get("acme").id  # type: ignore[union-attr]


def test_thread_references(store: Store, threads: list[int]) -> None:
    tid = threads[1]
    assert store.threads.resolve(str(tid)) == tid
    assert store.threads.resolve(f" {tid} ") == tid
    assert store.threads.resolve("acme/t1") == tid
    for ref in ("acme/nope", "other/t1", "999999", "²", "9" * 40, "", "acme", "/t1"):
        assert store.threads.resolve(ref) is None, ref


def test_a_remote_id_with_slashes_splits_on_the_first(store: Store) -> None:
    acc = add_account(store, now=NOW)
    store.ingest.page(acc, ThreadBuilder("C01/1700000000.1234", BOB, NOW, "Hi").page(), NOW)
    tid = store.threads.resolve("acme/C01/1700000000.1234")
    assert tid is not None
    meta = store.threads.meta(tid)
    assert meta is not None
    assert (meta["remote_id"], meta["account"], meta["root_post_remote_id"]) == (
        "C01/1700000000.1234",
        "acme",
        "C01/1700000000.1234-0",
    )


def test_consoles_acting_on_the_same_thread_at_once(store: Store, threads: list[int]) -> None:
    # Team mode: several managers on one database flag, tag and close the same thread, and start
    # their consoles, at the same moment. Nobody gets a database error.
    import threading

    from cm_console.store import Database

    racers = 6
    tid = threads[0]
    barrier = threading.Barrier(racers)
    errors: list[Exception] = []
    tagged: list[int] = []

    def race(n: int) -> None:
        other = Store(Database(store.db.url))
        try:
            barrier.wait(timeout=30)
            other.users.ensure("anouk", NOW)
            if n % 2:
                other.triage.set_status([tid], TriageStatus.DONE, now=NOW, user_id=None)
            else:
                other.triage.flag([tid], True, f"note {n}", now=NOW, user_id=None)
            tagged.append(other.triage.add_tag([tid], "printers", now=NOW, user_id=None))
        except Exception as exc:
            errors.append(exc)
        finally:
            other.close()

    workers = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert errors == []
    assert sorted(tagged) == [0] * (racers - 1) + [1], "tagged once"
    assert [a for a, _ in audit(store, tid)].count("tag") == 1
    row = triage_row(store, tid)
    assert (row.status, row.flagged, row.version) == ("done", True, 1 + racers)
    assert [u.name for u in store.users.all()] == ["anouk"]
