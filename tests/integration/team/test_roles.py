"""Setting up a team database as the README says: the SQL ``db grants`` prints, an owner role
that migrates, member roles for consoles, and passwords only in the keyring. Real processes,
the real PostgreSQL server with password authentication for this database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from cm_console.store.engine import HEAD_REVISION
from tests.helpers.postgres import PostgresServer

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

NOW = "2026-11-28T12:00:00Z"


def cm(profile: Path, *args: str, env: dict[str, str] | None = None, check: bool = True):  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, "-m", "cm_console", "--profile", str(profile), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=180,
        check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: exit {proc.returncode}: {proc.stderr}")
    return proc


def run_psql_script(admin_url: str, script: str, part: int) -> None:
    """Run one part of the printed script (parts are separated by its ``\\connect`` lines)."""
    base = admin_url.rsplit("/", 1)[0]
    parts: list[tuple[str, list[str]]] = [("postgres", [])]
    for line in script.splitlines():
        stripped = line.strip()
        if stripped.startswith("\\connect"):
            parts.append((stripped.split()[1], []))
        elif stripped and not stripped.startswith(("--", "\\")):
            parts[-1][1].append(line.split("--")[0])
    database, lines = parts[part]
    statements = [st.strip() for st in "\n".join(lines).split(";") if st.strip()]
    with psycopg.connect(f"{base}/{database}", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture
def team_db(pg_server: PostgresServer) -> Iterator[tuple[str, str]]:
    """A database name and its server's host:port, with password authentication for it."""
    name = "team_" + uuid.uuid4().hex[:8]
    hba = Path(pg_server._data) / "pg_hba.conf"  # the session server's own configuration
    original = hba.read_text()
    # Consoles and the owner authenticate with passwords; the test's superuser still trusts.
    roles = f"{name}_owner,+{name}_member"
    hba.write_text(f"host {name} {roles} 127.0.0.1/32 scram-sha-256\n{original}")
    with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
        admin.execute("SELECT pg_reload_conf()")
    yield name, f"127.0.0.1:{pg_server.port}"
    hba.write_text(original)
    with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
        admin.execute("SELECT pg_reload_conf()")
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in (f"{name}_owner", f"{name}_anouk", f"{name}_member"):
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_owner_migrates_members_work_and_the_audit_log_is_append_only(
    pg_server: PostgresServer, team_db: tuple[str, str], tmp_path: Path
) -> None:
    name, server = team_db
    owner, member, anouk = f"{name}_owner", f"{name}_member", f"{name}_anouk"
    owner_url = f"postgresql+psycopg://{owner}@{server}/{name}"
    anouk_url = f"postgresql+psycopg://{anouk}@{server}/{name}"
    admin_profile, anouk_profile = tmp_path / "admin", tmp_path / "anouk"

    script = cm(admin_profile, "--db", owner_url, "db", "grants", "--member", member).stdout
    run_psql_script(pg_server.admin_url, script, 0)
    run_psql_script(pg_server.admin_url, script, 1)
    with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
        admin.execute(f"ALTER ROLE {owner} PASSWORD 'owner secret'")
        admin.execute(f"CREATE ROLE {anouk} LOGIN IN ROLE {member} PASSWORD 'anouk secret'")

    # Without the password, nothing connects; with it, it is only ever in the keyring.
    refused = cm(admin_profile, "--db", owner_url, "db", "upgrade", check=False)
    assert refused.returncode == 1 and "password" in refused.stderr
    wrong = cm(
        admin_profile,
        "--db",
        owner_url,
        "db",
        "login",
        "--password-env",
        "PW",
        env={"PW": "guess"},
        check=False,
    )
    assert wrong.returncode == 1
    cm(
        admin_profile,
        "--db",
        owner_url,
        "db",
        "login",
        "--password-env",
        "PW",
        env={"PW": "owner secret"},
    )
    assert "upgraded" in cm(admin_profile, "--db", owner_url, "db", "upgrade").stdout
    run_psql_script(pg_server.admin_url, script, 2)

    # Anouk chooses the team database for her profile, logs in, and works.
    used = cm(
        anouk_profile, "db", "use", anouk_url.replace(f"{anouk}@", f"{anouk}:pw@"), check=False
    )
    assert used.returncode == 2 and "password out of the URL" in used.stderr
    cm(anouk_profile, "db", "use", anouk_url)
    assert (anouk_profile / "team-database.url").read_text().strip() == anouk_url
    cm(anouk_profile, "db", "login", "--password-env", "PW", env={"PW": "anouk secret"})
    status = cm(anouk_profile, "db", "status").stdout
    assert "team (shared)" in status and f"schema: {HEAD_REVISION}" in status
    cm(anouk_profile, "--now", NOW, "--db", anouk_url, "demo", "--headless")
    items = json.loads(cm(anouk_profile, "--now", NOW, "queue", "--json").stdout)
    assert items, "the member reads the shared queue"
    first = str(items[0]["id"])
    cm(anouk_profile, "--now", NOW, "tag", first, "printers")
    cm(anouk_profile, "--now", NOW, "reply", first, "--text", "On it")
    cm(anouk_profile, "--now", NOW, "sync")
    audit = json.loads(cm(anouk_profile, "audit", "--json").stdout)
    assert {"tag", "queue_reply", "sent_reply", "sent_as"} <= {e["action"] for e in audit}

    member_conn = f"postgresql://{anouk}:anouk%20secret@{server}/{name}"
    with psycopg.connect(member_conn, autocommit=True) as conn:
        for statement in (
            "UPDATE audit_log SET action = 'x'",
            "DELETE FROM audit_log",
            "DELETE FROM alembic_version",
            "CREATE TABLE mine (x int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    # Removing an account still clears the audit log's references to it (the database does
    # that as the table's owner), keeps every entry, and is itself logged.
    before = len(json.loads(cm(anouk_profile, "audit", "--json").stdout))
    cm(anouk_profile, "account", "remove", "demo")
    after = json.loads(cm(anouk_profile, "audit", "--json").stdout)
    assert len(after) == before + 1
    assert all(e["account"] is None for e in after if e["action"] == "tag")
    tagger = next(e["user"] for e in after if e["action"] == "tag")
    removed = [(e["user"], e["detail"]["name"]) for e in after if e["action"] == "account_remove"]
    assert removed == [(tagger, "demo")]

    cm(anouk_profile, "db", "logout")
    gone = cm(anouk_profile, "queue", check=False)
    assert gone.returncode == 1 and "password" in gone.stderr
