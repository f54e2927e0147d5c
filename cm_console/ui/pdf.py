"""PDF from an export's print HTML, with Qt's own PDF writer (QTextDocument on QPdfWriter).

A4 with generous margins, the document's own type sizes, and a footer on every page with the
document title and "Page n of N". The HTML comes from
:func:`cm_console.reports.document.render_html` (``for_print=True``): sanitized, loading nothing.
The document used here never loads resources either (:class:`SafeDocument`), so nothing in the
HTML can reach a file or the network while the PDF is made.

The command line gets :func:`render_pdf` from the composition root; it starts an offscreen
QGuiApplication when there is none (fonts need one), so it works without a display.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from cm_console.ui.thread_view import SafeDocument

PAGE_LABEL = re.compile(r'<meta name="page-label" content="([^"]*)">')
RESOLUTION = 300
_app: QGuiApplication | None = None


def _ensure_application() -> None:
    global _app  # noqa: PLW0603 - one application per process, made only when none exists
    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["cm-console", "-platform", "offscreen"])


def render_pdf(html: str, path: str) -> None:
    """Write ``html`` (an export's print variant) as a paginated PDF to ``path``."""
    _ensure_application()
    match = PAGE_LABEL.search(html)
    label = match.group(1) if match else "{n} / {total}"
    writer = QPdfWriter(path)
    writer.setResolution(RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(20, 16, 20, 14), QPageLayout.Unit.Millimeter)
    writer.setCreator("cm-console")
    requests: list[str] = []
    document = SafeDocument(requests)
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(QFont("DejaVu Sans", 10))
    document.setDocumentMargin(0)
    document.setHtml(html)
    title = document.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
    writer.setTitle(title)
    area = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer = RESOLUTION * 0.45  # about 11 mm for the rule and the page number
    width, height = float(area.width()), float(area.height()) - footer
    document.setPageSize(QSizeF(width, height))
    pages = document.pageCount()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write a PDF to {path}")
    try:
        footer_font = QFont("DejaVu Sans", 8)
        for page in range(pages):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * height)
            document.drawContents(painter, QRectF(0, page * height, width, height))
            painter.restore()
            painter.save()
            painter.setPen(QPen(QColor("#D1D5DB"), RESOLUTION / 150))
            top = height + footer * 0.35
            painter.drawLine(0, int(top), int(width), int(top))
            painter.setPen(QColor("#6B7280"))
            painter.setFont(footer_font)
            box = QRectF(0, top, width, footer - footer * 0.35)
            painter.drawText(
                box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title
            )
            painter.drawText(
                box,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label.replace("{n}", str(page + 1)).replace("{total}", str(pages)),
            )
            painter.restore()
    finally:
        painter.end()
