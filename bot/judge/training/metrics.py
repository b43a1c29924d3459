"""Benchmark measures: FNC score, F1 per class, macro-F1, MAP@k and Recall@k."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def f1_per_class(y: np.ndarray, p: np.ndarray, n: int) -> np.ndarray:
    """F1 of each class index 0..n-1."""
    out = np.zeros(n)
    for c in range(n):
        tp = np.sum((y == c) & (p == c))
        denom = np.sum(y == c) + np.sum(p == c)
        out[c] = 2 * tp / denom if denom else 0.0
    return out


def fnc_score(y: np.ndarray, p: np.ndarray) -> float:
    """Official FNC-1 score as a percentage of the maximum (class 0 = unrelated)."""
    def raw(pred: np.ndarray) -> float:
        s = 0.25 * np.sum((y == 0) & (pred == 0))
        rel = (y != 0) & (pred != 0)
        return float(s + 0.25 * rel.sum() + 0.75 * np.sum(rel & (y == pred)))
    return 100.0 * raw(p) / raw(y)


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """AP@k of one ranking."""
    hits, s = 0, 0.0
    for i, d in enumerate(ranked[:k], 1):
        if d in relevant:
            hits += 1
            s += hits / i
    return s / min(len(relevant), k) if relevant else 0.0
