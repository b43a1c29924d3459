"""Judgement among many watched claims: the development set with thousands of filler claims.

Run: .venv/bin/python bench/scale.py [--half tune|tune2|report] [--claims N] [--pair PATH]
A team watching a handful of claims gives the pair model easy candidates; with thousands, every
statement's best candidates share its topic. This bench judges one half of bench/devset against its
own claims plus CheckThat! 2022 verified claims as filler (pool fold crc32(id) % 4 == 3 only: folds 0
and 2 gave the training negatives, fold 1 the fit; see scripts/pair_data.py and scripts/fit_pair_mix.py),
and 1,200 news sentences from the first 200 FNC-1 train bodies (never trained or fitted on; nearly
all about no watched claim). It prints detection and joint figures on the half's statements and the
share of news sentences that alert. Needs ../shared/data; says so and stops without it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devset import line, load, score_pairs  # noqa: E402

from bot.judge import ClaimRef, load_judge  # noqa: E402
from bot.judge.text import sentences  # noqa: E402
from bot.judge.training.datasets import data_dir, fold_of, load_checkthat, load_fnc  # noqa: E402


def filler(root: Path, fold: int = 3) -> list[str]:
    """CheckThat! verified claims of one pool fold, sorted."""
    return sorted(t for v, t in load_checkthat(root)[0].items() if fold_of(v, 4) == fold)


def news(root: Path, n: int = 1200) -> list[str]:
    """Sentences from the first 200 FNC-1 train bodies (the ones bench/speed.py reads)."""
    bodies, _ = load_fnc(root)
    return [s for b in sorted(bodies)[:200] for s in sentences(bodies[b])[:6] if len(s) > 30][:n]


def main() -> None:
    """Print figures for one half at the given claim count."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", default="tune", choices=("tune", "tune2", "report"))
    ap.add_argument("--claims", type=int, default=3000)
    ap.add_argument("--pair", type=Path, help="another pair model file instead of the shipped one")
    a = ap.parse_args()
    root = data_dir()
    if root is None:
        print("../shared/data not found: nothing measured")
        return
    ds = load()
    judge = load_judge()
    if a.pair is not None and judge.pair is not None:
        from bot.judge.loader import pair_model

        judge.pair.model = pair_model(a.pair, ROOT / "models/tokenizer.json")
    own = [ClaimRef(c["id"], c["text"]) for c in ds.claims if c["half"] == a.half]
    fill = filler(root)[: max(a.claims - len(own), 0)]
    judge.set_claims(own + [ClaimRef(f"f{i}", t) for i, t in enumerate(fill)])
    rows = [s for s in ds.statements if s["half"] == a.half]
    gold = [{(s["claim"], s["stance"])} if s["claim"] else set() for s in rows]
    got = judge.match([s["text"] for s in rows])
    pred = [{(v.claim_id, v.stance) for v in vs} for vs in got]
    print(f"[{a.half}] {len(rows)} statements against {len(own)} own + {len(fill)} filler claims")
    print(line("statements", score_pairs(gold, pred)))
    filler_hits = sum(any(v.claim_id.startswith("f") for v in vs) for vs in got)
    print(f"  statements alerting on a filler claim: {filler_hits}/{len(rows)}")
    sents = news(root)
    alerts = judge.match(sents)
    hit = sum(bool(vs) for vs in alerts)
    print(f"  news sentences alerting: {hit}/{len(sents)} ({hit / len(sents):.1%})")


if __name__ == "__main__":
    main()
