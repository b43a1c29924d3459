"""Fit the relatedness weights (logistic regression) and pick the alert threshold on Emergent train.

Positives: each Emergent article headline with its own claim. Negatives: the same headline with
the 5 other claims that score highest on cosine or coverage (hard negatives). Claims are split
5-fold by claim id: weights are fitted on 4 folds' pairs and the threshold is chosen on the
held-out fold's pairs (maximum F1 with precision >= 0.8), then averaged over folds.
Run: .venv/bin/python scripts/train_judge_relatedness.py [--save]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.judge import ClaimRef, load_judge  # noqa: E402
from bot.judge.training.datasets import data_dir, fold_of, load_emergent  # noqa: E402

NAMES = ("cos", "cov", "kw", "num", "name")
KW_WEIGHT = 1.5


def pairs(judge, claims: list[str], heads: list[tuple[str, str]]):
    """Feature rows, labels and claim groups for headlines against all claims."""
    judge.set_claims([ClaimRef(str(i), c) for i, c in enumerate(claims)])
    idx = judge._idx
    emb = judge.encoder.encode([h for h, _ in heads])
    cos = emb @ idx.emb.T
    ci = {c: i for i, c in enumerate(claims)}
    xs, ys, gs = [], [], []
    for j, (h, c) in enumerate(heads):
        f = judge._rel_features(idx, h, cos[j])
        own = ci[c]
        hard = np.argsort(-(f[:, 0] + f[:, 1]))[:6]
        for i in [own, *[k for k in hard if k != own][:5]]:
            xs.append(f[i])
            ys.append(int(i == own))
            gs.append(fold_of(c, 5))
    return np.array(xs), np.array(ys), np.array(gs)


def logreg(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 3000) -> np.ndarray:
    """Plain gradient-descent logistic regression; returns weights with the bias last."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        w -= 0.5 * (xb.T @ (p - y) / len(y) + l2 * np.r_[w[:-1], 0])
    return w


def best_threshold(p: np.ndarray, y: np.ndarray, min_precision: float = 0.8) -> float:
    """Threshold with the best F1 among those reaching the precision floor."""
    best, best_t = -1.0, 0.5
    for t in np.arange(0.2, 0.95, 0.01):
        tp = np.sum((p >= t) & (y == 1))
        prec, rec = tp / max(np.sum(p >= t), 1), tp / max(np.sum(y == 1), 1)
        f1 = 2 * prec * rec / max(prec + rec, 1e-9)
        if prec >= min_precision and f1 > best:
            best, best_t = f1, float(t)
    return best_t


def main() -> None:
    """Fit, report per-fold figures, optionally write models/judge_config.json."""
    root = data_dir()
    if root is None:
        sys.exit("../shared/data not found")
    bodies, prs = load_emergent(root)
    claims = sorted({p.claim for p in prs})
    x, y, g = pairs(load_judge(), claims, [(bodies[p.body_id], p.claim) for p in prs])
    ts = []
    for k in range(5):
        w = logreg(x[g != k], y[g != k])
        p = 1 / (1 + np.exp(-(x[g == k] @ w[:-1] + w[-1])))
        t = best_threshold(p, y[g == k])
        tp = np.sum((p >= t) & (y[g == k] == 1))
        print(f"fold {k}: threshold {t:.2f} precision {tp / max(np.sum(p >= t), 1):.3f} "
              f"recall {tp / max(np.sum(y[g == k]), 1):.3f}")
        ts.append(t)
    w = logreg(x, y)
    w[NAMES.index("kw")] = KW_WEIGHT  # no keywords in the data: a moderator keyword is set by hand
    cfg = {"weights": {n: round(float(v), 4) for n, v in zip(NAMES, w[:-1], strict=True)}
           | {"bias": round(float(w[-1]), 4)}, "threshold": round(float(np.mean(ts)), 3)}
    print(json.dumps(cfg))
    if "--save" in sys.argv:
        path = ROOT / "models/judge_config.json"
        old = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps(old | cfg, indent=1) + "\n")
        print("wrote", path)


if __name__ == "__main__":
    main()
