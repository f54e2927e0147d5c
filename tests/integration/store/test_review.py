"""Review in the store, on SQLite and PostgreSQL: the migration, edit history and attachments
written by ingest, complete copies, the review list, and merging review packets by id."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from cm_console.domain.model import FullThread, RemoteContainer, RemotePost
from cm_console.domain.review import (
    Annotation,
    CopyState,
    Decision,
    DecisionRecord,
    FlagReason,
    Origin,
    PacketThread,
    PostVersion,
    ReviewFilter,
)
from cm_console.store import Database, Store
from cm_console.store import schema as s
from cm_console.store.engine import HEAD_REVISION
from cm_console.store.ingest import IngestError
from tests.helpers.builders import ALICE, BOB, CAROL, HELP, ME, ThreadBuilder, add_account
from tests.helpers.fixtures import NOW

REVIEW_TABLES = {"post_versions", "review_threads", "review_annotations", "review_decisions"}


def test_migration_builds_exactly_the_review_schema(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), s.metadata)
    finally:
        db.dispose()

    def mine(diff: object) -> bool:
        text = repr(diff)
        return any(name in text for name in REVIEW_TABLES) or "attachments" in text

    assert [d for d in diffs if mine(d)] == []
    store = Store(Database(db_url))
    try:
        workspace = store.settings.get_all()["workspace_id"]
    finally:
        store.close()
    assert len(str(uuid.UUID(workspace))) == 36  # packets name the console they come from


def thread(store: Store, acc: int) -> tuple[int, ThreadBuilder]:
    b = ThreadBuilder("t1", ALICE, NOW - timedelta(hours=6), "Wie kan de ĳsbaan boeken?")
    b.reply(BOB, timedelta(hours=1), "Via de receptie.")
    b.reply(CAROL, timedelta(hours=2), "Of via mij: 06-12345678.")
    b.posts[0] = replace(b.posts[0], attachments=("plattegrond ĳsbaan.pdf",))
    store.ingest.page(acc, b.page(), NOW)
    tid = store.threads.resolve("acme/t1")
    assert tid is not None
    return tid, b


def test_ingest_keeps_every_earlier_text_once_and_attachment_names(store: Store) -> None:
    acc = add_account(store)
    tid, b = thread(store, acc)
    edited = NOW - timedelta(hours=1)
    b.posts[1] = replace(b.posts[1], text="Via de receptie (tot 17:00).", edited_at=edited)
    page = b.page()
    store.ingest.page(acc, page, NOW)
    store.ingest.page(acc, page, NOW + timedelta(minutes=5))  # a replay: no new version
    b.posts[1] = replace(b.posts[1], text="Via de balie.", edited_at=NOW)
    store.ingest.page(acc, b.page(), NOW + timedelta(minutes=10))

    store.triage.flag([tid], True, "bekijken", now=NOW, user_id=None)
    detail = store.review.detail(tid)
    assert detail is not None
    root, reply = detail.posts[0], detail.posts[1]
    assert root.attachments == ("plattegrond ĳsbaan.pdf",)
    assert reply.post.text == "Via de balie."
    assert [(v.text, v.edited_at) for v in reply.versions] == [
        ("Via de receptie.", None),
        ("Via de receptie (tot 17:00).", edited),
    ]
    assert reply.versions[1].replaced_at == NOW + timedelta(minutes=10)
    assert detail.posts[2].versions == ()
    assert {p.remote_id for p in detail.people} == {ALICE.remote_id, BOB.remote_id, CAROL.remote_id}


def test_a_complete_copy_tombstones_what_the_platform_dropped(store: Store) -> None:
    acc = add_account(store)
    tid, b = thread(store, acc)
    store.triage.flag([tid], True, None, now=NOW, user_id=None)
    assert [p.thread_id for p in store.review.pending()] == [tid]  # flagged before copies
    store.review.mark_flagged([tid], FlagReason.CONDUCT, NOW)
    assert [p.remote_id for p in store.review.pending(acc)] == ["t1"]

    later = NOW + timedelta(hours=1)
    full = FullThread(b.thread, (b.posts[0], b.posts[2]), people=(ALICE, CAROL))
    changed = store.review.store_copy(acc, tid, full, later)
    assert tid in changed
    assert store.review.pending() == []
    item = store.review.items([tid])[0]
    assert (item.copy_state, item.copied_at, item.flag_reason) == (
        CopyState.COMPLETE,
        later,
        FlagReason.CONDUCT,
    )
    posts = {p.post.remote_id: p.post for p in store.review.detail(tid).posts}  # type: ignore[union-attr]
    assert posts["t1-1"].deleted and posts["t1-1"].text == "Via de receptie."
    assert not posts["t1-0"].deleted and not posts["t1-2"].deleted

    # Flagged again: a fresh copy is asked for. The platform lost the thread meanwhile.
    store.review.mark_flagged([tid], None, later)
    assert store.review.items([tid])[0].flag_reason is FlagReason.CONDUCT
    assert [p.thread_id for p in store.review.pending()] == [tid]
    store.review.copy_failed(tid, "the server could not be reached", later)
    assert store.review.items([tid])[0].copy_error == "the server could not be reached"
    store.review.mark_gone(tid, later + timedelta(hours=1))
    item = store.review.items([tid])[0]
    assert item.copy_state is CopyState.GONE
    assert item.upstream_deleted_at == later + timedelta(hours=1)
    assert len(store.review.detail(tid).posts) == 3  # type: ignore[union-attr]
    assert store.review.pending() == []


def test_the_review_list_filters_by_reason_decision_and_words(store: Store) -> None:
    acc = add_account(store)
    ids = {}
    for n, (text, reason) in enumerate(
        [
            ("Scheldpartij in de kantine", FlagReason.CONDUCT),
            ("Klantgegevens gedeeld", FlagReason.PRIVACY),
            ("Vraag over de cao", None),
        ]
    ):
        b = ThreadBuilder(f"f{n}", ALICE, NOW - timedelta(hours=10 - n), text)
        store.ingest.page(acc, b.page(), NOW)
        tid = store.threads.resolve(f"acme/f{n}")
        assert tid is not None
        store.triage.flag([tid], True, None, now=NOW + timedelta(minutes=n), user_id=None)
        store.review.mark_flagged([tid], reason, NOW)
        ids[text] = tid
    conduct, privacy, cao = ids.values()
    assert store.review.ids(ReviewFilter()) == [cao, privacy, conduct]  # latest flag first
    assert store.review.ids(ReviewFilter(reason=FlagReason.CONDUCT)) == [conduct]
    assert store.review.ids(ReviewFilter(reason=FlagReason.OTHER)) == [cao]

    decided = [
        DecisionRecord("d1", conduct, Decision.KEEP, "Marieke", NOW),
        DecisionRecord("d2", conduct, Decision.ESCALATE, "Marieke", NOW + timedelta(minutes=1)),
        DecisionRecord("d3", privacy, Decision.RESOLVE, "Marieke", NOW),
    ]
    store.review.add_decisions(decided, user_id=None)
    assert store.review.ids(ReviewFilter(decision=Decision.ESCALATE)) == [conduct]
    assert store.review.ids(ReviewFilter(decision=Decision.KEEP)) == []
    assert store.review.ids(ReviewFilter(undecided=True)) == [cao]
    assert store.review.ids(ReviewFilter(search="klantgegevens")) == [privacy]
    assert store.review.counts() == {"flagged": 3, "undecided": 1}
    assert store.review.items([conduct])[0].decision.uid == "d2"  # type: ignore[union-attr]


def test_annotations_are_edited_and_removed_as_tombstones(store: Store) -> None:
    acc = add_account(store)
    tid, _b = thread(store, acc)
    note = Annotation("n-1", tid, "t1-2", "Marieke", "Telefoonnummer in beeld", NOW, NOW)
    store.review.add_annotation(note, user_id=None)
    store.review.change_annotation(
        "n-1",
        text="Privénummer in beeld",
        deleted=False,
        now=NOW + timedelta(minutes=1),
        user_id=None,
    )
    detail = store.review.detail(tid)
    assert detail is not None
    assert [a.text for a in detail.annotations_for("t1-2")] == ["Privénummer in beeld"]
    store.review.change_annotation(
        "n-1", text=None, deleted=True, now=NOW + timedelta(minutes=2), user_id=None
    )
    detail = store.review.detail(tid)
    assert detail is not None and detail.annotations_for("t1-2") == []
    assert [a.deleted for a in detail.annotations] == [True]
    assert store.review.items([tid])[0].annotation_count == 0
    audit = [e["action"] for e in store.threads.audit_entries(tid)]
    assert audit[:3] == ["unannotate", "annotate", "annotate"]


def packet_thread(**changes: object) -> PacketThread:
    base = PacketThread(
        origin=Origin("ws-manager", "intranet", "t9"),
        platform="slack",
        container=RemoteContainer("c-hr", "HR"),
        people=(ALICE, BOB, ME),
        team=(ME.remote_id,),
        thread=replace(
            ThreadBuilder("t9", ALICE, NOW - timedelta(days=1), "x").thread,
            container_remote_id="c-hr",
            title="Ruzie in het café",
        ),
        posts=(
            RemotePost(
                "t9-0", "t9", ALICE.remote_id, NOW - timedelta(days=1), "Café-ruzie", is_root=True
            ),
            RemotePost(
                "t9-1",
                "t9",
                BOB.remote_id,
                NOW - timedelta(hours=20),
                "Was ik niet.",
                attachments=("bewijs.png",),
            ),
            RemotePost("t9-2", "t9", ME.remote_id, NOW - timedelta(hours=19), "Weg.", deleted=True),
        ),
        versions={
            "t9-1": (PostVersion("Ik was het niet!", None, None, NOW - timedelta(hours=19)),)
        },
        flag_note="Toon",
        flag_reason=FlagReason.CONDUCT,
        flagged_at=NOW - timedelta(hours=2),
        upstream_deleted_at=None,
        annotations=(Annotation("a1", 0, "t9-1", "Piet", "Let op", NOW, NOW),),
        decisions=(DecisionRecord("d1", 0, Decision.ESCALATE, "Piet", NOW, "Naar HR"),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_packet_from_another_console_becomes_a_read_only_account(store: Store) -> None:
    add_account(store, "intranet")  # same name as the origin account: a different console's
    result = store.review.import_packet(
        [packet_thread()], workspace="ws-reviewer", now=NOW, user_id=None
    )
    assert (result.threads, result.new_threads, result.own_threads) == (1, 1, 0)
    assert (result.annotations_added, result.decisions_added) == (1, 1)
    assert result.accounts == ("review-intranet",)
    account = store.accounts.get("review-intranet")
    assert account is not None and account.platform == "packet"
    assert account.options["source_platform"] == "slack"
    (tid,) = result.thread_ids
    item = store.review.items([tid])[0]
    assert (item.imported, item.copy_state, item.platform) == (True, CopyState.IMPORTED, "slack")
    assert (item.flag_note, item.flag_reason) == ("Toon", FlagReason.CONDUCT)
    assert item.decision is not None and item.decision.decision is Decision.ESCALATE
    detail = store.review.detail(tid)
    assert detail is not None
    assert [p.post.remote_id for p in detail.posts] == ["t9-0", "t9-1", "t9-2"]
    assert detail.posts[1].attachments == ("bewijs.png",)
    assert detail.posts[1].versions[0].text == "Ik was het niet!"
    assert detail.posts[2].post.deleted and detail.posts[2].post.text == "Weg."
    assert detail.posts[2].post.author_is_team  # the team travels with the packet
    assert store.review.pending() == []  # nothing to fetch: there is no platform

    # The same packet again changes nothing; a newer one merges by id.
    again = store.review.import_packet(
        [packet_thread()], workspace="ws-reviewer", now=NOW, user_id=None
    )
    assert (
        again.new_threads,
        again.annotations_added,
        again.annotations_updated,
        again.decisions_added,
    ) == (0, 0, 0, 0)
    later = NOW + timedelta(hours=1)
    newer = packet_thread(
        annotations=(
            Annotation("a1", 0, "t9-1", "Piet", "Let op: herhaling", NOW, later),
            Annotation("a2", 0, None, "Piet", "Geheel", later, later),
        ),
        decisions=(
            DecisionRecord("d1", 0, Decision.ESCALATE, "Piet", NOW, "Naar HR"),
            DecisionRecord("d2", 0, Decision.RESOLVE, "Piet", later),
        ),
    )
    merged = store.review.import_packet([newer], workspace="ws-reviewer", now=later, user_id=None)
    assert (merged.annotations_added, merged.annotations_updated, merged.decisions_added) == (
        1,
        1,
        1,
    )
    detail = store.review.detail(tid)
    assert detail is not None
    assert [a.text for a in detail.live_annotations] == ["Let op: herhaling", "Geheel"]
    assert store.review.items([tid])[0].decision.decision is Decision.RESOLVE  # type: ignore[union-attr]
    # An older copy never overwrites a newer one.
    store.review.import_packet([packet_thread()], workspace="ws-reviewer", now=later, user_id=None)
    assert store.review.annotation("a1").text == "Let op: herhaling"  # type: ignore[union-attr]


def test_a_packet_of_our_own_threads_merges_annotations_only(store: Store) -> None:
    acc = add_account(store, "intranet")
    b = ThreadBuilder("t9", ALICE, NOW - timedelta(days=1), "Café-ruzie", container=HELP)
    store.ingest.page(acc, b.page(), NOW)
    tid = store.threads.resolve("intranet/t9")
    assert tid is not None
    removed = Annotation(
        "a1", 0, "t9-0", "Piet", "Let op", NOW, NOW + timedelta(hours=1), deleted=True
    )
    result = store.review.import_packet(
        [packet_thread(annotations=(removed,))], workspace="ws-manager", now=NOW, user_id=None
    )
    assert (result.own_threads, result.new_threads, result.accounts) == (1, 0, ())
    assert result.thread_ids == frozenset({tid})
    detail = store.review.detail(tid)
    assert detail is not None
    assert [p.post.remote_id for p in detail.posts] == ["t9-0"]  # our own copy stays ours
    assert [(a.uid, a.deleted) for a in detail.annotations] == [("a1", True)]
    assert [d.uid for d in detail.decisions] == ["d1"]
    assert store.accounts.get("review-intranet") is None


def test_an_import_is_all_or_nothing(store: Store) -> None:
    broken = packet_thread(
        origin=Origin("ws-manager", "intranet", "t8"),
        posts=(RemotePost("t8-0", "elsewhere", ALICE.remote_id, NOW, "x", is_root=True),),
    )
    # The ingest contract refuses a post of another thread: the whole import is undone.
    with pytest.raises(IngestError, match="thread"):
        store.review.import_packet(
            [packet_thread(), broken], workspace="ws-r", now=NOW, user_id=None
        )
    assert store.accounts.get("review-intranet") is None
    assert store.review.annotation("a1") is None


def test_packets_scope_cursors_stay_out_of_sync(store: Store) -> None:
    store.review.import_packet([packet_thread()], workspace="ws-r", now=NOW, user_id=None)
    account = store.accounts.get("review-intranet")
    assert account is not None
    assert set(store.sync_state.cursors(account.id)) == {"~packet"}


def test_the_review_migration_goes_down_and_up_again(db_url: str) -> None:
    store = Store(Database(db_url))
    try:
        workspace = store.settings.get_all()["workspace_id"]
        store.db.downgrade("0005")
        assert store.db.current_revision() == "0005"
        with store.db.read() as conn:
            names = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("posts")}
        assert not names & set(REVIEW_TABLES)
        assert "attachments" not in columns
        store.db.upgrade()
        assert store.db.current_revision() == HEAD_REVISION
        # The id survives the round trip: packets already handed out still find their threads.
        assert store.settings.get_all()["workspace_id"] == workspace
    finally:
        store.close()
