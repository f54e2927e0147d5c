"""Icons are drawn on demand, at the size and scale asked, in the colour asked."""

from __future__ import annotations

import gc

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon

from cm_console.ui import icons


def _colours(icon: QIcon, size: int, mode: QIcon.Mode = QIcon.Mode.Normal) -> set[str]:
    image = icon.pixmap(QSize(size, size), 1.0, mode).toImage()
    found = set()
    for x in range(image.width()):
        for y in range(image.height()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                found.add(pixel.name())
    return found


def test_icon_is_drawn_in_the_colour_asked_at_each_size(qapp) -> None:  # type: ignore[no-untyped-def]
    icons.clear_cache()
    red = icons.icon("sync", "#ff0000")
    for size in (16, 22, 48):
        pixmap = red.pixmap(QSize(size, size))
        assert (pixmap.width(), pixmap.height()) == (size, size)
        assert _colours(red, size) == {"#ff0000"}
    sharp = red.pixmap(QSize(24, 24), 2.0)
    assert (sharp.width(), sharp.height(), sharp.devicePixelRatio()) == (48, 48, 2.0)
    assert red.actualSize(QSize(32, 20)) == QSize(20, 20)


def test_disabled_icons_are_drawn_differently(qapp) -> None:  # type: ignore[no-untyped-def]
    icon = icons.icon("reply", QColor("#1d4ed8"))
    assert _colours(icon, 24, QIcon.Mode.Disabled) != _colours(icon, 24)


def test_icons_outlive_a_palette_change_and_many_uses(qapp) -> None:  # type: ignore[no-untyped-def]
    kept = [icons.icon(name, "#222222") for name in ("tag", "snooze", "flag", "done")]
    badge = icons.platform_icon("no-such-platform")  # the generic badge
    icons.clear_cache()
    gc.collect()
    for i in range(5_000):
        icon = kept[i % len(kept)]
        assert icon.pixmap(QSize(16 + i % 3, 16 + i % 3)).width() == 16 + i % 3
    assert not badge.pixmap(QSize(16, 16)).isNull()
    copy = QIcon(kept[0])
    copy.addPixmap(kept[1].pixmap(QSize(8, 8)))  # detaches: Qt clones the engine
    gc.collect()
    assert copy.pixmap(QSize(16, 16)).width() == 16
    assert kept[0].pixmap(QSize(16, 16)).width() == 16
