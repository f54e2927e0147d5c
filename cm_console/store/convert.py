"""Conversions between domain values and column values (instants, JSON)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any, overload

from cm_console.domain.model import utc


@overload
def to_ms(dt: datetime) -> int: ...
@overload
def to_ms(dt: None) -> None: ...
def to_ms(dt: datetime | None) -> int | None:
    """An aware datetime as integer milliseconds since the epoch."""
    if dt is None:
        return None
    return int(utc(dt).timestamp() * 1000)


@overload
def from_ms(ms: int) -> datetime: ...
@overload
def from_ms(ms: None) -> None: ...
def from_ms(ms: int | None) -> datetime | None:
    """Integer milliseconds since the epoch as an aware UTC datetime."""
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


MAX_ID = 2**31 - 1
"""The largest value of an ``Integer`` primary key (a 32-bit ``integer`` on PostgreSQL)."""


def local_id(ref: str) -> int | None:
    """A local row id as a person typed it, or None when ``ref`` cannot be one.

    ``str.isdigit`` also accepts superscripts such as ``²`` that ``int`` refuses, and a number
    past the column's range makes the driver raise; neither may reach the database.
    """
    ref = ref.strip()
    if not ref.isdecimal():
        return None
    value = int(ref)
    return value if 0 < value <= MAX_ID else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def dumps(value: Any) -> str:
    """Compact JSON text for a column (datetimes as ISO 8601).

    A lone surrogate (JSON may carry ``\\ud800``) is written as its escape: the text stays the
    same JSON, and the database driver can encode it.
    """
    out = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", out)


def loads(text: str | None, default: Any = None) -> Any:
    """Parse a JSON column; ``default`` for NULL."""
    if text is None:
        return default
    return json.loads(text)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
