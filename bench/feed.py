"""The development-set articles fed through the real pipeline: article alerts, their stance, conflicts.

Run: .venv/bin/python bench/feed.py [--half tune|tune2|tune3|report|fresh|fresh2|fresh3|fresh5|all] [--errors]
Halves: "tune" and "report" are the development set's (bench/devset.py); "fresh" is a feed of 26
articles about 8 more claims with 10 annotated conflicts (claims_c.json, articles_c.jsonl), written
by a helper who had read neither the quantity parser nor the rest of the set, after the parser
changes it measures: it is read for figures only, never to tune.
"fresh2" (claims_d.json, articles_d.jsonl: 26 articles about 8 more claims, 14 annotated conflicts,
every new figure paired with each earlier one) was written by another helper in the session of the
stage-5 pair model, before that model was chosen, and read once after; it is never tuned on either.
"fresh3" (claims_e.json, articles_e.jsonl) likewise, by a helper told to avoid every event of the
training files and the other sets (fresh2 shares 7 of its 8 events with training files).
Per half, the half's claims are added to a fresh SQLite store and its articles are dropped, oldest
first, into a folder source; one poll cycle of the real pipeline (extraction, the shipped judge,
ledger, conflict detection, policy) then runs over them. Figures:
- (article, claim) statement alerts against the articles' labels: detection P/R/F1 and stance;
- conflict alerts against the articles' annotated conflicts (claim and the two values, either order).
What a user sees in the channel is what is counted: queued alerts, not judge verdicts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from devset import DevSet, line, load, score_pairs  # noqa: E402

from bot.judging import JudgeService  # noqa: E402
from bot.pipeline import Pipeline, PipelineOptions  # noqa: E402
from bot.sources.http import make_client  # noqa: E402
from storage import Store  # noqa: E402

Conflict = tuple[str, frozenset[float]]
DEV_HALVES = ("tune", "tune2", "tune3", "report", "fresh")  # "all"
HELD_OUT = ("fresh2", "fresh3", "fresh5")  # read only when named
HALVES = DEV_HALVES + HELD_OUT


def drop(folder: Path, arts: list[dict]) -> dict[str, str]:
    """Write each article as `<id>.txt` (title line, then body), mtimes in article order; file URI -> id."""
    uris = {}
    for k, a in enumerate(arts):
        path = folder / f"{a['id']}.txt"
        path.write_text(a.get("title", "").strip() + "\n" + a["text"], encoding="utf-8")
        at = 1_700_000_000 + 3600 * k  # an hour apart, so "earlier" and "later" are the article order
        os.utime(path, (at, at))
        uris[path.resolve().as_uri()] = a["id"]
    return uris


async def run_half(ds: DevSet, half: str, judge: JudgeService, tmp: Path) -> tuple[dict, dict]:
    """(article id -> {(claim, stance)} alerted, alerted conflicts) for one half through the pipeline."""
    store = Store(str(tmp / f"{half}.db"))
    await store.open()
    ids: dict[int, str] = {}
    for c in ds.claims:
        if c["half"] == half:
            claim = await store.add_claim(c["text"], "bench")
            await store.watch(claim.id, "console", "desk")
            ids[claim.id] = c["id"]
    folder = tmp / half
    folder.mkdir()
    uris = drop(folder, [a for a in ds.articles if a["half"] == half])
    await store.add_source(str(folder), kind="folder", quiet_first=False, label="Wire drop", created_by="config")
    client = make_client()
    try:
        pipeline = Pipeline(store, judge, client, PipelineOptions(max_item_age_s=20 * 365 * 86400))
        stats = await pipeline.run_cycle()
    finally:
        await client.aclose()
    assert stats.errors == 0, stats
    rows = await store.run(lambda: [dict(r) for r in store.db.query(
        "SELECT a.kind, a.claim_id, a.payload, d.url FROM alerts a LEFT JOIN matches m ON m.id = a.match_id "
        "LEFT JOIN statements s ON s.id = m.statement_id LEFT JOIN documents d ON d.id = s.document_id ORDER BY a.id")])
    got: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        if r["kind"] == "statement":
            stance = json.loads(r["payload"])["stance"]
            got.setdefault(uris.get(r["url"], r["url"]), set()).add((ids[r["claim_id"]], stance))
    conflicts: set[Conflict] = set()
    for claim_id in sorted({r["claim_id"] for r in rows if r["kind"] == "conflict"}):  # each claim read once
        conflicts |= {(ids[claim_id], frozenset((c.value_a, c.value_b)))
                      for c in await store.conflicts(claim_id) if c.alert_id is not None}
    await store.close()
    return got, conflicts


async def main_async(args: argparse.Namespace) -> None:
    """Print the figures per half."""
    ds = load()
    judge = await JudgeService.load()
    halves = DEV_HALVES if args.half == "all" else (args.half,)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for half in halves:
                arts = [a for a in ds.articles if a["half"] == half]
                if not arts:
                    print(f"[{half}] no articles in bench/devset/")
                    continue
                got, conflicts = await run_half(ds, half, judge, Path(tmp))
                gold = [{(lb["claim"], lb["stance"]) for lb in a["labels"] if ds.half[lb["claim"]] == half} for a in arts]
                pred = [got.get(a["id"], set()) for a in arts]
                print(f"[{half}] {len(arts)} articles through the pipeline (statement alerts per article and claim):")
                print(line("pipeline", score_pairs(gold, pred)))
                want = {(c["claim"], frozenset(map(float, c["values"]))) for a in arts for c in a.get("conflicts", [])
                        if ds.half[c["claim"]] == half}
                hit = want & conflicts
                # The check pairs a new figure with the nearest earlier one, which may be another
                # revision than the one annotated: "later" counts an annotated new value alerted at all.
                later = {(c["claim"], float(c["values"][-1])) for a in arts for c in a.get("conflicts", [])
                         if ds.half[c["claim"]] == half}
                shown = {(c, v) for c, vals in conflicts for v in vals}
                print(f"  conflicts alerted: {len(hit)} of {len(want)} annotated pairs, {len(later & shown)} of "
                      f"{len(later)} annotated later values; {len(conflicts - want)} other conflict alerts")
                if args.errors:
                    for a, g, q in zip(arts, gold, pred, strict=True):
                        if g != q:
                            print(f"    {a['id']}: gold {sorted(g)} alerted {sorted(q)}  {a.get('title', '')[:90]}")
                    for c, vals in sorted(want - conflicts, key=str):
                        print(f"    missed conflict {c} {sorted(vals)}")
                    for c, vals in sorted(conflicts - want, key=str):
                        print(f"    other conflict {c} {sorted(vals)}")
    finally:
        judge.close()


def main() -> None:
    """Parse arguments and run."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", default="all", choices=(*HALVES, "all"))
    ap.add_argument("--errors", action="store_true")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
