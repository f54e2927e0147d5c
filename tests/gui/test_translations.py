"""Translations stay complete: every string of the window is in the Dutch and English .ts files
and translated, the resources embed what the .ts files say, no user-visible literal bypasses
``tr()``, and the window really speaks Dutch when asked to.

When a test here fails after a UI change: run ``packaging/build_resources.py --update-ts``,
translate what it added in ``resources/translations/`` (Qt Linguist, or by hand), then run
``packaging/build_resources.py`` again to embed the result.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QCoreApplication, QFile, QLocale, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QToolBar

from cm_console import app as app_module
from cm_console.domain.views import View
from cm_console.ui import format as ui_format
from cm_console.ui.main import prepare
from cm_console.ui.main_window import MainWindow
from cm_console.ui.queue_model import Column
from tests.gui.conftest import ui_services

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "cm_console" / "ui"
TS_DIR = ROOT / "resources" / "translations"
LANGUAGES = ("nl", "en")
PLURAL_FORMS = {"nl": 2, "en": 2}  # singular and plural, in both languages


def ts_path(lang: str, directory: Path = TS_DIR) -> Path:
    return directory / f"cm_console_{lang}.ts"


def build_resources() -> ModuleType:
    path = ROOT / "packaging" / "build_resources.py"
    spec = importlib.util.spec_from_file_location("build_resources", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ui_sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if p.name != "_resources.py")


# --- reading .ts files ---------------------------------------------------------------------------

Key = tuple[str, str, str]  # context, source, disambiguation


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    status: str
    """The translation's ``type`` attribute: empty when finished, else unfinished, vanished..."""
    forms: tuple[str, ...]

    @property
    def key(self) -> Key:
        return (self.context, self.source, self.comment)


def read_ts(path: Path) -> dict[Key, Message]:
    messages: dict[Key, Message] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for element in context.iter("message"):
            numerus = element.get("numerus") == "yes"
            translation = element.find("translation")
            if translation is None:
                status, forms = "missing", ()
            else:
                status = translation.get("type", "")
                forms = (
                    tuple(f.text or "" for f in translation.iter("numerusform"))
                    if numerus
                    else (translation.text or "",)
                )
            message = Message(
                name,
                element.findtext("source") or "",
                element.findtext("comment") or "",
                numerus,
                status,
                forms,
            )
            messages[message.key] = message
    return messages


def _mnemonics(text: str) -> int:
    return len(re.findall(r"&(?=[^&\s])", text.replace("&&", "")))


def problems(message: Message, lang: str) -> list[str]:
    """What is wrong with one message's translation (nothing when it is ready to ship)."""
    found = []
    if message.status:
        found.append(f"translation is {message.status}")
    if not message.forms or any(not form.strip() for form in message.forms):
        found.append("empty translation")
    if message.numerus:
        if len(message.forms) != PLURAL_FORMS[lang]:
            found.append(f"{len(message.forms)} plural forms, {lang} needs {PLURAL_FORMS[lang]}")
        if any("%n" not in form for form in message.forms):
            found.append("a plural form without %n")
    placeholders = sorted(re.findall(r"%\d", message.source))
    for form in message.forms:
        if sorted(re.findall(r"%\d", form)) != placeholders:
            found.append(f"placeholders differ from the source: {form!r}")
        if form.strip() and _mnemonics(form) != _mnemonics(message.source):
            found.append(f"keyboard mnemonic (&) missing or doubled: {form!r}")
    return found


def translated(messages: dict[Key, Message], context: str, source: str) -> str:
    message = messages.get((context, source, ""))
    assert message is not None, f"{context}: {source!r} is not in the .ts file"
    return message.forms[0]


# --- the .ts files against the sources ----------------------------------------------------------


