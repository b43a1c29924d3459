"""The health listener: /healthz (alive), /readyz (dependencies), /metrics (Prometheus) on aiohttp."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from bot.config import ConfigError
from bot.judging import JudgeService
from bot.ops import metrics
from bot.platform import Platform
from storage import Store
from storage.health import ops_snapshot, ping

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0  # a database that takes longer than this to answer SELECT is not ready
READY_STATES = ("connected", "retrying")  # retrying: alerts wait in the outbox, nothing is lost


async def platform_state(platform: Platform) -> str:
    """connected, retrying, starting or stopped; a platform without a state() (the console) is connected."""
    state = getattr(platform, "state", None)
    if state is None:
        return "connected"
    try:
        return str(await asyncio.wait_for(state(), PROBE_TIMEOUT_S))
    except Exception as exc:  # a probe must answer, whatever the adapter does
        return f"unknown ({type(exc).__name__})"


@dataclass(slots=True)
class Readiness:
    """The outcome of one /readyz probe."""

    ready: bool
    lines: list[str]


class Health:
    """The three routes, over the running bot's store, judge and platforms."""

    def __init__(self, store: Store, judge: JudgeService, platforms: Mapping[str, Platform]) -> None:
        self.store = store
        self.judge = judge
        self.platforms = platforms
        self.port: int | None = None  # the bound port once serve_health listens

    def routes(self) -> list[web.RouteDef]:
        """Routes to mount on this listener or on Slack's HTTP-mode server."""
        return [web.get("/healthz", self.healthz), web.get("/readyz", self.readyz),
                web.get("/metrics", self.metrics)]

    async def healthz(self, request: web.Request) -> web.Response:
        """The process is alive and its event loop answers."""
        return web.Response(text="ok\n")

    async def readiness(self) -> Readiness:
        """Database reachable, judge loaded, every platform connected or retrying."""
        lines, ready = [], True
        try:
            await asyncio.wait_for(self.store.run(lambda: ping(self.store.db)), PROBE_TIMEOUT_S)
            lines.append("database: ok")
        except Exception as exc:
            ready = False
            lines.append(f"database: unreachable ({type(exc).__name__}: {exc})"[:200])
        judge = getattr(self.judge, "judge", None)
        if judge is None:
            ready = False
            lines.append("judge: not loaded")
        else:
            kind = "shipped model" if getattr(judge, "encoder", None) is not None else "lexical, no model files"
            lines.append(f"judge: loaded ({kind})")
        for name, platform in self.platforms.items():
            state = await platform_state(platform)
            metrics.PLATFORM_UP.labels(name).set(1 if state == "connected" else 0)
            ready = ready and state in READY_STATES
            lines.append(f"{name}: {state}")
        return Readiness(ready, lines)

    async def readyz(self, request: web.Request) -> web.Response:
        """200 with one line per check when ready; 503 with the same lines otherwise."""
        result = await self.readiness()
        head = "ready" if result.ready else "not ready"
        return web.Response(status=200 if result.ready else 503, text="\n".join([head, *result.lines]) + "\n")

    async def metrics(self, request: web.Request) -> web.Response:
        """Counters as they stand, gauges read from the store now."""
        try:
            snap = await asyncio.wait_for(
                self.store.run(lambda: ops_snapshot(self.store.db, datetime.now(UTC))), PROBE_TIMEOUT_S)
        except Exception as exc:  # still serve the counters; the gauges keep their last values
            log.warning("metrics: store snapshot failed: %s", type(exc).__name__)
        else:
            for name in self.platforms:
                for status in ("pending", "held"):
                    metrics.OUTBOX_DEPTH.labels(name, status).set(snap.outbox.get((name, status), 0))
                metrics.OLDEST_PENDING.labels(name).set(snap.oldest_pending_s.get(name, 0.0))
            for state, n in snap.sources.items():
                metrics.SOURCES.labels(state).set(n)
        for name, platform in self.platforms.items():
            metrics.PLATFORM_UP.labels(name).set(1 if await platform_state(platform) == "connected" else 0)
        # prometheus-client's own content type (text format 0.0.4) is what scrapers expect.
        return web.Response(body=metrics.exposition(),
                            headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})


async def serve_health(health: Health, host: str, port: int, started: asyncio.Event | None = None) -> None:
    """Listen on host:port until cancelled; `started` is set once the port is bound."""
    app = web.Application()
    app.add_routes(health.routes())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            raise ConfigError(f"setting CLAIMWATCH_HTTP_PORT: cannot listen on {host}:{port}: "
                              f"{exc.strerror or exc}") from None
        bound = runner.addresses[0][1] if runner.addresses else port
        health.port = bound
        log.info("health: listening on http://%s:%s (/healthz, /readyz, /metrics)", host, bound)
        if started is not None:
            started.set()
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
