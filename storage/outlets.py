"""Outlets: every source that carried a story (the original and its syndicated copies)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.db import StoreBase, threaded, utcnow


@dataclass(slots=True)
class Outlet:
    """A source that carried a story, with its URL."""

    source_id: int
    label: str
    url: str
    title: str
    published_at: str | None
    similarity: float
    seen_at: str


class OutletsMixin(StoreBase):
    """Outlet rows per story; a story is the first version's document id."""

    @threaded
    def add_outlet(self, story_id: int, source_id: int, url: str, canonical_url: str, title: str = "",
                   published_at: str | None = None, similarity: float = 1.0) -> bool:
        """Record that `source_id` carried story `story_id`; False when already recorded."""
        with self.tx() as db:
            return self._add_outlet(db, story_id, source_id, url, canonical_url, title, published_at,
                                    similarity)

    def _add_outlet(self, db: Any, story_id: int, source_id: int, url: str, canonical_url: str,
                    title: str, published_at: str | None, similarity: float) -> bool:
        cur = db.execute(
            "INSERT OR IGNORE INTO outlets (document_id, source_id, url, canonical_url, title, "
            "published_at, similarity, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [story_id, source_id, url, canonical_url, title, published_at, similarity, utcnow()],
        )
        return bool(cur.rowcount)

    def _story_of(self, document_id: int) -> int:
        row = self.db.execute(
            "SELECT COALESCE(story_id, id) FROM documents WHERE id = ?", [document_id]
        ).fetchone()
        return int(row[0]) if row else document_id

    @threaded
    def outlets(self, document_id: int) -> list[Outlet]:
        """Every outlet that carried the story of `document_id` (any version), first seen first."""
        rows = self.db.execute(
            "SELECT o.source_id, COALESCE(s.label, ''), o.url, o.title, o.published_at, o.similarity, "
            "o.seen_at FROM outlets o LEFT JOIN sources s ON s.id = o.source_id "
            "WHERE o.document_id = ? ORDER BY o.seen_at, o.rowid", [self._story_of(document_id)],
        ).fetchall()
        return [Outlet(*r) for r in rows]

    @threaded
    def outlet_count(self, document_id: int) -> int:
        """How many distinct outlets (sources) carried the story of `document_id`."""
        row = self.db.execute(
            "SELECT COUNT(DISTINCT source_id) FROM outlets WHERE document_id = ?",
            [self._story_of(document_id)],
        ).fetchone()
        return int(row[0])
