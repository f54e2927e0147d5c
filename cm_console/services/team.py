"""Team mode: several community managers on one shared (PostgreSQL) database.

What a console does for the team: claim a thread while its user replies (a lease, renewed while
they work, so colleagues see "Anouk is replying"), say which consoles are open, pass colleagues'
changes on as change sets, send each member's replies under their own platform identity where
they set one up, keep drafts on this machine while the database is out of reach, and read the
audit log. On an embedded SQLite database (one machine) the same calls work, with one console.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote, urlsplit

from cm_console.connectors.base import (
    AccountConfig,
    Connector,
    Outgoing,
    SendResult,
    ThreadRef,
)
from cm_console.credentials import CredentialError, Credentials
from cm_console.domain.model import (
    Account,
    FullThread,
    LocalUser,
    Page,
    RemoteContainer,
    RemotePerson,
    Secret,
)
from cm_console.services.accounts import ConnectorFactory, ServiceError, UsageError
from cm_console.services.triage import ChangeSet
from cm_console.store import Database, Store, StoreError, Unreachable
from cm_console.store.team import ClaimInfo, Identity, Lease, MemberOutbox, Presence
from cm_console.store.team_audit import AuditEntry, AuditQuery
from cm_console.store.team_changes import ChangeListener, Changes
from cm_console.store.team_drafts import LocalDrafts

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

CLAIM_TTL = timedelta(minutes=2)
"""A reply claim lives this long unless renewed (a console that dies frees its threads soon)."""
RENEW_EVERY = timedelta(seconds=40)
"""How often an open console renews its claims (well inside the lease)."""
HEARTBEAT_EVERY = timedelta(seconds=20)
ONLINE_WITHIN = timedelta(seconds=75)
"""A console not heard from for this long no longer counts as online."""
FORGET_AFTER = timedelta(minutes=30)


def console_id(user: str) -> str:
    """This console instance: host, process and a nonce (as the outbox's claim holder)."""
    nonce = uuid.uuid4().hex[:8]
    host = socket.gethostname()[:60]
    return f"{host}:{os.getpid()}:{nonce}:{user[:20]}"


def identity_key(account: str, user: str) -> str:
    """The keyring entry of a member's own secret for an account (account names have no /)."""
    return f"{account}/{user}"


class TeamService:
    """What one console does for and with its colleagues on a shared database."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        user: LocalUser,
        *,
        credentials: Credentials | None = None,
        factory: ConnectorFactory | None = None,
        local_drafts: LocalDrafts | None = None,
        holder: str | None = None,
        choice: DatabaseChoice | None = None,
    ) -> None:
        self._store = store
        self.choice = choice
        self._clock = clock
        self.user = user
        self._credentials = credentials
        self._factory = factory
        self.local_drafts = local_drafts
        self.holder = holder or console_id(user.name)
        self.host = socket.gethostname()
        self._leases: dict[int, Lease] = {}
        self._lock = threading.Lock()

    @property
    def shared(self) -> bool:
        """Whether the database is shared (PostgreSQL): team mode."""
        return not self._store.db.is_sqlite

    @property
    def database_label(self) -> str:
        return self._store.db.display_url

    # --- claims --------------------------------------------------------------------------------

    def start_reply(self, thread_id: int) -> ClaimInfo | None:
        """Claim the thread for this console's user, who starts replying.

        Returns None when the claim is ours (new or renewed), or the colleague's live claim.
        """
        got = self._store.claims.claim(
            thread_id, holder=self.holder, user_id=self.user.id, ttl=CLAIM_TTL
        )
        if isinstance(got, ClaimInfo):
            return got
        with self._lock:
            self._leases[thread_id] = got
        return None

    def stop_reply(self, thread_id: int) -> None:
        """Give the thread back (the reply was queued, or the user moved on)."""
        with self._lock:
            self._leases.pop(thread_id, None)
        self._store.claims.release_thread(thread_id, self.holder)

    def keep_alive(self) -> list[int]:
        """Renew this console's claims; returns the threads whose claim was lost meanwhile."""
        with self._lock:
            leases = list(self._leases.values())
        lost = []
        for lease in leases:
            renewed = self._store.claims.renew(lease, CLAIM_TTL)
            with self._lock:
                if renewed is None:
                    if self._leases.get(lease.thread_id) == lease:
                        del self._leases[lease.thread_id]
                        lost.append(lease.thread_id)
                elif lease.thread_id in self._leases:
                    self._leases[lease.thread_id] = renewed
        return lost

    def holding(self) -> list[int]:
        """The threads this console holds claims on."""
        with self._lock:
            return sorted(self._leases)

    def take_next(self, among: Sequence[int]) -> int | None:
        """Claim the first of ``among`` nobody holds (queue order), for "take the next one"."""
        lease = self._store.claims.claim_next(
            among, holder=self.holder, user_id=self.user.id, ttl=CLAIM_TTL
        )
        if lease is None:
            return None
        with self._lock:
            self._leases[lease.thread_id] = lease
        return lease.thread_id

    def replying(self, thread_ids: Sequence[int] | None = None) -> dict[int, ClaimInfo]:
        """Colleagues' live claims (not this console's), by thread."""
        live = self._store.claims.live(thread_ids)
        return {tid: info for tid, info in live.items() if info.holder != self.holder}

    def claimed_by_other(self, thread_id: int) -> ClaimInfo | None:
        return self.replying([thread_id]).get(thread_id)

    # --- presence ------------------------------------------------------------------------------

    def beat(self, thread_id: int | None = None) -> None:
        """Heartbeat: this console is open (showing ``thread_id``)."""
        self._store.presence.beat(
            self.holder,
            user_id=self.user.id,
            host=self.host,
            thread_id=thread_id,
            forget_after=FORGET_AFTER,
        )

    def online(self) -> list[Presence]:
        """Consoles open on the database (this one included)."""
        return self._store.presence.online(ONLINE_WITHIN)

    def leave(self) -> None:
        """The console closes: release its claims and its presence."""
        with self._lock:
            self._leases.clear()
        self._store.claims.release_all(self.holder)
        self._store.presence.leave(self.holder)

    # --- live updates --------------------------------------------------------------------------

    def listener(
        self, on_changes: Callable[[ChangeSet], None], on_state: Callable[[bool, str], None]
    ) -> ChangeListener | None:
        """A listener for colleagues' changes (PostgreSQL), not started; None on SQLite."""
        if not self.shared:
            return None

        def deliver(changes: Changes) -> None:
            on_changes(changeset(changes))

        return ChangeListener(self._store.db, deliver, on_state)

    def ping(self) -> None:
        """Raise :class:`~cm_console.store.Unreachable` when the database cannot be reached."""
        self._store.claims.now()

    # --- drafts while offline ------------------------------------------------------------------

    def flush_drafts(self) -> int:
        """Hand drafts kept on this machine to the shared database (after a reconnect)."""
        if self.local_drafts is None:
            return 0
        moved = 0
        for draft in self.local_drafts.pending(self.user.id):
            self._store.triage.save_draft(
                draft.thread_id, draft.user_id, draft.text, draft.base_reply_count, self._clock()
            )
            if self.local_drafts.settled(draft):
                moved += 1
        return moved

    # --- identities ----------------------------------------------------------------------------

    def identities(self) -> list[tuple[Account, Identity]]:
        """This user's identities, with their accounts."""
        accounts = {a.id: a for a in self._store.accounts.all()}
        return [
            (accounts[i.account_id], i)
            for i in self._store.identities.all(self.user.id)
            if i.account_id in accounts
        ]

    def set_identity(
        self,
        account_name: str,
        *,
        person: str,
        username: str | None = None,
        secret: Secret | None = None,
    ) -> Identity:
        """Link this user to their own person on an account; with ``secret``, they send as it.

        The secret goes to this user's keyring (never the database); colleagues' consoles then
        leave this user's replies on that account to this user's console.
        """
        account = self._account(account_name)
        if secret is not None:
            if self._credentials is None:
                raise ServiceError("no keyring available to keep the secret")
            try:
                self._credentials.store(identity_key(account.name, self.user.name), secret)
            except CredentialError as exc:
                raise ServiceError(str(exc)) from None
        self._store.identities.set(
            user_id=self.user.id,
            account_id=account.id,
            person_remote_id=person,
            username=username,
            own_credentials=secret is not None,
            now=self._clock(),
        )
        return next(i for a, i in self.identities() if a.id == account.id)

    def remove_identity(self, account_name: str) -> bool:
        account = self._account(account_name)
        if self._credentials is not None:
            try:
                self._credentials.delete(identity_key(account.name, self.user.name))
            except CredentialError as exc:
                log.warning("could not forget the secret: %s", exc)
        return self._store.identities.remove(
            user_id=self.user.id, account_id=account.id, now=self._clock()
        )

    def _account(self, name: str) -> Account:
        account = self._store.accounts.get(name)
        if account is None:
            raise UsageError(f"no account named {name!r}")
        return account

    def route(self, account: Account, shared: Connector) -> Connector:
        """The connector the outbox sends through for ``account`` from this console.

        When this user has their own credentials for the account, their operations go out as
        them; everyone else's (and every read) through the account's shared credentials. Either
        way the audit log records under which identity each operation went out.
        """
        outbox = self._store.outbox
        if not isinstance(outbox, MemberOutbox):
            return shared
        own = self._own_connector(account)
        owner = outbox.created_by
        return IdentityRouter(
            shared,
            own,
            lambda op_id: own is not None and owner(op_id) == self.user.id,
            self._record,
        )

    def _own_connector(self, account: Account) -> Connector | None:
        if self._factory is None or self._credentials is None:
            return None
        mine = next(
            (i for i in self._store.identities.all(self.user.id) if i.account_id == account.id),
            None,
        )
        if mine is None or not mine.own_credentials:
            return None
        key = identity_key(account.name, self.user.name)
        try:
            secret = self._credentials.load(key)
        except CredentialError as exc:
            raise ServiceError(f"{account.name}: {exc}") from None
        if secret is None:
            raise ServiceError(
                f"{account.name}: your own secret is not in this machine's keyring; "
                f"set it again with 'cm-console team identity {account.name} …'"
            )
        cls = self._factory.connector_class(account.platform)
        credentials = self._credentials
        return self._factory.instantiate(
            cls,
            AccountConfig(
                name=account.name,
                url=account.url,
                username=mine.username or account.username,
                options={k: str(v) for k, v in account.options.items()},
                own_remote_id=mine.person_remote_id,
            ),
            secret,
            lambda new: credentials.store(key, new),
        )

    def _record(self, op_id: str, identity: str) -> None:
        outbox = self._store.outbox
        if isinstance(outbox, MemberOutbox):
            outbox.record_identity(op_id, identity=identity, console=self.holder, now=self._clock())

    # --- the database --------------------------------------------------------------------------

    def configured_url(self) -> str | None:
        """The team database chosen for this profile (from the next start)."""
        return self.choice.url() if self.choice is not None else None

    def choose_database(self, url: str | None, password: Secret | None = None) -> str | None:
        """Check that ``url`` works (with ``password``), then use it from the next start.

        Returns the schema revision found there; None when going back to the embedded
        database. Raises :class:`ServiceError` when the server refuses or cannot be reached.
        """
        if self.choice is None:
            raise ServiceError("this console cannot change its database")
        if url is None:
            self.choice.choose(None)
            return None
        url = check_team_url(url)
        revision = check_database(url, password.reveal() if password else self.choice.password(url))
        if password is not None:
            self.choice.store_password(url, password)
        self.choice.choose(url)
        return revision

    # --- the audit log -------------------------------------------------------------------------

    def audit(self, query: AuditQuery) -> list[AuditEntry]:
        return self._store.audit_log.entries(query)

    def audit_actions(self) -> list[str]:
        return self._store.audit_log.actions()

    def users(self) -> list[LocalUser]:
        return self._store.users.all()


class IdentityRouter(Connector):
    """Sends a member's own operations with their connector; everything else with the shared one.

    Reads (fetching, read-back of others' operations) always use the shared connector.
    """

    def __init__(
        self,
        shared: Connector,
        own: Connector | None,
        is_mine: Callable[[str], bool],
        record: Callable[[str, str], None],
    ) -> None:
        super().__init__(shared.account, shared.context)
        self.info = shared.info  # type: ignore[misc]
        self._shared = shared
        self._own = own
        self._is_mine = is_mine
        self._record = record

    @property
    def idempotent_writes(self) -> bool:
        return bool(getattr(self._shared, "idempotent_writes", False))

    def _for(self, op: Outgoing) -> tuple[Connector, str]:
        if self._own is not None and self._is_mine(op.op_id):
            return self._own, f"own:{self._own.account.own_remote_id or ''}"
        return self._shared, "shared"

    def send(self, op: Outgoing) -> SendResult:
        connector, identity = self._for(op)
        result = connector.send(op)
        try:
            self._record(op.op_id, identity)
        except StoreError:
            log.warning("could not record the identity of %s", op.op_id, exc_info=True)
        return result

    def find_sent(self, op: Outgoing) -> SendResult | None:
        connector, _identity = self._for(op)
        return connector.find_sent(op)

    def whoami(self) -> RemotePerson:
        return self._shared.whoami()

    def list_people(self) -> Iterator[RemotePerson]:
        return self._shared.list_people()

    def list_containers(self) -> list[RemoteContainer]:
        return self._shared.list_containers()

    def fetch(self, cursors: Mapping[str, Any]) -> Iterator[Page]:
        return self._shared.fetch(cursors)

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        return self._shared.fetch_thread(thread)

    def mention_syntax(self, person: RemotePerson) -> str:
        return self._shared.mention_syntax(person)

    def close(self) -> None:
        """Close the member's connector (the shared one belongs to whoever made it)."""
        if self._own is not None:
            self._own.close()


# --- choosing the shared database -------------------------------------------------------------

DATABASE_SERVICE = "cm-console database"
"""The keyring service under which database passwords are kept (one entry per role and server)."""


def database_key(url: str) -> str | None:
    """The keyring entry for a PostgreSQL URL's password: ``role@host:port/database``.

    None for URLs that take no password (SQLite).
    """
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgresql"):
        return None
    host = parts.hostname or "localhost"
    port = parts.port or 5432
    return f"{unquote(parts.username or '')}@{host}:{port}{parts.path or '/'}"


def check_team_url(url: str) -> str:
    """A team database URL as a person typed it: PostgreSQL, and no password in it."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgresql+psycopg"):
        raise UsageError("a team database is a PostgreSQL URL: postgresql+psycopg://ROLE@HOST/DB")
    if parts.password:
        raise UsageError(
            "leave the password out of the URL: 'cm-console db login' keeps it in the keyring"
        )
    if not parts.hostname or not parts.username or len(parts.path) < 2:
        raise UsageError(
            "the URL needs a role, a host and a database: postgresql+psycopg://ROLE@HOST/DB"
        )
    if parts.scheme == "postgresql":
        url = "postgresql+psycopg" + url[len("postgresql") :]
    return url


def check_database(url: str, password: str | None) -> str:
    """Connect to ``url`` and return its schema revision ("none" for an empty database)."""
    db = Database(url, password=password)
    try:
        return db.current_revision() or "none"
    except StoreError as exc:
        raise ServiceError(str(exc)) from None
    finally:
        db.dispose()


class DatabaseChoice:
    """The team database this profile uses (set in the window; ``--db`` and CM_CONSOLE_DB win).

    A one-line file in the profile holding the URL, which never contains the password; the
    password is in the keyring (:func:`database_key`).
    """

    def __init__(self, path: Path, credentials: Credentials | None = None) -> None:
        self._path = path
        self._keyring = credentials or Credentials(service=DATABASE_SERVICE)

    def url(self) -> str | None:
        try:
            text = self._path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text or None

    def choose(self, url: str | None) -> None:
        """Use ``url`` from the next start; None goes back to the embedded database."""
        if url is None:
            self._path.unlink(missing_ok=True)
            return
        checked = check_team_url(url)
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(checked + "\n", encoding="utf-8")

    def password(self, url: str) -> str | None:
        """The password for ``url`` from the keyring (None: none stored, or no keyring)."""
        key = database_key(url)
        if key is None or urlsplit(url).password:
            return None
        try:
            secret = self._keyring.load(key)
        except CredentialError as exc:
            log.warning("no database password from the keyring: %s", exc)
            return None
        return None if secret is None else secret.reveal()

    def store_password(self, url: str, password: Secret) -> None:
        key = database_key(url)
        if key is None:
            raise UsageError("only a PostgreSQL database takes a password")
        try:
            self._keyring.store(key, password)
        except CredentialError as exc:
            raise ServiceError(str(exc)) from None

    def forget_password(self, url: str) -> None:
        key = database_key(url)
        if key is not None:
            try:
                self._keyring.delete(key)
            except CredentialError as exc:
                raise ServiceError(str(exc)) from None


# --- changes from colleagues ------------------------------------------------------------------


def changeset(changes: Changes) -> ChangeSet:
    """What colleagues changed, as the change set the window refreshes from."""
    if changes.everything:
        return ChangeSet(
            changes.thread_ids, queue=True, outbox=True, tags=True, accounts=True, presence=True
        )
    tables = changes.tables
    return ChangeSet(
        changes.thread_ids,
        queue=bool(tables & {"triage", "threads", "thread_tags", "prompts"}),
        outbox="outbox" in tables,
        tags="thread_tags" in tables,
        accounts=bool(tables & {"accounts", "containers"}),
        presence=bool(tables & {"claims", "presence"}),
    )


# --- audit export -----------------------------------------------------------------------------

AUDIT_FIELDS = ("at", "user", "action", "account", "thread_id", "thread", "title", "detail")


def audit_row(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry as plain values (JSON and CSV); times in ISO 8601 UTC with ``Z``."""
    return {
        "at": entry.at.isoformat().replace("+00:00", "Z"),
        "user": entry.user,
        "action": entry.action,
        "account": entry.account,
        "thread_id": entry.thread_id,
        "thread": entry.thread_key,
        "title": entry.thread_title,
        "detail": entry.detail,
    }


def write_audit_json(entries: Sequence[AuditEntry], out: TextIO) -> None:
    json.dump([audit_row(e) for e in entries], out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")


def write_audit_csv(entries: Sequence[AuditEntry], out: TextIO) -> None:
    """CSV with a header row; cells a spreadsheet would run as a formula are quoted as text."""
    writer = csv.writer(out)
    writer.writerow(AUDIT_FIELDS)
    for entry in entries:
        row = audit_row(entry)
        row["detail"] = json.dumps(row["detail"], ensure_ascii=False, sort_keys=True, default=str)
        writer.writerow([_cell(row[f]) for f in AUDIT_FIELDS])


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


__all__ = [
    "CLAIM_TTL",
    "HEARTBEAT_EVERY",
    "RENEW_EVERY",
    "AuditEntry",
    "AuditQuery",
    "ClaimInfo",
    "DatabaseChoice",
    "IdentityRouter",
    "Presence",
    "TeamService",
    "Unreachable",
    "audit_row",
    "changeset",
    "write_audit_csv",
    "write_audit_json",
]
