"""Discord alert embeds show times with their zone and links without tracking parameters."""

from __future__ import annotations

from bot.adapters.discord_render import alert_embeds
from bot.alert_types import StatementAlert
from bot.platform import OutboundMessage


def test_embed_time_and_link_are_shown_cleanly() -> None:
    msg = OutboundMessage(4, StatementAlert(title="t", text="s", claim_id=1, stance="supports",
                                            source="Wire", published_at="2025-12-30T06:10:00+00:00",
                                            link="https://news.example/a?id=7&utm_campaign=y&gclid=z"))
    (embed, *_) = alert_embeds(msg)
    assert embed.url == "https://news.example/a?id=7"
    assert ("Published", "2025-12-30 06:10 UTC") in [(f.name, f.value) for f in embed.fields]
