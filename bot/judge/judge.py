"""The Judge: retrieval of candidate claims, relatedness scores and stance."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .lexical import LexicalIndex
from .rules import rule_stance
from .text import names, numbers, sentences, words
from .types import STANCES, ClaimRef, Verdict

DEFAULT_THRESHOLD = 0.5


class Encoder(Protocol):
    """Turns texts into L2-normalised embedding rows."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class StanceModel(Protocol):
    """Gives probabilities over (unrelated, supports, refutes, neutral)."""

    def predict(self, claim: str, sents: Sequence[str], claim_emb: np.ndarray | None,
                sent_embs: np.ndarray | None) -> np.ndarray: ...


@dataclass
class JudgeConfig:
    """Relatedness weights and thresholds (chosen on development data; see the model card)."""

    threshold: float = DEFAULT_THRESHOLD
    weights: dict[str, float] = field(default_factory=lambda: {
        "cos": 0.0, "cov": 8.0, "kw": 3.0, "num": 0.5, "name": 1.0, "bias": -4.0})
    article_sentences: int = 3
    unrelated_threshold: float = DEFAULT_THRESHOLD


@dataclass
class _Index:
    claims: list[ClaimRef]
    lex: LexicalIndex
    emb: np.ndarray | None
    names: list[set[str]]
    nums: list[set[str]]
    kw: dict[str, list[tuple[int, str]]]


def _kw_index(claims: Sequence[ClaimRef]) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for i, c in enumerate(claims):
        for k in c.keywords:
            ws = words(k)
            if ws:
                out.setdefault(ws[0], []).append((i, " " + " ".join(ws) + " "))
    return out


