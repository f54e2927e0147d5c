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
import dataclasses
import enum
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
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


def _keycap(number: int) -> str:
    """The keycap emoji for 1–10 (the reactions people vote with), else ``N.``."""
    if 0 <= number <= 9:
        return f"{number}\ufe0f\u20e3"
    return "\U0001f51f" if number == 10 else f"{number}."


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
    user_required: bool = True
    """False when the user name is needed only in some set-ups (the connector checks)."""
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
    """What an interactive sign-in may ask of the command line or the window.

    The connector drives the platform's own desktop flow (a browser page, a pasted code, a
    device code) and asks the person through this; it never prints or reads a terminal itself.
    """

    def open_url(self, url: str) -> bool:
        """Open ``url`` in the system browser; False when no browser could be started."""
        ...

    def show(self, message: str) -> None:
        """Tell the person what to do next (for example the URL to open by hand)."""
        ...

    def ask(self, prompt: str) -> str:
        """Ask for text the person pastes (a code or an encrypted payload); '' when cancelled."""
        ...

    def show_device_code(self, message: str, url: str, code: str) -> None:
        """Show a device-code prompt: the platform's own message, the address and the code."""
        ...

    def warn(self, message: str) -> None:
        """Tell the person something they must know (e.g. a secret stored without encryption)."""
        ...

    def cancelled(self) -> bool:
        """True once the person gave up waiting for the sign-in."""
        ...


@dataclass(frozen=True, slots=True)
class LoginResult:
    """What an interactive sign-in produced: the secret, and settings it decided.

    Attributes:
        secret: the token or key for the keyring.
        options: account options the login settled (e.g. ``auth=user_api_key``).
        username: the account's user name on the platform, when the flow tells it.
    """

    secret: Secret
    options: Mapping[str, str] = field(default_factory=dict)
    username: str | None = None


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
    resend_until: datetime | None = None
    """Set when this attempt is safe only because the platform still remembers the operation's
    id (Mattermost's ``pending_post_id``): the write must not leave after this moment."""


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

    # --- sign-in ------------------------------------------------------------------------------

    @classmethod
    def interactive_login(
        cls,
        method: LoginMethod,
        account: AccountConfig,
        context: ConnectorContext,
        ui: LoginUI,
    ) -> LoginResult:
        """Sign in with ``--login browser`` or ``device``; returns what the keyring keeps.

        Called before the account exists (``account add``) or to sign in again. Connectors that
        list only :attr:`LoginMethod.TOKEN` (or none) in :attr:`ConnectorInfo.login_methods`
        need not override it.
        """
        raise NotSupported(f"{cls.info.display_name} cannot sign in with {method.value!r}")

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

    def render_mentions(self, text: str, mentions: tuple[RemotePerson, ...]) -> str:
        """``text`` with each ``@handle`` of ``mentions`` in the platform's mention syntax.

        The outbox stores mentions neutrally (``@handle`` in the text plus the person), so a
        queued prompt survives a change of connector version; the connector renders them when
        it sends.
        """
        for person in mentions:
            pattern = re.compile(rf"(?<![\w@])@{re.escape(person.handle)}(?![\w-])")
            text = pattern.sub(self.mention_syntax(person).replace("\\", "\\\\"), text)
        return text

    @classmethod
    def format_poll(cls, question: str, options: Sequence[str]) -> str:
        """The body of a poll on this platform: ``question`` and its ``options``.

        The default is the fallback for platforms without polls: the options numbered with
        keycap emoji, so people vote by reacting with the number. Platforms whose polls are
        written in the post itself override it (Discourse ``[poll]``, Zulip ``/poll``); one that
        creates polls through an API returns the question alone and reads
        :attr:`Outgoing.poll_options` in :meth:`post_thread`.
        """
        lines = [question.strip(), ""]
        lines += [f"{_keycap(i)} {option.strip()}" for i, option in enumerate(options, 1)]
        return "\n".join(lines)

    def prepare(self, op: Outgoing) -> Outgoing:
        """``op`` as :meth:`send` hands it to the write method: a poll formatted for the
        platform, mentions rendered. A read-back (:meth:`find_sent`) receives the stored
        operation and compares with this form of it."""
        if op.kind is OpKind.POST and op.poll_options:
            op = dataclasses.replace(op, text=self.format_poll(op.text, op.poll_options))
        if op.mentions and op.kind in (OpKind.REPLY, OpKind.POST, OpKind.DM):
            op = dataclasses.replace(op, text=self.render_mentions(op.text, op.mentions))
        return op

    def send(self, op: Outgoing) -> SendResult:
        """Dispatch ``op`` to the write method for its kind (prepared first: mentions rendered,
        a poll formatted for the platform; see :meth:`prepare`)."""
        op = self.prepare(op)
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
