"""Test-session set-up shared by every test tree.

Qt must never look for a display, and keyring must never touch the developer's real keyring:
both are decided here, before any test module imports them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_KEYRING_HOME = Path(tempfile.mkdtemp(prefix="cmc-keyring-"))
atexit.register(shutil.rmtree, _KEYRING_HOME, ignore_errors=True)
# keyrings.alt's file backend keeps its file under XDG_DATA_HOME; a throwaway one per session.
os.environ["XDG_DATA_HOME"] = str(_KEYRING_HOME)
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
os.environ.pop("CM_CONSOLE_DB", None)
os.environ.pop("CM_CONSOLE_PROFILE", None)

pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.synapse"]

# Hypothesis: "ci" (the default) is reproducible and bounded, so the suite stays fast and a failure
# on one machine fails the same way on every other; "nightly" explores (HYPOTHESIS_PROFILE=nightly).
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=60,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "nightly", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def profile(tmp_path: Path) -> Iterator[Path]:
    """An empty profile directory."""
    path = tmp_path / "profile"
    path.mkdir()
    return path
