"""/claim audit: the latest moderator actions and refused attempts, who did what and when."""

from __future__ import annotations

from bot.models import AuditEntry
from bot.platform import Reply
from bot.text import clip
from handlers.context import Context
from handlers.shown import channel_tz, show_time

DEFAULT_ROWS = 10
MAX_ROWS = 50


def audit_line(e: AuditEntry, tz: str) -> str:
    """'2026-12-01 12:03 UTC console:mod /claim set 1 false: ok'."""
    what = f"{e.action} {clip(' '.join(e.target.split()), 80)}".rstrip()
    outcome = e.detail if e.allowed else (e.detail or "refused")
    return f"{show_time(e.at, tz)} {e.platform}:{e.user_id} {what}: {clip(outcome, 100)}"


async def audit(ctx: Context, count: int = DEFAULT_ROWS) -> Reply:
    """The latest `count` audit rows, newest first (moderators only, by the command table)."""
    entries = await ctx.store.audit_log(count)
    if not entries:
        return Reply("No moderator actions recorded yet.")
    tz = await channel_tz(ctx)
    lines = [f"Latest {len(entries)} moderator action(s) and refusal(s), newest first:"]
    lines.extend(audit_line(e, tz) for e in entries)
    return Reply("\n".join(lines))
