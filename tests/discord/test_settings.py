"""Discord settings and start-up failures give one-line reasons."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.adapters.discord_adapter import create
from bot.config import ConfigError, FileConfig, load_settings
from storage import Store
from tests.discord.conftest import WAIT_S, settings_for
from tests.discord.fake_discord import FakeDiscord


def test_unknown_sync_mode_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMWATCH_DISCORD_SYNC", "everywhere")
    with pytest.raises(ConfigError, match="^setting CLAIMWATCH_DISCORD_SYNC .*use guild, global or off$"):
        load_settings(env_file=None)


async def test_guild_sync_needs_a_guild_id(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, CLAIMWATCH_DISCORD_SYNC="guild", CLAIMWATCH_DISCORD_GUILD_ID=None)
    with pytest.raises(ConfigError, match="needs CLAIMWATCH_DISCORD_GUILD_ID"):
        create(settings, FileConfig(), Store(settings.db_path))


async def test_a_rejected_token_stops_serve_with_a_one_line_reason(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path, DISCORD_TOKEN="not-the-token")
    store = Store(settings.db_path)
    await store.open()
    platform = create(settings, FileConfig(), store)

    async def dispatch(command):  # never reached
        raise AssertionError(command)

    try:
        with pytest.raises(ConfigError, match=r"^setting DISCORD_TOKEN: Discord rejected the token \(401\)$"):
            await asyncio.wait_for(platform.serve(dispatch), WAIT_S)
    finally:
        await store.close()
