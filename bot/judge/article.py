"""An article's verdict per claim, from its statements' verdicts: one alert per (article, claim)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .types import ArticleVerdict, Verdict

TITLE_WEIGHT = 2.0  # a headline sums up its article's side (a topic-only headline is neutral already)


def article_verdicts(per: Sequence[Sequence[Verdict]], title_first: bool = True,
                     runner_up: float = 1.0) -> list[ArticleVerdict]:
    """Per claim any statement concerns: the article's score, stance and the statements that decided it.

    runner_up: a claim whose best score is under this share of the article's best claim does not alert.
    """
    by_claim: dict[str, list[tuple[int, Verdict]]] = {}
    for i, vs in enumerate(per):
        for v in vs:
            by_claim.setdefault(v.claim_id, []).append((i, v))
    out = []
    for claim_id, hits in by_claim.items():
        alerting = [(i, v) for i, v in hits if v.alert]
        title = [(i, v) for i, v in hits if title_first and i == 0]
        pool = alerting or hits
        if title and title[0] not in pool:
            pool = title + pool  # the headline speaks for the article even below the alert tier
        weight = {"supports": 0.0, "refutes": 0.0, "neutral": 0.0}
        for i, v in pool:
            w = TITLE_WEIGHT if title_first and i == 0 else 1.0
            weight[v.stance] = weight.get(v.stance, 0.0) + w * v.confidence
        sup, ref = weight["supports"], weight["refutes"]
        if sup and ref and max(sup, ref) < 2 * min(sup, ref):
            stance = "neutral"  # both sides reported in like measure
        else:
            stance = max(weight, key=lambda k: weight[k])
        total = sum(weight.values()) or 1.0
        decisive = sorted(pool, key=lambda iv: (iv[1].stance != stance, -iv[1].score))
        best = max(v.score for _, v in hits)
        out.append(ArticleVerdict(claim_id, best, stance, weight[stance] / total if stance in weight else 0.5,
                                  bool(alerting), tuple(i for i, _ in decisive[:3])))
    out.sort(key=lambda a: -a.score)
    if out and runner_up < 1.0:
        top = out[0].score
        out = [a if a.score >= runner_up * top else replace(a, alert=False) for a in out]
    return out
