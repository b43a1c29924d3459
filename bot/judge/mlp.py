"""A one-hidden-layer MLP in numpy: inference (training is in bot.judge.training.fit)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class MLP:
    """Standardise, ReLU hidden layer, softmax output with a temperature."""

    mean: np.ndarray
    std: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    temperature: float = 1.0

    def logits(self, x: np.ndarray) -> np.ndarray:
        """Raw output scores."""
        h = np.maximum((x - self.mean) / self.std @ self.w1 + self.b1, 0)
        return h @ self.w2 + self.b2

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities."""
        z = self.logits(np.atleast_2d(x)) / self.temperature
        z = np.exp(z - z.max(1, keepdims=True))
        return z / z.sum(1, keepdims=True)


class Ensemble:
    """Average of several MLPs' probabilities (different seeds)."""

    def __init__(self, members: list[MLP]) -> None:
        """Wrap the members."""
        self.members = members

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Mean calibrated probabilities."""
        return np.mean([m.predict_proba(x) for m in self.members], axis=0)

    def save(self, path: Path) -> None:
        """Write all members into one .npz."""
        arrays: dict[str, np.ndarray] = {}
        for i, m in enumerate(self.members):
            arrays.update({f"{k}_{i}": v for k, v in (
                ("mean", m.mean), ("std", m.std), ("w1", m.w1.astype(np.float16)), ("b1", m.b1),
                ("w2", m.w2.astype(np.float16)), ("b2", m.b2),
                ("temperature", np.float32(m.temperature)))})
        np.savez_compressed(path, n=np.int32(len(self.members)), **arrays)

    @classmethod
    def load(cls, path: Path) -> Ensemble:
        """Read an ensemble written by save()."""
        d = np.load(path)
        return cls([MLP(d[f"mean_{i}"], d[f"std_{i}"], d[f"w1_{i}"].astype(np.float32), d[f"b1_{i}"],
                        d[f"w2_{i}"].astype(np.float32), d[f"b2_{i}"], float(d[f"temperature_{i}"]))
                    for i in range(int(d["n"]))])

