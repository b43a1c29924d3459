"""Ingestion through the real pipeline against a local server: dedupe, copies, versions, backoff."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

import pytest
from aiohttp import web

from bot.alert_types import StatementAlert
from bot.judging import JudgeService
from bot.pipeline import Pipeline, PipelineOptions
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from bot.sources.ssrf import networks
from storage import Store
from tests.sources.conftest import fake_resolve
from tests.sources.server import FIXTURES, FaultServer

pytestmark = pytest.mark.both_backends

CLAIM = "91 drones were shot down over the Novgorod region overnight"
NOW = datetime.now(UTC)
BODY = (
    "Air defence units intercepted 91 drones overnight, including 41 over the Novgorod region, the "
    "defence ministry said on Monday. The ministry did not say whether any damage was caused on the "
    "ground. Regional officials reported no casualties in the towns near the border. The attack was "
    "repelled in full, a deputy commander told reporters at a briefing in the capital."
)


def rss(*items: tuple[str, str, str, str, datetime | None]) -> bytes:
    """An RSS 2.0 body from (guid, link, title, body, published) tuples."""
    out = ["<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><link>http://x</link>"]
    for guid, link, title, body, when in items:
        date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
        out.append(f"<item><guid>{guid}</guid><link>{escape(link)}</link><title>{escape(title)}</title>"
                   f"<description>{escape(body)}</description>{date}</item>")
    return ("".join(out) + "</channel></rss>").encode()


def serve(server: FaultServer, path: str, body: bytes, ctype: str = "application/rss+xml") -> None:
    async def handler(req: web.Request) -> web.Response:
        return web.Response(body=body, content_type=ctype)
    server.routes[path] = handler


@pytest.fixture
async def pipeline(store: Store, lexical_judge: JudgeService) -> AsyncIterator[Pipeline]:
    # The fake resolver keeps fixture links (www.gov.example ...) from ever reaching real DNS.
    client = make_client(connect_s=2, read_s=2, resolver=fake_resolve)
    fetch = FetchSettings(allow_networks=networks(["127.0.0.1/32"]))
    opts = PipelineOptions(max_item_age_s=30 * 86400, pause_after_failures=3,
                           moderator_channels=[("console", "mods")], fetch=fetch)
    claim = await store.add_claim(CLAIM, "test")
    await store.watch(claim.id, "console", "desk")
    yield Pipeline(store, lexical_judge, client, opts)
    await client.aclose()


async def due_all(store: Store) -> None:
    for s in await store.list_sources():
        await store.update_source(s.id, next_fetch_at="2000-01-01T00:00:00+00:00")


async def alerts(store: Store, kind: str = "statement") -> list[dict]:
    return [dict(r) for r in (await store.run(lambda: list(store.db.query(
        "SELECT * FROM alerts WHERE kind = ? ORDER BY id", [kind]))))]


async def test_syndicated_copies_are_one_document_with_every_outlet(store, pipeline, server) -> None:
    t = NOW - timedelta(hours=2)
    serve(server, "/wire.xml", rss(("w1", "https://wire.example.com/a1", "Ministry: 91 drones downed", BODY, t)))
    edited = BODY.replace("defence ministry", "Russian defence ministry") + " (Reporting by Example Wire.)"
    for i in range(3):
        serve(server, f"/outlet{i}.xml", rss((f"o{i}", f"https://outlet{i}.example.net/world/story-{i}?utm_source=x",
                                              f"Outlet {i}: drones downed overnight", edited, t)))
    src = await store.add_source(server.url("/wire.xml"), quiet_first=False, label="Wire", created_by="config")
    stats = await pipeline.run_cycle()
    assert stats.documents == 1 and stats.alerts >= 1
    first_alerts = len(await alerts(store))
    for i in range(3):
        await store.add_source(server.url(f"/outlet{i}.xml"), quiet_first=False, label=f"Outlet {i}", created_by="config")
    stats = await pipeline.run_cycle()
    assert stats.copies == 3 and stats.documents == 0 and stats.alerts == 0
    assert len(await alerts(store)) == first_alerts  # copies never alert on their own
    doc_id = (await store.run(lambda: store.db.execute("SELECT id FROM documents").fetchone()))[0]
    assert await store.outlet_count(doc_id) == 4
    outlets = await store.outlets(doc_id)
    assert outlets[0].source_id == src.id and {o.label for o in outlets} == {"Wire", "Outlet 0", "Outlet 1", "Outlet 2"}
    assert all(o.similarity >= 0.6 for o in outlets)
    await due_all(store)
    again = await pipeline.run_cycle()
    assert again.copies == 0 and again.documents == 0 and await store.outlet_count(doc_id) == 4


async def test_edited_article_is_a_new_version_and_alerts_only_for_new_deciding_statements(store, pipeline, server) -> None:
    t = NOW - timedelta(hours=1)
    serve(server, "/f.xml", rss(("g1", "https://news.example.com/x#top", "Drones overnight", BODY, t)))
    await store.add_source(server.url("/f.xml"), quiet_first=False, created_by="config")
    await pipeline.run_cycle()
    before = len(await alerts(store))
    assert before >= 1
    extra = " Officials later said the number of drones shot down over Novgorod was 120, not 91."
    serve(server, "/f.xml", rss(("g1", "https://news.example.com/x?utm_campaign=y", "Drones overnight", BODY + extra, t)))
    await due_all(store)
    stats = await pipeline.run_cycle()
    rows = await store.run(lambda: list(store.db.query("SELECT version, story_id FROM documents ORDER BY id")))
    assert [r["version"] for r in rows] == [1, 2] and len({r["story_id"] for r in rows}) == 1
    new = (await alerts(store))[before:]
    # One alert for the edited article, led by its new statement (+ a ledger conflict alert).
    assert len(new) == 1 and stats.alerts >= 1
    assert "120" in json.loads(new[0]["payload"])["text"]


async def test_conditional_get_costs_one_304(store, pipeline, server) -> None:
    src = await store.add_source(server.url("/feeds/wire-service.xml"), quiet_first=False, created_by="config")
    first = await pipeline.run_cycle()
    await due_all(store)
    second = await pipeline.run_cycle()
    assert first.documents == 2 and second.not_modified == 1 and second.documents == 0
    stored = await store.get_source(src.id)
    assert stored.etag and stored.failures == 0 and stored.fetch_count == 2


async def test_failures_back_off_then_pause_with_one_moderator_alert(store, pipeline, server, chat) -> None:
    src = await store.add_source(server.url("/500"), label="Flaky", interval_s=60, created_by="config")
    delays = []
    for _ in range(5):
        await due_all(store)
        started = datetime.now(UTC)
        await pipeline.run_cycle()
        s = await store.get_source(src.id)
        delays.append((datetime.fromisoformat(s.next_fetch_at) - started).total_seconds())
    s = await store.get_source(src.id)
    assert s.state == "paused" and s.failures == 3 and s.last_error == "HTTP 500"
    assert 50 < delays[0] < 80 and 100 < delays[1] < 150  # doubling, with jitter
    paused = await alerts(store, "source_paused")
    assert len(paused) == 1 and "Flaky" in paused[0]["payload"] and "HTTP 500" in paused[0]["payload"]
    listing = (await chat("/source list")).text
    assert f"#{src.id} [paused] Flaky" in listing and "(3 failure(s) in a row); paused" in listing


async def test_source_list_shows_backoff(store, pipeline, server, chat) -> None:
    await store.add_source(server.url("/500"), label="Down", created_by="config")
    await pipeline.run_cycle()
    listing = (await chat("/source list")).text
    assert "[active] Down" in listing and "HTTP 500 (1 failure(s) in a row); backing off, next try 20" in listing


async def test_retry_after_is_honoured(store, pipeline, server) -> None:
    src = await store.add_source(server.url("/429"), created_by="config")
    await pipeline.run_cycle()
    s = await store.get_source(src.id)
    wait = (datetime.fromisoformat(s.next_fetch_at) - datetime.now(UTC)).total_seconds()
    assert s.last_error == "HTTP 429" and 115 <= wait <= 135


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/feeds/invalid.xml", "invalid XML"),
        ("/feeds/html-page.html", "an HTML page was served where a feed was expected"),
        ("/truncated", "connection closed early"),
        ("/bomb", "decompressed body larger"),
        ("/to-private", "refusing 10.0.0.1"),
        ("/feeds/empty.xml", "feed has no entries"),
    ],
)
async def test_malformed_input_is_recorded_and_the_loop_goes_on(store, pipeline, server, path, reason) -> None:
    bad = await store.add_source(server.url(path), created_by="config")
    good = await store.add_source(server.url("/feeds/government.rdf"), quiet_first=False, created_by="config")
    stats = await pipeline.run_cycle()
    assert (await store.get_source(bad.id)).last_error.startswith(reason)
    assert (await store.get_source(good.id)).last_error is None and stats.documents == 2


async def test_publisher_shaped_feeds_all_ingest(store, pipeline, server) -> None:
    names = ["wire-service.xml", "newspaper-section.xml", "google-news.xml", "mastodon.xml", "bluesky.xml",
             "youtube.atom", "government.rdf", "jsonfeed.json", "rss091.xml", "no-links.xml"]
    for name in names:
        await store.add_source(server.url(f"/feeds/{name}"), label=name, created_by="config")
    stats = await pipeline.run_cycle()
    assert stats.errors == 0 and stats.alerts == 0  # first fetch of each source is quiet
    assert stats.documents == 18
    urls = await store.run(lambda: [r[0] for r in store.db.execute("SELECT canonical_url FROM documents")])
    assert "https://daily.example.org/europe/2026/mar/02/drone-figures-analysis" in urls  # AMP removed
    assert not any("utm_" in u or "fbclid" in u or "#" in u for u in urls)
    assert (await store.get_source(10)).last_error == "2 entries without a link"


async def test_summary_only_entry_gets_the_article_text(store, pipeline, server) -> None:
    serve(server, "/summaries.xml", rss(("s1", server.url("/feeds/html-page.html"), "Port city", "Short summary.", NOW)))
    await store.add_source(server.url("/summaries.xml"), quiet_first=False, created_by="config")
    pipeline.fetcher.settings = FetchSettings(allow_networks=networks(["127.0.0.1/32"]), full_text_below=200)
    await pipeline.run_cycle()
    text = await store.run(lambda: store.db.execute("SELECT text FROM documents").fetchone()[0])
    assert "grain terminal" in text
    await due_all(store)
    await pipeline.run_cycle()  # the feed entry is unchanged: the article is not fetched again
    assert server.hits["/feeds/html-page.html"] == 1


async def test_old_items_never_alert_and_alerts_are_oldest_first(store, pipeline, server) -> None:
    old = NOW - timedelta(days=60)
    serve(server, "/mix.xml", rss(
        ("n2", "https://e.example/2", "Later", "Officials later said the number of drones shot down over Novgorod was 120, not 91.", NOW - timedelta(minutes=5)),
        ("n1", "https://e.example/1", "Earlier", "Western officials disputed that 91 drones were downed over Novgorod.", NOW - timedelta(hours=3)),
        ("n0", "https://e.example/0", "Ancient", BODY, old),
    ))
    await store.add_source(server.url("/mix.xml"), quiet_first=False, created_by="config")
    stats = await pipeline.run_cycle()
    assert stats.documents == 3
    sent = await store.pending_deliveries("console", "9999")
    assert [p.alert.content.doc_title for p in sent if isinstance(p.alert.content, StatementAlert)] == ["Earlier", "Later"]


async def test_folder_source_dedupes_like_a_feed(store, pipeline, tmp_path) -> None:
    (tmp_path / "note.txt").write_text("Wire flash\n" + BODY)
    (tmp_path / "feed.json").write_bytes((FIXTURES / "jsonfeed.json").read_bytes())
    await store.add_source(str(tmp_path), kind="folder", created_by="config")
    first = await pipeline.run_cycle()
    await due_all(store)
    second = await pipeline.run_cycle()
    assert first.documents == 3 and second.documents == 0


async def test_single_page_source_is_rechecked_for_changes(store, pipeline, server) -> None:
    page = (FIXTURES / "html-page.html").read_text()
    serve(server, "/page", page.encode(), "text/html")
    src = await store.add_source(server.url("/page"), kind="page", quiet_first=False, created_by="config")
    await pipeline.run_cycle()
    await due_all(store)
    unchanged = await pipeline.run_cycle()
    serve(server, "/page", page.replace("14 buildings", "19 buildings").encode(), "text/html")
    await due_all(store)
    changed = await pipeline.run_cycle()
    rows = await store.run(lambda: list(store.db.query("SELECT version, author, published_at, title FROM documents")))
    assert unchanged.documents == 0 and changed.documents == 1 and [r["version"] for r in rows] == [1, 2]
    assert rows[0]["author"] == "Maria Example" and rows[0]["published_at"].startswith("2026-03-02")
    assert rows[0]["title"] == "Port city counts the cost after night of strikes"
    assert (await store.get_source(src.id)).failures == 0


async def test_private_addresses_only_for_sources_that_were_given_them(store, lexical_judge, server) -> None:
    # The setting allows private addresses, but a chat-added source (allow_private=False) never gets it.
    client = make_client(resolver=fake_resolve)
    pipe = Pipeline(store, lexical_judge, client, PipelineOptions(fetch=FetchSettings(allow_private=True)))
    url = f"http://intranet.test:{server.port}/feeds/wire-service.xml"
    try:
        from_chat = await store.add_source(url, created_by="someone")
        from_config = await store.add_source(url + "?v=2", allow_private=True, created_by="config")
        await pipe.run_cycle()
    finally:
        await client.aclose()
    assert (await store.get_source(from_chat.id)).last_error.startswith("refusing intranet.test")
    assert (await store.get_source(from_config.id)).last_error is None


async def test_wrong_charset_over_http_is_read_with_a_note(store, pipeline, server) -> None:
    src = await store.add_source(server.url("/wrong-charset"), quiet_first=False, created_by="config")
    stats = await pipeline.run_cycle()
    title = await store.run(lambda: store.db.execute("SELECT title FROM documents").fetchone()[0])
    assert stats.documents == 1 and title == "Le ministère dément toute réunion secrète"
    assert (await store.get_source(src.id)).last_error.startswith("charset:")
