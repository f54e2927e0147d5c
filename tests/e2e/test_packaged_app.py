"""The installable product: desktop integration files, the start-up smoke test, and the built app.

The built-app tests run against ``build/dist/cm-console/cm-console`` (``packaging/build_linux.sh``;
another path in ``CM_CONSOLE_BUILT_APP``). Without a build they are skipped, unless
``CM_CONSOLE_REQUIRE_BUILT_APP=1`` (set by ``.ci/quickstart test``, which builds first): then a
missing build fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cm_console import __version__

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = ROOT / "resources" / "desktop"
DESKTOP_FILE = DESKTOP / "cm-console.desktop"
METAINFO = DESKTOP / "nl.cm_console.CmConsole.metainfo.xml"
BUILT_APP = Path(
    os.environ.get("CM_CONSOLE_BUILT_APP") or ROOT / "build" / "dist" / "cm-console" / "cm-console"
)


def _desktop_entry() -> dict[str, str]:
    entry: dict[str, str] = {}
    group = None
    for line in DESKTOP_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            group = line.strip("[]")
        elif "=" in line and group == "Desktop Entry":
            key, _, value = line.partition("=")
            entry[key] = value
    return entry


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (.ci/quickstart test installs it)")
    return path


# --- desktop integration --------------------------------------------------------------------


def test_desktop_entry_validates() -> None:
    proc = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error" not in proc.stdout.lower()


def test_metainfo_validates() -> None:
    proc = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", "--explain", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_desktop_entry_starts_the_installed_program() -> None:
    entry = _desktop_entry()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "cm-console" in project["project"]["scripts"]
    assert entry["Exec"].split()[0] == "cm-console"
    assert entry["TryExec"] == "cm-console"
    assert entry["Icon"] == "cm-console"  # packaging/make_icons.py renders icons by this name
    # Window managers match the window to this entry through the desktop file name (Wayland
    # app_id) and the WM class; ui/main.py sets the former.
    main_py = (ROOT / "cm_console" / "ui" / "main.py").read_text(encoding="utf-8")
    assert f'setDesktopFileName("{DESKTOP_FILE.stem}")' in main_py
    assert entry["StartupWMClass"] == "cm-console"


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_metainfo_refers_to_the_desktop_entry_and_the_reference_screenshots() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("launchable") == DESKTOP_FILE.name
    assert root.findtext("provides/binary") == "cm-console"
    images = root.findall("screenshots/screenshot/image")
    assert images
    for image in images:
        name = (image.text or "").rsplit("/", 1)[-1]
        shot = DESKTOP / "screenshots" / name
        assert shot.exists(), f"{name} is not among the reference screenshots"
        assert _png_size(shot) == (int(image.get("width", 0)), int(image.get("height", 0)))
    # Every reference screenshot has the size its name says (packaging/screenshots.py).
    for shot in (DESKTOP / "screenshots").glob("*.png"):
        match = re.search(r"-(\d+)x(\d+)-", shot.name)
        assert match, shot.name
        assert _png_size(shot) == (int(match.group(1)), int(match.group(2)))


# --- the start-up smoke test, from the source tree ----------------------------------------------


def test_window_smoke_test_paints_the_queue(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CM_CONSOLE_SMOKE_TEST": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "cm_console", "--profile", str(tmp_path), "demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"smoke test passed: [1-9]\d* conversations painted", proc.stdout)


# --- the built app ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_app() -> Path:
    if not BUILT_APP.exists():
        if os.environ.get("CM_CONSOLE_REQUIRE_BUILT_APP") == "1":
            pytest.fail(f"{BUILT_APP} is missing: run packaging/build_linux.sh")
        pytest.skip(f"no built app at {BUILT_APP} (packaging/build_linux.sh makes one)")
    return BUILT_APP


def run_built(app: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(app), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
        timeout=180,
        check=False,
    )


def test_built_app_version(built_app: Path) -> None:
    proc = run_built(built_app, "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"cm-console {__version__}"


def test_built_app_finds_every_connector_through_its_entry_points(
    built_app: Path, tmp_path: Path
) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = sorted(project["project"]["entry-points"]["cm_console.connectors"])
    proc = run_built(
        built_app, "--profile", str(tmp_path), "account", "add", "nosuch", "--name", "x"
    )
    assert proc.returncode != 0
    match = re.search(r"installed: ([a-z, ]+)\)", proc.stderr)
    assert match, proc.stderr
    assert match.group(1).split(", ") == declared


def test_built_app_runs_the_migrations_from_files(built_app: Path, tmp_path: Path) -> None:
    db = tmp_path / "fresh.sqlite3"
    proc = run_built(built_app, "--profile", str(tmp_path), "--db", str(db), "db", "upgrade")
    assert proc.returncode == 0, proc.stderr
    assert "upgraded from schema none to" in proc.stdout


def test_built_app_has_the_postgresql_driver(built_app: Path, tmp_path: Path) -> None:
    # Port 1 refuses connections: the driver must be there to get as far as trying.
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    proc = run_built(built_app, "--profile", str(tmp_path), "--db", url, "queue")
    assert proc.returncode == 1
    assert "refused" in proc.stderr.lower() or "connection failed" in proc.stderr.lower(), (
        proc.stderr
    )


def test_built_app_window_paints_the_queue(built_app: Path, tmp_path: Path) -> None:
    proc = run_built(built_app, "--profile", str(tmp_path), "demo", CM_CONSOLE_SMOKE_TEST="1")
    assert proc.returncode == 0, proc.stderr
    assert "smoke test passed" in proc.stdout


def test_built_app_contents(built_app: Path) -> None:
    internal = built_app.parent / "_internal"
    names = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    # PySide6-Essentials only: nothing from Addons, no QML, no GTK pulled in by a theme plugin.
    unwanted = re.compile(
        r"WebEngine|Qt6Quick|Qt6Qml|Qt6Pdf|Qt6Charts|Qt6Multimedia|libgtk-3|libqgtk3"
    )
    assert not [n for n in names if unwanted.search(n)]
    # Qt's own translations: only the languages the console speaks.
    qms = [Path(n).stem for n in names if n.startswith("PySide6/Qt/translations/")]
    assert qms, "Qt's translations are missing"
    assert all(q.endswith(("_en", "_nl")) for q in qms), qms
    # The platform plugins a desktop needs, and the offscreen one the smoke test uses.
    for plugin in ("libqxcb.so", "libqwayland.so", "libqoffscreen.so"):
        assert f"PySide6/Qt/plugins/platforms/{plugin}" in names, plugin
    # Alembic reads the migrations as files.
    assert any(
        re.fullmatch(r"cm_console/store/migrations/versions/\d{4}_\w+\.py", n) for n in names
    )
    # The about box reads licences from the bundled metadata, licence files included.
    dist_infos = {n.split("/")[0].lower() for n in names if ".dist-info" in n}
    for dist in (
        "cm_console",
        "pyside6_essentials",
        "shiboken6",
        "sqlalchemy",
        "alembic",
        "requests",
        "keyring",
        "cryptography",
        "nh3",
    ):
        assert any(d.startswith(dist + "-") for d in dist_infos), dist
    assert any(re.search(r"sqlalchemy-[^/]+\.dist-info/licenses/LICENSE$", n, re.I) for n in names)
    assert "cm_console-" + __version__ + ".dist-info/entry_points.txt" in names


def test_built_app_about_box_lists_what_was_bundled(built_app: Path) -> None:
    # The about box reads importlib.metadata; in the frozen app only the bundle's dist-info
    # folders are on sys.path. Run its component list against exactly those.
    internal = built_app.parent / "_internal"
    code = (
        "import json, sys\n"
        "from cm_console.ui import about\n"
        f"sys.path[:] = [{str(internal)!r}]\n"
        "print(json.dumps([[c.name, c.licence, bool(c.licence_text())] "
        "for c in about.bundled_components()]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
        check=True,
    )
    rows = {
        name.lower().replace("_", "-"): (licence, has_text)
        for name, licence, has_text in json.loads(proc.stdout)
    }
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
        "msal",
        "msal-extensions",
        "cryptography",
        "nh3",
    ):
        assert name in rows, name
    assert rows["pyside6-essentials"][0].startswith("LGPL-3.0-only")
    assert rows["sqlalchemy"] == ("MIT", True)
    # A requirement whose code was not frozen (pyqtgraph, while nothing imports it) is not listed.
    frozen = {p.name.lower() for p in internal.iterdir()}
    for name in ("pyqtgraph", "numpy"):
        assert (name in rows) == (name in frozen), name
