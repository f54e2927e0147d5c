"""The export model: flagged threads as every export format presents them (HTML, PDF, CSV and
the review packet), built once and redacted once, so the formats cannot disagree.

Post bodies are sanitized here (with :func:`cm_console.reports.html.post_body_html`, the one
sanitizer) before anything else touches them; redaction then works on that safe HTML.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo

from cm_console.domain.model import Person
from cm_console.domain.review import (
    Annotation,
    CopyState,
    DecisionRecord,
    FlagReason,
    ReviewDetail,
    ReviewPost,
    decisions_in_order,
)
from cm_console.reports.html import post_body_html
from cm_console.reports.labels import Labels
from cm_console.reports.redact import Identity, Redactor


class ExportFormat(enum.StrEnum):
    HTML = "html"
    PDF = "pdf"
    CSV = "csv"
    PACKET = "packet"

    @property
    def suffix(self) -> str:
        return ".json" if self is ExportFormat.PACKET else f".{self.value}"


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How to export: redaction and language.

    Attributes:
        pseudonymise: people become "Person A", "Person B"… (contact details go too).
        strip_contacts: e-mail addresses and phone numbers are removed.
        language: ``en`` or ``nl`` for the document's own words.
    """

    pseudonymise: bool = False
    strip_contacts: bool = False
    language: str = "en"

    @property
    def removes_contacts(self) -> bool:
        return self.pseudonymise or self.strip_contacts


@dataclass(frozen=True, slots=True)
class ExportPerson:
    ref: str
    """Stable within the export: the person's remote id, or their pseudonym's handle."""
    name: str
    handle: str
    team: bool = False
    bot: bool = False


@dataclass(frozen=True, slots=True)
class ExportVersion:
    text: str
    html: str
    edited_at: datetime | None
    replaced_at: datetime


@dataclass(frozen=True, slots=True)
class ExportPost:
    remote_id: str
    author: ExportPerson
    created_at: datetime
    text: str
    """Plain text (CSV, packet)."""
    html: str
    """Sanitized (and redacted) HTML (documents)."""
    is_root: bool = False
    kind: str = "regular"
    deleted: bool = False
    edited_at: datetime | None = None
    reply_to_remote_id: str | None = None
    reactions: tuple[tuple[str, str], ...] = ()
    """(person ref, emoji) pairs."""
    attachments: tuple[str, ...] = ()
    versions: tuple[ExportVersion, ...] = ()
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ExportThread:
    number: int
    origin_workspace: str
    origin_account: str
    remote_id: str
    key: str
    platform: str
    account: str
    container: str
    container_remote_id: str
    title: str
    url: str | None
    created_at: datetime
    flag_note: str | None
    flag_reason: FlagReason | None
    flagged_at: datetime | None
    copy_state: CopyState
    copied_at: datetime | None
    upstream_deleted_at: datetime | None
    people: tuple[ExportPerson, ...]
    posts: tuple[ExportPost, ...]
    annotations: tuple[Annotation, ...]
    """All annotations, removed ones included (documents leave those out)."""
    decisions: tuple[DecisionRecord, ...]
    resolved: bool = False
    closed: bool = False

    @property
    def decision(self) -> DecisionRecord | None:
        return self.decisions[-1] if self.decisions else None

    def live_annotations(self, post_remote_id: str | None) -> list[Annotation]:
        return [a for a in self.annotations if not a.deleted and a.post_remote_id == post_remote_id]


@dataclass(frozen=True, slots=True)
class Export:
    """A whole export, redacted as its options say."""

    created_at: datetime
    created_by: str
    workspace: str
    options: ExportOptions
    threads: tuple[ExportThread, ...]
    zone: tzinfo | None = None
    generator: str = "cm-console"

    @property
    def labels(self) -> Labels:
        return Labels(self.options.language)


@dataclass(frozen=True, slots=True)
class ThreadSource:
    """What the service hands over for one thread: the review detail and the thread's facts."""

    detail: ReviewDetail
    origin_workspace: str
    origin_account: str
    remote_id: str
    container_remote_id: str
    resolved: bool = False
    closed: bool = False
    directory: Sequence[Person] = field(default_factory=tuple)
    """The account's people directory (names that may be mentioned in the text)."""


def _identities(sources: Sequence[ThreadSource]) -> list[Identity]:
    """Participants in order of appearance first, then everyone else the directories know."""
    out: list[Identity] = []
    for source in sources:
        people = {p.remote_id: p for p in source.detail.people}
        account = source.origin_account
        for post in source.detail.posts:
            for remote_id in (
                post.author_remote_id,
                *(r.person_remote_id for r in post.post.reactions),
            ):
                person = people.get(remote_id)
                name = person.display_name if person else post.post.author
                out.append(
                    Identity(
                        key=f"{source.origin_workspace}|{account}|{remote_id}",
                        name=name,
                        handle=person.handle if person else "",
                        email=person.email if person else None,
                        participant=True,
                    )
                )
    for source in sources:
        prefix = f"{source.origin_workspace}|{source.origin_account}|"
        out.extend(
            Identity(
                key=prefix + person.remote_id,
                name=person.display_name,
                handle=person.handle,
                email=person.email,
            )
            for person in source.directory
        )
    return out


