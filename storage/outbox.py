"""The alert outbox: queued alerts and their per-destination deliveries."""

from __future__ import annotations

from typing import Any

from bot.alert_types import Alert, Edit
from bot.models import AlertRecord, PendingDelivery
from storage.alert_codec import decode, row_of
from storage.db import StoreBase, threaded, utcnow


def _alert(row: dict[str, Any]) -> AlertRecord:
    return AlertRecord(
        id=row["id"],
        claim_id=row["claim_id"],
        content=decode(row["kind"], row["payload"], row["claim_id"]),
        created_at=row["created_at"],
        match_id=row["match_id"],
    )


class OutboxMixin(StoreBase):
    """Enqueue alerts, hand out pending deliveries oldest first, record outcomes."""

    @threaded
    def enqueue_alert(
        self,
        alert: Alert | Edit,
        destinations: list[tuple[str, str]] | None = None,
        sort_key: str | None = None,
    ) -> int:
        """Queue an alert to `destinations` (default: its claim's watchers)."""
        with self.tx() as db:
            return self._enqueue(db, *row_of(alert), sort_key or utcnow(), None, destinations)  # type: ignore[attr-defined]

    @threaded
    def pending_deliveries(self, platform: str, now: str, limit: int = 100) -> list[PendingDelivery]:
        """Deliveries due on `platform`, oldest story first."""
        sql = (
            "SELECT d.platform, d.channel, d.attempts, a.* FROM deliveries d "
            "JOIN alerts a ON a.id = d.alert_id WHERE d.platform = ? AND d.status = 'pending' "
            "AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?) "
            "ORDER BY a.sort_key, a.id LIMIT ?"
        )
        return [
            PendingDelivery(_alert(r), r["platform"], r["channel"], r["attempts"])
            for r in self.db.query(sql, [platform, now, limit])
        ]

    @threaded
    def blocked_channels(self, platform: str, now: str) -> set[str]:
        """Channels with a delivery waiting on a retry: later alerts wait behind it to keep order."""
        sql = (
            "SELECT DISTINCT channel FROM deliveries WHERE platform = ? AND status = 'pending' "
            "AND next_attempt_at IS NOT NULL AND next_attempt_at > ?"
        )
        return {r["channel"] for r in self.db.query(sql, [platform, now])}

    @threaded
    def begin_send(self, alert_id: int, platform: str, channel: str, at: str) -> None:
        """Durably note that a send is about to start, before the platform is called.

        Keeps the first attempt's time: a message an earlier attempt posted is no older than that.
        """
        with self.tx() as db:
            db.execute(
                "UPDATE deliveries SET send_started_at = COALESCE(send_started_at, ?) "
                "WHERE alert_id = ? AND platform = ? AND channel = ?", [at, alert_id, platform, channel],
            )

    @threaded
    def started_sends(self, platform: str) -> dict[tuple[int, str], str]:
        """Pending deliveries whose send began but has no recorded outcome: (alert, channel) -> first start."""
        rows = self.db.query(
            "SELECT alert_id, channel, send_started_at FROM deliveries WHERE platform = ? "
            "AND status = 'pending' AND send_started_at IS NOT NULL", [platform],
        )
        return {(r["alert_id"], r["channel"]): r["send_started_at"] for r in rows}

    @threaded
    def mark_failed(
        self, alert_id: int, platform: str, channel: str, error: str, retry_at: str | None, permanent: bool
    ) -> None:
        """Record a failed attempt; a permanent failure stops retries."""
        with self.tx() as db:
            db.execute(
                "UPDATE deliveries SET status = ?, attempts = attempts + 1, last_error = ?, "
                "next_attempt_at = ? WHERE alert_id = ? AND platform = ? AND channel = ?",
                ["failed" if permanent else "pending", error[:300], retry_at, alert_id, platform, channel],
            )

    @threaded
    def delivery_counts(self) -> dict[str, int]:
        """Deliveries by status."""
        rows = self.db.query("SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status")
        return {r["status"]: r["n"] for r in rows}

    @threaded
    def get_thread(self, platform: str, channel: str, claim_id: int) -> str | None:
        """The chat thread that holds a claim's alerts in a channel, if one was started."""
        rows = list(self.db.query(
            "SELECT thread_id FROM threads WHERE platform = ? AND channel = ? AND claim_id = ?",
            [platform, channel, claim_id],
        ))
        return rows[0]["thread_id"] if rows else None

    @threaded
    def set_thread(self, platform: str, channel: str, claim_id: int, thread_id: str) -> None:
        """Remember the thread of a claim in a channel."""
        with self.tx() as db:
            db.execute(
                "INSERT INTO threads (platform, channel, claim_id, thread_id, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, channel, claim_id) DO UPDATE SET "
                "thread_id = excluded.thread_id, created_at = excluded.created_at",
                [platform, channel, claim_id, thread_id, utcnow()],
            )

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
