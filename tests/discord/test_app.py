"""The whole bot (bot.app composition root) with only DISCORD_TOKEN set, against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from bot.app import build_app, run_app
from bot.config import ChannelEntry, ClaimEntry, FileConfig, ModeratorsSection
from tests.discord.conftest import WAIT_S, Rig, settings_for
from tests.discord.fake_discord import CHANNEL_ID, MOD_ROLE_ID, FakeDiscord


async def test_the_app_serves_discord_commands_and_posts_their_alerts(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, CLAIMWATCH_MODEL_DIR=tmp_path / "no-model")
    config = FileConfig(
        moderators=ModeratorsSection(discord_roles=[str(MOD_ROLE_ID)]),
        claims=[ClaimEntry(key="bridge", text="The Old Town bridge was closed on Monday")],
        channels=[ChannelEntry(platform="discord", channel=str(CHANNEL_ID))],
    )
    app = await build_app(settings, config)
    assert set(app.platforms) == {"discord"}
    running = asyncio.create_task(run_app(app))
    try:
        async with asyncio.timeout(WAIT_S):
            while not fake.connected.is_set():
                await asyncio.sleep(0.02)
        rig = Rig(fake, app.platforms["discord"], app.store, app.judge, app.dispatcher, running)  # type: ignore[arg-type]
        answer = await rig.slash("claim", "set", roles=[MOD_ROLE_ID], claim="1", status="disputed",
                                 note="two accounts differ")
        assert "set to disputed" in answer["content"]
        async with asyncio.timeout(WAIT_S):  # the outbox posts the status alert to the seeded channel
            while not fake.sent(CHANNEL_ID):
                await asyncio.sleep(0.05)
        [msg] = fake.sent(CHANNEL_ID)
        assert msg["embeds"][0]["title"] == "Status change: claim #1 is now disputed"
        assert msg["allowed_mentions"] == {"parse": []}
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(running, WAIT_S)
