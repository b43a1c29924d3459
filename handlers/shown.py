"""How handlers show things: quotes, links and times in the channel's zone."""

from __future__ import annotations

from bot.durations import show_time
from bot.links import shown_link
from bot.policy import resolve
from bot.text import clip
from handlers.context import Context

__all__ = ["channel_tz", "quote", "show_time", "shown_link"]


def quote(text: str, n: int = 160) -> str:
    """A statement shortened for a chat line."""
    text = " ".join(text.split())
    return f"“{clip(text, n)}”"


async def channel_tz(ctx: Context) -> str:
    """The time zone this channel set with /claim alerts tz=..., else UTC."""
    chan, _ = await ctx.store.policy_settings(ctx.actor.platform, ctx.channel, None)
    return resolve(chan, {}).tz
