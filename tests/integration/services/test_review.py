"""Review use cases on SQLite and PostgreSQL, against real connectors: the demo platform and the
fake Zulip server over HTTP (taken offline by closing its port)."""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from cm_console import app as app_module
from cm_console import config
from cm_console.domain.model import Secret
from cm_console.domain.review import CopyState, Decision, FlagReason
from cm_console.domain.views import QueueQuery, View
from cm_console.reports.export import ExportFormat, ExportOptions
from cm_console.services.accounts import ServiceError
from tests.helpers import loopback_app
from tests.helpers.fake_zulip import FakeZulip
from tests.integration.connectors.test_zulip_contract import NOW as ZULIP_NOW
from tests.integration.connectors.test_zulip_contract import ZulipWorld
from tests.unit.reports.test_export_formats import parse


class Clock:
    def __init__(self, now):  # type: ignore[no-untyped-def]
        self.now = now

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


def workspace(url: str, home: Path, clock: Clock, user: str) -> app_module.Workspace:
    return app_module.open_workspace(url, config.Paths(home), clock, user_name=user)


@pytest.fixture
def manager(db_url: str, tmp_path: Path) -> Iterator[app_module.Workspace]:
    ws = workspace(db_url, tmp_path / "manager", Clock(ZULIP_NOW), "Anouk de Vries")
    yield ws
    ws.close()


# --- a real platform over HTTP: offline, edits, deletions ----------------------------------------


