"""Recent statements for judging a newly added claim against what was already collected."""

from __future__ import annotations

import json
from typing import Any

from storage.db import StoreBase, threaded, utcnow
from storage.tiers import TIERS


class BackfillMixin(StoreBase):
    """Read recent statements; write matches found after the fact (never alerts)."""

    @threaded
    def recent_statements(self, since: str, limit: int = 20000) -> list[tuple[int, str]]:
        """(statement id, text) of documents fetched since `since`, newest first."""
        rows = self.db.execute(
            "SELECT s.id, s.text FROM statements s JOIN documents d ON d.id = s.document_id "
            "WHERE d.fetched_at >= ? ORDER BY d.fetched_at DESC, s.id DESC LIMIT ?",
            [since, limit],
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    @threaded
    def add_matches(self, claim_id: int, rows: list[tuple[int, float, str, float]],
                    details: list[dict[str, Any] | None] | None = None, tiers: list[str] | None = None) -> int:
        """Record (statement id, score, stance, confidence) matches for a claim, with the judge's reasons
        (for /claim why) and tier ('alert' unless given) per row; returns how many were new."""
        now = utcnow()
        added = 0
        with self.tx() as db:
            for i, (statement_id, score, stance, confidence) in enumerate(rows):
                detail = details[i] if details is not None else None
                tier = tiers[i] if tiers is not None else "alert"
                assert tier in TIERS
                cur = db.execute(
                    "INSERT OR IGNORE INTO matches (statement_id, claim_id, score, stance, confidence, "
                    "created_at, detail, tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [statement_id, claim_id, score, stance, confidence, now,
                     json.dumps(detail) if detail is not None else None, tier],
                )
                added += cur.rowcount
        return added
