"""Ingestion benchmark: one pipeline cycle over 1,000 locally served feeds.

(b) every feed changed, 20 entries each (first fetch: 20,000 new documents through fetch, parse,
    canonical/hash/MinHash dedupe, statement extraction, lexical judging and the store);
(a) the same 1,000 feeds again, all unchanged: one conditional GET answered 304 each.

The feeds are synthetic (generated here from templates with random names and numbers), served by
aiohttp in a separate process on 127.0.0.1; each feed has its own host name (feedN.bench.test),
resolved to 127.0.0.1 by an injected resolver, so the per-host limit applies as it would live.
Judging uses the lexical judge (load_judge(Path('/nonexistent'))), not the trained model, with
four claims; `--skip-judging` runs with no claims, so nothing is judged, matched or alerted (and
the ledger's conflict check after each stored document has nothing to do).
Set BENCH_FEEDS to run on fewer feeds.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

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


def entry_text(rng: random.Random) -> str:
    """Six sentences from the templates with random fillers: distinct stories, realistic length."""
    out = []
    for tpl in rng.sample(TEMPLATES, 6):
        out.append(tpl.format(p=rng.choice(PEOPLE), c=rng.choice(PLACES), d=rng.choice(DAYS),
                              n=rng.randint(2, 400), n2=rng.randint(2, 40), f=round(rng.uniform(0.5, 9.9), 1)))
    sent = out[0]
    return " ".join([sent[0].upper() + sent[1:], *out[1:]])


def feed_body(i: int) -> bytes:
    rng = random.Random(i)
    start = datetime(2026, 3, 2, tzinfo=UTC)
    items = []
    for j in range(ENTRIES):
        text = entry_text(rng).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        when = format_datetime(start - timedelta(minutes=37 * j + i))
        link = f"https://feed{i}.bench.test/news/{j}?utm_source=rss"
        items.append(f"<item><title>Report {i}-{j}: events in the region</title><link>{link}</link>"
                     f"<guid>feed{i}-{j}</guid><pubDate>{when}</pubDate><description>{text}</description></item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Bench {i}</title>"
            f"<link>https://feed{i}.bench.test/</link>{''.join(items)}</channel></rss>").encode()


def serve(port_q: mp.Queue) -> None:
    """The feed server process: ETag per feed, 304 on a matching If-None-Match."""
    from aiohttp import web

    bodies = [feed_body(i) for i in range(FEEDS)]

    async def handler(req: web.Request) -> web.Response:
        i = int(req.match_info["i"])
        etag = f'"bench-{i}"'
        if req.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=bodies[i], headers={"ETag": etag, "Content-Type": "application/rss+xml"})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{i}.xml", handler)
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


async def bench(port: int, judging: bool = True) -> None:
    from bot.judging import JudgeService
    from bot.pipeline import Pipeline, PipelineOptions
    from bot.sources.fetcher import FetchSettings
    from bot.sources.http import make_client
    from bot.sources.ssrf import networks
    from storage import Store

    tmp = tempfile.TemporaryDirectory()
    store = Store(Path(tmp.name) / "bench.db")
    await store.open()
    judge = await JudgeService.load(Path("/nonexistent"))  # the lexical judge
    for text in CLAIMS if judging else []:
        claim = await store.add_claim(text, "bench")
        await store.watch(claim.id, "console", "desk")
    for i in range(FEEDS):
        await store.add_source(f"http://feed{i}.bench.test:{port}/feed/{i}.xml", quiet_first=False, created_by="config")
    client = make_client("bench", resolver=resolve, max_connections=64)
    fetch = FetchSettings(allow_networks=networks(["127.0.0.1/32"]), global_concurrency=32,
                          per_host_concurrency=2, full_text_below=0)
    pipeline = Pipeline(store, judge, client, PipelineOptions(max_item_age_s=10**9, concurrency=32, fetch=fetch))
    print(f"data: {FEEDS} synthetic RSS feeds x {ENTRIES} entries (~6 sentences each) on 127.0.0.1, "
          + (f"{len(CLAIMS)} claims, lexical judge" if judging else "no claims (judging skipped)")
          + ", SQLite WAL file store")
    print(f"start-up RSS {rss_mb():.0f} MB")

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
    await client.aclose()
    judge.close()
    await store.close()
    tmp.cleanup()


def main() -> None:
    port_q: mp.Queue = mp.get_context("spawn").Queue()
    server = mp.get_context("spawn").Process(target=serve, args=(port_q,), daemon=True)
    server.start()
    try:
        port = port_q.get(timeout=60)
        asyncio.run(bench(port, judging="--skip-judging" not in sys.argv))
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    main()
