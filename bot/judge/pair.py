"""The pair model: a MiniLM cross-encoder reading (claim, statement) -> unrelated/supports/refutes/neutral.

Runs on the best few candidates of the cheap retrieval stage only, and rescores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .anchor import Anchors
from .cross import CrossEncoder


@dataclass
class PairConfig:
    """Which candidates the pair model reads and how its output is mixed with retrieval."""

    floor: float = 0.01  # retrieval score a claim needs to be read by the pair model (tune-half recall ceiling 0.98)
    top: int = 3  # at most this many claims per statement
    # the 2nd..top-th candidates are read only from this retrieval score up: a statement about two
    # claims at once is rare and its second claim scores high by itself, while with thousands of
    # claims nearly every statement has a second candidate over the floor (half the pair-model cost)
    second_floor: float = 0.0
    # score = sigmoid(w_rel * logit(retrieval) + w_pair * logit(1 - p_unrelated) + bias)
    w_rel: float = 0.5
    w_pair: float = 1.0
    bias: float = 0.0
    # An alert also needs the pair model's own p(related) >= gate: with thousands of claims the best
    # retrieval scores are high by chance, and retrieval alone must not carry a statement over.
    gate: float = 0.0
    # Anchored path (0 = off): a pair sharing a rare word with its claim (bot/judge/anchor.py) is
    # also scored with this lighter retrieval weight and its own bias, and keeps the higher score;
    # the pair model then finds what retrieval misses ("Kigali" for Rwanda) where the statement
    # is tied to the claim by something more specific than its topic.
    anchor_w_rel: float = 0.0
    anchor_bias: float = 0.0


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-5, 1 - 1e-5)
    return np.log(p) - np.log1p(-p)


class PairStage:
    """Rescores retrieval candidates with the pair model and keeps its stance probabilities."""

    def __init__(self, model: CrossEncoder, config: PairConfig | None = None,
                 anchors: Anchors | None = None) -> None:
        """Wrap a loaded pair model; anchors: the rare-word test of the anchored path."""
        self.model = model
        self.config = config or PairConfig()
        self.anchors = anchors

    def candidates(self, rel: np.ndarray, top: int | None = None, floor: float | None = None) -> list[tuple[int, int]]:
        """(text, claim) pairs worth reading: the top few per text above the floor."""
        c = self.config
        floor = c.floor if floor is None else floor
        out = []
        k = min(c.top if top is None else top, rel.shape[1])
        second = max(floor, c.second_floor) if top is None else floor  # top-k lists read their k best
        for j, row in enumerate(rel):
            best = np.argpartition(-row, k - 1)[:k] if k < len(row) else np.arange(len(row))
            lead = int(best[np.argmax(row[best])])
            out += [(j, int(i)) for i in best if row[i] >= (floor if i == lead else second)]
        return out

    def rescore(self, rel: np.ndarray, texts: Sequence[str], claims: Sequence[str], top: int | None = None,
                floor: float | None = None
                ) -> tuple[np.ndarray, dict[tuple[int, int], np.ndarray], dict[tuple[int, int], tuple[str, ...]]]:
        """New (texts, claims) scores, per read pair the model's 4-way probabilities, and the anchored pairs.

        The last part maps each (text, claim) the anchored path raised to the rare words it shares.

        top, floor: override the configured candidate count and floor (top-k lists read the k best).
        """
        c = self.config
        pairs = self.candidates(rel, top, floor)
        out = np.minimum(rel, np.float32(c.floor * 0.99))  # unread pairs stay below every threshold
        if not pairs:
            return out, {}, {}
        probs = self.model.predict([(claims[i], texts[j]) for j, i in pairs])
        js, is_ = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        out[js, is_] = self.mix(rel[js, is_], probs[:, 0])
        anchored: dict[tuple[int, int], tuple[str, ...]] = {}
        if c.anchor_w_rel and self.anchors is not None:
            for k, (j, i) in enumerate(pairs):
                words = self.anchors.shared(claims[i], texts[j])
                if not words:
                    continue
                s = self.mix(rel[j : j + 1, i], probs[k : k + 1, 0], c.anchor_w_rel, c.anchor_bias)[0]
                if s > out[j, i]:
                    out[j, i] = s
                    anchored[(j, i)] = words
        return out, {pair: probs[k] for k, pair in enumerate(pairs)}, anchored

    def mix(self, retrieval: np.ndarray, p_unrelated: np.ndarray, w_rel: float | None = None,
            bias: float | None = None) -> np.ndarray:
        """The alert score of read pairs from their retrieval score and the model's p(unrelated).

        w_rel, bias: the anchored path's weights instead of the main mix's.
        """
        c = self.config
        w_rel = c.w_rel if w_rel is None else w_rel
        bias = c.bias if bias is None else bias
        z = w_rel * _logit(retrieval) + c.w_pair * _logit(1.0 - p_unrelated) + bias
        return 1.0 / (1.0 + np.exp(-z))

    def gated(self, rel: np.ndarray, given: dict[tuple[int, int], np.ndarray], thr: np.ndarray) -> np.ndarray:
        """Scores where read pairs the pair model calls unrelated (p(related) < gate) stay under the alert threshold."""
        if not self.config.gate or not given:
            return rel
        out = rel.copy()
        for (j, i), p in given.items():
            if 1.0 - float(p[0]) < self.config.gate and out[j, i] >= thr[i]:
                out[j, i] = thr[i] - 1e-3
        return out
