"""Conflicting figures: the statements that carry numbers, and the conflicts found between them."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from bot.alert_types import ConflictAlert
from bot.models import Figure
from storage.alert_codec import encode
from storage.db import StoreBase, threaded, utcnow
from storage.deliveries import enqueue
from storage.tiers import FIGURES


@dataclass(slots=True)
class FigureStatement:
    """A matched statement that carries at least one number."""

    statement_id: int
    text: str
    figures: list[Figure]
    speaker: str | None
    source_label: str
    url: str
    at: str


@dataclass(slots=True)
class ConflictRecord:
    """Two values given for one quantity about one claim."""

    id: int
    claim_id: int
    quantity: str
    label: str
    value_a: float
    value_b: float
    a: FigureStatement
    b: FigureStatement
    created_at: str
    alert_id: int | None


FIG_SQL = """
SELECT s.id AS statement_id, s.text, s.figures, s.speaker, d.url,
       COALESCE(NULLIF(src.label, ''), src.url, 'source #' || d.source_id) AS source_label,
       COALESCE(d.published_at, m.created_at) AS at
FROM matches m JOIN statements s ON s.id = m.statement_id
JOIN documents d ON d.id = s.document_id LEFT JOIN sources src ON src.id = d.source_id
WHERE m.claim_id = ? AND s.figures != '[]' {extra}
ORDER BY at, s.id
"""


def fig_statement(r: dict[str, Any]) -> FigureStatement:
    """A FIG_SQL row as a FigureStatement."""
    figs = [Figure(**f) for f in json.loads(r["figures"] or "[]")]
    return FigureStatement(r["statement_id"], r["text"], figs, r["speaker"], r["source_label"], r["url"], r["at"])


class ConflictsMixin(StoreBase):
    """Figure-bearing statements per claim and the conflicts table."""

    @threaded
    def figure_statements(self, claim_id: int, statement_ids: list[int] | None = None) -> list[FigureStatement]:
        """Statements with figures that count for a claim's figures (tiers.FIGURES), oldest first (optionally only some ids)."""
        extra, args = f"AND {FIGURES}", [claim_id]
        if statement_ids is not None:
            if not statement_ids:
                return []
            extra += f" AND s.id IN ({','.join('?' * len(statement_ids))})"
            args += statement_ids
        return [fig_statement(r) for r in self.db.query(FIG_SQL.format(extra=extra), args)]

    @threaded
    def record_conflict(
        self, claim_id: int, quantity: str, label: str, a: FigureStatement, value_a: float,
        b: FigureStatement, value_b: float, alert: ConflictAlert | None, sort_key: str,
    ) -> int | None:
        """Insert a conflict once (per claim, quantity and pair of values); queue its alert with it.

        Returns the alert id, or None when the conflict was already known or no alert was asked.
        """
        lo, hi = sorted((value_a, value_b))
        with self.tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO conflicts (claim_id, quantity, label, value_a, value_b, statement_a,"
                " statement_b, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [claim_id, quantity, label, value_a, value_b, a.statement_id, b.statement_id, utcnow()]
                if value_a == lo else
                [claim_id, quantity, label, value_b, value_a, b.statement_id, a.statement_id, utcnow()],
            )
            if not cur.rowcount or alert is None:
                return None
            conflict_id = cur.lastrowid
            alert_id = enqueue(db, "conflict", claim_id, encode(replace(alert, conflict_id=conflict_id))[1], sort_key)
            db.execute("UPDATE conflicts SET alert_id = ? WHERE id = ?", [alert_id, conflict_id])
        return alert_id

    @threaded
    def conflicts(self, claim_id: int) -> list[ConflictRecord]:
        """Recorded conflicts of a claim between statements that still count, oldest first."""
        rows = list(self.db.query("SELECT * FROM conflicts WHERE claim_id = ? ORDER BY id", [claim_id]))
        ids = sorted({r["statement_a"] for r in rows} | {r["statement_b"] for r in rows})
        if not ids:
            return []
        # A conflict whose statement a moderator rejected (or never confirmed) leaves the ledger with it.
        sql = FIG_SQL.format(extra=f"AND {FIGURES} AND s.id IN ({','.join('?' * len(ids))})")
        by_id = {r["statement_id"]: fig_statement(r) for r in self.db.query(sql, [claim_id, *ids])}
        return [
            ConflictRecord(
                r["id"], r["claim_id"], r["quantity"], r["label"], r["value_a"], r["value_b"],
                by_id[r["statement_a"]], by_id[r["statement_b"]], r["created_at"], r["alert_id"],
            )
            for r in rows
            if r["statement_a"] in by_id and r["statement_b"] in by_id
        ]
