"""The judge's index of watched claims: texts, lexicon, embeddings (and fragments), thresholds."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .relatedness import Lexicon
from .types import ClaimRef


@dataclass
class ClaimIndex:
    """Everything set_claims builds once, so no statement recomputes it."""

    claims: list[ClaimRef]
    lexicon: Lexicon
    emb: np.ndarray | None
    thr: np.ndarray
    pthr: np.ndarray
    # claim fragments: embeddings and, per claim, the slice of fragment rows it owns
    femb: np.ndarray | None = None
    fown: np.ndarray | None = None

    def cosines(self, temb: np.ndarray | None) -> tuple[np.ndarray | None, np.ndarray | None]:
        """(texts, claims) cosine to the whole claim, and the best cosine over claim and its fragments."""
        if temb is None or self.emb is None:
            return None, None
        cos = temb @ self.emb.T
        if self.femb is None or not len(self.femb):
            return cos, cos
        fc = temb @ self.femb.T
        best = cos.copy()
        np.maximum.at(best.T, self.fown, fc.T)
        return cos, best
