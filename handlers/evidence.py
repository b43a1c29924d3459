"""/claim evidence (page through a claim's statements) and /claim export (JSON, CSV, ClaimReview)."""

from __future__ import annotations

import json

from bot.ledger.export import claim_review, ledger_json, missing_claimreview_fields, statements_csv
from bot.ledger.service import load_ledger
from bot.models import Claim
from bot.platform import Reply
from handlers.context import Context
from handlers.errors import CommandError
from handlers.shown import channel_tz, quote, show_time, shown_link

PAGE_SIZE = 8


async def evidence(ctx: Context, claim: Claim, stance: str | None = None, page: int = 1) -> Reply:
    """Page through a claim's statements, newest first, optionally one stance only."""
    total = await ctx.store.evidence_count(claim.id, stance)
    what = f"{stance} statements" if stance else "statements"
    if not total:
        return Reply(f"Claim #{claim.id} has no {what} yet.")
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if page > pages:
        raise CommandError(f"Page {page} does not exist; claim #{claim.id} has {pages} page(s) of {what}.")
    rows = await ctx.store.evidence(claim.id, stance, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    tz = await channel_tz(ctx)
    lines = [f"Claim #{claim.id} {what}, page {page} of {pages} ({total} in all, newest first):"]
    first = (page - 1) * PAGE_SIZE + 1
    for n, r in enumerate(rows, start=first):
        who = r.speaker or r.source_label or "unattributed"
        # Rows count from 1 across pages; the match id is what /claim why, reject and stance take.
        lines.append(
            f"{n}. [{r.stance} {r.confidence:.0%}] {who} ({r.source_label}, {r.speaker_kind}, "
            f"{show_time(r.published_at or r.matched_at, tz)}): {quote(r.text, 200)} (match {r.match_id}) "
            f"{shown_link(r.url)}".rstrip()
        )
    if page < pages:
        lines.append(f"Next: /claim evidence {claim.id}{' ' + stance if stance else ''} {page + 1}")
    return Reply("\n".join(lines))


async def export(ctx: Context, claim: Claim, url: str | None = None) -> Reply:
    """The claim's ledger as JSON and CSV, plus ClaimReview JSON-LD once a verdict is set."""
    review_url = url or f"urn:claimwatch:claim:{claim.id}"
    ledger, rows = await load_ledger(ctx.store, claim)
    base = f"claim-{claim.id}"
    reply = Reply(
        f"Claim #{claim.id} ledger: {ledger.total} statement(s), {len(ledger.conflicts)} conflict(s). "
        f"Attached: {base}-ledger.json, {base}-statements.csv",
        attachments={f"{base}-ledger.json": ledger_json(ledger, rows), f"{base}-statements.csv": statements_csv(rows)},
    )
    review = claim_review(ledger, review_url)
    if review is None:
        reply.text += f". No ClaimReview: status is {claim.status!r}; a moderator sets a verdict with /claim set."
        return reply
    missing = missing_claimreview_fields(review)
    if missing:  # never hand out an invalid review document
        reply.text += f". ClaimReview left out: missing {', '.join(missing)}."
        return reply
    reply.attachments[f"{base}-claimreview.jsonld"] = json.dumps(review, ensure_ascii=False, indent=1).encode()
    reply.text += f", {base}-claimreview.jsonld (verdict: {review['reviewRating']['alternateName']})"
    return reply
