"""A cycle that takes longer than the shortest interval of the sources it fetched is logged as a warning."""

from __future__ import annotations

import logging

import pytest

from bot.judging import JudgeService
from bot.pipeline import Pipeline, PipelineOptions
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from bot.sources.ssrf import networks
from storage import Store
from tests.sources.server import FaultServer


@pytest.mark.parametrize(("intervals", "warned"), [((0, 3600), True), ((3600, 7200), False)])
async def test_overrun_is_warned(store: Store, lexical_judge: JudgeService, server: FaultServer,
                                 caplog: pytest.LogCaptureFixture, intervals: tuple[int, int], warned: bool) -> None:
    # An interval of 0 s is overrun by any cycle at all; one of an hour by none of these.
    ids = [(await store.add_source(server.url(f"/feeds/{name}"), interval_s=every, created_by="config")).id
           for name, every in zip(("wire-service.xml", "government.rdf"), intervals, strict=True)]
    client = make_client()
    pipe = Pipeline(store, lexical_judge, client, PipelineOptions(
        fetch=FetchSettings(allow_networks=networks(["127.0.0.1/32"]))))
    caplog.set_level(logging.WARNING, logger="bot.pipeline")
    try:
        stats = await pipe.run_cycle()
    finally:
        await client.aclose()
    assert stats.sources == 2 and stats.errors == 0
    overruns = [r.getMessage() for r in caplog.records if "longer than the shortest interval" in r.getMessage()]
    if warned:
        assert len(overruns) == 1
        assert f"for 2 sources, longer than the shortest interval (0 s, source #{ids[0]})" in overruns[0]
    else:
        assert overruns == []
