"""allowed_networks opens intranet ranges to config-file sources only: a /source add URL that redirects or
DNS-rebinds into a listed range never reaches it (a canary server there counts every request)."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp import web

from bot.judging import JudgeService
from bot.models import Source
from bot.pipeline import Pipeline, PipelineOptions
from bot.sources import ssrf
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from bot.sources.ssrf import networks
from storage import Store

FEED = (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Intranet</title><item><guid>1</guid>"
        b"<title>Internal memo</title><link>https://intranet.example/memo</link>"
        b"<description>The internal memo says the budget review moves to Thursday afternoon.</description>"
        b"</item></channel></rss>")
# 127.0.0.2 stands in for the public internet (the tests have no other network): it is where the
# attacker's redirecting server runs. The canary on 127.0.0.1 is the intranet range the operator listed.
PUBLIC = ipaddress.ip_address("127.0.0.2")


class Servers:
    """A canary feed on 127.0.0.1 and a redirector on 127.0.0.2 that sends every request to it."""

    def __init__(self) -> None:
        self.canary_hits = 0
        self.runners: list[web.AppRunner] = []
        self.canary_port = self.public_port = 0

    async def _start(self, host: str, handler: Callable) -> int:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", handler)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.2)
        await runner.setup()
        site = web.TCPSite(runner, host, 0)
        await site.start()
        self.runners.append(runner)
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def start(self) -> None:
        async def canary(req: web.Request) -> web.Response:
            self.canary_hits += 1
            return web.Response(body=FEED, content_type="application/rss+xml")

        async def redirector(req: web.Request) -> web.Response:
            return web.Response(status=302, headers={"Location": self.canary_url})

        self.canary_port = await self._start("127.0.0.1", canary)
        self.public_port = await self._start("127.0.0.2", redirector)

    @property
    def canary_url(self) -> str:
        return f"http://intranet.test:{self.canary_port}/feed.xml"

    async def stop(self) -> None:
        for runner in self.runners:
            await runner.cleanup()


@pytest.fixture
async def servers(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Servers]:
    real = ssrf.is_public
    monkeypatch.setattr(ssrf, "is_public", lambda ip: ssrf._plain(ip) == PUBLIC or real(ip))
    s = Servers()
    await s.start()
    yield s
    await s.stop()


class Resolver:
    """public.test is 127.0.0.2; rebind.test answers 127.0.0.2 once, then the intranet address."""

    def __init__(self) -> None:
        self.rebind_answers = 0

    async def __call__(self, host: str, port: int) -> list[str]:
        if host == "intranet.test":
            return ["127.0.0.1"]
        if host == "public.test":
            return ["127.0.0.2"]
        if host == "rebind.test":
            self.rebind_answers += 1
            return ["127.0.0.2"] if self.rebind_answers == 1 else ["127.0.0.1"]
        raise ssrf.UnsafeURLError(f"cannot resolve host {host!r}")


@pytest.fixture
async def pipeline(store: Store, lexical_judge: JudgeService) -> AsyncIterator[tuple[Pipeline, Resolver]]:
    resolver = Resolver()
    client = make_client(connect_s=2, read_s=2, resolver=resolver)
    fetch = FetchSettings(allow_networks=networks(["127.0.0.1/32"]))  # the operator's intranet range
    yield Pipeline(store, lexical_judge, client, PipelineOptions(fetch=fetch)), resolver
    await client.aclose()


async def fetch_once(store: Store, pipe: Pipeline, url: str, created_by: str) -> Source:
    src = await store.add_source(url, created_by=created_by)
    await pipe.run_cycle()
    after = await store.get_source(src.id)
    assert after is not None
    return after


async def test_config_source_reaches_the_listed_range(store, pipeline, servers) -> None:
    after = await fetch_once(store, pipeline[0], servers.canary_url, "config")
    assert after.last_error is None and servers.canary_hits == 1


@pytest.mark.parametrize("who", ["slack:U123", "discord:42", "console:mod", ""])
async def test_chat_source_pointing_into_the_range_is_refused(store, pipeline, servers, who) -> None:
    after = await fetch_once(store, pipeline[0], servers.canary_url, who)
    assert after.last_error.startswith("refusing intranet.test") and servers.canary_hits == 0


async def test_chat_source_redirecting_into_the_range_is_refused(store, pipeline, servers) -> None:
    url = f"http://public.test:{servers.public_port}/feed.xml"
    after = await fetch_once(store, pipeline[0], url, "slack:U123")
    assert after.last_error.startswith("refusing intranet.test") and servers.canary_hits == 0
    # The same redirect from a config source is the operator's own choice, and is followed.
    config = await fetch_once(store, pipeline[0], url + "?config", "config")
    assert config.last_error is None and servers.canary_hits == 1


async def test_chat_source_rebinding_into_the_range_is_refused(store, pipeline, servers) -> None:
    pipe, resolver = pipeline
    after = await fetch_once(store, pipe, f"http://rebind.test:{servers.canary_port}/feed.xml", "slack:U123")
    # The check saw the "public" answer; the connection's own lookup got the intranet one and refused it.
    assert resolver.rebind_answers >= 2
    assert after.last_error.startswith("refusing rebind.test") and servers.canary_hits == 0
