"""Review packets: flagged threads with their annotations and decisions as versioned JSON.

A packet goes from the manager's console to a reviewer and back. It carries each thread's
origin (workspace, account, remote id) and the uid of every annotation and decision, so
importing it on either side merges by those ids instead of duplicating. A SHA-256 checksum over
the content catches a packet that was damaged or edited by hand. Reading a packet trusts
nothing: types, sizes and enumerations are checked, and any problem is a
:class:`PacketError` before anything is stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cm_console.domain.model import (
    PostKind,
    Reaction,
    RemoteContainer,
    RemotePerson,
    RemotePost,
    RemoteThread,
    attachment_name,
    utc,
)
from cm_console.domain.review import (
    Annotation,
    Decision,
    DecisionRecord,
    FlagReason,
    Origin,
    PacketThread,
    PostVersion,
)
from cm_console.reports.export import Export, ExportThread

FORMAT = "cm-console-review-packet"
VERSION = 1
MAX_BYTES = 256 * 1024 * 1024
MAX_TEXT = 1_000_000


class PacketError(ValueError):
    """The file is not a review packet this console can read (the message says why)."""


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else utc(dt).isoformat().replace("+00:00", "Z")


def _checksum(content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _thread(thread: ExportThread) -> dict[str, Any]:
    return {
        "origin": {
            "workspace": thread.origin_workspace,
            "account": thread.origin_account,
            "remote_id": thread.remote_id,
        },
        "platform": thread.platform,
        "container": {"remote_id": thread.container_remote_id, "name": thread.container},
        "title": thread.title,
        "url": thread.url,
        "created_at": _iso(thread.created_at),
        "resolved": thread.resolved,
        "closed": thread.closed,
        "flag": {
            "note": thread.flag_note,
            "reason": thread.flag_reason.value if thread.flag_reason else None,
            "flagged_at": _iso(thread.flagged_at),
        },
        "copy": {
            "state": thread.copy_state.value,
            "copied_at": _iso(thread.copied_at),
            "upstream_deleted_at": _iso(thread.upstream_deleted_at),
        },
        "people": [
            {"id": p.ref, "name": p.name, "handle": p.handle, "team": p.team, "bot": p.bot}
            for p in thread.people
        ],
        "posts": [
            {
                "id": post.remote_id,
                "author": post.author.ref,
                "created_at": _iso(post.created_at),
                "edited_at": _iso(post.edited_at),
                "deleted": post.deleted,
                "kind": post.kind,
                "is_root": post.is_root,
                "text": post.text,
                "html": post.html,
                "url": post.url,
                "reactions": [[who, emoji] for who, emoji in post.reactions],
                "attachments": list(post.attachments),
                "versions": [
                    {
                        "text": v.text,
                        "html": v.html,
                        "edited_at": _iso(v.edited_at),
                        "replaced_at": _iso(v.replaced_at),
                    }
                    for v in post.versions
                ],
            }
            for post in thread.posts
        ],
        "annotations": [
            {
                "uid": a.uid,
                "post": a.post_remote_id,
                "author": a.author,
                "text": a.text,
                "created_at": _iso(a.created_at),
                "updated_at": _iso(a.updated_at),
                "deleted": a.deleted,
            }
            for a in thread.annotations
        ],
        "decisions": [
            {
                "uid": d.uid,
                "decision": d.decision.value,
                "reviewer": d.reviewer,
                "note": d.note,
                "decided_at": _iso(d.decided_at),
            }
            for d in thread.decisions
        ],
    }


def render_packet(export: Export, packet_id: str) -> str:
    """The export as a review packet (JSON text)."""
    content = {
        "format": FORMAT,
        "version": VERSION,
        "packet_id": packet_id,
        "created_at": _iso(export.created_at),
        "created_by": export.created_by,
        "workspace": export.workspace,
        "generator": export.generator,
        "options": {
            "pseudonymised": export.options.pseudonymise,
            "contacts_removed": export.options.removes_contacts,
            "language": export.options.language,
        },
        "threads": [_thread(t) for t in export.threads],
    }
    return json.dumps({**content, "checksum": _checksum(content)}, ensure_ascii=False, indent=1)


# --- reading ------------------------------------------------------------------------------------


class _Reader:
    """Typed access to untrusted JSON; every failure names where it happened."""

    def __init__(self, value: Any, where: str) -> None:
        self.value = value
        self.where = where

    def fail(self, message: str) -> PacketError:
        return PacketError(f"not a valid review packet: {self.where}: {message}")

    def obj(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail("expected an object")
        return self.value

    def get(self, key: str) -> _Reader:
        return _Reader(self.obj().get(key), f"{self.where}.{key}")

    def text(self, *, optional: bool = False, limit: int = MAX_TEXT) -> Any:
        if self.value is None and optional:
            return None
        if not isinstance(self.value, str):
            raise self.fail("expected text")
        if len(self.value) > limit:
            raise self.fail("text too long")
        return self.value

    def flag(self) -> bool:
        if self.value is None:
            return False
        if not isinstance(self.value, bool):
            raise self.fail("expected true or false")
        return self.value

    def instant(self, *, optional: bool = False) -> Any:
        text = self.text(optional=optional, limit=64)
        if text is None:
            return None
        try:
            return utc(datetime.fromisoformat(text))
        except ValueError:
            raise self.fail(f"not an ISO 8601 time: {text!r}") from None

    def items(self) -> list[_Reader]:
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self.fail("expected a list")
        return [_Reader(v, f"{self.where}[{i}]") for i, v in enumerate(self.value)]


def _enum(reader: _Reader, kind: Any, *, optional: bool = False) -> Any:
    value = reader.text(optional=optional, limit=40)
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        raise reader.fail(f"unknown value {value!r}") from None


def parse_packet(data: bytes) -> tuple[Mapping[str, Any], list[PacketThread]]:
    """The packet's header and its threads; raises :class:`PacketError` on anything wrong."""
    if len(data) > MAX_BYTES:
        raise PacketError(f"not a valid review packet: larger than {MAX_BYTES // 2**20} MB")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PacketError(f"not a valid review packet: not JSON ({exc})") from None
    root = _Reader(raw, "packet")
    head = root.obj()
    if head.get("format") != FORMAT:
        raise PacketError("not a review packet (no cm-console review packet format marker)")
    version = head.get("version")
    if not isinstance(version, int) or version < 1:
        raise root.get("version").fail("expected a version number")
    if version > VERSION:
        raise PacketError(
            f"this review packet has format version {version}; this console reads up to "
            f"{VERSION}: update cm-console"
        )
    content = {k: v for k, v in head.items() if k != "checksum"}
    if head.get("checksum") != _checksum(content):
        raise PacketError("the review packet is damaged or was changed (its checksum differs)")
    threads = [_parse_thread(t) for t in root.get("threads").items()]
    header = {
        "packet_id": root.get("packet_id").text(optional=True, limit=100),
        "created_by": root.get("created_by").text(optional=True, limit=200),
        "created_at": root.get("created_at").instant(optional=True),
        "workspace": root.get("workspace").text(limit=100),
    }
    return header, threads


