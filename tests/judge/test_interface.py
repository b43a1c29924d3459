"""The judge's public interface and batch formats."""

from __future__ import annotations

import io
import json

import pytest

from bot.judge import ClaimRef, Judge, Verdict, load_judge
from bot.judge.batch import BatchInputError, run_classify, run_match

CLAIMS = [
    ClaimRef("1", "Kyiv sent drones to attack Putin's residence in Novgorod"),
    ClaimRef("2", "The central bank will raise interest rates in March", keywords=("rate hike",)),
]


@pytest.fixture(scope="module")
def judge() -> Judge:
    j = load_judge()
    j.set_claims(CLAIMS)
    return j


def test_match_alerts_and_top_k(judge: Judge) -> None:
    texts = ["Moscow says Kyiv launched drones at Putin's Novgorod residence.", "Nice weather."]
    out = judge.match(texts)
    assert [v.claim_id for v in out[0]][:1] == ["1"] and out[0][0].alert
    assert out[1] == []
    top = judge.match(texts, top_k=2)
    assert len(top[1]) == 2 and all(isinstance(v, Verdict) for v in top[1])
    assert top[1][0].score >= top[1][1].score


def test_keywords_count(judge: Judge) -> None:
    out = judge.match(["Traders now price in a rate hike."], top_k=1)
    assert out[0][0].claim_id == "2"


def test_per_claim_threshold() -> None:
    j = load_judge()
    j.set_claims([ClaimRef("1", CLAIMS[0].text, threshold=0.999)])
    assert j.match(["Moscow says Kyiv launched drones at Putin's Novgorod residence."]) == [[]]


def test_classify_labels(judge: Judge) -> None:
    label, score = judge.classify(CLAIMS[0].text, "Kyiv denied it sent drones to Putin's residence.")
    assert label == "refutes" and 0 <= score <= 1
    assert judge.classify(CLAIMS[0].text, "The football final ended in a draw.")[0] == "unrelated"


def test_classify_article(judge: Judge) -> None:
    art = "Markets were calm. Kyiv called the claim that it sent drones at Putin's residence a fabrication."
    out = judge.classify_article(art)
    assert out and out[0].claim_id == "1" and out[0].stance == "refutes"


def test_empty_claims() -> None:
    j = load_judge()
    assert j.match(["anything"]) == [[]]
    assert j.classify_article("anything") == []


def test_run_match_format(tmp_path) -> None:
    cp = tmp_path / "c.json"
    cp.write_text(json.dumps([{"id": 7, "text": CLAIMS[0].text}]))
    src = io.StringIO(json.dumps({"id": "a", "text": "Kyiv denied sending drones to Putin's residence."}) + "\n")
    out = io.StringIO()
    assert run_match(cp, src, out) == 1
    row = json.loads(out.getvalue())
    assert row["id"] == "a" and row["matches"][0]["claim"] == 7
    assert set(row["matches"][0]) == {"claim", "score", "stance"}
    out = io.StringIO()
    run_match(cp, io.StringIO('{"id": 1, "text": "unrelated"}\n'), out, top_k=1)
    assert json.loads(out.getvalue())["matches"][0]["alert"] is False


def test_run_match_errors(tmp_path) -> None:
    cp = tmp_path / "c.json"
    cp.write_text(json.dumps([{"id": 1, "text": "x"}]))
    with pytest.raises(BatchInputError, match="line 2"):
        run_match(cp, io.StringIO('{"id": 1, "text": "a"}\n{"id": 2}\n'), io.StringIO())
    with pytest.raises(BatchInputError, match="line 1"):
        run_match(cp, io.StringIO("not json\n"), io.StringIO())
    cp.write_text("{}")
    with pytest.raises(BatchInputError, match="JSON list"):
        run_match(cp, io.StringIO(""), io.StringIO())


def test_run_classify(tmp_path) -> None:
    src = io.StringIO(json.dumps({"id": 1, "claim": CLAIMS[0].text,
                                  "text": "Kyiv denied sending drones to Putin's residence."}) + "\n")
    out = io.StringIO()
    assert run_classify(src, out) == 1
    row = json.loads(out.getvalue())
    assert row["id"] == 1 and row["label"] in {"unrelated", "supports", "refutes", "neutral"}
    with pytest.raises(BatchInputError, match="line 1.*claim"):
        run_classify(io.StringIO('{"id": 1, "text": "t"}\n'), io.StringIO())


def test_verdict_numbers_are_builtin():
    import numpy as np

    from bot.judge import Verdict

    v = Verdict("1", np.float32(0.5), "supports", np.float64(0.75), np.bool_(True))
    assert type(v.score) is float and type(v.confidence) is float and type(v.alert) is bool
