"""The [bot] fetch settings become limits, caps and an address policy; bad values are refused."""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError

from bot.config import BotSection
from bot.sources.settings import fetch_settings, http_client


async def test_bot_section_becomes_fetch_settings() -> None:
    bot = BotSection(allowed_networks=["10.20.0.0/16"], per_host_concurrency=3, max_body_kb=64,
                     max_decompressed_kb=256, total_timeout="30s", max_redirects=2, full_text_below=0)
    fs = fetch_settings(bot, allow_private=False)
    assert fs.per_host_concurrency == 3 and fs.limits.max_body == 64 * 1024
    assert fs.limits.max_decoded == 256 * 1024 and fs.limits.total_s == 30 and fs.limits.max_redirects == 2
    assert fs.allow_networks == (ipaddress.ip_network("10.20.0.0/16"),) and not fs.allow_private
    client = http_client(BotSection(contact="https://desk.example/contact", read_timeout="5s"), "ops@example.org")
    try:
        assert "ops@example.org" in client.headers["User-Agent"] and client.timeout.read == 5
    finally:
        await client.aclose()


@pytest.mark.parametrize(
    "bad",
    [{"allowed_networks": ["not-a-net"]}, {"per_host_concurrency": 0}, {"max_backoff": "soon"},
     {"max_body_kb": 1}],
)
def test_bad_fetch_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        BotSection(**bad)
