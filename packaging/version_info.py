"""Everything a build stamps with the version, derived from ``cm_console/__init__.py``.

``cm_console.__version__`` is the single source: ``pyproject.toml`` reads it, ``--version`` and the
about box show it, and this module turns it into the Windows version resource, the macOS
Info.plist keys and the AppStream release that the builds and ``tests/unit/test_version.py`` use.
It reads the source file rather than importing the package, so it works before an install.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP_NAME = "cm-console"
APP_ID = "nl.cm_console.CmConsole"
DESCRIPTION = "Desktop console for community managers"
COPYRIGHT = "Copyright (C) the cm-console developers. GPL-3.0-or-later."
_RELEASE = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?$")


def read_version(init: Path = ROOT / "cm_console" / "__init__.py") -> str:
    """``__version__`` as written in the package's ``__init__.py``."""
    tree = ast.parse(init.read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise ValueError(f"no __version__ = '...' in {init}")


def file_version(version: str) -> tuple[int, int, int, int]:
    """The four numbers of a Windows file version: ``0.1.0`` is 0.1.0.0, ``1.2.0rc1`` 1.2.0.1."""
    match = _RELEASE.match(version)
    if match is None:
        raise ValueError(f"version {version!r} is not MAJOR.MINOR.PATCH[a|b|rcN]")
    major, minor, patch = (int(match.group(i)) for i in (1, 2, 3))
    pre = int(match.group(5)) if match.group(5) else 0
    return major, minor, patch, pre


def version_strings(version: str) -> dict[str, str]:
    """The string table of the Windows version resource (what Explorer shows)."""
    numbers = ".".join(str(n) for n in file_version(version))
    return {
        "CompanyName": "cm-console developers",
        "FileDescription": DESCRIPTION,
        "FileVersion": numbers,
        "InternalName": APP_NAME,
        "LegalCopyright": COPYRIGHT,
        "OriginalFilename": f"{APP_NAME}.exe",
        "ProductName": APP_NAME,
        "ProductVersion": version,
    }


def windows_version_info(version: str) -> Any:
    """PyInstaller's ``VSVersionInfo`` for ``EXE(version=...)`` (imports PyInstaller)."""
    from PyInstaller.utils.win32 import versioninfo as vi  # noqa: PLC0415 - only in builds

    numbers = file_version(version)
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            vi.StringFileInfo(
                [
                    vi.StringTable(
                        "040904B0",  # U.S. English, Unicode
                        [vi.StringStruct(k, v) for k, v in version_strings(version).items()],
                    )
                ]
            ),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0409, 1200])]),
        ],
    )


def info_plist(version: str) -> dict[str, Any]:
    """Info.plist keys for the macOS bundle (PyInstaller fills in the executable and icon)."""
    return {
        "CFBundleName": APP_NAME,
        "CFBundleDisplayName": APP_NAME,
        "CFBundleIdentifier": APP_ID,
        "CFBundleShortVersionString": version,
        "CFBundleVersion": ".".join(str(n) for n in file_version(version)),
        "CFBundleDevelopmentRegion": "en",
        "CFBundleLocalizations": ["en", "nl"],
        "LSApplicationCategoryType": "public.app-category.productivity",
        "LSMinimumSystemVersion": "12.0",
        "NSHighResolutionCapable": True,
        "NSRequiresAquaSystemAppearance": False,  # follow the system's dark mode
        "NSHumanReadableCopyright": COPYRIGHT,
    }
