"""Documents, their statements and matches, written with their alerts in one transaction."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.models import Figure
from storage.db import StoreBase, threaded, utcnow


@dataclass(slots=True)
class NewStatement:
    """A statement to store (its id is assigned on insert)."""

    seq: int
    text: str
    speaker: str | None = None
    speaker_role: str | None = None
    cue: str | None = None
    cue_type: str | None = None
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class NewMatch:
    """A judgement of statement `seq` against a claim; `alert` carries the payload to send."""

    seq: int
    claim_id: int
    score: float
    stance: str
    confidence: float
    alert: dict[str, Any] | None = None
    sort_key: str = ""


@dataclass(slots=True)
class NewDocument:
    """A fetched document to store with everything derived from it."""

    source_id: int
    url: str
    canonical_url: str
    title: str
    text: str
    content_hash: str
    guid: str | None = None
    published_at: str | None = None
    author: str | None = None
    quiet: bool = False
    statements: list[NewStatement] = field(default_factory=list)
    matches: list[NewMatch] = field(default_factory=list)


@dataclass(slots=True)
class StoredDocument:
    """What storing a document produced."""

    document_id: int
    version: int
    statement_ids: dict[int, int]
    alert_ids: list[int]


class DocumentsMixin(StoreBase):
    """Dedupe lookups and the atomic document write."""

    @threaded
    def document_state(
        self, source_id: int, canonical_url: str, guid: str | None, content_hash: str
    ) -> tuple[str, int]:
        """('new', 1), ('same', version) or ('changed', next_version) for an incoming document."""
        rows = list(
            self.db.query(
                "SELECT content_hash, version FROM documents WHERE canonical_url = ? "
                "OR (guid IS NOT NULL AND guid = ? AND source_id = ?) ORDER BY version DESC",
                [canonical_url, guid, source_id],
            )
        )
        if not rows:
            return "new", 1
        if any(r["content_hash"] == content_hash for r in rows):
            return "same", rows[0]["version"]
        return "changed", rows[0]["version"] + 1

    @threaded
    def store_document(self, doc: NewDocument, version: int = 1) -> StoredDocument:
        """Insert the document, statements, matches, alerts and deliveries together."""
        now = utcnow()
        row = {
            k: v for k, v in asdict(doc).items() if k not in ("statements", "matches")
        } | {"fetched_at": now, "version": version, "quiet": int(doc.quiet)}
        seq_ids: dict[int, int] = {}
        alert_ids: list[int] = []
        with self.tx() as db:
            doc_id = db["documents"].insert(row).last_pk
            for st in doc.statements:
                data = asdict(st) | {"document_id": doc_id}
                data["figures"] = json.dumps(data["figures"])
                seq_ids[st.seq] = db["statements"].insert(data).last_pk
            for m in doc.matches:
                cur = db.execute(
                    "INSERT OR IGNORE INTO matches (statement_id, claim_id, score, stance, confidence,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [seq_ids[m.seq], m.claim_id, m.score, m.stance, m.confidence, now],
                )
                if m.alert is None or not cur.rowcount:
                    continue
                payload = m.alert | {"statement_id": seq_ids[m.seq], "document_id": doc_id}
                alert_ids.append(
                    self._enqueue(db, "statement", m.claim_id, payload, m.sort_key or now, cur.lastrowid)
                )
        return StoredDocument(doc_id, version, seq_ids, alert_ids)

    def _enqueue(
        self,
        db: Any,
        kind: str,
        claim_id: int | None,
        payload: dict[str, Any],
        sort_key: str,
        match_id: int | None = None,
        destinations: list[tuple[str, str]] | None = None,
    ) -> int:
        # Runs inside the caller's transaction so the alert and its deliveries land together.
        alert_id = db["alerts"].insert(
            {
                "claim_id": claim_id,
                "match_id": match_id,
                "kind": kind,
                "payload": json.dumps(payload),
                "sort_key": sort_key,
                "created_at": utcnow(),
            }
        ).last_pk
        if destinations is None:
            destinations = [
                (r["platform"], r["channel"])
                for r in db.query(
                    "SELECT platform, channel FROM watches WHERE claim_id = ?", [claim_id]
                )
            ]
        for platform, channel in dict.fromkeys(destinations):
            db["deliveries"].insert(
                {"alert_id": alert_id, "platform": platform, "channel": channel, "status": "pending"}
            )
        return alert_id

    @threaded
    def document_count(self) -> int:
        """How many document versions are stored."""
        return self.db["documents"].count
