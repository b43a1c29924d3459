"""Ingestion benchmark: pipeline cycles over 1,000 locally served synthetic feeds of 20 entries.

(b) every feed new: 20,000 documents through fetch, parse, dedupe, extraction, judging, the store;
(a) the same feeds again, unchanged: one conditional GET answered 304 each;
(c) with `--matched`: every entry changed again and written to match the example claims with
    disagreeing figures (matches, alerts, conflict checks against a growing history, the load of
    the field report's 12-14 documents/s), then one outbox pass to a platform that only counts.

Feeds come from templates with random names and numbers, served by aiohttp in another process on
127.0.0.1, one host name each (feedN.bench.test, resolved to 127.0.0.1) so per-host limits apply.
`--judge shipped` (default) loads models/ as `claimwatch run` does; `--judge lexical` the fallback
(all this measured before, by accident: it loaded /nonexistent). `--skip-judging`: no claims.
`--profile FILE`: a cProfile per thread (loop, judge, store) and the top functions outside the
judge. BENCH_FEEDS=N runs on fewer feeds.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import multiprocessing as mp
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FEEDS = int(os.environ.get("BENCH_FEEDS", "1000"))
ENTRIES = 20
CLAIMS = [
    "Ukraine launched a drone attack on Putin's residence in the Novgorod region",
    "The April 2025 blackout in Spain and Portugal was caused by a cyberattack",
    "The tanker Eagle S deliberately cut the Estlink 2 cable in the Baltic Sea",
    "91 drones were shot down over the Novgorod region overnight",
]
PEOPLE = ["Lavrov", "Kallas", "Peskov", "Zelensky", "the ministry", "regional officials", "the governor",
          "Gen. Petrov", "analysts", "the Kremlin", "the grid operator", "investigators", "Mr. Novak"]
PLACES = ["Novgorod", "Kursk", "Belgorod", "Kharkiv", "Odesa", "Lisbon", "Madrid", "Helsinki", "Tallinn",
          "Gdansk", "Riga", "Bryansk", "Sumy", "Porto", "Valencia"]
TEMPLATES = [
    "{p} said {n} drones were shot down over the {c} region overnight.",
    "According to {p}, {n} people were evacuated from {c} on {d}.",
    '"We have no evidence of an attack on the residence," said {p}.',
    "{p} alleged that the power cut in {c} was caused by a cyberattack.",
    "{p} denied that the tanker had damaged the cable near {c}.",
    "The outage affected {n} thousand homes in {c}, the grid operator said.",
    "Investigators in {c} found no sign of sabotage, {p} told reporters.",
    "{p} claimed that {n} missiles had been intercepted near {c}.",
    "Officials in {c} said repairs would take {n} days and cost {n2} million euros.",
    "The drones may have been launched from the {c} area, {p} suggested.",
    "Prices in {c} rose by {f} percent in the month before the blackout.",
    "{p} confirmed that the anchor had dragged for {n} kilometres along the seabed near {c}.",
    "Residents of {c} reported hearing {n2} explosions shortly after midnight on {d}.",
    "The U.S. embassy in {c} said it was aware of the reports but gave no details.",
    "{p} dismissed reports of a strike on the residence as a fabrication.",
    "Satellite images of {c} taken on {d} show no visible damage, {p} said.",
    "A total of {n} flights were cancelled at the {c} airport on {d}.",
    "{p} said the cable operator had lost {f} percent of its capacity.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


MATCHED = [
    "{p} said {n} drones were shot down over the Novgorod region overnight.",
    "{p} denied that Ukraine launched a drone attack on Putin's residence in the Novgorod region.",
    "{p} said the April 2025 blackout in Spain and Portugal was caused by a cyberattack.",
    "{p} alleged that the tanker Eagle S deliberately cut the Estlink 2 cable in the Baltic Sea.",
    "According to {p}, {n2} drones were destroyed over the Novgorod region on {d}.",
    "{p} said the blackout in Spain and Portugal cut power to {n} thousand homes.",
]


def matched_text(rng: random.Random) -> str:
    """Six sentences on the example claims with figures that vary from entry to entry."""
    return " ".join(tpl.format(p=rng.choice(PEOPLE), n=rng.randint(80, 99), n2=rng.randint(30, 60),
                               d=rng.choice(DAYS)) for tpl in rng.sample(MATCHED, 6))


def entry_text(rng: random.Random) -> str:
    """Six sentences from the templates with random fillers: distinct stories, realistic length."""
    out = []
    for tpl in rng.sample(TEMPLATES, 6):
        out.append(tpl.format(p=rng.choice(PEOPLE), c=rng.choice(PLACES), d=rng.choice(DAYS),
                              n=rng.randint(2, 400), n2=rng.randint(2, 40), f=round(rng.uniform(0.5, 9.9), 1)))
    sent = out[0]
    return " ".join([sent[0].upper() + sent[1:], *out[1:]])


def feed_body(i: int, matched: bool = False) -> bytes:
    rng = random.Random(i + (10**6 if matched else 0))
    start = datetime(2026, 3, 2, tzinfo=UTC)
    items = []
    for j in range(ENTRIES):
        text = (matched_text if matched else entry_text)(rng)
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        when = format_datetime(start - timedelta(minutes=37 * j + i))
        link = f"https://feed{i}.bench.test/news/{j}{'-m' if matched else ''}?utm_source=rss"
        items.append(f"<item><title>Report {i}-{j}: events in the region</title><link>{link}</link>"
                     f"<guid>feed{i}-{j}</guid><pubDate>{when}</pubDate><description>{text}</description></item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Bench {i}</title>"
            f"<link>https://feed{i}.bench.test/</link>{''.join(items)}</channel></rss>").encode()


def serve(port_q: mp.Queue) -> None:
    """The feed server process: ETag per feed, 304 on a matching If-None-Match."""
    from aiohttp import web

    bodies = [feed_body(i) for i in range(FEEDS)]
    matched = [feed_body(i, matched=True) for i in range(FEEDS)]

    async def handler(req: web.Request) -> web.Response:
        i = int(req.match_info["i"])
        etag = f'"bench-{i}"'
        if req.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=bodies[i], headers={"ETag": etag, "Content-Type": "application/rss+xml"})

    async def matched_handler(req: web.Request) -> web.Response:
        return web.Response(body=matched[int(req.match_info["i"])], headers={"Content-Type": "application/rss+xml"})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{i}.xml", handler)
        app.router.add_get("/matched/{i}.xml", matched_handler)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=2048)
        await site.start()
        port_q.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


async def resolve(host: str, port: int) -> list[str]:
    """Every *.bench.test name is this machine."""
    return ["127.0.0.1"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Counting:
    """A platform that accepts every message and counts it."""

    name = "console"

    def __init__(self) -> None:
        self.sent = 0

    async def serve(self, dispatch: object) -> None:
        """Nothing to serve."""

    async def send(self, dest: object, message: object) -> object:
        from bot.platform import DeliveryReceipt

        self.sent += 1
        return DeliveryReceipt("console", "desk", str(self.sent))


async def bench(port: int, judging: bool = True, shipped: bool = True, matched: bool = False,
                profile: str | None = None) -> None:
    from bot.judging import JudgeService
    from bot.pipeline import Pipeline, PipelineOptions
    from bot.sources.fetcher import FetchSettings
    from bot.sources.http import make_client
    from bot.sources.ssrf import networks
    from storage import Store

    tmp = tempfile.TemporaryDirectory()
    store = Store(Path(tmp.name) / "bench.db")
    await store.open()
    root = Path(__file__).resolve().parent.parent
    judge = await JudgeService.load(root / "models" if shipped else Path("/nonexistent"))
    judge_name = "lexical judge" if judge.judge.encoder is None else "shipped judge (models/)"
    for text in CLAIMS if judging else []:
        claim = await store.add_claim(text, "bench")
        await store.watch(claim.id, "console", "desk")
    for i in range(FEEDS):
        await store.add_source(f"http://feed{i}.bench.test:{port}/feed/{i}.xml", quiet_first=False,
                               created_by="config")
    client = make_client("bench", resolver=resolve, max_connections=64)
    fetch = FetchSettings(allow_networks=networks(["127.0.0.1/32"]), global_concurrency=32,
                          per_host_concurrency=2, full_text_below=0)
    pipeline = Pipeline(store, judge, client, PipelineOptions(max_item_age_s=10**9, concurrency=32, fetch=fetch))
    print(f"data: {FEEDS} synthetic RSS feeds x {ENTRIES} entries (~6 sentences each) on 127.0.0.1, "
          + (f"{len(CLAIMS)} claims, {judge_name}" if judging else "no claims (judging skipped)")
          + ", SQLite WAL file store")
    print(f"start-up RSS {rss_mb():.0f} MB")
    # The work happens on the judge's and the store's worker threads: one profiler in each, and one
    # on the event loop (cProfile only sees the thread that enabled it).
    profilers = {"loop": cProfile.Profile(), "judge": cProfile.Profile(), "store": cProfile.Profile()}
    if profile:
        profilers["loop"].enable()
        await judge.run_serial(profilers["judge"].enable)
        await store.run(profilers["store"].enable)

    t0 = time.perf_counter()
    changed = await pipeline.run_cycle()
    tb = time.perf_counter() - t0
    print(f"(b) all changed: {tb:.1f} s wall; {changed.documents} documents ({changed.documents / tb:.0f}/s), "
          f"{changed.statements} statements ({changed.statements / tb:.0f}/s), {changed.copies} copies, "
          f"{changed.alerts} alerts, {changed.errors} errors; peak RSS {rss_mb():.0f} MB")

    for s in await store.list_sources():
        await store.update_source(s.id, next_fetch_at="2000-01-01T00:00:00+00:00")
    t0 = time.perf_counter()
    same = await pipeline.run_cycle()
    ta = time.perf_counter() - t0
    print(f"(a) all unchanged: {ta:.2f} s wall; {same.not_modified} x 304, {same.documents} documents, "
          f"{same.errors} errors; peak RSS {rss_mb():.0f} MB")
    ok = ta < 10 and changed.documents / tb >= 200 and rss_mb() < 300
    print(f"targets (a) < 10 s, (b) >= 200 documents/s, memory < 300 MB: {'met' if ok else 'NOT met'}")
    if matched:
        await bench_matched(store, pipeline)
    if profile:
        profilers["loop"].disable()
        await judge.run_serial(profilers["judge"].disable)
        await store.run(profilers["store"].disable)
        for name, prof in profilers.items():
            prof.dump_stats(f"{profile}.{name}")
            print_profile(f"{profile}.{name}", name)
    await client.aclose()
    judge.close()
    await store.close()
    tmp.cleanup()


async def bench_matched(store: Any, pipeline: Any) -> None:
    """(c): every entry changed and on the claims, then one outbox pass over what it queued."""
    from bot.alerts import Outbox

    for s in await store.list_sources():
        await store.update_source(s.id, url=s.url.replace("/feed/", "/matched/"), etag=None,
                                  next_fetch_at="2000-01-01T00:00:00+00:00")
    t0 = time.perf_counter()
    stats = await pipeline.run_cycle()
    tc = time.perf_counter() - t0
    conflicts = await store.run(lambda: store.db.execute("SELECT count(*) FROM conflicts").fetchone()[0])
    print(f"(c) all changed, on the claims: {tc:.1f} s wall; {stats.documents} documents "
          f"({stats.documents / tc:.1f}/s), {stats.statements} statements, {stats.alerts} alerts, "
          f"{conflicts} conflicts recorded; peak RSS {rss_mb():.0f} MB")
    platform = Counting()
    outbox = Outbox(store, {"console": platform})
    t0 = time.perf_counter()
    await outbox.deliver_once("console")
    td = time.perf_counter() - t0
    held = await store.run(lambda: store.db.execute(
        "SELECT count(*) FROM deliveries WHERE status = 'held'").fetchone()[0])
    print(f"(c) one outbox pass: {td:.1f} s; {platform.sent} sent, {held} held for digests")


def print_profile(path: str, thread: str) -> None:
    """The 12 functions outside bot/judge with the most own time in one thread, and the judge's share."""
    stats = pstats.Stats(path)
    rows = [(tt, ct, nc, f"{Path(fn).name}:{line}({name})", fn)
            for (fn, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items()]  # type: ignore[attr-defined]
    total = sum(r[0] for r in rows)
    judge = sum(r[0] for r in rows if "/bot/judge/" in r[4] or "onnxruntime" in r[4])
    print(f"profile, {thread} thread: {total:.1f} s of own time, {judge:.1f} s in bot/judge and onnxruntime; "
          "the rest:")
    outside = sorted((r for r in rows if "/bot/judge/" not in r[4] and "onnxruntime" not in r[4]), reverse=True)
    for tt, ct, nc, where, _fn in outside[:12]:
        print(f"  {tt:6.2f} s own {ct:6.2f} s cum {nc:8d} calls  {where}")

def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--judge", choices=("shipped", "lexical"), default="shipped")
    parser.add_argument("--skip-judging", action="store_true")
    parser.add_argument("--matched", action="store_true", help="add case (c): matched statements with figures")
    parser.add_argument("--profile", metavar="FILE")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    port_q: mp.Queue = mp.get_context("spawn").Queue()
    server = mp.get_context("spawn").Process(target=serve, args=(port_q,), daemon=True)
    server.start()
    try:
        port = port_q.get(timeout=60)
        asyncio.run(bench(port, judging=not args.skip_judging, shipped=args.judge == "shipped",
                          matched=args.matched, profile=args.profile))
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
