"""Every command of the window as a QAction with its shortcut: keyboard first, mouse too."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from cm_console.ui import icons, theme


def _tr(text: str) -> str:
    return QCoreApplication.translate("Actions", text)


class Actions(QObject):
    """The window's actions, created once; the window connects and places them."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        colour = theme.colours().icon

        def make(
            text: str,
            keys: list[str] | QKeySequence.StandardKey | None = None,
            icon: str | None = None,
            tip: str | None = None,
        ) -> QAction:
            action = QAction(text, parent)
            if icon:
                action.setIcon(icons.icon(icon, colour))
            if isinstance(keys, QKeySequence.StandardKey):
                action.setShortcut(QKeySequence(keys))
            elif keys:
                action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if tip:
                action.setToolTip(tip)
                action.setStatusTip(tip)
            return action

        self.next = make(_tr("Next conversation"), ["J"])
        self.previous = make(_tr("Previous conversation"), ["K"])
        self.reply = make(_tr("&Reply"), ["R"], "reply", _tr("Write a reply (R)"))
        self.tag = make(_tr("&Tag…"), ["T"], "tag", _tr("Add or remove a tag (T)"))
        self.prompt = make(
            _tr("&Ask a colleague…"),
            ["P"],
            "prompt",
            _tr("Mention or message a colleague who could answer (P)"),
        )
        self.snooze = make(
            _tr("&Snooze…"), ["S"], "snooze", _tr("Hide until a time or until someone replies (S)")
        )
        self.flag = make(_tr("&Flag…"), ["F"], "flag", _tr("Flag for review with a note (F)"))
        self.done = make(
            _tr("&Done"), ["E"], "done", _tr("Out of the queue until someone posts again (E)")
        )
        self.reopen = make(_tr("Re&open"), ["Shift+E"], None, _tr("Back into the queue"))
        self.assign = make(_tr("A&ssign…"), ["A"], "assign", _tr("Assign to a console user (A)"))
        self.open_external = make(
            _tr("&Open on the platform"),
            ["O"],
            "open-external",
            _tr("Open the conversation in the browser (O)"),
        )
        self.mention = make(
            _tr("&Mention…"), ["Ctrl+M"], None, _tr("Insert a mention in the reply")
        )
        self.search = make(
            _tr("&Filter…"),
            ["/", QKeySequence(QKeySequence.StandardKey.Find).toString()],
            "search",
            _tr("Filter the queue by words (/)"),
        )
        self.focus_queue = make(_tr("Back to the queue"), ["Esc"])
        self.sync = make(_tr("S&ync now"), ["F5"], "sync", _tr("Pull new activity and send (F5)"))
        self.why = make(_tr("&Why is this here?"), ["W"], "info")
        self.shortcuts = make(_tr("&Keyboard shortcuts"), ["?", "F1"], "keyboard")
        self.accounts = make(_tr("&Accounts…"), ["Ctrl+Shift+A"], "community")
        self.settings = make(_tr("&Settings…"), ["Ctrl+,"], "settings")
        self.outbox = make(_tr("&Outbox…"), ["Ctrl+Shift+O"], "outbox")
        self.save_view = make(_tr("Save this &view…"), ["Ctrl+Shift+S"], "saved-view")
        self.quit = make(_tr("&Quit"), QKeySequence.StandardKey.Quit)
        self.about = make(_tr("&About cm-console"))
        self.views: list[QAction] = []

    def triage(self) -> list[QAction]:
        """Actions that work on the selected conversations (disabled when none is)."""
        return [
            self.reply,
            self.tag,
            self.prompt,
            self.snooze,
            self.flag,
            self.done,
            self.reopen,
            self.assign,
            self.open_external,
            self.why,
        ]

    def shortcut_list(self) -> list[tuple[str, QKeySequence]]:
        listed = [
            self.next,
            self.previous,
            self.reply,
            self.tag,
            self.prompt,
            self.snooze,
            self.flag,
            self.done,
            self.reopen,
            self.assign,
            self.open_external,
            self.mention,
            self.search,
            self.focus_queue,
            self.sync,
            self.why,
            self.shortcuts,
            self.accounts,
            self.settings,
            self.outbox,
            self.save_view,
            *self.views,
            self.quit,
        ]
        out = [(a.text(), a.shortcut()) for a in listed if not a.shortcut().isEmpty()]
        out.insert(11, (_tr("Send the reply"), QKeySequence("Ctrl+Return")))
        return out