def listen_again(server: FakeZulip, port: int) -> None:
    """Serve the same fake platform on the same port again (back online)."""
    server._server = make_server(
        "127.0.0.1",
        port,
        server._wsgi,
        threaded=True,
        request_handler=loopback_app._Handler,
    )
    threading.Thread(
        target=server._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()


@pytest.fixture
def zulip() -> Iterator[FakeZulip]:
    server = FakeZulip()
    yield server
    server.stop()


def test_flag_offline_copies_at_the_next_sync_and_keeps_what_the_platform_changes(
    manager: app_module.Workspace, zulip: FakeZulip
) -> None:
    world = ZulipWorld(zulip)
    t0 = ZULIP_NOW - timedelta(days=2)
    root = world.add_thread(world.author, "Mag ik privé de ĳsbaan reserveren?", t0, "IJsbaan")
    reply = world.add_reply(root, world.expert, "Ja, via de receptie.", t0 + timedelta(hours=1))
    world.add_reply(
        root, world.author, "Dank! Mijn nummer is 06-12345678.", t0 + timedelta(hours=2)
    )
    manager.accounts.add(
        platform="zulip",
        name="zulip",
        url=zulip.url,
        user="mona@example.test",
        secret=Secret(world.key),
    )
    assert manager.sync.sync("zulip").ok
    tid = manager.triage.resolve(f"zulip/{root}")

    # Offline: the flag is kept, the complete copy waits.
    port = int(zulip.url.rsplit(":", 1)[1])
    zulip.stop()
    flagged = manager.review.flag([tid], "Privénummer gedeeld", FlagReason.PRIVACY)
    assert flagged.changes.thread_ids == {tid}
    copies = manager.review.complete_copies([tid])
    assert (copies.copied, copies.failed) == ([], [tid]) and copies.error
    item = manager.review.items([tid])[0]
    assert (item.copy_state, item.flag_reason, item.flag_note) == (
        CopyState.PENDING,
        FlagReason.PRIVACY,
        "Privénummer gedeeld",
    )
    assert item.copy_error
    assert manager.triage.show(tid).item.flagged

    # Meanwhile the platform changes the thread: an edit and a deleted reply.
    zulip.edit_message(int(root), "Mag ik de ĳsbaan reserveren?", ZULIP_NOW)
    zulip.delete_message(int(reply))
    listen_again(zulip, port)
    report = manager.sync.sync("zulip")
    assert report.ok
    copies_done = report.accounts[0].copies
    assert copies_done is not None and copies_done.copied == [tid]
    assert tid in report.thread_ids
    item = manager.review.items([tid])[0]
    assert item.copy_state is CopyState.COMPLETE and item.copy_error is None
    detail = manager.review.detail(tid)
    posts = {p.post.remote_id: p for p in detail.posts}
    assert posts[root].post.text == "Mag ik de ĳsbaan reserveren?"
    assert [v.text for v in posts[root].versions] == ["Mag ik privé de ĳsbaan reserveren?"]
    assert posts[reply].post.deleted and posts[reply].post.text == "Ja, via de receptie."
    assert manager.store.threads.raw(item_account(manager, tid), "post", root) is not None

    # The platform deletes the whole thread; flagged again, the copy is what is left.
    for message in list(zulip.messages):
        zulip.delete_message(message)
    manager.review.flag([tid], "Nog eens bekijken", None)
    gone = manager.review.complete_copies([tid])
    assert gone.gone == [tid]
    item = manager.review.items([tid])[0]
    assert item.copy_state is CopyState.GONE and item.upstream_deleted_at == ZULIP_NOW
    assert item.flag_reason is FlagReason.PRIVACY  # a flag without a reason keeps the old one
    assert len(manager.review.detail(tid).posts) == 3


def item_account(ws: app_module.Workspace, tid: int) -> int:
    return ws.triage.show(tid).item.account_id


# --- the demo platform: exports and a round trip through a reviewer's console ----------------


@pytest.fixture
def demo(manager: app_module.Workspace) -> app_module.Workspace:
    manager.demo.create()
    return manager


def flag_some(ws: app_module.Workspace) -> list[int]:
    items = ws.triage.queue(QueueQuery(view=View.ALL), limit=120)
    with_files = [i.id for i in items if any(p.attachments for p in ws.review.detail(i.id).posts)][
        :1
    ]
    busy = [i.id for i in items if i.reply_count >= 3 and i.id not in with_files][:1]
    ids = with_files + busy
    assert len(ids) == 2, "the demo has threads with attachments and with replies"
    ws.review.flag(ids[:1], "Bijlage met persoonsgegevens", FlagReason.PRIVACY)
    ws.review.flag(ids[1:], "Toon van de reacties", FlagReason.CONDUCT)
    copies = ws.review.complete_copies(ids)
    assert sorted(copies.copied) == sorted(ids)
    return ids


def test_demo_flags_keep_attachments_and_raw_payloads(demo: app_module.Workspace) -> None:
    ids = flag_some(demo)
    for tid in ids:
        assert demo.review.items([tid])[0].copy_state is CopyState.COMPLETE
    detail = demo.review.detail(ids[0])
    files = [name for p in detail.posts for name in p.attachments]
    assert files and all("/" not in f for f in files)
    account = item_account(demo, ids[0])
    raw = demo.store.threads.raw(account, "post", detail.posts[0].post.remote_id)
    assert raw["files"] == [{"name": n} for n in detail.posts[0].attachments]


def test_pseudonymised_exports_leave_no_one_recognisable(
    demo: app_module.Workspace, tmp_path: Path
) -> None:
    ids = flag_some(demo)
    demo.review.annotate(ids[1], "Besproken met Sanne; zij belt 06-98765432 terug.")
    people = {p.remote_id: p for tid in ids for p in demo.review.detail(tid).people}
    names = {p.display_name for p in people.values()}
    tokens = {t for n in names for t in n.split() if len(t) > 3}
    emails = {p.email for p in people.values() if p.email}
    assert names and emails
    options = ExportOptions(pseudonymise=True)
    for fmt in (ExportFormat.HTML, ExportFormat.CSV, ExportFormat.PACKET):
        path = tmp_path / f"export{fmt.suffix}"
        summary = demo.review.export(ids, fmt, path, options)
        assert summary.threads == 2 and summary.annotations == 1
        text = path.read_text(encoding="utf-8-sig")
        if fmt is ExportFormat.HTML:
            text = "".join(parse(text).text)
        found = [x for x in names | tokens if x in text]
        found += [e for e in emails if e.lower() in text.lower()]
        assert not found, f"{fmt}: {found}"
        assert "06-98765432" not in text
        assert "Person A" in text
    rows = list(csv.DictReader(io.StringIO((tmp_path / "export.csv").read_text("utf-8-sig"))))
    assert len(rows) == sum(len(demo.review.detail(t).posts) for t in ids)
    packet = json.loads((tmp_path / "export.json").read_text("utf-8"))
    assert packet["options"] == {"pseudonymised": True, "contacts_removed": True, "language": "en"}


def test_export_refuses_nothing_and_unwritable_targets(
    demo: app_module.Workspace, tmp_path: Path
) -> None:
    with pytest.raises(ServiceError, match="nothing to export"):
        demo.review.export([], ExportFormat.HTML, tmp_path / "x.html")
    ids = flag_some(demo)
    with pytest.raises(ServiceError, match="PDF"):
        demo.review.export(ids, ExportFormat.PDF, tmp_path / "x.pdf")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ServiceError, match="could not write"):
        demo.review.export(ids, ExportFormat.HTML, blocker / "x.html")
    assert list(tmp_path.glob(".cm-export-*")) == []


