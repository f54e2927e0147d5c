"""Every model of the window passes Qt's model tester, on real data from the demo workspace."""

from __future__ import annotations

from cm_console import app as app_module
from cm_console.domain.views import QueueQuery, View
from cm_console.ui.accounts_dialog import AccountsModel
from cm_console.ui.dialogs import PeopleModel
from cm_console.ui.outbox_dialog import OutboxModel
from cm_console.ui.queue_model import Column, ItemRole, QueueModel
from cm_console.ui.settings_dialog import SavedRepliesModel
from cm_console.ui.sidebar import CountRole, SidebarModel


def test_queue_model(qapp, qtmodeltester, workspace: app_module.Workspace) -> None:  # type: ignore[no-untyped-def]
    triage = workspace.triage
    model = QueueModel(triage.items, workspace.clock)
    ids = triage.queue_ids(QueueQuery(view=View.ALL))
    model.set_ids(ids)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(ids) > 400
    # Rows come from SQL pages on demand and match the ids, in order.
    last = model.index(len(ids) - 1, Column.TITLE)
    assert model.data(last, ItemRole).id == ids[-1]
    model.refresh([ids[0], ids[-1]])
    model.set_ids(ids[:10])
    qtmodeltester.check(model, force_py=True)


def test_sidebar_model(qapp, qtmodeltester, workspace: app_module.Workspace) -> None:  # type: ignore[no-untyped-def]
    triage = workspace.triage
    model = SidebarModel()
    model.rebuild(triage.accounts(), triage.tags(), [])
    model.set_counts(triage.counts(), triage.container_counts())
    qtmodeltester.check(model, force_py=True)
    queue = model.view_index(View.QUEUE)
    assert model.data(queue, CountRole) == triage.counts()[View.QUEUE] > 0


def test_sidebar_keeps_its_layout_when_only_tag_counts_change(  # type: ignore[no-untyped-def]
    qapp, workspace: app_module.Workspace
) -> None:
    model = SidebarModel()
    accounts, tags = workspace.triage.accounts(), workspace.triage.tags()
    assert tags, "the demo has tags"
    model.rebuild(accounts, tags, [])
    resets: list[bool] = []
    changed: list[int] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda first, _last, _roles: changed.append(first.row()))
    model.rebuild(accounts, tags, [])  # after a sync that changed nothing
    assert not resets and not changed
    tag, count = tags[0]
    model.rebuild(accounts, [(tag, count + 5), *tags[1:]], [])
    assert not resets, "a count changed in place"
    assert len(changed) == 1
    index = model.index_for(QueueQuery(view=View.ALL, tag=tag))
    assert index.data(CountRole) == count + 5
    model.rebuild(accounts, [*tags, ("nieuw-label", 1)], [])
    assert resets == [True], "a new tag lays the tree out again"
    assert model.index_for(QueueQuery(view=View.ALL, tag="nieuw-label")).isValid()


def test_dialog_models(qapp, qtmodeltester, workspace: app_module.Workspace) -> None:  # type: ignore[no-untyped-def]
    accounts = AccountsModel()
    accounts.set_rows(workspace.accounts.overview())
    qtmodeltester.check(accounts, force_py=True)
    outbox = OutboxModel()
    item = workspace.triage.queue(QueueQuery(view=View.UNANSWERED))[0]
    workspace.triage.reply(item.id, "Ik kijk ernaar.")
    outbox.set_rows(workspace.outbox.operations())
    qtmodeltester.check(outbox, force_py=True)
    assert outbox.rowCount() == 1
    people = PeopleModel(workspace.triage.people(item.account_id))
    qtmodeltester.check(people, force_py=True)
    assert people.rowCount() > 10
    replies = SavedRepliesModel()
    replies.set_rows(workspace.triage.saved_replies())
    qtmodeltester.check(replies, force_py=True)
