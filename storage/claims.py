"""Claims, watches and the audit log."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.models import AuditEntry, Claim, Watch
from storage.db import StoreBase, threaded, utcnow


def _claim(row: dict[str, Any]) -> Claim:
    return Claim(
        id=row["id"],
        text=row["text"],
        status=row["status"],
        note=row["note"],
        keywords=json.loads(row["keywords"] or "[]"),
        threshold=row["threshold"],
        slug=row["slug"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        updated_at=row["updated_at"],
        removed=bool(row.get("removed", 0)),  # a row just inserted carries no removed column
    )


def _fts_query(words: str) -> str:
    # Quote every token so user text can never be read as FTS5 syntax.
    tokens = re.findall(r"\w+", words)
    return " OR ".join(f'"{t}"' for t in tokens)


def _bump(db: Any) -> None:
    # Other processes poll this to rebuild their judge index (bot/judging.py follow_claims).
    db.execute("UPDATE sync_versions SET version = version + 1 WHERE name = 'claims'")


class ClaimsMixin(StoreBase):
    """Claim rows, channel watches and moderator audit."""

    @threaded
    def add_claim(
        self,
        text: str,
        created_by: str = "",
        *,
        slug: str | None = None,
        status: str = "unverified",
        keywords: list[str] | None = None,
        threshold: float | None = None,
    ) -> Claim:
        """Insert a claim and return it."""
        now = utcnow()
        row = {
            "slug": slug,
            "text": text,
            "status": status,
            "note": "",
            "keywords": json.dumps(keywords or []),
            "threshold": threshold,
            "created_at": now,
            "created_by": created_by,
            "updated_at": now,
        }
        with self.tx() as db:
            pk = db["claims"].insert(row).last_pk
            _bump(db)
        return _claim({**row, "id": pk})

    @threaded
    def get_claim(self, claim_id: int, with_removed: bool = False) -> Claim | None:
        """A live claim by id (or a removed one too, with_removed), or None."""
        sql = "SELECT * FROM claims WHERE id = ?" + ("" if with_removed else " AND removed = 0")
        rows = list(self.db.query(sql, [claim_id]))
        return _claim(rows[0]) if rows else None

    @threaded
    def get_claim_by_slug(self, slug: str, removed: bool = False) -> Claim | None:
        """A claim by its configuration key (a live one, or a removed one when `removed`), or None."""
        rows = list(self.db.query("SELECT * FROM claims WHERE slug = ? AND removed = ?", [slug, int(removed)]))
        return _claim(rows[0]) if rows else None

    @threaded
    def list_claims(self) -> list[Claim]:
        """Every live claim, oldest first."""
        return [_claim(r) for r in self.db.query("SELECT * FROM claims WHERE removed = 0 ORDER BY id")]

    @threaded
    def find_claims(self, words: str, limit: int = 5) -> list[Claim]:
        """Live claims best matching `words` (FTS5 BM25)."""
        if self.is_postgres:
            return self._find_claims_pg(words, limit)
        q = _fts_query(words)
        if not q:
            return []
        sql = (
            "SELECT claims.* FROM claims_fts JOIN claims ON claims.id = claims_fts.rowid "
            "WHERE claims_fts MATCH ? AND claims.removed = 0 ORDER BY bm25(claims_fts) LIMIT ?"
        )
        return [_claim(r) for r in self.db.query(sql, [q, limit])]

    def _find_claims_pg(self, words: str, limit: int) -> list[Claim]:
        # The same OR-of-words query, ranked by ts_rank over the index migration 1 built.
        from storage.pg import fts_vector

        tokens = re.findall(r"\w+", words)
        if not tokens:
            return []
        vector = fts_vector(["text", "keywords"])
        query = "(" + " || ".join("plainto_tsquery('english', ?)" for _ in tokens) + ")"
        sql = (
            f"SELECT * FROM claims WHERE removed = 0 AND {vector} @@ {query} "
            f"ORDER BY ts_rank({vector}, {query}) DESC, id LIMIT ?"
        )
        return [_claim(r) for r in self.db.query(sql, [*tokens, *tokens, limit])]

    @threaded
    def update_claim(self, claim_id: int, **changes: Any) -> Claim | None:
        """Change status, note, keywords or threshold; returns the new claim."""
        if "keywords" in changes:
            changes["keywords"] = json.dumps(changes["keywords"])
        changes["updated_at"] = utcnow()
        with self.tx() as db:
            db["claims"].update(claim_id, changes)
            _bump(db)
        rows = list(self.db.query("SELECT * FROM claims WHERE id = ?", [claim_id]))
        return _claim(rows[0]) if rows else None

    @threaded
    def remove_claim(self, claim_id: int) -> bool:
        """Retire a claim (kept for history) and drop its watches."""
        with self.tx() as db:
            cur = db.execute(
                "UPDATE claims SET removed = 1, updated_at = ? WHERE id = ? AND removed = 0",
                [utcnow(), claim_id],
            )
            db.execute("DELETE FROM watches WHERE claim_id = ?", [claim_id])
            _bump(db)
        return cur.rowcount > 0

    @threaded
    def watch(self, claim_id: int, platform: str, channel: str, by: str = "") -> bool:
        """Send this claim's alerts to a channel; False if it already did."""
        with self.tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO watches (claim_id, platform, channel, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [claim_id, platform, channel, by, utcnow()],
            )
        return cur.rowcount > 0

    @threaded
    def unwatch(self, claim_id: int, platform: str, channel: str) -> bool:
        """Stop this claim's alerts to a channel; False if it was not watched there."""
        with self.tx() as db:
            cur = db.execute(
                "DELETE FROM watches WHERE claim_id = ? AND platform = ? AND channel = ?",
                [claim_id, platform, channel],
            )
        return cur.rowcount > 0

    @threaded
    def watches(self, claim_id: int | None = None) -> list[Watch]:
        """Watches of one claim, or all."""
        sql, args = "SELECT * FROM watches", []
        if claim_id is not None:
            sql, args = sql + " WHERE claim_id = ?", [claim_id]
        return [
            Watch(r["claim_id"], r["platform"], r["channel"], r["created_by"])
            for r in self.db.query(sql + " ORDER BY claim_id, platform, channel", args)
        ]

    @threaded
    def audit(
        self, platform: str, user_id: str, action: str, target: str, allowed: bool, detail: str = ""
    ) -> None:
        """Record a moderator action or a refused attempt."""
        row = {
            "at": utcnow(),
            "platform": platform,
            "user_id": user_id,
            "action": action,
            "target": target,
            "allowed": int(allowed),
            "detail": detail[:500],
        }
        with self.tx() as db:
            db["audit"].insert(row)

    @threaded
    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """Most recent audit entries first."""
        rows = self.db.query("SELECT * FROM audit ORDER BY id DESC LIMIT ?", [limit])
        return [
            AuditEntry(
                r["id"], r["at"], r["platform"], r["user_id"], r["action"], r["target"],
                bool(r["allowed"]), r["detail"],
            )
            for r in rows
        ]

    @threaded
    def removed_source_urls(self) -> dict[str, str]:
        """URL -> when, for sources whose latest moderator action is `/source remove` (not added back since)."""
        rows = self.db.query(
            "SELECT target, action, at FROM audit WHERE action IN ('/source add', '/source remove') "
            "AND allowed = 1 AND detail = 'ok' ORDER BY id"
        )
        latest: dict[str, tuple[str, str]] = {}
        for r in rows:
            latest[r["target"]] = (r["action"], r["at"])
        return {url: at for url, (action, at) in latest.items() if action == "/source remove"}
