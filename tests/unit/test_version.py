"""One version, everywhere: ``cm_console.__version__`` and everything derived from it agree."""

from __future__ import annotations

import importlib.util
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

from cm_console import __version__, app

ROOT = Path(__file__).resolve().parents[2]
METAINFO = ROOT / "resources" / "desktop" / "nl.cm_console.CmConsole.metainfo.xml"


def _packaging_module(name: str) -> ModuleType:
    # packaging/ is a folder of build scripts, not a package (and "packaging" is a PyPI name).
    spec = importlib.util.spec_from_file_location(
        f"cm_console_build_{name}", ROOT / "packaging" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


version_info = _packaging_module("version_info")


def _release_key(version: str) -> tuple[int, int, int, int, int]:
    match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)(?:(a|b|rc)(\d+))?", version)
    assert match, version
    major, minor, patch = (int(match.group(i)) for i in (1, 2, 3))
    stage = {"a": 0, "b": 1, "rc": 2, None: 3}[match.group(4)]
    return major, minor, patch, stage, int(match.group(5) or 0)


def test_the_build_reads_the_package_version() -> None:
    assert version_info.read_version() == __version__


def test_pyproject_takes_the_version_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"]
    assert "version" not in project["project"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "cm_console.__version__"}


def test_command_line_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert app.run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cm-console {__version__}"


def test_metainfo_newest_release_is_this_version() -> None:
    root = ET.parse(METAINFO).getroot()
    releases = [r.get("version") or "" for r in root.iter("release")]
    assert releases, "the metainfo lists no release"
    assert releases[0] == __version__
    assert releases == sorted(releases, key=_release_key, reverse=True), "newest first"


def test_changelog_newest_entry_is_this_version() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[([^\]]+)\]", text, flags=re.MULTILINE)
    versions = [v for v in versions if v != "Unreleased"]  # changes not released yet
    assert versions, "CHANGELOG.md has no '## [VERSION]' section"
    assert versions[0] == __version__


def test_release_dates_agree() -> None:
    root = ET.parse(METAINFO).getroot()
    newest = next(root.iter("release"))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    match = re.search(rf"^## \[{re.escape(__version__)}\] - (\S+)", changelog, flags=re.MULTILINE)
    assert match, "the CHANGELOG section has no date"
    assert newest.get("date") == match.group(1)


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.12.3", (1, 12, 3, 0)),
        ("2.0.0rc2", (2, 0, 0, 2)),
        ("2.0.0b1", (2, 0, 0, 1)),
    ],
)
def test_windows_file_version_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert version_info.file_version(version) == numbers


def test_windows_version_resource_strings() -> None:
    strings = version_info.version_strings(__version__)
    assert strings["ProductVersion"] == __version__
    numbers = ".".join(str(n) for n in version_info.file_version(__version__))
    assert strings["FileVersion"] == numbers
    assert strings["OriginalFilename"] == "cm-console.exe"


def test_a_version_windows_cannot_stamp_is_refused() -> None:
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR\.PATCH"):
        version_info.file_version("1.0.post1")


def test_macos_bundle_version() -> None:
    plist = version_info.info_plist(__version__)
    assert plist["CFBundleShortVersionString"] == __version__
    assert plist["CFBundleIdentifier"] == version_info.APP_ID
    assert plist["CFBundleVersion"].count(".") == 3


def test_metainfo_id_is_the_bundle_id() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == version_info.APP_ID


def test_windows_installer_takes_its_version_from_the_program() -> None:
    iss = (ROOT / "packaging" / "windows" / "cm-console.iss").read_text(encoding="utf-8")
    assert 'GetStringFileInfo(AppExe, "ProductVersion")' in iss
    assert "AppVersion={#AppVersion}" in iss
    # No version number written into the script by hand.
    assert not re.search(r"^\s*(AppVersion|VersionInfoVersion)\s*=\s*\d", iss, flags=re.MULTILINE)
