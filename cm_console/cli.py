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

from cm_console import __version__
from cm_console.connectors.base import LoginMethod
from cm_console.domain import experts
from cm_console.domain.model import Secret, utc
from cm_console.domain.outbox import Operation
from cm_console.domain.priority import Reason, ReasonCode
from cm_console.domain.views import QueueItem, QueueQuery, View
from cm_console.services.accounts import AccountService, ServiceError, UsageError
from cm_console.services.demo import DemoService
from cm_console.services.outbox import OutboxService
from cm_console.services.prompting import ExpertSuggestion, Ladder, PromptingService
from cm_console.services.sync import SyncReport, SyncService
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

    flag = sub.add_parser("flag", help="flag a thread for review")
    flag.add_argument("thread")
    flag.add_argument("--note")

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

    db = sub.add_parser("db", help="database maintenance")
    dbs = db.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    dbs.add_parser("upgrade", help="migrate the database to this version's schema")
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


def _secret(args: argparse.Namespace, needed: bool, stdin: TextIO) -> Secret | None:
    if not needed:
        return None
    if args.token_env:
        value = os.environ.get(args.token_env)
        if not value:
            raise UsageError(f"--token-env {args.token_env}: the variable is empty or not set")
        return Secret(value)
    if stdin.isatty():
        value = getpass.getpass("Secret (token, key or password): ")
    else:
        value = stdin.readline().rstrip("\r\n")
    if not value:
        raise UsageError("no secret given (use --token-env VAR or type it at the prompt)")
    return Secret(value)


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
        svc.triage.flag([args.thread], args.note)
        print("flagged", file=out)
        return 0
    if command == "outbox":
        return cmd_outbox(args, svc, out)
    if command == "prompt":
        return cmd_prompt(args, svc, out)
    if command == "db":
        print(svc.upgrade_database(), file=out)
        return 0
    raise CliUsageError(f"unknown command {command!r}")


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
