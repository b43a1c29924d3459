"""Moderator reviews as labelled (claim, text) pairs: `claimwatch feedback export` writes them as JSONL.

One line per reviewed match: {"claim", "text", "label", "claim_id", "match_id", "judged",
"reviewed_by", "reviewed_at"}; label is the moderator's stance (supports, refutes, neutral) or
"unrelated" for a match rejected as not about the claim. scripts/feedback_pairs.py reads it back
for scripts/train_stance.py --feedback.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import IO

from storage import Store
from storage.reviews import FeedbackPair
from storage.url import DatabaseTarget

FIELDS = ("claim", "text", "label", "claim_id", "match_id", "judged", "reviewed_by", "reviewed_at")


def pair_line(pair: FeedbackPair) -> str:
    """One JSONL line, keys in FIELDS order."""
    data = asdict(pair)
    return json.dumps({k: data[k] for k in FIELDS}, ensure_ascii=False)


async def export_feedback(db_path: Path | DatabaseTarget, out: IO[str]) -> int:
    """Write every moderator-reviewed match of the database to `out`; returns how many."""
    store = Store(db_path)
    await store.open()
    try:
        pairs = await store.feedback_pairs()
    finally:
        await store.close()
    for pair in pairs:
        out.write(pair_line(pair) + "\n")
    return len(pairs)