class Judge:
    """Matches statements to watched claims and reads their stance."""

    def __init__(self, encoder: Encoder | None = None, stance: StanceModel | None = None,
                 config: JudgeConfig | None = None) -> None:
        """Build a judge; with no encoder or stance model it works lexically."""
        self.encoder = encoder
        self.stance = stance
        self.config = config or JudgeConfig()
        self._lock = threading.RLock()
        self._idx = self._build([])

    def _build(self, claims: Sequence[ClaimRef]) -> _Index:
        docs = [c.text + " " + " ".join(c.keywords) for c in claims]
        emb = self.encoder.encode([c.text for c in claims]) if self.encoder and claims else None
        return _Index(list(claims), LexicalIndex(docs), emb, [names(c.text) for c in claims],
                      [numbers(c.text) for c in claims], _kw_index(claims))

    def set_claims(self, claims: Sequence[ClaimRef]) -> None:
        """(Re)build the index of watched claims."""
        idx = self._build(claims)
        with self._lock:
            self._idx = idx

    def _encode(self, texts: Sequence[str]) -> np.ndarray | None:
        return self.encoder.encode(texts) if self.encoder and texts else None

    def _relatedness(self, idx: _Index, text: str, cos: np.ndarray | None) -> np.ndarray:
        """Relatedness 0..1 of one text to every claim."""
        n = len(idx.claims)
        w = self.config.weights
        _, cov = idx.lex.query(text)
        z = w["bias"] + w["cov"] * cov
        if cos is not None:
            z = z + w["cos"] * cos
        low = " " + " ".join(words(text)) + " "
        kw = np.zeros(n, dtype=np.float32)
        for t in set(low.split()):
            for i, phrase in idx.kw.get(t, ()):
                if phrase in low:
                    kw[i] = 1.0
        z = z + w["kw"] * kw
        cand = np.flatnonzero(z > w["bias"] + 1.0) if n > 64 else np.arange(n)
        if len(cand):
            tn, tnum = names(text), numbers(text)
            for i in cand:
                if idx.names[i] and tn:
                    z[i] += w["name"] * len(idx.names[i] & tn) / len(idx.names[i])
                if idx.nums[i] and tnum & idx.nums[i]:
                    z[i] += w["num"]
        return 1.0 / (1.0 + np.exp(-z))

    def _stance(self, claim: ClaimRef, sents: Sequence[str], cemb: np.ndarray | None,
                semb: np.ndarray | None) -> tuple[str, float]:
        if self.stance is None:
            votes = [rule_stance(claim.text, s) for s in sents]
            return max(votes, key=lambda v: (v[0] == "refutes", v[1]))
        p = self.stance.predict(claim.text, sents, cemb, semb)[1:]
        p = p / max(float(p.sum()), 1e-9)
        k = int(np.argmax(p))
        return STANCES[k], float(p[k])

    def _verdicts(self, idx: _Index, rel: np.ndarray, best: list[list[str]],
                  best_emb: list[np.ndarray | None], top_k: int | None) -> list[Verdict]:
        thr = np.array([c.threshold if c.threshold is not None else self.config.threshold
                        for c in idx.claims], dtype=np.float32) if idx.claims else np.zeros(0)
        alert = rel >= thr
        if top_k is None:
            order = np.flatnonzero(alert)
            order = order[np.argsort(-rel[order], kind="stable")]
        else:
            k = min(top_k, len(rel))
            order = np.argpartition(-rel, k - 1)[:k] if 0 < k < len(rel) else np.arange(len(rel))[:k]
            order = order[np.argsort(-rel[order], kind="stable")]
        out = []
        for i in order:
            cemb = idx.emb[i] if idx.emb is not None else None
            stance, conf = self._stance(idx.claims[i], best[i], cemb, best_emb[i])
            out.append(Verdict(idx.claims[i].id, round(float(rel[i]), 4), stance,
                               round(conf, 4), bool(alert[i])))
        return out

    def match(self, texts: Sequence[str], top_k: int | None = None) -> list[list[Verdict]]:
        """Per input text, verdicts best first (alert-worthy only, or the top_k best)."""
        with self._lock:
            idx = self._idx
            if not idx.claims or not texts:
                return [[] for _ in texts]
            temb = self._encode(list(texts))
            cos = temb @ idx.emb.T if temb is not None and idx.emb is not None else None
            out = []
            for j, t in enumerate(texts):
                rel = self._relatedness(idx, t, cos[j] if cos is not None else None)
                e = temb[j : j + 1] if temb is not None else None
                out.append(self._verdicts(idx, rel, [[t]] * len(idx.claims),
                                          [e] * len(idx.claims), top_k))
            return out

    def _article(self, idx: _Index, text: str) -> tuple[np.ndarray, list[list[str]], list]:
        """Per claim: best relatedness over sentences, and the sentences that matter."""
        sents = sentences(text) or [text]
        semb = self._encode(sents)
        cos = semb @ idx.emb.T if semb is not None and idx.emb is not None else None
        rel = np.stack([self._relatedness(idx, s, cos[j] if cos is not None else None)
                        for j, s in enumerate(sents)])
        k = self.config.article_sentences
        best_i = np.argsort(-rel, axis=0, kind="stable")[:k]
        best = [[sents[j] for j in best_i[:, c]] for c in range(rel.shape[1])]
        best_emb = [semb[best_i[:, c]] if semb is not None else None for c in range(rel.shape[1])]
        return rel.max(axis=0), best, best_emb

    def classify_article(self, text: str, top_k: int | None = None) -> list[Verdict]:
        """Which watched claims a whole article concerns, with stance."""
        with self._lock:
            idx = self._idx
            if not idx.claims or not text.strip():
                return []
            rel, best, best_emb = self._article(idx, text)
            return self._verdicts(idx, rel, best, best_emb, top_k)

    def classify(self, claim: str, text: str) -> tuple[str, float]:
        """Label (unrelated|supports|refutes|neutral) of a text toward one claim, and its score."""
        with self._lock:
            saved = self._idx
            idx = self._build([ClaimRef("_", claim)])
            self._idx = idx
            try:
                rel, best, best_emb = self._article(idx, text)
            finally:
                self._idx = saved
        if self.stance is not None:
            p = self.stance.predict(claim, best[0], idx.emb[0] if idx.emb is not None else None,
                                    best_emb[0])
            p_unrel = float(p[0])
            if p_unrel >= 0.5:
                return "unrelated", round(p_unrel, 4)
            s, c = self._stance(idx.claims[0], best[0], idx.emb[0] if idx.emb is not None else None,
                                best_emb[0])
            return s, round(c * (1 - p_unrel), 4)
        if rel[0] < self.config.unrelated_threshold:
            return "unrelated", round(1.0 - float(rel[0]), 4)
        s, c = self._stance(idx.claims[0], best[0], None, None)
        return s, round(c, 4)

