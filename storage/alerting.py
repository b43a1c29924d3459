"""Stories for alert policy: the first alert of a story, folded syndicated copies and their edits."""

from __future__ import annotations

import json

from storage.db import StoreBase, threaded
from storage.deliveries import enqueue, set_status
from storage.tiers import COUNTED


class AlertingMixin(StoreBase):
    """Story bookkeeping the policy adds on top of the outbox: first alerts, folded copies, outlet edits."""

    @threaded
    def first_official_match(self, claim_id: int, stance: str) -> int | None:
        """The earliest counted match on one side of a claim from an official source."""
        row = self.db.execute(
            "SELECT MIN(m.id) FROM matches m JOIN statements s ON s.id = m.statement_id "
            "JOIN documents d ON d.id = s.document_id JOIN sources src ON src.id = d.source_id "
            f"WHERE m.claim_id = ? AND m.stance = ? AND src.speaker_kind = 'official' AND {COUNTED}",
            [claim_id, stance],
        ).fetchone()
        return row[0]

    @threaded
    def register_story(self, claim_id: int, story_key: str, alert_id: int, at: str) -> int:
        """The first alert of a story about a claim (this one if it is the first)."""
        with self.tx() as db:
            db.execute("INSERT OR IGNORE INTO stories (claim_id, story_key, alert_id, created_at) "
                       "VALUES (?, ?, ?, ?)", [claim_id, story_key, alert_id, at])
        row = self.db.execute("SELECT alert_id FROM stories WHERE claim_id = ? AND story_key = ?",
                              [claim_id, story_key]).fetchone()
        return int(row[0])

    @threaded
    def story_shown_in(self, copy_id: int, claim_id: int, story_key: str, platform: str, channel: str) -> int | None:
        """The earliest alert of a story, before this copy, that a channel shows or will show; None if none.

        Shown or to be shown: sent, pending, held for a digest, or digested. A story whose earlier
        alerts this channel filtered out (or never got) has nothing here to fold a copy into.
        """
        row = self.db.execute(
            "SELECT a.id FROM alerts a JOIN deliveries d ON d.alert_id = a.id "
            "JOIN alerts c ON c.id = ? WHERE a.claim_id = ? AND a.kind = 'statement' "
            "AND d.platform = ? AND d.channel = ? AND d.status IN ('sent', 'pending', 'held', 'digested') "
            "AND (a.sort_key < c.sort_key OR (a.sort_key = c.sort_key AND a.id < c.id)) "
            "AND json_extract(a.payload, '$.story_key') = ? ORDER BY a.sort_key, a.id LIMIT 1",
            [copy_id, claim_id, platform, channel, story_key],
        ).fetchone()
        return int(row[0]) if row else None

    @threaded
    def fold_copy(
        self, copy_id: int, first_id: int, platform: str, channel: str, outlet: str, at: str
    ) -> int | None:
        """Fold a syndicated copy into the story's first alert; returns an edit to send, if any.

        The first alert's payload gains the outlet once; a channel that already shows the first alert
        gets an `update` alert (edit_of) so adapters can edit the message in place.
        """
        with self.tx() as db:
            set_status(db, copy_id, platform, channel, "folded", last_error=f"copy of alert {first_id}")
            first = list(db.query("SELECT payload FROM alerts WHERE id = ?", [first_id]))
            if not first:
                return None
            payload = json.loads(first[0]["payload"])
            also = payload.setdefault("also_carried_by", [])
            known = list(db.query("SELECT first_alert_id, outlet FROM story_copies WHERE alert_id = ?", [copy_id]))
            if known and known[0]["first_alert_id"] == first_id:
                # Folded into this alert already for another channel: it has this outlet if it added one.
                contributed = known[0]["outlet"] != ""
            else:  # the first fold of this copy, or into another alert of the story (per-channel filters)
                contributed = outlet != payload.get("source") and outlet not in also
                if contributed:
                    also.append(outlet)
                    payload["outlets"] = 1 + len(also)
                    db.execute("UPDATE alerts SET payload = ? WHERE id = ?", [json.dumps(payload), first_id])
                if known:  # story_copies keeps the first target only: edit wherever the outlet is listed
                    contributed = outlet != payload.get("source")  # (at worst an edit that changes nothing)
                else:
                    db.execute("INSERT INTO story_copies (alert_id, first_alert_id, outlet, created_at) "
                               "VALUES (?, ?, ?, ?)", [copy_id, first_id, outlet if contributed else "", at])
            shown = list(db.query(
                "SELECT 1 FROM deliveries WHERE alert_id = ? AND platform = ? AND channel = ? AND status = 'sent'",
                [first_id, platform, channel],
            ))
            if not shown or not contributed:
                return None
            edit = payload | {"edit_of": first_id}
            return enqueue(db, "update", payload.get("claim_id"), edit, at, None, [(platform, channel)])

    @threaded
    def fold_outlets(self, story_id: int, at: str) -> list[int]:
        """A syndicated copy joined story `story_id`: refresh "also carried by" on the story's alerts.

        Alerts not yet shown render the new list when sent; each channel that already shows one
        gets an `update` alert (edit_of) to edit it in place. Returns the update alert ids.
        """
        updates: list[int] = []
        with self.tx() as db:
            labels = [r[0] for r in db.execute(
                "SELECT COALESCE(NULLIF(s.label, ''), s.url, o.url) FROM outlets o LEFT JOIN sources s "
                "ON s.id = o.source_id WHERE o.document_id = ? ORDER BY o.seen_at, o.rowid", [story_id],
            ).fetchall()]
            alerts = db.execute(
                "SELECT a.id, a.payload FROM alerts a JOIN matches m ON m.id = a.match_id "
                "JOIN statements st ON st.id = m.statement_id JOIN documents d ON d.id = st.document_id "
                "WHERE COALESCE(d.story_id, d.id) = ? AND a.kind = 'statement'", [story_id],
            ).fetchall()
            for alert_id, raw in alerts:
                payload = json.loads(raw)
                also = list(dict.fromkeys(x for x in labels if x != payload.get("source")))
                if also == payload.get("also_carried_by", []):
                    continue
                payload["also_carried_by"] = also
                payload["outlets"] = 1 + len(also)
                db.execute("UPDATE alerts SET payload = ? WHERE id = ?", [json.dumps(payload), alert_id])
                shown = db.execute("SELECT platform, channel FROM deliveries WHERE alert_id = ? AND status = 'sent'",
                                   [alert_id]).fetchall()
                for platform, channel in shown:
                    edit = payload | {"edit_of": alert_id}
                    updates.append(enqueue(db, "update", payload.get("claim_id"), edit, at, None, [(platform, channel)]))
        return updates
