"""One pipeline cycle against local feeds: alerts queued once, failures isolated per source."""

from __future__ import annotations

from pathlib import Path

from bot.pipeline import Pipeline, PipelineOptions
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from tests.conftest import Route

FIXTURES = Path(__file__).parent / "fixtures"
DRONE = "Ukraine launched a drone attack on Putin's residence in the Novgorod region"


async def _pipeline(store, judge):
    client = make_client()
    opts = PipelineOptions(max_item_age_s=10**9, fetch=FetchSettings(allow_private=True))
    return Pipeline(store, judge, client, opts), client


async def test_cycle_alerts_once_and_isolates_failures(store, lexical_judge, feed_server):
    feed_server.routes["/good.xml"] = Route((FIXTURES / "drone_feed.xml").read_bytes())
    feed_server.routes["/broken.xml"] = Route(b"<html><body><p>Our new homepage</p></body></html>", 200, {"Content-Type": "text/html"})
    feed_server.routes["/down.xml"] = Route(b"oops", 500, {"Content-Type": "text/plain"})
    claim = await store.add_claim(DRONE, "test")
    await store.watch(claim.id, "console", "desk")
    good = await store.add_source(feed_server.url("/good.xml"), quiet_first=False, allow_private=True)
    broken = await store.add_source(feed_server.url("/broken.xml"), quiet_first=False, allow_private=True)
    down = await store.add_source(feed_server.url("/down.xml"), quiet_first=False, allow_private=True)
    pipeline, client = await _pipeline(store, lexical_judge)
    try:
        stats = await pipeline.run_cycle()
        assert stats.sources == 3 and stats.errors == 2
        assert stats.documents == 3 and stats.alerts == 2  # one per article about the claim, headline included
        pending = await store.pending_deliveries("console", "9999")
        assert len(pending) == stats.alerts
        assert sorted(p.alert.content.stance for p in pending) == ["refutes", "supports"]
        assert len({p.alert.content.document_id for p in pending}) == 2
        assert all("festival" not in p.alert.content.text for p in pending)
        assert (await store.get_source(good.id)).last_error is None
        assert (await store.get_source(down.id)).last_error == "HTTP 500"
        assert (await store.get_source(broken.id)).last_error
        # Due again (force): the unchanged feed yields nothing new and nothing twice.
        for s in (good, broken, down):
            await store.update_source(s.id, next_fetch_at="2000-01-01T00:00:00+00:00")
        again = await pipeline.run_cycle()
        assert again.documents == 0 and again.alerts == 0
        assert len(await store.pending_deliveries("console", "9999")) == stats.alerts
    finally:
        await client.aclose()


async def test_first_fetch_of_new_source_is_quiet(store, lexical_judge, feed_server):
    feed_server.routes["/good.xml"] = Route((FIXTURES / "drone_feed.xml").read_bytes())
    claim = await store.add_claim(DRONE, "test")
    await store.watch(claim.id, "console", "desk")
    await store.add_source(feed_server.url("/good.xml"), allow_private=True)  # quiet_first defaults on
    pipeline, client = await _pipeline(store, lexical_judge)
    try:
        stats = await pipeline.run_cycle()
        assert stats.documents == 3 and stats.alerts == 0
        assert sum((await store.stance_counts(claim.id)).values()) >= 2  # recorded, not alerted
    finally:
        await client.aclose()
