"""Store documents with chosen matches (tier, stance, reasons, alert) straight through the Store."""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from bot.alert_types import StatementAlert
from bot.models import StatementDraft
from storage import Store
from storage.documents import NewDocument, NewMatch

_DOCS: weakref.WeakKeyDictionary[Store, int] = weakref.WeakKeyDictionary()  # documents stored per store


@dataclass(frozen=True)
class Row:
    """One statement to store with its match against a claim."""

    text: str
    stance: str = "supports"
    tier: str = "alert"
    score: float = 0.7
    detail: dict[str, Any] | None = None
    alert: bool = False
    claim_id: int | None = None  # another claim than the document's


async def store_rows(store: Store, rows: list[Row], claim_id: int = 1, speaker_kind: str = "independent",
                     drafts: list[StatementDraft] | None = None) -> list[int]:
    """Store one document with these statements and matches; returns the match ids in order."""
    n = _DOCS[store] = _DOCS.get(store, 0) + 1
    sources = await store.list_sources()
    src = sources[0] if sources else await store.add_source("https://wire.example/feed", label="City wire",
                                                            speaker_kind=speaker_kind)
    drafts = drafts or [StatementDraft(i, r.text, speaker="the council") for i, r in enumerate(rows)]
    matches = [
        NewMatch(i, r.claim_id or claim_id, r.score, r.stance, 0.8,
                 _payload(r, r.claim_id or claim_id) if r.alert else None,
                 f"2026-11-{10 + n}T08:00:00+00:00", tier=r.tier, detail=r.detail)
        for i, r in enumerate(rows)
    ]
    doc = NewDocument(source_id=src.id, url=f"https://wire.example/{n}", canonical_url=f"https://wire.example/{n}",
                      title=f"Story {n}", text=" ".join(r.text for r in rows), content_hash=f"h{n}",
                      published_at=f"2026-11-{10 + n}T08:00:00+00:00", statements=drafts, matches=matches)
    before = await _match_ids(store)
    await store.store_document(doc)
    return [m for m in await _match_ids(store) if m not in before]


async def _match_ids(store: Store) -> list[int]:
    return await store.run(lambda: [r[0] for r in store.db.execute("SELECT id FROM matches ORDER BY id")])


def _payload(r: Row, claim_id: int) -> StatementAlert:
    """A statement alert, as the pipeline builds it (only what the adapters render)."""
    return StatementAlert(title=f"{r.stance.upper()}: claim #{claim_id}", text=r.text, stance=r.stance,
                          confidence=0.8, claim_id=claim_id, claim_text="", speaker="the council",
                          source="City wire", link="https://wire.example/story", outlets=1)

