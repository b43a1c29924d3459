"""Judge speed in a fresh process: load time, statements/s against 100 / 1,000 / 10,000 claims, peak RSS."""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def claim_texts(n: int) -> list[str]:
    """n claim texts: CheckThat! verified claims when the data is there, else synthetic ones."""
    from bot.judge.datasets import data_dir, load_checkthat

    root = data_dir()
    if root is not None:
        v = list(load_checkthat(root)[0].values())
        return (v * (n // len(v) + 1))[:n]
    subj = ["The mayor", "Ukraine", "The central bank", "A dairy", "The airline", "Scientists", "The council"]
    verb = ["denied", "announced", "planned", "caused", "grounded", "found", "approved"]
    obj = ["a new tax", "drone attacks", "a rate rise", "an outbreak", "all flights", "a cure", "a ban"]
    return [f"{subj[i % 7]} {verb[i // 7 % 7]} {obj[i // 49 % 7]} in district {i}." for i in range(n)]


def main() -> None:
    """Print the speed figures."""
    t0 = time.time()
    from bot.judge import ClaimRef, load_judge

    judge = load_judge()
    load_s = time.time() - t0
    from bot.judge.evaluate import load_fixture

    _, rows = load_fixture(ROOT / "tests/fixtures/judge")
    stmts = [r["text"] for r in rows] * 6
    print(f"Speed (this machine, {len(stmts)} fixture statements of {sum(map(len, stmts)) / len(stmts):.0f} "
          f"chars on average; batches of 256):")
    print(f"  model load (import + load_judge): {load_s:.2f}s")
    for n in (100, 1000, 10000):
        claims = [ClaimRef(str(i), t) for i, t in enumerate(claim_texts(n))]
        t = time.time()
        judge.set_claims(claims)
        build = time.time() - t
        judge.match(stmts[:32])
        t = time.time()
        for s in range(0, len(stmts), 256):
            judge.match(stmts[s : s + 256])
        dt = time.time() - t
        t = time.time()
        judge.set_claims(claims[:-1] + [ClaimRef("new", "A brand new claim about a local election.")])
        rebuild = time.time() - t
        print(f"  {n:>6} claims: {len(stmts) / dt:.0f} statements/s (alerts only); "
              f"set_claims first {build:.2f}s, after one claim changed {rebuild:.2f}s")
    print(f"  peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
