"""Work leased, not owned: due sources and named jobs go to one process at a time, with an expiry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.models import Source
from storage.db import StoreBase, threaded
from storage.sources import _source


class LeasesMixin(StoreBase):
    """Source leases (SELECT ... FOR UPDATE SKIP LOCKED), named leases, the claims version."""

    @threaded
    def lease_due_sources(self, owner: str, now: str, until: str, limit: int = 1000) -> list[Source]:
        """Lease active due sources nobody holds (or whose lease expired) to `owner` until `until`."""
        # SKIP LOCKED: processes asking at once each get different rows instead of waiting in line.
        # SQLite has one writer (and one process per file), so the plain UPDATE is already exclusive.
        lock = " FOR UPDATE SKIP LOCKED" if self.is_postgres else ""
        sql = (
            "UPDATE sources SET lease_owner = ?, lease_until = ? WHERE id IN ("
            "SELECT id FROM sources WHERE state = 'active' AND (next_fetch_at IS NULL OR next_fetch_at <= ?) "
            f"AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_fetch_at, id LIMIT ?{lock}) "
            "RETURNING *"
        )
        with self.tx() as db:
            rows = list(db.query(sql, [owner, until, now, now, limit]))
        rows.sort(key=lambda r: (r["next_fetch_at"] is not None, r["next_fetch_at"] or "", r["id"]))
        return [_source(r) for r in rows]

    @threaded
    def release_sources(self, owner: str) -> int:
        """Give back every source lease `owner` holds (a clean stop); returns how many."""
        with self.tx() as db:
            cur = db.execute("UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?",
                             [owner])
        return cur.rowcount

    @threaded
    def take_lease(self, name: str, owner: str, now: str, until: str) -> bool:
        """Take or renew the named lease; False while another owner holds it unexpired."""
        with self.tx() as db:
            cur = db.execute(
                "INSERT INTO leases (name, owner, until, acquired_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until, "
                "acquired_at = CASE WHEN leases.owner = excluded.owner THEN leases.acquired_at "
                "ELSE excluded.acquired_at END "
                "WHERE leases.owner = excluded.owner OR leases.until <= ?",
                [name, owner, until, now, now],
            )
        return cur.rowcount > 0

    @threaded
    def drop_lease(self, name: str, owner: str) -> None:
        """Give the named lease back early (only if `owner` still holds it)."""
        with self.tx() as db:
            db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", [name, owner])

    @threaded
    def lease_holders(self) -> dict[str, tuple[str, str]]:
        """Named leases: name -> (owner, until)."""
        return {r["name"]: (r["owner"], r["until"]) for r in self.db.query("SELECT * FROM leases ORDER BY name")}

    @asynccontextmanager
    async def one_at_a_time(self, key: int) -> AsyncIterator[None]:
        """Processes on one PostgreSQL run the block one after another (start-up seeding); the lock
        goes with the session, so a process killed inside never leaves it held. SQLite: a no-op."""
        if not self.is_postgres:
            yield
            return
        await self.run(lambda: self.db.execute("SELECT pg_advisory_lock(?)", [key]))
        try:
            yield
        finally:
            await self.run(lambda: self.db.execute("SELECT pg_advisory_unlock(?)", [key]))

    @threaded
    def claims_version(self) -> int:
        """Bumped by every claim add, edit and removal, in the same transaction."""
        row = self.db.execute("SELECT version FROM sync_versions WHERE name = 'claims'").fetchone()
        return int(row[0]) if row else 0
