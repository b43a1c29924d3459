"""Training the stance MLP: Adam on class-weighted cross-entropy, then a held-out temperature."""

from __future__ import annotations

import numpy as np

from ..mlp import MLP


def fit(x: np.ndarray, y: np.ndarray, n_classes: int, hidden: int = 128, epochs: int = 12,
        lr: float = 1e-3, l2: float = 1e-4, class_weight: np.ndarray | None = None,
        seed: int = 0, batch: int = 256) -> MLP:
    """Train with Adam on weighted cross-entropy."""
    rng = np.random.default_rng(seed)
    mean, std = x.mean(0), x.std(0) + 1e-6
    xs = ((x - mean) / std).astype(np.float32)
    d = x.shape[1]
    p = [rng.normal(0, np.sqrt(2 / d), (d, hidden)).astype(np.float32), np.zeros(hidden, np.float32),
         rng.normal(0, np.sqrt(1 / hidden), (hidden, n_classes)).astype(np.float32),
         np.zeros(n_classes, np.float32)]
    m = [np.zeros_like(a) for a in p]
    v = [np.zeros_like(a) for a in p]
    cw = np.ones(n_classes, np.float32) if class_weight is None else class_weight.astype(np.float32)
    t = 0
    for _ in range(epochs):
        for s in range(0, len(xs), batch):
            idx = slice(s, s + batch)
            xb, yb = xs[idx], y[idx]
            h_pre = xb @ p[0] + p[1]
            h = np.maximum(h_pre, 0)
            z = h @ p[2] + p[3]
            z = np.exp(z - z.max(1, keepdims=True))
            pr = z / z.sum(1, keepdims=True)
            wb = cw[yb]
            g = pr.copy()
            g[np.arange(len(yb)), yb] -= 1
            g *= (wb / wb.sum())[:, None]
            gh = (g @ p[2].T) * (h_pre > 0)
            grads = [xb.T @ gh + l2 * p[0], gh.sum(0), h.T @ g + l2 * p[2], g.sum(0)]
            t += 1
            for i, gr in enumerate(grads):
                m[i] = 0.9 * m[i] + 0.1 * gr
                v[i] = 0.999 * v[i] + 0.001 * gr * gr
                p[i] -= lr * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
        perm = rng.permutation(len(xs))
        xs, y = xs[perm], y[perm]
    return MLP(mean.astype(np.float32), std.astype(np.float32), *p)


def fit_temperature(model: MLP, x: np.ndarray, y: np.ndarray) -> float:
    """Pick the softmax temperature minimising held-out log loss."""
    z = model.logits(x)
    best, best_t = np.inf, 1.0
    for t in np.arange(0.5, 3.01, 0.1):
        q = z / t
        q = q - q.max(1, keepdims=True)
        nll = -(q[np.arange(len(y)), y] - np.log(np.exp(q).sum(1))).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return best_t
