"""Read-only queries for the health probe and the metrics gauges (SQLite; one store-thread hop each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlite_utils


@dataclass(slots=True)
class OpsSnapshot:
    """Queue and source figures at one moment."""

    outbox: dict[tuple[str, str], int] = field(default_factory=dict)  # (platform, status) -> deliveries
    oldest_pending_s: dict[str, float] = field(default_factory=dict)  # platform -> age of oldest pending
    sources: dict[str, int] = field(default_factory=dict)  # active, backing_off, paused


def ping(db: sqlite_utils.Database) -> None:
    """Raise unless the database answers a trivial read."""
    db.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()


def ops_snapshot(db: sqlite_utils.Database, now: datetime) -> OpsSnapshot:
    """Outbox depth and oldest pending age per platform, and sources by state."""
    snap = OpsSnapshot()
    for platform, status, n in db.execute(
        "SELECT platform, status, COUNT(*) FROM deliveries WHERE status IN ('pending', 'held') "
        "GROUP BY platform, status"
    ).fetchall():
        snap.outbox[platform, status] = int(n)
    for platform, oldest in db.execute(
        "SELECT d.platform, MIN(a.created_at) FROM deliveries d JOIN alerts a ON a.id = d.alert_id "
        "WHERE d.status = 'pending' GROUP BY d.platform"
    ).fetchall():
        if oldest:
            snap.oldest_pending_s[platform] = max(0.0, (now - datetime.fromisoformat(oldest)).total_seconds())
    row = db.execute(
        "SELECT SUM(state = 'active' AND failures = 0), SUM(state = 'active' AND failures > 0), "
        "SUM(state = 'paused') FROM sources"
    ).fetchone()
    snap.sources = {"active": int(row[0] or 0), "backing_off": int(row[1] or 0), "paused": int(row[2] or 0)}
    return snap
