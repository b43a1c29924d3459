"""Moderator reviews: alerts marked reviewed, the possible-match queue, corrections, /claim why, feedback pairs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import StoreBase, threaded, utcnow
from storage.tiers import AWAITING


@dataclass(frozen=True, slots=True)
class MatchInfo:
    """One match with its statement, provenance, tier, review and the judge's stored reasons."""

    match_id: int
    claim_id: int
    statement_id: int
    score: float
    stance: str
    confidence: float
    tier: str
    review: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    judged_stance: str | None  # the judge's own stance, kept when a moderator changed it
    detail: dict[str, Any] | None
    text: str
    speaker: str | None
    source_label: str
    url: str
    at: str

    @property
    def judged(self) -> str:
        """The stance the judge gave, corrected or not."""
        return self.judged_stance or self.stance


@dataclass(frozen=True, slots=True)
class Correction:
    """What a review did to a match: the match as it is now, and whether anything changed."""

    match: MatchInfo
    changed: bool
    before: MatchInfo


@dataclass(frozen=True, slots=True)
class AlertRef:
    """An alert and the match it was raised for (None for conflict, status and other alerts)."""

    alert_id: int
    match_id: int | None


@dataclass(frozen=True, slots=True)
class FeedbackPair:
    """A moderator-reviewed match as a labelled (claim, text) pair for training the judge."""

    claim: str
    text: str
    label: str  # supports | refutes | neutral | unrelated (rejected)
    claim_id: int
    match_id: int
    judged: str
    reviewed_by: str
    reviewed_at: str


_MATCH_SQL = """
SELECT m.id, m.claim_id, m.statement_id, m.score, m.stance, m.confidence, m.tier, m.review, m.reviewed_by,
       m.reviewed_at, m.judged_stance, m.detail, s.text, s.speaker,
       COALESCE(NULLIF(src.label, ''), src.url, 'source #' || d.source_id) AS source_label, d.url,
       COALESCE(d.published_at, m.created_at) AS at
FROM matches m
JOIN statements s ON s.id = m.statement_id
JOIN documents d ON d.id = s.document_id
LEFT JOIN sources src ON src.id = d.source_id
"""


def _detail(raw: str | None) -> dict[str, Any] | None:
    # Older rows have none; a damaged one reads as none rather than failing /claim why.
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _info(r: tuple) -> MatchInfo:
    return MatchInfo(r[0], r[1], r[2], float(r[3] or 0.0), r[4], float(r[5] or 0.0), r[6], r[7], r[8], r[9],
                     r[10], _detail(r[11]), r[12], r[13], r[14], r[15], r[16])


# Every match of a `lead` match's claim in the lead's document (version), as `m` over statements `s`.
_SAME_ARTICLE = ("FROM matches lead JOIN statements ls ON ls.id = lead.statement_id "
                 "JOIN statements s ON s.document_id = ls.document_id "
                 "JOIN matches m ON m.statement_id = s.id AND m.claim_id = lead.claim_id")


