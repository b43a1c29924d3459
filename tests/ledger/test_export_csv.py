"""CSV exports never hand a spreadsheet a formula (cells starting with = + - @, tab, CR are quoted), and give
every time in one format: ISO 8601 UTC with 'Z'."""

from __future__ import annotations

import csv
import io

import pytest

from bot.durations import iso_utc
from bot.ledger.export import CSV_TIMES, csv_cell, statements_csv
from storage.ledger import LedgerRow


@pytest.mark.parametrize(("value", "shown"), [
    ("=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK(\"http://evil.example\",\"click\")"),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("The ministry said 89 drones", "The ministry said 89 drones"),
    ("", ""),
    ("a=b", "a=b"),  # only the first character matters
    (-0.5, -0.5),  # numbers are data, not formulas
    (None, None),
])
def test_csv_cell(value: object, shown: object) -> None:
    assert csv_cell(value) == shown


def test_statements_csv_escapes_every_text_column() -> None:
    row = LedgerRow(match_id=1, statement_id=2, stance="refutes", confidence=0.9, text="=1+1",
                    speaker="@someone", speaker_role="-spokesperson", cue_type="denies",
                    url="+http://example.org/a", source_id=3, source_label="=Wire", speaker_kind="official",
                    at="2025-12-30T09:15:00+00:00")
    [parsed] = list(csv.DictReader(io.StringIO(statements_csv([row]).decode())))
    assert parsed["text"] == "'=1+1" and parsed["speaker"] == "'@someone"
    assert parsed["speaker_role"] == "'-spokesperson" and parsed["url"] == "'+http://example.org/a"
    assert parsed["source_label"] == "'=Wire"
    assert parsed["stance"] == "refutes" and parsed["confidence"] == "0.9" and parsed["match_id"] == "1"


def test_exports_show_links_without_tracking_parameters() -> None:
    """CSV and JSON exports give links as chat does: utm_* and click ids dropped, the page's own query kept."""
    import json

    from bot.ledger.export import ledger_dict
    from bot.ledger.model import build_ledger
    from bot.models import Claim

    row = LedgerRow(match_id=1, statement_id=2, stance="supports", confidence=0.9, text="Moscow says ...",
                    speaker="ministry", speaker_role=None, cue_type=None,
                    url="https://wire.example.org/a?id=7&utm_source=rss&fbclid=x", source_id=3,
                    source_label="Wire", speaker_kind="official", at="2025-12-30T09:15:00+00:00")
    [parsed] = list(csv.DictReader(io.StringIO(statements_csv([row]).decode())))
    assert parsed["url"] == "https://wire.example.org/a?id=7"

    ledger = build_ledger(Claim(1, "Moscow says Kyiv attacked the residence"), [row], [])
    doc = json.loads(json.dumps(ledger_dict(ledger, [row])))
    assert doc["statements"][0]["url"] == "https://wire.example.org/a?id=7"
    assert doc["sides"]["asserting"]["first"]["url"] == "https://wire.example.org/a?id=7"


@pytest.mark.parametrize(("stored", "exported"), [
    ("2025-12-29T05:10:00+00:00", "2025-12-29T05:10:00Z"),  # what the store writes (utcnow)
    ("2025-12-29T05:10:00Z", "2025-12-29T05:10:00Z"),  # a JSON Feed's date_published, kept as given
    ("2025-12-29T08:10:00+03:00", "2025-12-29T05:10:00Z"),  # a feed's local time
    ("2025-12-28T23:10:00-06:00", "2025-12-29T05:10:00Z"),  # ... across midnight
    ("2025-12-29T05:10:00", "2025-12-29T05:10:00Z"),  # naive: UTC, as everything stored is
    ("2025-12-29T05:10:00.120+00:00", "2025-12-29T05:10:00Z"),  # lease-style milliseconds: to the second
    ("2025-12-29", "2025-12-29T00:00:00Z"),
    ("last Tuesday", ""),  # unreadable: empty, never a second format
    ("0001-01-01T00:00:00+05:00", ""),  # no UTC time in range
    ("", ""),
    (None, ""),
])
def test_iso_utc(stored: str | None, exported: str) -> None:
    assert iso_utc(stored) == exported


def test_statements_csv_gives_every_time_in_one_format() -> None:
    """Rows whose times came from the store, an RSS feed and a JSON Feed (+00:00, +03:00, Z) read alike."""
    import re

    times = ["2025-12-29T05:10:00+00:00", "2025-12-29T09:15:00+03:00", "2025-12-30T07:00:00Z", "soon"]
    rows = [LedgerRow(match_id=n, statement_id=n, stance="supports", confidence=0.9, text="Moscow says ...",
                      speaker=None, speaker_role=None, cue_type=None, url="", source_id=1, source_label="Wire",
                      speaker_kind="official", at=at) for n, at in enumerate(times, start=1)]
    parsed = list(csv.DictReader(io.StringIO(statements_csv(rows).decode())))
    assert [r["at"] for r in parsed] == ["2025-12-29T05:10:00Z", "2025-12-29T06:15:00Z", "2025-12-30T07:00:00Z", ""]
    header = next(csv.reader(io.StringIO(statements_csv(rows).decode())))
    assert set(CSV_TIMES) <= set(header)  # every time column is one the CSV has
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|", r[k]) for r in parsed for k in CSV_TIMES)
