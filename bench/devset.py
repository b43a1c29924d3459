"""The Claimwatch development set (bench/devset/, written for the project): statements and articles.

Run: .venv/bin/python bench/devset.py [--half tune|tune2|tune3|report|fresh2|fresh3|fresh5|all] [--baseline] [--errors N]
Claims are split by claim into tuning halves and a reported half; thresholds and cue lists are
chosen on the tuning halves only ("tune", later "tune2" and "tune3", the last worded like the
hardest held-out sets), and "report" is the figure to quote. "fresh2" (claims_d.json,
statements_d.jsonl, articles_d.jsonl: 8 more claims, 160 statements, 26 articles) was written by a
helper who saw no project file, while the stage-5 pair model was trained; it is reported, never tuned on,
and read only when named (`--half fresh2`), like "fresh3"
(7 of its 8 events are in training files in other words). "fresh3" (claims_e.json, statements_e.jsonl,
articles_e.jsonl) was written by another helper told to avoid every training and development event.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.extract import extract_statements  # noqa: E402
from bot.judge import ClaimRef, Judge, load_judge  # noqa: E402

DEVSET = ROOT / "bench" / "devset"
STANCES = ("supports", "refutes", "neutral")
OPEN_HALVES = ("tune", "tune2", "tune3", "report")  # read by --half all; the rest are held out


@dataclass
class DevSet:
    """Claims, statements and articles of the development set."""

    claims: list[dict]
    statements: list[dict]
    articles: list[dict]
    half: dict[str, str] = field(default_factory=dict)


def load(folder: Path = DEVSET) -> DevSet:
    """Every part (claims_*.json, statements_*.jsonl, articles_*.jsonl) in the folder."""
    claims = [c for p in sorted(folder.glob("claims_*.json")) for c in json.loads(p.read_text())]
    dup = sorted(k for k, n in Counter(c["id"] for c in claims).items() if n > 1)
    if dup:  # a reused id moves another half's article labels into the wrong half
        raise ValueError(f"claim ids used in more than one claims_*.json file: {', '.join(dup)}")
    rows = lambda pat: [json.loads(line) for p in sorted(folder.glob(pat))  # noqa: E731
                        for line in p.read_text().splitlines() if line.strip()]
    return DevSet(claims, rows("statements_*.jsonl"), rows("articles_*.jsonl"),
                  {c["id"]: c["half"] for c in claims})


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Stance macro-F1 over (gold, predicted) pairs."""
    f = []
    for s in STANCES:
        tp = sum(g == s and q == s for g, q in pairs)
        f.append(prf(tp, sum(g != s and q == s for g, q in pairs), sum(g == s and q != s for g, q in pairs))[2])
    return float(np.mean(f))


def score_pairs(gold: list[set[tuple[str, str]]], pred: list[set[tuple[str, str]]]) -> dict[str, float]:
    """Detection P/R/F1 on (item, claim), joint F1 on (item, claim, stance), stance on detected pairs."""
    tp = fp = fn = jtp = jfp = jfn = 0
    matched = []
    for g, q in zip(gold, pred, strict=True):
        gc, qc = {c for c, _ in g}, {c for c, _ in q}
        tp, fp, fn = tp + len(gc & qc), fp + len(qc - gc), fn + len(gc - qc)
        jtp, jfp, jfn = jtp + len(g & q), jfp + len(q - g), jfn + len(g - q)
        gs, qs = dict(g), dict(q)
        matched += [(gs[c], qs[c]) for c in gc & qc]
    p, r, f = prf(tp, fp, fn)
    acc = sum(a == b for a, b in matched) / len(matched) if matched else 0.0
    return {"P": p, "R": r, "F1": f, "joint F1": prf(jtp, jfp, jfn)[2], "stance acc": acc,
            "stance macro-F1": macro_f1(matched), "n": len(gold)}


def line(tag: str, m: dict[str, float]) -> str:
    """One printed row."""
    return (f"  {tag:<28} n={int(m['n']):>3}  P {m['P']:.3f}  R {m['R']:.3f}  F1 {m['F1']:.3f}  "
            f"joint F1 {m['joint F1']:.3f}  stance acc {m['stance acc']:.3f}  macro-F1 {m['stance macro-F1']:.3f}")


def statement_preds(judge: Judge, texts: list[str]) -> list[set[tuple[str, str]]]:
    """Alert-tier (claim, stance) pairs per statement, judged alone."""
    return [{(v.claim_id, v.stance) for v in vs} for vs in judge.match(texts)]


def article_preds(judge: Judge, arts: list[dict]) -> list[set[tuple[str, str]]]:
    """Alerting (claim, stance) pairs per article, judged through extraction like the pipeline."""
    out = []
    for a in arts:
        sts = extract_statements(a.get("title", ""), a["text"])
        dj = judge.match_document([s.text for s in sts], title_first=bool(a.get("title", "").strip()))
        out.append({(v.claim_id, v.stance) for v in dj.articles if v.alert})
    return out


