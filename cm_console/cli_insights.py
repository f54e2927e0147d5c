"""The ``report`` and ``plan`` commands (DESIGN.md §8): dialogue-health metrics and the planner.

Kept apart from :mod:`cm_console.cli` (which dispatches here) so each module stays readable; the
same rules apply: English, no Qt, one line on stderr for errors.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, datetime
from typing import Any, TextIO

from cm_console.cli import CliServices, iso, parse_instant, parse_until, table
from cm_console.domain.calendar import zone
from cm_console.domain.metrics import WEEKDAY_NAMES, Granularity, Summary, start_of_day
from cm_console.domain.planning import Starter, StarterKind, StarterPlan
from cm_console.services.accounts import ServiceError, UsageError
from cm_console.services.insights import InsightsQuery, InsightsReport, InsightsService
from cm_console.services.planner import PlannerService

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _insights(svc: CliServices) -> InsightsService:
    if svc.insights is None:
        raise ServiceError("insights are not available in this build")
    return svc.insights


def _planner(svc: CliServices) -> PlannerService:
    if svc.planner is None:
        raise ServiceError("the planner is not available in this build")
    return svc.planner


def parse_day_or_instant(text: str, insights: InsightsService, option: str) -> datetime:
    """A date (midnight in the report's time zone) or an ISO 8601 instant (UTC without offset)."""
    text = text.strip()
    if _DATE.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{option}: not a date: {text!r}") from None
        return start_of_day(day, insights.time_zone()[1])
    try:
        return parse_instant(text)
    except argparse.ArgumentTypeError:
        raise UsageError(f"{option}: expected a date like 2026-09-01 or ISO 8601") from None


# --- report ---------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def summary_json(summary: Summary) -> dict[str, Any]:
    c = summary.counts
    return {
        "roots": c.roots,
        "team_roots": c.team_roots,
        "employee_roots": c.employee_roots,
        "answered": c.answered,
        "first_response_hours": {
            "median": _num(summary.median_hours),
            "p90": _num(summary.p90_hours),
            "team_median": _num(summary.team_median_hours),
            "team_p90": _num(summary.team_p90_hours),
        },
        "within_sla_rate": _num(summary.within_sla_rate, 4),
        "unanswered_rate": _num(c.unanswered_rate, 4),
        "dialogue_ratio": {
            "all": _num(c.dialogue_ratio, 4),
            "team": _num(c.dialogue_ratio_team, 4),
            "employees": _num(c.dialogue_ratio_employees, 4),
        },
        "replies_per_root": _num(c.replies_per_root),
        "responders_per_thread": _num(c.responders_per_thread),
        "depth": _num(c.depth),
        "loop_closure_rate": _num(c.loop_closure_rate, 4),
    }


def report_json(report: InsightsReport) -> dict[str, Any]:
    """The ``report --json`` document (a stable contract: see docs/insights.md)."""
    load = report.load
    return {
        "period": {
            "since": iso(report.since),
            "until": iso(report.until),
            "now": iso(report.now),
            "time_zone": report.time_zone,
            "granularity": report.granularity.value,
        },
        "overall": summary_json(report.overall),
        "accounts": [
            {"account": a.name, "platform": a.platform, **summary_json(a.summary)}
            for a in report.accounts
        ],
        "communities": [
            {
                "id": c.id,
                "account": c.account,
                "community": c.name,
                "broadcast_only": c.broadcast_only,
                **summary_json(c.summary),
            }
            for c in report.communities
        ],
        "series": [
            {
                "label": p.bucket.label.isoformat(),
                "start": iso(p.bucket.start),
                "end": iso(p.bucket.end),
                **summary_json(p.summary),
            }
            for p in report.series
        ],
        "heatmap": {
            "weekdays": list(WEEKDAY_NAMES),
            "counts": [list(row) for row in report.heatmap],
        },
        "responder_load": {
            "responders": load.responders,
            "replies": load.replies,
            "top_20_percent_share": _num(load.top_share, 4),
            "gini": _num(load.gini, 4),
            "team_share": _num(load.team_share, 4),
            "top": [{"name": r.name, "replies": r.replies, "team": r.is_team} for r in load.top],
        },
        "broadcast_only": [c.name for c in report.broadcast_only],
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} h"


def _dec(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def print_report(report: InsightsReport, out: TextIO) -> None:
    s = report.overall
    c = s.counts
    tz = zone(report.time_zone)
    first, last = report.since.astimezone(tz).date(), report.until.astimezone(tz).date()
    print(
        f"Dialogue health {first.isoformat()} – {last.isoformat()}"
        f" ({report.time_zone}): {c.roots} conversations started,"
        f" {c.team_roots} by the team",
        file=out,
    )
    print(file=out)
    rows = [
        [
            "First response (business hours)",
            f"median {_hours(s.median_hours)}, p90 {_hours(s.p90_hours)}",
        ],
        [
            "First response by the team",
            f"median {_hours(s.team_median_hours)}, p90 {_hours(s.team_p90_hours)}",
        ],
        ["Answered within target", _pct(s.within_sla_rate)],
        ["Unanswered rate", _pct(c.unanswered_rate)],
        [
            "Dialogue ratio",
            f"employees {_pct(c.dialogue_ratio_employees)}, team {_pct(c.dialogue_ratio_team)}",
        ],
        ["Replies per conversation", _dec(c.replies_per_root)],
        ["Distinct responders per thread", _dec(c.responders_per_thread)],
        ["Conversation depth (turns)", _dec(c.depth)],
        ["Loop closure", _pct(c.loop_closure_rate)],
    ]
    load = report.load
    gini = "–" if load.gini is None else f"{load.gini:.2f}"
    rows.append(
        [
            "Responder load",
            (
                f"{load.responders} people, {load.replies} replies; top 20 % wrote "
                f"{_pct(load.top_share)}; Gini {gini}; team {_pct(load.team_share)}"
            ),
        ]
    )
    busiest = ", ".join(f"{WEEKDAY_NAMES[d][:3]} {h:02d}:00 ({n})" for d, h, n in report.busiest)
    rows.append(["Busiest hours", busiest or "–"])
    rows.append(["Only broadcast", ", ".join(x.name for x in report.broadcast_only) or "none"])
    table(rows, ["METRIC", "VALUE"], out, flex=1)
    print(file=out)
    table(
        [
            [
                x.account,
                x.name,
                str(x.summary.counts.roots),
                _hours(x.summary.median_hours),
                _hours(x.summary.p90_hours),
                _pct(x.summary.counts.unanswered_rate),
                _pct(x.summary.counts.dialogue_ratio_employees),
                _pct(x.summary.counts.dialogue_ratio_team),
                _pct(x.summary.counts.loop_closure_rate),
            ]
            for x in report.communities
        ],
        [
            "ACCOUNT",
            "COMMUNITY",
            "ROOTS",
            "MEDIAN",
            "P90",
            "UNANSWERED",
            "DIALOGUE",
            "TEAM",
            "CLOSED",
        ],
        out,
        flex=1,
    )
    print(file=out)
    step = "WEEK" if report.granularity is Granularity.WEEK else "MONTH"
    table(
        [
            [
                p.bucket.label.isoformat(),
                str(p.summary.counts.roots),
                _hours(p.summary.median_hours),
                _hours(p.summary.p90_hours),
                _pct(p.summary.counts.unanswered_rate),
                _pct(p.summary.counts.dialogue_ratio),
            ]
            for p in report.series
        ],
        [step, "ROOTS", "MEDIAN", "P90", "UNANSWERED", "DIALOGUE"],
        out,
        flex=0,
    )


def cmd_report(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    insights = _insights(svc)
    query = InsightsQuery(
        since=parse_day_or_instant(args.since, insights, "--since") if args.since else None,
        until=parse_day_or_instant(args.until, insights, "--until") if args.until else None,
        account=args.account,
        granularity=Granularity(args.by),
    )
    report = insights.report(query)
    if args.json:
        json.dump(report_json(report), out, indent=2, ensure_ascii=False)
        print(file=out)
    else:
        print_report(report, out)
    return 0


# --- plan -----------------------------------------------------------------------------------


def starter_json(starter: Starter) -> dict[str, Any]:
    outcome = starter.outcome
    return {
        "id": starter.id,
        "op_id": starter.op_id,
        "account": starter.account,
        "community": starter.container,
        "kind": starter.kind.value,
        "title": starter.title,
        "text": starter.text,
        "poll_options": list(starter.poll_options),
        "scheduled_at": iso(starter.scheduled_at),
        "status": starter.status.value,
        "sent_at": iso(starter.sent_at),
        "error": starter.error,
        "on_duty": [m.name for m in starter.on_duty],
        "saved_reply_ids": list(starter.saved_reply_ids),
        "notes": starter.notes,
        "thread": None
        if outcome is None
        else {
            "id": outcome.thread_id,
            "key": outcome.thread_key,
            "url": outcome.url,
            "replies": outcome.replies,
            "responders": outcome.responders,
            "first_reply_at": iso(outcome.first_reply_at),
            "first_reply_hours": _num(outcome.first_reply_hours),
        },
    }


def _plan_add(
    args: argparse.Namespace, planner: PlannerService, svc: CliServices, out: TextIO
) -> int:
    account = svc.accounts.get(args.account)
    community = planner.find_community(account.id, args.community)
    now = svc.clock()
    if args.at.strip().lower() == "suggested":
        suggestion = planner.suggest(account.id, community.id)
        if suggestion.at is None:
            raise UsageError("no activity to suggest a time from; give --at a time")
        when = suggestion.at
    else:
        when = parse_until(args.at, now)
    replies = {r.name.casefold(): r for r in planner.saved_replies()}
    saved = []
    for name in args.saved_reply:
        found = replies.get(name.casefold())
        if found is None:
            raise UsageError(f"no saved reply named {name!r}")
        saved.append(found.id)
    options = tuple(args.poll_option)
    starter = planner.schedule(
        StarterPlan(
            account_id=account.id,
            container_id=community.id,
            kind=StarterKind.POLL if options else StarterKind.POST,
            title=args.title,
            text=args.text,
            scheduled_at=when,
            poll_options=options,
            on_duty=tuple(planner.find_on_duty(account.id, n) for n in args.duty),
            saved_reply_ids=tuple(saved),
            notes=args.notes,
        )
    )
    print(
        f"starter {starter.id} scheduled for {iso(starter.scheduled_at)} in {community.name}; "
        "the first sync after that time sends it",
        file=out,
    )
    return 0


def cmd_plan(args: argparse.Namespace, svc: CliServices, out: TextIO) -> int:
    planner = _planner(svc)
    if args.action == "add":
        return _plan_add(args, planner, svc, out)
    if args.action == "cancel":
        starter = planner.cancel(args.id)
        print(f"starter {starter.id} cancelled", file=out)
        return 0
    if args.action == "suggest":
        account = svc.accounts.get(args.account)
        community = planner.find_community(account.id, args.community) if args.community else None
        suggestion = planner.suggest(account.id, community.id if community else None)
        if suggestion.at is None:
            print("no activity in the last weeks to suggest a time from", file=out)
            return 0
        local = suggestion.at.astimezone(suggestion.time_zone)
        print(
            f"suggested: {iso(suggestion.at)} ({local.strftime('%a %d %b %H:%M')} local)", file=out
        )
        for d, h, n in suggestion.busiest:
            print(f"  {WEEKDAY_NAMES[d]} {h:02d}:00  {n} posts", file=out)
        if not suggestion.community_only and community is not None:
            print("  (too little activity in the community: based on the whole account)", file=out)
        return 0
    starters = planner.starters(account=args.account)
    if args.json:
        json.dump([starter_json(s) for s in starters], out, indent=2, ensure_ascii=False)
        print(file=out)
        return 0
    rows = []
    for s in starters:
        o = s.outcome
        rows.append(
            [
                str(s.id),
                iso(s.scheduled_at) or "",
                s.status.value,
                f"{s.account}/{s.container}",
                s.kind.value,
                s.title or s.text,
                "" if o is None else str(o.replies),
                "" if o is None else str(o.responders),
                "" if o is None else _hours(o.first_reply_hours),
                "" if o is None else o.thread_key,
            ]
        )
    table(
        rows,
        ["ID", "WHEN", "STATUS", "WHERE", "KIND", "TITLE", "REPLIES", "PEOPLE", "FIRST", "THREAD"],
        out,
        flex=5,
    )
    return 0
