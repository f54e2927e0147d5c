"""The command line as a user runs it: a real process per command, exit codes and output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

NOW = "2026-11-28T12:00:00Z"


def run(
    profile: Path,
    *args: str,
    check: bool = True,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "cm_console", "--profile", str(profile), *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        timeout=120,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    profile = tmp_path_factory.mktemp("profile")
    db = profile / "demo.sqlite3"
    run(profile, "--db", str(db), "--now", NOW, "demo", "--headless")
    return profile, db


def test_demo_headless_fills_every_queue_state(demo_db: tuple[Path, Path]) -> None:
    profile, db = demo_db
    items = json.loads(
        run(profile, "--db", str(db), "--now", NOW, "queue", "--view", "all", "--json").stdout
    )
    states = {i["state"] for i in items}
    assert {
        "unanswered",
        "stalled",
        "awaiting",
        "answered",
        "resolved",
        "abandoned",
        "broadcast",
    } <= states
    queue = json.loads(run(profile, "--db", str(db), "--now", NOW, "queue", "--json").stdout)
    assert queue, "the demo queue is not empty"
    assert all(i["state"] in {"unanswered", "stalled", "awaiting"} for i in queue)
    assert all(i["status"] == "open" for i in queue)
    priorities = [i["priority"] for i in queue]
    assert priorities == sorted(priorities, reverse=True)
    required = {
        "id",
        "key",
        "platform",
        "account",
        "container",
        "remote_id",
        "title",
        "url",
        "author",
        "created_at",
        "last_activity_at",
        "reply_count",
        "state",
        "priority",
        "reasons",
        "tags",
        "assignee",
        "status",
        "flagged",
        "container_id",
    }
    assert required <= set(queue[0])
    assert queue[0]["created_at"].endswith("Z")
    assert queue[0]["key"] == f"demo/{queue[0]['remote_id']}"
    assert all(r["code"] and r["text"] for r in queue[0]["reasons"])


def test_reply_is_queued_then_sent_by_sync(demo_db: tuple[Path, Path]) -> None:
    profile, db = demo_db
    base = ["--db", str(db), "--now", NOW]
    item = json.loads(run(profile, *base, "queue", "--view", "unanswered", "--json").stdout)[0]
    out = run(profile, *base, "reply", str(item["id"]), "--text", "Ik zoek het voor je uit!")
    assert "queued" in out.stdout
    ops = json.loads(run(profile, *base, "outbox", "--json").stdout)
    assert [op["state"] for op in ops if op["thread_id"] == item["id"]] == ["queued"]
    run(profile, *base, "sync")
    ops = json.loads(run(profile, *base, "outbox", "--json").stdout)
    assert [op["state"] for op in ops if op["thread_id"] == item["id"]] == ["sent"]
    shown = json.loads(run(profile, *base, "show", item["key"], "--json").stdout)
    mine = [p for p in shown["posts"] if p["text"] == "Ik zoek het voor je uit!"]
    assert len(mine) == 1 and mine[0]["team"]
    # The team answered: no longer unanswered.
    assert shown["state"] != "unanswered"


def test_bad_input_gives_one_line_and_the_right_exit_code(demo_db: tuple[Path, Path]) -> None:
    profile, db = demo_db
    base = ["--db", str(db), "--now", NOW]
    unknown = run(profile, *base, "show", "demo/nope", check=False)
    assert unknown.returncode == 1
    assert len(unknown.stderr.strip().splitlines()) == 1 and "Traceback" not in unknown.stderr
    usage = run(profile, *base, "queue", "--view", "bogus", check=False)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    option = run(
        profile,
        *base,
        "account",
        "add",
        "discourse",
        "--name",
        "x",
        "--option",
        "novalue",
        check=False,
    )
    assert option.returncode == 2
    before = json.loads(run(profile, *base, "account", "list", "--json").stdout)
    unreachable = run(profile, *base, "account", "add", "demo", "--name", "bad/name", check=False)
    assert unreachable.returncode == 2
    assert json.loads(run(profile, *base, "account", "list", "--json").stdout) == before


def test_version_and_help() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "cm_console", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.startswith("cm-console ")


def test_prompt_a_suggested_colleague(demo_db: tuple[Path, Path]) -> None:
    profile, db = demo_db
    base = ["--db", str(db), "--now", NOW]
    item = json.loads(run(profile, *base, "queue", "--view", "unanswered", "--json").stdout)[-1]
    shown = json.loads(run(profile, *base, "show", str(item["id"]), "--json").stdout)
    assert shown["suggestions"], "the demo history suggests colleagues"
    first = shown["suggestions"][0]
    assert first["reasons"]
    assert all(r["text"] for r in first["reasons"])
    assert shown["next_step"] == "none"
    out = run(profile, *base, "prompt", str(item["id"]), "--person", first["handle"])
    assert "asked" in out.stdout
    after = json.loads(run(profile, *base, "show", str(item["id"]), "--json").stdout)
    assert [p["handle"] for p in after["prompts"]] == [first["handle"]]
    assert [op["kind"] for op in after["outbox"]] == ["reply"]
    assert f"@{first['handle']}" in after["outbox"][0]["text"]
    unknown = run(profile, *base, "prompt", str(item["id"]), "--person", "nobody-here", check=False)
    assert unknown.returncode == 2


def test_odd_references_and_search_input_never_crash(demo_db: tuple[Path, Path]) -> None:
    profile, db = demo_db
    base = ["--db", str(db), "--now", NOW]
    for args in (["show", "²"], ["outbox", "discard", "%%%%%%%%"]):
        proc = run(profile, *base, *args, check=False)
        assert proc.returncode == 1, (args, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    # An undecodable byte on the command line arrives as a lone surrogate.
    raw = subprocess.run(
        [
            sys.executable,
            "-m",
            "cm_console",
            "--profile",
            str(profile),
            *base,
            "queue",
            "--view",
            "all",
            "--search",
            b'printer \xff NEAR( "',
            "--json",
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert raw.returncode == 0, raw.stderr
    assert isinstance(json.loads(raw.stdout), list)


def test_now_is_exact_and_changes_nothing(demo_db: tuple[Path, Path]) -> None:
    profile, db = demo_db
    later = "2026-12-28T12:00:00Z"
    now_items = json.loads(
        run(profile, "--db", str(db), "--now", NOW, "queue", "--view", "all", "--json").stdout
    )
    later_items = json.loads(
        run(profile, "--db", str(db), "--now", later, "queue", "--view", "all", "--json").stdout
    )
    again = json.loads(
        run(profile, "--db", str(db), "--now", NOW, "queue", "--view", "all", "--json").stdout
    )
    assert again == now_items, "evaluating another instant wrote nothing"
    states = {i["id"]: i["state"] for i in now_items}
    later_states = {i["id"]: i["state"] for i in later_items}
    assert states != later_states
    assert sum(s == "abandoned" for s in later_states.values()) > sum(
        s == "abandoned" for s in states.values()
    )
