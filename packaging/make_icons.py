"""Render the app icon (resources/icons/cm-console.svg) for each platform with Qt's SVG renderer.

    .venv/bin/python packaging/make_icons.py [OUT_DIR]     # default: build/icons

Writes:

- ``hicolor/SIZExSIZE/apps/cm-console.png`` for 16…512 and ``hicolor/scalable/apps/cm-console.svg``
  (the freedesktop icon theme layout, for Linux packages),
- ``cm-console.ico`` (Windows: 16…256 in one file, PNG-compressed entries, Vista and later),
- ``cm-console.icns`` (macOS: 16…1024 including the @2x variants, PNG entries) and the
  ``cm-console.iconset`` folder that Apple's ``iconutil -c icns`` turns into the same file.

The ICO and ICNS containers are written here (a few bytes of header per image) because Qt's
writers store a single image per file.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "cm-console.svg"
NAME = "cm-console"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (several types share a size: @2x variants).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
ICONSET = (
    ("icon_16x16.png", 16),
    ("icon_16x16@2x.png", 32),
    ("icon_32x32.png", 32),
    ("icon_32x32@2x.png", 64),
    ("icon_128x128.png", 128),
    ("icon_128x128@2x.png", 256),
    ("icon_256x256.png", 256),
    ("icon_256x256@2x.png", 512),
    ("icon_512x512.png", 512),
    ("icon_512x512@2x.png", 1024),
)


@dataclass(frozen=True)
class Icons:
    """Where the rendered icons are."""

    out: Path

    @property
    def ico(self) -> Path:
        return self.out / f"{NAME}.ico"

    @property
    def icns(self) -> Path:
        return self.out / f"{NAME}.icns"

    @property
    def iconset(self) -> Path:
        return self.out / f"{NAME}.iconset"

    def png(self, size: int) -> Path:
        return self.out / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at ``size``×``size`` pixels as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: PLC0415
    from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_png.app = QGuiApplication([])  # type: ignore[attr-defined]
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise SystemExit(f"could not encode {size}px PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file with one PNG-compressed image per size (256 is stored as 0 in the header)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = [], []
    for size in sizes:
        blob = pngs[size]
        dim = 0 if size >= 256 else size
        entries.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return header + b"".join(entries) + b"".join(blobs)


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file: the PNG element types from 16 to 1024 pixels."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_all(out: Path, svg: Path = SVG) -> Icons:
    """Render every icon file into ``out`` and return where they are."""
    icons = Icons(out)
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(s for _k, s in ICNS_TYPES)})
    pngs = {size: render_png(svg, size) for size in sizes}
    for size in PNG_SIZES:
        path = icons.png(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
    scalable = out / "hicolor" / "scalable" / "apps" / f"{NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    icons.ico.write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    icons.icns.write_bytes(icns_bytes(pngs))
    icons.iconset.mkdir(parents=True, exist_ok=True)
    for name, size in ICONSET:
        (icons.iconset / name).write_bytes(pngs[size])
    return icons


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    icons = render_all(out)
    print(f"wrote {icons.ico}, {icons.icns}, {icons.iconset} and {out / 'hicolor'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
