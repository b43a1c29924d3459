"""The trained stance head: features of (claim, document) into a small numpy MLP."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .cross import CrossEncoder, HybridStance
from .features import Doc, pair_features
from .mlp import Ensemble


class MLPStance:
    """Probabilities over (unrelated, supports, refutes, neutral) for a claim and a document."""

    def __init__(self, model: Ensemble) -> None:
        """Wrap a trained ensemble."""
        self.model = model

    def predict(self, claim: str, claim_emb: np.ndarray, doc: Doc) -> np.ndarray:
        """Class probabilities for one pair."""
        return self.predict_many([(claim, claim_emb, doc)])[0]

    def predict_many(self, items: Sequence[tuple[str, np.ndarray, Doc]]) -> np.ndarray:
        """Class probabilities, one row per (claim, claim embedding, document)."""
        return self.model.predict_proba(np.stack([pair_features(c, u, d) for c, u, d in items]))


def load_stance(model_dir: Path, mix: float = 0.5,
                weights: Sequence[float] = (1.0, 1.0, 1.0)) -> MLPStance | HybridStance | None:
    """Load models/stance.npz, with the cross-encoder models/cross.int8.onnx when present."""
    path = model_dir / "stance.npz"
    if not path.exists():
        return None
    mlp = Ensemble.load(path)
    cross_path = model_dir / "cross.int8.onnx"
    if cross_path.exists() and not os.environ.get("CLAIMWATCH_JUDGE_NO_CROSS"):
        return HybridStance(mlp, CrossEncoder(cross_path, model_dir / "tokenizer.json"), mix, weights)
    return MLPStance(mlp)
