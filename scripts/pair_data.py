"""Build (claim, statement, label) pairs for the pair model: relatedness and stance in one 4-way head.

Labels: 0 unrelated, 1 supports, 2 refutes, 3 neutral. Sources (training and development splits only):
- CheckThat! 2022 2A train: tweet vs its verified claim (supports) and 3 hardest other claims (unrelated);
- Climate-FEVER train, claims with crc32("cf" + claim_id) % 5 != 0 (fold 0 is kept for reporting; plain
  crc32(claim_id) % 5 == 0 holds no train claim, those are the organisers' held-out fifth):
  evidence sentence vs its claim (SUPPORTS/REFUTES/NOT_ENOUGH_INFO -> supports/refutes/neutral) and
  vs the 2 hardest other claims (unrelated);
- Emergent train, claims in folds 1-4: claim vs article headline (for/against/observing) and one hard
  other claim (unrelated);
- with --fnc only: FNC-1 train, bodies in folds 2-4: headline vs the body sentence closest to it
  (agree/disagree/discuss), unrelated pairs sampled (off by default: a body's label is the article's,
  often not its closest sentence's);
- scale negatives (the product's case of many watched claims): news sentences from FNC-1 train bodies
  (not the 200 first bodies, read by bench/speed.py, nor the 300 last, read by fit_pair_mix.py) and the
  training/ statements, each vs the 2 claims the product's own retrieval ranks highest among the
  CheckThat! verified claims of pool half 0 (crc32 % 2; half 1 is left for measuring), unrelated;
  pairs with cosine >= 0.7 are skipped as possibly true matches;
- training/news_pairs_*.jsonl: news-style statements written for Claimwatch about claims that are NOT
  in the development set (supports / refutes / neutral, and hard distractors about the same people and
  places in another event as unrelated), each statement also against the closest other claim of
  those files (unrelated); repeated 3 times, being the only data in the product's own style;
- with --feedback FILE: moderator corrections exported by `claimwatch feedback export` (rejected
  matches are "unrelated"), read like the files above;
- with --devset only: the development set's TUNE half (each statement vs its claim and vs the hardest
  other tune claim). The shipped model is trained WITHOUT it, so that the tune half stays clean for
  choosing the mixing weights and thresholds (scripts/fit_pair_mix.py). The report half is never read.
- with --topic only: topic negatives, FNC-1 train body sentences vs the training/ claim the product's
  retrieval ranks first (unrelated; cosine >= 0.55 skipped), see topic_negatives;
Run: .venv/bin/python scripts/pair_data.py [--news GLOB[,GLOB...]] [--devset] [--fnc] [--topic] [--feedback FILE]  (writes var/pairs-train.jsonl and var/pairs-eval.jsonl)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devset import load as load_devset  # noqa: E402

from bot.judge.encoder import OnnxEncoder  # noqa: E402
from bot.judge.text import sentences  # noqa: E402
from bot.judge.training.corpus import encode_cached  # noqa: E402
from bot.judge.training.datasets import data_dir, fold_of, load_checkthat, load_emergent, load_fnc  # noqa: E402

RNG = np.random.default_rng(0)
CF = {"SUPPORTS": 1, "REFUTES": 2, "NOT_ENOUGH_INFO": 3}
# Two claims this close are about one event (t12's and t14's Fukushima claims, 0.85), so neither is
# the other's statements' "other claim"; the closest pair of distinct events in t1-t11 is 0.80.
SAME_EVENT = 0.83
FNC_CAPS = {0: 2500, 1: 3000, 2: 10_000, 3: 2500}


def hard(qemb: np.ndarray, cemb: np.ndarray, gold: list[int], k: int) -> list[list[int]]:
    """Per query the k claims closest by cosine, other than its gold claim."""
    sims = qemb @ cemb.T
    out = []
    for j, g in enumerate(gold):
        order = np.argsort(-sims[j])[: k + 1]
        out.append([int(i) for i in order if i != g][:k])
    return out


def checkthat(enc, root: Path) -> list[dict]:
    """Tweets vs verified claims."""
    vclaims, tweets, train, _ = load_checkthat(root)
    ids = sorted(vclaims)
    pos = {v: i for i, v in enumerate(ids)}
    texts = [vclaims[v] for v in ids]
    cemb = encode_cached(enc, texts, "ct-vclaims")
    qs = [(tweets[t], pos[v]) for t, vs in sorted(train.items()) for v in sorted(vs) if t in tweets and v in pos]
    qemb = encode_cached(enc, [q for q, _ in qs], "ct-train-tweets")
    out = []
    for (q, g), negs in zip(qs, hard(qemb, cemb, [g for _, g in qs], 3), strict=True):
        out.append({"claim": texts[g], "text": q, "label": 1, "src": "checkthat"})
        out += [{"claim": texts[i], "text": q, "label": 0, "src": "checkthat"} for i in negs]
    return out


def climate_fever(enc, root: Path) -> tuple[list[dict], list[dict]]:
    """Evidence sentences vs claims; fold 0 claims are returned apart for reporting."""
    rows = [json.loads(x) for x in (root / "climate-fever/climate-fever-train.jsonl").read_text().splitlines() if x.strip()]
    claims = [r["claim"] for r in rows]
    cemb = encode_cached(enc, claims, "cf-claims")
    ev = [(e["evidence"], i, CF[e["evidence_label"]]) for i, r in enumerate(rows) for e in r["evidences"]]
    qemb = encode_cached(enc, [e for e, _, _ in ev], "cf-evidence")
    train, held = [], []
    for (e, g, lab), negs in zip(ev, hard(qemb, cemb, [g for _, g, _ in ev], 2), strict=True):
        dest = held if fold_of("cf" + rows[g]["claim_id"], 5) == 0 else train
        dest.append({"claim": claims[g], "text": e, "label": lab, "src": "climate-fever"})
        if dest is train and RNG.random() < 0.5:
            dest.append({"claim": claims[negs[0]], "text": e, "label": 0, "src": "climate-fever"})
    return train, held


def emergent(enc, root: Path) -> list[dict]:
    """Claim vs article headline, claims in folds 1-4."""
    bodies, pairs = load_emergent(root)
    claims = sorted({p.claim for p in pairs})
    ci = {c: i for i, c in enumerate(claims)}
    keep = [p for p in pairs if fold_of(p.group, 5) != 0]
    cemb = encode_cached(enc, claims, "em-claims")
    qemb = encode_cached(enc, [bodies[p.body_id] for p in keep], "em-heads-train")
    out = []
    for p, negs in zip(keep, hard(qemb, cemb, [ci[p.claim] for p in keep], 1), strict=True):
        out.append({"claim": p.claim, "text": bodies[p.body_id], "label": p.label, "src": "emergent"})
        out.append({"claim": claims[negs[0]], "text": bodies[p.body_id], "label": 0, "src": "emergent"})
    return out


def fnc(enc, root: Path) -> list[dict]:
    """Headline vs the closest body sentence, bodies in folds 2-4, capped per label."""
    bodies, pairs = load_fnc(root)
    keep = [p for p in pairs if fold_of(p.body_id, 5) >= 2]
    RNG.shuffle(keep)
    counts = dict.fromkeys(FNC_CAPS, 0)
    chosen = []
    for p in keep:
        if counts[p.label] < FNC_CAPS[p.label]:
            counts[p.label] += 1
            chosen.append(p)
    heads = sorted({p.claim for p in chosen})
    hemb = dict(zip(heads, encode_cached(enc, heads, "fnc-pair-heads"), strict=True))
    out = []
    for bid in sorted({p.body_id for p in chosen}):
        sents = sentences(bodies[bid])[:40] or [bodies[bid][:300]]
        semb = enc.encode(sents)
        for p in (q for q in chosen if q.body_id == bid):
            j = int(np.argmax(semb @ hemb[p.claim]))
            out.append({"claim": p.claim, "text": sents[j], "label": p.label, "src": "fnc"})
    return out


def news_pairs(enc, paths: list[Path] | None = None) -> list[dict]:
    """Our own news-style training pairs (training/), plus each statement vs the closest other claim.

    paths: other files in the same format instead, e.g. moderator corrections from
    `claimwatch feedback export` (same fields: claim, text, label).
    """
    lab = {"unrelated": 0, "supports": 1, "refutes": 2, "neutral": 3}
    files = paths if paths is not None else sorted((ROOT / "training").glob("news_pairs_*.jsonl"))
    rows = [json.loads(x) for p in files for x in p.read_text().splitlines() if x.strip()]
    if not rows:
        return []
    claims = sorted({r["claim"] for r in rows})
    cemb = enc.encode(claims)
    qemb = enc.encode([r["text"] for r in rows])
    ci = {c: i for i, c in enumerate(claims)}
    same = cemb @ cemb.T
    out = []
    for r, negs in zip(rows, hard(qemb, cemb, [ci[r["claim"]] for r in rows], 1), strict=True):
        out.append({"claim": r["claim"], "text": r["text"], "label": lab[r["label"]], "src": "news"})
        if same[ci[r["claim"]], negs[0]] < SAME_EVENT:
            out.append({"claim": claims[negs[0]], "text": r["text"], "label": 0, "src": "news"})
    return out


def scale_negatives(root: Path, n_news: int = 3000, files: list[Path] | None = None) -> list[dict]:
    """Unrelated pairs as the pair model meets them among thousands of claims: the best retrieval candidates."""
    from bot.judge import ClaimRef, load_judge

    vclaims = load_checkthat(root)[0]
    pool = sorted(t for v, t in vclaims.items() if fold_of(v, 2) == 0)
    bodies, _ = load_fnc(root)
    keys = sorted(bodies)[200:-300]
    picked = [keys[i] for i in sorted(RNG.choice(len(keys), size=min(len(keys), n_news // 3), replace=False))]
    news = [x for b in picked for x in sentences(bodies[b])[:6] if len(x) > 30][:n_news]
    files = files if files is not None else sorted((ROOT / "training").glob("news_pairs_*.jsonl"))
    own = sorted({json.loads(x)["text"] for p in files for x in p.read_text().splitlines() if x.strip()})
    judge = load_judge()
    judge.set_claims([ClaimRef(str(i), t) for i, t in enumerate(pool)])
    return [{"claim": pool[i], "text": t, "label": 0, "src": "scale"}
            for texts in (news, own) for t, i, cos in _best_claims(judge, texts) if cos < 0.7]


def _best_claims(judge, texts: list[str], k: int = 2):
    """(text, claim index, cosine) for each text's k best claims by the product's own retrieval, in text order."""
    idx = judge._idx
    for s in range(0, len(texts), 256):
        part = texts[s : s + 256]
        cos = idx.cosines(judge._encode(part))
        rel = judge._relatedness(idx, part, cos)
        for j, t in enumerate(part):
            for i in np.argsort(-rel[j])[:k]:
                yield t, int(i), float(cos[j, i])


def topic_negatives(root: Path, files: list[Path], max_cos: float = 0.5, easy: int = 1000) -> list[dict]:
    """News sentences vs the news-style training claims retrieval ranks highest: same topic, another event.

    Scale negatives pair news with CheckThat! claims, whose style the model tells apart on its own;
    here the claims are those of training/ (a flood vs another flood, a gunman vs another gunman),
    the mistake the shipped pair model made on plain news at a team's 16 claims. Every FNC-1 train
    body but the 200 first and 300 last (as scale_negatives), 6 sentences each, vs its 2 best
    claims; kept: each pair the shipped pair model calls related (p >= 0.3, mined hard negatives)
    and `easy` others at random. Pairs with cosine >= max_cos, or sharing two capitalised words,
    are skipped as possibly the same event.
    """
    import re

    from bot.judge import ClaimRef, load_judge

    bodies, _ = load_fnc(root)
    news = [x for b in sorted(bodies)[200:-300] for x in sentences(bodies[b])[:6] if len(x) > 30]
    claims = sorted({json.loads(x)["claim"] for p in files for x in p.read_text().splitlines() if x.strip()})
    caps = lambda t: set(re.findall(r"\b[A-Z][\w-]{3,}", t))  # noqa: E731
    judge = load_judge()
    judge.set_claims([ClaimRef(str(i), t) for i, t in enumerate(claims)])
    cand = [(claims[i], t) for t, i, cos in _best_claims(judge, news)
            if cos < max_cos and len(caps(claims[i]) & caps(t)) < 2]
    p_rel = 1.0 - judge.pair.model.predict(cand)[:, 0]
    rng = np.random.default_rng(7)
    hard_ = [k for k in range(len(cand)) if p_rel[k] >= 0.3]
    rest = [k for k in range(len(cand)) if p_rel[k] < 0.3]
    keep = hard_ + [rest[k] for k in rng.permutation(len(rest))[:easy]]
    print(f"topic negatives: {len(cand)} candidates, {len(hard_)} mined (p_related >= 0.3), {len(keep)} kept", file=sys.stderr)
    return [{"claim": cand[k][0], "text": cand[k][1], "label": 0, "src": "topic"} for k in sorted(keep)]


def devset_tune(enc) -> list[dict]:
    """The development set's tune half: gold pairs, distractors and hard other claims."""
    ds = load_devset()
    claims = {c["id"]: c["text"] for c in ds.claims if c["half"] == "tune"}
    ids = sorted(claims)
    cemb = enc.encode([claims[i] for i in ids])
    rows = [s for s in ds.statements if s["half"] == "tune"]
    qemb = enc.encode([s["text"] for s in rows])
    lab = {"supports": 1, "refutes": 2, "neutral": 3}
    out = []
    for s, sims in zip(rows, qemb @ cemb.T, strict=True):
        gold = s["claim"]
        if gold:
            out.append({"claim": claims[gold], "text": s["text"], "label": lab[s["stance"]], "src": "devset"})
        for i in np.argsort(-sims)[:2]:
            if ids[i] != gold:
                out.append({"claim": claims[ids[i]], "text": s["text"], "label": 0, "src": "devset"})
                break
    return out


