"""Discord and aiohttp failures in the outbox's terms: retry later, after a while, or never."""

from __future__ import annotations

import aiohttp
import discord

from bot.platform import DeliveryError


def delivery_error(exc: BaseException, where: str) -> DeliveryError:
    """Translate a discord.py/aiohttp failure: retry later, or give up for good."""
    if isinstance(exc, discord.RateLimited):
        return DeliveryError(f"Discord rate limit in {where}", retry_after=exc.retry_after)
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:  # a 429 discord.py did not wait out itself (for example Cloudflare's)
            header = exc.response.headers.get("Retry-After") if exc.response is not None else None
            try:
                retry = float(header) if header else 60.0
            except ValueError:
                retry = 60.0
            return DeliveryError(f"Discord rate limit in {where}", retry_after=retry)
        if exc.status >= 500:
            return DeliveryError(f"Discord server error {exc.status} in {where}")
        reason = f"Discord refused the message for {where}: {exc.status} {exc.text or ''}".strip()
        # 403 missing access, 404 unknown channel, 400 bad payload: retrying cannot help.
        return DeliveryError(reason, permanent=True)
    return DeliveryError(f"Discord unreachable for {where}: {type(exc).__name__} {exc}".strip())


RETRYABLE = (discord.RateLimited, discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)
