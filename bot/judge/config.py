"""The judge's tunables and the models it can take: weights, thresholds, encoder and stance protocols."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .features import Doc

DEFAULT_THRESHOLD = 0.5


class Encoder(Protocol):
    """Turns texts into L2-normalised embedding rows."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class StanceModel(Protocol):
    """Gives probabilities over (unrelated, supports, refutes, neutral)."""

    def predict(self, claim: str, claim_emb: np.ndarray, doc: Doc) -> np.ndarray: ...

    def predict_many(self, items: Sequence[tuple[str, np.ndarray, Doc]]) -> np.ndarray: ...


@dataclass
class JudgeConfig:
    """Relatedness weights and thresholds (chosen on development data; see the model card)."""

    threshold: float = DEFAULT_THRESHOLD
    weights: dict[str, float] = field(default_factory=lambda: {
        "cos": 0.0, "cov": 8.0, "kw": 3.0, "num": 0.5, "name": 1.0, "bias": -4.0})
    article_sentences: int = 3
    unrelated_threshold: float = DEFAULT_THRESHOLD
    cross_mix: float = 0.5
    statement_max_sentences: int = 2
    vote_mix: float = 0.0
    stance_weights: tuple[float, float, float] = (1.0, 1.0, 1.0)
    # top_k order only (never the alert): logit(relatedness) + retrieval_bm25 * BM25 over the claims
    retrieval_bm25: float = 0.0
    # Lower band kept in the ledger as "possible match, awaiting review" (never alerts).
    possible_threshold: float = 0.3
    # A second claim alerts for the same text only with at least this share of the best claim's
    # score (1.0 = every claim over its threshold alerts); the others drop to the possible band.
    runner_up: float = 1.0


def demote_runners_up(rel: np.ndarray, thr: np.ndarray, share: float) -> np.ndarray:
    """Scores where, per text, claims far behind the best one fall just below their alert threshold."""
    best = rel.max(axis=1, keepdims=True)
    behind = (rel >= thr) & (rel < share * best)
    return np.where(behind, np.minimum(rel, thr - 1e-3), rel).astype(np.float32)
