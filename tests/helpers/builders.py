"""Builders for normalized platform objects, so tests read like the situation they describe."""

from __future__ import annotations

from datetime import datetime, timedelta

from cm_console.domain.model import (
    Page,
    PlatformKind,
    PostKind,
    Reaction,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
)
from cm_console.store import Store

ALICE = RemotePerson("u-alice", "alice", "Alice Jansen")
BOB = RemotePerson("u-bob", "bob", "Bob de Vries")
CAROL = RemotePerson("u-carol", "carol", "Carol Smit")
ME = RemotePerson("u-me", "me", "Community Manager")
BOT = RemotePerson("u-bot", "bot", "Deploy Bot", is_bot=True)
HELP = RemoteContainer("c-help", "Help desk")


class ThreadBuilder:
    """A thread with posts, in one container."""

    def __init__(
        self,
        remote_id: str,
        root_author: RemotePerson,
        at: datetime,
        text: str,
        *,
        container: RemoteContainer = HELP,
        title: str | None = None,
    ) -> None:
        self.container = container
        self.thread = RemoteThread(remote_id, container.remote_id, at, title=title)
        self.posts: list[RemotePost] = [
            RemotePost(f"{remote_id}-0", remote_id, root_author.remote_id, at, text, is_root=True)
        ]
        self.people = {root_author.remote_id: root_author}

    def reply(
        self, author: RemotePerson, after: timedelta, text: str = "An answer.", **kw: object
    ) -> ThreadBuilder:
        at = self.posts[0].created_at + after
        self.people[author.remote_id] = author
        self.posts.append(
            RemotePost(
                f"{self.thread.remote_id}-{len(self.posts)}",
                self.thread.remote_id,
                author.remote_id,
                at,
                text,
                **kw,
            )
        )  # type: ignore[arg-type]
        return self

    def react(self, person: RemotePerson, emoji: str = "👍") -> ThreadBuilder:
        root = self.posts[0]
        from dataclasses import replace

        self.posts[0] = replace(
            root, reactions=(*root.reactions, Reaction(person.remote_id, emoji))
        )
        self.people[person.remote_id] = person
        return self

    def page(self, scope: str = "*", cursor: object = None) -> Page:
        return Page(
            scope=scope,
            cursor=cursor,
            containers=(self.container,),
            people=tuple(self.people.values()),
            threads=(self.thread,),
            posts=tuple(self.posts),
        )


def add_account(
    store: Store,
    name: str = "acme",
    *,
    kind: PlatformKind = PlatformKind.FORUM,
    options: dict[str, str] | None = None,
    me: RemotePerson = ME,
    now: datetime | None = None,
) -> int:
    """An account whose own user is ``me`` (so ``me`` counts as the team)."""
    from datetime import UTC

    account = store.accounts.add(
        name=name,
        platform="demo",
        platform_kind=kind,
        url=None,
        username=None,
        options=options or {},
        now=now or datetime.now(UTC),
    )
    store.accounts.set_own_person(account.id, me.remote_id)
    store.ingest.page(
        account.id, Page(scope="~me", cursor=None, people=(me,)), now or datetime.now(UTC)
    )
    store.recompute_account(account.id)
    return account.id


__all__ = ["ALICE", "BOB", "BOT", "CAROL", "HELP", "ME", "PostKind", "ThreadBuilder", "add_account"]
