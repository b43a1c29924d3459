"""The pair model's training-set builder reads our own pair files and exported moderator feedback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from scripts.pair_data import news_pairs


class StubEncoder:
    """Deterministic unit vectors per text (the builder only needs cosine neighbours)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.stack([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts])
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


def test_feedback_export_is_read_as_training_pairs(tmp_path: Path) -> None:
    rows = [
        {"claim": "Kyiv attacked the residence", "text": "Moscow says Kyiv attacked it.", "label": "supports",
         "claim_id": 1, "match_id": 4, "judged": "neutral", "reviewed_by": "slack:U1", "reviewed_at": "x"},
        {"claim": "Kyiv attacked the residence", "text": "A fuel depot burned in Novgorod.", "label": "unrelated"},
        {"claim": "The dam was blown up", "text": "Engineers said the dam failed on its own.", "label": "refutes"},
    ]
    path = tmp_path / "feedback.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    pairs = news_pairs(StubEncoder(), [path])
    own = [(p["claim"], p["text"], p["label"]) for p in pairs[::2]]
    assert own == [(r["claim"], r["text"], {"supports": 1, "unrelated": 0, "refutes": 2}[r["label"]]) for r in rows]
    # each statement is also paired with the closest OTHER claim as unrelated
    assert all(p["label"] == 0 and p["claim"] != r["claim"] for p, r in zip(pairs[1::2], rows, strict=True))


def test_shipped_training_files_parse() -> None:
    files = sorted((Path(__file__).resolve().parents[1] / "training").glob("news_pairs_*.jsonl"))
    assert files
    labels = {json.loads(x)["label"] for f in files for x in f.read_text().splitlines() if x.strip()}
    assert labels == {"supports", "refutes", "neutral", "unrelated"}
