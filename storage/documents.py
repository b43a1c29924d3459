"""Documents, their statements and matches, written with their alerts in one transaction.

Dedupe: a document is identified by canonical URL (or per-source entry id) and content hash; an
edit is a new version of the same story. A syndicated copy (same hash or MinHash-similar text
under another URL) is not a document: it is an outlet row on the story it copies.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import bot.neardup as neardup
from bot.alert_types import StatementAlert
from bot.models import StatementDraft
from storage.alert_codec import encode
from storage.db import threaded, utcnow
from storage.deliveries import enqueue
from storage.outlets import OutletsMixin

NewStatement = StatementDraft  # a statement to store; its id is assigned on insert


@dataclass(slots=True)
class NewMatch:
    """A judgement of statement `seq` against a claim; `alert` carries the payload of the alert it anchors."""

    seq: int
    claim_id: int
    score: float
    stance: str
    confidence: float
    alert: StatementAlert | None = None
    sort_key: str = ""
    tier: str = "alert"  # "possible": kept for review, never alerts
    detail: dict[str, Any] | None = None  # the judge's reasons, shown by /claim why


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
    story_id: int | None = None  # the first version's id; None for a new story
    signature: bytes | None = None  # MinHash of the text (bot.neardup)
    bands: list[int] = field(default_factory=list)


@dataclass(slots=True)
class StoredDocument:
    """What storing a document produced; `copy_of` is set when it was recorded as an outlet only."""

    document_id: int
    version: int
    statement_ids: dict[int, int]
    alert_ids: list[int]
    copy_of: int | None = None


@dataclass(slots=True)
class DocState:
    """How an incoming item relates to what is stored."""

    state: str  # new | same | changed
    version: int = 1
    story_id: int | None = None
    copy: tuple[int, float] | None = None  # (story, similarity) when new but a copy of a stored story


_NOT_ROW = ("statements", "matches", "bands")


DOCUMENT_LOCK = 0x636C_6D02  # PostgreSQL advisory key serialising document writes across processes


class DocumentsMixin(OutletsMixin):
    """Dedupe lookups and the atomic document write."""

    @threaded
    def document_state(
        self, source_id: int, canonical_url: str, guid: str | None, content_hash: str,
        signature: bytes | None = None, bands: list[int] | None = None,
    ) -> DocState:
        """new (with `copy` set when it copies a stored story), same (already stored or already an
        outlet) or changed (next version of a story)."""
        rows = list(
            self.db.query(
                "SELECT id, content_hash, version, story_id FROM documents WHERE canonical_url = ? "
                "OR (guid IS NOT NULL AND guid = ? AND source_id = ?) ORDER BY version DESC, id DESC",
                [canonical_url, guid, source_id],
            )
        )
        if not rows:
            seen = self.db.execute(
                "SELECT 1 FROM outlets WHERE canonical_url = ? LIMIT 1", [canonical_url]
            ).fetchone()
            if seen:
                return DocState("same")
            return DocState("new", copy=self._find_copy(canonical_url, content_hash, signature, bands or []))
        story = rows[0]["story_id"] or rows[-1]["id"]
        if any(r["content_hash"] == content_hash for r in rows):
            # The same URL reached through another source (an aggregator) is one more outlet.
            with self.tx() as db:
                db.execute(
                    "INSERT OR IGNORE INTO outlets (document_id, source_id, url, canonical_url, seen_at) "
                    "SELECT ?, ?, url, canonical_url, ? FROM documents WHERE id = ?",
                    [story, source_id, utcnow(), rows[0]["id"]],
                )
            return DocState("same", rows[0]["version"], story)
        return DocState("changed", rows[0]["version"] + 1, story)

    @threaded
    def find_copy(self, canonical_url: str, content_hash: str, signature: bytes | None,
                  bands: list[int]) -> tuple[int, float] | None:
        """The story this text copies (same hash or MinHash-similar, other URL) and the similarity."""
        return self._find_copy(canonical_url, content_hash, signature, bands)

    def _find_copy(self, canonical_url: str, content_hash: str, signature: bytes | None,
                   bands: list[int]) -> tuple[int, float] | None:
        row = self.db.execute(
            "SELECT COALESCE(story_id, id) FROM documents WHERE content_hash = ? AND canonical_url != ? "
            "ORDER BY id LIMIT 1", [content_hash, canonical_url],
        ).fetchone()
        if row:
            return int(row[0]), 1.0
        if signature is None or not bands:
            return None
        marks = ",".join("?" * len(bands))
        candidates = self.db.execute(
            f"SELECT d.id, COALESCE(d.story_id, d.id), d.signature FROM documents d WHERE d.id IN "
            f"(SELECT DISTINCT document_id FROM document_bands WHERE band IN ({marks}) LIMIT 200) "
            "AND d.canonical_url != ?", [*bands, canonical_url],
        ).fetchall()
        best: tuple[int, float] | None = None
        for _doc_id, story, sig in candidates:
            sim = neardup.similarity(signature, sig) if sig else 0.0
            if sim >= neardup.THRESHOLD and (best is None or sim > best[1] or
                                              (sim == best[1] and story < best[0])):
                best = (int(story), sim)
        return best

    @threaded
    def story_statement_texts(self, story_id: int) -> set[str]:
        """Lower-cased statement texts of every stored version of a story (edits re-alert only news)."""
        return {
            r[0].lower() for r in self.db.execute(
                "SELECT s.text FROM statements s JOIN documents d ON d.id = s.document_id "
                "WHERE COALESCE(d.story_id, d.id) = ?", [story_id],
            ).fetchall()
        }

    @threaded
    def match_document(self, match_id: int) -> int | None:
        """The document (version) whose statement a match judged, or None."""
        row = self.db.execute(
            "SELECT s.document_id FROM matches m JOIN statements s ON s.id = m.statement_id WHERE m.id = ?",
            [match_id],
        ).fetchone()
        return int(row[0]) if row else None

    @threaded
    def store_document(self, doc: NewDocument, version: int = 1) -> StoredDocument:
        """Insert the document, statements, matches, alerts and deliveries together.

        A new story that turns out to copy a stored one (checked again here, inside the
        transaction, so two sources in one cycle cannot both win) becomes an outlet row instead.
        """
        now = utcnow()
        row = {k: v for k, v in asdict(doc).items() if k not in _NOT_ROW} | {
            "fetched_at": now, "version": version, "quiet": int(doc.quiet)}
        seq_ids: dict[int, int] = {}
        alert_ids: list[int] = []
        with self.tx() as db:
            if self.is_postgres:
                # Processes write documents one at a time, so the checks below see each other's rows
                # (READ COMMITTED would let two racing transactions both find nothing and both insert).
                db.execute("SELECT pg_advisory_xact_lock(?)", [DOCUMENT_LOCK])
            same = db.execute(
                "SELECT COALESCE(story_id, id) FROM documents WHERE canonical_url = ? AND content_hash = ? "
                "LIMIT 1", [doc.canonical_url, doc.content_hash],
            ).fetchone()
            if same is not None:  # another process stored this very item first (its lease had lapsed)
                return StoredDocument(int(same[0]), version, {}, [], copy_of=int(same[0]))
            if doc.story_id is None:
                copy = self._find_copy(doc.canonical_url, doc.content_hash, doc.signature, doc.bands)
                if copy is not None:
                    self._add_outlet(db, copy[0], doc.source_id, doc.url, doc.canonical_url, doc.title,
                                     doc.published_at, copy[1])
                    return StoredDocument(copy[0], version, {}, [], copy_of=copy[0])
            doc_id = db["documents"].insert(row).last_pk
            story = doc.story_id or doc_id
            if doc.story_id is None:
                db.execute("UPDATE documents SET story_id = ? WHERE id = ?", [doc_id, doc_id])
            db.conn.executemany(
                "INSERT OR IGNORE INTO document_bands (band, document_id) VALUES (?, ?)",
                [(b, doc_id) for b in doc.bands],
            )
            self._add_outlet(db, story, doc.source_id, doc.url, doc.canonical_url, doc.title,
                             doc.published_at, 1.0)
            for st in doc.statements:
                # Plain SQL: sqlite-utils' insert() re-reads the table schema on every row.
                cur = db.execute(
                    "INSERT INTO statements (document_id, seq, text, speaker, speaker_role, cue, cue_type,"
                    " figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [doc_id, st.seq, st.text, st.speaker, st.speaker_role, st.cue, st.cue_type,
                     json.dumps([asdict(f) for f in st.figures])],
                )
                seq_ids[st.seq] = cur.lastrowid
            for m in doc.matches:
                cur = db.execute(
                    "INSERT OR IGNORE INTO matches (statement_id, claim_id, score, stance, confidence,"
                    " created_at, tier, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [seq_ids[m.seq], m.claim_id, m.score, m.stance, m.confidence, now, m.tier,
                     json.dumps(m.detail) if m.detail is not None else None],
                )
                if m.alert is None or not cur.rowcount:
                    continue
                payload = encode(replace(m.alert, statement_id=seq_ids[m.seq], document_id=doc_id))[1]
                alert_ids.append(
                    enqueue(db, "statement", m.claim_id, payload, m.sort_key or now, cur.lastrowid)
                )
        return StoredDocument(doc_id, version, seq_ids, alert_ids)
