"""Translations: English (the source language) and Dutch, compiled into the resources."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from cm_console.ui import _resources  # noqa: F401 - registers the embedded .qm files

LANGUAGES = {"en": "English", "nl": "Nederlands"}


def choose(preference: str | None) -> str:
    """The language to use: the saved preference, else the system's when we have it, else en."""
    if preference in LANGUAGES:
        return preference
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else "en"


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the console's and Qt's own translators for ``language``; returns them (keep a
    reference, or they are collected)."""
    QLocale.setDefault(QLocale(language))
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    if ours.load(f":/translations/cm_console_{language}.qm"):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(
        QLocale(language),
        "qtbase",
        "_",
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
    ):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
