"""The about box: the version and the bundled components' licences, read from package metadata."""

from __future__ import annotations

from email.message import Message
from importlib import metadata

import pytest
from PySide6.QtCore import Qt

from cm_console import __version__
from cm_console.ui import about
from cm_console.ui.about import AboutDialog, ComponentsModel


def _metadata(**fields: str | list[str]) -> Message:
    md = Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            md[key.replace("_", "-")] = item
    return md


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"License_Expression": "MIT", "License": "ignored"}, "MIT"),
        (
            {"License": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"},
            "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only",
        ),
        (
            {
                "Classifier": [
                    "Programming Language :: Python",
                    "License :: OSI Approved :: MIT License",
                ]
            },
            "MIT License",
        ),
        # A whole licence text in the License field is not a name: the classifiers say it better.
        (
            {
                "License": "Copyright (c) someone\n\nPermission is hereby granted…",
                "Classifier": "License :: OSI Approved :: BSD License",
            },
            "BSD License",
        ),
        (
            {"License": "Copyright (c) someone\n\nPermission is hereby granted…"},
            "Copyright (c) someone",
        ),
        ({}, ""),
    ],
)
def test_licence_as_the_metadata_states_it(
    fields: dict[str, str | list[str]], expected: str
) -> None:
    assert about.licence_of(_metadata(**fields)) == expected


def test_components_come_from_the_installed_metadata() -> None:
    components = {c.name.lower().replace("_", "-"): c for c in about.bundled_components()}
    # cm-console's direct requirements, and what they pull in (PySide6 brings shiboken6).
    for name in (
        "pyside6-essentials",
        "shiboken6",
        "sqlalchemy",
        "alembic",
        "requests",
        "urllib3",
        "keyring",
        "platformdirs",
        "psycopg",
        "psycopg-binary",
        "msal",
        "msal-extensions",
        "cryptography",
        "markdown-it-py",
        "nh3",
    ):
        assert name in components, name
        component = components[name]
        assert component.version == metadata.version(component.name)
    assert "cm-console" not in components  # the app itself is the about box's heading
    assert "LGPL-3.0" in components["pyside6-essentials"].licence
    assert components["sqlalchemy"].licence == "MIT"
    # Test-only packages are not part of the product.
    assert "pytest" not in components
    assert "pytest-qt" not in components


def test_licence_text_comes_from_the_distribution() -> None:
    (sqlalchemy,) = [c for c in about.bundled_components() if c.name.lower() == "sqlalchemy"]
    assert any(f.endswith("LICENSE") for f in sqlalchemy.licence_files)
    assert "Permission is hereby granted" in sqlalchemy.licence_text()


def test_components_model(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ComponentsModel(about.bundled_components())
    qtmodeltester.check(model, force_py=True)
    assert model.columnCount() == 3
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Licence"


def test_about_box_shows_version_and_components(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert f"cm-console {__version__}" in dialog.title.text()
    assert "GPL-3.0-or-later" in dialog.title.text()
    names = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
    assert "SQLAlchemy" in names
    # Selecting a component shows its licence text, or where to find it.
    row = names.index("SQLAlchemy")
    dialog.table.selectRow(row)
    assert "Permission is hereby granted" in dialog.licence_text.toPlainText()
    row = [n.lower() for n in names].index("pyside6_essentials")
    dialog.table.selectRow(row)
    text = dialog.licence_text.toPlainText()
    assert "LGPL-3.0-only" in text and "pyside.org" in text
