"""Turn labelled benchmark pairs into feature matrices (shared by training and the bench)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..features import Doc, pair_features
from ..text import sentences
from .datasets import Pair

CACHE = Path(os.environ.get("CLAIMWATCH_JUDGE_CACHE", Path.home() / ".cache" / "claimwatch-judge"))


def encode_cached(encoder, texts: Sequence[str], tag: str) -> np.ndarray:
    """Encode texts, caching the matrix on disk keyed by the texts and the encoder."""
    # the encoder's file digest is part of the key: a fine-tuned encoder must not read the base one's vectors
    model = getattr(encoder, "model_id", "")
    h = hashlib.sha1(("\n".join(texts) + tag + model).encode()).hexdigest()[:16]
    path = CACHE / f"emb-{h}.npy"
    if path.exists():
        return np.load(path)
    emb = encoder.encode(list(texts))
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, emb)
    return emb


def build_docs(bodies: dict[str, str], encoder, tag: str, max_sents: int = 60) -> dict[str, Doc]:
    """Split each body into sentences, embed them all at once, and build Docs."""
    keys = sorted(bodies)
    split = [(sentences(bodies[k]) or [bodies[k] or " "])[:max_sents] for k in keys]
    flat = [s for ss in split for s in ss]
    emb = encode_cached(encoder, flat, tag)
    docs, o = {}, 0
    for k, ss in zip(keys, split, strict=True):
        docs[k] = Doc.build(ss, emb[o : o + len(ss)])
        o += len(ss)
    return docs


def pair_matrix(pairs: Sequence[Pair], docs: dict[str, Doc], encoder, tag: str) -> tuple[np.ndarray, np.ndarray]:
    """Feature matrix and labels of the pairs."""
    claims = sorted({p.claim for p in pairs})
    cemb = dict(zip(claims, encode_cached(encoder, claims, tag + "-claims"), strict=True))
    x = np.stack([pair_features(p.claim, cemb[p.claim], docs[p.body_id]) for p in pairs])
    return x, np.array([p.label for p in pairs])


def evidence_pairs(pairs: Sequence[Pair], docs: dict[str, Doc], encoder, tag: str) -> list[tuple[str, str]]:
    """(claim, evidence sentences) for each pair, as the cross-encoder reads them."""
    from ..features import evidence

    claims = sorted({p.claim for p in pairs})
    cemb = dict(zip(claims, encode_cached(encoder, claims, tag + "-claims"), strict=True))
    return [(p.claim, evidence(p.claim, cemb[p.claim], docs[p.body_id])) for p in pairs]


def cross_probs(cross, ev: list[tuple[str, str]], p_mlp: np.ndarray, gate: float = 0.7) -> np.ndarray:
    """Cross-encoder rows for pairs the MLP does not confidently call unrelated (None rows = MLP)."""
    q = p_mlp[:, 1:] / np.maximum(p_mlp[:, 1:].sum(1, keepdims=True), 1e-9)
    idx = np.flatnonzero(p_mlp[:, 0] < gate)
    if len(idx):
        q[idx] = cross.predict([ev[i] for i in idx])
    return q


def vote_matrix(pairs: Sequence[Pair], docs: dict[str, Doc], encoder, tag: str, p3: np.ndarray) -> np.ndarray:
    """Statement-policy votes over each pair's evidence sentences (rows: supports/refutes/neutral)."""
    from ..features import evidence_indices
    from ..rules import sentence_votes

    claims = sorted({p.claim for p in pairs})
    cemb = dict(zip(claims, encode_cached(encoder, claims, tag + "-claims"), strict=True))
    out = np.zeros((len(pairs), 3), np.float32)
    for r, p in enumerate(pairs):
        d = docs[p.body_id]
        out[r] = sentence_votes(p.claim, [d.sents[j] for j in evidence_indices(p.claim, cemb[p.claim], d)],
                                tuple(p3[r]))
    return out
