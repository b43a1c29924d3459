"""Discord outages in the log and in readiness: one line per outage, retrying, then connected again."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.discord.conftest import WAIT_S, settings_for, start_rig, stop_rig
from tests.discord.fake_discord import FakeDiscord
from tests.ops.logging_setup import bot_logging


async def until_state(platform: object, want: str) -> None:
    async with asyncio.timeout(WAIT_S * 2):
        while await platform.state() != want:  # type: ignore[attr-defined]
            await asyncio.sleep(0.05)


async def test_a_gateway_outage_is_one_line_and_readiness_says_retrying(
        fake: FakeDiscord, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with bot_logging("INFO"):
        rig = await start_rig(fake, settings_for(fake, tmp_path))
        try:
            await until_state(rig.platform, "connected")
            capsys.readouterr()
            await fake.go_down()  # the gateway is cut and nothing listens: discord.py reconnects with backoff
            await until_state(rig.platform, "retrying")
            await asyncio.sleep(4)  # several failed reconnect attempts
            err = capsys.readouterr().err
            assert err.count("Discord: cannot reach Discord") == 1, err
            assert "Traceback" not in err and "Attempting a reconnect" not in err
            fake.connected.clear()
            await fake.come_back()
            await until_state(rig.platform, "connected")
        finally:
            await stop_rig(rig)
    assert "PyNaCl" not in capsys.readouterr().err
