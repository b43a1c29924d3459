"""Relatedness of texts to every watched claim: dense cosine plus sparse lexical evidence, batched."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .aliases import canon_names
from .lexical import LexicalIndex
from .text import names, numbers, words
from .types import ClaimRef

FEATURES = ("cos", "cov", "kw", "num", "name")
N_CAND = 64  # names and numbers only move the best candidates by the cheaper features
_EMPTY = np.zeros(0, np.int64)


def _postings(sets: Sequence[set[str]]) -> dict[str, np.ndarray]:
    """Inverted index: item -> ids of the claims holding it."""
    post: dict[str, list[int]] = {}
    for i, s in enumerate(sets):
        for x in s:
            post.setdefault(x, []).append(i)
    return {x: np.array(ids, np.int64) for x, ids in post.items()}


def _hits(post: dict[str, np.ndarray], items: set[str], cand: np.ndarray) -> np.ndarray:
    """Claim ids (with repeats, one per shared item) among cand that hold one of the items."""
    ids = [post[x] for x in items if x in post]
    if not ids:
        return _EMPTY
    flat = np.concatenate(ids) if len(ids) > 1 else ids[0]
    return flat[np.isin(flat, cand, kind="sort")]


@dataclass
class Lexicon:
    """Claim-side lexical evidence, built once per set_claims so no statement recomputes it."""

    n: int
    lex: LexicalIndex
    kw: dict[str, list[tuple[int, str]]]
    name_post: dict[str, np.ndarray]
    name_len: np.ndarray
    num_post: dict[str, np.ndarray]

    @classmethod
    def build(cls, claims: Sequence[ClaimRef]) -> Lexicon:
        """Index claim texts (plus keywords for BM25/coverage), keyword phrases, names and numbers."""
        kw: dict[str, list[tuple[int, str]]] = {}
        for i, c in enumerate(claims):
            for k in c.keywords:
                ws = words(k)
                if ws:
                    kw.setdefault(ws[0], []).append((i, " " + " ".join(ws) + " "))
        cnames = [canon_names(names(c.text)) for c in claims]
        return cls(len(claims), LexicalIndex([c.text + " " + " ".join(c.keywords) for c in claims]), kw,
                   _postings(cnames), np.array([max(len(s), 1) for s in cnames], np.float32),
                   _postings([numbers(c.text) for c in claims]))

    def keyword_hits(self, text: str) -> np.ndarray:
        """Ids of the claims one of whose keyword phrases the text contains."""
        low = " " + " ".join(words(text)) + " "
        hit = {i for t in set(low.split()) for i, phrase in self.kw.get(t, ()) if phrase in low}
        return np.fromiter(hit, np.int64, len(hit))

    def evidence(self, text: str, cos: np.ndarray | None) -> tuple[np.ndarray, ...]:
        """Coverage row, keyword ids, shared-number ids and shared-name ids with their fractions."""
        cov = self.lex.coverage(text)
        kw = self.keyword_hits(text)
        if self.n > N_CAND:
            s = cov + cos if cos is not None else cov.copy()
            s[kw] += 1.0
            cand = np.argpartition(-s, N_CAND - 1)[:N_CAND]
        else:
            cand = np.arange(self.n)
        num = _hits(self.num_post, numbers(text), cand)
        num = np.unique(num) if len(num) > 1 else num
        name = _hits(self.name_post, canon_names(names(text)), cand)
        if not len(name):
            return cov, kw, num, name, np.zeros(0, np.float32)
        name, count = np.unique(name, return_counts=True)
        return cov, kw, num, name, count / self.name_len[name]

    def features(self, text: str, cos: np.ndarray | None) -> np.ndarray:
        """Dense (claims, features) rows in FEATURES order (for training and inspection)."""
        f = np.zeros((self.n, len(FEATURES)), np.float32)
        cov, kw, num, name, frac = self.evidence(text, cos)
        if cos is not None:
            f[:, 0] = cos
        f[:, 1], f[kw, 2], f[num, 3], f[name, 4] = cov, 1.0, 1.0, frac
        return f

    def relatedness(self, texts: Sequence[str], cos: np.ndarray | None, w: dict[str, float]) -> np.ndarray:
        """(texts, claims) relatedness 0..1: a logistic over the features, summed sparsely per text."""
        if cos is not None:
            z = cos * np.float32(w["cos"])
            z += np.float32(w["bias"])
        else:
            z = np.full((len(texts), self.n), w["bias"], np.float32)
        for j, t in enumerate(texts):
            cov, kw, num, name, frac = self.evidence(t, cos[j] if cos is not None else None)
            row = z[j]
            row += cov * np.float32(w["cov"])
            row[kw] += np.float32(w["kw"])
            row[num] += np.float32(w["num"])
            row[name] += (frac * w["name"]).astype(np.float32)
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1.0
        return np.reciprocal(z, out=z)
