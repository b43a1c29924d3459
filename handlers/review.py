"""/claim possible (the review queue), /claim confirm, /claim reject, /claim stance: moderators correct matches.

A correction changes the ledger at once (ledger reads filter on storage.tiers.COUNTED), keeps
the judge's own stance, and is idempotent; the dispatcher audits each one. Rejecting or
restancing through an article alert (`alert=<id>`, its buttons) corrects every alert-tier
statement of that claim in the alert's article, since the alert stands for the article.
"""

from __future__ import annotations

from collections import Counter

from bot.ledger.conflicts import record_new_conflicts
from bot.models import Claim
from bot.platform import Reply
from handlers.context import Context
from handlers.errors import CommandError
from handlers.parsing import MatchTarget, target
from handlers.shown import channel_tz, quote, show_time, shown_link
from storage import Correction, MatchInfo, counts, utcnow

PAGE_SIZE = 8
HOW = ("Correct one with /claim confirm <match id>, /claim reject <match id> (not about this claim) or "
       "/claim stance <match id> supports|refutes|neutral; /claim why <match id> shows why it matched.")


def possible_line(n: int, m: MatchInfo, tz: str = "UTC") -> str:
    """Row `n` of the review queue (rows count from 1; the match id is what the corrections take)."""
    who = m.speaker or m.source_label or "unattributed"
    return (f"{n}. [{m.stance}, relevance {m.score:.2f}] {who} ({m.source_label}, "
            f"{show_time(m.at, tz)}): {quote(m.text, 160)} (match {m.match_id}) {shown_link(m.url)}").rstrip()


