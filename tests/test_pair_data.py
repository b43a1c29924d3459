"""The pair model's training-set builder reads our own pair files and exported moderator feedback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

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


def test_topic_negatives_keep_mined_pairs_and_skip_possible_matches(tmp_path: Path) -> None:
    """FNC-format bodies vs training claims: unrelated pairs only, none that may be the same event."""
    import csv

    from bot.judge import load_judge
    from scripts.pair_data import topic_negatives

    if load_judge().pair is None:
        pytest.skip("shipped pair model missing")
    texts = [  # the 200 first and 300 last bodies are never read: the middle ten are
        "Heavy rain flooded streets across the coastal province and thousands of families left their homes.",
        "A gunman opened fire outside parliament in the capital before police shot him dead.",
        "The central bank raised its main interest rate by a quarter point on Thursday.",
        "Floodwater in the Indus valley kept rising as the monsoon rains went on for a third week.",
        "Residents said the river burst its banks overnight and swept away two bridges.",
    ]
    (tmp_path / "fnc-1").mkdir()
    with (tmp_path / "fnc-1/train_bodies.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Body ID", "articleBody"])
        for i in range(510):
            body = texts[i % len(texts)] if 200 <= i < 210 else f"Filler body number {i} about nothing in particular at all."
            w.writerow([f"{i:04d}", body])
    (tmp_path / "fnc-1/train_stances.csv").write_text("Headline,Body ID,Stance\n")
    claims = tmp_path / "news_pairs_x.jsonl"
    claims.write_text("".join(json.dumps({"claim": c, "text": "x", "label": "supports"}) + "\n" for c in (
        "Pakistan's 2022 monsoon floods submerged a third of the country.",
        "A lone gunman killed 51 worshippers at two mosques in Christchurch, New Zealand.")))
    rows = topic_negatives(tmp_path, [claims], easy=0)
    assert rows, "the flood and gunman sentences are read as related by the shipped model: mined"
    assert all(r["label"] == 0 and r["src"] == "topic" for r in rows)
    assert {r["text"] for r in rows} <= set(texts)
    # a pair close enough to be the same event (cosine 0.5 or more) is never made a negative
    enc = load_judge().encoder
    cos = [float(enc.encode([r["claim"]])[0] @ enc.encode([r["text"]])[0]) for r in rows]
    assert max(cos) < 0.5
