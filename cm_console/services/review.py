"""Review use cases: flag with a complete copy, review offline (annotations, decisions), export
(HTML, PDF, CSV, review packets) and import review packets."""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from cm_console import __version__
from cm_console.connectors.errors import ConnectorError
from cm_console.credentials import CredentialError
from cm_console.domain.model import LocalUser, Person
from cm_console.domain.review import (
    Annotation,
    Decision,
    DecisionRecord,
    FlagReason,
    ImportResult,
    ReviewDetail,
    ReviewFilter,
    ReviewItem,
)
from cm_console.domain.views import QueueQuery, View
from cm_console.reports.csv_export import render_csv
from cm_console.reports.document import render_html
from cm_console.reports.export import (
    Export,
    ExportFormat,
    ExportOptions,
    ThreadSource,
    build_export,
)
from cm_console.reports.packet import PacketError, parse_packet, render_packet
from cm_console.services.accounts import ConnectorFactory, ServiceError, UsageError
from cm_console.services.triage import ActionResult, ChangeSet, TriageService, UnknownThread
from cm_console.store import Store
from cm_console.sync.review import Cancel, CopyResult, ThreadCopier

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
PdfRenderer = Callable[[str, str], None]
"""Renders an HTML document (the print variant) to a PDF file at a path; Qt lives behind it."""

WORKSPACE_KEY = "workspace_id"
MAX_ANNOTATION = 20_000


def _never() -> bool:
    return False


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    format: ExportFormat
    threads: int
    posts: int
    annotations: int


