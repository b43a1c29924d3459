"""Statement alerts that quote several statements: Slack, Discord and console show each with speaker and stance."""

from __future__ import annotations

import json

from bot.adapters.console_adapter import render_alert
from bot.adapters.discord_render import EMBED_DESCRIPTION, EMBED_TOTAL, alert_embeds
from bot.adapters.slack_alert_blocks import alert_blocks
from bot.adapters.slack_render import SECTION_LIMIT
from bot.alert_types import StatementAlert
from bot.alerts import statement_alert
from bot.models import Claim, Source
from bot.platform import OutboundMessage, Quote
from storage.alert_codec import decode, encode

CLAIM = Claim(id=3, text="Ukraine launched a drone attack on Putin's residence in the Novgorod region")
EEAS = Source(id=1, url="https://eeas.example/feed", label="EEAS", speaker_kind="official")
QUOTES = [
    Quote("The presidential office denied that any Ukrainian drones were sent towards the residence.",
          "presidential office", "refutes"),
    Quote("Kallas said the claim of a drone attack on the residence was a fabrication.", "Kallas", "refutes"),
    Quote("Lavrov said Kyiv launched 91 drones at the residence.", "Lavrov", "supports"),
]


def message(quotes: list[Quote]) -> OutboundMessage:
    """A stored statement alert (encoded and decoded as the store does) as the outbox hands it to adapters."""
    alert = statement_alert(CLAIM, quotes[0].text, "refutes", 0.85, quotes[0].speaker, "https://eeas.example/a",
                            "Statement by the High Representative", "2026-01-02T10:00:00+00:00", EEAS, quotes)
    return OutboundMessage(7, decode(*encode(alert)))


def test_payload_quotes_round_trip_and_default_to_the_text() -> None:
    m = message(QUOTES).alert
    assert isinstance(m, StatementAlert)
    assert m.quotes == tuple(QUOTES) and (m.text, m.speaker, m.stance) == (QUOTES[0].text, "presidential office",
                                                                          "refutes")
    single = statement_alert(CLAIM, "A sentence.", "supports", 0.5, None, "", "t", None, EEAS)
    assert encode(single)[1]["quotes"] == [{"text": "A sentence.", "speaker": None, "stance": "supports"}]
    # Alerts stored before quotes existed (or damaged ones) render from their text alone.
    old = decode("statement", {"text": "x", "quotes": [{"speaker": "y"}, "z"]}, 3)
    assert isinstance(old, StatementAlert) and old.quotes == () and old.claim_id == 3


def test_slack_shows_each_quote_with_speaker_and_stance() -> None:
    _, blocks = alert_blocks(message(QUOTES))
    text = json.dumps(blocks, ensure_ascii=False)
    for q in QUOTES:
        assert f"> “{q.text}”" in text
    assert "— *Kallas* · :red_circle: _refutes the claim_" in text
    assert "— *Lavrov* · :large_green_circle: _supports the claim_" in text
    byline = [b for b in blocks if b["type"] == "context"][0]["elements"][0]["text"]
    assert byline.startswith("EEAS") and "read the article" in byline  # speakers sit with their quotes
    assert blocks[-1]["type"] == "actions"  # the buttons stay last


def test_slack_single_quote_keeps_the_speaker_in_the_byline() -> None:
    _, blocks = alert_blocks(message(QUOTES[:1]))
    byline = [b for b in blocks if b["type"] == "context"][0]["elements"][0]["text"]
    assert byline.startswith("— *presidential office* · EEAS")


def test_discord_lists_the_quotes_in_the_description() -> None:
    [embed] = alert_embeds(message(QUOTES))
    assert embed.description == (
        f"[-] “{QUOTES[0].text}”\n— presidential office, refutes the claim\n\n"
        f"[-] “{QUOTES[1].text}”\n— Kallas, refutes the claim\n\n"
        f"[+] “{QUOTES[2].text}”\n— Lavrov, supports the claim")
    fields = {f.name: f.value for f in embed.fields}
    assert "Speaker" not in fields and fields["Stance"] == "refutes the claim" and fields["Source"] == "EEAS"
    [single] = alert_embeds(message(QUOTES[:1]))
    assert single.description == f"“{QUOTES[0].text}”"
    assert {f.name: f.value for f in single.fields}["Speaker"] == "presidential office"


def test_console_marks_each_quote() -> None:
    out = render_alert(message(QUOTES))
    assert out.splitlines()[0] == "[-] ALERT REFUTES: claim #3 [alert 7]"  # the id /claim review 7 takes
    assert f"    [-] “{QUOTES[1].text}” - Kallas" in out and f"    [+] “{QUOTES[2].text}” - Lavrov" in out
    assert "    (EEAS, 2026-01-02 10:00 UTC)" in out
    single = render_alert(message(QUOTES[:1]))
    assert f"    “{QUOTES[0].text}”\n    - presidential office (EEAS, 2026-01-02 10:00 UTC)" in single


def test_long_and_hostile_quotes_stay_within_limits_and_never_ping() -> None:
    evil = "<!channel> @everyone @here <@U0BOSS> & " * 400  # about 16,000 characters, & escapes to &amp;
    quotes = [Quote(evil, "<!here> @everyone", "refutes"), Quote("a" * 9000, None, "neutral"),
              Quote(evil, "x", None)]
    _, blocks = alert_blocks(message(quotes))
    raw = json.dumps(blocks, ensure_ascii=False)
    for bad in ("<!channel>", "<!here>", "<@U0BOSS>", "@everyone", "@here"):
        assert bad not in raw, bad
    for b in blocks:
        if b["type"] == "section" and "text" in b:
            assert len(b["text"]["text"]) <= SECTION_LIMIT
    assert "— *unattributed* · :white_circle: _neutral / reporting_" in raw
    embeds = alert_embeds(message(quotes))
    assert sum(len(e) for e in embeds) <= EMBED_TOTAL
    assert all(len(e.description or "") <= EMBED_DESCRIPTION for e in embeds)
    assert "— unattributed, neutral / reporting" in embeds[0].description
