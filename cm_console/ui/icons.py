"""Icons from the embedded SVGs, drawn in the palette's colours (crisp at any DPI)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QFile, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from cm_console.ui import _resources  # noqa: F401 - registers the embedded resources

_SIZES = (16, 20, 24, 32, 48)
_cache: dict[tuple[str, str], QIcon] = {}


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
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def _build(svg: bytes) -> QIcon:
    icon = QIcon()
    for size in _SIZES:
        for ratio in (1.0, 2.0):
            icon.addPixmap(_render(svg, size, ratio))
    return icon


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
    result = _cache[key] = _build(svg)
    return result


def platform_icon(platform: str) -> QIcon:
    """The badge of a platform (a generic one for connectors without their own)."""
    key = (f"platform:{platform}", "")
    cached = _cache.get(key)
    if cached is not None:
        return cached
    svg = _svg(f":/icons/platforms/{platform}.svg") or _svg(":/icons/platforms/generic.svg")
    result = _cache[key] = _build(svg or b"")
    return result


def app_icon() -> QIcon:
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
