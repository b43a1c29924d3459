"""Judge a newly added claim against statements already collected, so its status is not empty."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.judging import JudgeService
from bot.models import Claim
from storage import Store

log = logging.getLogger(__name__)

WINDOW = timedelta(days=30)
BATCH = 512


async def backfill_claim(store: Store, judge: JudgeService, claim: Claim, window: timedelta = WINDOW) -> int:
    """Record matches for `claim` among the last `window` of statements; returns how many."""
    since = (datetime.now(UTC) - window).isoformat(timespec="seconds")
    statements = await store.recent_statements(since)
    await judge.set_claims(await store.list_claims())
    found = 0
    for start in range(0, len(statements), BATCH):
        chunk = statements[start : start + BATCH]
        verdicts = await judge.match([text for _, text in chunk])
        hits = [
            (sid, v)
            for (sid, _), vs in zip(chunk, verdicts, strict=True)
            for v in vs
            if v.claim_id == str(claim.id)
        ]
        if hits:
            rows = [(sid, v.score, v.stance, v.confidence) for sid, v in hits]
            details = [v.reasons.as_dict() if v.reasons is not None else None for _, v in hits]
            found += await store.add_matches(claim.id, rows, details)
    log.info("backfill of claim #%s: %d earlier statement(s) matched", claim.id, found)
    return found
