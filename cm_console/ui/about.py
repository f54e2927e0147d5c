"""The about box: the version, and the licences of the components the console is built from.

Components are read at run time from the installed distributions' metadata (``importlib.metadata``),
starting at cm-console's own requirements. An installed console lists what its environment holds;
the packaged app lists exactly what the build bundled, because the build ships the metadata (with
the licence files) of every distribution whose code it froze and nothing else.
"""

from __future__ import annotations

import platform
import re
from collections import deque
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    qVersion,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cm_console import __version__
from cm_console.ui import icons

Index = QModelIndex | QPersistentModelIndex
APP_DISTRIBUTION = "cm-console"
_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRAS = re.compile(r"\[([^\]]*)\]")
_EXTRA_MARKER = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")
_LICENCE_FILE = re.compile(r"(licen[cs]e|copying|notice|authors)", re.IGNORECASE)


@dataclass(frozen=True)
class Component:
    """One bundled distribution as its metadata describes it."""

    name: str
    version: str
    licence: str
    homepage: str
    licence_files: tuple[str, ...]

    def licence_text(self) -> str:
        """The licence files shipped in the distribution's metadata, concatenated."""
        try:
            dist = metadata.distribution(self.name)
        except metadata.PackageNotFoundError:
            return ""
        texts = []
        for path in dist.files or ():
            if str(path) in self.licence_files:
                try:
                    texts.append(f"== {path.name} ==\n\n{path.read_text(encoding='utf-8')}")
                except (OSError, UnicodeDecodeError):
                    continue
        return "\n\n".join(texts)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(md: Any) -> str:
    """The licence as the metadata states it: the SPDX expression, a short ``License`` field,
    or the trove classifiers; empty when the distribution does not say."""
    expression = (md.get("License-Expression") or "").strip()
    if expression:
        return str(expression)
    field = (md.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 80:
        return str(field)
    classifiers = [
        c.split("::")[-1].strip()
        for c in md.get_all("Classifier") or ()
        if c.startswith("License ::") and c.count("::") >= 2
    ]
    if classifiers:
        return " / ".join(classifiers)
    return str(field.splitlines()[0]) if field else ""


def _homepage(md: Any) -> str:
    for entry in md.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"homepage", "home", "source", "repository"}:
            return url.strip()
    return str(md.get("Home-page") or "")


def _requirements(dist: metadata.Distribution, extras: set[str]) -> list[tuple[str, set[str]]]:
    """Names (with requested extras) a distribution requires, for the extras asked of it.

    Environment markers other than ``extra`` are not evaluated: a requirement counts when it is
    installed, which is what "bundled" means here.
    """
    out = []
    for requirement in dist.requires or ():
        spec, _, marker = requirement.partition(";")
        extra = _EXTRA_MARKER.search(marker)
        if extra is not None and _canonical(extra.group(1)) not in extras:
            continue
        name = _NAME.match(spec)
        if name is None:
            continue
        wanted = _EXTRAS.search(spec)
        asked = {_canonical(e) for e in wanted.group(1).split(",")} if wanted else set()
        out.append((name.group(1), asked))
    return out


def bundled_components(root: str = APP_DISTRIBUTION) -> list[Component]:
    """Every installed distribution ``root`` needs, directly or not, sorted by name."""
    seen: dict[str, Component] = {}
    queue: deque[tuple[str, set[str]]] = deque([(root, set())])
    expanded: dict[str, set[str]] = {}
    while queue:
        name, extras = queue.popleft()
        key = _canonical(name)
        if key in expanded and extras <= expanded[key]:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        expanded[key] = expanded.get(key, set()) | extras
        md = dist.metadata
        if key not in seen:
            files = tuple(
                str(path)
                for path in dist.files or ()
                if path.parts
                and path.parts[0].endswith(".dist-info")
                and _LICENCE_FILE.search(path.name)
            )
            seen[key] = Component(
                name=str(md["Name"]),
                version=str(md["Version"]),
                licence=licence_of(md),
                homepage=_homepage(md),
                licence_files=files,
            )
        queue.extend(_requirements(dist, expanded[key]))
    seen.pop(_canonical(root), None)
    return sorted(seen.values(), key=lambda c: c.name.lower())


def app_licence() -> str:
    try:
        return licence_of(metadata.distribution(APP_DISTRIBUTION).metadata)
    except metadata.PackageNotFoundError:
        return ""


class ComponentsModel(QAbstractTableModel):
    """Bundled components: name, version, licence."""

    ComponentRole = Qt.ItemDataRole.UserRole + 1
    COLUMNS = 3

    def __init__(self, components: list[Component], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = list(components)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, row.version, row.licence or self.tr("not stated"))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.homepage or None
        if role == self.ComponentRole:
            return row
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < self.COLUMNS
        ):
            return (self.tr("Component"), self.tr("Version"), self.tr("Licence"))[section]
        return None


class AboutDialog(QDialog):
    """Version, licence, and every bundled component with its licence text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about")
        self.setWindowTitle(self.tr("About cm-console"))
        self.resize(720, 560)
        icon = QLabel(self)
        icon.setPixmap(icons.app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        licence = app_licence()
        lines = [
            f"<h2>cm-console {__version__}</h2>",
            "<p>"
            + self.tr("One queue for the conversations waiting on your internal social platforms.")
            + "</p>",
        ]
        if licence:
            lines.append("<p>" + self.tr("Licence: %1").replace("%1", licence) + "</p>")
        running = self.tr("Running on Qt %1 and Python %2")
        lines.append(
            "<p>"
            + running.replace("%1", qVersion()).replace("%2", platform.python_version())
            + "</p>"
        )
        self.title.setText("".join(lines))
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addWidget(self.title, 1)
        intro = QLabel(self.tr("Built with these components, each under its own licence:"), self)
        intro.setWordWrap(True)
        self.model = ComponentsModel(bundled_components(), self)
        self.table = QTableView(self)
        self.table.setObjectName("components")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.licence_text = QPlainTextEdit(self)
        self.licence_text.setObjectName("licenceText")
        self.licence_text.setReadOnly(True)
        self.licence_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.licence_text)
        splitter.setSizes([260, 200])
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(box)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        if self.model.rowCount():
            self.table.selectRow(0)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        component = current.data(ComponentsModel.ComponentRole) if current.isValid() else None
        if not isinstance(component, Component):
            self.licence_text.clear()
            return
        text = component.licence_text()
        if not text:
            text = self.tr(
                "%1 does not ship its licence text in its package metadata. Its licence is %2; "
                "the full text is published at %3."
            )
            text = (
                text.replace("%1", component.name)
                .replace("%2", component.licence or self.tr("not stated"))
                .replace("%3", component.homepage or self.tr("the project's website"))
            )
        self.licence_text.setPlainText(text)
