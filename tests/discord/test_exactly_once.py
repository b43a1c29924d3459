"""A crash around a Discord post must neither post an alert twice nor lose it.

The process "dies" in the outbox (a store call raises) after Discord created the message or just
before the post; a fresh Outbox over the same database then redelivers, as after a restart. Past
the few minutes Discord honours a nonce, only the history lookup stops a second message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from discord.utils import time_snowflake

from bot.adapters.discord_render import footer_text, nonce
from bot.alerts import Outbox
from tests.discord.conftest import Rig, stop_rig
from tests.discord.fake_discord import BOT_ID, CHANNEL_ID, FakeDiscord
from tests.discord.test_alerts import CHANNEL, Clock, new_rig, queue

LOOKUP_LOG = "bot.adapters.discord_lookup"


class Crash(Exception):
    """Stands in for kill -9 right after Discord answered."""


class Killed(BaseException):
    """A kill nothing in the outbox catches (it is no Exception), like the process ending."""


def crash_once(rig: Rig, method: str, error: BaseException | None = None, after_call: bool = False) -> None:
    """Make one store method raise on its next call (after running it, with after_call)."""
    real = getattr(rig.store, method)
    state = {"armed": True}

    async def dying(*args: Any, **kwargs: Any) -> Any:
        if not state["armed"]:
            return await real(*args, **kwargs)
        state["armed"] = False
        if after_call:
            await real(*args, **kwargs)
        raise error or Crash(method)

    setattr(rig.store, method, dying)


def creates(fake: FakeDiscord) -> list[dict[str, Any]]:
    """Bodies of every message-create request, wherever it went."""
    return [body for method, path, body in fake.requests
            if method == "POST" and path.startswith("/channels/") and path.endswith("/messages")]


def bot_posts(fake: FakeDiscord, channel_id: int) -> list[dict[str, Any]]:
    """The bot's own messages in a channel or thread."""
    return [m for m in fake.sent(channel_id) if m["author"]["id"] == str(BOT_ID)]


def thread_posts(fake: FakeDiscord) -> int:
    return sum(len(fake.sent(tid)) for tid in fake.threads)


def lookup_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOOKUP_LOG and r.levelno >= logging.WARNING]


async def post_then_crash(rig: Rig, outbox: Outbox, fake: FakeDiscord) -> tuple[int, dict[str, Any]]:
    """Queue an alert; Discord creates it, then the process dies before record_sent."""
    alert_id = await queue(rig, "The council said the bridge stayed open on Monday.")
    crash_once(rig, "record_sent")
    with pytest.raises(Crash):
        await outbox.deliver_once("discord")
    [posted] = bot_posts(fake, CHANNEL_ID)
    return alert_id, posted


async def restart(rig: Rig, clock: Clock) -> int:
    """A fresh outbox over the same database delivers; returns how many it delivered."""
    return await Outbox(rig.store, {"discord": rig.platform}, clock=clock).deliver_once("discord")


@pytest.mark.parametrize("threads", [False, True])
async def test_unrecorded_alert_is_found_in_history_after_the_nonce_window(
        fake: FakeDiscord, tmp_path: Path, threads: bool, caplog: pytest.LogCaptureFixture) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=threads)
    try:
        fake.honour_nonces = False  # Discord forgot the nonce: a second POST would be a second message
        alert_id = await queue(rig, "The council said the bridge stayed open on Monday.")
        # Chatter ahead of the alert pushes it onto the second history page; one member quotes its
        # footer (not the bot, so not ours).
        fake.user_post(CHANNEL_ID, embeds=[{"footer": {"text": footer_text(alert_id)}}])
        for i in range(119):
            fake.user_post(CHANNEL_ID, content=f"chatter {i}")
        crash_once(rig, "record_sent")
        with pytest.raises(Crash):
            await outbox.deliver_once("discord")
        [posted] = bot_posts(fake, CHANNEL_ID)
        [first_attempt] = (await rig.store.started_sends("discord")).values()

        clock.advance(30 * 60)  # restarted half an hour later
        assert await restart(rig, clock) == 1
        assert len(creates(fake)) == 1  # found, not posted again
        assert bot_posts(fake, CHANNEL_ID) == [posted] and thread_posts(fake) == 0
        shown = await rig.store.delivery_message(alert_id, "discord", CHANNEL)
        assert shown is not None and shown[0] == posted["id"]
        reads = fake.history_reads
        # From just before the first attempt, oldest first, a page at a time.
        floor = time_snowflake(datetime.fromisoformat(first_attempt) - timedelta(minutes=2), high=True)
        channel_reads = [q for cid, q in reads if cid == CHANNEL_ID]
        assert int(channel_reads[0]["after"]) == floor and len(channel_reads) == 2
        if threads:
            thread_id = next(iter(fake.threads))
            assert reads[0][0] == thread_id  # the claim's thread first, then the channel
            assert shown[1] == str(thread_id)
        assert lookup_warnings(caplog) == []
    finally:
        await stop_rig(rig)


