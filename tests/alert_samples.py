"""One alert of every type, each field set away from its default: shared by the codec and renderer tests."""

from __future__ import annotations

from bot.alert_types import (
    Alert,
    ConflictAlert,
    Digest,
    Notice,
    SourcePaused,
    StatementAlert,
    StatusChange,
)
from bot.platform import Quote

SAMPLES: dict[type, Alert] = {
    StatementAlert: StatementAlert(
        title="REFUTES: claim #4", text="The harbour office denied that the pier was closed.", claim_id=4,
        claim_text="The north pier closed on Tuesday", stance="refutes", confidence=0.874,
        speaker="harbour office",
        quotes=(Quote("The harbour office denied that the pier was closed.", "harbour office", "refutes"),
                Quote("Ferry crews said boats left the pier all day.", "ferry crews", "neutral")),
        source="Coast Wire", speaker_kind="official", link="https://coast.example/pier?utm_source=rss&id=2",
        doc_title="Pier stays open", published_at="2026-02-03T07:45:00+00:00", outlets=2,
        also_carried_by=("Bay Radio",), story_key="a1b2c3d4e5f6a7b8c9d0", statement_id=31, document_id=12,
    ),
    ConflictAlert: ConflictAlert(
        title="Conflicting figures: claim #4", text="ferries cancelled: 12 then 3", claim_id=4,
        claim_text="The north pier closed on Tuesday", link="https://coast.example/ferries",
        fields=(("Earlier: 12", "harbour office, Coast Wire, 2026-02-03: twelve ferries were cancelled"),
                ("Later: 3", "ferry crews, Bay Radio, 2026-02-04: three ferries were cancelled")),
        conflict_id=5,
    ),
    StatusChange: StatusChange(
        title="Status change: claim #4 is now false", text="The pier stayed open, per the port log.",
        claim_id=4, claim_text="The north pier closed on Tuesday", status="false",
    ),
    Digest: Digest(
        title="Digest: 2 alert(s) held back", text="[-] #4 harbour office: The pier stayed open.", claim_id=4,
        fields=(("Claim #4", "2 refutes"), ("Held by", "quiet hours (2)")), items=2,
        created="2026-02-03T08:00:00+00:00",
    ),
    SourcePaused: SourcePaused(
        title="Source #2 paused", text="Bay Radio failed 5 times in a row; last error: HTTP 503.", claim_id=None,
        source_id=2,
    ),
    Notice: Notice(title="Claim #4: earlier statements checked", text="Found 3 earlier statement(s).", claim_id=4),
}