async def possible(ctx: Context, claim: Claim, page: int = 1) -> Reply:
    """A claim's possible matches awaiting review, most related first, paged."""
    total = await ctx.store.possible_count(claim.id)
    if not total:
        return Reply(f"Claim #{claim.id} has no possible matches awaiting review.")
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if page > pages:
        raise CommandError(f"Page {page} does not exist; claim #{claim.id} has {pages} page(s) of possible matches.")
    rows = await ctx.store.possible_matches(claim.id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    lines = [f"Claim #{claim.id}: {total} possible match(es) awaiting review, page {page} of {pages} "
             "(most related first; they do not count until confirmed):"]
    tz = await channel_tz(ctx)
    lines.extend(possible_line(n, m, tz) for n, m in enumerate(rows, start=(page - 1) * PAGE_SIZE + 1))
    if page < pages:
        lines.append(f"Next: /claim possible {claim.id} {page + 1}")
    lines.append(HOW)
    return Reply("\n".join(lines))


async def _after(ctx: Context, corrections: list[Correction]) -> None:
    """Matches that start counting may bring conflicting figures the ledger did not see before.

    A confirmed match also makes its article's unreviewed possible and context statements the
    claim's figures (storage.tiers.FIGURES), so their figures are checked too.
    """
    started = [c.match for c in corrections
               if c.changed and not counts(c.before.tier, c.before.review) and counts(c.match.tier, c.match.review)]
    if not started:
        return
    claim = await ctx.store.get_claim(started[0].claim_id)
    if claim is not None:
        ids = await ctx.store.document_claim_statements([m.match_id for m in started])
        await record_new_conflicts(ctx.store, {claim.id: claim}, [claim.id], ids, False, utcnow())


async def _correct(ctx: Context, named: MatchTarget, review: str, stance: str | None = None) -> list[Correction]:
    """Apply a review to the named match or, named through an alert, to every alert-tier match of its article."""
    lead = named.match.match_id
    ids = [lead, *await ctx.store.article_matches(lead)] if named.alert_id is not None else [lead]
    corrections = await ctx.store.review_matches(ids, review, ctx.who, stance=stance)
    await _after(ctx, corrections)
    return corrections


def _ids(corrections: list[Correction]) -> str:
    """'match 4' or 'matches 4, 5, 6'."""
    ids = [str(c.match.match_id) for c in corrections]
    return ("match " if len(ids) == 1 else "matches ") + ", ".join(ids)


def _judged(corrections: list[Correction]) -> str:
    """'supports', or 'supports 2, neutral 1' when the judge gave the statements different stances."""
    tally = Counter(c.match.judged for c in corrections)
    if len(tally) == 1:
        return next(iter(tally))
    return ", ".join(f"{s} {n}" for s, n in tally.most_common())


def _alert_reply(alert_id: int, corrections: list[Correction], already: str, done: str, verb: str) -> Reply:
    """The answer to a correction named through an alert: how many of its article's statements changed.

    'Alert 7: all 3 statement(s) <already>; nothing changed.' or 'Alert 7: 2 statement(s) <done>. 1 already <verb>.'
    """
    changed = sum(c.changed for c in corrections)
    if not changed:
        return Reply(f"Alert {alert_id}: all {len(corrections)} statement(s) {already}; nothing changed.")
    same = len(corrections) - changed
    return Reply(f"Alert {alert_id}: {changed} statement(s) {done}." + (f" {same} already {verb}." if same else ""))


async def confirm(ctx: Context, match: int | None = None, alert: int | None = None) -> Reply:
    """Confirm a match (an alert's lead match): it is about the claim, with the stance it has."""
    found = (await target(ctx, match, alert)).match
    c = await ctx.store.review_match(found.match_id, "confirmed", ctx.who)
    assert c is not None
    m = c.match
    if not c.changed:
        return Reply(f"Match {m.match_id} is already confirmed ({m.stance} on claim #{m.claim_id}); nothing changed.")
    await _after(ctx, [c])
    was = " (was a possible match)" if m.tier == "possible" else ""
    return Reply(f"Match {m.match_id} confirmed by {ctx.caller_name}{was}: claim #{m.claim_id} counts it as {m.stance}.")


async def reject(ctx: Context, match: int | None = None, alert: int | None = None) -> Reply:
    """Reject a match (or an article alert's statements): not about the claim, so it no longer counts."""
    named = await target(ctx, match, alert)
    corrections = await _correct(ctx, named, "rejected")
    claim_id = named.match.claim_id
    changed = [c for c in corrections if c.changed]
    if named.alert_id is not None:
        return _alert_reply(named.alert_id, corrections, f"are already rejected (not about claim #{claim_id})",
                            f"rejected by {ctx.caller_name} ({_ids(changed)}): not about claim #{claim_id}; "
                            "they no longer count", "were")
    m = named.match
    if not changed:
        return Reply(f"Match {m.match_id} is already rejected (not about claim #{claim_id}); nothing changed.")
    return Reply(f"Match {m.match_id} rejected by {ctx.caller_name}: not about claim #{claim_id}; it no longer counts.")


async def stance(ctx: Context, stance: str, match: int | None = None, alert: int | None = None) -> Reply:
    """Correct a match's (or an article alert's statements') stance, which confirms it; the judge's is kept."""
    named = await target(ctx, match, alert)
    word = stance
    corrections = await _correct(ctx, named, "confirmed", stance=word)
    claim_id = named.match.claim_id
    changed = [c for c in corrections if c.changed]
    if named.alert_id is not None:
        return _alert_reply(named.alert_id, corrections, f"already count as {word} for claim #{claim_id}",
                            f"set to {word} by {ctx.caller_name} ({_ids(changed)}; the judge said {_judged(changed)}): "
                            f"claim #{claim_id} counts them as {word}", "did")
    if not changed:
        return Reply(f"Match {named.match.match_id} already counts as {word} for claim #{claim_id}; nothing changed.")
    m = changed[0].match
    return Reply(f"Match {m.match_id} set to {word} by {ctx.caller_name} (the judge said {m.judged}): "
                 f"claim #{claim_id} counts it as {word}.")