def test_a_packet_goes_to_a_reviewer_and_comes_back_with_their_work(
    demo: app_module.Workspace, tmp_path: Path
) -> None:
    ids = flag_some(demo)
    first = demo.review.detail(ids[0])
    mine = demo.review.annotate(
        ids[0], "Graag vóór vrijdag bekijken", first.posts[0].post.remote_id
    )
    demo.review.export(ids, ExportFormat.PACKET, tmp_path / "to-hr.json")

    reviewer = workspace(
        f"sqlite:///{tmp_path / 'hr.sqlite3'}", tmp_path / "hr", Clock(ZULIP_NOW), "Marieke Verhoef"
    )
    try:
        result = reviewer.review.import_packet(tmp_path / "to-hr.json")
        assert (result.threads, result.new_threads, result.annotations_added) == (2, 2, 1)
        assert result.accounts == ("review-demo",)
        listed = reviewer.review.flagged()
        assert {i.title for i in listed} == {demo.review.items([t])[0].title for t in ids}
        assert all(i.imported and i.copy_state is CopyState.IMPORTED for i in listed)
        # The reviewer's console never syncs the imported copies.
        assert reviewer.sync.sync().accounts == []
        with pytest.raises(ServiceError, match="review packet"):
            reviewer.sync.sync("review-demo")
        theirs = {i.title: i.thread_id for i in listed}
        target = theirs[demo.review.items([ids[0]])[0].title]
        detail = reviewer.review.detail(target)
        assert [a.text for a in detail.live_annotations] == ["Graag vóór vrijdag bekijken"]
        assert [p.attachments for p in detail.posts] == [p.attachments for p in first.posts]
        post = detail.posts[-1].post.remote_id
        reviewer.review.annotate(target, "Geen persoonsgegevens gevonden", post)
        reviewer.review.edit_annotation(mine.uid, "Graag vóór vrijdag bekijken (gedaan)")
        reviewer.review.decide([target], Decision.RESOLVE, "Afgehandeld met de afdeling")
        reviewer.clock.now = ZULIP_NOW + timedelta(hours=2)  # type: ignore[attr-defined]
        reviewer.review.export(
            [i.thread_id for i in listed], ExportFormat.PACKET, tmp_path / "from-hr.json"
        )
    finally:
        reviewer.close()

    back = demo.review.import_packet(tmp_path / "from-hr.json")
    assert (back.own_threads, back.new_threads, back.accounts) == (2, 0, ())
    assert (back.annotations_added, back.annotations_updated, back.decisions_added) == (1, 1, 1)
    detail = demo.review.detail(ids[0])
    assert {a.text for a in detail.live_annotations} == {
        "Graag vóór vrijdag bekijken (gedaan)",
        "Geen persoonsgegevens gevonden",
    }
    assert detail.item.decision is not None
    assert (detail.item.decision.decision, detail.item.decision.reviewer) == (
        Decision.RESOLVE,
        "Marieke Verhoef",
    )
    again = demo.review.import_packet(tmp_path / "from-hr.json")
    assert (again.annotations_added, again.annotations_updated, again.decisions_added) == (0, 0, 0)
    assert demo.store.accounts.get("review-demo") is None


def test_a_bad_packet_changes_nothing(demo: app_module.Workspace, tmp_path: Path) -> None:
    ids = flag_some(demo)
    demo.review.export(ids, ExportFormat.PACKET, tmp_path / "p.json")
    text = (tmp_path / "p.json").read_text("utf-8").replace("Toon van de reacties", "Anders")
    (tmp_path / "bad.json").write_text(text, "utf-8")
    before = demo.review.counts()
    with pytest.raises(ServiceError, match="checksum"):
        demo.review.import_packet(tmp_path / "bad.json")
    with pytest.raises(ServiceError, match="could not read"):
        demo.review.import_packet(tmp_path / "missing.json")
    assert demo.review.counts() == before
