"""``cm-console report`` and ``cm-console plan`` as a user runs them: one process per command."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.test_cli import run

NOW = "2026-11-27T10:30:00Z"
ENV = {"TZ": "Europe/Amsterdam"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    profile = tmp_path_factory.mktemp("profile")
    db = profile / "demo.sqlite3"
    run(profile, "--db", str(db), "--now", NOW, "demo", "--headless", env=ENV)
    return profile, db


def test_report_json_has_every_metric(demo: tuple[Path, Path]) -> None:
    profile, db = demo
    out = run(
        profile, "--db", str(db), "--now", NOW, "report", "--since", "2026-09-01", "--json", env=ENV
    )
    report = json.loads(out.stdout)
    period = report["period"]
    assert period["time_zone"] == "Europe/Amsterdam"
    assert period["since"] == "2026-08-31T22:00:00Z", "a date is local midnight"
    assert period["until"] == NOW
    overall = report["overall"]
    assert overall["roots"] > 100
    assert overall["team_roots"] > 0
    assert 0 < overall["first_response_hours"]["median"] <= overall["first_response_hours"]["p90"]
    for key in ("unanswered_rate", "loop_closure_rate", "within_sla_rate"):
        assert 0 <= overall[key] <= 1
    assert set(overall["dialogue_ratio"]) == {"all", "team", "employees"}
    assert overall["replies_per_root"] > 0
    assert overall["responders_per_thread"] >= 1
    assert overall["depth"] >= 1
    communities = {c["community"]: c for c in report["communities"]}
    assert communities["Management news"]["broadcast_only"] is True
    assert report["broadcast_only"] == ["Management news"]
    assert sum(c["roots"] for c in report["communities"]) == overall["roots"]
    assert sum(p["roots"] for p in report["series"]) == overall["roots"]
    assert report["series"][0]["label"] == "2026-08-31"  # the Monday of the first week
    assert [a["account"] for a in report["accounts"]] == ["demo"]
    heatmap = report["heatmap"]["counts"]
    assert len(heatmap) == 7 and all(len(row) == 24 for row in heatmap)
    assert sum(heatmap[5]) + sum(heatmap[6]) < sum(heatmap[1]), "weekends are quiet"
    load = report["responder_load"]
    assert load["responders"] == len({r["name"] for r in load["top"]}) or len(load["top"]) == 20
    assert 0 < load["top_20_percent_share"] <= 1
    assert 0 <= load["gini"] < 1


def test_report_text_and_monthly_steps(demo: tuple[Path, Path]) -> None:
    profile, db = demo
    text = run(
        profile,
        "--db",
        str(db),
        "--now",
        NOW,
        "report",
        "--by",
        "month",
        "--account",
        "demo",
        env=ENV,
    ).stdout
    assert "First response (business hours)" in text
    assert "Only broadcast" in text and "Management news" in text
    assert "MONTH" in text
    months = json.loads(
        run(
            profile,
            "--db",
            str(db),
            "--now",
            NOW,
            "report",
            "--since",
            "2026-09-01",
            "--by",
            "month",
            "--json",
            env=ENV,
        ).stdout
    )
    assert [p["label"] for p in months["series"]] == ["2026-09-01", "2026-10-01", "2026-11-01"]


def test_report_usage_errors(demo: tuple[Path, Path]) -> None:
    profile, db = demo
    bad = run(profile, "--db", str(db), "report", "--since", "yesterday", check=False)
    assert bad.returncode == 2
    assert "--since" in bad.stderr
    unknown = run(profile, "--db", str(db), "report", "--account", "nope", check=False)
    assert unknown.returncode == 1
    assert "no account named 'nope'" in unknown.stderr


def test_a_planned_poll_is_sent_once_at_its_time(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    db = profile / "demo.sqlite3"
    base = ("--db", str(db))
    run(profile, *base, "--now", NOW, "demo", "--headless", env=ENV)
    added = run(
        profile,
        *base,
        "--now",
        NOW,
        "plan",
        "add",
        "--account",
        "demo",
        "--community",
        "IT-helpdesk",
        "--at",
        "2026-11-27T14:00:00Z",
        "--title",
        "Which laptop?",
        "--text",
        "Which laptop should be our next standard?",
        "--poll-option",
        "Lenovo X1",
        "--poll-option",
        "Dell XPS",
        "--poll-option",
        "MacBook Air",
        "--duty",
        "sven",
        "--saved-reply",
        "Solved?",
        "--notes",
        "Expect Linux questions",
        env=ENV,
    )
    assert "scheduled for 2026-11-27T14:00:00Z" in added.stdout
    # Before its time, a sync leaves it in the outbox.
    run(profile, *base, "--now", "2026-11-27T13:00:00Z", "sync", env=ENV)
    listed = json.loads(run(profile, *base, "plan", "list", "--json", env=ENV).stdout)
    assert [s["status"] for s in listed] == ["scheduled"]
    # After its time: sent; a later sync sends nothing more and picks up the answers.
    after = json.loads(
        run(profile, *base, "--now", "2026-11-27T14:01:00Z", "sync", "--json", env=ENV).stdout
    )
    assert after[0]["sent"] == 1
    again = json.loads(
        run(profile, *base, "--now", "2026-11-27T20:00:00Z", "sync", "--json", env=ENV).stdout
    )
    assert again[0]["sent"] == 0
    with sqlite3.connect(db) as conn:
        copies = conn.execute(
            "SELECT body FROM sim_writes WHERE kind = 'thread' AND marker = ?",
            (listed[0]["op_id"],),
        ).fetchall()
    assert len(copies) == 1, "the simulated platform holds exactly one copy"
    body = json.loads(copies[0][0])["text"]
    assert "1\ufe0f\u20e3 Lenovo X1" in body and "3\ufe0f\u20e3 MacBook Air" in body
    starter = json.loads(
        run(
            profile, *base, "--now", "2026-11-27T20:00:00Z", "plan", "list", "--json", env=ENV
        ).stdout
    )[0]
    assert starter["status"] == "sent"
    assert starter["on_duty"] == ["Sven Jansen"]
    thread = starter["thread"]
    assert thread["replies"] == 3 and thread["responders"] == 3
    assert thread["first_reply_hours"] == pytest.approx(0.58, abs=0.01)
    shown = json.loads(run(profile, *base, "show", thread["key"], "--json", env=ENV).stdout)
    assert shown["posts"][0]["text"].startswith("Which laptop should be our next standard?")


def test_plan_suggest_cancel_and_errors(tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    profile.mkdir()
    db = profile / "demo.sqlite3"
    base = ("--db", str(db), "--now", NOW)
    run(profile, *base, "demo", "--headless", env=ENV)
    suggested = run(
        profile,
        *base,
        "plan",
        "suggest",
        "--account",
        "demo",
        "--community",
        "IT-helpdesk",
        env=ENV,
    ).stdout
    assert suggested.startswith("suggested: 2026-")
    added = run(
        profile,
        *base,
        "plan",
        "add",
        "--account",
        "demo",
        "--community",
        "it-helpdesk",
        "--at",
        "suggested",
        "--text",
        "What should we improve first?",
        env=ENV,
    )
    assert added.returncode == 0
    cancelled = run(profile, *base, "plan", "cancel", "1", env=ENV)
    assert "cancelled" in cancelled.stdout
    again = run(profile, *base, "plan", "cancel", "1", check=False, env=ENV)
    assert again.returncode == 1
    poll = run(
        profile,
        *base,
        "plan",
        "add",
        "--account",
        "demo",
        "--community",
        "IT-helpdesk",
        "--at",
        "2h",
        "--text",
        "Pick one",
        "--poll-option",
        "Only",
        check=False,
        env=ENV,
    )
    assert poll.returncode == 2
    assert "a poll needs at least two options" in poll.stderr
    nowhere = run(
        profile,
        *base,
        "plan",
        "add",
        "--account",
        "demo",
        "--community",
        "Nowhere",
        "--at",
        "2h",
        "--text",
        "Hi",
        check=False,
        env=ENV,
    )
    assert nowhere.returncode == 2
    assert "no community 'Nowhere'" in nowhere.stderr
