"""Claim-vs-statement benchmarks through Judge.classify: Climate-FEVER and Emergent held-out claims.

Run: .venv/bin/python bench/pairs.py
- Climate-FEVER train, claims with crc32("cf" + claim_id) % 5 == 0 (never trained or tuned on by the
  pair model, scripts/pair_data.py): claim vs evidence sentence, SUPPORTS / REFUTES /
  NOT_ENOUGH_INFO -> supports / refutes / neutral; macro-F1 over the three (a predicted "unrelated"
  is scored both as wrong and as neutral).
- Emergent train, claims with crc32(claimId) % 5 == 0 (held out of every shipped head): claim vs
  article headline, for / against / observing.
Skipped with a message when ../shared/data is absent.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devset import prf  # noqa: E402

from bot.judge import load_judge  # noqa: E402
from bot.judge.training.datasets import data_dir, fold_of, load_emergent  # noqa: E402

ORDER = ("supports", "refutes", "neutral")
CF = {"SUPPORTS": "supports", "REFUTES": "refutes", "NOT_ENOUGH_INFO": "neutral"}


def f1s(gold: list[str], pred: list[str]) -> list[float]:
    """F1 per stance in ORDER."""
    pairs = list(zip(gold, pred, strict=True))
    return [prf(sum(g == s and p == s for g, p in pairs), sum(g != s and p == s for g, p in pairs),
                sum(g == s and p != s for g, p in pairs))[2] for s in ORDER]


def report(tag: str, gold: list[str], pred: list[str]) -> None:
    """Accuracy, macro-F1 and per-class F1, with "unrelated" as wrong and as neutral."""
    for how, pp in (("unrelated = wrong", pred), ("unrelated = neutral", [p if p != "unrelated" else "neutral" for p in pred])):
        f = f1s(gold, pp)
        acc = np.mean([g == p for g, p in zip(gold, pp, strict=True)])
        print(f"  {tag} ({how}): accuracy {acc:.3f}  macro-F1 {np.mean(f):.3f}  "
              f"F1 supports {f[0]:.3f} refutes {f[1]:.3f} neutral {f[2]:.3f}")


def main() -> None:
    """Print both measures."""
    root = data_dir()
    if root is None:
        print("../shared/data not found: skipping")
        return
    judge = load_judge()
    print(f"pair model: {'on' if judge.pair is not None else 'off'}"
          f"{' (CLAIMWATCH_JUDGE_NO_PAIR set)' if os.environ.get('CLAIMWATCH_JUDGE_NO_PAIR') else ''}")
    rows = [json.loads(x) for x in (root / "climate-fever/climate-fever-train.jsonl").read_text().splitlines() if x.strip()]
    held = [r for r in rows if fold_of("cf" + r["claim_id"], 5) == 0]
    pairs = [(r["claim"], e["evidence"], CF[e["evidence_label"]]) for r in held for e in r["evidences"]]
    t = time.time()
    pred = [judge.classify(c, e)[0] for c, e, _ in pairs]
    print(f"Climate-FEVER train, held-out claim fold ({len(held)} claims, {len(pairs)} pairs, "
          f"{len(pairs) / (time.time() - t):.0f} pairs/s):")
    report("Judge.classify", [g for _, _, g in pairs], pred)
    bodies, prs = load_emergent(root)
    dev = [p for p in prs if fold_of(p.group, 5) == 0]
    gold = [ORDER[p.label - 1] for p in dev]
    pred = [judge.classify(p.claim, bodies[p.body_id])[0] for p in dev]
    print(f"Emergent train, held-out claims ({len({p.group for p in dev})} claims, {len(dev)} headlines; "
          "for / against / observing as supports / refutes / neutral):")
    report("Judge.classify", gold, pred)


if __name__ == "__main__":
    main()
