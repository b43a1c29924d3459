"""Judge a newly added claim against statements already collected, so its status is not empty."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.judging import JudgeService, verdict_detail
from bot.models import Claim
from storage import HandlerStore
from storage.tiers import TIERS, tier_of

log = logging.getLogger(__name__)

WINDOW = timedelta(days=30)
BATCH = 512


@dataclass(frozen=True, slots=True)
class Backfilled:
    """What a backfill recorded: alert-tier matches (they count) and possible ones (awaiting review)."""

    matched: int = 0
    possible: int = 0


async def backfill_claim(store: HandlerStore, judge: JudgeService, claim: Claim, window: timedelta = WINDOW) -> Backfilled:
    """Record matches for `claim` among the last `window` of statements, in their tiers; never alerts."""
    since = (datetime.now(UTC) - window).isoformat(timespec="seconds")
    statements = await store.recent_statements(since)
    await judge.set_claims(await store.list_claims())
    found = Counter[str]()
    for start in range(0, len(statements), BATCH):
        chunk = statements[start : start + BATCH]
        verdicts = await judge.match([text for _, text in chunk], possible=True)
        hits = [(sid, v) for (sid, _), vs in zip(chunk, verdicts, strict=True) for v in vs
                if v.claim_id == str(claim.id)]
        for tier in TIERS:
            mine = [(sid, v) for sid, v in hits if tier_of(v.alert) == tier]
            if mine:
                rows = [(sid, v.score, v.stance, v.confidence) for sid, v in mine]
                details = [verdict_detail(v) for _, v in mine]
                found[tier] += await store.add_matches(claim.id, rows, details, [tier] * len(mine))
    done = Backfilled(found["alert"], found["possible"])
    log.info("backfill of claim #%s: %d earlier statement(s) matched, %d possible", claim.id, done.matched,
             done.possible)
    return done
