"""Fixtures: a fake Discord on 127.0.0.1 and the real adapter, Dispatcher, Store and judge wired to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord_adapter import DiscordPlatform, create
from bot.config import FileConfig, ModeratorsSection, Settings
from bot.judge import load_judge
from bot.judging import JudgeService
from handlers import Dispatcher, Services
from handlers.context import moderators_from
from storage import Store
from tests.discord.fake_discord import GUILD_ID, MOD_ROLE_ID, TOKEN, FakeDiscord

WAIT_S = 15.0


@dataclass
class Rig:
    """Everything one test drives."""

    fake: FakeDiscord
    platform: DiscordPlatform
    store: Store
    judge: JudgeService
    dispatcher: Dispatcher
    task: asyncio.Task[None]

    async def slash(self, name: str, sub: str, roles: list[int] | None = None, **options: Any) -> dict[str, Any]:
        """Run `/name sub option=value ...` as a user; returns the answer the bot gave."""
        opts = [{"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in options.items()]
        iid, token = await self.fake.interaction(2, name, sub, opts, roles=roles)
        first = await self.fake.callback(iid, WAIT_S)
        if first["type"] == 5:  # deferred: the answer comes as a follow-up
            answer = await self.fake.followup(token, WAIT_S)
            return {"deferred": True, "content": answer["content"], "flags": first["data"].get("flags", 0),
                    "payload": answer}
        return {"deferred": False, "content": first["data"]["content"], "flags": first["data"].get("flags", 0),
                "payload": first["data"]}

    async def autocomplete(self, name: str, sub: str, option: str, typed: str) -> list[dict[str, Any]]:
        """Ask for autocomplete choices while typing `typed` into `option`."""
        opts = [{"name": option, "type": 3, "value": typed, "focused": True}]
        iid, _ = await self.fake.interaction(4, name, sub, opts)
        body = await self.fake.callback(iid, WAIT_S)
        assert body["type"] == 8
        return body["data"]["choices"]


def settings_for(fake: FakeDiscord, tmp_path: Path, **extra: Any) -> Settings:
    """Settings pointing the real discord.py at the fake."""
    values = {
        "DISCORD_TOKEN": TOKEN, "CLAIMWATCH_DISCORD_API_URL": fake.api_url,
        "CLAIMWATCH_DISCORD_GATEWAY_URL": fake.gateway_url, "CLAIMWATCH_DISCORD_GUILD_ID": GUILD_ID,
        "CLAIMWATCH_DB": tmp_path / "claimwatch.db",
    }
    values.update(extra)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    yield server
    await server.close()


async def until_connected(platform: DiscordPlatform, fake: FakeDiscord, task: asyncio.Task[None]) -> None:
    """Wait until the bot logged in and holds a live gateway session (or fail with serve's error).

    The fake's own flag is used rather than on_ready, which discord.py holds back for its
    2-second guild_ready_timeout: interactions are handled as soon as the session is live.
    """
    async with asyncio.timeout(WAIT_S):
        while not (platform.logged_in.is_set() and fake.connected.is_set()):
            if task.done():
                task.result()
            await asyncio.sleep(0.02)


async def start_rig(fake: FakeDiscord, settings: Settings) -> Rig:
    """Open a store, build the dispatcher and the adapter, and serve until READY."""
    store = Store(settings.db_path)
    await store.open()
    judge = JudgeService(load_judge(Path("/nonexistent")))
    config = FileConfig(moderators=ModeratorsSection(discord_roles=[str(MOD_ROLE_ID)]))
    dispatcher = Dispatcher(Services(store=store, judge=judge, moderators=moderators_from(config)))
    platform = create(settings, config, store)
    task = asyncio.create_task(platform.serve(dispatcher))
    await until_connected(platform, fake, task)
    return Rig(fake, platform, store, judge, dispatcher, task)


async def stop_rig(rig: Rig) -> None:
    rig.task.cancel()
    try:
        await asyncio.wait_for(rig.task, WAIT_S)
    except (asyncio.CancelledError, Exception):
        pass
    rig.judge.close()
    await rig.store.close()


@pytest.fixture
async def rig(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[Rig]:
    running = await start_rig(fake, settings_for(fake, tmp_path))
    yield running
    await stop_rig(running)
