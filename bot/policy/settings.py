"""Policy settings: the fields a channel or a claim may set, how they parse, how they combine."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.durations import RATE_WINDOW, format_duration, parse_duration
from bot.models import STANCES

MODES = ("instant", "hourly", "daily")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
MAX_RATE = 1000


@dataclass(frozen=True, slots=True)
class Policy:
    """How one channel wants one claim's alerts."""

    min_confidence: float = 0.0
    stances: tuple[str, ...] = STANCES
    mode: str = "instant"  # instant | hourly | daily
    daily_at: str = "08:00"
    quiet: tuple[str, str] | None = None  # ("22:00", "07:00") local to tz
    rate: int | None = 10  # at most this many messages per rate_window_s; None = no limit
    rate_window_s: int = 3600
    tz: str = "UTC"

    @property
    def zone(self) -> ZoneInfo:
        """The time zone quiet hours and the daily digest are read in."""
        return ZoneInfo(self.tz)


DEFAULT_POLICY = Policy()


def _hhmm(value: str, what: str) -> str:
    m = _HHMM.match(value.strip())
    if not m:
        raise ValueError(f"{what} must be HH:MM (24-hour), got {value!r}")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _parse_one(key: str, value: str) -> dict[str, Any]:
    """Stored fields for one key=value word; None values clear a field."""
    v = value.strip().lower()
    if key == "min":
        try:
            num = float(v[:-1]) / 100 if v.endswith("%") else float(v)
        except ValueError:
            num = -1.0
        if not 0 <= num <= 1:
            raise ValueError("min= must be between 0 and 1 (or 0% to 100%)")
        return {"min_confidence": round(num, 3)}
    if key == "stances":
        if v == "all":
            return {"stances": list(STANCES)}
        chosen = [s.strip() for s in v.split(",") if s.strip()]
        bad = [s for s in chosen if s not in STANCES]
        if bad or not chosen:
            raise ValueError(f"stances= takes a comma list of {', '.join(STANCES)} (or all)")
        return {"stances": [s for s in STANCES if s in chosen]}
    if key == "mode":
        mode, _, at = v.partition("@")
        if mode not in MODES:
            raise ValueError("mode= must be instant, hourly or daily (daily@HH:MM sets the time)")
        return {"mode": mode} | ({"daily_at": _hhmm(at, "daily@")} if at else {})
    if key == "at":
        return {"daily_at": _hhmm(v, "at=")}
    if key == "quiet":
        if v in ("off", "none"):
            return {"quiet": None}
        start, dash, end = v.partition("-")
        if not dash:
            raise ValueError("quiet= must be HH:MM-HH:MM or off")
        return {"quiet": [_hhmm(start, "quiet="), _hhmm(end, "quiet=")]}
    if key == "rate":
        if v in ("off", "none"):
            return {"rate": "off"}
        count, slash, window = v.partition("/")
        count = count.strip()
        if not (count.isascii() and count.isdigit()) or not 1 <= int(count) <= MAX_RATE:
            raise ValueError(f"rate= must be N/window like 10/1h or 10/hour (N from 1 to {MAX_RATE}), or off")
        seconds = parse_duration(window, *RATE_WINDOW, what="rate= window") if slash else 3600
        return {"rate": [int(count), seconds]}
    if key == "tz":
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"tz= {value!r} is not a known time zone (e.g. Europe/Berlin)") from None
        return {"tz": value.strip()}
    raise ValueError(f"unknown setting {key}=")


KEYS = ("min", "stances", "mode", "at", "quiet", "rate", "tz")


def parse_changes(words: list[str]) -> dict[str, Any]:
    """Stored-field changes from words like min=0.7 stances=supports,refutes mode=daily@08:00."""
    changes: dict[str, Any] = {}
    for word in words:
        key, eq, value = word.partition("=")
        if not eq or key not in KEYS:
            raise ValueError(f"{word!r} is not a setting; use {'=, '.join(KEYS)}=")
        changes |= _parse_one(key, value)
    return changes


def _clamp(value: Any, lo: int, hi: int) -> int:
    try:
        return max(lo, min(hi, int(value)))
    except (TypeError, ValueError, OverflowError):
        return DEFAULT_POLICY.rate_window_s


def resolve(channel: dict[str, Any], claim: dict[str, Any]) -> Policy:
    """The effective policy: defaults, then the channel's settings, then the claim's in that channel."""
    merged = channel | claim
    rate = merged.get("rate")
    quiet = merged.get("quiet")
    return Policy(
        min_confidence=float(merged.get("min_confidence", DEFAULT_POLICY.min_confidence)),
        stances=tuple(merged.get("stances") or DEFAULT_POLICY.stances),
        mode=merged.get("mode", DEFAULT_POLICY.mode),
        daily_at=merged.get("daily_at", DEFAULT_POLICY.daily_at),
        quiet=(quiet[0], quiet[1]) if quiet else None,
        rate=None if rate == "off" else (min(int(rate[0]), MAX_RATE) if rate else DEFAULT_POLICY.rate),
        # Clamped as well as checked on input: a value stored before the bound existed must not stall delivery.
        rate_window_s=_clamp(rate[1], *RATE_WINDOW) if isinstance(rate, list) else DEFAULT_POLICY.rate_window_s,
        tz=merged.get("tz", DEFAULT_POLICY.tz),
    )


def describe(p: Policy) -> str:
    """One line a person can read back."""
    mode = f"daily digest at {p.daily_at}" if p.mode == "daily" else (
        "hourly digest" if p.mode == "hourly" else "instant")
    parts = [
        f"min confidence {p.min_confidence:.0%}",
        "stances " + ",".join(p.stances),
        mode,
        f"quiet {p.quiet[0]}-{p.quiet[1]}" if p.quiet else "no quiet hours",
        f"rate {p.rate} per {format_duration(p.rate_window_s)}" if p.rate else "no rate limit",
        f"tz {p.tz}",
    ]
    return "; ".join(parts)
