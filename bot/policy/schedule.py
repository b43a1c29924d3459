"""Time math of a policy: quiet hours, when a held alert's digest is due. Pure, clock passed in."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.policy.settings import Policy


def _clock_time(hhmm: str) -> time:
    h, m = hhmm.split(":")
    return time(int(h), int(m))


def in_quiet(policy: Policy, now: datetime) -> bool:
    """True inside the policy's quiet hours (a window may wrap midnight: 22:00-07:00)."""
    if not policy.quiet:
        return False
    start, end = (_clock_time(t) for t in policy.quiet)
    local = now.astimezone(policy.zone).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def next_at(hhmm: str, after: datetime, policy: Policy) -> datetime:
    """The first local HH:MM strictly after `after`, as an aware datetime."""
    local = after.astimezone(policy.zone)
    t = _clock_time(hhmm)
    candidate = local.replace(hour=t.hour, minute=t.minute, second=0, microsecond=0)
    if candidate <= local:
        # Step by calendar day in local time so DST changes keep the wall-clock time.
        candidate = (candidate.replace(tzinfo=None) + timedelta(days=1)).replace(tzinfo=policy.zone)
    return candidate


def digest_due_at(policy: Policy, held_at: datetime) -> datetime:
    """When a digest covering something held at `held_at` goes out (ignoring quiet hours)."""
    if policy.mode == "hourly":
        return held_at.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if policy.mode == "daily":
        return next_at(policy.daily_at, held_at, policy)
    return held_at  # instant: whatever held it (quiet hours, rate) decides


def is_due(policy: Policy, reason: str, held_at: datetime, now: datetime, rate_ok: bool) -> bool:
    """Whether a held alert may go out in a digest now."""
    if in_quiet(policy, now):
        return False
    if policy.mode in ("hourly", "daily"):
        return now >= digest_due_at(policy, held_at)
    if reason == "rate":
        return rate_ok
    return True
