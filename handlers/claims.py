"""/claim add, list, status, watch, unwatch, set, remove."""

from __future__ import annotations

import re

from bot.alert_types import Notice, StatusChange
from bot.backfill import backfill_claim
from bot.models import CLAIM_STATUSES, Claim
from bot.platform import Reply
from bot.text import clip
from handlers.context import Context
from handlers.errors import CommandError, NotFoundError, UsageError
from handlers.parsing import claim_by_id, claim_text, parse_id, split_args
from handlers.status import render_status

MAX_SEARCH_WORDS = 64  # a claim is found by some of its words; the search cost stays flat beyond them


def same_claim_key(text: str) -> str:
    """What two claim texts share when they are the same claim typed again (case, spacing, end mark, quotes)."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.casefold().split()).rstrip(".!?;: ")


async def add(ctx: Context, args: str) -> Reply:
    """Watch a new claim and send its alerts to this channel; an exact repeat of a watched claim is refused."""
    text = claim_text(args)
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


async def list_(ctx: Context, args: str) -> Reply:
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


async def status(ctx: Context, args: str) -> Reply:
    """Where a claim stands, by id or by words."""
    words = args.strip()
    if not words:
        raise UsageError("Name a claim by id or by words.")
    if words.lstrip("#").isdigit():
        claim = await claim_by_id(ctx, words)
    else:
        # The search gets the first few distinct words: its cost stays flat however long the line is.
        terms = list(dict.fromkeys(re.findall(r"\w+", words.casefold())))[:MAX_SEARCH_WORDS]
        found = await ctx.store.find_claims(" ".join(terms), limit=1) if terms else []
        if not found:
            raise NotFoundError(f"No watched claim matches {clip(words, 60)!r}. See /claim list.")
        claim = found[0]
    return await render_status(ctx, claim)


async def watch(ctx: Context, args: str) -> Reply:
    """Send a claim's alerts to this channel."""
    if not args:
        raise UsageError("Which claim? Give its id.")
    claim = await claim_by_id(ctx, args.split()[0])
    added = await ctx.store.watch(claim.id, ctx.actor.platform, ctx.channel, ctx.who)
    if not added:
        return Reply(f"This channel already receives alerts for claim #{claim.id}.")
    return Reply(f"Alerts for claim #{claim.id} will come to this channel.")


async def unwatch(ctx: Context, args: str) -> Reply:
    """Stop a claim's alerts in this channel."""
    if not args:
        raise UsageError("Which claim? Give its id.")
    claim = await claim_by_id(ctx, args.split()[0])
    removed = await ctx.store.unwatch(claim.id, ctx.actor.platform, ctx.channel)
    if not removed:
        return Reply(f"This channel was not receiving alerts for claim #{claim.id}.")
    return Reply(f"No more alerts for claim #{claim.id} in this channel.")


async def set_(ctx: Context, args: str) -> Reply:
    """Set a claim's moderator status with an optional note; watchers are told."""
    words = split_args(args)
    if len(words) < 2:
        raise UsageError("Give a claim id and a status.")
    claim = await claim_by_id(ctx, words[0])
    new_status = words[1].lower()
    if new_status not in CLAIM_STATUSES:
        raise UsageError(f"Unknown status {words[1]!r}; use one of: {', '.join(CLAIM_STATUSES)}.")
    note = " ".join(args.split()[2:])[:500]
    updated = await ctx.store.update_claim(claim.id, status=new_status, note=note)
    assert updated is not None
    text = f"Claim #{claim.id} set to {new_status} by {ctx.caller_name}"
    await ctx.store.enqueue_alert(StatusChange(
        title=f"Status change: claim #{claim.id} is now {new_status}", text=note or text,
        claim_id=claim.id, claim_text=claim.text, status=new_status,
    ))
    return Reply(text + (f": {note}" if note else "."), ephemeral=False)


async def remove(ctx: Context, args: str) -> Reply:
    """Stop watching a claim everywhere (its history is kept)."""
    if not args:
        raise UsageError("Which claim? Give its id.")
    claim = await claim_by_id(ctx, args.split()[0])
    await ctx.store.remove_claim(claim.id)
    return Reply(f"Claim #{claim.id} is no longer watched: {clip(claim.text, 90)}", ephemeral=False)


async def review(ctx: Context, args: str) -> Reply:
    """Mark an alert reviewed (the alert buttons call this)."""
    if not args:
        raise UsageError("Which alert? Give its id.")
    alert_id = parse_id(args.split()[0], "alert")
    if not await ctx.store.mark_reviewed(alert_id, ctx.who):
        return Reply(f"Alert {alert_id} is unknown or already reviewed.")
    return Reply(f"Alert {alert_id} marked reviewed by {ctx.caller_name}.")