def gold_pair_stances(judge: Judge, rows: list[dict]) -> list[str]:
    """Stance of each on-topic statement toward its own claim (detection left aside)."""
    out = []
    for s in rows:
        vs = judge.match([s["text"]], top_k=len(judge._idx.claims))[0]
        out.append(next(v.stance for v in vs if v.claim_id == s["claim"]))
    return out


def baseline_preds(judge: Judge, texts: list[str], claims: list[ClaimRef]) -> list[set[tuple[str, str]]]:
    """The issue's naive baseline: MiniLM cosine >= 0.35 plus a denial/hedge regex."""
    import re

    neg = re.compile(r"\b(den(y|ies|ied)|fals|fake|fabricat|no evidence|reject|lie|hoax|not)\b", re.I)
    hedge = re.compile(r"\b(may|might|unclear|whether|unverified|could not be verified)\b|\?", re.I)
    ce = judge.encoder.encode([c.text for c in claims])
    te = judge.encoder.encode(texts)
    out = []
    for t, row in zip(texts, te @ ce.T, strict=True):
        st = "refutes" if neg.search(t) else "neutral" if hedge.search(t) else "supports"
        out.append({(claims[i].id, st) for i in np.flatnonzero(row >= 0.35)})
    return out


def errors(ds_rows: list[dict], gold: list, pred: list, n: int) -> None:
    """Print up to n wrong rows."""
    shown = 0
    for row, g, q in zip(ds_rows, gold, pred, strict=True):
        if g != q and shown < n:
            shown += 1
            print(f"    {row['id']}: gold {sorted(g)} pred {sorted(q)}  {row.get('text', row.get('title'))[:110]}")


def main() -> None:
    """Print the development-set figures per half."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", default="all", choices=("tune", "tune2", "tune3", "report", "fresh2", "fresh3", "fresh5", "all"))
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--errors", type=int, default=0)
    args = ap.parse_args()
    ds = load()
    if not ds.claims:
        print("no development set in bench/devset/")
        return
    judge = load_judge()
    # "fresh2", "fresh3", "fresh5" (statements_d/e/h.jsonl) are held out: read only when named, never in "all"
    halves = OPEN_HALVES if args.half == "all" else (args.half,)
    if not any(c["half"] == h for h in halves for c in ds.claims):
        print(f"no {args.half} claims in bench/devset/")
        return
    claims = [c for c in ds.claims if c["half"] in OPEN_HALVES]  # the held-out sets are counted apart
    n_articles = sum(a["half"] in OPEN_HALVES for a in ds.articles)
    kinds = Counter(s.get("kind") for s in ds.statements if s["half"] in OPEN_HALVES)
    print(f"Development set: {len(claims)} claims, {sum(kinds.values())} statements "
          f"({', '.join(f'{k} {v}' for k, v in kinds.most_common())}), {n_articles} articles")
    for half in halves:
        # Each half is judged against its own claims only: the two writers both chose the Derna
        # floods (c06 report, c13 tune), and the halves must not see each other's claims.
        refs = [ClaimRef(c["id"], c["text"]) for c in ds.claims if c["half"] == half]
        judge.set_claims(refs)
        rows = [s for s in ds.statements if s["half"] == half]
        gold = [{(s["claim"], s["stance"])} if s["claim"] else set() for s in rows]
        pred = statement_preds(judge, [s["text"] for s in rows])
        print(f"[{half}] statements judged alone:")
        print(line("judge", score_pairs(gold, pred)))
        if args.baseline:
            print(line("baseline cos>=0.35 + regex", score_pairs(gold, baseline_preds(judge, [s["text"] for s in rows], refs))))
        errors(rows, gold, pred, args.errors)
        on = [s for s in rows if s["claim"]]
        if on:
            got = gold_pair_stances(judge, on)
            pairs = [(s["stance"], g) for s, g in zip(on, got, strict=True)]
            acc = sum(a == b for a, b in pairs) / len(pairs)
            print(f"  stance on the {len(pairs)} gold pairs: acc {acc:.3f}  macro-F1 {macro_f1(pairs):.3f}")
            if args.errors:
                for s, g in zip(on, got, strict=True):
                    if g != s["stance"]:
                        print(f"    {s['id']}: gold {s['stance']} pred {g}  {s['text'][:120]}")
        arts = [a for a in ds.articles if a["half"] == half]
        if arts:
            ag = [{(lb["claim"], lb["stance"]) for lb in a["labels"] if ds.half[lb["claim"]] == half} for a in arts]
            ap_ = article_preds(judge, arts)
            print(f"[{half}] articles (one verdict per article and claim):")
            print(line("judge", score_pairs(ag, ap_)))
            errors(arts, ag, ap_, args.errors)


if __name__ == "__main__":
    main()
