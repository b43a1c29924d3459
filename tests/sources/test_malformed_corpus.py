"""The malformed-feed corpus (tests/sources/corpus.py) through parse and extract, then through the whole
pipeline over HTTP and from a folder: 0 tracebacks, 0 hangs, a one-line note for whatever is refused."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest
from aiohttp import web

from bot.extract import extract
from bot.judging import JudgeService
from bot.pipeline import Pipeline, PipelineOptions
from bot.sources.feeds import FeedError, read_feed
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from bot.sources.items import bound_item
from bot.sources.ssrf import networks
from storage import Store
from tests.sources.conftest import fake_resolve
from tests.sources.corpus import cases
from tests.sources.server import FaultServer

CASES = cases()
# Generous: a case takes milliseconds to a second or two; a hang is what this is here to catch.
PER_CASE_S = 30.0


@pytest.mark.parametrize(("name", "body", "ctype"), CASES, ids=[c[0] for c in CASES])
def test_parse_and_extract_give_items_or_one_line(name: str, body: bytes, ctype: str) -> None:
    started = time.monotonic()
    try:
        items, warnings = read_feed(body, ctype)
    except FeedError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for it in items:
        bound_item(it)
        result = extract(it.title, it.text)
        assert all(s.text for s in result.statements)
    assert all("\n" not in w for w in warnings)
    assert time.monotonic() - started < PER_CASE_S


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.exc_info and r.levelno >= logging.INFO]


async def run_pipeline(store: Store, judge: JudgeService) -> None:
    client = make_client(connect_s=5, read_s=30, resolver=fake_resolve)
    fetch = FetchSettings(allow_networks=networks(["127.0.0.1/32"]))
    pipe = Pipeline(store, judge, client, PipelineOptions(max_item_age_s=10**9, fetch=fetch))
    try:
        async with asyncio.timeout(PER_CASE_S * 4):
            stats = await pipe.run_cycle()
    finally:
        await client.aclose()
    assert stats.sources == len(await store.list_sources())
    assert stats.bad_items == 0 and not (stats.errors and stats.documents == 0)


async def check_sources(store: Store) -> None:
    for src in await store.list_sources():
        assert src.state == "active", src.url
        assert not (src.last_error or "").startswith("internal error"), (src.url, src.last_error)
        assert "\n" not in (src.last_error or "")
    texts = await store.run(lambda: [r[0] + r[1] for r in store.db.execute("SELECT title, text FROM documents")])
    assert not any("root:" in t for t in texts)  # the external entity was never read


async def test_corpus_over_http(store: Store, lexical_judge: JudgeService, server: FaultServer,
                                caplog: pytest.LogCaptureFixture) -> None:
    def route(body: bytes, ctype: str):  # noqa: ANN202
        async def handler(req: web.Request) -> web.Response:
            return web.Response(body=body, headers={"Content-Type": ctype})
        return handler

    for name, body, ctype in CASES:
        server.routes[f"/corpus/{name}"] = route(body, ctype)
        await store.add_source(server.url(f"/corpus/{name}"), quiet_first=False, created_by="config")
    caplog.set_level(logging.INFO)
    await run_pipeline(store, lexical_judge)
    assert no_tracebacks(caplog) == []
    await check_sources(store)
    good = await store.run(lambda: store.db.execute("SELECT count(*) FROM documents").fetchone()[0])
    assert good > 20  # most cases still carry readable entries, and those are kept


async def test_corpus_from_a_folder(store: Store, lexical_judge: JudgeService, tmp_path: Path,
                                    caplog: pytest.LogCaptureFixture) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    for name, body, ctype in CASES:
        (drop / (name + (".json" if "json" in ctype else ".xml"))).write_bytes(body)
    src = await store.add_source(str(drop), kind="folder", quiet_first=False, created_by="config")
    caplog.set_level(logging.INFO)
    await run_pipeline(store, lexical_judge)
    assert no_tracebacks(caplog) == []
    await check_sources(store)
    after = await store.get_source(src.id)
    assert after is not None and after.failures == 0 and after.last_error  # bad files are noted, not fatal
