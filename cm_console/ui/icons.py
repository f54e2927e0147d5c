"""Icons from the embedded SVGs, drawn in the palette's colours (crisp at any DPI).

Each icon is drawn when Qt first asks for it at a size (:class:`_SvgEngine`), not for every
size up front: start-up only draws the icons on screen, at the sizes they are shown.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QByteArray, QFile, QIODevice, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyleOption

from cm_console.ui import _resources  # noqa: F401 - registers the embedded resources

_cache: dict[tuple[str, str], QIcon] = {}
_engines: list[_SvgEngine] = []
"""Every engine handed to a QIcon. The QIcon owns the C++ side, but Qt calls the Python
methods for as long as it lives, so the Python side is kept here until Qt deletes it."""


def _svg(path: str) -> bytes | None:
    file = QFile(path)
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        return None
    try:
        return bytes(file.readAll().data())
    finally:
        file.close()


def _render(svg: bytes, size: int, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg))
    pixmap = QPixmap(max(1, round(size * ratio)), max(1, round(size * ratio)))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class _SvgEngine(QIconEngine):
    """A square SVG icon, drawn at each (size, scale, mode) the first time it is needed."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._drawn: dict[tuple[int, float, QIcon.Mode], QPixmap] = {}

    @classmethod
    def icon(cls, svg: bytes) -> QIcon:
        return QIcon(cls._kept(svg))

    @classmethod
    def _kept(cls, svg: bytes) -> _SvgEngine:
        if len(_engines) >= 256:  # forget the ones whose icons Qt has deleted
            _engines[:] = [e for e in _engines if shiboken6.isValid(e)]
        engine = cls(svg)
        _engines.append(engine)
        return engine

    def _pixmap(self, size: QSize, mode: QIcon.Mode, scale: float) -> QPixmap:
        side = max(1, min(size.width(), size.height()))
        key = (side, scale, mode)
        pixmap = self._drawn.get(key)
        if pixmap is None:
            pixmap = _render(self._svg, side, scale)
            if mode is not QIcon.Mode.Normal and mode is not QIcon.Mode.Active:
                # Disabled and selected icons as the style draws them for any other icon.
                style = QApplication.style()
                if style is not None:
                    pixmap = style.generatedIconPixmap(mode, pixmap, QStyleOption())
            self._drawn[key] = pixmap
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, _state: QIcon.State) -> QPixmap:
        return self._pixmap(size, mode, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, _state: QIcon.State, scale: float
    ) -> QPixmap:
        return self._pixmap(size, mode, scale)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self._pixmap(rect.size(), mode, ratio))

    def actualSize(self, size: QSize, _mode: QIcon.Mode, _state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return self._kept(self._svg)


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """An action icon (``resources/icons/NAME.svg``) drawn in ``color``."""
    colour = QColor(color) if color is not None else QColor("#374151")
    key = (name, colour.name(QColor.NameFormat.HexArgb))
    cached = _cache.get(key)
    if cached is not None:
        return cached
    svg = _svg(f":/icons/{name}.svg")
    if svg is None:
        return QIcon()
    svg = svg.replace(b"currentColor", colour.name().encode("ascii"))
    result = _cache[key] = _SvgEngine.icon(svg)
    return result


def platform_icon(platform: str) -> QIcon:
    """The badge of a platform (a generic one for connectors without their own)."""
    key = (f"platform:{platform}", "")
    cached = _cache.get(key)
    if cached is not None:
        return cached
    svg = _svg(f":/icons/platforms/{platform}.svg") or _svg(":/icons/platforms/generic.svg")
    result = _cache[key] = _SvgEngine.icon(svg or b"")
    return result


def app_icon() -> QIcon:
    """The application's icon, as pixmaps: window managers read it at their own sizes."""
    key = ("app", "")
    if key not in _cache:
        svg = _svg(":/icons/cm-console.svg") or b""
        app = QIcon()
        for size in (16, 24, 32, 48, 64, 128, 256):
            app.addPixmap(_render(svg, size, 1.0))
        _cache[key] = app
    return _cache[key]


def clear_cache() -> None:
    """Forget drawn icons (after a palette change)."""
    _cache.clear()
