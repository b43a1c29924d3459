"""Stance features of a (claim, document) pair: similarity, overlap, cue words, embeddings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .rules import HEDGES, NEG_CUES
from .text import STRONG_REFUTE, SUPPORT_CUES, cue_count, is_question, names, numbers, tokens

TOP = 3
CUES = (STRONG_REFUTE, NEG_CUES, HEDGES, SUPPORT_CUES)
N_HAND = 38


def cue_vector(text: str) -> np.ndarray:
    """Refute, negation, hedge, support cue counts and a question flag."""
    return np.array([*(cue_count(text, c) for c in CUES), float(is_question(text))], np.float32)


@lru_cache(maxsize=32768)
def claim_side(claim: str) -> tuple[frozenset[str], np.ndarray, frozenset[str], frozenset[str]]:
    """Tokens, cue vector, numbers and names of a claim, computed once per claim text, not per pair."""
    cc = cue_vector(claim)
    cc.flags.writeable = False  # shared between calls
    return frozenset(tokens(claim)), cc, frozenset(numbers(claim)), frozenset(names(claim))


@dataclass
class Doc:
    """A document split into sentences with per-sentence embeddings, tokens and cues."""

    sents: list[str]
    emb: np.ndarray
    toks: list[set[str]]
    cues: np.ndarray
    all_toks: set[str]
    nums: set[str]
    names: set[str]

    @classmethod
    def build(cls, sents: Sequence[str], emb: np.ndarray) -> Doc:
        """Precompute what every claim compared with this document needs."""
        toks = [set(tokens(s)) for s in sents]
        text = " ".join(sents)
        return cls(list(sents), emb, toks, np.stack([cue_vector(s) for s in sents]),
                   set().union(*toks) if toks else set(), numbers(text), names(text))


def pair_features(claim: str, u: np.ndarray, doc: Doc, interactions: bool = True) -> np.ndarray:
    """Feature vector for the claim (text, embedding u) against the document."""
    n = len(doc.sents)
    cos = doc.emb @ u
    ct, cc, cn, cnames = claim_side(claim)
    ov = np.array([len(ct & t) / max(len(ct), 1) for t in doc.toks], np.float32)
    top = np.argsort(-(cos + 0.5 * ov), kind="stable")[:TOP]
    mean = doc.emb.mean(0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-9)
    top_c = np.maximum(doc.cues[top] - cc, 0)
    hand = [
        cos.max(), cos[top].mean(), cos.mean(), cos[0], float(mean @ u), np.sort(cos)[-min(n, 5):].mean(),
        ov.max(), ov[top].mean(), len(ct & doc.all_toks) / max(len(ct), 1),
        len(cn & doc.nums) / max(len(cn), 1), float(bool(cn)), len(cnames & doc.names) / max(len(cnames), 1),
        *top_c[0], *top_c.sum(0), *(doc.cues.sum(0) / n), *(doc.cues[:2].sum(0)),
        *cc[:4], float(np.log1p(n)), float(n == 1),
    ]
    h = np.asarray(hand, np.float32)
    if not interactions:
        return h
    v = doc.emb[top[0]]
    return np.concatenate([h, u * v, np.abs(u - v)]).astype(np.float32)


def evidence_indices(claim: str, u: np.ndarray, doc: Doc, k: int = TOP) -> list[int]:
    """Indices of the k sentences that matter most for the claim, in document order."""
    ct = claim_side(claim)[0]
    ov = np.array([len(ct & t) / max(len(ct), 1) for t in doc.toks], np.float32)
    return sorted(np.argsort(-(doc.emb @ u + 0.5 * ov), kind="stable")[:k].tolist())


def evidence(claim: str, u: np.ndarray, doc: Doc, k: int = TOP) -> str:
    """The k sentences that matter most for the claim, in document order, joined."""
    return " ".join(doc.sents[i] for i in evidence_indices(claim, u, doc, k))
