"""Child process for the kill -9 test: run pipeline cycles against the parent's local server.

Usage: python -m tests.sources.crash_child DB loop|once
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.judging import JudgeService
from bot.pipeline import Pipeline, PipelineOptions
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from bot.sources.ssrf import networks
from storage import Store


async def main(db: str, mode: str) -> None:
    store = Store(db)
    await store.open()
    judge = await JudgeService.load(Path("/nonexistent"))
    client = make_client(connect_s=5, read_s=5)
    fetch = FetchSettings(allow_networks=networks(["127.0.0.1/32"]), global_concurrency=4)
    pipeline = Pipeline(store, judge, client, PipelineOptions(max_item_age_s=10**9, fetch=fetch))
    try:
        while True:
            for s in await store.list_sources():  # every source due, every cycle
                await store.update_source(s.id, next_fetch_at="2000-01-01T00:00:00+00:00")
            stats = await pipeline.run_cycle()
            print(f"cycle {stats}", flush=True)
            if mode == "once":
                break
    finally:
        await client.aclose()
        judge.close()
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
