"""Colleagues in the window (team mode): who is replying where, who is online, their changes as
they happen, offline and back, and choosing the team database.

:class:`TeamController` does the work off the GUI thread (the task runner) and brings the
change listener's news to the GUI thread; the widgets only show what it reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cm_console.domain.model import Secret
from cm_console.services.team import (
    HEARTBEAT_EVERY,
    RENEW_EVERY,
    ClaimInfo,
    Presence,
    TeamService,
    Unreachable,
)
from cm_console.services.triage import ChangeSet
from cm_console.ui import icons, theme
from cm_console.ui.format import when
from cm_console.ui.queue_model import Column, IdRole
from cm_console.ui.tasks import TaskRunner, TaskState

if TYPE_CHECKING:
    from cm_console.ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex


class _Bridge(QObject):
    """Lives in the GUI thread; the listener thread emits, the GUI thread receives (queued)."""

    changes = Signal(object)
    state = Signal(bool, str)


class TeamController(QObject):
    """Claims, presence and colleagues' changes for one window.

    Signals:
        changed(ChangeSet): colleagues changed something; views refresh what it touched.
        claims_changed(): who is replying where may have changed.
        online_changed(bool, str): the team database was lost (with why) or is back.
        message(str): something to tell the user in the status bar.
    """

    changed = Signal(object)
    claims_changed = Signal()
    online_changed = Signal(bool, str)
    message = Signal(str)

    def __init__(self, team: TeamService, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.team = team
        self._tasks = tasks
        self.claims: dict[int, ClaimInfo] = {}
        """Colleagues' live claims, by thread."""
        self.online: list[Presence] = []
        self.current: int | None = None
        self.is_online = True
        self._bridge = _Bridge(self)
        self._bridge.changes.connect(self._on_listener_changes)
        self._bridge.state.connect(self._on_listener_state)
        self._listener = (
            team.listener(self._bridge.changes.emit, self._bridge.state.emit)
            if team.shared
            else None
        )
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(int(HEARTBEAT_EVERY.total_seconds() * 1000))
        self._heartbeat.timeout.connect(self.beat)
        self._renew = QTimer(self)
        self._renew.setInterval(int(RENEW_EVERY.total_seconds() * 1000))
        self._renew.timeout.connect(self._on_renew)
        self._started = False
        self._stopped = False

    @property
    def shared(self) -> bool:
        return self.team.shared

    def start(self) -> None:
        """Listen for colleagues, say this console is open, and learn who replies where."""
        if not self.shared or self._started:
            return
        self._started = True
        if self._listener is not None:
            self._listener.start()
        self._heartbeat.start()
        self._renew.start()
        self.beat()
        self.refresh()

    def stop(self) -> None:
        """The window closes: no more timers, listening or new background work."""
        self._stopped = True
        self._heartbeat.stop()
        self._renew.stop()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    # --- what the window tells us ----------------------------------------------------------------

    def set_current(self, thread_id: int | None) -> None:
        """The window shows another thread: give back a claim on the one it leaves."""
        if thread_id == self.current:
            return
        left, self.current = self.current, thread_id
        if not self.shared:
            return
        team = self.team
        if left is not None and left in team.holding():
            self._tasks.run(
                lambda _s: team.stop_reply(left),
                None,
                self._on_error,
                writer=True,
                label="release",
            )
        self.beat()

    def start_reply(self, thread_id: int) -> None:
        """The user starts writing to ``thread_id``: claim it (colleagues see it)."""
        if not self.shared or self._stopped or thread_id in self.team.holding():
            return
        team = self.team

        def done(theirs: ClaimInfo | None) -> None:
            if theirs is not None:
                self.claims[thread_id] = theirs
                self.claims_changed.emit()

        self._tasks.run(
            lambda _s: team.start_reply(thread_id), done, self._on_error, writer=True, label="claim"
        )

    def claim_for(self, thread_id: int) -> ClaimInfo | None:
        return self.claims.get(thread_id)

    # --- background -------------------------------------------------------------------------------

    def beat(self) -> None:
        if self._stopped:
            return
        team = self.team
        current = self.current

        def work(_state: TaskState) -> list[Presence]:
            team.beat(current)
            return team.online()

        def done(online: list[Presence]) -> None:
            self.online = online
            self._set_online(True, "")
            self.claims_changed.emit()

        self._tasks.run(work, done, self._on_error, writer=True, label="presence")

    def refresh(self) -> None:
        """Fetch colleagues' claims, and who is online, again."""
        if self._stopped:
            return
        team = self.team

        def work(_state: TaskState) -> tuple[dict[int, ClaimInfo], list[Presence]]:
            return team.replying(None), team.online()

        def done(result: tuple[dict[int, ClaimInfo], list[Presence]]) -> None:
            self.claims, self.online = result
            self.claims_changed.emit()

        self._tasks.run(work, done, self._on_error, label="claims")

    def _on_renew(self) -> None:
        team = self.team
        if not team.holding():
            return

        def done(lost: list[int]) -> None:
            if lost:
                self.message.emit(
                    self.tr("A colleague took over a conversation you were replying to.")
                )
                self.refresh()

        self._tasks.run(lambda _s: team.keep_alive(), done, self._on_error, writer=True)

    def _on_listener_changes(self, changes: ChangeSet) -> None:
        if self._stopped:
            return
        if changes.presence:
            self.refresh()
        self.changed.emit(changes)

    def _on_listener_state(self, online: bool, detail: str) -> None:
        if self._stopped:
            return
        self._set_online(online, detail)
        if online:
            team = self.team

            def done(moved: int) -> None:
                if moved:
                    self.message.emit(
                        self.tr("%n draft(s) kept on this computer are saved again.", None, moved)
                    )

            self._tasks.run(
                lambda _s: team.flush_drafts(), done, self._on_error, writer=True, label="drafts"
            )
            self.beat()

    def _set_online(self, online: bool, detail: str) -> None:
        if online != self.is_online:
            self.is_online = online
            self.online_changed.emit(online, detail)

    def _on_error(self, exc: Exception) -> None:
        if isinstance(exc, Unreachable):
            self._set_online(False, str(exc))
        else:
            self.message.emit(str(exc))


