"""/claim possible (the review queue), /claim confirm, /claim reject, /claim stance: moderators correct matches.

A correction changes the ledger at once (ledger reads filter on storage.tiers.COUNTED), keeps
the judge's own stance, and is idempotent; the dispatcher audits each one.
"""

from __future__ import annotations

from bot.ledger.conflicts import record_new_conflicts
from bot.models import STANCES
from bot.platform import Reply
from handlers.context import Context
from handlers.errors import UsageError
from handlers.parsing import claim_by_id, match_from
from handlers.status import quote, short_time
from storage.db import utcnow
from storage.reviews import Correction, MatchInfo
from storage.tiers import counts

PAGE_SIZE = 8
MAX_PAGE = 10_000
HOW = ("Correct one with /claim confirm <match id>, /claim reject <match id> (not about this claim) or "
       "/claim stance <match id> supports|refutes|neutral; /claim why <match id> shows why it matched.")


def _who(ctx: Context) -> str:
    return ctx.actor.display_name or ctx.actor.user_id


def possible_line(m: MatchInfo) -> str:
    """One possible match in the review queue."""
    who = m.speaker or m.source_label or "unattributed"
    return (f"{m.match_id}. [{m.stance}, relevance {m.score:.2f}] {who} ({m.source_label}, "
            f"{short_time(m.at)}): {quote(m.text, 160)} {m.url}")


async def possible(ctx: Context, args: str) -> Reply:
    """A claim's possible matches awaiting review, most related first, paged."""
    words = args.split()
    if not words:
        raise UsageError("Which claim? Give its id.")
    claim = await claim_by_id(ctx, words[0])
    page = 1
    for w in words[1:]:
        if not (w.isdigit() and 0 < int(w) <= MAX_PAGE):
            raise UsageError(f"{w!r} is not a page number.")
        page = int(w)
    total = await ctx.store.possible_count(claim.id)
    if not total:
        return Reply(f"Claim #{claim.id} has no possible matches awaiting review.")
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if page > pages:
        raise UsageError(f"Page {page} does not exist; claim #{claim.id} has {pages} page(s) of possible matches.")
    rows = await ctx.store.possible_matches(claim.id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    lines = [f"Claim #{claim.id}: {total} possible match(es) awaiting review, page {page} of {pages} "
             "(most related first; they do not count until confirmed):"]
    lines.extend(possible_line(m) for m in rows)
    if page < pages:
        lines.append(f"Next: /claim possible {claim.id} {page + 1}")
    lines.append(HOW)
    return Reply("\n".join(lines))


async def _after(ctx: Context, c: Correction) -> None:
    """A match that starts counting may bring a conflicting figure the ledger did not see before."""
    if not c.changed or counts(c.before.tier, c.before.review) or not counts(c.match.tier, c.match.review):
        return
    claim = await ctx.store.get_claim(c.match.claim_id)
    if claim is not None:
        await record_new_conflicts(ctx.store, {claim.id: claim}, [claim.id], [c.match.statement_id], False, utcnow())


async def confirm(ctx: Context, args: str) -> Reply:
    """Confirm a match: it is about the claim, with the stance it has."""
    match, _ = await match_from(ctx, args)
    c = await ctx.store.review_match(match.match_id, "confirmed", ctx.who)
    assert c is not None
    m = c.match
    if not c.changed:
        return Reply(f"Match {m.match_id} is already confirmed ({m.stance} on claim #{m.claim_id}); nothing changed.")
    await _after(ctx, c)
    was = " (was a possible match)" if m.tier == "possible" else ""
    return Reply(f"Match {m.match_id} confirmed by {_who(ctx)}{was}: claim #{m.claim_id} counts it as {m.stance}.")


async def reject(ctx: Context, args: str) -> Reply:
    """Reject a match: the statement is not about the claim, so it no longer counts."""
    match, _ = await match_from(ctx, args)
    c = await ctx.store.review_match(match.match_id, "rejected", ctx.who)
    assert c is not None
    m = c.match
    if not c.changed:
        return Reply(f"Match {m.match_id} is already rejected (not about claim #{m.claim_id}); nothing changed.")
    return Reply(f"Match {m.match_id} rejected by {_who(ctx)}: not about claim #{m.claim_id}; it no longer counts.")


async def stance(ctx: Context, args: str) -> Reply:
    """Correct a match's stance (which confirms it is about the claim); the judge's stance is kept."""
    match, rest = await match_from(ctx, args)
    if len(rest) != 1:
        raise UsageError("Give one stance: supports, refutes or neutral.")
    word = rest[0].lower()
    if word not in STANCES:
        raise UsageError(f"Unknown stance {rest[0]!r}; use supports, refutes or neutral.")
    c = await ctx.store.review_match(match.match_id, "confirmed", ctx.who, stance=word)
    assert c is not None
    m = c.match
    if not c.changed:
        return Reply(f"Match {m.match_id} already counts as {word} for claim #{m.claim_id}; nothing changed.")
    await _after(ctx, c)
    return Reply(f"Match {m.match_id} set to {word} by {_who(ctx)} (the judge said {m.judged}): "
                 f"claim #{m.claim_id} counts it as {word}.")
