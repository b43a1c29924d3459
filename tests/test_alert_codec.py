"""The alert codec: every type round-trips, payloads written before the types existed still decode."""

from __future__ import annotations

import json
from dataclasses import MISSING, fields
from typing import Any

import pytest

from bot.alert_types import (
    ALERT_TYPES,
    ConflictAlert,
    Digest,
    Edit,
    Notice,
    SourcePaused,
    StatementAlert,
    StatusChange,
)
from bot.platform import Quote
from storage import Store
from storage.alert_codec import decode, encode, row_of
from tests.alert_samples import SAMPLES

LEFT_AT_DEFAULT = {(SourcePaused, "claim_id")}  # a source belongs to no claim


def test_every_type_has_a_sample_that_sets_every_field() -> None:
    assert set(SAMPLES) == set(ALERT_TYPES)
    for cls, sample in SAMPLES.items():
        for f in fields(cls):
            if (cls, f.name) not in LEFT_AT_DEFAULT:
                assert f.default is MISSING or getattr(sample, f.name) != f.default, (cls.__name__, f.name)


@pytest.mark.parametrize("cls", ALERT_TYPES, ids=lambda c: c.kind)
def test_round_trip_through_json(cls: type) -> None:
    sample = SAMPLES[cls]
    kind, payload = encode(sample)
    assert kind == cls.kind
    assert decode(kind, json.dumps(payload)) == sample
    edit = Edit(77, sample)
    kind, payload = encode(edit)
    assert kind == "update" and payload["edit_of"] == 77
    assert decode(kind, json.dumps(payload)) == edit  # message and thread ids are never stored


def test_row_columns_take_the_claim_of_the_alert_or_of_the_edited_one() -> None:
    statement = SAMPLES[StatementAlert]
    assert row_of(statement)[:2] == ("statement", 4)
    assert row_of(Edit(3, statement))[:2] == ("update", 4)
    assert row_of(SAMPLES[SourcePaused])[:2] == ("source_paused", None)


STATEMENT_V1 = {  # as bot.alerts.statement_payload and storage/documents.py wrote it, folded once
    "title": "REFUTES: claim #4", "text": "The harbour office denied that the pier was closed.",
    "stance": "refutes", "confidence": 0.874, "claim_id": 4, "claim_text": "The north pier closed on Tuesday",
    "speaker": "harbour office",
    "quotes": [{"text": "The harbour office denied that the pier was closed.", "speaker": "harbour office",
                "stance": "refutes"}],
    "source": "Coast Wire", "speaker_kind": "official", "link": "https://coast.example/pier", "doc_title": "Pier",
    "published_at": "2026-02-03T07:45:00+00:00", "outlets": 2, "story_key": "a1b2", "statement_id": 31,
    "document_id": 12, "also_carried_by": ["Bay Radio"],
}
OLD_ROWS: list[tuple[str, dict[str, Any], int | None, object]] = [
    ("statement", STATEMENT_V1, 4, StatementAlert(
        title="REFUTES: claim #4", text=STATEMENT_V1["text"], claim_id=4, claim_text=STATEMENT_V1["claim_text"],
        stance="refutes", confidence=0.874, speaker="harbour office",
        quotes=(Quote(STATEMENT_V1["text"], "harbour office", "refutes"),), source="Coast Wire",
        speaker_kind="official", link="https://coast.example/pier", doc_title="Pier",
        published_at="2026-02-03T07:45:00+00:00", outlets=2, also_carried_by=("Bay Radio",), story_key="a1b2",
        statement_id=31, document_id=12)),
    # Stored before alerts quoted their statements: no quotes at all.
    ("statement", {"title": "t", "text": "x", "stance": "supports", "claim_id": 2}, 2,
     StatementAlert(title="t", text="x", stance="supports", claim_id=2)),
    ("update", STATEMENT_V1 | {"edit_of": 9}, 4, Edit(9, decode("statement", STATEMENT_V1))),
    ("conflict", {"title": "Conflicting figures: claim #4", "text": "ferries: 12 then 3", "claim_id": 4,
                  "claim_text": "c", "link": None, "fields": [["Earlier: 12", "a"], ["Later: 3", "b"]],
                  "escalation": "conflicting figure", "conflict_id": 5}, 4,
     ConflictAlert(title="Conflicting figures: claim #4", text="ferries: 12 then 3", claim_id=4, claim_text="c",
                   fields=(("Earlier: 12", "a"), ("Later: 3", "b")), conflict_id=5)),
    ("status", {"title": "Status change: claim #4 is now false", "text": "note", "claim_id": 4, "claim_text": "c"},
     4, StatusChange(title="Status change: claim #4 is now false", text="note", claim_id=4, claim_text="c")),
    ("digest", {"title": "Digest: 2 alert(s) held back", "text": "lines", "fields": [["Held by", "rate limit (2)"]],
                "items": 2, "claim_id": None, "created": "2026-02-03T08:00:00+00:00"}, None,
     Digest(title="Digest: 2 alert(s) held back", text="lines", fields=(("Held by", "rate limit (2)"),), items=2,
            created="2026-02-03T08:00:00+00:00")),
    ("source_paused", {"title": "Source #2 paused", "text": "failed"}, None,
     SourcePaused(title="Source #2 paused", text="failed")),
    # The backfill notice kept its claim in the row's column only.
    ("notice", {"title": "Claim #4: earlier statements checked", "text": "Found 3"}, 4,
     Notice(title="Claim #4: earlier statements checked", text="Found 3", claim_id=4)),
]


