"""Composition root: build the store, judge, pipeline, outbox and platforms, then run them together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass

import httpx

from bot.alerts import Outbox
from bot.config import ConfigError, FileConfig, Settings
from bot.durations import parse_duration
from bot.judging import JudgeService
from bot.leases import GATEWAY_LEASE_S, serve_while_holding
from bot.pipeline import Pipeline, PipelineOptions
from bot.platform import Platform
from bot.seed import moderator_channels, moderators_from, seed
from bot.sources.settings import fetch_settings, http_client
from handlers import Dispatcher, Services
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

    async def close(self) -> None:
        """Release connections and threads."""
        await self.http.aclose()
        self.judge.close()
        # A clean stop hands its sources back at once instead of letting the leases expire.
        owner = self.pipeline.options.owner
        await self.store.release_sources(owner)
        for name in self.platforms:
            await self.store.drop_lease(f"outbox:{name}", owner)
        await self.store.close()


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


async def build_app(settings: Settings, config: FileConfig, platforms: dict[str, Platform] | None = None) -> App:
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
    target = store.target
    # The claim-embedding cache lives beside an SQLite file; processes on PostgreSQL rebuild it.
    cache = (None if target.path is None or target.in_memory
             else target.path.with_name(target.path.stem + "-judge-cache.npz"))
    judge = await JudgeService.load(settings.model_dir, cache)
    client = http_client(config.bot, settings.contact or config.bot.contact)
    platforms = platforms if platforms is not None else build_platforms(settings, config, store)
    outbox = Outbox(store, platforms, lease_s=parse_duration(config.bot.lease))
    options = PipelineOptions(
        tick_s=parse_duration(config.bot.tick),
        max_item_age_s=parse_duration(config.bot.max_item_age),
        allow_private=settings.allow_private_addresses or config.bot.allow_private_addresses,
        moderator_channels=moderator_channels(config),
        pause_after_failures=config.bot.pause_after_failures,
        max_backoff_s=parse_duration(config.bot.max_backoff),
        concurrency=config.bot.global_concurrency,
        lease_s=parse_duration(config.bot.lease),
        fetch=fetch_settings(
            config.bot, settings.allow_private_addresses or config.bot.allow_private_addresses),
    )
    pipeline = Pipeline(store, judge, client, options, on_alert=outbox.wake.set)
    services = Services(
        store=store, judge=judge, moderators=moderators_from(config), http=client,
        default_interval_s=parse_duration(config.bot.default_interval),
        on_change=[outbox.wake.set],
    )
    return App(settings, config, store, judge, client, pipeline, outbox, Dispatcher(services), platforms)


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
    with contextlib.suppress(NotImplementedError, RuntimeError):
        # SIGTERM (systemd, docker stop) stops as cleanly as /quit.
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(serve(n, p), name=f"serve-{n}") for n, p in app.platforms.items()]
            tasks.append(tg.create_task(app.pipeline.run_forever(), name="pipeline"))
            tasks.append(tg.create_task(app.outbox.run(), name="outbox"))
            # Claims edited through another process reach this one's judge within about a second.
            tasks.append(tg.create_task(app.judge.follow_claims(app.store), name="claims"))
            await stop.wait()
            # Deliver what is already due before leaving, then stop everything.
            for name in app.platforms:
                await app.outbox.deliver_once(name)
            for task in tasks:
                task.cancel()
    finally:
        await app.close()
