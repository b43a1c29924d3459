"""The trained stance head: features of (claim, document) into a small numpy MLP."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .features import Doc, pair_features
from .mlp import Ensemble


class MLPStance:
    """Probabilities over (unrelated, supports, refutes, neutral) for a claim and a document."""

    def __init__(self, model: Ensemble) -> None:
        """Wrap a trained ensemble."""
        self.model = model

    def predict(self, claim: str, claim_emb: np.ndarray, doc: Doc) -> np.ndarray:
        """Class probabilities for one pair."""
        return self.model.predict_proba(pair_features(claim, claim_emb, doc)[None, :])[0]


def load_stance(model_dir: Path) -> MLPStance | None:
    """Load models/stance.npz if present."""
    path = model_dir / "stance.npz"
    return MLPStance(Ensemble.load(path)) if path.exists() else None