async def test_history_forbidden_past_the_nonce_window_posts_again_with_one_warning(
        fake: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=False)
    try:
        fake.honour_nonces = False
        alert_id, posted = await post_then_crash(rig, outbox, fake)
        fake.fail_next("GET", f"/channels/{CHANNEL_ID}/messages", 403, {"message": "Missing Access", "code": 50001})
        clock.advance(30 * 60)
        assert await restart(rig, clock) == 1
        first, again = bot_posts(fake, CHANNEL_ID)  # not checkable: posted rather than lost
        assert first == posted and len(creates(fake)) == 2
        shown = await rig.store.delivery_message(alert_id, "discord", CHANNEL)
        assert shown is not None and shown[0] == again["id"]
        [warning] = lookup_warnings(caplog)
        assert "cannot read history" in warning and "Read Message History" in warning and "403" in warning
    finally:
        await stop_rig(rig)


@pytest.mark.parametrize("threads", [False, True])
async def test_history_forbidden_within_the_nonce_window_the_nonce_keeps_one(
        fake: FakeDiscord, tmp_path: Path, threads: bool, caplog: pytest.LogCaptureFixture) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=threads)
    try:
        alert_id, posted = await post_then_crash(rig, outbox, fake)
        for _ in range(2 if threads else 1):  # the thread's history and the channel's
            fake.fail_next("GET", "/messages", 403, {"message": "Missing Access", "code": 50001})
        assert await restart(rig, clock) == 1
        first, again = creates(fake)
        assert first["nonce"] == again["nonce"] == nonce(alert_id, CHANNEL)
        assert first["enforce_nonce"] is True and again["enforce_nonce"] is True
        # Discord kept one message (with threads the retry went to the claim's thread).
        assert fake.sent(CHANNEL_ID) == [posted] and thread_posts(fake) == 0
        shown = await rig.store.delivery_message(alert_id, "discord", CHANNEL)
        assert shown is not None and shown[0] == posted["id"]
        assert len(lookup_warnings(caplog)) == 1
    finally:
        await stop_rig(rig)


async def test_history_server_error_retries_later_instead_of_posting_blind(
        fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=False)
    try:
        fake.honour_nonces = False
        alert_id, posted = await post_then_crash(rig, outbox, fake)
        fake.fail_next("GET", f"/channels/{CHANNEL_ID}/messages", 503, {"message": "unavailable"})
        assert await restart(rig, clock) == 0  # could not check: left pending, not posted
        assert len(creates(fake)) == 1
        clock.advance(60)
        assert await restart(rig, clock) == 1
        assert bot_posts(fake, CHANNEL_ID) == [posted] and len(creates(fake)) == 1
        shown = await rig.store.delivery_message(alert_id, "discord", CHANNEL)
        assert shown is not None and shown[0] == posted["id"]
    finally:
        await stop_rig(rig)


@pytest.mark.parametrize("threads", [False, True])
async def test_attempt_that_died_before_posting_is_posted_exactly_once(
        fake: FakeDiscord, tmp_path: Path, threads: bool, caplog: pytest.LogCaptureFixture) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=threads)
    try:
        fake.honour_nonces = False
        alert_id = await queue(rig, "The council said the bridge stayed open on Monday.")
        # The start of the send is noted, then the process dies before calling Discord.
        crash_once(rig, "begin_send", Killed("begin_send"), after_call=True)
        with pytest.raises(Killed):
            await outbox.deliver_once("discord")
        assert creates(fake) == [] and (await rig.store.started_sends("discord"))

        clock.advance(30 * 60)
        assert await restart(rig, clock) == 1
        assert [cid for cid, _ in fake.history_reads] == [CHANNEL_ID]  # looked, found nothing
        [posted] = bot_posts(fake, CHANNEL_ID)
        assert len(creates(fake)) == 1 and thread_posts(fake) == 0
        shown = await rig.store.delivery_message(alert_id, "discord", CHANNEL)
        assert shown is not None and shown[0] == posted["id"]
        assert (shown[1] is not None) == threads  # the claim's thread was started on it
        assert lookup_warnings(caplog) == []
        assert await restart(rig, clock) == 0 and len(creates(fake)) == 1
    finally:
        await stop_rig(rig)

