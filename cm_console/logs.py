"""Logging set-up with a filter that redacts secrets from every record.

Connectors never log tokens on purpose; this filter is the second line: authorization headers,
bearer tokens, platform token shapes (``xoxp-…``), API keys in ``key=value`` form and JWT-shaped
strings are replaced before a record reaches any handler.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

REDACTED = "[redacted]"
_PATTERNS = (
    re.compile(
        r"(?i)(authorization|api-key|api_key|user-api-key|x-auth-token|cookie|"
        r"set-cookie|password|passwd|secret|token|access_token|refresh_token)"
        r"(\s*[:=]\s*|\"\s*:\s*\"|'\s*:\s*')([^\s,;\"'&]+(?:\s+[^\s,;\"'&]+)?)"
    ),
    re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"\bxox[abposer]-[A-Za-z0-9-]{8,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
    re.compile(r"\bsy[tu]_[A-Za-z0-9_]{8,}"),
)


def redact(text: str) -> str:
    """``text`` with anything that looks like a credential replaced by ``[redacted]``."""
    text = _PATTERNS[0].sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    text = _PATTERNS[1].sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    for pattern in _PATTERNS[2:]:
        text = pattern.sub(REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Formats the record's message once, redacted, so arguments cannot leak either."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def configure(log_dir: Path | None, *, verbose: bool = False) -> None:
    """Log to ``log_dir/cm-console.log`` (rotated) and, with ``verbose``, debug to stderr."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    redactor = RedactingFilter()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / "cm-console.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
        handler.setFormatter(fmt)
        handler.addFilter(redactor)
        root.addHandler(handler)
    if verbose:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        stream.addFilter(redactor)
        root.addHandler(stream)
