"""Judge speed against 10,000 claims, old code vs new code, runs alternating in one session.

Run: .venv/bin/python bench/speed.py [--old REF] [--rounds N]
The old code is checked out with `git worktree` into var/speed-old (REF defaults to the last commit
before the judgement work). Each round runs one fresh process per tree and per workload, in turn:
- "news": 1,200 FNC-1 body sentences (news text, nearly all unrelated to the claims: the realistic
  case, most statements stop after retrieval), falling back to the dev-set statements without data;
- "on-topic": the development-set statements (bench/devset, about 65 % on topic: most are read by
  the pair model);
- "worst": the on-topic set with the pair model forced to read its `top` (2) candidates for every statement.
Claims: the 16 dev-set claims plus CheckThat! 2022 verified claims as filler (synthetic filler
without the data). Figures are statements/s through Judge.match (retrieval and stance) and the
process's peak RSS; ranges over rounds.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_REF = "2162e25"
WORKER = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[2])
from bot.judge import ClaimRef, load_judge
texts = json.loads(open(sys.argv[3]).read())
claims = [ClaimRef(str(i), t) for i, t in enumerate(json.loads(open(sys.argv[4]).read()))]
judge = load_judge(cache_path=sys.argv[6])  # claim embeddings kept across rounds
if sys.argv[5] == "worst" and getattr(judge, "pair", None) is not None:
    judge.pair.config.floor = judge.pair.config.second_floor = 0.0
judge.set_claims(claims)
judge.match(texts[:128])
t = time.time()
n = 0
for s in range(0, len(texts), 256):
    n += sum(map(len, judge.match(texts[s:s + 256])))
dt = time.time() - t
print(json.dumps({"rate": len(texts) / dt, "alerts": n, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def workloads() -> dict[str, list[str]]:
    """Statement lists per workload."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from devset import load

    from bot.judge.text import sentences
    from bot.judge.training.datasets import data_dir, load_fnc

    dev = [s["text"] for s in load().statements if s["half"] in ("tune", "report")]  # not the held-out sets
    root = data_dir()
    if root is not None:
        bodies, _ = load_fnc(root)
        news = [s for b in sorted(bodies)[:200] for s in sentences(bodies[b])[:6] if len(s) > 30][:1200]
    else:
        news = dev * 3
    return {"news": news, "on-topic": dev * 3, "worst": dev * 3}


def claims(n: int = 10_000) -> list[str]:
    """The dev-set claims plus filler up to n."""
    from devset import load

    from bot.judge.training.datasets import data_dir, load_checkthat

    own = [c["text"] for c in load().claims if c["half"] in ("tune", "report")]
    root = data_dir()
    if root is not None:
        filler = sorted(load_checkthat(root)[0].values())
    else:
        filler = [f"The council of district {i} approved a new budget for road {i % 97}." for i in range(n)]
    return own + (filler * (n // max(len(filler), 1) + 1))[: n - len(own)]


def main() -> None:
    """Alternate old and new trees over the workloads and print ranges."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", default=OLD_REF)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    old = ROOT / "var" / "speed-old"
    if not old.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), a.old], check=True,
                       capture_output=True)
    tmp = ROOT / "var" / "speed-data"
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "claims.json").write_text(json.dumps(claims()))
    loads = workloads()
    for k, v in loads.items():
        (tmp / f"{k}.json").write_text(json.dumps(v))
    res: dict[tuple[str, str], list[dict]] = {}
    for _ in range(a.rounds):
        for k in loads:
            for tag, tree in (("old", old), ("new", ROOT)):
                out = subprocess.run([sys.executable, "-c", WORKER, str(tree), str(tree / "scripts"),
                                      str(tmp / f"{k}.json"), str(tmp / "claims.json"), k,
                                      str(tmp / f"cache-{tag}.npz")],
                                     cwd=tree, capture_output=True, text=True, check=True)
                res.setdefault((k, tag), []).append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"Judge.match against 10,000 claims, {a.rounds} rounds alternating old ({a.old}) and new code:")
    for k in loads:
        for tag in ("old", "new"):
            rs = res[(k, tag)]
            rates = [r["rate"] for r in rs]
            print(f"  {k:<9} {tag}: {min(rates):.0f}-{max(rates):.0f} statements/s, "
                  f"{rs[0]['alerts']} verdicts, peak RSS {max(r['rss'] for r in rs):.0f} MB  ({len(loads[k])} statements)")


if __name__ == "__main__":
    main()