def build_export(
    sources: Sequence[ThreadSource],
    *,
    options: ExportOptions,
    created_at: datetime,
    created_by: str,
    workspace: str,
    zone: tzinfo | None = None,
    generator: str = "cm-console",
) -> Export:
    """The export of ``sources`` (in that order), sanitized and redacted."""
    labels = Labels(options.language)
    redactor = Redactor(
        _identities(sources),
        pseudonymise=options.pseudonymise,
        strip_contacts=options.strip_contacts,
        labels=labels,
    )
    threads = tuple(
        _thread(number, source, redactor, options) for number, source in enumerate(sources, start=1)
    )
    return Export(
        created_at=created_at,
        created_by=redactor.text(created_by),
        workspace=workspace,
        options=options,
        threads=threads,
        zone=zone,
        generator=generator,
    )


def _person(
    redactor: Redactor, key: str, remote_id: str, name: str, handle: str, *, team: bool, bot: bool
) -> ExportPerson:
    if redactor.pseudonymise:
        return ExportPerson(
            ref=redactor.pseudonym_handle(key),
            name=redactor.pseudonym(key),
            handle=redactor.pseudonym_handle(key),
            team=team,
            bot=bot,
        )
    return ExportPerson(ref=remote_id, name=name, handle=handle, team=team, bot=bot)


def _thread(
    number: int, source: ThreadSource, redactor: Redactor, options: ExportOptions
) -> ExportThread:
    detail = source.detail
    item = detail.item
    prefix = f"{source.origin_workspace}|{source.origin_account}|"
    people: dict[str, Person] = {p.remote_id: p for p in detail.people}
    exported: dict[str, ExportPerson] = {}

    def person(remote_id: str, fallback_name: str, fallback_handle: str = "") -> ExportPerson:
        found = exported.get(remote_id)
        if found is None:
            known = people.get(remote_id)
            found = exported[remote_id] = _person(
                redactor,
                prefix + remote_id,
                remote_id,
                known.display_name if known else fallback_name,
                known.handle if known else fallback_handle,
                team=known.is_team if known else False,
                bot=known.is_bot if known else False,
            )
        return found

    posts = tuple(_post(p, person, redactor) for p in detail.posts)
    strip_links = options.pseudonymise
    return ExportThread(
        number=number,
        origin_workspace=source.origin_workspace,
        origin_account=source.origin_account,
        remote_id=source.remote_id,
        key=item.key,
        platform=item.platform,
        account=item.account,
        container=item.container,
        container_remote_id=source.container_remote_id,
        title=redactor.text(item.title),
        url=None if strip_links else item.url,
        created_at=item.created_at,
        flag_note=redactor.text(item.flag_note) if item.flag_note else None,
        flag_reason=item.flag_reason,
        flagged_at=item.flagged_at,
        copy_state=item.copy_state,
        copied_at=item.copied_at,
        upstream_deleted_at=item.upstream_deleted_at,
        people=tuple(exported.values()),
        posts=tuple(post if not strip_links else _without_url(post) for post in posts),
        annotations=tuple(_annotation(a, redactor) for a in detail.annotations),
        decisions=tuple(_decision(d, redactor) for d in decisions_in_order(detail.decisions)),
        resolved=source.resolved,
        closed=source.closed,
    )


def _without_url(post: ExportPost) -> ExportPost:
    return replace(post, url=None)


PersonLookup = Callable[[str, str, str], ExportPerson]


def _post(post: ReviewPost, person: PersonLookup, redactor: Redactor) -> ExportPost:
    view = post.post
    author = person(post.author_remote_id, view.author, view.author_handle)
    reactions = tuple(
        (person(r.person_remote_id, r.person_remote_id, "").ref, r.emoji) for r in view.reactions
    )
    return ExportPost(
        remote_id=view.remote_id,
        author=author,
        created_at=view.created_at,
        text=redactor.text(view.text),
        html=redactor.html(post_body_html(view.text, view.html)),
        is_root=view.is_root,
        kind=view.kind.value,
        deleted=view.deleted,
        edited_at=view.edited_at,
        reactions=reactions,
        attachments=tuple(redactor.text(a) for a in post.attachments),
        versions=tuple(
            ExportVersion(
                text=redactor.text(v.text),
                html=redactor.html(post_body_html(v.text, v.html)),
                edited_at=v.edited_at,
                replaced_at=v.replaced_at,
            )
            for v in post.versions
        ),
        url=view.url,
    )


def _annotation(a: Annotation, redactor: Redactor) -> Annotation:
    # A reviewer may be a colleague on the platform as well: then they are pseudonymised too.
    return replace(a, text=redactor.text(a.text), author=redactor.text(a.author))


def _decision(d: DecisionRecord, redactor: Redactor) -> DecisionRecord:
    return replace(d, note=redactor.text(d.note), reviewer=redactor.text(d.reviewer))


def thread_counts(export: Export) -> Mapping[str, int]:
    """Figures for a summary line: threads, posts, annotations."""
    return {
        "threads": len(export.threads),
        "posts": sum(len(t.posts) for t in export.threads),
        "annotations": sum(1 for t in export.threads for a in t.annotations if not a.deleted),
    }
