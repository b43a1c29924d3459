"""Parse and format human durations (30s, 10m, 1h30m) and the ISO timestamps we store."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str | int | float) -> int:
    """Seconds in `value` ('90', '30s', '10m', '1h30m'); ValueError with a reason if malformed."""
    if isinstance(value, int | float):
        if value <= 0:
            raise ValueError("must be positive")
        return int(value)
    text = value.strip().lower()
    if text.isdigit():
        seconds = int(text)
    else:
        parts = _PART.findall(text)
        if not parts or _PART.sub("", text).strip():
            raise ValueError(f"invalid duration {value!r} (use e.g. 30s, 10m, 1h)")
        seconds = int(sum(float(n) * _UNITS[u] for n, u in parts))
    if seconds <= 0:
        raise ValueError(f"invalid duration {value!r}: must be positive")
    return seconds


def format_duration(seconds: float) -> str:
    """Short form of a duration: 45s, 10m, 2h, 3d."""
    s = int(seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size and s % size == 0:
            return f"{s // size}{unit}"
    if s >= 3600:
        return f"{s / 3600:.1f}h"
    if s >= 60:
        return f"{s // 60}m{s % 60}s"
    return f"{s}s"


def parse_time(value: str | None) -> datetime | None:
    """An aware datetime from ISO-8601 ('Z' allowed); a naive time is UTC, as everything we store is; None if unreadable."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
