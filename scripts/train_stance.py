"""Train the stance head on FNC-1 train (bodies in folds 2-4) and Emergent train (claims in folds 1-4).

ARC is kept out of the shipped model: it is the cross-domain check (adding it lowered FNC
disagree F1 on an inner tuning split from 0.48 to 0.42).

Run: .venv/bin/python scripts/train_stance.py   (needs only the runtime deps and ../shared/data;
the encoder must first be exported by scripts/export_judge_encoder.py in .venv-train).
--feedback FILE adds moderator-labelled pairs from `claimwatch feedback export` to the training set
(never to the FNC dev or tuning folds the figures are reported on).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MODELS = Path(os.environ.get("CLAIMWATCH_MODEL_DIR") or ROOT / "models")  # the encoder read and the head written
sys.path.insert(0, str(ROOT))

from bot.judge.encoder import OnnxEncoder  # noqa: E402
from bot.judge.mlp import Ensemble  # noqa: E402
from bot.judge.training.corpus import build_docs, pair_matrix  # noqa: E402
from bot.judge.training.datasets import data_dir, fold_of, load_arc, load_emergent, load_fnc  # noqa: E402
from bot.judge.training.fit import fit, fit_temperature  # noqa: E402
from bot.judge.training.metrics import f1_per_class, fnc_score  # noqa: E402

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
        out[name] = (x, y, np.array([p.group for p in pairs]), pairs, docs)
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
    """Train on everything except the FNC dev bodies, report FNC dev, save models/stance.npz (CLAIMWATCH_MODEL_DIR: another model folder)."""
    enc = OnnxEncoder(MODELS / "encoder.int8.onnx", MODELS / "tokenizer.json", threads=2)
    d = load_all(enc, ("fnc", "emergent"))
    xf, yf, gf, pf, df = d["fnc"]
    ff = np.array([fold_of(g, 5) for g in gf])
    dev, tune = ff == 0, ff == 1
    xe, ye, ge, _, _ = d["emergent"]
    em = np.array([fold_of(g, 5) != 0 for g in ge])
    x = np.concatenate([xf[ff >= 2], xe[em]])
    y = np.concatenate([yf[ff >= 2], ye[em]])
    if "--feedback" in sys.argv:
        from scripts.feedback_pairs import feedback_matrix

        at = sys.argv.index("--feedback") + 1
        if at >= len(sys.argv):
            sys.exit("--feedback needs the JSONL file written by `claimwatch feedback export`")
        xb, yb = feedback_matrix(enc, Path(sys.argv[at]))
        x, y = np.concatenate([x, xb]), np.concatenate([y, yb])
        print(f"feedback: {len(yb)} moderator-labelled pairs added to training", flush=True)
    t = time.time()
    if "--mix-only" in sys.argv:
        m = Ensemble.load(MODELS / "stance.npz")
        choose_mix(m, enc, xf[tune], yf[tune], [p for p, t in zip(pf, tune, strict=True) if t], df)
        return
    if "--weights-only" in sys.argv:
        m = Ensemble.load(MODELS / "stance.npz")
        choose_weights(m, enc, xf[tune], yf[tune], [p for p, t in zip(pf, tune, strict=True) if t], df)
        return
    members = [train(x, y, HPARAMS, seed=s) for s in range(SEEDS)]
    print(f"trained {SEEDS} members in {time.time() - t:.0f}s")
    # FNC folds: 0 = development (reported), 1 = tuning (temperature, cross-encoder mix), 2-4 = train;
    # Emergent claims in fold 0 are held out too (the cross-encoder uses the same folds)
    for m in members:
        m.temperature = fit_temperature(m, xf[tune], yf[tune])
    m = Ensemble(members)
    report("FNC dev", yf[dev], m.predict_proba(xf[dev]).argmax(1))
    if "--save" in sys.argv:
        m.save(MODELS / "stance.npz")
        print("saved", MODELS / "stance.npz")
    if (MODELS / "cross.int8.onnx").exists():
        choose_mix(m, enc, xf[tune], yf[tune], [p for p, t in zip(pf, tune, strict=True) if t], df)


def choose_mix(m, enc, x, y, pairs, docs) -> None:
    """Pick the cross-encoder's weight in the stance mix on the FNC tuning fold (macro-F1)."""
    from bot.judge.cross import CrossEncoder, HybridStance
    from bot.judge.training.corpus import cross_probs, evidence_pairs

    cross = CrossEncoder(MODELS / "cross.int8.onnx", MODELS / "tokenizer.json", threads=2)
    p = m.predict_proba(x)
    q = cross_probs(cross, evidence_pairs(pairs, docs, enc, "fnc"), p)
    best = (-1.0, 0.0)
    for mix in (0.0, 0.25, 0.5, 0.75, 1.0):
        pred = HybridStance(m, None, mix).combine(p, q).argmax(1)
        f1 = f1_per_class(y, pred, 4)
        report(f"tuning fold, mix {mix}", y, pred)
        best = max(best, (float(f1.mean()), mix))
    print("chosen cross_mix", best[1])
    from bot.judge.rules import article_mix
    from bot.judge.training.corpus import vote_matrix

    ph = HybridStance(m, None, best[1]).combine(p, q)
    st = ph[:, 1:] / ph[:, 1:].sum(1, keepdims=True)
    votes = vote_matrix(pairs, docs, enc, "fnc", st)
    best_v = (-1.0, 0.0)
    for w in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5):
        mixed = np.hstack([ph[:, :1], (1 - ph[:, :1]) * article_mix(st, votes, w)])
        f1 = f1_per_class(y, mixed.argmax(1), 4)
        report(f"tuning fold, sentence-vote weight {w}", y, mixed.argmax(1))
        best_v = max(best_v, (float(f1.mean()), w))
    print("chosen vote_mix", best_v[1])
    if "--save" in sys.argv or "--mix-only" in sys.argv:
        path = MODELS / "judge_config.json"
        cfg = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps(cfg | {"cross_mix": best[1], "vote_mix": best_v[1]}, indent=1) + "\n")


def choose_weights(m, enc, x, y, pairs, docs) -> None:
    """Pick per-class stance weights (supports, refutes, neutral) on the FNC tuning fold (macro-F1)."""
    from bot.judge.cross import CrossEncoder, HybridStance
    from bot.judge.training.corpus import cross_probs, evidence_pairs

    path = MODELS / "judge_config.json"
    cfg = json.loads(path.read_text()) if path.exists() else {}
    mix = float(cfg.get("cross_mix", 0.5))
    cross = CrossEncoder(MODELS / "cross.int8.onnx", MODELS / "tokenizer.json", threads=2)
    p = m.predict_proba(x)
    q = cross_probs(cross, evidence_pairs(pairs, docs, enc, "fnc"), p)
    best = (-1.0, (1.0, 1.0, 1.0))
    for ws in (0.8, 1.0, 1.25):
        for wr in (1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0):
            for wn in (0.8, 1.0, 1.25):
                pred = HybridStance(m, None, mix, (ws, wr, wn)).combine(p, q).argmax(1)
                f1 = f1_per_class(y, pred, 4)
                report(f"tuning fold, weights s/r/n {ws}/{wr}/{wn}", y, pred)
                best = max(best, (round(float(f1.mean()), 4), (ws, wr, wn)))
    print("chosen stance_weights", best[1], "tuning macro-F1", best[0])
    if "--save" in sys.argv:
        path.write_text(json.dumps(cfg | {"stance_weights": list(best[1])}, indent=1) + "\n")


if __name__ == "__main__":
    main()
