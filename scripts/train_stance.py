"""Train the stance head on FNC-1 train (minus the dev bodies) and Emergent train.

ARC is kept out of the shipped model: it is the cross-domain check (adding it lowered FNC
disagree F1 on an inner tuning split from 0.48 to 0.42).

Run: .venv/bin/python scripts/train_stance.py   (needs only the runtime deps and ../shared/data;
the encoder must first be exported by scripts/export_judge_encoder.py in .venv-train).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.judge.corpus import build_docs, pair_matrix  # noqa: E402
from bot.judge.datasets import data_dir, fold_of, load_arc, load_emergent, load_fnc  # noqa: E402
from bot.judge.encoder import OnnxEncoder  # noqa: E402
from bot.judge.metrics import f1_per_class, fnc_score  # noqa: E402
from bot.judge.mlp import Ensemble, fit, fit_temperature  # noqa: E402

HPARAMS = {"hidden": 128, "epochs": 12, "lr": 1e-3, "l2": 1e-4, "cw_power": 0.75}
SEEDS = 5


def load_all(enc: OnnxEncoder, names: tuple[str, ...] = ("fnc", "arc", "emergent")) -> dict[str, tuple]:
    """Feature matrices, labels and groups of the three stance sets."""
    root = data_dir()
    if root is None:
        sys.exit("../shared/data not found")
    out = {}
    for name, loader in (("fnc", load_fnc), ("arc", load_arc), ("emergent", load_emergent)):
        if name not in names:
            continue
        t = time.time()
        bodies, pairs = loader(root)
        docs = build_docs(bodies, enc, name)
        x, y = pair_matrix(pairs, docs, enc, name)
        out[name] = (x, y, np.array([p.group for p in pairs]))
        print(f"{name}: {len(pairs)} pairs, features {x.shape}, {time.time() - t:.0f}s", flush=True)
    return out


def train(x: np.ndarray, y: np.ndarray, hp: dict, seed: int = 0):
    """Fit the MLP with class weights inverse to frequency**cw_power."""
    freq = np.bincount(y, minlength=4) / len(y)
    cw = (1.0 / np.maximum(freq, 1e-3)) ** hp["cw_power"]
    return fit(x, y, 4, hidden=hp["hidden"], epochs=hp["epochs"], lr=hp["lr"], l2=hp["l2"],
               class_weight=cw / cw.mean(), seed=seed)


def report(name: str, y: np.ndarray, p: np.ndarray) -> None:
    """Print FNC score and F1s."""
    f1 = f1_per_class(y, p, 4)
    print(f"{name}: FNC {fnc_score(y, p):.1f}%  macroF1 {f1.mean():.3f}  F1 {np.round(f1, 3)}", flush=True)


def main() -> None:
    """Train on everything except the FNC dev bodies, report FNC dev, save models/stance.npz."""
    enc = OnnxEncoder(ROOT / "models/encoder.int8.onnx", ROOT / "models/tokenizer.json", threads=2)
    d = load_all(enc, ("fnc", "emergent"))
    xf, yf, gf = d["fnc"]
    dev = np.array([fold_of(g, 5) == 0 for g in gf])
    xe, ye, _ = d["emergent"]
    x = np.concatenate([xf[~dev], xe])
    y = np.concatenate([yf[~dev], ye])
    t = time.time()
    members = [train(x, y, HPARAMS, seed=s) for s in range(SEEDS)]
    print(f"trained {SEEDS} members in {time.time() - t:.0f}s")
    # temperature on fold 1 of the training bodies (seen in training: a rough calibration);
    # the dev fold 0 is never used for fitting or tuning
    tune = np.array([fold_of(g, 5) == 1 for g in gf])
    for m in members:
        m.temperature = fit_temperature(m, xf[tune], yf[tune])
    m = Ensemble(members)
    report("FNC dev", yf[dev], m.predict_proba(xf[dev]).argmax(1))
    if "--save" in sys.argv:
        m.save(ROOT / "models/stance.npz")
        print("saved models/stance.npz")


if __name__ == "__main__":
    main()
