"""Coverage-guided fuzzing of one target with atheris (libFuzzer): the documented long run.

    .venv/bin/pip install atheris
    .venv/bin/python -m tests.fuzz.run sanitizer -max_total_time=600 -rss_limit_mb=4096

Crashes are written to ``crash-*`` files in the working directory; copy each into
``tests/data/hostile/regressions/<target>-<name>.bin`` so CI replays it. ``-runs=N`` or
``-max_total_time=S`` bound a run (CI never runs this script; it runs test_targets.py).
"""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports(include=["cm_console"]):
    from tests.fuzz.targets import TARGETS


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(f"usage: python -m tests.fuzz.run {{{','.join(TARGETS)}}} [libFuzzer options]")
        raise SystemExit(2)
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