def test_ts_files_hold_every_source_string_translated(tmp_path: Path) -> None:
    """lupdate over cm_console/ui into copies of the .ts files adds and drops nothing, and every
    message is translated (Dutch: all of them; English: the plural forms)."""
    for lang in LANGUAGES:
        shutil.copy(ts_path(lang), tmp_path)
    build_resources().update_ts(tmp_path)
    for lang in LANGUAGES:
        committed = read_ts(ts_path(lang))
        fresh = read_ts(ts_path(lang, tmp_path))
        missing = sorted(set(fresh) - set(committed))
        assert not missing, f"{lang}: strings missing from the .ts file: {missing}"
        stale = sorted(set(committed) - set(fresh))
        assert not stale, f"{lang}: the .ts file has strings the sources no longer use: {stale}"
        unfinished = {k: p for k, m in fresh.items() if (p := problems(m, lang))}
        assert not unfinished, f"{lang}: untranslated or broken messages: {unfinished}"
    dutch = read_ts(ts_path("nl"))
    english = read_ts(ts_path("en"))
    assert len(dutch) > 100, "lupdate found suspiciously few strings"
    assert {k for k, m in dutch.items() if m.numerus} == set(english), (
        "the English .ts should hold exactly the plural messages (English is the source language)"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_resources_embed_the_committed_translations(qapp, tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from cm_console.ui import _resources  # noqa: F401 - registers the embedded files

    compiled = build_resources().compile_qm(ts_path(lang), tmp_path).read_bytes()
    embedded = QFile(f":/translations/cm_console_{lang}.qm")
    assert embedded.open(QFile.OpenModeFlag.ReadOnly), f"no {lang} translation in the resources"
    try:
        data = bytes(embedded.readAll().data())
    finally:
        embedded.close()
    assert data == compiled, (
        f"cm_console/ui/_resources.py holds an older cm_console_{lang}.qm than the .ts file: "
        "run packaging/build_resources.py"
    )


# --- every translation call, as Python sees it --------------------------------------------------


@dataclass(frozen=True)
class TrCall:
    where: str
    context: str
    source: str
    comment: str
    plural: bool


class _TrCalls(ast.NodeVisitor):
    """Translation calls with the context they ask for at run time: ``self.tr`` the class's,
    ``QCoreApplication.translate`` its first argument, a helper function its fixed context.
    Unlike lupdate, this sees calls inside f-strings too."""

    def __init__(self, path: Path, helpers: dict[str, str]) -> None:
        self.path = path.relative_to(ROOT)
        self.helpers = helpers
        self.classes: list[str] = []
        self.calls: list[TrCall] = []
        self.errors: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if not self.classes and node.name in self.helpers:
            return  # the helper's own body passes its argument on
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        where = f"{self.path}:{node.lineno}"
        context, args = self._context(node, where)
        if context is not None:
            text = args[0] if args else None
            comment = args[1] if len(args) > 1 else None
            if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                self.errors.append(f"{where}: translation of a non-literal text")
            elif comment is not None and not (
                isinstance(comment, ast.Constant) and isinstance(comment.value, str | None)
            ):
                self.errors.append(f"{where}: non-literal disambiguation")
            else:
                self.calls.append(
                    TrCall(
                        where,
                        context,
                        text.value,
                        (comment.value or "") if isinstance(comment, ast.Constant) else "",
                        len(args) > 2 or any(k.arg == "n" for k in node.keywords),
                    )
                )
        self.generic_visit(node)

    def _context(self, node: ast.Call, where: str) -> tuple[str | None, list[ast.expr]]:
        func = node.func
        if isinstance(func, ast.Name):
            if func.id in self.helpers:
                return self.helpers[func.id], node.args
            if func.id in ("tr", "_tr"):
                self.errors.append(f"{where}: {func.id}() is not a known translation helper")
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.attr == "tr" and func.value.id == "self":
                if self.classes:
                    return self.classes[-1], node.args
                self.errors.append(f"{where}: self.tr() outside a class")
            if func.attr == "translate" and func.value.id == "QCoreApplication":
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    return first.value, node.args[1:]
                self.errors.append(f"{where}: translate() with a non-literal context")
        return None, []


def translation_calls() -> tuple[list[TrCall], list[str]]:
    sources = ui_sources()
    helpers = build_resources().translation_helpers(sources)
    calls: list[TrCall] = []
    errors: list[str] = []
    for path in sources:
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        visitor = _TrCalls(path, helpers.get(module, {}))
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        calls += visitor.calls
        errors += visitor.errors
    return calls, errors


def test_every_translation_call_has_a_dutch_translation() -> None:
    """Cross-checks lupdate: a call it cannot see (inside an f-string, a helper it does not
    know) or files under another context than the call asks for has no translation here."""
    calls, errors = translation_calls()
    assert not errors, "\n".join(errors)
    assert len(calls) > 100
    dutch = read_ts(ts_path("nl"))
    absent = []
    for call in calls:
        message = dutch.get((call.context, call.source, call.comment))
        if message is None or problems(message, "nl") or message.numerus != call.plural:
            absent.append(f"{call.where}: {call.context} {call.source!r}")
    assert not absent, "calls without a finished Dutch translation:\n" + "\n".join(absent)


# --- literals that bypass tr() -------------------------------------------------------------------

TRANSLATING = {"tr", "_tr", "translate"}
STR_METHODS = {"replace", "format", "join", "strip", "lstrip", "rstrip", "upper", "lower"}
ICON_FACTORIES = {"icon", "platform_icon", "app_icon", "QIcon", "fromTheme", "standardIcon"}
# Setter name -> positions of its text arguments (None: every positional argument).
TEXT_METHODS: dict[str, tuple[int, ...] | None] = {
    "setText": (0,),
    "setWindowTitle": (0,),
    "setPlaceholderText": (0,),
    "setToolTip": (0,),
    "setStatusTip": (0,),
    "setWhatsThis": (0,),
    "setAccessibleName": (0,),
    "setAccessibleDescription": (0,),
    "setInformativeText": (0,),
    "setDetailedText": (0,),
    "setTitle": (0,),
    "setLabelText": (0,),
    "setSpecialValueText": (0,),
    "setSuffix": (0,),
    "setPrefix": (0,),
    "setHorizontalHeaderLabels": (0,),
    "setVerticalHeaderLabels": (0,),
    "setTabText": (1,),
    "setTabToolTip": (1,),
    "setItemText": (1,),
    "addButton": (0,),
    "showMessage": None,
}
# Text after an optional leading icon: addItem(text, data) / addItem(icon, text, data).
TEXT_AFTER_ICON = {"addItem", "addAction", "addMenu"}
TEXT_WIDGETS = {
    "QLabel",
    "QPushButton",
    "QToolButton",
    "QCommandLinkButton",
    "QAction",
    "QGroupBox",
    "QRadioButton",
    "QCheckBox",
    "QToolBar",
    "QMenu",
    "QMessageBox",
    "QProgressDialog",
}
# Static dialogs: (parent, title, text/label, ...).
TEXT_DIALOGS = {"QMessageBox": (1, 2), "QInputDialog": (1, 2), "QFileDialog": (1,)}
TEXT_KEYWORDS = {"text", "title", "label", "caption", "toolTip", "placeholderText"}


def _words(text: str) -> bool:
    """Whether ``text`` has words a user reads (not just symbols, placeholders or markup)."""
    text = re.sub(r"%\d+|%n|\{[^{}]*\}|<[^<>]*>|&\w+;", "", text)
    return any(ch.isalpha() for ch in text)


def _is_translation(node: ast.expr) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id in TRANSLATING) or (
        isinstance(func, ast.Attribute) and func.attr in ("tr", "translate")
    )


def untranslated(node: ast.expr | None) -> list[ast.expr]:
    """Literals with words that reach the value of ``node`` without going through tr()."""
    if node is None:
        return []
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) and _words(node.value) else []
    if isinstance(node, ast.JoinedStr):
        found: list[ast.expr] = []
        for part in node.values:
            inner = part.value if isinstance(part, ast.FormattedValue) else part
            found += untranslated(inner)
        return found
    if isinstance(node, ast.BinOp):
        return untranslated(node.left) + untranslated(node.right)
    if isinstance(node, ast.IfExp):
        return untranslated(node.body) + untranslated(node.orelse)
    if isinstance(node, ast.BoolOp | ast.List | ast.Tuple):
        items = node.values if isinstance(node, ast.BoolOp) else node.elts
        return [bad for item in items for bad in untranslated(item)]
    if isinstance(node, ast.Call) and not _is_translation(node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in STR_METHODS:
            return untranslated(func.value) + [b for a in node.args for b in untranslated(a)]
    return []  # names, attributes and other calls carry data (or already translated text)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    return ""


def _text_arguments(node: ast.Call) -> list[ast.expr]:
    """The arguments of ``node`` that become text on screen, if it is a call that shows text."""
    func, args = node.func, node.args
    keywords = [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
    if isinstance(func, ast.Name) and func.id in TEXT_WIDGETS:
        return keywords + list(args)
    if not isinstance(func, ast.Attribute):
        return []
    owner = func.value.id if isinstance(func.value, ast.Name) else None
    if owner in TEXT_DIALOGS:
        return keywords + [args[i] for i in TEXT_DIALOGS[owner] if i < len(args)]
    if func.attr in TEXT_METHODS:
        positions = TEXT_METHODS[func.attr]
        chosen = args if positions is None else [args[i] for i in positions if i < len(args)]
        return keywords + list(chosen)
    if func.attr in TEXT_AFTER_ICON and args:
        first_is_icon = _name(args[0]) in ICON_FACTORIES or "icon" in _name(args[0]).lower()
        index = 1 if first_is_icon else 0
        return keywords + ([args[index]] if index < len(args) else [])
    if func.attr == "addRow" and len(args) == 2:
        return [args[0]]  # QFormLayout.addRow(label, field)
    return []


def literal_findings(source: str, where: str) -> list[str]:
    findings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for argument in _text_arguments(node):
                findings += [
                    f"{where}:{bad.lineno}: {ast.unparse(bad)} reaches {_name(node)}() without tr()"
                    for bad in untranslated(argument)
                ]
    return findings


CHECKER_SAMPLE = """
label.setText("Hello")  # flagged
QPushButton("Save", self)  # flagged
button = QPushButton(icons.icon("add"), "Add", self)  # flagged
QMessageBox.warning(self, "Careful", text)  # flagged
QInputDialog.getText(self, tr("Save view"), "Name:")  # flagged
self.status.showMessage(f"{count} items loaded", 3000)  # flagged
combo.addItem(icons.platform_icon(pid), "Other", pid)  # flagged
menu_bar.addMenu("&File")  # flagged
label.setToolTip(tr("Hello %1").replace("%1", "world"))  # flagged
label.setText(name or "Untitled")  # flagged
QLabel(text=f"{tr('Name')}: unknown")  # flagged
label.setText(tr("Hello"))
label.setText(self.tr("Hello") + " · " + name)
label.setText(QCoreApplication.translate("Format", "Hello"))
label.setText(f"{tr('Name')}: {value}")
label.setText(_tr("Hello") if ok else "")
combo.addItem(tr("Follow the system"), "system")
label.setText("…")
label.setText(" · ".join(parts))
label.setText("%1 / %2")
label.setText(f"<b>{html.escape(name)}</b>")
action = QAction(f"{reply.name} ({reply.language})", self)
self.url.setText(info.default_url or "")
bar.addAction(self.act.sync)
form.addRow(f"{spec.key}:", edit)
self.tasks.run(work, done, failed, label="saved view")
"""


def test_literal_checker_catches_what_it_should() -> None:
    flagged = {int(f.split(":")[1]) for f in literal_findings(CHECKER_SAMPLE, "sample")}
    expected = {
        number
        for number, line in enumerate(CHECKER_SAMPLE.splitlines(), start=1)
        if line.endswith("# flagged")
    }
    assert flagged == expected


def test_no_user_visible_literal_bypasses_tr() -> None:
    findings = []
    for path in ui_sources():
        where = str(path.relative_to(ROOT))
        findings += literal_findings(path.read_text(encoding="utf-8"), where)
    assert not findings, "wrap these in tr():\n" + "\n".join(findings)


# --- the running window --------------------------------------------------------------------------


@pytest.fixture
def translator(qapp) -> Iterator[Callable[[str], QTranslator]]:  # type: ignore[no-untyped-def]
    """Installs the embedded translation for a language; removed again after the test."""
    installed: list[QTranslator] = []

    def install(lang: str) -> QTranslator:
        from cm_console.ui import _resources  # noqa: F401 - registers the embedded files

        t = QTranslator()
        assert t.load(f":/translations/cm_console_{lang}.qm"), lang
        qapp.installTranslator(t)
        installed.append(t)
        return t

    yield install
    for t in installed:
        qapp.removeTranslator(t)


@pytest.fixture
def dutch_window(qtbot, workspace: app_module.Workspace, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The main window on the demo workspace with the language set to Dutch (as the user would,
    in the settings); the translators are removed again afterwards."""
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", "nl")
    settings.setValue("theme", "light")
    locale = QLocale()
    app = prepare(settings)
    translators = list(app.property("cm_translators"))
    try:
        win = MainWindow(ui_services(workspace, settings))
        win.skip_exit_warning = True
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.default_layout()
        win.show()
        qtbot.waitExposed(win)
        with qtbot.waitSignal(win.queue.loaded, timeout=10_000):
            win.start_without_sync()
        qtbot.waitUntil(lambda: win.thread_pane.detail is not None, timeout=10_000)
        qtbot.waitUntil(lambda: win.sidebar_model.rowCount() > 1, timeout=10_000)
        yield win
        win.sync.stop()
        assert win.tasks.wait(10_000), "background tasks still running after the test"
    finally:
        for t in translators:
            app.removeTranslator(t)
        QLocale.setDefault(locale)
    assert ui_format.tr("Unanswered") == "Unanswered", "a Dutch translator was left installed"


VIEW_SOURCES = {
    View.QUEUE: "Queue",
    View.UNANSWERED: "Unanswered",
    View.STALLED: "Stalled",
    View.AWAITING: "Awaiting us",
    View.MINE: "Mine",
    View.SNOOZED: "Snoozed",
    View.FLAGGED: "Flagged",
    View.DONE: "Done",
    View.ALL: "All",
}
TOOLBAR_TIPS = {
    "sync": "Pull new activity and send (F5)",
    "reply": "Write a reply (R)",
    "prompt": "Mention or message a colleague who could answer (P)",
    "tag": "Add or remove a tag (T)",
    "assign": "Assign to a console user (A)",
    "snooze": "Hide until a time or until someone replies (S)",
    "flag": "Flag for review with a note (F)",
    "done": "Out of the queue until someone posts again (E)",
    "open_external": "Open the conversation in the browser (O)",
}
HEADER_SOURCES = {
    Column.COMMUNITY: "Community",
    Column.TITLE: "Conversation",
    Column.AUTHOR: "Started by",
    Column.WAITING: "Waiting",
    Column.REPLIES: "Replies",
    Column.TAGS: "Tags",
    Column.ASSIGNEE: "Assignee",
}


def test_window_speaks_dutch(dutch_window: MainWindow) -> None:
    win = dutch_window
    nl = read_ts(ts_path("nl"))
    checked: list[tuple[str, str, str]] = []  # (shown, expected, English source)

    def check(shown: str, context: str, source: str) -> None:
        checked.append((shown, translated(nl, context, source), source))

    model = win.sidebar_model
    check(model.index(0, 0).data(), "Format", "Views")
    for view, source in VIEW_SOURCES.items():
        check(model.view_index(view).data(), "Format", source)

    toolbar = win.findChild(QToolBar, "mainToolbar")
    assert toolbar is not None
    on_toolbar = toolbar.actions()
    for name, source in TOOLBAR_TIPS.items():
        action = getattr(win.act, name)
        assert action in on_toolbar, name
        check(action.toolTip(), "Actions", source)
    check(win.act.reply.text(), "Actions", "&Reply")

    menus = [a.text() for a in win.menuBar().actions()]
    for shown, source in zip(menus, ("&File", "&Conversation", "&View", "&Help"), strict=True):
        check(shown, "Format", source)

    check(
        win.composer.editor.placeholderText(),
        "Format",
        "Write a reply… (Ctrl+Enter sends, Esc goes back)",
    )
    check(win.composer.send.text(), "Format", "Send")

    header = win.table.model()
    for column, source in HEADER_SOURCES.items():
        check(header.headerData(column, Qt.Orientation.Horizontal), "QueueModel", source)

    wrong = [(shown, expected) for shown, expected, _ in checked if shown != expected]
    assert not wrong, f"shown vs. the Dutch translation: {wrong}"
    # The check means something only where Dutch and English differ; most do.
    assert sum(expected != source for _, expected, source in checked) > len(checked) * 2 // 3

    # A plural in a real widget: the thread header counts the replies.
    detail = win.thread_pane.detail
    assert detail is not None
    item = detail.item
    replies = nl[("Format", "%n reply(ies)", "")]
    form = replies.forms[0 if item.reply_count == 1 else 1]
    assert form.replace("%n", str(item.reply_count)) in win.thread_pane.meta.text()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plurals_read_right_for_one_and_three(translator, lang: str) -> None:  # type: ignore[no-untyped-def]
    translator(lang)
    messages = read_ts(ts_path(lang))
    plural = [m for m in messages.values() if m.numerus]
    assert plural
    for m in plural:
        one = QCoreApplication.translate(m.context, m.source, m.comment or None, 1)
        three = QCoreApplication.translate(m.context, m.source, m.comment or None, 3)
        assert one == m.forms[0].replace("%n", "1"), m.source
        assert three == m.forms[1].replace("%n", "3"), m.source
        assert not re.search(r"\w\((s|es|ies)\)", one + three), f"{lang}: {one} / {three}"
    # And through the code that uses them.
    minutes = messages[("Format", "%n minute(s)", "")].forms
    assert ui_format.long_age(timedelta(minutes=1)) == minutes[0].replace("%n", "1")
    assert ui_format.long_age(timedelta(minutes=3)) == minutes[1].replace("%n", "3")
    assert minutes[0].replace("%n", "") != minutes[1].replace("%n", "")


def test_translation_helpers_ask_the_context_lupdate_files_them_under(translator) -> None:  # type: ignore[no-untyped-def]
    """``format.tr`` and ``actions._tr`` translate in a fixed context; extraction files their
    strings under that context, so the translation must come back at run time."""
    translator("nl")
    nl = read_ts(ts_path("nl"))
    helpers = build_resources().translation_helpers(ui_sources())
    tried = 0
    for module_name, names in helpers.items():
        module = importlib.import_module(module_name)
        for name, context in names.items():
            sample = next(
                m
                for m in nl.values()
                if m.context == context and not m.numerus and m.forms[0] != m.source
            )
            assert getattr(module, name)(sample.source) == sample.forms[0], (module_name, name)
            tried += 1
    assert tried