def _parse_thread(r: _Reader) -> PacketThread:
    origin = r.get("origin")
    workspace = origin.get("workspace").text(limit=100)
    account = origin.get("account").text(limit=100)
    remote_id = origin.get("remote_id").text(limit=1000)
    container = r.get("container")
    container_id = container.get("remote_id").text(limit=1000)
    created = r.get("created_at").instant()
    people = []
    team = []
    for person in r.get("people").items():
        pid = person.get("id").text(limit=300)
        people.append(
            RemotePerson(
                remote_id=pid,
                handle=person.get("handle").text(limit=300),
                display_name=person.get("name").text(limit=300),
                is_bot=person.get("bot").flag(),
            )
        )
        if person.get("team").flag():
            team.append(pid)
    posts = []
    versions: dict[str, tuple[PostVersion, ...]] = {}
    for post in r.get("posts").items():
        post_id = post.get("id").text(limit=1000)
        reactions = []
        for pair in post.get("reactions").items():
            items = pair.items()
            if len(items) != 2:
                raise pair.fail("expected [person, emoji]")
            reactions.append(Reaction(items[0].text(limit=300), items[1].text(limit=100)))
        attachments = tuple(
            name
            for a in post.get("attachments").items()
            if (name := attachment_name(a.text(limit=1000)))
        )
        posts.append(
            RemotePost(
                remote_id=post_id,
                thread_remote_id=remote_id,
                author_remote_id=post.get("author").text(limit=300),
                created_at=post.get("created_at").instant(),
                text=post.get("text").text(),
                html=post.get("html").text(optional=True),
                is_root=post.get("is_root").flag(),
                kind=_enum(post.get("kind"), PostKind),
                edited_at=post.get("edited_at").instant(optional=True),
                deleted=post.get("deleted").flag(),
                reactions=tuple(reactions),
                url=post.get("url").text(optional=True, limit=2000),
                attachments=attachments,
            )
        )
        found = tuple(
            PostVersion(
                text=v.get("text").text(),
                html=v.get("html").text(optional=True),
                edited_at=v.get("edited_at").instant(optional=True),
                replaced_at=v.get("replaced_at").instant(),
            )
            for v in post.get("versions").items()
        )
        if found:
            versions[post_id] = found
    if not any(p.is_root for p in posts):
        raise r.get("posts").fail("a thread needs its root post")
    flag = r.get("flag")
    copy = r.get("copy")
    annotations = tuple(
        Annotation(
            uid=a.get("uid").text(limit=36),
            thread_id=0,
            post_remote_id=a.get("post").text(optional=True, limit=1000),
            author=a.get("author").text(limit=200),
            text=a.get("text").text(),
            created_at=a.get("created_at").instant(),
            updated_at=a.get("updated_at").instant(),
            deleted=a.get("deleted").flag(),
        )
        for a in r.get("annotations").items()
    )
    decisions = tuple(
        DecisionRecord(
            uid=d.get("uid").text(limit=36),
            thread_id=0,
            decision=_enum(d.get("decision"), Decision),
            reviewer=d.get("reviewer").text(limit=200),
            decided_at=d.get("decided_at").instant(),
            note=d.get("note").text(optional=True) or "",
        )
        for d in r.get("decisions").items()
    )
    return PacketThread(
        origin=Origin(workspace, account, remote_id),
        platform=r.get("platform").text(limit=50),
        container=RemoteContainer(container_id, container.get("name").text(limit=500)),
        people=tuple(people),
        team=tuple(team),
        thread=RemoteThread(
            remote_id=remote_id,
            container_remote_id=container_id,
            created_at=created,
            title=r.get("title").text(limit=5000),
            url=r.get("url").text(optional=True, limit=2000),
            resolved=r.get("resolved").flag(),
            closed=r.get("closed").flag(),
        ),
        posts=tuple(posts),
        versions=versions,
        flag_note=flag.get("note").text(optional=True),
        flag_reason=_enum(flag.get("reason"), FlagReason, optional=True),
        flagged_at=flag.get("flagged_at").instant(optional=True),
        upstream_deleted_at=copy.get("upstream_deleted_at").instant(optional=True),
        annotations=annotations,
        decisions=decisions,
    )
