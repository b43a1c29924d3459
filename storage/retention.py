"""Retention: clear old article bodies and delete old unmatched statements; the ledger is never touched.

Kept whatever their age: every statement with a match (alert, possible or context tier, confirmed
or rejected), matches, alerts, deliveries, conflicts, figures, reviews and the audit log. Document rows
themselves stay (title, URL, content hash and near-duplicate signature), so dedupe still recognises
an old article. Runs on the store thread in batches, one short transaction each, so the bot keeps
writing meanwhile. The SQL is plain (no SQLite-only syntax) but runs through the SQLite store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

BATCH = 2000  # rows per transaction: short write locks

_CLEAR_TEXT = (
    "UPDATE documents SET text = '' WHERE id IN "
    "(SELECT id FROM documents WHERE fetched_at < ? AND text <> '' LIMIT ?)"
)
_UNMATCHED = (
    "SELECT s.id FROM statements s JOIN documents d ON d.id = s.document_id WHERE d.fetched_at < ? "
    "AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.statement_id = s.id) "
    "AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.statement_a = s.id OR c.statement_b = s.id) "
    "LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What one retention pass removed."""

    texts_cleared: int = 0
    statements_deleted: int = 0


def _cutoff(now: datetime, days: int) -> str:
    return (now - timedelta(days=days)).isoformat(timespec="seconds")


def prune(db: sqlite_utils.Database, now: datetime, document_text_days: int,
          unmatched_statements_days: int) -> PruneResult:
    """Apply both limits (0 = keep forever) as of `now`."""
    cleared = deleted = 0
    if document_text_days > 0:
        cutoff = _cutoff(now, document_text_days)
        while True:
            with db.atomic():
                n = db.execute(_CLEAR_TEXT, [cutoff, BATCH]).rowcount
            cleared += n
            if n < BATCH:
                break
    if unmatched_statements_days > 0:
        cutoff = _cutoff(now, unmatched_statements_days)
        while True:
            with db.atomic():
                ids = [r[0] for r in db.execute(_UNMATCHED, [cutoff, BATCH]).fetchall()]
                if ids:
                    marks = ",".join("?" * len(ids))
                    db.execute(f"DELETE FROM figure_quantities WHERE statement_id IN ({marks})", ids)
                    db.execute(f"DELETE FROM statements WHERE id IN ({marks})", ids)
            deleted += len(ids)
            if len(ids) < BATCH:
                break
    return PruneResult(cleared, deleted)
