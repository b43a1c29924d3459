"""The development set in bench/devset: ids unique across files, every label points at a known claim."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from devset import load  # noqa: E402


def test_claim_statement_and_article_ids_are_unique() -> None:
    """A reused claim id would move another half's article labels (found when tune3 reused c71-c72)."""
    ds = load()
    for rows in ([c["id"] for c in ds.claims], [s["id"] for s in ds.statements], [a["id"] for a in ds.articles]):
        assert len(rows) == len(set(rows))


def test_labels_point_at_known_claims() -> None:
    """Statements refer to claims of their own half; article labels to known claims (scoring keeps the article's half)."""
    ds = load()
    for s in ds.statements:
        if s["claim"]:
            assert ds.half[s["claim"]] == s["half"], s["id"]
            assert s["stance"] in ("supports", "refutes", "neutral"), s["id"]
    for a in ds.articles:
        for lb in a["labels"] + a.get("conflicts", []):
            assert lb["claim"] in ds.half, a["id"]


def test_a_reused_claim_id_is_refused(tmp_path: Path) -> None:
    """load() names the duplicated id instead of silently merging halves."""
    for name, half in (("claims_x.json", "tune"), ("claims_y.json", "report")):
        (tmp_path / name).write_text(json.dumps([{"id": "c01", "text": "t", "half": half}]))
    with pytest.raises(ValueError, match="c01"):
        load(tmp_path)
