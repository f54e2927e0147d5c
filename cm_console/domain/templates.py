"""Saved-reply templates: ``{variable}`` and ``{variable|fallback}`` placeholders.

``Hi {author|there}`` becomes ``Hi Anouk`` when the author is known and ``Hi there`` when not.
Unknown variables without a fallback are left as written, so a typo is visible, not silent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\|([^{}]*))?\}")

VARIABLES = ("author", "author_first", "community", "title", "me", "platform")


def render(template: str, values: Mapping[str, str | None]) -> str:
    """Fill the placeholders of ``template`` from ``values``."""

    def fill(match: re.Match[str]) -> str:
        name, fallback = match.group(1), match.group(2)
        value = values.get(name)
        if value:
            return value
        if fallback is not None:
            return fallback
        return match.group(0)

    return _PLACEHOLDER.sub(fill, template)
