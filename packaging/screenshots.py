"""Render reference screenshots of the demo workspace for the README and the AppStream metainfo.

    .venv/bin/python packaging/screenshots.py [--out resources/desktop/screenshots]

Every combination of size (1280×800, 1920×1080), theme (light, dark) and language (English,
Dutch) is drawn offscreen from a fresh demo workspace whose clock stands at a fixed instant, so
re-running after a change to the window gives comparable pictures. Dutch is skipped (with a note)
while no Dutch translation is compiled into the resources: the pictures would show English.
Files are named ``main-WIDTHxHEIGHT-THEME-LANG.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "desktop" / "screenshots"
NOW = datetime(2026, 11, 27, 10, 30, tzinfo=UTC)  # a Friday morning: a full queue
SIZES = ((1280, 800), (1920, 1080))
THEMES = ("light", "dark")
LANGUAGES = ("en", "nl")


def shot_name(size: tuple[int, int], theme: str, language: str) -> str:
    return f"main-{size[0]}x{size[1]}-{theme}-{language}.png"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go")
    args = parser.parse_args(argv)

    # Qt and the app are imported only now: QT_QPA_PLATFORM must be set first.
    from PySide6.QtCore import QFile, QSettings  # noqa: PLC0415

    from cm_console import app as app_module  # noqa: PLC0415
    from cm_console import config  # noqa: PLC0415
    from cm_console.ui import theme, welcome  # noqa: PLC0415
    from cm_console.ui.main import prepare  # noqa: PLC0415
    from cm_console.ui.main_window import MainWindow  # noqa: PLC0415

    args.out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cmc-shots-") as tmp:
        paths = config.Paths(Path(tmp) / "profile")
        ws = app_module.open_workspace(
            f"sqlite:///{tmp}/demo.sqlite3", paths, app_module.fixed_clock(NOW)
        )
        try:
            ws.demo.create()
            settings = QSettings(str(paths.ui_settings), QSettings.Format.IniFormat)
            settings.setValue("language", "en")
            settings.setValue("theme", "light")
            app = prepare(settings)
            for language in LANGUAGES:
                welcome.switch_language(language)
                if language != "en" and not QFile.exists(
                    f":/translations/cm_console_{language}.qm"
                ):
                    print(
                        f"skipped {language}: no cm_console_{language}.qm in the resources "
                        "(add resources/translations/*.ts and run packaging/build_resources.py)"
                    )
                    continue
                for mode in THEMES:
                    theme.apply(app, theme.ThemeMode(mode))
                    for size in SIZES:
                        path = args.out / shot_name(size, mode, language)
                        services = app_module.ui_services(ws, settings, is_demo=True)
                        _shoot(app, MainWindow(services), size, path)
                        written.append(path)
        finally:
            ws.close()
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


def _wait_until(app: Any, condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def _shoot(app: Any, window: Any, size: tuple[int, int], path: Path) -> None:
    """Show ``window`` at ``size``, wait until the queue and the first thread are drawn, save."""
    loaded: list[bool] = []
    window.skip_exit_warning = True
    window.resize(*size)
    window.default_layout()
    window.show()
    window.queue.loaded.connect(lambda: loaded.append(True))
    window.start_without_sync()
    _wait_until(app, lambda: bool(loaded), "the queue")
    _wait_until(app, lambda: window.thread_pane.detail is not None, "the first conversation")
    _wait_until(app, lambda: not window.tasks.busy, "background work")
    for _ in range(5):
        app.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise SystemExit(f"could not write {path}")
    window.close()
    window.tasks.wait(10_000)
    window.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
