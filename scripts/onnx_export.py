"""Export a fine-tuned (claim, text) sequence classifier to int8 ONNX (shared by the training scripts)."""

from __future__ import annotations

from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]


def export_int8(model, tok, dest: Path) -> None:
    """Export a (claim, text) sequence classifier to ONNX and quantise it to int8 per channel at dest."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = ROOT / "var" / (dest.stem + ".fp32.onnx")
    fp32.parent.mkdir(exist_ok=True)
    ids = tok(["a claim"], ["some evidence"], return_tensors="pt")
    torch.onnx.export(model, (ids["input_ids"], ids["attention_mask"], ids["token_type_ids"]), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={k: {0: "batch", 1: "seq"} for k in ("input_ids", "attention_mask", "token_type_ids")}
                      | {"logits": {0: "batch"}}, opset_version=17, dynamo=False)
    quantize_dynamic(str(fp32), str(dest), per_channel=True, weight_type=QuantType.QInt8)
    fp32.unlink()
