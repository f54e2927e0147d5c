"""Slack mrkdwn to plain text: mentions by name, link labels, quotes as ``> `` lines."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

_ANGLE = re.compile(r"<([^<>\n]+)>")


def _token(inner: str, names: Mapping[str, str]) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        uid = target[1:]
        return "@" + (label or names.get(uid) or uid)
    if target.startswith("#"):
        return "#" + (label or target[1:])
    if target.startswith("!subteam^"):
        return "@" + (label.lstrip("@") or target[len("!subteam^") :])
    if target.startswith("!"):
        return "@" + (label or target[1:].split("^")[0])
    return label or target


def mrkdwn_to_text(text: str, names: Mapping[str, str] | None = None) -> str:
    """Plain text of a Slack message.

    Args:
        text: the message's ``text`` (mrkdwn with ``&lt;``, ``&gt;`` and ``&amp;`` escaped).
        names: user id → handle, to show ``<@U123>`` as ``@handle``.
    """
    names = names or {}
    plain = _ANGLE.sub(lambda m: _token(m.group(1), names), text or "")
    return html.unescape(plain)


def mention(user_id: str) -> str:
    """How a message mentions a user."""
    return f"<@{user_id}>"
