"""A stand-in for the system browser (``BROWSER=…``): it opens the URL and follows redirects."""

from __future__ import annotations

import sys
import urllib.request

if __name__ == "__main__":
    with urllib.request.urlopen(sys.argv[1], timeout=30) as response:
        response.read()
