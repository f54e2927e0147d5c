"""Planning use cases: conversation starters with a response plan, sent through the outbox.

A starter is a post or a poll for one community at a time, with who is on duty to answer and
the saved replies they prepared. Scheduling queues an ``OpKind.POST`` operation that waits until
the scheduled time, so the next drain after it — in the window or ``cm-console sync`` — sends it
exactly once. Once sent, the starter is measured by its thread: replies, distinct responders and
time to the first reply (DESIGN.md §6; user expectations §4 item 15).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from cm_console.connectors.base import Capability, Connector
from cm_console.domain.metrics import Heatmap, busiest_slots, suggest_time
from cm_console.domain.model import Account, Container, LocalUser, utc
from cm_console.domain.outbox import CANCELLABLE
from cm_console.domain.planning import (
    DutyMember,
    PlanProblem,
    Starter,
    StarterKind,
    StarterPlan,
    StarterStatus,
    check_plan,
)
from cm_console.domain.views import SavedReply
from cm_console.services.accounts import ConnectorFactory, ServiceError, UsageError
from cm_console.services.insights import InsightsService
from cm_console.store import Store
from cm_console.store.planner import payload_of

SUGGESTION_WEEKS = 8
MIN_SUGGESTION_POSTS = 20
"""Below this many posts in the community, the suggestion uses the whole account's activity."""

_PROBLEM_TEXT = {
    PlanProblem.EMPTY_TEXT: "the text is empty",
    PlanProblem.TITLE_TOO_LONG: "the title is too long",
    PlanProblem.TOO_FEW_OPTIONS: "a poll needs at least two options",
    PlanProblem.TOO_MANY_OPTIONS: "a poll can have at most ten options",
    PlanProblem.DUPLICATE_OPTIONS: "two poll options are the same",
}


