"""Minimum figures of the shipped judge on the project's own fixture set (a regression fails CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.judge import Judge, load_judge
from bot.judge.training.evaluate import evaluate, load_fixture

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "judge"


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    judge = load_judge()
    if judge.encoder is None:
        pytest.skip("shipped model files missing")
    claims, rows = load_fixture(FIX)
    return evaluate(judge, claims, rows)


@pytest.mark.parametrize(("name", "minimum"), [
    # The judge was recalibrated on the news-like dev set (bench/devset): recall on this set rose from
    # 0.65 to 0.95 and precision fell from 0.96 to 0.81, mostly on its same-story distractors, whose
    # claims carry moderator keywords (see models/MODEL_CARD.md, "Known limits").
    ("recall_at_1", 0.95),
    ("alert_precision", 0.78),
    ("alert_recall", 0.92),
    ("stance_accuracy", 0.88),
    ("stance_macro_f1", 0.87),
    ("stance_acc_allegation", 0.90),
    ("stance_acc_denial", 0.80),
    ("stance_acc_hedge", 0.80),
])
def test_minimum(figures: dict[str, float], name: str, minimum: float) -> None:
    assert figures[name] >= minimum, f"{name} fell to {figures[name]:.3f} (minimum {minimum})"


@pytest.mark.parametrize(("name", "maximum"), [
    ("false_alert_rate_off_claim", 0.50),
    ("false_alert_rate_distractors", 0.68),
])
def test_maximum(figures: dict[str, float], name: str, maximum: float) -> None:
    assert figures[name] <= maximum, f"{name} rose to {figures[name]:.3f} (maximum {maximum})"


def test_lexical_fallback_still_reads_denials() -> None:
    claims, rows = load_fixture(FIX)
    m = evaluate(Judge(), claims, rows)
    assert m["recall_at_1"] >= 0.9 and m["stance_acc_denial"] >= 0.75


def test_drone_story() -> None:
    judge = load_judge()
    claims, _ = load_fixture(FIX)
    judge.set_claims(claims)
    cases = {
        "Moscow says Kyiv sent drones at Putin's Novgorod residence.": "supports",
        "Kyiv and the EU called the drone attack on Putin's residence a fabrication.": "refutes",
        "US officials found no evidence of a Ukrainian drone attack on Putin's residence.": "refutes",
    }
    for text, stance in cases.items():
        top = judge.match([text], top_k=1)[0][0]
        assert top.claim_id == "drone" and top.stance == stance, (text, top)


def test_articles() -> None:
    """classify_article on whole articles: the right claim first, most stances right, no alert off-topic."""
    import json

    judge = load_judge()
    claims, _ = load_fixture(FIX)
    judge.set_claims(claims)
    rows = [json.loads(line) for line in (FIX / "articles.jsonl").read_text().splitlines() if line]
    topic = stance = 0
    for r in rows:
        found = judge.classify_article(r["text"], top_k=1)  # alert and possible tiers only
        if r["claim"] is None:
            if r["id"] == "a09":  # plainly unrelated article
                assert not any(v.alert for v in found), found
            continue
        v = found[0] if found else None
        topic += v is not None and v.claim_id == r["claim"]
        stance += v is not None and v.claim_id == r["claim"] and v.stance == r["stance"]
    assert topic == 8 and stance >= 4, (topic, stance)