class ReviewService:
    """Flagged threads for reviewers: kept complete, annotated, decided, exported, exchanged."""

    def __init__(
        self,
        store: Store,
        triage: TriageService,
        factory: ConnectorFactory,
        clock: Clock,
        user: LocalUser,
    ) -> None:
        self._store = store
        self._triage = triage
        self._factory = factory
        self._clock = clock
        self.user = user
        self._copier = ThreadCopier(store, clock)
        self._workspace: str | None = None

    def workspace_id(self) -> str:
        """This console's (or shared database's) stable id, made on first use."""
        if self._workspace is None:
            # Migration 0006 gives every database its id; this covers one made otherwise.
            stored = self._store.settings.get_all().get(WORKSPACE_KEY)
            if not stored:
                self._store.settings.set_many({WORKSPACE_KEY: str(uuid.uuid4())})
                stored = self._store.settings.get_all().get(WORKSPACE_KEY)
            self._workspace = str(stored)
        return self._workspace

    # --- flagging and complete copies ---------------------------------------------------------

    def flag(
        self,
        refs: Sequence[str | int],
        note: str | None = None,
        reason: FlagReason | None = None,
    ) -> ActionResult:
        """Flag for review and ask for a complete copy (fetched by :meth:`complete_copies` right
        after, or by the next sync when the platform cannot be reached)."""
        result = self._triage.flag(refs, note)
        ids = sorted(result.changes.thread_ids)
        self._store.review.mark_flagged(ids, reason, self._clock())
        return ActionResult(result.count, ChangeSet(frozenset(ids), queue=True))

    def complete_copies(
        self, thread_ids: Sequence[int] | None = None, *, cancel: Cancel = _never
    ) -> CopyResult:
        """Fetch the complete copies still pending (only ``thread_ids``, when given)."""
        total = CopyResult()
        pending = self._store.review.pending(thread_ids=thread_ids)
        for account_id in dict.fromkeys(p.account_id for p in pending):
            account = self._store.accounts.by_id(account_id)
            if account is None:
                continue
            ids = [p.thread_id for p in pending if p.account_id == account_id]
            try:
                connector = self._factory.build(account)
            except (ServiceError, CredentialError, ConnectorError, UsageError) as exc:
                total.failed.extend(ids)
                total.error = total.error or str(exc)
                continue
            try:
                result = self._copier.complete(account, connector, ids, cancel=cancel)
            finally:
                connector.close()
            total.copied += result.copied
            total.gone += result.gone
            total.failed += result.failed
            total.error = total.error or result.error
        return total

    # --- reading -------------------------------------------------------------------------------

    def ids(self, query: ReviewFilter | None = None) -> list[int]:
        return self._store.review.ids(query or ReviewFilter())

    def items(self, ids: Sequence[int]) -> list[ReviewItem]:
        return self._store.review.items(ids)

    def flagged(self, query: ReviewFilter | None = None) -> list[ReviewItem]:
        return self.items(self.ids(query))

    def counts(self) -> dict[str, int]:
        return self._store.review.counts()

    def detail(self, ref: str | int) -> ReviewDetail:
        thread_id = self._triage.resolve(ref)
        detail = self._store.review.detail(thread_id)
        if detail is None:
            raise UnknownThread(f"no thread {ref!r}")
        return detail

    # --- annotations and decisions -------------------------------------------------------------

    def annotate(self, ref: str | int, text: str, post_remote_id: str | None = None) -> Annotation:
        """Add an annotation to a post (or, without a post, to the thread as a whole)."""
        text = text.strip()
        if not text:
            raise UsageError("the annotation is empty")
        if len(text) > MAX_ANNOTATION:
            raise UsageError(f"an annotation holds at most {MAX_ANNOTATION} characters")
        detail = self.detail(ref)
        if post_remote_id is not None and all(
            p.post.remote_id != post_remote_id for p in detail.posts
        ):
            raise UsageError(f"no post {post_remote_id!r} in this thread")
        now = self._clock()
        annotation = Annotation(
            uid=str(uuid.uuid4()),
            thread_id=detail.item.thread_id,
            post_remote_id=post_remote_id,
            author=self.user.name,
            text=text,
            created_at=now,
            updated_at=now,
        )
        return self._store.review.add_annotation(annotation, user_id=self.user.id)

    def edit_annotation(self, uid: str, text: str) -> Annotation:
        text = text.strip()
        if not text:
            return self.remove_annotation(uid)
        if len(text) > MAX_ANNOTATION:
            raise UsageError(f"an annotation holds at most {MAX_ANNOTATION} characters")
        changed = self._store.review.change_annotation(
            uid, text=text, deleted=False, now=self._clock(), user_id=self.user.id
        )
        if changed is None:
            raise ServiceError(f"no annotation {uid}")
        return changed

    def remove_annotation(self, uid: str) -> Annotation:
        changed = self._store.review.change_annotation(
            uid, text=None, deleted=True, now=self._clock(), user_id=self.user.id
        )
        if changed is None:
            raise ServiceError(f"no annotation {uid}")
        return changed

    def decide(
        self, refs: Sequence[str | int], decision: Decision, note: str = ""
    ) -> list[DecisionRecord]:
        """Record a decision (by this console's user, now) on each thread."""
        ids = self._triage.resolve_many(refs)
        now = self._clock()
        records = [
            DecisionRecord(
                uid=str(uuid.uuid4()),
                thread_id=tid,
                decision=decision,
                reviewer=self.user.name,
                decided_at=now,
                note=note.strip(),
            )
            for tid in dict.fromkeys(ids)
        ]
        return self._store.review.add_decisions(records, user_id=self.user.id)

    # --- export --------------------------------------------------------------------------------

    def ids_for_view(self, view: View, query: ReviewFilter | None = None) -> list[int]:
        """Threads to export: the review list (flagged, filtered), or any queue view."""
        if view is View.FLAGGED:
            return self.ids(query)
        return self._triage.queue_ids(QueueQuery(view=view))

    def build_export(
        self, thread_ids: Sequence[int], options: ExportOptions, zone: tzinfo | None = None
    ) -> Export:
        """The export model of ``thread_ids`` (in that order), redacted as ``options`` say."""
        ids = list(dict.fromkeys(thread_ids))
        facts = self._store.review.export_facts(ids)
        workspace = self.workspace_id()
        directories: dict[int, list[Person]] = {}
        sources = []
        for tid in ids:
            fact = facts.get(tid)
            detail = self._store.review.detail(tid)
            if fact is None or detail is None:
                continue
            if fact.account_id not in directories:
                directories[fact.account_id] = list(self._store.accounts.people(fact.account_id))
            sources.append(
                ThreadSource(
                    detail=detail,
                    origin_workspace=fact.origin_workspace or workspace,
                    origin_account=fact.origin_account,
                    remote_id=fact.remote_id,
                    container_remote_id=fact.container_remote_id,
                    resolved=fact.resolved,
                    closed=fact.closed,
                    directory=directories[fact.account_id],
                )
            )
        return build_export(
            sources,
            options=options,
            created_at=self._clock(),
            created_by=self.user.name,
            workspace=workspace,
            zone=zone,
            generator=f"cm-console {__version__}",
        )

    def export(
        self,
        thread_ids: Sequence[int],
        fmt: ExportFormat,
        path: str | Path,
        options: ExportOptions | None = None,
        *,
        pdf: PdfRenderer | None = None,
        zone: tzinfo | None = None,
    ) -> ExportSummary:
        """Write an export file; it appears complete or not at all (written aside, then moved).

        Raises:
            ServiceError: nothing to export, PDF without a renderer, or the file could not be
                written.
        """
        if not thread_ids:
            raise ServiceError("nothing to export: no conversations match")
        if fmt is ExportFormat.PDF and pdf is None:
            raise ServiceError("PDF export needs the Qt renderer, which is not available here")
        target = Path(path).expanduser()
        export = self.build_export(thread_ids, options or ExportOptions(), zone)
        if not export.threads:
            raise ServiceError("nothing to export: no conversations match")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Exports hold what was flagged: the file is readable by its owner only.
            handle, tmp = tempfile.mkstemp(prefix=".cm-export-", dir=target.parent)
            try:
                if fmt is ExportFormat.PDF:
                    os.close(handle)
                    assert pdf is not None
                    pdf(render_html(export, for_print=True), tmp)
                else:
                    if fmt is ExportFormat.HTML:
                        text, encoding = render_html(export), "utf-8"
                    elif fmt is ExportFormat.CSV:
                        text, encoding = render_csv(export), "utf-8-sig"
                    else:
                        text, encoding = render_packet(export, str(uuid.uuid4())), "utf-8"
                    with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
                        out.write(text)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise ServiceError(f"could not write {target}: {exc.strerror or exc}") from None
        return ExportSummary(
            path=target,
            format=fmt,
            threads=len(export.threads),
            posts=sum(len(t.posts) for t in export.threads),
            annotations=sum(1 for t in export.threads for a in t.annotations if not a.deleted),
        )

    # --- review packets ------------------------------------------------------------------------

    def import_packet(self, path: str | Path) -> ImportResult:
        """Bring a review packet's threads in (read-only) and merge its annotations and
        decisions by their ids; nothing is stored when the packet has any problem."""
        source = Path(path).expanduser()
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise ServiceError(f"could not read {source}: {exc.strerror or exc}") from None
        try:
            _header, threads = parse_packet(data)
        except PacketError as exc:
            raise ServiceError(f"{source.name}: {exc}") from None
        return self._store.review.import_packet(
            threads, workspace=self.workspace_id(), now=self._clock(), user_id=self.user.id
        )
