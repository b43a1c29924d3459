"""The judge's index of watched claims: texts, lexicon, embeddings, thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    pos: dict[str, int] = field(default_factory=dict)  # claim id -> row

    def __post_init__(self) -> None:
        self.pos = {c.id: i for i, c in enumerate(self.claims)}

    def cosines(self, temb: np.ndarray | None) -> np.ndarray | None:
        """(texts, claims) cosine of each text to each claim."""
        if temb is None or self.emb is None:
            return None
        return temb @ self.emb.T