@pytest.mark.parametrize(("kind", "payload", "claim_id", "expected"), OLD_ROWS,
                         ids=[f"{r[0]}-{i}" for i, r in enumerate(OLD_ROWS)])
async def test_rows_of_an_existing_database_decode(store: Store, kind: str, payload: dict[str, Any],
                                                   claim_id: int | None, expected: object) -> None:
    """Rows written by the earlier dict-based code, read back through the store as the outbox reads them."""
    def insert() -> None:
        with store.tx() as db:
            alert_id = db["alerts"].insert({"claim_id": claim_id, "match_id": None, "kind": kind,
                                            "payload": json.dumps(payload), "sort_key": "k",
                                            "created_at": "2026-02-03T08:00:00+00:00"}).last_pk
            db["deliveries"].insert({"alert_id": alert_id, "platform": "console", "channel": "c",
                                     "status": "pending"})

    await store.run(insert)
    [pending] = await store.pending_deliveries("console", "9999")
    assert pending.alert.content == expected


@pytest.mark.parametrize(("kind", "payload", "expected"), [
    ("statement", {"text": "x", "quotes": [{"speaker": "y"}, "z", {"text": ""}]}, StatementAlert(text="x")),
    ("statement", {"text": "x", "quotes": "not a list", "outlets": "many"}, StatementAlert(text="x")),
    ("statement", {"text": None, "confidence": "sure", "stance": "refutes"}, StatementAlert(stance="refutes")),
    ("conflict", {"title": "c", "fields": [["only one"]]}, ConflictAlert(title="c")),
    ("no_such_kind", {"title": "t", "text": "x"}, Notice(title="t", text="x")),
    ("update", {"text": "x"}, Edit(0, StatementAlert(text="x"))),
    ("statement", "[1, 2]", StatementAlert()),
    ("digest", "{not json", Digest()),
])
def test_damaged_payloads_decode_without_the_damaged_parts(kind: str, payload: Any, expected: object) -> None:
    # One bad row must not stop an outbox pass: what is readable is kept, the rest takes its default.
    assert decode(kind, payload) == expected


async def test_store_round_trip_keeps_the_type(store: Store) -> None:
    for sample in SAMPLES.values():
        await store.enqueue_alert(sample, destinations=[("console", "c")])
    pending = await store.pending_deliveries("console", "9999")
    assert [p.alert.content for p in pending] == list(SAMPLES.values())
    assert [p.alert.claim_id for p in pending] == [a.claim_id for a in SAMPLES.values()]


def test_keys_the_store_edits_in_place_are_the_encoded_field_names() -> None:
    # storage/alerting.py folds copies by editing these keys of a stored statement payload (and finds
    # stories by $.story_key): they must stay the names the codec writes.
    kind, payload = encode(SAMPLES[StatementAlert])
    assert {"also_carried_by", "outlets", "source", "claim_id", "story_key"} <= set(payload)
    assert kind == "statement" and encode(Edit(1, SAMPLES[StatementAlert]))[1]["edit_of"] == 1
