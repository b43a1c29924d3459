"""Fetch settings from the [bot] section: one place that turns config into limits and policy."""

from __future__ import annotations

import httpx

from bot.config import BotSection
from bot.durations import parse_duration
from bot.sources.fetcher import FetchSettings
from bot.sources.http import Limits, make_client
from bot.sources.ssrf import networks


def fetch_settings(bot: BotSection, allow_private: bool) -> FetchSettings:
    """Limits, concurrency caps and the address policy for config-file sources."""
    return FetchSettings(
        limits=Limits(
            max_body=bot.max_body_kb * 1024,
            max_decoded=bot.max_decompressed_kb * 1024,
            max_redirects=bot.max_redirects,
            total_s=parse_duration(bot.total_timeout),
        ),
        allow_private=allow_private,
        allow_networks=networks(bot.allowed_networks),
        global_concurrency=bot.global_concurrency,
        per_host_concurrency=bot.per_host_concurrency,
        full_text_below=bot.full_text_below,
    )


def http_client(bot: BotSection, contact: str) -> httpx.AsyncClient:
    """The bot's one guarded client with the configured timeouts and user-agent contact."""
    return make_client(
        contact, connect_s=parse_duration(bot.connect_timeout), read_s=parse_duration(bot.read_timeout),
        max_connections=bot.global_concurrency * 2,
    )
