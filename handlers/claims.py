"""/claim add, list, status, watch, unwatch, set, remove."""

from __future__ import annotations

import re

from bot.alert_types import Notice, StatusChange
from bot.backfill import backfill_claim
from bot.judge.text import STOPWORDS
from bot.models import Claim
from bot.platform import Reply
from bot.text import clip
from handlers.context import Context
from handlers.errors import CommandError, NotFoundError
from handlers.parsing import claim_by_id
from handlers.status import render_status

MAX_SEARCH_WORDS = 64  # a claim is found by some of its words; the search cost stays flat beyond them


def same_claim_key(text: str) -> str:
    """What two claim texts share when they are the same claim typed again (case, spacing, end mark, quotes)."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split()).rstrip(".!?;: ")


async def add(ctx: Context, text: str) -> Reply:
    """Watch a new claim and send its alerts to this channel; an exact repeat of a watched claim is refused."""
    if not any(ch.isalnum() for ch in text):
        raise CommandError("A claim needs words: say in one sentence what is claimed, e.g. "
                           "/claim add Ukraine attacked Putin's residence with drones")
    key = same_claim_key(text)
    for existing in await ctx.store.list_claims():
        if same_claim_key(existing.text) == key:
            raise CommandError(f"Claim #{existing.id} already says that: {clip(existing.text, 90)}. "
                               f"Use /claim watch {existing.id} to get its alerts here.")
    claim = await ctx.store.add_claim(text, ctx.who)
    await ctx.store.watch(claim.id, ctx.actor.platform, ctx.channel, ctx.who)
    ctx.services.spawn(_backfill(ctx, claim), name=f"backfill-{claim.id}")
    return Reply(
        f"Now watching claim #{claim.id}: {text}\nAlerts for it go to this channel. "
        "Statements collected in the last 30 days are being checked against it now.",
        ephemeral=False,
    )


async def _backfill(ctx: Context, claim: Claim) -> None:
    """Match earlier statements, then tell the channel what was found."""
    found = await backfill_claim(ctx.store, ctx.services.judge, claim)
    counts = await ctx.store.stance_counts(claim.id)
    text = (
        f"Found {found.matched} earlier statement(s) about claim #{claim.id} (supports {counts.get('supports', 0)}, "
        f"refutes {counts.get('refutes', 0)}, neutral {counts.get('neutral', 0)}). See /claim status {claim.id}."
    )
    if found.possible:
        text += f" {found.possible} possible match(es) await review: /claim possible {claim.id}."
    await ctx.store.enqueue_alert(
        Notice(title=f"Claim #{claim.id}: earlier statements checked", text=text, claim_id=claim.id),
        destinations=[(ctx.actor.platform, ctx.channel)],
    )
    for callback in ctx.services.on_change:
        callback()


async def list_(ctx: Context) -> Reply:
    """Every watched claim with its status and how much evidence it has."""
    claims = await ctx.store.list_claims()
    if not claims:
        return Reply("No claims are watched yet. A moderator can add one with /claim add <text>.")
    lines = [f"{len(claims)} watched claim(s):"]
    for c in claims:
        counts = await ctx.store.stance_counts(c.id)
        tally = f"+{counts.get('supports', 0)} -{counts.get('refutes', 0)} ~{counts.get('neutral', 0)}"
        lines.append(f"#{c.id} [{c.status}] {clip(c.text, 90)} ({tally})")
    return Reply("\n".join(lines))


async def status(ctx: Context, claim: str) -> Reply:
    """Where a claim stands, named by id or by words from it."""
    if claim.lstrip("#").isdigit():
        found_claim = await claim_by_id(ctx, claim, with_removed=True)  # a removed claim's history stays readable
    else:
        # The search gets the first few distinct words: its cost stays flat however long the line is.
        # Filler words and single letters name no claim ("/claim status the" opened one before).
        terms = [t for t in dict.fromkeys(re.findall(r"\w+", claim.casefold()))
                 if (len(t) > 1 and t not in STOPWORDS) or t.isdigit()][:MAX_SEARCH_WORDS]
        found = await ctx.store.find_claims(" ".join(terms), limit=1) if terms else []
        if not found:
            raise NotFoundError(f"No watched claim matches {clip(claim, 60)!r}. See /claim list.")
        found_claim = found[0]
    return await render_status(ctx, found_claim)


async def watch(ctx: Context, claim: Claim) -> Reply:
    """Send a claim's alerts to this channel."""
    added = await ctx.store.watch(claim.id, ctx.actor.platform, ctx.channel, ctx.who)
    if not added:
        return Reply(f"This channel already receives alerts for claim #{claim.id}.")
    return Reply(f"Alerts for claim #{claim.id} will come to this channel.")


async def unwatch(ctx: Context, claim: Claim) -> Reply:
    """Stop a claim's alerts in this channel."""
    removed = await ctx.store.unwatch(claim.id, ctx.actor.platform, ctx.channel)
    if not removed:
        return Reply(f"This channel was not receiving alerts for claim #{claim.id}.")
    return Reply(f"No more alerts for claim #{claim.id} in this channel.")


async def set_(ctx: Context, claim: Claim, status: str, note: str = "") -> Reply:
    """Set a claim's moderator status with an optional note; watchers are told."""
    updated = await ctx.store.update_claim(claim.id, status=status, note=note)
    assert updated is not None
    text = f"Claim #{claim.id} set to {status} by {ctx.caller_name}"
    await ctx.store.enqueue_alert(StatusChange(
        title=f"Status change: claim #{claim.id} is now {status}", text=note or text,
        claim_id=claim.id, claim_text=claim.text, status=status,
    ))
    return Reply(text + (f": {note}" if note else "."), ephemeral=False)


async def remove(ctx: Context, claim: Claim) -> Reply:
    """Stop watching a claim everywhere (its history is kept)."""
    await ctx.store.remove_claim(claim.id)
    return Reply(f"Claim #{claim.id} is no longer watched: {clip(claim.text, 90)}", ephemeral=False)


async def review(ctx: Context, alert: int) -> Reply:
    """Mark an alert reviewed (the alert buttons call this)."""
    if not await ctx.store.mark_reviewed(alert, ctx.who):
        return Reply(f"Alert {alert} is unknown or already reviewed.", ok=False)
    return Reply(f"Alert {alert} marked reviewed by {ctx.caller_name}.")
