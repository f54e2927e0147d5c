"""The demo workspace: one simulated intranet account, synced, with a little triage history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cm_console.domain.model import Account
from cm_console.domain.views import QueueQuery, View
from cm_console.services.accounts import AccountService
from cm_console.services.sync import SyncReport, SyncService
from cm_console.services.triage import TriageService
from cm_console.store import Store

DEMO_ACCOUNT = "demo"
DEMO_USER = "Anouk de Vries"
"""The demo workspace's console user: the community manager whose account the demo shows."""
DEMO_OPTIONS = {"team": "anouk,jeroen", "timezone": "Europe/Amsterdam"}

SAVED_REPLIES = (
    (
        "Bedankt, we zoeken het uit",
        "nl",
        (
            "Hoi {author|daar}, dank je voor je vraag in {community}! Ik zoek uit wie je hiermee "
            "verder kan helpen en kom erop terug."
        ),
    ),
    (
        "Thanks, looking into it",
        "en",
        (
            "Hi {author|there}, thanks for asking in {community}! I'm finding the right colleague "
            "for this and will get back to you."
        ),
    ),
    (
        "Opgelost?",
        "nl",
        (
            "Hoi {author|daar}, is je vraag inmiddels opgelost? Laat het even weten, dan sluiten "
            "we het onderwerp af."
        ),
    ),
    (
        "Solved?",
        "en",
        "Hi {author|there}, did this get solved? Let us know so we can close the topic.",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    account: Account
    sync: SyncReport


class DemoService:
    """Creates the demo workspace on an empty database."""

    def __init__(
        self,
        store: Store,
        accounts: AccountService,
        sync: SyncService,
        triage: TriageService,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._accounts = accounts
        self._sync = sync
        self._triage = triage
        self._clock = clock

    def create(self) -> DemoResult:
        """Add the demo account, anchor its world at now, sync it, and set some triage state."""
        account = self._accounts.add(
            platform="demo",
            name=DEMO_ACCOUNT,
            options=DEMO_OPTIONS,
            test_connection=True,
        )
        report = self._sync.sync(DEMO_ACCOUNT)
        self._store.saved_replies.replace(SAVED_REPLIES)
        self._store.settings.set_many({"console_user": self._triage.user.name})
        self._seed_triage()
        return DemoResult(account, report)

    def _seed_triage(self) -> None:
        """A little history, so every view in the sidebar has something to show."""
        queue = self._triage.queue(QueueQuery(view=View.QUEUE))
        if len(queue) < 8:
            return
        now = self._clock()
        self._triage.assign([queue[1].id, queue[4].id], self._triage.user.name)
        self._triage.tag([queue[0].id, queue[3].id], "follow-up")
        self._triage.flag([queue[5].id], "Toon aan HR: vraag over cao-regeling")
        self._triage.snooze([queue[-1].id], until=now + timedelta(days=1))
        answered = self._triage.queue(QueueQuery(view=View.ALL), limit=40)
        done = [i.id for i in answered if i.state.value == "answered"][:3]
        if done:
            self._triage.done(done)
