"""Finding an alert Discord may already show: our own message with the alert's footer, in recent history.

After a crash between Discord's answer and the outbox's record, the outbox retries with maybe_sent.
The nonce sent with every post (enforce_nonce) stops a duplicate only for the few minutes Discord
remembers it, so before posting again the adapter reads the history of the claim's thread and of
the channel since just before the first attempt, for a message by the bot user whose first embed
carries the footer "Claimwatch alert N" (alert ids are unique, and the footer is written on every
alert). A bot sees its own messages' embeds without the privileged message-content intent.
Reading history needs Read Message History (part of the invite link); where it is refused the
alert is posted again rather than lost.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import discord

from bot.adapters.discord_errors import RETRYABLE, delivery_error
from bot.adapters.discord_render import footer_text
from bot.durations import parse_time

log = logging.getLogger(__name__)

MAX_MESSAGES = 500  # a bounded look per place: 5 pages of 100, oldest first from the first attempt
SKEW = timedelta(minutes=2)  # our clock and Discord's may differ; look a little further back
LOOK_TIMEOUT_S = 60.0  # per place: a hung read becomes a retry, not a stuck outbox


def _after(since: str | None) -> datetime | None:
    """The first attempt's time less the skew; None (newest history) when it is missing or unreadable."""
    at = parse_time(since)  # naive means UTC: discord.py would otherwise read it as local time
    return at - SKEW if at else None


def is_ours(message: discord.Message, bot_id: int, alert_id: int) -> bool:
    """Whether this is the bot's own post of this alert."""
    return (message.author.id == bot_id and bool(message.embeds)
            and message.embeds[0].footer.text == footer_text(alert_id))


async def find_earlier(client: discord.Client, places: list[int], alert_id: int,
                       since: str | None) -> tuple[int, int] | None:
    """(place, message id) of this alert's earlier post, looking in `places` in order; None if not seen.

    A place that is gone (404) holds nothing to find; one whose history is refused (403, any other
    4xx) cannot be checked: one warning is logged and None comes back, so the alert is posted. Rate limits, server errors and
    network failures raise a retryable DeliveryError: posting blind then could duplicate the alert,
    and the outbox retries the whole send later.
    """
    assert client.user is not None  # set by login, before any send
    after = _after(since)
    unread: list[str] = []
    full: list[int] = []
    for place in places:
        channel = client.get_partial_messageable(place)
        seen = 0
        try:
            async with asyncio.timeout(LOOK_TIMEOUT_S):
                async for message in channel.history(limit=MAX_MESSAGES, after=after):
                    seen += 1
                    if is_ours(message, client.user.id, alert_id):
                        log.info("Discord: alert %s was already posted in %s (message %s); not posting it "
                                 "again", alert_id, place, message.id)
                        return place, message.id
        except discord.HTTPException as exc:
            if exc.status == 429 or exc.status >= 500:
                raise delivery_error(exc, f"history of {place}") from None
            if isinstance(exc, discord.NotFound):
                continue  # a deleted thread (or channel): nothing posted there is left to find
            unread.append(f"{place} (HTTP {exc.status})")
            continue
        except RETRYABLE as exc:
            raise delivery_error(exc, f"history of {place}") from None
        if seen >= MAX_MESSAGES:
            full.append(place)
    if unread:
        log.warning("Discord: cannot read history of %s to check for an earlier post of alert %s; posting "
                    "it (grant the bot Read Message History)", ", ".join(unread), alert_id)
    elif full:
        log.warning("Discord: no earlier post of alert %s in the first %d messages since its first attempt "
                    "in %s; posting it", alert_id, MAX_MESSAGES, ", ".join(map(str, full)))
    return None
