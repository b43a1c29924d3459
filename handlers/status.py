"""Render `/claim status`: the claim, its verdict, the evidence on each side."""

from __future__ import annotations

from bot.models import Claim
from bot.platform import Reply
from handlers.context import Context

SIDES = (("supports", "Asserting"), ("refutes", "Denying"), ("neutral", "Neutral / reporting"))


def _quote(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= n else text[: n - 1] + '…'}”"


async def render_status(ctx: Context, claim: Claim) -> Reply:
    """One screen on where the claim stands."""
    counts = await ctx.store.stance_counts(claim.id)
    first, last = await ctx.store.activity_span(claim.id)
    total = sum(counts.values())
    lines = [
        f"Claim #{claim.id}: {claim.text}",
        f"Status: {claim.status}" + (f" ({claim.note})" if claim.note else ""),
        f"Statements: {total} (supports {counts.get('supports', 0)}, refutes {counts.get('refutes', 0)}, "
        f"neutral {counts.get('neutral', 0)})",
    ]
    if first:
        lines.append(f"First seen {first}, last activity {last}")
    for stance, heading in SIDES:
        rows = await ctx.store.evidence(claim.id, stance, limit=3)
        if not rows:
            continue
        lines.append(f"{heading}:")
        for r in rows:
            who = r.speaker or r.source_label or "unattributed"
            lines.append(f"  - {who} ({r.source_label}, {r.published_at or r.matched_at}): {_quote(r.text)} {r.url}")
    if not total:
        lines.append("No statements about this claim yet.")
    return Reply("\n".join(lines))
