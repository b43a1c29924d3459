"""/claim why: why the judge matched a statement to a claim, from the reasons stored with the match."""

from __future__ import annotations

from bot.models import Claim
from bot.platform import Reply
from handlers.context import Context
from handlers.parsing import target
from handlers.reasons import reason_lines
from handlers.shown import channel_tz, quote, show_time, shown_link
from storage import MatchInfo

TIER_NAMES = {"alert": "alert (alerts and counts)", "possible": "possible (kept for review, never alerts)",
              "context": "context (a statement with figures in an article about the claim; a side only if confirmed)"}


def _thresholds(ctx: Context, claim: Claim | None) -> tuple[float, float]:
    """The alert threshold and the start of the possible band, as the judge applies them now."""
    default, band = ctx.services.judge.thresholds()
    alert = claim.threshold if claim is not None and claim.threshold is not None else default
    return alert, min(band, alert)


def tier_line(m: MatchInfo, alert: float, band: float) -> str:
    """'Tier: alert (...), relatedness 0.62; alerts from 0.50, possible from 0.30 (now)'."""
    return (f"Tier: {TIER_NAMES.get(m.tier, m.tier)}, relatedness {m.score:.2f}; "
            f"alerts from {alert:.2f}, possible from {band:.2f} (now)")


def review_line(m: MatchInfo, tz: str = "UTC") -> str:
    """What a moderator did with the match, if anything."""
    if m.review is None:
        waiting = " (a possible match does not count until confirmed)" if m.tier == "possible" else ""
        return "Review: none yet" + waiting
    what = "confirmed" if m.review == "confirmed" else "rejected (not about this claim)"
    corrected = f"; stance corrected from the judge's {m.judged}" if m.judged != m.stance else ""
    return f"Review: {what} by {m.reviewed_by or '?'} at {show_time(m.reviewed_at, tz)}{corrected}"


def why_text(m: MatchInfo, claim_text: str, alert: float, band: float, tz: str = "UTC") -> str:
    """The whole answer of /claim why."""
    who = m.speaker or "unattributed"
    lines = [
        f"Match {m.match_id}, claim #{m.claim_id}: {claim_text}",
        f"Statement: {quote(m.text, 300)} - {who} ({m.source_label}, {show_time(m.at, tz)}) "
        f"{shown_link(m.url)}".rstrip(),
        tier_line(m, alert, band),
        f"Stance: {m.stance} (confidence {m.confidence:.0%})"
        + (f"; the judge said {m.judged}" if m.judged != m.stance else ""),
    ]
    if m.tier == "context":
        lines.append("Kept for its figures: its article alerted for this claim, and its figures are checked for "
                     "conflicts; the judge did not match the statement by itself.")
    elif m.detail is None:
        lines.append("No reasons were stored for this match (it was judged before reasons were kept).")
    else:
        lines.extend(reason_lines(m.detail))
    lines.append(review_line(m, tz))
    return "\n".join(lines)


async def why(ctx: Context, match: int | None = None, alert: int | None = None) -> Reply:
    """Show the stored reasons of one match (or an alert's lead match), with its tier, stance and any review."""
    found = (await target(ctx, match, alert)).match
    claim = await ctx.store.get_claim(found.claim_id)
    claim_text = claim.text if claim is not None else "(claim no longer watched)"
    threshold, band = _thresholds(ctx, claim)
    return Reply(why_text(found, claim_text, threshold, band, await channel_tz(ctx)))
