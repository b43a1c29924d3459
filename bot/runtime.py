"""The effective runtime settings: the environment over the TOML file, resolved in one place."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import FileConfig, Settings
from bot.durations import parse_duration
from bot.sources.fetcher import FetchSettings
from bot.sources.settings import fetch_settings


@dataclass(frozen=True, slots=True)
class Runtime:
    """What the pipeline, the fetcher and the seeding read; nothing else merges env and file."""

    allow_private: bool  # CLAIMWATCH_ALLOW_PRIVATE or [bot] allow_private_addresses
    contact: str  # CLAIMWATCH_CONTACT, else [bot] contact: the user-agent's contact
    fetch: FetchSettings
    tick_s: float
    max_item_age_s: int
    default_interval_s: int
    max_backoff_s: int
    lease_s: int  # how long a process holds a leased source or outbox (several processes)


def effective(settings: Settings, config: FileConfig) -> Runtime:
    """Resolve the environment and the file into one set of runtime settings (env wins where both set one)."""
    bot = config.bot
    allow_private = settings.allow_private_addresses or bot.allow_private_addresses
    return Runtime(
        allow_private=allow_private,
        contact=settings.contact or bot.contact,
        fetch=fetch_settings(bot, allow_private),
        tick_s=parse_duration(bot.tick),
        max_item_age_s=parse_duration(bot.max_item_age),
        default_interval_s=parse_duration(bot.default_interval),
        max_backoff_s=parse_duration(bot.max_backoff),
        lease_s=parse_duration(bot.lease),
    )
