"""A connector from a separate package registers through the entry-point group like built-ins."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.e2e.test_cli import run

PACKAGE = Path(__file__).resolve().parents[1] / "data" / "thirdparty_connector"


def test_a_separately_installed_package_adds_a_platform(tmp_path: Path) -> None:
    target = tmp_path / "site"
    source = tmp_path / "src"
    # pip builds in the source tree (build/, *.egg-info): build a copy, not the repository.
    shutil.copytree(PACKAGE, source)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert list(target.glob("cm_console_plek-*.dist-info/entry_points.txt"))
    env = {"PYTHONPATH": os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")])}
    profile = tmp_path / "profile"
    run(profile, "account", "add", "plek", "--name", "kantoor", env=env)
    run(profile, "sync", env=env)
    items = json.loads(run(profile, "queue", "--json", env=env).stdout)
    assert [(i["key"], i["state"], i["platform"]) for i in items] == [
        ("kantoor/q-1", "unanswered", "plek")
    ]
    # Without the package on the path the platform is simply unknown (a usage error).
    missing = run(tmp_path / "other", "account", "add", "plek", "--name", "x", check=False)
    assert missing.returncode == 2 and "plek" in missing.stderr
