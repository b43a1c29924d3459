"""The batched relatedness path agrees with the dense per-text features it replaced."""

from __future__ import annotations

import numpy as np

from bot.judge.lexical import LexicalIndex
from bot.judge.relatedness import FEATURES, N_CAND, Lexicon
from bot.judge.types import ClaimRef

W = {"cos": 6.0, "cov": 4.0, "kw": 1.5, "num": 0.5, "name": -0.7, "bias": -5.0}


def _claims(n: int) -> list[ClaimRef]:
    towns = ["Lviv", "Odesa", "Kharkiv", "Dnipro", "Poltava"]
    out = [ClaimRef("k", "The council banned cars from the old town", ("car ban", "old town"))]
    out += [ClaimRef(str(i), f"{towns[i % 5]} reported {i % 13} drones over the {('port', 'airport', 'plant')[i % 3]}")
            for i in range(n - 1)]
    return out


def _dense(lex: Lexicon, text: str, cos: np.ndarray | None) -> np.ndarray:
    f = lex.features(text, cos)
    z = W["bias"] + f @ np.array([W[k] for k in FEATURES], np.float32)
    return 1.0 / (1.0 + np.exp(-z))


def test_batched_relatedness_matches_dense_features() -> None:
    texts = ["Odesa reported 7 drones over the port", "A car ban for the old town, the council says",
             "Nothing about any of it", "Kharkiv: 3 drones near the plant, Lviv quiet"]
    for n in (10, N_CAND * 3):
        lex = Lexicon.build(_claims(n))
        cos = np.random.default_rng(n).uniform(-0.2, 0.9, (len(texts), n)).astype(np.float32)
        for c in (cos, None):
            got = lex.relatedness(texts, c, W)
            want = np.stack([_dense(lex, t, None if c is None else c[j]) for j, t in enumerate(texts)])
            assert got.shape == (len(texts), n) and got.dtype == np.float32
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        f = lex.features(texts[1], None)
        assert f[0, 2] == 1.0 and f[1:, 2].sum() == 0  # keyword phrase hit only on its claim
        f = lex.features(texts[0], None)
        assert f[:, 3].any() and f[:, 4].max() > 0  # shared numbers and names count


def test_coverage_equals_query_coverage() -> None:
    idx = LexicalIndex(["drones hit the residence", "bank raises rates", "drones and rates"])
    for q in ("drones near the residence", "rates", "", "unrelated words"):
        np.testing.assert_array_equal(idx.coverage(q), idx.query(q)[1])


def test_top_k_order_uses_bm25_but_alerts_do_not() -> None:
    from bot.judge.judge import Judge, JudgeConfig

    claims = _claims(40)
    texts = ["Odesa reported 7 drones over the port", "car ban in the old town", "drones drones port council"]
    plain, mixed = Judge(config=JudgeConfig(threshold=0.3)), Judge(config=JudgeConfig(threshold=0.3, retrieval_bm25=50.0))
    for j in (plain, mixed):
        j.set_claims(claims)
    assert plain.match(texts) == mixed.match(texts)  # alert-worthy output never depends on the weight
    pos, differs = {c.id: i for i, c in enumerate(claims)}, []
    for t, a, b in zip(texts, plain.match(texts, top_k=5), mixed.match(texts, top_k=5), strict=True):
        assert [v.score for v in a] == sorted((v.score for v in a), reverse=True)
        bm = mixed._idx.lexicon.lex.query(t)[0]
        got = [float(bm[pos[v.claim_id]]) for v in b]
        assert got == sorted(bm.tolist(), reverse=True)[:5], t  # a dominant BM25 weight gives BM25's order
        differs.append({v.claim_id for v in a} != {v.claim_id for v in b})
        rel = {v.claim_id: (v.score, v.alert) for v in plain.match([t], top_k=len(claims))[0]}
        assert all(rel[v.claim_id] == (v.score, v.alert) for v in b)  # scores and alert flags untouched
    assert any(differs)  # the weight really changes which claims make some top-5 lists
