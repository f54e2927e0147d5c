"""An example connector in its own package: it registers exactly like the built-in ones."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta

from cm_console.connectors.base import (
    Capability,
    Connector,
    ConnectorInfo,
    LoginMethod,
    ThreadRef,
)
from cm_console.domain.model import (
    JSON,
    FullThread,
    Page,
    PlatformKind,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
)

ME = RemotePerson("p-1", "cm", "Community Manager")
ASKER = RemotePerson("p-2", "joost", "Joost")
ROOM = RemoteContainer("kantine", "Kantine")


class PlekConnector(Connector):
    """A static intranet with one unanswered question."""

    info = ConnectorInfo(
        id="plek",
        display_name="Plek (example)",
        kind=PlatformKind.FORUM,
        capabilities=frozenset({Capability.MENTION}),
        login_methods=(LoginMethod.NONE,),
        url_label=None,
        secret_label=None,
    )

    def whoami(self) -> RemotePerson:
        return ME

    def list_containers(self) -> list[RemoteContainer]:
        return [ROOM]

    def _thread(self) -> tuple[RemoteThread, RemotePost]:
        at = datetime.now(UTC) - timedelta(hours=6)
        thread = RemoteThread("q-1", ROOM.remote_id, at, title="Is de kantine open?")
        root = RemotePost("q-1-0", "q-1", ASKER.remote_id, at, "Is de kantine open?", is_root=True)
        return thread, root

    def fetch(self, cursors: Mapping[str, JSON]) -> Iterator[Page]:
        if cursors.get("*"):
            return
        thread, root = self._thread()
        yield Page("*", {"done": True}, (ROOM,), (ME, ASKER), (thread,), (root,))

    def fetch_thread(self, thread: ThreadRef) -> FullThread:
        meta, root = self._thread()
        return FullThread(meta, (root,))
