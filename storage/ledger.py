"""Read-side queries over matches for `/claim status`, `/claim evidence` and exports (counted matches only)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.db import StoreBase, threaded
from storage.tiers import COUNTED


@dataclass(slots=True)
class EvidenceRow:
    """One matched statement with its provenance."""

    match_id: int
    stance: str
    score: float
    confidence: float
    text: str
    speaker: str | None
    cue_type: str | None
    url: str
    title: str
    published_at: str | None
    source_label: str
    speaker_kind: str
    matched_at: str


@dataclass(slots=True)
class LedgerRow:
    """One matched statement as the ledger needs it: side, voice, source kind and time."""

    match_id: int
    statement_id: int
    stance: str
    confidence: float
    text: str
    speaker: str | None
    speaker_role: str | None
    cue_type: str | None
    url: str
    source_id: int
    source_label: str
    speaker_kind: str
    at: str
    score: float = 1.0  # the judge's relatedness score
    confirmed: bool = False  # a moderator confirmed the match


def real(value: Any) -> float:
    """A stored number as float (NULL as 0)."""
    return float(value or 0.0)


_FROM = """
FROM matches m
JOIN statements s ON s.id = m.statement_id
JOIN documents d ON d.id = s.document_id
LEFT JOIN sources src ON src.id = d.source_id
"""

_EVIDENCE_SQL = """
SELECT m.id AS match_id, m.stance, m.score, m.confidence, s.text, s.speaker, s.cue_type,
       d.url, d.title, d.published_at, COALESCE(NULLIF(src.label, ''), src.url, '') AS source_label,
       COALESCE(src.speaker_kind, 'unknown') AS speaker_kind, m.created_at AS matched_at
""" + _FROM + """
WHERE m.claim_id = ? AND """ + COUNTED + """ {extra}
ORDER BY COALESCE(d.published_at, m.created_at) DESC, m.id DESC
LIMIT ? OFFSET ?
"""

_LEDGER_SQL = """
SELECT m.id AS match_id, s.id AS statement_id, m.stance, m.confidence, s.text, s.speaker,
       s.speaker_role, s.cue_type, d.url, d.source_id,
       COALESCE(NULLIF(src.label, ''), src.url, 'source #' || d.source_id) AS source_label,
       COALESCE(src.speaker_kind, 'unknown') AS speaker_kind,
       COALESCE(d.published_at, m.created_at) AS at, m.score, COALESCE(m.review, '') = 'confirmed' AS confirmed
""" + _FROM + """
WHERE m.claim_id = ? AND """ + COUNTED + """
ORDER BY at, m.id
"""


class LedgerMixin(StoreBase):
    """Per-claim evidence, counts and the rows the ledger is built from."""

    @threaded
    def stance_counts(self, claim_id: int) -> dict[str, int]:
        """Counted matched statements per stance."""
        rows = self.db.query(
            f"SELECT m.stance, COUNT(*) AS n FROM matches m WHERE m.claim_id = ? AND {COUNTED} GROUP BY m.stance",
            [claim_id],
        )
        return {r["stance"]: r["n"] for r in rows}

    @threaded
    def evidence(
        self, claim_id: int, stance: str | None = None, limit: int = 10, offset: int = 0
    ) -> list[EvidenceRow]:
        """Matched statements, newest first, optionally of one stance."""
        args: list[Any] = [claim_id]
        extra = ""
        if stance:
            extra, args = "AND m.stance = ?", [claim_id, stance]
        rows = self.db.query(_EVIDENCE_SQL.format(extra=extra), [*args, limit, offset])
        return [EvidenceRow(**(r | {"score": real(r["score"]), "confidence": real(r["confidence"])})) for r in rows]

    @threaded
    def evidence_count(self, claim_id: int, stance: str | None = None) -> int:
        """How many statements `evidence` can page through."""
        sql, args = f"SELECT COUNT(*) FROM matches m WHERE m.claim_id = ? AND {COUNTED}", [claim_id]
        if stance:
            sql, args = sql + " AND m.stance = ?", [claim_id, stance]
        return int(self.db.execute(sql, args).fetchone()[0])

    @threaded
    def ledger_rows(self, claim_id: int) -> list[LedgerRow]:
        """Every matched statement of a claim, oldest first, with its source's kind."""
        return [LedgerRow(**(r | {"confidence": real(r["confidence"]), "score": real(r["score"]),
                                  "confirmed": bool(r["confirmed"])}))
                for r in self.db.query(_LEDGER_SQL, [claim_id])]
