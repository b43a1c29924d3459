"""A small in-memory inverted index: BM25 ranking and idf-weighted coverage of each claim."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from .aliases import canon_tokens
from .text import tokens


class LexicalIndex:
    """Inverted index over documents (claims) answering BM25 and coverage queries."""

    def __init__(self, docs: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        """Index the documents (each claim's text plus its keywords)."""
        self.n = len(docs)
        toks = [canon_tokens(tokens(d)) for d in docs]
        df: Counter[str] = Counter()
        for t in toks:
            df.update(set(t))
        self.idf = {w: math.log(1 + (self.n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
        lens = np.array([max(len(t), 1) for t in toks], dtype=np.float32)
        avg = float(lens.mean()) if self.n else 1.0
        post_doc: dict[str, list[int]] = {}
        post_bm: dict[str, list[float]] = {}
        post_cov: dict[str, list[float]] = {}
        mass = np.zeros(self.n, dtype=np.float32)
        for i, t in enumerate(toks):
            for w in set(t):
                mass[i] += self.idf[w]
        for i, t in enumerate(toks):
            for w, tf in Counter(t).items():
                idf = self.idf[w]
                post_doc.setdefault(w, []).append(i)
                post_bm.setdefault(w, []).append(idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lens[i] / avg)))
                post_cov.setdefault(w, []).append(idf / max(float(mass[i]), 1e-6))
        self._post = {
            w: (np.array(post_doc[w], dtype=np.int32), np.array(post_bm[w], dtype=np.float32),
                np.array(post_cov[w], dtype=np.float32))
            for w in post_doc
        }

    def query(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """BM25 score and idf-weighted claim coverage (0..1) of every document for this text."""
        qs = set(canon_tokens(tokens(text)))
        hits = [self._post[w] for w in qs if w in self._post]
        if not hits or not self.n:
            z = np.zeros(self.n, dtype=np.float32)
            return z, z.copy()
        docs = np.concatenate([h[0] for h in hits])
        bm = np.bincount(docs, np.concatenate([h[1] for h in hits]), minlength=self.n)
        cov = np.bincount(docs, np.concatenate([h[2] for h in hits]), minlength=self.n)
        return bm.astype(np.float32), np.minimum(cov, 1.0).astype(np.float32)

    def coverage(self, text: str) -> np.ndarray:
        """Idf-weighted claim coverage (0..1) of every document for this text (no BM25 work)."""
        hits = [self._post[w] for w in set(canon_tokens(tokens(text))) if w in self._post]
        if not hits:
            return np.zeros(self.n, dtype=np.float32)
        cov = np.bincount(np.concatenate([h[0] for h in hits]), np.concatenate([h[2] for h in hits]),
                          minlength=self.n)
        return np.minimum(cov, 1.0).astype(np.float32)
