"""Source rows and their fetch state."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from sqlite_utils.db import NotFoundError

from bot.alert_types import SourcePaused
from bot.models import Source
from storage.alert_codec import encode
from storage.db import StoreBase, threaded, utcnow
from storage.deliveries import enqueue

_SOURCE_FIELDS = {f.name for f in fields(Source)}


class DuplicateSourceError(ValueError):
    """The URL is already a source."""


def _source(row: dict[str, Any]) -> Source:
    data = {k: v for k, v in row.items() if k in _SOURCE_FIELDS}
    data["quiet_first"] = bool(data["quiet_first"])
    data["allow_private"] = bool(data["allow_private"])
    return Source(**data)


class SourcesMixin(StoreBase):
    """Configured sources and what their last fetch did."""

    @threaded
    def add_source(
        self,
        url: str,
        *,
        kind: str = "feed",
        label: str = "",
        speaker_kind: str = "unknown",
        interval_s: int = 600,
        quiet_first: bool = True,
        allow_private: bool = False,
        created_by: str = "",
    ) -> Source:
        """Insert a source; DuplicateSourceError if the URL is already watched."""
        existing = list(self.db.query("SELECT id FROM sources WHERE url = ?", [url]))
        if existing:
            raise DuplicateSourceError(f"already a source (#{existing[0]['id']})")
        row = {
            "url": url,
            "kind": kind,
            "label": label,
            "speaker_kind": speaker_kind,
            "interval_s": interval_s,
            "quiet_first": int(quiet_first),
            "allow_private": int(allow_private),
            "created_at": utcnow(),
            "created_by": created_by,
            "next_fetch_at": utcnow(),
        }
        with self.tx() as db:
            pk = db["sources"].insert(row).last_pk
        return self.get_source.sync(self, pk)  # type: ignore[attr-defined]

    @threaded
    def get_source(self, source_id: int) -> Source | None:
        """A source by id, or None."""
        rows = list(self.db.query("SELECT * FROM sources WHERE id = ?", [source_id]))
        return _source(rows[0]) if rows else None

    @threaded
    def get_source_by_url(self, url: str) -> Source | None:
        """A source by URL, or None."""
        rows = list(self.db.query("SELECT * FROM sources WHERE url = ?", [url]))
        return _source(rows[0]) if rows else None

    @threaded
    def list_sources(self) -> list[Source]:
        """Every source, oldest first."""
        return [_source(r) for r in self.db.query("SELECT * FROM sources ORDER BY id")]

    @threaded
    def remove_source(self, source_id: int) -> bool:
        """Stop fetching a source; its documents stay for the ledger."""
        with self.tx() as db:
            cur = db.execute("DELETE FROM sources WHERE id = ?", [source_id])
        return cur.rowcount > 0

    @threaded
    def due_sources(self, now: str) -> list[Source]:
        """Active sources whose next fetch time has come, most overdue first."""
        sql = (
            "SELECT * FROM sources WHERE state = 'active' "
            "AND (next_fetch_at IS NULL OR next_fetch_at <= ?) ORDER BY next_fetch_at, id"
        )
        return [_source(r) for r in self.db.query(sql, [now])]

    @threaded
    def update_source(self, source_id: int, **changes: Any) -> None:
        """Write fetch state (etag, last_error, failures, next_fetch_at, state ...).

        A new next_fetch_at ends the fetch, so it also gives back the source's lease.
        """
        for key in ("quiet_first", "allow_private"):
            if key in changes:
                changes[key] = int(changes[key])
        if "next_fetch_at" in changes:
            changes |= {"lease_owner": None, "lease_until": None}
        with self.tx() as db:
            try:
                db["sources"].update(source_id, changes)
            except NotFoundError:  # removed while it was being fetched (/source remove, a reload)
                return

    @threaded
    def record_fetch_failure(
        self,
        source_id: int,
        changes: dict[str, Any],
        pause_alert: SourcePaused | None = None,
        destinations: list[tuple[str, str]] | None = None,
    ) -> int | None:
        """Write a failed fetch; when it pauses the source, queue the moderator alert in the SAME
        transaction, guarded on the stored state, so a crash or a race never sends it twice."""
        with self.tx() as db:
            state = db.execute("SELECT state FROM sources WHERE id = ?", [source_id]).fetchone()
            if state is None:
                return None
            if pause_alert is not None and state[0] == "paused":
                changes = {k: v for k, v in changes.items() if k != "state"}
                pause_alert = None
            changes = changes | {"lease_owner": None, "lease_until": None}  # the fetch is over
            db["sources"].update(source_id, changes)
            if pause_alert is None or not destinations:
                return None
            return enqueue(
                db, "source_paused", None, encode(pause_alert)[1], utcnow(), None, destinations
            )