# --- widgets ----------------------------------------------------------------------------------


class ClaimBanner(QLabel):
    """Above the thread: "Anouk is replying" while a colleague holds the thread."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claimBanner")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        c = theme.colours()
        self.setStyleSheet(
            f"QLabel#claimBanner {{ background: {c.chip_bg.name()}; color: {c.warning.name()};"
            " border-radius: 4px; padding: 4px 8px; font-weight: 600; }"
        )
        self.setVisible(False)

    def show_claim(self, claim: ClaimInfo | None) -> None:
        if claim is None:
            self.clear()
            self.setVisible(False)
            return
        who = claim.user_name or self.tr("A colleague")
        self.setText(
            self.tr("%1 is replying (since %2). What you write stays a draft.")
            .replace("%1", who)
            .replace("%2", when(claim.claimed_at))
        )
        self.setVisible(True)


class ClaimMarkDelegate(QStyledItemDelegate):
    """The queue's title cell as before, with the name of a colleague replying to it."""

    def __init__(
        self,
        inner: QStyledItemDelegate,
        claim_for: Callable[[int], ClaimInfo | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._inner = inner
        self._claim_for = claim_for

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self._inner.paint(painter, option, index)
        tid = index.data(IdRole)
        claim = self._claim_for(tid) if isinstance(tid, int) else None
        if claim is None:
            return
        c = theme.colours()
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        metrics = QFontMetrics(font)
        text = "✎ " + (claim.user_name or "?")
        width = metrics.horizontalAdvance(text) + 12
        height = metrics.height() + 4
        rect = option.rect
        chip = QRectF(rect.right() - width - 4, rect.center().y() - height / 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(c.warning)
        painter.drawRoundedRect(chip, height / 2, height / 2)
        painter.setPen(c.card)
        painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return self._inner.sizeHint(option, index)

    def helpEvent(self, event: Any, view: Any, option: QStyleOptionViewItem, index: Index) -> bool:
        return bool(self._inner.helpEvent(event, view, option, index))


class TeamIndicator(QToolButton):
    """In the status bar: the colleagues online (or that this console works alone)."""

    def __init__(self, controller: TeamController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teamIndicator")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._controller = controller
        controller.claims_changed.connect(self.update_text)
        controller.online_changed.connect(lambda *_a: self.update_text())
        self.update_text()

    def update_text(self) -> None:
        controller = self._controller
        c = theme.colours()
        self.setIcon(icons.icon("community", c.icon if controller.is_online else c.danger))
        if not controller.shared:
            self.setText(self.tr("This computer only"))
            self.setToolTip(self.tr("Set up a team database to share the queue with colleagues"))
            return
        if not controller.is_online:
            self.setText(self.tr("Team database unreachable"))
            self.setToolTip(self.tr("Drafts are kept on this computer until it is back"))
            return
        others = [p for p in controller.online if p.holder != controller.team.holder]
        self.setText(self.tr("%n colleague(s) online", None, len({p.user_name for p in others})))
        lines = [f"{p.user_name} ({p.host})" for p in others]
        lines += [
            self.tr("%1 is replying to conversation %2")
            .replace("%1", claim.user_name or "?")
            .replace("%2", str(claim.thread_id))
            for claim in controller.claims.values()
        ]
        self.setToolTip("\n".join(lines) or self.tr("No colleague is online"))


class TeamDialog(QDialog):
    """The team database: which one this console uses, and choosing another."""

    def __init__(
        self, controller: TeamController, tasks: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Team"))
        self._controller = controller
        self._tasks = tasks
        team = controller.team
        layout = QVBoxLayout(self)
        current = QLabel(self)
        current.setTextFormat(Qt.TextFormat.PlainText)
        current.setWordWrap(True)
        if team.shared:
            current.setText(
                self.tr("This console shares the team database %1.").replace(
                    "%1", team.database_label
                )
            )
        else:
            current.setText(
                self.tr(
                    "This console works on a database on this computer. A team database "
                    "(PostgreSQL) lets colleagues share one queue."
                )
            )
        layout.addWidget(current)
        names = sorted({p.user_name for p in controller.online})
        if team.shared:
            online = QLabel(self)
            online.setTextFormat(Qt.TextFormat.PlainText)
            online.setWordWrap(True)
            online.setText(
                self.tr("Online: %1").replace("%1", ", ".join(names) or self.tr("nobody else"))
            )
            layout.addWidget(online)
        form = QFormLayout()
        self.url = QLineEdit(self)
        self.url.setObjectName("teamUrl")
        self.url.setPlaceholderText(self.tr("postgresql+psycopg://ROLE@HOST/DATABASE"))
        self.url.setText(team.configured_url() or "")
        self.password = QLineEdit(self)
        self.password.setObjectName("teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("kept in the system keyring"))
        form.addRow(self.tr("Team database"), self.url)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)
        self.status = QLabel(self)
        self.status.setObjectName("teamStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.use = QPushButton(self.tr("Connect and use"), self)
        self.alone = QPushButton(self.tr("Use this computer only"), self)
        buttons.addButton(self.use, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.alone, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.use.clicked.connect(self._on_use)
        self.alone.clicked.connect(lambda: self._choose(None))
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def _on_use(self) -> None:
        url = self.url.text().strip()
        if not url:
            self.status.setText(self.tr("Enter the address of the team database."))
            return
        self._choose(url)

    def _choose(self, url: str | None) -> None:
        team = self._controller.team
        password = Secret(self.password.text()) if self.password.text() else None
        self.use.setEnabled(False)
        self.alone.setEnabled(False)
        self.status.setText(self.tr("Connecting…") if url else "")

        def done(revision: str | None) -> None:
            self.use.setEnabled(True)
            self.alone.setEnabled(True)
            self.password.clear()
            if url is None:
                self.status.setText(
                    self.tr("From the next start this console uses this computer's database.")
                )
            else:
                self.status.setText(
                    self.tr(
                        "Connected (schema %1). From the next start this console uses the team "
                        "database."
                    ).replace("%1", revision or "?")
                )

        def failed(exc: Exception) -> None:
            self.use.setEnabled(True)
            self.alone.setEnabled(True)
            self.status.setText(str(exc))

        self._tasks.run(
            lambda _s: team.choose_database(url, password), done, failed, label="team database"
        )


def attach_team(window: MainWindow) -> TeamController | None:
    """Wire presence into the window: the claim banner above the thread, colleagues' names in
    the queue, the team indicator in the status bar, claims while the user writes.

    Returns the controller (its ``changed`` signal carries colleagues' changes), or None when
    the services have no team side.
    """
    team = window.services.triage.team
    if team is None:
        return None
    controller = TeamController(team, window.tasks, window)
    banner = ClaimBanner(window.thread_pane)
    layout = window.thread_pane.layout()
    if isinstance(layout, QVBoxLayout):
        layout.insertWidget(2, banner)
    window.claim_banner = banner  # type: ignore[attr-defined]
    inner = window.table.itemDelegateForColumn(Column.TITLE)
    if isinstance(inner, QStyledItemDelegate):
        window.table.setItemDelegateForColumn(
            Column.TITLE, ClaimMarkDelegate(inner, controller.claim_for, window.table)
        )
    indicator = TeamIndicator(controller, window)
    indicator.clicked.connect(lambda: TeamDialog(controller, window.tasks, window).exec())
    window.status.addPermanentWidget(indicator)
    window.team_indicator = indicator  # type: ignore[attr-defined]

    def current_changed(current: QModelIndex, _previous: QModelIndex) -> None:
        tid = current.data(IdRole) if current.isValid() else None
        controller.set_current(tid if isinstance(tid, int) else None)
        banner.show_claim(controller.claim_for(tid) if isinstance(tid, int) else None)

    def claims_changed() -> None:
        banner.show_claim(
            controller.claim_for(controller.current) if controller.current is not None else None
        )
        window.table.viewport().update()

    def online_changed(online: bool, detail: str) -> None:
        window.status.set_online(online, detail)

    window.table.selectionModel().currentRowChanged.connect(current_changed)
    controller.claims_changed.connect(claims_changed)
    controller.online_changed.connect(online_changed)
    controller.message.connect(lambda text: window.status.showMessage(text, 8000))
    window.composer.draft_changed.connect(
        lambda tid, text: controller.start_reply(tid) if text.strip() else None
    )
    window.act.reply.triggered.connect(
        lambda: controller.start_reply(controller.current) if controller.current else None
    )
    # A signal, not an event filter on the window: a filter there would run Python (and wait for
    # the interpreter) for every event the window gets, and stop even when closing is cancelled.
    window.closing.connect(controller.stop)
    controller.start()
    return controller
