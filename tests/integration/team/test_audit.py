"""The audit log: everything the console posted, tagged or changed, on whose behalf, when, and
from which console it went out; filtered and exported (JSON, CSV)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from cm_console import app as app_module
from cm_console import cli
from cm_console.domain.views import QueueQuery
from cm_console.services.settings import SettingsService
from cm_console.services.team import AuditQuery
from tests.helpers.fixtures import NOW
from tests.integration.team.conftest import Open


def test_a_day_of_team_work_is_in_the_audit_log(consoles: Open) -> None:
    anouk, bram = consoles("anouk"), consoles("bram")
    anouk.demo.create()
    t1, t2, t3 = anouk.triage.queue_ids(QueueQuery())[:3]
    before = max((e.id for e in anouk.team.audit(AuditQuery(limit=1))), default=0)
    triage = anouk.triage
    triage.tag([t1], "printers")
    triage.tag([t1], "printers", remove=True)
    triage.assign([t1], "bram")
    triage.snooze([t2], until_reply=True)
    triage.done([t3])
    triage.reopen([t3])
    triage.flag([t1], "works council")
    reply = triage.reply(t1, "We are on it.").operation
    dropped = triage.reply(t3, "Never mind").operation
    assert reply is not None and dropped is not None
    anouk.outbox.discard(str(dropped.id))
    person = next(p for p in triage.people(triage.show(t2).item.account_id) if not p.is_team)
    anouk.prompting.prompt(t2, person.id, via="dm", text="Could you have a look?")
    report = bram.sync.sync("demo", pull=False)  # Bram's console sends Anouk's reply
    assert report.ok, report

    # (the demo's own set-up wrote some history before: only today's work counts here)
    entries = [e for e in anouk.team.audit(AuditQuery(user="anouk")) if e.id > before]
    actions = [e.action for e in reversed(entries)]
    for expected in (
        "tag",
        "untag",
        "assign",
        "status",
        "flag",
        "queue_reply",
        "outbox_discard",
        "queue_dm",
        "prompt",
        "sent_reply",
        "sent_dm",
        "sent_as",
    ):
        assert expected in actions, f"{expected} missing from {actions}"
    assert actions.count("status") == 3  # snooze, done, reopen
    assert all(e.user == "anouk" for e in entries), "on whose behalf, whoever sent it"
    assert all(e.at == NOW for e in entries if not e.action.startswith("sent"))
    sent_as = [e for e in entries if e.action == "sent_as"]
    assert {e.detail["console"] for e in sent_as} == {bram.team.holder}
    by_thread = anouk.team.audit(AuditQuery(thread_id=t1))
    assert {e.thread_key for e in by_thread} == {f"demo/{anouk.triage.show(t1).item.remote_id}"}
    assert {e.account for e in by_thread} == {"demo"}
    assert [e.action for e in anouk.team.audit(AuditQuery(action="sent_*", user="anouk"))] != []
    assert anouk.team.audit(AuditQuery(user="bram")) == []
    assert anouk.team.audit(AuditQuery(since=NOW + timedelta(seconds=1), action="tag")) == []
    assert "prompt" in anouk.team.audit_actions()


def run_cli(ws: app_module.Workspace, *argv: str) -> str:
    out = io.StringIO()
    args = cli.parse_args(list(argv))
    assert cli.execute(args, app_module.cli_services(ws, "unused"), out=out) == 0
    return out.getvalue()


def test_export_as_json_and_as_csv_that_a_spreadsheet_cannot_run(consoles: Open, tmp_path) -> None:  # type: ignore[no-untyped-def]
    anouk = consoles("anouk")
    anouk.demo.create()
    (tid,) = anouk.triage.queue_ids(QueueQuery())[:1]
    anouk.triage.tag([tid], '=HYPERLINK("http://evil.example","click")')
    anouk.triage.flag([tid], "ok")

    rows = json.loads(run_cli(anouk, "audit", "--json", "--user", "anouk", "--limit", "2"))
    assert [r["action"] for r in rows] == ["flag", "tag"]
    assert rows[0]["at"] == "2026-11-20T12:00:00Z" and rows[0]["thread_id"] == tid
    assert rows[1]["detail"] == {"tag": '=HYPERLINK("http://evil.example","click")'}

    target = tmp_path / "audit.csv"
    said = run_cli(anouk, "audit", "--csv", "--action", "tag", "--output", str(target))
    table = list(csv.DictReader(target.open(encoding="utf-8", newline="")))
    assert said.strip() == f"{len(table)} audit entries written to {target}"
    assert {r["action"] for r in table} == {"tag"}
    assert table[0]["user"] == "anouk"
    assert json.loads(table[0]["detail"])["tag"].startswith("=HYPERLINK"), "newest first"
    for row in table:
        assert not any(value.startswith(("=", "+", "@")) for value in row.values())

    text = run_cli(anouk, "audit", "--thread", str(tid))
    assert "flag" in text and "tag" in text


def test_account_settings_and_saved_reply_changes_are_in_the_audit_log(consoles: Open) -> None:
    anouk, bram = consoles("anouk"), consoles("bram")
    anouk.demo.create()
    before = max((e.id for e in anouk.team.audit(AuditQuery(limit=1))), default=0)
    settings = SettingsService(bram.store, bram.clock)
    demo = bram.accounts.get("demo")
    community = bram.store.accounts.containers(demo.id)[0]

    bram.accounts.update_options("demo", {"sla_hours": "6", "team": "anouk,bram"})
    bram.accounts.update_options("demo", {"sla_hours": "6"})  # no change: nothing to log
    bram.accounts.update_container_options("demo", community.id, {"owner": "@bram"})
    settings.set_app("sync_interval_minutes", "15")
    reply_id = settings.save_reply("Thanks", "en", "Thanks, {first_name}!")
    settings.save_reply("Thanks", "en", "Thank you, {first_name}!", reply_id)
    settings.delete_reply(reply_id)
    bram.accounts.add(name="second", platform="demo", test_connection=False)
    bram.accounts.remove("second")

    # Anouk's console reads what Bram changed, on whose behalf and when.
    entries = list(reversed([e for e in anouk.team.audit(AuditQuery()) if e.id > before]))
    assert all(e.user == "bram" and e.at == NOW for e in entries)
    assert [e.action for e in entries] == [
        "account_settings",
        "community_settings",
        "setting",
        "saved_reply",
        "saved_reply",
        "saved_reply_removed",
        "account_add",
        "account_remove",
    ]
    account_settings, community_settings, setting, saved, _, removed, added, gone = entries
    assert account_settings.account == "demo"
    assert account_settings.detail["sla_hours"] == "6.0"
    assert "team" in account_settings.detail
    assert community_settings.account == "demo"
    assert community_settings.detail == {"community": community.name, "owner": "bram"}
    assert setting.detail == {"sync_interval_minutes": "15"}
    assert saved.detail == {"id": reply_id, "name": "Thanks", "language": "en"}
    assert removed.detail["name"] == "Thanks"
    assert added.detail == {"name": "second", "platform": "demo"}
    # The account is gone; its entries keep its name (the log's reference to it is cleared).
    assert gone.detail == {"name": "second", "platform": "demo"}
    assert added.account is None and gone.account is None
    assert {"account_add", "account_remove", "setting"} <= set(anouk.team.audit_actions())
