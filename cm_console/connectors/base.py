"""The connector contract (DESIGN.md §3): Qt-free, synchronous, run in worker threads.

A connector turns one platform account into normalized domain objects and carries out writes the
outbox hands it. It never touches the store: ``sync`` persists what it returns. Built-in connectors
register through the ``cm_console.connectors`` entry-point group, exactly like third-party ones.

Writes receive an :class:`Outgoing` operation whose ``op_id`` was committed before the call; a
connector derives every idempotency token or marker from it, so a resend or a read-back
(:meth:`Connector.find_sent`) can recognise an earlier attempt.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from cm_console.connectors.errors import NotSupported
from cm_console.domain.model import (
    JSON,
    FullThread,
    Page,
    PlatformKind,
    RemoteContainer,
    RemotePerson,
    Secret,
)
from cm_console.domain.outbox import OpKind


class Capability(enum.StrEnum):
    """What a connector can do; the UI and CLI only offer what is declared."""

    REPLY = "reply"
    MENTION = "mention"
    DM = "dm"
    REMOTE_TAGS = "remote_tags"
    REACTIONS = "reactions"
    POLLS = "polls"
    ACCEPTED_ANSWER = "accepted_answer"
    PEOPLE = "people"
    NEW_THREAD = "new_thread"


class LoginMethod(enum.StrEnum):
    """How a secret is obtained (``--login``)."""

    NONE = "none"
    TOKEN = "token"  # noqa: S105 - a login method, not a secret
    BROWSER = "browser"
    DEVICE = "device"


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """A connector-specific ``--option KEY=VALUE``."""

    key: str
    help: str
    choices: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True, slots=True)
class ConnectorInfo:
    """What a connector is and what it needs; drives the accounts dialog and ``account add``."""

    id: str
    display_name: str
    kind: PlatformKind
    capabilities: frozenset[Capability]
    login_methods: tuple[LoginMethod, ...] = (LoginMethod.TOKEN,)
    default_url: str | None = None
    url_label: str | None = "Server URL"
    """None when the connector takes no URL."""
    user_label: str | None = None
    """None when the connector takes no user name."""
    secret_label: str | None = "Access token"  # noqa: S105 - a label
    """None when the connector needs no secret."""
    options: tuple[OptionSpec, ...] = ()
    mention_example: str = "@name"

    @property
    def needs_secret(self) -> bool:
        return self.secret_label is not None

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """The non-secret settings a connector is built from."""

    name: str
    url: str | None = None
    username: str | None = None
    options: Mapping[str, str] = field(default_factory=dict)
    own_remote_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConnectorContext:
    """What the composition root hands every connector.

    Attributes:
        secret: the account's token or password from the keyring (None when not needed).
        clock: the current time (tests and ``--now`` move it).
        backends: extra services by name; the demo connector takes ``"simulation"``.
        save_secret: called when a login exchanges the secret for a new one (token refresh,
            password → access token), so the keyring keeps the current one.
    """

    secret: Secret | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now().astimezone())
    backends: Mapping[str, Any] = field(default_factory=dict)
    save_secret: Callable[[Secret], None] | None = None
    user_agent: str = "cm-console"


class LoginUI(Protocol):
    """What an interactive sign-in (``--login browser|device``) needs from the window or CLI."""

    def open_url(self, url: str) -> None:
        """Show ``url`` to the person in their system browser (never an embedded one)."""

    def tell(self, message: str) -> None:
        """Show a short instruction, e.g. a device code to type in."""


@dataclass(frozen=True, slots=True)
class ThreadRef:
    """Enough to address a thread on its platform."""

    remote_id: str
    container_remote_id: str
    root_post_remote_id: str | None = None
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One outbox operation as a connector sees it."""

    op_id: str
    kind: OpKind
    text: str = ""
    thread: ThreadRef | None = None
    reply_to_post_remote_id: str | None = None
    mentions: tuple[RemotePerson, ...] = ()
    recipients: tuple[RemotePerson, ...] = ()
    tags: tuple[str, ...] = ()
    emoji: str | None = None
    container_remote_id: str | None = None
    title: str | None = None
    poll_options: tuple[str, ...] = ()
    first_attempt_at: datetime | None = None
    attempt: int = 1


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the platform created: its id, and the new post as a page to store right away."""

    remote_id: str
    thread_remote_id: str | None = None
    page: Page | None = None


class Connector(abc.ABC):
    """Base class of every platform connector.

    Subclasses set :attr:`info` and implement the read side; writes default to
    :class:`NotSupported` and are overridden where :attr:`ConnectorInfo.capabilities` says so.
    """

    info: ClassVar[ConnectorInfo]

    def __init__(self, account: AccountConfig, context: ConnectorContext) -> None:
        self.account = account
        self.context = context

    @classmethod
    def interactive_login(cls, method: LoginMethod, account: AccountConfig, ui: LoginUI) -> Secret:
        """Sign in with the platform's own desktop flow and return the secret to keep.

        Called for the login methods in :attr:`ConnectorInfo.login_methods` other than
        ``token`` and ``none``, before the connector exists; the result is stored in the keyring
        and handed to the connector as :attr:`ConnectorContext.secret`.
        """
        raise NotSupported(f"{cls.info.display_name} has no {method.value} sign-in")

    # --- identity and directory ---------------------------------------------------------------

    @abc.abstractmethod
    def whoami(self) -> RemotePerson:
        """The account's own user (validates the credentials)."""

    def list_people(self) -> Iterator[RemotePerson]:
        """The people directory of the account (display name, handle, department…)."""
        raise NotSupported(f"{self.info.display_name} has no people directory")

    # --- reading ------------------------------------------------------------------------------

    @abc.abstractmethod
    def list_containers(self) -> list[RemoteContainer]:
        """The communities, categories, channels or rooms the account can read."""

    @abc.abstractmethod
    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        """New activity since ``cursors`` (the cursors of pages stored so far, by scope).

        Yields pages; each page's cursor is stored in the same transaction as its rows, and the
        next call starts from the stored cursors. A first call (no cursors) backfills history.
        """

    @abc.abstractmethod
    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        """The whole thread, every post, for review and reconciliation."""

    # --- writing ------------------------------------------------------------------------------

    def post_reply(self, op: Outgoing) -> SendResult:
        raise NotSupported(f"{self.info.display_name} cannot reply")

    def send_dm(self, op: Outgoing) -> SendResult:
        raise NotSupported(f"{self.info.display_name} cannot send direct messages")

    def set_tags(self, op: Outgoing) -> SendResult:
        raise NotSupported(f"{self.info.display_name} has no tags")

    def add_reaction(self, op: Outgoing) -> SendResult:
        raise NotSupported(f"{self.info.display_name} has no reactions")

    def post_thread(self, op: Outgoing) -> SendResult:
        raise NotSupported(f"{self.info.display_name} cannot start threads")

    def mention_syntax(self, person: RemotePerson) -> str:
        """The text that mentions ``person`` in a post on this platform."""
        return f"@{person.handle}"

    def find_sent(self, op: Outgoing) -> SendResult | None:
        """Look on the platform for an earlier attempt of ``op`` (by marker, or author + text).

        Returns the copy when found; None when the read-back shows it is not there.
        Raises a :class:`~cm_console.connectors.errors.ConnectorError` when it cannot tell.
        """
        raise NotSupported(f"{self.info.display_name} cannot look up sent messages")

    def send(self, op: Outgoing) -> SendResult:
        """Dispatch ``op`` to the write method for its kind."""
        handlers: dict[OpKind, Callable[[Outgoing], SendResult]] = {
            OpKind.REPLY: self.post_reply,
            OpKind.DM: self.send_dm,
            OpKind.SET_TAGS: self.set_tags,
            OpKind.REACTION: self.add_reaction,
            OpKind.POST: self.post_thread,
        }
        return handlers[op.kind](op)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release sessions and sockets."""
