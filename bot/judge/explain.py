"""Reasons behind a verdict: the relatedness parts and the shared words, names and numbers."""

from __future__ import annotations

import numpy as np

from .aliases import canon_names, canon_tokens
from .relatedness import FEATURES, Lexicon
from .text import names, numbers, tokens
from .types import Reasons


def relatedness_reasons(lexicon: Lexicon, claim_index: int, claim_text: str, text: str,
                        cos: np.ndarray | None, fcos: np.ndarray | None, base: Reasons | None,
                        context: str | None = None, retrieval: float | None = None,
                        pair: np.ndarray | None = None) -> Reasons:
    """Reasons for one (text, claim) verdict, keeping the stance part of `base`.

    retrieval: the cheap stage's score; pair: the pair model's 4-way probabilities, when it read the pair.
    """
    f = lexicon.features(text, cos, fcos)[claim_index]
    parts = {n: round(float(v), 3) for n, v in zip(FEATURES, f, strict=True)}
    if retrieval is not None:
        parts["retrieval"] = round(retrieval, 3)
    if pair is not None:
        parts["pair_related"] = round(1.0 - float(pair[0]), 3)
    return Reasons(
        parts=parts,
        shared_words=tuple(sorted(set(canon_tokens(tokens(claim_text))) & set(canon_tokens(tokens(text))))),
        shared_names=tuple(sorted(canon_names(names(claim_text)) & canon_names(names(text)))),
        shared_numbers=tuple(sorted(numbers(claim_text) & numbers(text))),
        context=context,
        stance_rule=base.stance_rule if base else "",
        stance_probs=base.stance_probs if base else None,
    )