class ReviewsMixin(StoreBase):
    """Read and correct single matches; every correction counts in the ledger at once."""

    def _match(self, match_id: int) -> MatchInfo | None:
        row = self.db.execute(_MATCH_SQL + "WHERE m.id = ?", [match_id]).fetchone()
        return _info(row) if row else None

    @threaded
    def mark_reviewed(self, alert_id: int, by: str) -> bool:
        """Mark an alert reviewed; False if it does not exist or was already reviewed."""
        if not list(self.db.query("SELECT id FROM alerts WHERE id = ?", [alert_id])):
            return False
        with self.tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO reviews (alert_id, reviewed_by, reviewed_at) VALUES (?, ?, ?)",
                [alert_id, by, utcnow()],
            )
        return cur.rowcount > 0

    @threaded
    def get_match(self, match_id: int) -> MatchInfo | None:
        """One match by id, or None."""
        return self._match(match_id)

    @threaded
    def possible_count(self, claim_id: int) -> int:
        """Possible-tier matches of a claim that no moderator has reviewed yet."""
        return int(self.db.execute(
            f"SELECT COUNT(*) FROM matches m WHERE m.claim_id = ? AND {AWAITING}", [claim_id]).fetchone()[0])

    @threaded
    def possible_matches(self, claim_id: int, limit: int = 10, offset: int = 0) -> list[MatchInfo]:
        """Unreviewed possible-tier matches of a claim, most related first."""
        rows = self.db.execute(
            _MATCH_SQL + f"WHERE m.claim_id = ? AND {AWAITING} ORDER BY m.score DESC, m.id DESC LIMIT ? OFFSET ?",
            [claim_id, limit, offset],
        ).fetchall()
        return [_info(r) for r in rows]

    @threaded
    def alert_match(self, alert_id: int) -> AlertRef | None:
        """The match an alert was raised for (an edit in place stands for the alert it edits)."""
        row = self.db.execute("SELECT match_id, kind, payload FROM alerts WHERE id = ?", [alert_id]).fetchone()
        if row is None:
            return None
        match_id, kind, payload = row
        if match_id is None and kind == "update":
            original = json.loads(payload).get("edit_of")
            if isinstance(original, int):
                found = self.db.execute("SELECT match_id FROM alerts WHERE id = ?", [original]).fetchone()
                match_id = found[0] if found else None
        return AlertRef(alert_id, match_id)

    @threaded
    def article_matches(self, match_id: int) -> list[int]:
        """Alert-tier matches of a match's claim in the match's document (version), in statement order:
        what an article alert anchored on that match stands for. Empty for an unknown match."""
        rows = self.db.execute(
            f"SELECT m.id {_SAME_ARTICLE} WHERE lead.id = ? AND m.tier = 'alert' ORDER BY s.seq, m.id", [match_id],
        ).fetchall()
        return [int(r[0]) for r in rows]

    @threaded
    def document_claim_statements(self, match_ids: list[int]) -> list[int]:
        """Statements matched to a match's claim in the match's document (the matches' own among them),
        for each of the matches: what may start to count as the claim's figures once one is confirmed."""
        if not match_ids:
            return []
        rows = self.db.execute(
            f"SELECT DISTINCT m.statement_id {_SAME_ARTICLE} "
            f"WHERE lead.id IN ({','.join('?' * len(match_ids))}) ORDER BY m.statement_id", list(match_ids),
        ).fetchall()
        return [int(r[0]) for r in rows]

    @threaded
    def review_match(self, match_id: int, review: str, by: str, stance: str | None = None) -> Correction | None:
        """Confirm or reject a match, or (with `stance`) confirm it with a corrected stance.

        Idempotent: the same review again changes nothing and keeps who made it first. The judge's
        stance is kept in judged_stance the first time a moderator changes it. The match's alerts
        count as reviewed too. None when there is no such match.
        """
        return self._review(match_id, review, by, stance)

    @threaded
    def review_matches(self, match_ids: list[int], review: str, by: str,
                       stance: str | None = None) -> list[Correction]:
        """review_match for several matches in one transaction (an article alert's statements); unknown ids are skipped."""
        with self.tx():
            found = [self._review(m, review, by, stance) for m in dict.fromkeys(match_ids)]
        return [c for c in found if c is not None]

    def _review(self, match_id: int, review: str, by: str, stance: str | None) -> Correction | None:
        assert review in ("confirmed", "rejected")
        before = self._match(match_id)
        if before is None:
            return None
        new_stance = stance or before.stance
        if before.review == review and before.stance == new_stance:
            return Correction(before, False, before)
        now = utcnow()
        with self.tx() as db:
            # SET reads the old row, so judged_stance takes the judge's stance before it is replaced.
            db.execute(
                "UPDATE matches SET review = ?, reviewed_by = ?, reviewed_at = ?, judged_stance = CASE WHEN "
                "stance != ? THEN COALESCE(judged_stance, stance) ELSE judged_stance END, stance = ? WHERE id = ?",
                [review, by, now, new_stance, new_stance, match_id],
            )
            db.execute("INSERT OR IGNORE INTO reviews (alert_id, reviewed_by, reviewed_at) "
                       "SELECT id, ?, ? FROM alerts WHERE match_id = ?", [by, now, match_id])
        after = self._match(match_id)
        assert after is not None
        return Correction(after, True, before)

    @threaded
    def feedback_pairs(self) -> list[FeedbackPair]:
        """Every moderator-reviewed match as a labelled pair, oldest review first."""
        rows = self.db.execute(
            "SELECT c.text, s.text, m.review, m.stance, m.claim_id, m.id, COALESCE(m.judged_stance, m.stance), "
            "m.reviewed_by, m.reviewed_at FROM matches m JOIN claims c ON c.id = m.claim_id "
            "JOIN statements s ON s.id = m.statement_id WHERE m.review IS NOT NULL ORDER BY m.reviewed_at, m.id"
        ).fetchall()
        return [
            FeedbackPair(claim, text, "unrelated" if review == "rejected" else stance, claim_id, match_id, judged,
                         by or "", at or "")
            for claim, text, review, stance, claim_id, match_id, judged, by, at in rows
        ]

