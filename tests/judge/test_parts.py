"""Unit checks of the judge's parts: text helpers, lexical index, encoder, MLP, batch claims file."""

from __future__ import annotations

import io
import json

import numpy as np

from bot.judge import load_judge
from bot.judge.batch import load_claims, run_match
from bot.judge.lexical import LexicalIndex
from bot.judge.mlp import Ensemble
from bot.judge.rules import statement_stance
from bot.judge.text import numbers, sentences, tokens
from bot.judge.training.fit import fit


def test_text_helpers() -> None:
    assert sentences("Kyiv denied it. Moscow said 91 drones. \"Really?\" Yes.") == [
        "Kyiv denied it.", "Moscow said 91 drones.", "\"Really?\"", "Yes."]
    assert numbers("from 89 to 91, then 1,200") == {"89", "91", "1200"}
    assert tokens("The drones attacked a drone") == ["drone", "attack", "drone"]


def test_lexical_coverage_and_bm25() -> None:
    idx = LexicalIndex(["drones hit the residence", "bank raises rates"])
    bm, cov = idx.query("drones near the residence")
    assert bm[0] > bm[1] == 0 and 0.5 < cov[0] < 1.0 and cov[1] == 0
    assert idx.query("the residence was hit by drones")[1][0] >= 0.99


def test_statement_policy() -> None:
    claim = "Ukraine attacked Putin's residence"
    assert statement_stance(claim, "Moscow alleged that Ukraine attacked the residence.", None)[0] == "supports"
    assert statement_stance(claim, "Kyiv denied attacking the residence.", None)[0] == "refutes"
    assert statement_stance(claim, "Did Ukraine attack the residence?", None)[0] == "neutral"
    # a denial already inside the claim is not counted against it
    assert statement_stance("Kyiv denied the attack", "Kyiv denied the attack again.", None)[0] == "supports"


def test_encoder_rows_normalised_and_batch_independent() -> None:
    judge = load_judge()
    if judge.encoder is None:
        return
    texts = ["short", "a much longer sentence about drones and residences " * 6, "mid sized text"] * 30
    a = judge.encoder.encode(texts)
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-3)
    judge.encoder.token_budget = 10**9
    b = judge.encoder.encode(texts)
    assert float((a * b).sum(1).min()) > 0.97  # int8 activations are quantised per run


def test_mlp_fit_save_load(tmp_path) -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 5)).astype(np.float32)
    y = (x[:, 0] > 0).astype(int)
    m = Ensemble([fit(x, y, 2, hidden=8, epochs=100, lr=1e-2, seed=0)])
    m.save(tmp_path / "m.npz")
    m2 = Ensemble.load(tmp_path / "m.npz")
    assert (m2.predict_proba(x).argmax(1) == y).mean() > 0.9


def test_claims_file_keywords_and_threshold(tmp_path) -> None:
    cp = tmp_path / "c.json"
    cp.write_text(json.dumps([{"id": "x", "text": "The bank will raise rates", "keywords": ["rate hike"],
                               "threshold": 0.99}]))
    claims, _ = load_claims(cp)
    assert claims[0].keywords == ("rate hike",) and claims[0].threshold == 0.99
    out = io.StringIO()
    run_match(cp, io.StringIO('{"id": 1, "text": "Analysts expect a rate hike."}\n'), out)
    assert json.loads(out.getvalue())["matches"] == []
