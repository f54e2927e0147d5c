"""The MSAL cache in real encrypted persistence: libsecret and GNOME Keyring in a private session.

Where the system has them (``gir1.2-secret-1``, ``python3-gi``, ``gnome-keyring``, ``dbus``), the
sign-in tests run again inside ``dbus-run-session`` with an unlocked throwaway keyring, and the
cache must hold no token in plain text. Elsewhere this test is skipped, and the refusal path (no
silent plaintext) is what runs.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SYSTEM_GI = Path("/usr/lib/python3/dist-packages/gi")


def _gi_path(tmp_path: Path) -> str | None:
    """A directory that makes the system's PyGObject importable (the venv lacks it)."""
    try:
        import gi  # noqa: F401
    except ImportError:
        if not SYSTEM_GI.is_dir():
            return None
        only = tmp_path / "gi-only"
        only.mkdir()
        (only / "gi").symlink_to(SYSTEM_GI)
        return str(only)
    return ""


def test_encrypted_cache_in_a_real_keyring(tmp_path: Path) -> None:
    gi_path = _gi_path(tmp_path)
    tools = shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")
    typelib = glob.glob("/usr/lib/*/girepository-1.0/Secret-1.typelib")
    if gi_path is None or not tools or not typelib:
        pytest.skip("no libsecret, PyGObject, GNOME Keyring or D-Bus on this machine")
    env = {
        **os.environ,
        "CMC_REQUIRE_ENCRYPTED_CACHE": "1",
        "PYTHONPATH": os.pathsep.join(p for p in (gi_path, os.environ.get("PYTHONPATH")) if p),
    }
    script = (
        "printf 'throwaway' | gnome-keyring-daemon --unlock --components=secrets "
        '>/dev/null 2>&1; exec "$0" -m pytest -q -p no:cacheprovider '
        "tests/integration/connectors/test_microsoft_signin.py -k encrypted_cache_holds"
    )
    proc = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script, sys.executable],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "1 passed" in proc.stdout
