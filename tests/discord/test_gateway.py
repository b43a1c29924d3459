"""Gateway resilience against the fake Discord: reconnect and resume, an outage, a login while Discord is down."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.alerts import Outbox
from tests.discord.conftest import WAIT_S, Rig, settings_for, start_rig, stop_rig, until_connected
from tests.discord.fake_discord import CHANNEL_ID, FakeDiscord
from tests.discord.test_alerts import CHANNEL, Clock, payload


async def resumed(rig: Rig, count: int) -> None:
    """Wait until discord.py has resumed its session `count` times in all."""
    async with asyncio.timeout(WAIT_S):
        while rig.platform.resumes < count:
            await asyncio.sleep(0.02)


async def test_reconnect_request_resumes_the_same_session(rig: Rig) -> None:
    session = rig.fake.session_id
    await rig.fake.reconnect_request()
    await resumed(rig, 1)
    assert len(rig.fake.identifies) == 1  # resumed, not identified again
    assert rig.fake.resumes[-1]["session_id"] == session and rig.fake.resumes[-1]["seq"] >= 2
    answer = await rig.slash("claim", "list")
    assert "No claims are watched yet" in answer["content"]


async def test_dropped_connection_resumes_and_commands_still_work(rig: Rig) -> None:
    await rig.fake.drop(code=4000)
    await resumed(rig, 1)
    await rig.fake.drop(code=1006)
    await resumed(rig, 2)
    assert len(rig.fake.identifies) == 1
    answer = await rig.slash("source", "list")
    assert "No sources yet" in answer["content"]


async def test_outage_keeps_alerts_queued_then_delivers_once_in_order(fake: FakeDiscord, tmp_path: Path) -> None:
    rig = await start_rig(fake, settings_for(fake, tmp_path, CLAIMWATCH_DISCORD_THREADS=False))
    clock = Clock()
    outbox = Outbox(rig.store, {"discord": rig.platform}, clock=clock)
    try:
        claim = await rig.store.add_claim("The Old Town bridge was closed on Monday", "test")
        await fake.go_down()
        for text in ("first", "second", "third"):
            await rig.store.enqueue_alert(payload(claim.id, text),
                                          destinations=[("discord", CHANNEL)])
        for _ in range(3):  # every pass during the outage fails and keeps the alerts
            assert await outbox.deliver_once("discord") == 0
            clock.advance(700)
        assert await rig.store.delivery_counts() == {"pending": 3}
        await fake.come_back()
        await until_connected(rig.platform, fake, rig.task)  # the gateway came back on its own
        await resumed(rig, 1)
        assert await outbox.deliver_once("discord") == 3
        assert await outbox.deliver_once("discord") == 0
        texts = [m["embeds"][0]["description"] for m in fake.sent(CHANNEL_ID)]
        assert texts == ["“first”", "“second”", "“third”"]
        assert await rig.store.delivery_counts() == {"sent": 3}
    finally:
        await stop_rig(rig)


async def test_login_waits_for_discord_to_come_up(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = settings_for(fake, tmp_path)
    await fake.go_down()
    starting = asyncio.create_task(start_rig(fake, settings))
    await asyncio.sleep(1.5)  # at least one failed login
    assert not starting.done()
    await fake.come_back()
    rig = await asyncio.wait_for(starting, WAIT_S)
    try:
        answer = await rig.slash("claim", "help")
        assert "/claim add <text>" in answer["content"]
    finally:
        await stop_rig(rig)
