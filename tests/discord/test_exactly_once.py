"""A crash between Discord's answer and the outbox's record must not post an alert twice (the nonce)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.adapters.discord_render import nonce
from bot.alerts import Outbox
from tests.discord.conftest import Rig, stop_rig
from tests.discord.fake_discord import CHANNEL_ID, FakeDiscord
from tests.discord.test_alerts import CHANNEL, new_rig, queue


class Crash(Exception):
    """Stands in for kill -9 right after Discord answered."""


def crash_once(rig: Rig, method: str) -> None:
    """Make one store method raise on its next call."""
    real = getattr(rig.store, method)
    state = {"armed": True}

    async def dying(*args: Any, **kwargs: Any) -> Any:
        if state["armed"]:
            state["armed"] = False
            raise Crash(method)
        return await real(*args, **kwargs)

    setattr(rig.store, method, dying)


def creates(fake: FakeDiscord) -> list[dict[str, Any]]:
    """Bodies of every message-create request, wherever it went."""
    return [body for method, path, body in fake.requests
            if method == "POST" and path.startswith("/channels/") and path.endswith("/messages")]


@pytest.mark.parametrize("threads", [False, True])
async def test_unrecorded_alert_is_returned_by_its_nonce_not_posted_again(
        fake: FakeDiscord, tmp_path: Path, threads: bool) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=threads)
    try:
        alert_id = await queue(rig, "The council said the bridge stayed open on Monday.")
        crash_once(rig, "record_sent")
        with pytest.raises(Crash):
            await outbox.deliver_once("discord")
        [posted] = fake.sent(CHANNEL_ID)

        # Restarted: only the database survives.
        assert await Outbox(rig.store, {"discord": rig.platform}, clock=clock).deliver_once("discord") == 1
        first, again = creates(fake)
        assert first["nonce"] == again["nonce"] == nonce(alert_id, CHANNEL)
        assert first["enforce_nonce"] is True and again["enforce_nonce"] is True
        # Discord kept one message (in the channel; with threads the retry went to the claim's thread).
        assert fake.sent(CHANNEL_ID) == [posted]
        assert sum(len(fake.sent(tid)) for tid in fake.threads) == 0
        shown = await rig.store.delivery_message(alert_id, "discord", CHANNEL)
        assert shown is not None and shown[0] == posted["id"]
    finally:
        await stop_rig(rig)
