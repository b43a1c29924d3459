"""Reasons behind a verdict: the relatedness parts and the shared words, names and numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from .aliases import canon_names
from .anchor import content_stems
from .index import ClaimIndex
from .relatedness import FEATURES
from .text import names, numbers
from .types import Reasons, Verdict


def relatedness_reasons(idx: ClaimIndex, text: str, j: int, verdicts: Sequence[Verdict],
                        cos: np.ndarray | None, retrieval: np.ndarray,
                        pair: Mapping[tuple[int, int], np.ndarray],
                        context: Mapping[tuple[int, int], str],
                        anchored: Mapping[tuple[int, int], tuple[str, ...]] | None = None) -> list[Verdict]:
    """Text j's verdicts with their relatedness reasons added (the stance part kept).

    retrieval: the cheap stage's scores for this text; pair: the pair model's 4-way probabilities
    per (text, claim) it read; context: why the article context promoted a (text, claim);
    anchored: the rare words of pairs the anchored path scored (bot/judge/anchor.py).
    """
    anchored = anchored or {}
    if not verdicts:
        return []
    f = idx.lexicon.features(text, cos)  # once per text, not per verdict
    words = content_stems(text)
    nms = canon_names(names(text))
    nums = numbers(text)
    out = []
    for v in verdicts:
        i = idx.pos[v.claim_id]
        claim = idx.claims[i].text
        parts = {n: round(float(x), 3) for n, x in zip(FEATURES, f[i], strict=True)}
        parts["retrieval"] = round(float(retrieval[i]), 3)
        p = pair.get((j, i))
        if p is not None:
            parts["pair_related"] = round(1.0 - float(p[0]), 3)
        base = v.reasons
        out.append(replace(v, reasons=Reasons(
            parts=parts,
            shared_words=tuple(sorted(content_stems(claim) & words)),
            shared_names=tuple(sorted(canon_names(names(claim)) & nms)),
            shared_numbers=tuple(sorted(numbers(claim) & nums)),
            context=context.get((j, i)),
            anchor=anchored.get((j, i), ()),
            stance_rule=base.stance_rule if base else "",
            stance_probs=base.stance_probs if base else None,
        )))
    return out