def main() -> None:
    """Write the training pairs and the held-out Climate-FEVER pairs."""
    root = data_dir()
    if root is None:
        sys.exit("../shared/data not found")
    enc = OnnxEncoder(ROOT / "models/encoder.int8.onnx", ROOT / "models/tokenizer.json")
    cf_train, cf_held = climate_fever(enc, root)
    # --news GLOB[,GLOB...]: which training/ files to read (stages 1 and 2 were trained on
    # news_pairs_t[1-3].jsonl, stage 5 on news_pairs_t?.jsonl,news_pairs_t1[0-5].jsonl)
    patterns = sys.argv[sys.argv.index("--news") + 1] if "--news" in sys.argv else "news_pairs_*.jsonl"
    chosen: set[Path] = set()
    for pat in (p.strip() for p in patterns.split(",")):
        found = set((ROOT / "training").glob(pat))
        if not found:
            sys.exit(f"--news: {pat!r} matches no file in training/")
        chosen |= found
    files = sorted(chosen)
    train = (checkthat(enc, root) + cf_train + emergent(enc, root) + news_pairs(enc, files) * 3
             + scale_negatives(root, files=files))
    if "--fnc" in sys.argv:
        train += fnc(enc, root)
    if "--topic" in sys.argv:  # stage 8: news vs the news-style claims it is nearest to
        train += topic_negatives(root, files)
    if "--feedback" in sys.argv:  # moderator corrections exported by `claimwatch feedback export`
        train += [dict(r, src="feedback") for r in news_pairs(enc, [Path(sys.argv[sys.argv.index("--feedback") + 1])])] * 3
    if "--devset" in sys.argv:
        train += devset_tune(enc) * 3
    (ROOT / "var").mkdir(exist_ok=True)
    for name, rows in (("pairs-train", train), ("pairs-eval", cf_held)):
        with (ROOT / "var" / f"{name}.jsonl").open("w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    by = {}
    for r in train:
        by.setdefault(r["src"], np.zeros(4, int))[r["label"]] += 1
    for k, v in by.items():
        print(f"{k}: {v.tolist()} (unrelated, supports, refutes, neutral)")
    print(f"train {len(train)}, held-out Climate-FEVER {len(cf_held)}")


if __name__ == "__main__":
    main()
