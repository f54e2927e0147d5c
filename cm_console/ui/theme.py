"""Light and dark palettes (following the system by default) and the colours delegates use."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from cm_console.ui import icons


class ThemeMode(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True)
class Colours:
    """Semantic colours for delegates and the thread pane, per palette."""

    dark: bool
    text: QColor
    muted: QColor
    accent: QColor
    danger: QColor
    warning: QColor
    ok: QColor
    chip_bg: QColor
    chip_text: QColor
    team_bg: QColor
    card: QColor
    quote: QColor
    icon: QColor


_LIGHT = Colours(
    dark=False,
    text=QColor("#111827"),
    muted=QColor("#6B7280"),
    accent=QColor("#4F46E5"),
    danger=QColor("#DC2626"),
    warning=QColor("#B45309"),
    ok=QColor("#047857"),
    chip_bg=QColor("#EEF2FF"),
    chip_text=QColor("#3730A3"),
    team_bg=QColor("#ECFDF3"),
    card=QColor("#F6F7F9"),
    quote=QColor("#E5E7EB"),
    icon=QColor("#374151"),
)
_DARK = Colours(
    dark=True,
    text=QColor("#E5E7EB"),
    muted=QColor("#9CA3AF"),
    accent=QColor("#818CF8"),
    danger=QColor("#F87171"),
    warning=QColor("#FBBF24"),
    ok=QColor("#34D399"),
    chip_bg=QColor("#312E81"),
    chip_text=QColor("#E0E7FF"),
    team_bg=QColor("#0E2A1F"),
    card=QColor("#22262D"),
    quote=QColor("#374151"),
    icon=QColor("#D1D5DB"),
)

_current = _LIGHT


def colours() -> Colours:
    """The colours of the palette in force."""
    return _current


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, alt = QColor("#1F2329"), QColor("#181B20"), QColor("#22262D")
    text = QColor("#E5E7EB")
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    p.setColor(role.Window, window)
    p.setColor(role.WindowText, text)
    p.setColor(role.Base, base)
    p.setColor(role.AlternateBase, alt)
    p.setColor(role.ToolTipBase, QColor("#2D323A"))
    p.setColor(role.ToolTipText, text)
    p.setColor(role.PlaceholderText, QColor("#7C8491"))
    p.setColor(role.Text, text)
    p.setColor(role.Button, QColor("#2A2F37"))
    p.setColor(role.ButtonText, text)
    p.setColor(role.BrightText, QColor("#FFFFFF"))
    p.setColor(role.Highlight, QColor("#4F46E5"))
    p.setColor(role.HighlightedText, QColor("#FFFFFF"))
    p.setColor(role.Link, QColor("#A5B4FC"))
    p.setColor(role.LinkVisited, QColor("#C4B5FD"))
    p.setColor(role.Mid, QColor("#3A404A"))
    p.setColor(role.Midlight, QColor("#333842"))
    p.setColor(role.Dark, QColor("#111317"))
    p.setColor(role.Shadow, QColor("#000000"))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#6B7280"))
    return p


def _light_palette() -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    p.setColor(role.Window, QColor("#F3F4F6"))
    p.setColor(role.WindowText, QColor("#111827"))
    p.setColor(role.Base, QColor("#FFFFFF"))
    p.setColor(role.AlternateBase, QColor("#F9FAFB"))
    p.setColor(role.ToolTipBase, QColor("#FFFFFF"))
    p.setColor(role.ToolTipText, QColor("#111827"))
    p.setColor(role.PlaceholderText, QColor("#9CA3AF"))
    p.setColor(role.Text, QColor("#111827"))
    p.setColor(role.Button, QColor("#FFFFFF"))
    p.setColor(role.ButtonText, QColor("#111827"))
    p.setColor(role.Highlight, QColor("#4F46E5"))
    p.setColor(role.HighlightedText, QColor("#FFFFFF"))
    p.setColor(role.Link, QColor("#4338CA"))
    p.setColor(role.Mid, QColor("#D1D5DB"))
    p.setColor(role.Midlight, QColor("#E5E7EB"))
    p.setColor(role.Dark, QColor("#9CA3AF"))
    for r in (role.Text, role.WindowText, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor("#9CA3AF"))
    return p


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


_STYLE = """
QToolBar {{ border: none; spacing: 2px; padding: 2px 6px; }}
QTreeView#sidebar {{ border: none; background: {sidebar}; }}
QTreeView#sidebar::item {{ padding: 3px 2px; }}
QTableView#queue {{ border: none; }}
QHeaderView::section {{ padding: 4px 6px; border: none;
    border-bottom: 1px solid {line}; background: {header}; }}
QSplitter::handle {{ background: {line}; }}
QLabel#threadTitle {{ font-size: 15pt; font-weight: 600; }}
QLabel#threadMeta, QLabel#muted {{ color: {muted}; }}
QFrame#reasons {{ background: {reasons}; border-radius: 6px; }}
QStatusBar {{ border-top: 1px solid {line}; }}
QLineEdit#search {{ padding: 4px 8px; border-radius: 6px; border: 1px solid {line}; }}
"""


def apply(app: QApplication, mode: ThemeMode) -> Colours:
    """Apply the palette for ``mode`` and return its colours."""
    global _current  # noqa: PLW0603 - one palette per application, set here only
    app.setStyle("Fusion")
    dark = mode is ThemeMode.DARK or (mode is ThemeMode.SYSTEM and system_prefers_dark())
    app.setPalette(_dark_palette() if dark else _light_palette())
    _current = _DARK if dark else _LIGHT
    line = "#2E333B" if dark else "#E5E7EB"
    app.setStyleSheet(
        _STYLE.format(
            sidebar="#1B1F24" if dark else "#EEF0F4",
            line=line,
            header="#1F2329" if dark else "#F9FAFB",
            muted=_current.muted.name(),
            reasons="#2A2440" if dark else "#EEF2FF",
        )
    )
    icons.clear_cache()
    return _current
