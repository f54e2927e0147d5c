"""Logging set-up with a filter that redacts secrets from every record.

Connectors never log tokens on purpose; this filter is the second line: authorization and cookie
headers, bearer and basic credentials, platform token shapes (``xoxp-…``, ``syt_…``), API keys
and passwords in ``key=value``, ``key: value`` and JSON form, JWT-shaped strings and PEM private
keys are replaced before a record reaches any handler — in the message, its arguments, the
formatted exception and the stack.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import re
from pathlib import Path

REDACTED = "[redacted]"

_NAMES = (
    r"authorization|api[-_]?key|api[-_]?token|user[-_]api[-_]key|x[-_]auth[-_]token|"
    r"password|passwd|passphrase|secret|client[-_]secret|private[-_]key|"
    r"token|access[-_]token|refresh[-_]token|id[-_]token|login[-_]?token|code[-_]verifier"
)
# key: value / key=value / "key": "value" / 'key': 'value' — the value runs to a separator; one
# space inside is allowed so "Bearer abc…" is taken whole.
_KEY_VALUE = re.compile(
    rf"(?i)\b({_NAMES})(\s*[:=]\s*|[\"']\s*[:=]\s*[\"']?)([^\s,;\"'&<>)\]}}]+"
    rf"(?:[ \t]+[^\s,;\"'&<>)\]}}]+)?)"
)
# Cookies: everything up to the end of the line or the quote that closes the header value.
_COOKIE = re.compile(r"(?i)\b(cookie|set-cookie)(\s*[:=]\s*|[\"']\s*:\s*[\"'])([^\r\n\"']+)")
_SCHEME = re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}")
_SHAPES = (
    re.compile(r"\bxox[abposer][.-][A-Za-z0-9.-]{8,}"),  # Slack (xoxp-, xoxb-, xoxe.xoxp-)
    re.compile(r"\bey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*"),  # JWT
    re.compile(r"\bsy[tu]_[A-Za-z0-9_]{8,}"),  # Matrix (Synapse) access tokens
    re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.DOTALL
    ),
)


def redact(text: str) -> str:
    """``text`` with anything that looks like a credential replaced by ``[redacted]``."""
    text = _COOKIE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _SCHEME.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    for pattern in _SHAPES:
        text = pattern.sub(REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Formats the record's message once, redacted, so arguments cannot leak either."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure(log_dir: Path | None, *, verbose: bool = False) -> None:
    """Log to ``log_dir/cm-console.log`` (rotated) and, with ``verbose``, debug to stderr.

    The log directory and files are readable by their owner only.
    """
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    redactor = RedactingFilter()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        # A directory we do not own keeps its mode; the files below are still ours.
        with contextlib.suppress(OSError):
            os.chmod(log_dir, 0o700)
        path = log_dir / "cm-console.log"
        if not path.exists():
            path.touch(mode=0o600)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(fmt)
        handler.addFilter(redactor)
        root.addHandler(handler)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        stream.addFilter(redactor)
        root.addHandler(stream)
