"""When to fetch a source next: interval with jitter, Retry-After, capped exponential backoff, pause."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.alert_types import SourcePaused
from bot.models import Source


@dataclass(frozen=True, slots=True)
class Backoff:
    """Failure policy."""

    pause_after_failures: int = 5
    max_backoff_s: int = 6 * 3600
    jitter: float = 0.1  # +-10% so sources added together do not fetch in lockstep


def _at(now: datetime, seconds: float) -> str:
    return (now + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def next_ok_fetch(src: Source, now: datetime, policy: Backoff, rng: random.Random | None = None) -> str:
    """The interval from now, jittered."""
    r = rng or random
    return _at(now, src.interval_s * r.uniform(1 - policy.jitter, 1 + policy.jitter))


def failure_delay(src: Source, failures: int, retry_after: float | None, policy: Backoff,
                  rng: random.Random | None = None) -> float:
    """Seconds until the next try: Retry-After when given (never earlier), else doubling backoff."""
    r = rng or random
    if retry_after is not None:
        # Honour the server's wait (a little later, never sooner), within the cap.
        return min(policy.max_backoff_s, retry_after * r.uniform(1.0, 1 + policy.jitter))
    backoff = min(policy.max_backoff_s, src.interval_s * 2 ** (failures - 1))
    return backoff * r.uniform(1 - policy.jitter, 1 + policy.jitter)


def success_changes(src: Source, etag: str | None, last_modified: str | None, warnings: list[str],
                    now: datetime, policy: Backoff) -> dict[str, Any]:
    """Source columns after a fetch that worked (warnings are kept as the last note)."""
    stamp = now.isoformat(timespec="seconds")
    return {
        "etag": etag, "last_modified": last_modified, "last_fetch_at": stamp, "last_ok_at": stamp,
        "last_error": "; ".join(warnings)[:300] or None, "failures": 0,
        "fetch_count": src.fetch_count + 1, "next_fetch_at": next_ok_fetch(src, now, policy),
    }


def failure_changes(src: Source, error: str, retry_after: float | None, now: datetime,
                    policy: Backoff) -> tuple[dict[str, Any], bool]:
    """Source columns after a failed fetch, and whether this failure pauses the source now."""
    failures = src.failures + 1
    pause_now = src.state != "paused" and failures >= policy.pause_after_failures
    changes = {
        "last_fetch_at": now.isoformat(timespec="seconds"), "last_error": error[:300],
        "failures": failures,
        "next_fetch_at": _at(now, failure_delay(src, failures, retry_after, policy)),
    }
    if pause_now:
        changes["state"] = "paused"
    return changes, pause_now


def pause_alert(src: Source, failures: int, error: str) -> SourcePaused:
    """The one moderator message sent when a source is paused."""
    return SourcePaused(
        title=f"Source #{src.id} paused",
        text=f"{src.label or src.url} failed {failures} times in a row; last error: {error}. "
             f"Fix it, then /source resume {src.id}.",
        source_id=src.id,
    )
