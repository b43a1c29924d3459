"""Composition root: build the store, judge, pipeline, outbox and platforms, then run them together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.alerts import Outbox
from bot.config import ConfigError, FileConfig, Settings
from bot.judging import JudgeService
from bot.leases import GATEWAY_LEASE_S, serve_while_holding
from bot.ops.health import Health, serve_health
from bot.ops.retention import run_retention
from bot.pipeline import Pipeline, PipelineOptions
from bot.platform import Platform
from bot.reload import reload_config
from bot.runtime import effective
from bot.seed import config_sources, moderator_channels, seed
from bot.sources.settings import http_client
from handlers import Dispatcher, Services
from handlers.context import moderators_from
from storage import Store, StoreUnavailable

log = logging.getLogger(__name__)


@dataclass(slots=True)
class App:
    """Everything the running bot holds."""

    settings: Settings
    config: FileConfig
    store: Store
    judge: JudgeService
    http: httpx.AsyncClient
    pipeline: Pipeline
    outbox: Outbox
    dispatcher: Dispatcher
    platforms: dict[str, Platform]
    health: Health
    config_path: Path | None = None  # the TOML file SIGHUP reads again

    async def close(self) -> None:
        """Release connections and threads."""
        await self.http.aclose()
        self.judge.close()
        # A clean stop hands its sources back at once instead of letting the leases expire.
        owner = self.pipeline.options.owner
        await self.store.release_sources(owner)
        for name in self.platforms:
            await self.store.drop_lease(f"outbox:{name}", owner)
        await self.store.close()  # also drops the SQLite file's lock (storage/lock.py)

    async def reload(self) -> None:
        """Apply the TOML file again (SIGHUP); a bad file is refused in one line and nothing changes."""
        if self.config_path is None:
            log.warning("reload: no config file to read (the bot was started from an in-memory config)")
            return
        try:
            result, self.config = await reload_config(
                self.config_path, self.config, self.store, self.settings, self.dispatcher.services,
                self.pipeline.options.moderator_channels)
        except Exception:
            log.exception("reload of %s failed", self.config_path)
            return
        (log.info if result.ok else log.error)("%s: %s", self.config_path, result.summary())
        self.outbox.wake.set()


def build_platforms(settings: Settings, config: FileConfig, store: Store) -> dict[str, Platform]:
    """Slack and Discord when their tokens are set; the console otherwise (or when asked)."""
    platforms: dict[str, Platform] = {}
    if settings.slack_bot_token is not None:
        from bot.adapters.slack_adapter import create as create_slack

        platforms["slack"] = create_slack(settings, config, store)
    if settings.discord_token is not None:
        from bot.adapters.discord_adapter import create as create_discord

        platforms["discord"] = create_discord(settings, config, store)
    if settings.console or (settings.console is None and not platforms):
        from bot.adapters.console_adapter import ConsoleAdapter

        platforms["console"] = ConsoleAdapter()
    return platforms


async def build_app(settings: Settings, config: FileConfig, platforms: dict[str, Platform] | None = None,
                    config_path: Path | None = None) -> App:
    """Open the store (migrating), seed it from the config, load the judge, wire the services."""
    store = Store(settings.db_path, exclusive=True)
    try:
        applied = await store.open()
    except StoreUnavailable as exc:
        await store.close()
        raise ConfigError(str(exc)) from None
    if applied:
        log.info("database %s migrated to version %s", store.path, applied[-1])
    async with store.one_at_a_time(SEED_LOCK):  # processes starting together seed once
        await seed(store, config, settings)
    run = effective(settings, config)
    target = store.target
    # The claim-embedding cache lives beside an SQLite file; processes on PostgreSQL rebuild it.
    cache = (None if target.path is None or target.in_memory
             else target.path.with_name(target.path.stem + "-judge-cache.npz"))
    judge = await JudgeService.load(settings.model_dir, cache)
    client = http_client(config.bot, run.contact)
    platforms = platforms if platforms is not None else build_platforms(settings, config, store)
    outbox = Outbox(store, platforms, lease_s=run.lease_s)
    options = PipelineOptions(
        tick_s=run.tick_s,
        max_item_age_s=run.max_item_age_s,
        moderator_channels=moderator_channels(config),
        pause_after_failures=config.bot.pause_after_failures,
        max_backoff_s=run.max_backoff_s,
        concurrency=config.bot.global_concurrency,
        lease_s=run.lease_s,
        fetch=run.fetch,
    )
    pipeline = Pipeline(store, judge, client, options, on_alert=outbox.wake.set)
    services = Services(
        store=store, judge=judge, moderators=moderators_from(config), http=client,
        default_interval_s=run.default_interval_s,
        on_change=[outbox.wake.set], config_sources=config_sources(config, settings),
    )
    health = Health(store, judge, platforms)
    return App(settings, config, store, judge, client, pipeline, outbox, Dispatcher(services), platforms,
               health, config_path)


def _health_task(app: App) -> Coroutine[Any, Any, None] | None:
    """The health listener's coroutine, unless Slack's HTTP-mode server already serves its routes there."""
    port = app.settings.http_port
    slack = app.platforms.get("slack")
    if slack is not None and getattr(slack, "mode", None) == "http":
        slack.extra_routes = app.health.routes()  # type: ignore[attr-defined]
        if port is None or port == (app.settings.slack_http_port or 3000):
            return None
    if port is None:
        return None
    return serve_health(app.health, app.settings.http_host, port)


SEED_LOCK = 0x636C_6D03
# Discord allows one gateway session per bot (unsharded): one process holds it through a lease.
# Slack Socket Mode takes several connections and spreads events, so every process connects.
SINGLE_SESSION = {"discord"}


async def run_app(app: App) -> None:
    """Serve every platform, poll sources and deliver alerts until a platform asks to stop."""
    stop = asyncio.Event()

    owner = app.pipeline.options.owner
    log.info("process %s on database %s", owner, app.store.path)
    gateways = {name: asyncio.Event() for name in app.platforms if name in SINGLE_SESSION}
    # Only the process holding a single-session platform's gateway is logged in to send on it.
    app.outbox.active = lambda name: name not in gateways or gateways[name].is_set()

    async def serve(name: str, platform: Platform) -> None:
        if name in gateways:
            await serve_while_holding(app.store, f"gateway:{name}", owner,
                                      lambda: platform.serve(app.dispatcher), gateways[name],
                                      lease_s=min(GATEWAY_LEASE_S, app.outbox.lease_s))
        else:
            await platform.serve(app.dispatcher)
        stop.set()  # a platform that returns (console /quit) ends the bot

    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as tg:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                # SIGTERM (systemd, docker stop) stops as cleanly as /quit; SIGHUP reloads the TOML file.
                loop.add_signal_handler(signal.SIGTERM, stop.set)
                loop.add_signal_handler(signal.SIGHUP, lambda: tg.create_task(app.reload(), name="reload"))
            tasks = [tg.create_task(serve(n, p), name=f"serve-{n}") for n, p in app.platforms.items()]
            tasks.append(tg.create_task(app.pipeline.run_forever(), name="pipeline"))
            tasks.append(tg.create_task(app.outbox.run(), name="outbox"))
            # Claims edited through another process reach this one's judge within about a second.
            tasks.append(tg.create_task(app.judge.follow_claims(app.store), name="claims"))
            tasks.append(tg.create_task(run_retention(app.store, lambda: app.config.retention), name="retention"))
            health = _health_task(app)
            if health is not None:
                tasks.append(tg.create_task(health, name="health"))
            await stop.wait()
            # Deliver what is already due before leaving, then stop everything.
            for name in app.platforms:
                await app.outbox.deliver_once(name)
            for task in tasks:
                task.cancel()
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGHUP)
        await app.close()
