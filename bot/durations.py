"""Parse and format human durations (30s, 10m, 1h30m, 2 hours) and the ISO timestamps we store."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
}
# Far past any setting a person means, far short of what datetime arithmetic overflows on.
MAX_DURATION_S = 36500 * 86400
MAX_TEXT = 64
# Sane ranges, shared by chat commands and the config check: a source fetched less than weekly is
# not being watched, and a rate window beyond a week holds alerts longer than anyone waits for them.
SOURCE_EVERY = (60, 7 * 86400)
RATE_WINDOW = (60, 7 * 86400)


def _seconds(value: str) -> float:
    """Seconds in a duration text, unbounded; ValueError with the reason."""
    text = value.strip().lower()
    if len(text) > MAX_TEXT:
        raise ValueError(f"invalid duration {value[:20]!r}…: too long")
    if text.isascii() and text.isdigit():
        return int(text)
    if text.isascii() and text.isalpha() and text in _UNITS:
        return _UNITS[text]  # 'hour' is one hour, so rate=10/hour reads as it sounds
    parts = _PART.findall(text)
    if not parts or _PART.sub("", text).replace(",", "").replace("and", "").strip():
        raise ValueError(f"invalid duration {value!r} (use e.g. 30s, 10m, 1h)")
    bad = [u for _, u in parts if u not in _UNITS]
    if bad:
        raise ValueError(f"invalid duration {value!r}: unknown unit {bad[0]!r} (use s, m, h, d or w)")
    return sum(float(n) * _UNITS[u] for n, u in parts)


def parse_duration(value: str | int | float, lo: int = 1, hi: int = MAX_DURATION_S, what: str = "") -> int:
    """Seconds in `value` ('90', '30s', '10m', '1h30m', 'hour', '2 days'), within [lo, hi].

    ValueError with a one-line reason when it is malformed or out of range.
    """
    label = f"{what} " if what else ""
    seconds = float(value) if isinstance(value, int | float) else _seconds(str(value))
    if seconds <= 0:
        raise ValueError(f"{label}invalid duration {value!r}: must be positive")
    if seconds < lo:
        raise ValueError(f"{label}{value!r} is too short: at least {format_duration(lo)}")
    if seconds > hi:
        raise ValueError(f"{label}{value!r} is too long: at most {format_duration(hi)}")
    return int(seconds)


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


def iso_utc(value: str | None) -> str:
    """A stored time as ISO 8601 UTC to the second with 'Z' ('2025-12-29T05:10:00Z'); '' when unreadable or absent.

    Exports give every time this one way: stored times end in '+00:00', a feed's own dates come as given.
    """
    dt = parse_time(value)
    try:
        return "" if dt is None else f"{dt.astimezone(UTC):%Y-%m-%dT%H:%M:%S}Z"
    except OverflowError:  # a feed's '0001-01-01T00:00:00+05:00' has no UTC time in datetime's range
        return ""


def show_time(value: str | None, tz: str = "UTC", seconds: bool = False) -> str:
    """A stored time as people read it, in one format with its zone: '2025-12-29 08:10 MSK'.

    Unreadable values are shown as they are (a feed's odd date is still information); None is '?'.
    `seconds` adds them ('08:10:05 MSK'), for times a minute apart such as leases.
    """
    dt = parse_time(value)
    if dt is None:
        return value[:40] if value else "?"
    try:
        zone = ZoneInfo(tz)
    except (ValueError, KeyError):
        zone = ZoneInfo("UTC")
    local = dt.astimezone(zone)
    name = local.tzname() or tz
    if name[:1] in "+-":  # zones without an abbreviation print '+03'; say it as UTC+03
        name = f"UTC{name}"
    return f"{local:%Y-%m-%d %H:%M:%S} {name}" if seconds else f"{local:%Y-%m-%d %H:%M} {name}"
