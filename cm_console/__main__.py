"""Entry point for ``python -m cm_console`` and the ``cm-console`` script."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line (or the window, for ``gui``) and return the exit code."""
    from cm_console.app import run  # noqa: PLC0415 - keeps `--help` and `--version` light

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