class PlanInvalid(UsageError):
    """The plan cannot be scheduled; ``problems`` says why (the window words them itself)."""

    def __init__(self, problems: Sequence[PlanProblem]) -> None:
        super().__init__("; ".join(_PROBLEM_TEXT[p] for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class PlanTarget:
    """An account the planner can post in, with its communities and what its platform offers.

    Attributes:
        native_polls: the platform has polls of its own; otherwise polls are numbered options
            people vote on with reactions.
    """

    account: Account
    platform_name: str
    containers: tuple[Container, ...]
    native_polls: bool


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A suggested time from the activity heatmap.

    Attributes:
        at: the next start of the busiest hour (None without history).
        busiest: the busiest (weekday, hour, posts) in ``time_zone``.
        community_only: False when the community had too little activity and the whole account's
            activity was used instead.
    """

    at: datetime | None
    busiest: tuple[tuple[int, int, int], ...]
    heatmap: Heatmap
    time_zone: tzinfo
    community_only: bool


class PlannerService:
    """The communication team's calendar of conversation starters."""

    def __init__(
        self,
        store: Store,
        factory: ConnectorFactory,
        insights: InsightsService,
        clock: Callable[[], datetime],
        user: LocalUser,
    ) -> None:
        self._store = store
        self._factory = factory
        self._insights = insights
        self._clock = clock
        self.user = user

    # --- what can be planned -------------------------------------------------------------------

    def _connector_class(self, account: Account) -> type[Connector] | None:
        try:
            cls = self._factory.connector_class(account.platform)
        except UsageError:
            return None  # a third-party connector that is no longer installed
        return cls if cls.info.supports(Capability.NEW_THREAD) else None

    def targets(self) -> list[PlanTarget]:
        """Accounts whose platform lets the console start threads, with their communities."""
        out = []
        for account in self._store.accounts.all():
            cls = self._connector_class(account)
            if cls is None:
                continue
            out.append(
                PlanTarget(
                    account=account,
                    platform_name=cls.info.display_name,
                    containers=tuple(self._store.accounts.containers(account.id)),
                    native_polls=cls.info.supports(Capability.POLLS),
                )
            )
        return out

    def people_on_duty(self, account_id: int) -> list[DutyMember]:
        """Who can be on duty: console users first, then the account's colleagues."""
        users = [DutyMember(u.name, user_id=u.id) for u in self._store.users.all()]
        colleagues = [
            DutyMember(p.display_name or p.handle, person_id=p.id)
            for p in self._store.accounts.people(account_id)
            if not p.is_bot
        ]
        return users + colleagues

    def find_on_duty(self, account_id: int, name: str) -> DutyMember:
        """A console user by name, or a colleague by handle, remote id or display name."""
        user = self._store.users.get(name)
        if user is not None:
            return DutyMember(user.name, user_id=user.id)
        person = self._store.accounts.find_person(account_id, name)
        if person is None or person.is_bot:
            raise UsageError(f"nobody called {name!r} (a console user or a colleague's handle)")
        return DutyMember(person.display_name or person.handle, person_id=person.id)

    def find_community(self, account_id: int, name: str) -> Container:
        """A community of the account by name or remote id (case-insensitive)."""
        containers = self._store.accounts.containers(account_id)
        for attribute in ("remote_id", "name"):
            for container in containers:
                if str(getattr(container, attribute)).casefold() == name.casefold():
                    return container
        raise UsageError(f"no community {name!r} in this account")

    def saved_replies(self) -> list[SavedReply]:
        return self._store.saved_replies.all()

    def preview(self, account_id: int, kind: StarterKind, text: str, options: Sequence[str]) -> str:
        """The body as the platform will receive it (a poll in its native form or fallback)."""
        account = self._account(account_id)
        cls = self._connector_class(account)
        if kind is StarterKind.POLL and cls is not None:
            return cls.format_poll(text, [o for o in options if o.strip()])
        return text

    # --- scheduling ----------------------------------------------------------------------------

    def _account(self, account_id: int) -> Account:
        account = self._store.accounts.by_id(account_id)
        if account is None:
            raise ServiceError(f"no account with id {account_id}")
        return account

    def _checked(self, plan: StarterPlan) -> dict[str, object]:
        problems = check_plan(plan)
        if problems:
            raise PlanInvalid(problems)
        account = self._account(plan.account_id)
        if self._connector_class(account) is None:
            raise UsageError(f"{account.name}: this platform cannot start conversations")
        found = self._store.planner.container_remote_id(plan.container_id)
        if found is None or found[0] != plan.account_id:
            raise UsageError(f"{account.name} has no community with id {plan.container_id}")
        return payload_of(plan, found[1])

    def _resolved(self, plan: StarterPlan) -> StarterPlan:
        """The plan in UTC, with names typed for the duty matched to users or colleagues where
        possible (someone who is on neither stays a name)."""
        duty = []
        for member in plan.on_duty:
            if member.user_id is None and member.person_id is None:
                with contextlib.suppress(UsageError):  # not found: someone off the platform
                    member = self.find_on_duty(plan.account_id, member.name)
            duty.append(member)
        return dataclasses.replace(plan, scheduled_at=utc(plan.scheduled_at), on_duty=tuple(duty))

    def schedule(self, plan: StarterPlan) -> Starter:
        """Plan a starter; its post waits in the outbox until ``plan.scheduled_at``."""
        payload = self._checked(plan)
        plan = self._resolved(plan)
        return self._store.planner.schedule(plan, payload, self._clock(), self.user.id)

    def update(self, starter_id: int, plan: StarterPlan) -> Starter:
        """Change a starter that is still scheduled (text, time, community or response plan)."""
        payload = self._checked(plan)
        plan = self._resolved(plan)
        updated = self._store.planner.update(starter_id, plan, payload, self._clock())
        if updated is None:
            raise ServiceError(f"starter {starter_id} was already sent or cancelled")
        return updated

    def cancel(self, starter_id: int) -> Starter:
        """Cancel a starter that has not been sent (its operation is discarded)."""
        starter = self.get(starter_id)
        op = self._store.outbox.get(starter.op_id)
        if op is None or op.state not in CANCELLABLE:
            raise ServiceError(
                f"starter {starter_id} is {starter.status.value}; it cannot be cancelled"
            )
        if not self._store.outbox.discard(starter.op_id, self._clock(), self.user.id):
            raise ServiceError(f"starter {starter_id} changed meanwhile; look again")
        return self.get(starter_id)

    # --- reading -------------------------------------------------------------------------------

    def get(self, starter_id: int) -> Starter:
        starter = self._store.planner.get(starter_id)
        if starter is None:
            raise ServiceError(f"no starter {starter_id} (use an id from 'plan list')")
        return self._measured([starter])[0]

    def starters(
        self,
        since: datetime | None = None,
        until: datetime | None = None,
        account: str | None = None,
    ) -> list[Starter]:
        """Starters scheduled in the period, earliest first, sent ones with their outcome."""
        account_id = None
        if account is not None:
            found = self._store.accounts.get(account)
            if found is None:
                raise ServiceError(f"no account named {account!r}")
            account_id = found.id
        return self._measured(
            self._store.planner.list(since=since, until=until, account_id=account_id)
        )

    def _measured(self, starters: list[Starter]) -> list[Starter]:
        """Add the business hours to the first reply, in each community's calendar."""
        sent = [s for s in starters if s.outcome is not None and s.outcome.first_reply_at]
        if not sent:
            return starters
        calendars = self._store.metrics.calendars(sorted({s.account_id for s in sent}))
        out = []
        for starter in starters:
            outcome = starter.outcome
            calendar = calendars.get(starter.container_id)
            if outcome is not None and outcome.first_reply_at and calendar is not None:
                start = outcome.started_at or starter.sent_at or starter.scheduled_at
                hours = calendar.hours.elapsed(start, outcome.first_reply_at) / timedelta(hours=1)
                outcome = dataclasses.replace(outcome, first_reply_hours=hours)
                starter = dataclasses.replace(starter, outcome=outcome)
            out.append(starter)
        return out

    def suggest(self, account_id: int, container_id: int | None) -> Suggestion:
        """When to post in a community: the next busiest hour of its recent activity."""
        account = self._account(account_id)
        grid, tz = self._insights.heatmap(account.name, container_id, SUGGESTION_WEEKS)
        community_only = container_id is not None
        if sum(map(sum, grid)) < MIN_SUGGESTION_POSTS and container_id is not None:
            grid, tz = self._insights.heatmap(account.name, None, SUGGESTION_WEEKS)
            community_only = False
        return Suggestion(
            at=suggest_time(grid, self._clock(), tz),
            busiest=tuple(busiest_slots(grid, 3)),
            heatmap=grid,
            time_zone=tz,
            community_only=community_only,
        )

    def counts(self) -> dict[StarterStatus, int]:
        """Starters per status (for the planner's header)."""
        out: dict[StarterStatus, int] = {}
        for starter in self._store.planner.list():
            out[starter.status] = out.get(starter.status, 0) + 1
        return out
