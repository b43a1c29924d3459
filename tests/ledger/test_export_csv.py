"""CSV exports never hand a spreadsheet a formula: cells starting with = + - @ (tab, CR) are quoted."""

from __future__ import annotations

import csv
import io

import pytest

from bot.ledger.export import csv_cell, statements_csv
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
