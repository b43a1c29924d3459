"""The one owner of alerts and deliveries: enqueue, pending reads, send-started, sent, failed, held.

Other storage modules queue alerts inside their own transaction with `enqueue` and change a delivery's
status with `set_status` (plain functions over the transaction's handle); everything else is public
on `DeliveriesMixin`. No other storage module writes to the deliveries table (tests/test_structure.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.alert_types import Alert, Digest, Edit
from bot.models import AlertRecord, PendingDelivery
from storage.alert_codec import decode, encode, row_of
from storage.db import StoreBase, threaded, utcnow


@dataclass(slots=True)
class HeldDelivery:
    """A delivery kept back for a digest."""

    alert: AlertRecord
    channel: str
    held_at: str
    reason: str


def alert_record(row: dict[str, Any]) -> AlertRecord:
    """The alert an alerts row (or a join that selects `a.*`) holds."""
    return AlertRecord(
        id=row["id"],
        claim_id=row["claim_id"],
        content=decode(row["kind"], row["payload"], row["claim_id"]),
        created_at=row["created_at"],
        match_id=row["match_id"],
    )


def enqueue(
    db: Any,
    kind: str,
    claim_id: int | None,
    payload: dict[str, Any],
    sort_key: str,
    match_id: int | None = None,
    destinations: list[tuple[str, str]] | None = None,
) -> int:
    """Insert an alert and one pending delivery per destination (default: its claim's watchers).

    Runs inside the caller's transaction so the alert and its deliveries land together.
    """
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
            for r in db.query("SELECT platform, channel FROM watches WHERE claim_id = ?", [claim_id])
        ]
    for platform, channel in dict.fromkeys(destinations):
        db["deliveries"].insert(
            {"alert_id": alert_id, "platform": platform, "channel": channel, "status": "pending"}
        )
    return alert_id


def set_status(db: Any, alert_id: int, platform: str, channel: str, status: str, **extra: Any) -> None:
    """Set one delivery's status (and any other columns given), inside the caller's transaction."""
    sets = ", ".join(f"{k} = ?" for k in extra)
    db.execute(
        f"UPDATE deliveries SET status = ?{', ' + sets if sets else ''} "
        "WHERE alert_id = ? AND platform = ? AND channel = ?",
        [status, *extra.values(), alert_id, platform, channel],
    )


class DeliveriesMixin(StoreBase):
    """Queue alerts, hand out pending and held deliveries oldest first, record each outcome."""

    @threaded
    def enqueue_alert(
        self,
        alert: Alert | Edit,
        destinations: list[tuple[str, str]] | None = None,
        sort_key: str | None = None,
    ) -> int:
        """Queue an alert to `destinations` (default: its claim's watchers)."""
        with self.tx() as db:
            return enqueue(db, *row_of(alert), sort_key or utcnow(), None, destinations)

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
            PendingDelivery(alert_record(r), r["platform"], r["channel"], r["attempts"])
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
    def record_sent(
        self, alert_id: int, platform: str, channel: str, message_id: str, thread_id: str | None, at: str
    ) -> None:
        """Record a delivery as sent at `at` (the outbox clock), so rate limits use the same clock."""
        with self.tx() as db:
            set_status(db, alert_id, platform, channel, "sent", sent_at=at, message_id=message_id,
                       thread_id=thread_id, last_error=None)
            db.execute("UPDATE deliveries SET attempts = attempts + 1 WHERE alert_id = ? AND platform = ? "
                       "AND channel = ?", [alert_id, platform, channel])

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
    def hold_delivery(self, alert_id: int, platform: str, channel: str, reason: str, at: str) -> None:
        """Keep a delivery back for the channel's next digest."""
        with self.tx() as db:
            set_status(db, alert_id, platform, channel, "held", held_at=at, held_reason=reason)

    @threaded
    def filter_delivery(self, alert_id: int, platform: str, channel: str, reason: str) -> None:
        """Drop a delivery the channel's policy does not want (kept, with the reason, for audit)."""
        with self.tx() as db:
            set_status(db, alert_id, platform, channel, "filtered", last_error=reason[:300])

    @threaded
    def held_groups(self, platform: str) -> list[tuple[str, int | None, str, str]]:
        """(channel, claim id, reason, earliest held_at) per kind of held delivery on a platform.

        A cheap look (no payloads) that tells the gate whether any digest can be due at all."""
        rows = self.db.execute(
            "SELECT d.channel, a.claim_id, d.held_reason, min(d.held_at) FROM deliveries d "
            "JOIN alerts a ON a.id = d.alert_id WHERE d.platform = ? AND d.status = 'held' "
            "GROUP BY d.channel, a.claim_id, d.held_reason", [platform],
        ).fetchall()
        return [(r[0], r[1], r[2] or "", r[3]) for r in rows]

    @threaded
    def held_deliveries(self, platform: str) -> list[HeldDelivery]:
        """Everything held on a platform, oldest story first."""
        rows = self.db.query(
            "SELECT d.channel, d.held_at, d.held_reason, a.* FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
            "WHERE d.platform = ? AND d.status = 'held' ORDER BY a.sort_key, a.id", [platform],
        )
        return [HeldDelivery(alert_record(r), r["channel"], r["held_at"], r["held_reason"] or "") for r in rows]

    @threaded
    def make_digest(
        self, platform: str, channel: str, alert_ids: list[int], digest: Digest, sort_key: str
    ) -> int:
        """Queue one digest to a channel and mark the held deliveries it covers, together."""
        with self.tx() as db:
            digest_id = enqueue(db, "digest", None, encode(digest)[1], sort_key, None, [(platform, channel)])
            for alert_id in alert_ids:
                db.execute(
                    "UPDATE deliveries SET status = 'digested', digest_id = ? WHERE alert_id = ? "
                    "AND platform = ? AND channel = ? AND status = 'held'",
                    [digest_id, alert_id, platform, channel],
                )
        return digest_id

    @threaded
    def sent_since(self, platform: str, channel: str, since: str) -> int:
        """Messages posted to a channel since `since` (edits not counted)."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE d.platform = ? "
            "AND d.channel = ? AND d.status = 'sent' AND d.sent_at >= ? AND a.kind != 'update'",
            [platform, channel, since],
        ).fetchone()
        return int(row[0])

    @threaded
    def delivery_message(self, alert_id: int, platform: str, channel: str) -> tuple[str, str | None] | None:
        """(message id, thread id) of a sent delivery, or None."""
        rows = list(self.db.query(
            "SELECT message_id, thread_id FROM deliveries WHERE alert_id = ? AND platform = ? AND channel = ? "
            "AND status = 'sent'", [alert_id, platform, channel],
        ))
        return (rows[0]["message_id"] or "", rows[0]["thread_id"]) if rows else None

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
