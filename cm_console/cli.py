"""The command line (DESIGN.md §8): a stable contract that scripts and tests rely on.

It speaks English, never imports Qt, and calls the same services as the window. Errors are one
line on stderr: exit code 1 when an operation failed (nothing was changed), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import shutil
import sys
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn, Protocol, TextIO
from urllib.parse import urlsplit

from cm_console import __version__
from cm_console.connectors.base import LoginMethod
from cm_console.domain import experts
from cm_console.domain.model import Secret, utc
from cm_console.domain.outbox import Operation
from cm_console.domain.priority import Reason, ReasonCode
from cm_console.domain.review import Decision, FlagReason, ReviewFilter, ReviewItem
from cm_console.domain.views import QueueItem, QueueQuery, View
from cm_console.reports.export import ExportFormat, ExportOptions
from cm_console.reports.labels import LANGUAGES
from cm_console.services.accounts import AccountService, ServiceError, UsageError
from cm_console.services.demo import DemoService
from cm_console.services.insights import InsightsService
from cm_console.services.outbox import OutboxService
from cm_console.services.planner import PlannerService
from cm_console.services.prompting import ExpertSuggestion, Ladder, PromptingService
from cm_console.services.review import ReviewService
from cm_console.services.sync import SyncReport, SyncService
from cm_console.services.team import (
    AuditQuery,
    TeamService,
    write_audit_csv,
    write_audit_json,
)
from cm_console.services.triage import ThreadDetail, TriageService

PROG = "cm-console"
VIEWS = ("unanswered", "stalled", "awaiting", "mine", "snoozed", "flagged", "done", "all")


class CliUsageError(Exception):
    """A malformed command line (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliUsageError(f"{message} (see '{self.prog} --help')")


def parse_instant(text: str) -> datetime:
    """ISO 8601; without an offset it means UTC."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    return utc(value)


_RELATIVE = re.compile(r"^\+?(\d+(?:\.\d+)?)\s*(m|min|h|d|w)$")


def parse_until(text: str, now: datetime) -> datetime:
    """A snooze time: ISO 8601 (UTC without an offset) or relative, like ``2h``, ``3d``, ``1w``."""
    match = _RELATIVE.match(text.strip().lower())
    if match:
        amount = float(match.group(1))
        unit = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}[
            match.group(2)
        ]
        try:
            return now + timedelta(**{unit: amount})
        except OverflowError:
            raise UsageError(f"--until: {text!r} is too far in the future") from None
    try:
        return parse_instant(text)
    except argparse.ArgumentTypeError:
        raise UsageError(
            f"--until: expected ISO 8601 or a duration like 2h, 3d, got {text!r}"
        ) from None


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {text!r}")
    return value


def _option(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), value.strip()


def build_parser() -> argparse.ArgumentParser:
    """The whole command-line grammar."""
    p = _Parser(
        prog=PROG,
        description="One queue for the conversations waiting on your internal social platforms.",
    )
    p.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: the profile's SQLite file; env CM_CONSOLE_DB)",
    )
    p.add_argument(
        "--profile",
        metavar="DIR",
        help="profile directory for the database, logs, "
        "caches and window settings (env CM_CONSOLE_PROFILE)",
    )
    p.add_argument(
        "--now",
        type=parse_instant,
        metavar="ISO8601",
        help="evaluate states as of this instant (UTC without an offset)",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log debug details to stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    sub.add_parser("gui", help="open the desktop console")
    demo = sub.add_parser("demo", help="open a fresh demo workspace")
    demo.add_argument("--headless", action="store_true", help="fill the demo workspace and exit")

    account = sub.add_parser("account", help="add, list or remove platform accounts")
    acc = account.add_subparsers(
        dest="action", metavar="ACTION", parser_class=_Parser, required=True
    )
    add = acc.add_parser("add", help="connect a platform account")
    add.add_argument("platform")
    add.add_argument("--name", required=True)
    add.add_argument("--url")
    add.add_argument("--user")
    add.add_argument("--login", choices=[m.value for m in LoginMethod if m is not LoginMethod.NONE])
    add.add_argument("--token-env", metavar="VAR", help="read the secret from this env variable")
    add.add_argument("--option", action="append", type=_option, default=[], metavar="KEY=VALUE")
    lst = acc.add_parser("list", help="list accounts")
    lst.add_argument("--json", action="store_true")
    rm = acc.add_parser("remove", help="remove an account and everything synced for it")
    rm.add_argument("name")

    sync = sub.add_parser("sync", help="pull new activity, then drain the outbox")
    sync.add_argument("--account")
    sync.add_argument("--json", action="store_true")

    queue = sub.add_parser("queue", help="list the triage queue or a view")
    queue.add_argument("--view", choices=VIEWS)
    queue.add_argument("--account")
    queue.add_argument("--search", help="only threads containing these words")
    queue.add_argument("--limit", type=_count)
    queue.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="show a thread")
    show.add_argument("thread")
    show.add_argument("--json", action="store_true")

    reply = sub.add_parser("reply", help="queue a reply in the outbox")
    reply.add_argument("thread")
    reply.add_argument("--text", required=True)
    reply.add_argument("--send-now", action="store_true", help="send right away")

    tag = sub.add_parser("tag", help="add or remove a tag")
    tag.add_argument("thread")
    tag.add_argument("tag")
    tag.add_argument("--remove", action="store_true")
    tag.add_argument(
        "--on-platform",
        action="store_true",
        help="also set the tags on the platform (through the outbox)",
    )

    assign = sub.add_parser("assign", help="assign a thread to a console user")
    assign.add_argument("thread")
    assign.add_argument("--to", required=True, metavar="NAME")

    snooze = sub.add_parser("snooze", help="hide a thread until a time or a reply")
    snooze.add_argument("thread")
    when = snooze.add_mutually_exclusive_group(required=True)
    when.add_argument("--until", metavar="WHEN", help="ISO 8601 or a duration (2h, 3d)")
    when.add_argument("--until-reply", action="store_true")

    done = sub.add_parser("done", help="take a thread out of the queue until someone posts")
    done.add_argument("thread")

    flag = sub.add_parser("flag", help="flag a thread for review (keeps a complete copy)")
    flag.add_argument("thread")
    flag.add_argument("--note")
    flag.add_argument("--reason", choices=[r.value for r in FlagReason])

    outbox = sub.add_parser("outbox", help="what waits to be sent; retry or discard")
    outbox.add_argument("--json", action="store_true")
    ob = outbox.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    retry = ob.add_parser("retry", help="send a failed operation again")
    retry.add_argument("op")
    discard = ob.add_parser("discard", help="cancel an operation")
    discard.add_argument("op")

    prompt = sub.add_parser("prompt", help="ask a colleague to answer (mention or DM)")
    prompt.add_argument("thread")
    prompt.add_argument("--person", required=True, metavar="HANDLE")
    prompt.add_argument("--via", choices=["mention", "dm"], default="mention")
    prompt.add_argument("--text", help="the message (default: a friendly standard text)")

    export = sub.add_parser(
        "export", help="export threads for review: HTML, PDF, CSV or a review packet"
    )
    export.add_argument("--view", choices=VIEWS, default="flagged")
    export.add_argument(
        "--format", required=True, choices=[f.value for f in ExportFormat], dest="fmt"
    )
    export.add_argument("--output", required=True, metavar="FILE")
    export.add_argument(
        "--thread", action="append", default=[], metavar="THREAD", help="only this thread"
    )
    export.add_argument("--reason", choices=[r.value for r in FlagReason])
    export.add_argument("--decision", choices=[*(d.value for d in Decision), "undecided"])
    export.add_argument(
        "--pseudonymise",
        action="store_true",
        help="people become Person A, B, ... (e-mail addresses and phone numbers go too)",
    )
    export.add_argument(
        "--strip-contacts", action="store_true", help="remove e-mail addresses and phone numbers"
    )
    export.add_argument("--language", choices=LANGUAGES, default="en")

    review = sub.add_parser("review", help="flagged threads under review; review packets")
    rev = review.add_subparsers(
        dest="action", metavar="ACTION", parser_class=_Parser, required=True
    )
    rev_list = rev.add_parser("list", help="flagged threads with their reason and decision")
    rev_list.add_argument("--json", action="store_true")
    rev_import = rev.add_parser(
        "import", help="import a review packet: its threads, annotations and decisions"
    )
    rev_import.add_argument("file", metavar="FILE")
    rev_import.add_argument("--json", action="store_true")
    report = sub.add_parser("report", help="dialogue-health metrics")
    report.add_argument(
        "--since", metavar="DATE", help="start of the period (ISO date or time; default 12 weeks)"
    )
    report.add_argument("--until", metavar="DATE", help="end of the period (default: now)")
    report.add_argument("--account", help="only this account")
    report.add_argument("--by", choices=("week", "month"), default="week", help="time series step")
    report.add_argument("--json", action="store_true")

    plan = sub.add_parser("plan", help="conversation starters: schedule, list, cancel")
    pl = plan.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    plan_list = pl.add_parser("list", help="scheduled and sent starters")
    plan_list.add_argument("--account")
    plan_list.add_argument("--json", action="store_true")
    plan_add = pl.add_parser("add", help="schedule a post or poll (sent by the outbox at --at)")
    plan_add.add_argument("--account", required=True)
    plan_add.add_argument("--community", required=True, help="community name or remote id")
    plan_add.add_argument(
        "--at", required=True, metavar="WHEN", help="ISO 8601, a delay (2h, 3d) or 'suggested'"
    )
    plan_add.add_argument("--title", default="")
    plan_add.add_argument("--text", required=True, help="the post, or the poll's question")
    plan_add.add_argument(
        "--poll-option", action="append", default=[], metavar="TEXT", help="makes it a poll"
    )
    plan_add.add_argument(
        "--duty", action="append", default=[], metavar="NAME", help="who answers (repeatable)"
    )
    plan_add.add_argument(
        "--saved-reply", action="append", default=[], metavar="NAME", help="prepared reply"
    )
    plan_add.add_argument("--notes", default="", help="expected questions, hints for those on duty")
    plan_cancel = pl.add_parser("cancel", help="cancel a starter that was not sent yet")
    plan_cancel.add_argument("id", type=int)
    plan_suggest = pl.add_parser("suggest", help="suggest a time from the activity heatmap")
    plan_suggest.add_argument("--account", required=True)
    plan_suggest.add_argument("--community", help="community name or remote id")

    db = sub.add_parser("db", help="database maintenance and the team database")
    dbs = db.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    dbs.add_parser("upgrade", help="migrate the database to this version's schema")
    login = dbs.add_parser("login", help="keep the team database password in the keyring")
    login.add_argument(
        "--password-env", metavar="VAR", help="read the password from this env variable"
    )
    dbs.add_parser("logout", help="remove the team database password from the keyring")
    use = dbs.add_parser("use", help="use a team database from now on (or the embedded one)")
    use.add_argument("url", nargs="?", help="postgresql+psycopg://ROLE@HOST/DATABASE")
    use.add_argument("--embedded", action="store_true", help="back to this computer's database")
    dbs.add_parser("status", help="which database, its mode and schema")
    grants = dbs.add_parser("grants", help="print the SQL that sets up the team roles")
    grants.add_argument("--member", default="cm_member", metavar="ROLE")
    grants.add_argument("--owner", metavar="ROLE", help="default: the role in the URL")

    audit = sub.add_parser("audit", help="what the console posted, tagged or changed, by whom")
    audit.add_argument("--since", type=parse_instant, metavar="ISO8601")
    audit.add_argument("--until", type=parse_instant, metavar="ISO8601")
    audit.add_argument("--user", metavar="NAME")
    audit.add_argument("--action", help="an action, or a prefix with * (sent_*)")
    audit.add_argument("--account")
    audit.add_argument("--thread")
    audit.add_argument("--limit", type=_count, default=1000)
    fmt = audit.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    audit.add_argument("--output", metavar="FILE", help="write to FILE instead of the terminal")

    team = sub.add_parser("team", help="colleagues on the shared database; your own identities")
    tm = team.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    tstatus = tm.add_parser("status", help="who is online and who is replying where")
    tstatus.add_argument("--json", action="store_true")
    identity = tm.add_parser(
        "identity", help="reply as yourself on an account (your own token, in your keyring)"
    )
    identity.add_argument("account")
    identity.add_argument("--person", metavar="REMOTE_ID", help="your user id on the platform")
    identity.add_argument("--user", metavar="NAME", help="your sign-in name, where it differs")
    identity.add_argument("--token-env", metavar="VAR", help="read your secret from this variable")
    identity.add_argument("--no-secret", action="store_true", help="link only; send as the account")
    identity.add_argument("--remove", action="store_true")
    return p


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv``; raises :class:`CliUsageError` on malformed input."""
    return build_parser().parse_args(list(argv))


# --- output ----------------------------------------------------------------------------------


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return utc(dt).isoformat().replace("+00:00", "Z")


def span(delta: timedelta) -> str:
    """A duration for people: ``45 min``, ``5 h``, ``3 days``."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def reason_text(reason: Reason, item: QueueItem, now: datetime) -> str:
    """English text for a reason (the window has its own, translated)."""
    since = reason.params.get("since")
    ago = span(now - since) if isinstance(since, datetime) else ""
    code = reason.code
    if code is ReasonCode.UNANSWERED:
        return f"No reply for {ago}"
    if code is ReasonCode.AWAITING_US:
        return f"Someone wrote after the team's last reply, {ago} ago"
    if code is ReasonCode.STALLED:
        return f"Went quiet {ago} ago on an open question"
    if code is ReasonCode.PAST_SLA:
        due = reason.params.get("due")
        late = span(now - due) if isinstance(due, datetime) else ""
        return f"Past the first-response target by {late}"
    if code is ReasonCode.QUESTION:
        return "Asks a question"
    if code is ReasonCode.NEWCOMER:
        return f"First post by {item.author or 'this person'}"
    if code is ReasonCode.ACKNOWLEDGED_ONLY:
        return "Someone reacted, but nobody replied"
    if code is ReasonCode.WAITING:
        return f"Waiting for {ago}"
    return "The colleague you prompted has not answered"


def item_json(item: QueueItem, now: datetime) -> dict[str, Any]:
    return {
        "id": item.id,
        "key": item.key,
        "platform": item.platform,
        "account": item.account,
        "container": item.container,
        "container_id": item.container_id,
        "remote_id": item.remote_id,
        "title": item.title,
        "url": item.url,
        "author": item.author,
        "author_handle": item.author_handle,
        "created_at": iso(item.created_at),
        "last_activity_at": iso(item.last_activity_at),
        "reply_count": item.reply_count,
        "state": item.state.value,
        "priority": item.priority,
        "reasons": [
            {"code": r.code.value, "text": reason_text(r, item, now)} for r in item.reasons
        ],
        "tags": list(item.tags),
        "assignee": item.assignee,
        "status": item.status.value,
        "flagged": item.flagged,
        "flag_note": item.flag_note,
        "sla_due_at": iso(item.sla_due_at),
        "waiting_since": iso(item.waiting_since),
        "snooze_until": iso(item.snooze_until),
        "acknowledged": item.acknowledged,
        "pending_ops": item.pending_ops,
    }


def op_json(op: Operation) -> dict[str, Any]:
    return {
        "id": op.id,
        "op_id": op.op_id,
        "account_id": op.account_id,
        "kind": op.kind.value,
        "state": op.state.value,
        "thread_id": op.thread_id,
        "attempts": op.attempts,
        "created_at": iso(op.created_at),
        "next_attempt_at": iso(op.next_attempt_at),
        "last_error_code": op.last_error_code,
        "last_error": op.last_error,
        "remote_id": op.remote_id,
        "sent_at": iso(op.sent_at),
        "text": op.payload.get("text"),
    }


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def table(rows: list[list[str]], headers: list[str], out: TextIO, flex: int) -> None:
    """Print an aligned table; column ``flex`` takes the width that is left."""
    width = shutil.get_terminal_size((120, 24)).columns
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    fixed = sum(w for i, w in enumerate(widths) if i != flex) + 2 * (len(headers) - 1)
    widths[flex] = max(20, min(widths[flex], width - fixed))
    line = "  ".join(h.ljust(widths[i]) for i, h in enumerate(headers))
    print(line.rstrip(), file=out)
    for r in rows:
        cells = [_clip(c, widths[i]).ljust(widths[i]) for i, c in enumerate(r)]
        print("  ".join(cells).rstrip(), file=out)


# --- commands ---------------------------------------------------------------------------------


class PdfRenderer(Protocol):
    def __call__(self, html: str, path: str) -> None: ...


@dataclass(frozen=True)
class CliServices:
    """What the command line works with; built by the composition root."""

    triage: TriageService
    accounts: AccountService
    sync: SyncService
    outbox: OutboxService
    demo: DemoService
    prompting: PromptingService
    clock: Callable[[], datetime]
    upgrade_database: Callable[[], str]
    pdf_renderer: PdfRenderer | None = None
    team: TeamService | None = None
    review: ReviewService | None = None
    insights: InsightsService | None = None
    planner: PlannerService | None = None


def _secret(args: argparse.Namespace, needed: bool, stdin: TextIO) -> Secret | None:
    if not needed:
        return None
    return read_secret(args.token_env, "Secret (token, key or password): ", stdin)


def read_secret(env: str | None, prompt: str, stdin: TextIO) -> Secret:
    """A secret from the variable ``env`` names, else typed (hidden) or piped on stdin."""
    if env:
        value = os.environ.get(env)
        if not value:
            raise UsageError(f"{env}: the variable is empty or not set")
        return Secret(value)
    value = getpass.getpass(prompt) if stdin.isatty() else stdin.readline().rstrip("\r\n")
    if not value:
        raise UsageError("no secret given (name a variable, or type it at the prompt)")
    return Secret(value)


def grants_sql(url: str, member: str, owner: str | None) -> str:
    """The SQL a database administrator runs once to set up the team roles (printed, not run)."""
    parts = urlsplit(url)
    database = parts.path.lstrip("/") or "cm_console"
    owner = owner or parts.username or "cm_owner"
    for name in (database, owner, member):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
            raise UsageError(f"{name!r}: use a plain SQL name (letters, digits, underscores)")
    return f"""-- cm-console team database: run as a PostgreSQL superuser in psql.
-- {owner} owns the schema and runs 'cm-console db upgrade'; consoles log in as {member}s.
CREATE ROLE {owner} LOGIN;
\\password {owner}
CREATE ROLE {member} NOLOGIN;
CREATE DATABASE {database} OWNER {owner};
\\connect {database}
REVOKE ALL ON DATABASE {database} FROM PUBLIC;
GRANT CONNECT ON DATABASE {database} TO {owner}, {member};
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO {member};
-- Members read and write what consoles share, in the tables of this and every later upgrade.
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {member};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO {member};

-- Now, as {owner}: cm-console --db postgresql+psycopg://{owner}@HOST/{database} db login
--                  cm-console --db postgresql+psycopg://{owner}@HOST/{database} db upgrade
-- Then, once, back here in psql:
\\connect {database}
REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {member};
-- The audit log is append-only for consoles.
REVOKE UPDATE, DELETE ON audit_log FROM {member};

-- One login per community manager (each keeps the password with 'cm-console db login'):
-- CREATE ROLE anouk LOGIN IN ROLE {member};
-- \\password anouk
"""


class TerminalLogin:
    """Interactive sign-in on the terminal: the system browser, messages, pasted codes and
    device codes. Prompts go to stderr, so ``--json`` output on stdout stays clean."""

    def __init__(self, err: TextIO, stdin: TextIO) -> None:
        self._err = err
        self._stdin = stdin

    def open_url(self, url: str) -> bool:

        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if not opened:
            print(f"Open this address in a browser to sign in:\n  {url}", file=self._err)
        return opened

    def show(self, message: str) -> None:
        print(message, file=self._err, flush=True)

    def ask(self, prompt: str) -> str:
        print(prompt, file=self._err, end=" ", flush=True)
        return self._stdin.readline().strip()

    def show_device_code(self, message: str, url: str, code: str) -> None:
        print(message or f"To sign in, visit {url} and enter the code {code}", file=self._err)

    def warn(self, message: str) -> None:
        print(f"{PROG}: warning: {message}", file=self._err)

    def cancelled(self) -> bool:
        return False


def cmd_account(
    args: argparse.Namespace, svc: CliServices, out: TextIO, stdin: TextIO, err: TextIO
) -> int:
    if args.action == "add":
        cls = svc.accounts.factory.connector_class(args.platform)
        login = LoginMethod(args.login) if args.login else None
        needs = cls.info.needs_secret and login in (None, LoginMethod.TOKEN)
        options = dict(args.option)
        account = svc.accounts.add(
            platform=args.platform,
            name=args.name,
            url=args.url,
            user=args.user,
            secret=_secret(args, needs, stdin),
            options=options,
            login=login,
            login_ui=TerminalLogin(err, stdin),
        )
        print(f"added {account.name} ({cls.info.display_name})", file=out)
        return 0
    if args.action == "remove":
        svc.accounts.remove(args.name)
        print(f"removed {args.name}", file=out)
        return 0
    overview = svc.accounts.overview()
    if args.json:
        json.dump(
            [
                {
                    "name": o.account.name,
                    "platform": o.account.platform,
                    "url": o.account.url,
                    "user": o.account.username,
                    "options": dict(o.account.options),
                    "last_sync": iso(o.sync.last_success_at) if o.sync else None,
                    "last_error": o.sync.last_error if o.sync else None,
                    "pending_ops": o.pending_ops,
                }
                for o in overview
            ],
            out,
            indent=2,
        )
        print(file=out)
        return 0
    rows = [
        [
            o.account.name,
            o.display_name,
            o.account.url or "",
            iso(o.sync.last_success_at) or "never" if o.sync else "never",
            (o.sync.last_error or "") if o.sync else "",
            str(o.pending_ops),
        ]
        for o in overview
    ]
    table(rows, ["NAME", "PLATFORM", "URL", "LAST SYNC", "ERROR", "OUTBOX"], out, flex=4)
    return 0


def _report_json(report: SyncReport) -> list[dict[str, Any]]:
    out = []
    for a in report.accounts:
        entry: dict[str, Any] = {
            "account": a.account,
            "ok": a.ok,
            "error_code": a.error_code,
            "error": a.error,
        }
        if a.pull is not None:
            entry.update(
                pages=a.pull.pages,
                new_posts=a.pull.new_posts,
                updated_posts=a.pull.updated_posts,
                deleted_posts=a.pull.deleted_posts,
                new_threads=a.pull.new_threads,
            )
        if a.drain is not None:
            entry.update(
                sent=len(a.drain.sent),
                reconciled=len(a.drain.reconciled),
                requeued=len(a.drain.requeued),
                unknown=len(a.drain.unknown),
                failed=len(a.drain.failed),
                needs_attention=len(a.drain.needs_attention),
            )
        out.append(entry)
    return out


def cmd_sync(args: argparse.Namespace, svc: CliServices, out: TextIO, err: TextIO) -> int:
    report = svc.sync.sync(args.account)
    if args.json:
        json.dump(_report_json(report), out, indent=2)
        print(file=out)
    else:
        for a in report.accounts:
            if not a.ok:
                continue
            parts = []
            if a.pull is not None:
                parts.append(f"{a.pull.new_posts} new posts, {a.pull.updated_posts} updated")
            if a.drain is not None:
                parts.append(f"{len(a.drain.sent)} sent")
                waiting = len(a.drain.requeued) + len(a.drain.unknown)
                if waiting:
                    parts.append(f"{waiting} waiting")
                problems = len(a.drain.failed) + len(a.drain.needs_attention)
                if problems:
                    parts.append(f"{problems} need attention (see 'outbox')")
            print(f"{a.account}: {', '.join(parts)}", file=out)
    for a in report.accounts:
        if not a.ok:
            print(f"{PROG}: {a.error}", file=err)
    return 0 if report.ok else 1


def cmd_queue(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    view = View(args.view) if args.view else View.QUEUE
    query = QueueQuery(view=view, account=args.account, search=args.search)
    if args.account:
        svc.accounts.get(args.account)
    items = svc.triage.queue(query, limit=args.limit)
    now = svc.clock()
    if args.json:
        json.dump([item_json(i, now) for i in items], out, indent=2, ensure_ascii=False)
        print(file=out)
        return 0
    rows = [
        [
            str(i.id),
            i.state.value,
            str(i.priority),
            span(now - i.created_at),
            f"{i.account}/{i.container}",
            i.author,
            i.title,
        ]
        for i in items
    ]
    table(rows, ["ID", "STATE", "PRIO", "AGE", "WHERE", "AUTHOR", "TITLE"], out, flex=6)
    print(f"{len(items)} threads", file=out)
    return 0


def show_json(detail: ThreadDetail, now: datetime) -> dict[str, Any]:
    return {
        **item_json(detail.item, now),
        "posts": [
            {
                "id": p.id,
                "remote_id": p.remote_id,
                "author": p.author,
                "author_handle": p.author_handle,
                "team": p.author_is_team,
                "created_at": iso(p.created_at),
                "edited_at": iso(p.edited_at),
                "deleted": p.deleted,
                "kind": p.kind.value,
                "is_root": p.is_root,
                "bot": p.by_bot,
                "text": p.text,
                "reactions": [
                    {"person": r.person_remote_id, "emoji": r.emoji} for r in p.reactions
                ],
            }
            for p in detail.posts
        ],
        "outbox": [op_json(op) for op in detail.operations],
        "draft": detail.draft.text if detail.draft else None,
    }


def suggestion_reason_text(reason: experts.Reason, community: str, now: datetime) -> str:
    """English text for why a colleague is suggested."""
    code = reason.code
    if code is experts.ReasonCode.SIMILAR:
        return f"answered {reason.count} similar question(s)"
    if code is experts.ReasonCode.COMMUNITY:
        return f"answered {reason.count} time(s) in {community}"
    if code is experts.ReasonCode.TAG:
        return f"answered {reason.count} thread(s) with the same tags"
    if code is experts.ReasonCode.ACCEPTED:
        return f"{reason.count} accepted answer(s)"
    if code is experts.ReasonCode.LAST_ANSWER:
        return f"last answer {span(now - reason.at)} ago" if reason.at else "answered before"
    if code is experts.ReasonCode.BUSY:
        return f"asked {reason.count} time(s) this week"
    return f"asked {reason.count} time(s) today: at the daily limit"


def suggestions_json(items: list[ExpertSuggestion], now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "person": s.person.display_name,
            "handle": s.person.handle,
            "person_id": s.person.id,
            "score": s.score,
            "limited": s.limited,
            "reasons": [
                {
                    "code": r.code.value,
                    "count": r.count,
                    "text": suggestion_reason_text(r, s.community, now),
                }
                for r in s.reasons
            ],
        }
        for s in items
    ]


def ladder_json(ladder: Ladder) -> dict[str, Any]:
    return {
        "prompts": [
            {
                "person": p.person,
                "handle": p.handle,
                "via": p.via.value,
                "step": p.step,
                "prompted_at": iso(p.prompted_at),
                "deadline_at": iso(p.deadline_at),
                "answered_at": iso(p.answered_at),
                "closed": p.closed,
            }
            for p in ladder.prompts
        ],
        "next_step": ladder.next_step.value,
        "next_person": ladder.person.handle if ladder.person else None,
    }


def cmd_show(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    detail = svc.triage.show(args.thread)
    now = svc.clock()
    if args.json:
        data = show_json(detail, now)
        data["suggestions"] = suggestions_json(svc.prompting.suggestions(detail.item.id), now)
        data.update(ladder_json(svc.prompting.ladder(detail.item.id)))
        json.dump(data, out, indent=2, ensure_ascii=False)
        print(file=out)
        return 0
    item = detail.item
    print(f"[{item.id}] {item.title}", file=out)
    print(
        f"{item.key} · {item.container} · {item.state.value} · priority {item.priority}"
        f" · {item.status.value}",
        file=out,
    )
    if item.url:
        print(item.url, file=out)
    for r in item.reasons:
        print(f"  why: {reason_text(r, item, now)}", file=out)
    if item.tags:
        print(f"  tags: {', '.join(item.tags)}", file=out)
    print(file=out)
    for p in detail.posts:
        marks = [
            m
            for m, on in (
                ("team", p.author_is_team),
                ("bot", p.by_bot),
                ("deleted", p.deleted),
                ("edited", p.edited_at is not None),
            )
            if on
        ]
        suffix = f" ({', '.join(marks)})" if marks else ""
        print(f"— {p.author}{suffix}, {iso(p.created_at)}", file=out)
        for line in p.text.splitlines() or [""]:
            print(f"  {line}", file=out)
        if p.reactions:
            print("  " + " ".join(r.emoji for r in p.reactions), file=out)
        print(file=out)
    for op in detail.operations:
        print(f"outbox {op.id}: {op.kind.value} {op.state.value}", file=out)
    return 0


def cmd_outbox(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    if args.action == "retry":
        op = svc.outbox.retry(args.op)
        print(f"operation {op.id} queued again", file=out)
        return 0
    if args.action == "discard":
        op = svc.outbox.discard(args.op)
        print(f"operation {op.id} discarded", file=out)
        return 0
    ops = svc.outbox.operations()
    if args.json:
        json.dump([op_json(op) for op in ops], out, indent=2, ensure_ascii=False)
        print(file=out)
        return 0
    rows = [
        [
            str(op.id),
            op.kind.value,
            op.state.value,
            str(op.thread_id or ""),
            str(op.attempts),
            op.last_error or "",
            str(op.payload.get("text", "")),
        ]
        for op in ops
    ]
    table(rows, ["ID", "KIND", "STATE", "THREAD", "TRIES", "ERROR", "TEXT"], out, flex=6)
    return 0


def cmd_prompt(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    item = svc.triage.show(args.thread).item
    person = svc.accounts.find_person(item.account, args.person)
    if args.text:
        text = args.text
    elif args.via == "mention":
        text = f"@{person.handle} could you help with this one? You probably know more. Thanks!"
    else:
        text = f"Hi {person.display_name}, could you have a look at this question? {item.url or ''}"
    result = svc.prompting.prompt(item.id, person.id, via=args.via, text=text.strip())
    assert result.operation is not None
    print(
        f"asked {person.display_name} by {args.via} (operation {result.operation.id}); "
        "'sync' sends it",
        file=out,
    )
    return 0


def execute(
    args: argparse.Namespace,
    svc: CliServices,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    stdin: TextIO = sys.stdin,
) -> int:
    """Run a parsed command (everything but ``gui`` and ``demo``, which the app handles)."""
    command = args.command
    if command == "account":
        return cmd_account(args, svc, out, stdin, err)
    if command == "sync":
        return cmd_sync(args, svc, out, err)
    if command == "queue":
        return cmd_queue(args, svc, out)
    if command == "show":
        return cmd_show(args, svc, out)
    if command == "reply":
        result = svc.triage.reply(args.thread, args.text)
        assert result.operation is not None
        if args.send_now:
            meta = svc.triage.show(args.thread).item
            report = svc.sync.sync(meta.account, pull=False)
            for a in report.accounts:
                if not a.ok:
                    print(f"{PROG}: queued, but sending failed: {a.error}", file=err)
                    return 1
            op = svc.outbox.get(result.operation.op_id)
            print(f"reply {op.state.value} (operation {op.id})", file=out)
            return 0
        print(f"reply queued (operation {result.operation.id}); 'sync' sends it", file=out)
        return 0
    if command == "tag":
        result = svc.triage.tag(
            [args.thread], args.tag, remove=args.remove, on_platform=args.on_platform
        )
        print(f"{'removed' if args.remove else 'tagged'} {args.tag}", file=out)
        return 0
    if command == "assign":
        svc.triage.assign([args.thread], args.to)
        print(f"assigned to {args.to}", file=out)
        return 0
    if command == "snooze":
        if args.until_reply:
            svc.triage.snooze([args.thread], until_reply=True)
            print("snoozed until a reply", file=out)
        else:
            until = parse_until(args.until, svc.clock())
            svc.triage.snooze([args.thread], until=until)
            print(f"snoozed until {iso(until)}", file=out)
        return 0
    if command == "done":
        svc.triage.done([args.thread])
        print("done", file=out)
        return 0
    if command == "flag":
        return cmd_flag(args, svc, out)
    if command == "export":
        return cmd_export(args, svc, out)
    if command == "review":
        return cmd_review(args, svc, out)
    if command == "outbox":
        return cmd_outbox(args, svc, out)
    if command == "prompt":
        return cmd_prompt(args, svc, out)
    if command == "db":
        print(svc.upgrade_database(), file=out)
        return 0
    if command == "audit":
        return cmd_audit(args, svc, out)
    if command == "team":
        return cmd_team(args, svc, out, stdin)
    if command == "report":
        from cm_console.cli_insights import cmd_report  # noqa: PLC0415

        return cmd_report(args, svc, out)
    if command == "plan":
        from cm_console.cli_insights import cmd_plan  # noqa: PLC0415

        return cmd_plan(args, svc, out)
    raise CliUsageError(f"unknown command {command!r}")


def cmd_audit(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    assert svc.team is not None
    thread_id = svc.triage.resolve(args.thread) if args.thread else None
    entries = svc.team.audit(
        AuditQuery(
            since=args.since,
            until=args.until,
            user=args.user,
            action=args.action,
            account=args.account,
            thread_id=thread_id,
            limit=args.limit,
        )
    )
    target = out
    handle = None
    if args.output:
        handle = open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
        target = handle
    try:
        if args.json:
            write_audit_json(entries, target)
        elif args.csv:
            write_audit_csv(entries, target)
        else:
            rows = [
                [
                    iso(e.at) or "",
                    e.user or "",
                    e.action,
                    e.thread_key or (str(e.thread_id) if e.thread_id else e.account or ""),
                    json.dumps(e.detail, ensure_ascii=False, sort_keys=True),
                ]
                for e in entries
            ]
            table(rows, ["AT", "USER", "ACTION", "THREAD", "DETAIL"], target, flex=4)
    finally:
        if handle is not None:
            handle.close()
    if args.output:
        print(f"{len(entries)} audit entries written to {args.output}", file=out)
    return 0


def cmd_team(args: argparse.Namespace, svc: CliServices, out: TextIO, stdin: TextIO) -> int:
    team = svc.team
    assert team is not None
    if args.action == "identity":
        if args.remove:
            gone = team.remove_identity(args.account)
            print("identity removed" if gone else "no identity to remove", file=out)
            return 0
        if not args.person:
            raise UsageError("team identity needs --person (your user id on the platform)")
        secret = None
        if not args.no_secret:
            secret = read_secret(args.token_env, "Your own token or password: ", stdin)
        identity = team.set_identity(
            args.account, person=args.person, username=args.user, secret=secret
        )
        how = "as yourself" if identity.own_credentials else "as the account"
        print(f"{team.user.name} on {args.account}: replies go out {how}", file=out)
        return 0
    online = team.online()
    replying = team.replying(None)
    if args.json:
        json.dump(
            {
                "database": team.database_label,
                "shared": team.shared,
                "online": [
                    {"user": p.user_name, "host": p.host, "since": iso(p.started_at)}
                    for p in online
                ],
                "replying": [
                    {
                        "thread_id": c.thread_id,
                        "user": c.user_name,
                        "until": iso(c.expires_at),
                    }
                    for c in replying.values()
                ],
            },
            out,
            indent=2,
        )
        print(file=out)
        return 0
    print(f"database: {team.database_label} ({'team' if team.shared else 'embedded'})", file=out)
    for p in online:
        print(f"online: {p.user_name} on {p.host} since {iso(p.started_at)}", file=out)
    for c in replying.values():
        print(f"replying: {c.user_name} to thread {c.thread_id}", file=out)
    if not online and not replying:
        print("no other console is open", file=out)
    return 0


def _review(svc: CliServices) -> ReviewService:
    if svc.review is None:
        raise ServiceError("review is not available in this console")
    return svc.review


def cmd_flag(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    review = _review(svc)
    reason = FlagReason(args.reason) if args.reason else None
    result = review.flag([args.thread], args.note, reason)
    copies = review.complete_copies(sorted(result.changes.thread_ids))
    if copies.failed:
        print(f"flagged; the complete copy is fetched by the next sync ({copies.error})", file=out)
    elif copies.gone:
        print("flagged; the platform no longer has this thread: the local copy is kept", file=out)
    else:
        print("flagged; a complete copy is kept", file=out)
    return 0


def cmd_export(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    review = _review(svc)
    view = View(args.view)
    if args.thread:
        ids = svc.triage.resolve_many(args.thread)
    else:
        query = ReviewFilter(
            reason=FlagReason(args.reason) if args.reason else None,
            decision=Decision(args.decision) if args.decision not in (None, "undecided") else None,
            undecided=args.decision == "undecided",
        )
        if view is not View.FLAGGED and (args.reason or args.decision):
            raise UsageError("--reason and --decision filter the flagged view only")
        ids = review.ids_for_view(view, query)
    fmt = ExportFormat(args.fmt)
    options = ExportOptions(
        pseudonymise=args.pseudonymise,
        strip_contacts=args.strip_contacts,
        language=args.language,
    )
    summary = review.export(
        ids,
        fmt,
        args.output,
        options,
        pdf=svc.pdf_renderer,
        zone=datetime.now().astimezone().tzinfo,
    )
    print(
        f"exported {summary.threads} thread(s), {summary.posts} post(s) and "
        f"{summary.annotations} annotation(s) to {summary.path} ({fmt.value})",
        file=out,
    )
    return 0


def review_json(item: ReviewItem) -> dict[str, Any]:
    decision = item.decision
    return {
        "id": item.thread_id,
        "key": item.key,
        "platform": item.platform,
        "account": item.account,
        "container": item.container,
        "title": item.title,
        "flag_reason": item.flag_reason.value if item.flag_reason else None,
        "flag_note": item.flag_note,
        "flagged_at": iso(item.flagged_at),
        "copy": item.copy_state.value,
        "copied_at": iso(item.copied_at),
        "deleted_upstream_at": iso(item.upstream_deleted_at),
        "imported": item.imported,
        "annotations": item.annotation_count,
        "decision": decision.decision.value if decision else None,
        "decided_by": decision.reviewer if decision else None,
        "decided_at": iso(decision.decided_at) if decision else None,
    }


def cmd_review(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    review = _review(svc)
    if args.action == "import":
        result = review.import_packet(args.file)
        if args.json:
            json.dump(
                {
                    "threads": result.threads,
                    "new_threads": result.new_threads,
                    "own_threads": result.own_threads,
                    "annotations_added": result.annotations_added,
                    "annotations_updated": result.annotations_updated,
                    "decisions_added": result.decisions_added,
                    "accounts": list(result.accounts),
                },
                out,
                indent=2,
            )
            print(file=out)
            return 0
        where = f" into {', '.join(result.accounts)} (read-only)" if result.accounts else ""
        print(
            f"imported {result.threads} thread(s){where}: {result.new_threads} new, "
            f"{result.annotations_added} annotation(s) added, {result.annotations_updated} "
            f"updated, {result.decisions_added} decision(s) added",
            file=out,
        )
        return 0
    items = review.flagged()
    if args.json:
        json.dump([review_json(i) for i in items], out, indent=2, ensure_ascii=False)
        print(file=out)
        return 0
    rows = [
        [
            str(i.thread_id),
            i.flag_reason.value if i.flag_reason else "",
            i.decision.decision.value if i.decision else "",
            i.copy_state.value,
            str(i.annotation_count),
            i.title,
        ]
        for i in items
    ]
    table(rows, ["ID", "REASON", "DECISION", "COPY", "NOTES", "TITLE"], out, flex=5)
    return 0


def demo_summary(svc: CliServices, out: TextIO) -> None:
    """What ``demo --headless`` prints: the sync figures and the queue."""
    counts = svc.triage.counts()
    print(
        f"demo workspace ready: {counts[View.ALL]} threads, {counts[View.QUEUE]} in the queue "
        f"({counts[View.UNANSWERED]} unanswered, {counts[View.STALLED]} stalled, "
        f"{counts[View.AWAITING]} awaiting us)",
        file=out,
    )


def now_utc() -> datetime:
    return datetime.now(UTC)


__all__ = [
    "CliServices",
    "CliUsageError",
    "ServiceError",
    "UsageError",
    "build_parser",
    "execute",
    "parse_args",
]
