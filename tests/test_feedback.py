"""`claimwatch feedback export` on a tiny database, and the training-side reader of what it writes."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from bot import cli
from bot.judge.training import corpus
from bot.judge.types import LABELS
from scripts.feedback_pairs import feedback_matrix, load_feedback
from storage import Store
from tests.matches import Row, store_rows

CLAIM = "The Old Town bridge was closed to traffic on Monday"


async def make_db(path: Path) -> list[int]:
    """Four matches: confirmed, rejected, stance-corrected, and one nobody reviewed."""
    store = Store(path)
    await store.open()
    try:
        await store.add_claim(CLAIM, "test")
        ids = await store_rows(store, [
            Row("The council said the bridge was closed on Monday."),
            Row("The bridge toll rises next year.", stance="neutral", tier="possible"),
            Row("Police said traffic crossed the bridge all Monday.", stance="supports"),
            Row("Drivers queued near the bridge.", tier="possible"),
        ])
        await store.review_match(ids[0], "confirmed", "slack:U0MOD")
        await store.review_match(ids[1], "rejected", "discord:42")
        await store.review_match(ids[2], "confirmed", "console:mod", stance="refutes")
    finally:
        await store.close()
    return ids


async def test_export_writes_every_reviewed_match_as_a_labelled_pair(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db, out = tmp_path / "cw.db", tmp_path / "pairs.jsonl"
    ids = await make_db(db)
    assert await _run(["feedback", "export", "--db", str(db), "--out", str(out)]) == 0
    assert "3 labelled pair(s) written to" in capsys.readouterr().err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [list(r) for r in rows] == [["claim", "text", "label", "claim_id", "match_id", "judged", "reviewed_by",
                                        "reviewed_at"]] * 3
    by_match = {r["match_id"]: r for r in rows}
    assert set(by_match) == set(ids[:3])  # the unreviewed possible match is not a label
    assert [(by_match[m]["label"], by_match[m]["judged"], by_match[m]["reviewed_by"]) for m in ids[:3]] == [
        ("supports", "supports", "slack:U0MOD"), ("unrelated", "neutral", "discord:42"),
        ("refutes", "supports", "console:mod")]
    assert all(r["claim"] == CLAIM and r["claim_id"] == 1 and r["reviewed_at"] for r in rows)
    assert by_match[ids[1]]["text"] == "The bridge toll rises next year."

    # What the training script reads: FNC-style pairs, labels indexing LABELS, grouped by claim.
    bodies, pairs = load_feedback(out)
    assert [LABELS[p.label] for p in pairs] == [r["label"] for r in rows]
    assert {p.group for p in pairs} == {"feedback-claim-1"} and all(bodies[p.body_id] for p in pairs)


class HashEncoder:
    """A stand-in sentence encoder: stable unit vectors from a hash of each text."""

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = [np.frombuffer(hashlib.sha256(t.encode()).digest(), np.uint8)[:16].astype(np.float32) - 127.5
                for t in texts]
        emb = np.stack(rows)
        return emb / np.linalg.norm(emb, axis=1, keepdims=True)


async def test_train_stance_builds_features_from_the_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, out = tmp_path / "cw.db", tmp_path / "pairs.jsonl"
    await make_db(db)
    assert await _run(["feedback", "export", "--db", str(db), "--out", str(out)]) == 0
    monkeypatch.setattr(corpus, "CACHE", tmp_path / "cache")  # the embedding cache stays in the test's folder
    x, y = feedback_matrix(HashEncoder(), out)
    assert x.shape[0] == 3 and x.dtype == np.float32 and np.isfinite(x).all()
    assert [LABELS[i] for i in y] == ["supports", "unrelated", "refutes"]


@pytest.mark.parametrize(("line", "reason"), [
    ("not json", "not JSON"),
    ('["a list"]', "expected an object"),
    ('{"claim": "c", "text": "", "label": "supports"}', "must be non-empty strings"),
    ('{"claim": "c", "text": "t", "label": "agree"}', "\"label\" must be one of unrelated, supports"),
])
def test_reader_names_the_bad_line(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"claim": "c", "text": "t", "label": "refutes", "claim_id": 1, "match_id": 1}\n' + line + "\n")
    with pytest.raises(ValueError, match=f"bad.jsonl:2: .*{reason[:20]}"):
        load_feedback(path)


async def test_export_refuses_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert await _run(["feedback", "export", "--db", str(tmp_path / "none.db")]) == cli.EXIT_USAGE
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


async def _run(argv: list[str]) -> int:
    # The CLI runs its own event loop: keep it off the test's loop.
    return await asyncio.to_thread(cli.main, argv)


async def test_export_reads_a_postgresql_database(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = await make_db(pg_url)  # type: ignore[arg-type]  # Store takes a URL as well as a path
    assert await _run(["feedback", "export", "--db", pg_url, "--out", "-"]) == 0
    out = capsys.readouterr()
    assert "3 labelled pair(s) written to standard output" in out.err
    assert {json.loads(line)["match_id"] for line in out.out.splitlines()} == set(ids[:3])
