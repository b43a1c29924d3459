"""Alert policy rows: settings per channel (claim 0) and per claim in a channel."""

from __future__ import annotations

import json
from typing import Any

from storage.db import StoreBase, threaded, utcnow


class PoliciesMixin(StoreBase):
    """Explicitly set policy fields; resolution and defaults live in bot.policy."""

    @threaded
    def policy_settings(self, platform: str, channel: str, claim_id: int | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(channel-wide settings, this claim's settings) as stored; empty dicts when unset."""
        rows = self.db.query(
            "SELECT claim_id, settings FROM alert_policies WHERE platform = ? AND channel = ? "
            "AND claim_id IN (0, ?)", [platform, channel, claim_id or 0],
        )
        found = {r["claim_id"]: json.loads(r["settings"]) for r in rows}
        return found.get(0, {}), (found.get(claim_id, {}) if claim_id else {})

    @threaded
    def platform_policies(self, platform: str) -> dict[tuple[str, int], dict[str, Any]]:
        """Every stored setting on a platform: (channel, claim id; 0 = channel-wide) -> settings."""
        rows = self.db.query("SELECT channel, claim_id, settings FROM alert_policies WHERE platform = ?", [platform])
        return {(r["channel"], r["claim_id"]): json.loads(r["settings"]) for r in rows}

    @threaded
    def set_policy_settings(
        self, platform: str, channel: str, claim_id: int | None, changes: dict[str, Any], by: str = ""
    ) -> dict[str, Any]:
        """Merge `changes` into the stored settings (a None value clears that field); returns the result."""
        key = [platform, channel, claim_id or 0]
        with self.tx() as db:
            rows = list(db.query(
                "SELECT settings FROM alert_policies WHERE platform = ? AND channel = ? AND claim_id = ?", key
            ))
            merged = json.loads(rows[0]["settings"]) if rows else {}
            for name, value in changes.items():
                if value is None:
                    merged.pop(name, None)
                else:
                    merged[name] = value
            db.execute(
                "INSERT INTO alert_policies (platform, channel, claim_id, settings, updated_by, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, channel, claim_id) DO UPDATE SET"
                " settings = excluded.settings, updated_by = excluded.updated_by,"
                " updated_at = excluded.updated_at", [*key, json.dumps(merged), by, utcnow()],
            )
        return merged

    @threaded
    def clear_policy(self, platform: str, channel: str, claim_id: int | None) -> bool:
        """Drop the settings of a channel (claim None) or of one claim there; False if none were set."""
        with self.tx() as db:
            cur = db.execute(
                "DELETE FROM alert_policies WHERE platform = ? AND channel = ? AND claim_id = ?",
                [platform, channel, claim_id or 0],
            )
        return cur.rowcount > 0

    @threaded
    def channel_policies(self, platform: str, channel: str) -> dict[int, dict[str, Any]]:
        """Every stored setting in a channel: claim id (0 = channel-wide) -> settings."""
        rows = self.db.query(
            "SELECT claim_id, settings FROM alert_policies WHERE platform = ? AND channel = ? ORDER BY claim_id",
            [platform, channel],
        )
        return {r["claim_id"]: json.loads(r["settings"]) for r in rows}
