"""A Matrix room on the test Synapse, seeded as colleagues would post in it (backdated)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from cm_console.connectors.base import AccountConfig, ConnectorContext
from cm_console.connectors.matrix.connector import MatrixConnector
from cm_console.domain.model import RemotePerson, Secret
from tests.helpers.synapse import MatrixUser, SynapseSession, q


def remote(user: MatrixUser) -> RemotePerson:
    return RemotePerson(remote_id=user.user_id, handle=user.user_id, display_name=user.display_name)


def ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)


class MatrixWorld:
    """One fresh room: the author owns it, the account's user and the expert joined it."""

    def __init__(
        self, session: SynapseSession, now: datetime | None = None, name: str = ""
    ) -> None:
        self.session = session
        self.server = session.server
        self.now = now or datetime.now(UTC)
        self.me = remote(session.me)
        self.author = remote(session.author)
        self.expert = remote(session.expert)
        self._users = {u.user_id: u for u in (session.me, session.author, session.expert)}
        self.container_id = self.server.create_room(
            session.author,
            name or f"Helpdesk {secrets.token_hex(3)}",
            [session.me, session.expert],
        )

    def user(self, person: RemotePerson) -> MatrixUser:
        return self._users[person.remote_id]

    def post(
        self,
        author: RemotePerson,
        content: dict[str, Any],
        at: datetime,
        event_type: str = "m.room.message",
    ) -> str:
        return self.server.send(
            self.container_id, self.user(author), content, event_type=event_type, ts_ms=ms(at)
        )

    def add_thread(
        self, author: RemotePerson, text: str, at: datetime, title: str | None = None
    ) -> str:
        event_id = self.post(author, {"msgtype": "m.text", "body": text}, at)
        return f"{self.container_id}/{event_id}"

    def add_reply(
        self, thread_id: str, author: RemotePerson, text: str, at: datetime, msgtype: str = "m.text"
    ) -> str:
        root = thread_id.split("/", 1)[1]
        content = {
            "msgtype": msgtype,
            "body": text,
            "m.relates_to": {
                "rel_type": "m.thread",
                "event_id": root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": root},
            },
        }
        return self.post(author, content, at)

    def replies_on_server(self, thread_id: str) -> list[tuple[str, str]]:
        root = thread_id.split("/", 1)[1]
        events = self.server.thread_replies(self.container_id, root, self.session.me)
        return [(e["sender"], e["content"].get("body", "")) for e in events]

    def leave(self) -> None:
        """The account's user leaves, so later tests' first syncs stay small."""
        self.server.call(
            "POST",
            f"/_matrix/client/v3/rooms/{q(self.container_id)}/leave",
            {},
            token=self.session.me.access_token,
        )

    def connector(self, **options: str) -> MatrixConnector:
        return MatrixConnector(
            AccountConfig(
                name="acct",
                url=self.server.url,
                username=self.session.me.user_id,
                options=options,
            ),
            ConnectorContext(secret=Secret(self.session.me.access_token), clock=lambda: self.now),
        )
