"""The frozen program's entry script (PyInstaller runs it as ``__main__``)."""

import sys

from cm_console.__main__ import main

sys.exit(main())
