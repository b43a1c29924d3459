"""One bad entry never pauses its feed: odd links and odd JSON Feed values are read or skipped with a note."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web

import bot.pipeline
from bot.judging import JudgeService
from bot.pipeline import Pipeline, PipelineOptions
from bot.sources.canonical import canonical_url, clean_link
from bot.sources.feeds import FeedError, read_feed
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from bot.sources.ssrf import networks
from storage import Store
from tests.sources.conftest import fake_resolve
from tests.sources.server import FaultServer
from tests.sources.test_pipeline_ingest import rss, serve

WHEN = datetime.now(UTC) - timedelta(hours=3)
BODY = ("The harbour authority said the new ferry timetable starts next week and adds two evening "
        "crossings, a spokesperson told the council on Tuesday.")


@pytest.mark.parametrize(
    ("link", "kept"),
    [
        ("http://port.example:99999/a", ""),  # port out of range
        ("http://[::1/a", ""),  # unclosed IPv6 bracket
        ("http://[not-ipv6]/a", ""),  # brackets around something that is no address
        ("  https://ok.example/a  ", "https://ok.example/a"),
        ("https://[2001:db8::1]:8443/a", "https://[2001:db8::1]:8443/a"),
        ("", ""),
    ],
)
def test_clean_link(link: str, kept: str) -> None:
    assert clean_link(link) == kept
    if kept:
        canonical_url(kept)  # whatever clean_link keeps, canonical_url can read


def json_feed(*items: Any) -> bytes:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": list(items)}).encode()


GOOD = {"id": "g", "url": "https://desk.example/good", "title": "Good", "content_text": BODY}


@pytest.mark.parametrize(
    ("item", "check"),
    [
        ({"id": "a", "content_text": BODY, "authors": ["Bob"]}, lambda it: it.author == "Bob"),
        ({"id": "a", "content_text": BODY, "author": "Bob"}, lambda it: it.author == "Bob"),
        ({"id": "a", "content_text": BODY, "author": {"name": "Ann"}}, lambda it: it.author == "Ann"),
        ({"id": "a", "content_text": BODY, "authors": [None, {"name": 5}, {"name": "Cy"}]},
         lambda it: it.author == "Cy"),
        ({"id": "a", "content_text": BODY, "authors": "Bob"}, lambda it: it.author is None),
        ({"id": "a", "content_text": BODY, "date_published": 1767225600}, lambda it: it.published_at is None),
        ({"id": "a", "content_html": {"div": "x"}, "summary": "A short summary of the story."},
         lambda it: it.text == "A short summary of the story."),
        ({"id": "a", "content_text": ["not", "text"]}, lambda it: it.text == ""),
        ({"id": 7, "title": 3, "content_text": BODY}, lambda it: it.guid == "7" and it.title == ""),
        ({"id": True, "url": "http://x.example:70000/", "content_text": BODY},
         lambda it: it.guid is None and it.url == ""),
        ({"id": {"a": 1}, "url": ["https://x.example/"], "content_text": BODY}, lambda it: it.guid is None),
    ],
)
def test_odd_json_feed_values_are_read_not_raised(item: dict[str, Any], check: Any) -> None:
    items, warnings = read_feed(json_feed(item, GOOD), "application/feed+json")
    assert len(items) == 2 and check(items[0]) and items[1].title == "Good"


def test_non_object_items_are_skipped_with_a_note() -> None:
    items, warnings = read_feed(json_feed("just a string", 5, None, GOOD), "application/feed+json")
    assert [it.title for it in items] == ["Good"]
    assert warnings == ["3 items that are not JSON objects skipped"]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "invalid JSON: nested too deeply"),
        (b'{"items": {"a": 1}}', "JSON is not a JSON Feed"),
        (b'{"items": [', "invalid JSON"),
    ],
)
def test_unreadable_json_is_one_line(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as err:
        read_feed(body, "application/json")
    assert str(err.value).startswith(reason) and "\n" not in str(err.value)


@pytest.fixture
async def pipeline(store: Store, lexical_judge: JudgeService) -> AsyncIterator[Pipeline]:
    client = make_client(connect_s=2, read_s=2, resolver=fake_resolve)
    opts = PipelineOptions(max_item_age_s=30 * 86400, pause_after_failures=1,
                           fetch=FetchSettings(allow_networks=networks(["127.0.0.1/32"])))
    yield Pipeline(store, lexical_judge, client, opts)
    await client.aclose()


async def stored_titles(store: Store) -> list[str]:
    return await store.run(lambda: [r[0] for r in store.db.execute("SELECT title FROM documents ORDER BY id")])


async def test_bad_links_keep_the_feed_going(store: Store, pipeline: Pipeline, server: FaultServer) -> None:
    serve(server, "/odd.xml", rss(
        ("p1", "http://port.example:99999/story", "Odd port story", BODY, WHEN),
        ("p2", "http://[::1/story", "Odd IPv6 story", BODY.replace("ferry", "bus"), WHEN),
        ("p3", "https://desk.example/fine", "Fine story", BODY.replace("ferry", "tram"), WHEN),
    ))
    src = await store.add_source(server.url("/odd.xml"), quiet_first=False, created_by="config")
    stats = await pipeline.run_cycle()
    after = await store.get_source(src.id)
    assert stats.errors == 0 and after.state == "active" and after.failures == 0
    assert sorted(await stored_titles(store)) == ["Fine story", "Odd IPv6 story", "Odd port story"]
    assert after.last_error == "2 entries without a link"


async def test_odd_json_feed_over_http_is_stored(store: Store, pipeline: Pipeline, server: FaultServer) -> None:
    body = json_feed(
        {"id": "1", "title": "Authors as strings", "content_text": BODY, "authors": ["Bob"]},
        {"id": "2", "title": "Numeric date", "content_text": BODY.replace("ferry", "bus"), "date_published": 17},
        {"id": "3", "title": "Object as HTML", "content_html": {"p": 1}, "summary": BODY.replace("ferry", "tram")},
        GOOD,
    )
    serve(server, "/odd.json", body, "application/feed+json")
    src = await store.add_source(server.url("/odd.json"), quiet_first=False, created_by="config")
    stats = await pipeline.run_cycle()
    assert stats.errors == 0 and stats.documents == 4 and (await store.get_source(src.id)).state == "active"


async def test_an_entry_that_fails_is_skipped_with_a_note(
    store: Store, pipeline: Pipeline, server: FaultServer, monkeypatch: pytest.MonkeyPatch, caplog: Any,
) -> None:
    # Whatever an entry trips over inside the pipeline, the entries after it are still stored.
    real = bot.pipeline.canonical_url

    def fragile(url: str) -> str:
        if "broken" in url:
            raise ValueError("Port out of range 0-65535")
        return real(url)

    monkeypatch.setattr(bot.pipeline, "canonical_url", fragile)
    body = rss(
        ("b1", "https://desk.example/broken", "Broken story", BODY, WHEN - timedelta(minutes=5)),
        ("b2", "https://desk.example/fine", "Fine story", BODY.replace("ferry", "tram"), WHEN),
    )

    async def with_etag(req: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": '"v1"'})

    server.routes["/mixed.xml"] = with_etag
    src = await store.add_source(server.url("/mixed.xml"), quiet_first=False, created_by="config")
    stats = await pipeline.run_cycle()
    after = await store.get_source(src.id)
    assert await stored_titles(store) == ["Fine story"]
    assert stats.bad_items == 1 and stats.errors == 0 and after.state == "active" and after.failures == 0
    assert after.last_error == ("entry 'https://desk.example/broken' skipped "
                                "(ValueError: Port out of range 0-65535)")
    assert after.etag is None  # read in full next time, so the skipped entry is tried again
    assert not [r for r in caplog.records if r.exc_info and r.levelname != "DEBUG"]
    assert any("skipped (ValueError" in r.getMessage() for r in caplog.records if r.levelname == "WARNING")
