"""Slack rendering rules: escaping, links, splitting, Block Kit limits; and secrets kept out of logs."""

from __future__ import annotations

import html
import logging
from pathlib import Path

import pytest

from bot.adapters.slack_alert_blocks import alert_blocks
from bot.adapters.slack_render import (
    SECTION_LIMIT,
    escape,
    from_slack,
    link,
    reply_messages,
    reviewed_blocks,
    safe_url,
    split_text,
)
from bot.alert_types import Digest, StatementAlert, StatusChange
from bot.platform import OutboundMessage
from handlers.table import COMMANDS
from tests.slack.conftest import MOD, SIGNING_SECRET, Harness
from tests.slack.fake_slack import APP_TOKEN, BOT_TOKEN


def test_command_text_is_read_back_as_typed() -> None:
    assert from_slack("add <https://93.184.216.34/feed.xml> every=15m") == "add https://93.184.216.34/feed.xml every=15m"
    assert from_slack("check <https://a.test/x?b=1&amp;c=2|a.test/x>") == "check https://a.test/x?b=1&c=2"
    assert from_slack("add Q&amp;A: 3 &lt; 4 &amp;lt;") == "add Q&A: 3 < 4 &lt;"


def test_escape_defuses_mentions_and_links() -> None:
    out = escape("<!channel> <!here|here> <@U123> <#C1> <https://x.test|x> a & b @here @Everyone")
    assert "<" not in out and ">" not in out
    assert "&amp; b" in out
    assert "@here" not in out and "@Everyone" not in out  # a word joiner keeps them from mentioning
    assert html.unescape(out).replace("\u2060", "") == (
        "<!channel> <!here|here> <@U123> <#C1> <https://x.test|x> a & b @here @Everyone")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.test/a", "not a url", "", None, "http://"])
def test_only_http_links_are_linked(url: str | None) -> None:
    assert safe_url(url) is None
    assert link(url, "label") == "label"


def test_link_cannot_break_out_of_its_brackets() -> None:
    out = link("https://x.test/a|<!channel>?q=1&r=2", "see | <@U1>")
    assert out.startswith("<https://x.test/a%7C%3C!channel%3E?q=1&amp;r=2|")
    assert out.count("<") == 1 and out.count(">") == 1 and out.count("|") == 1


def test_split_text_respects_the_section_limit_and_keeps_the_text() -> None:
    text = "\n".join(f"line {i} " + "x" * (i * 37 % 400) for i in range(200)) + "\n" + "&" * 9000
    chunks = split_text(text)
    assert len(chunks) > 3
    assert all(len(escape(c)) <= SECTION_LIMIT for c in chunks)
    assert "".join(c.replace("\n", "") for c in chunks) == text.replace("\n", "")


def test_reply_messages_fit_slack() -> None:
    messages = reply_messages("\n".join(f"row {i} https://example.org/a?b={i}" for i in range(3000)))
    assert all(len(blocks) <= 50 for _, blocks in messages)
    assert all(len(b["text"]["text"]) <= 3000 for _, blocks in messages for b in blocks)
    assert "<https://example.org/a?b=0|https://example.org/a?b=0>" in messages[0][1][0]["text"]["text"]


def test_long_digest_alert_is_split_and_capped() -> None:
    msg = OutboundMessage(9, Digest(title="Daily digest", text="\n".join(["entry " * 80] * 400)))
    text, blocks = alert_blocks(msg)
    assert len(blocks) <= 50 and len(text) <= 300
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b.get("type") == "section")
    assert sum(len(b["text"]["text"]) for b in blocks if b.get("type") == "section") < 40000
    assert "cut short" in str(blocks[-2])


def test_reviewed_blocks_drop_only_the_review_button() -> None:
    msg = OutboundMessage(3, StatementAlert(title="t", text="s", claim_id=1, stance="neutral"))
    _, blocks = alert_blocks(msg)
    after = reviewed_blocks(reviewed_blocks(blocks, MOD, "mod"), MOD, "mod")  # twice: one line, not two
    actions = [b for b in after if b["type"] == "actions"][0]
    assert [e["action_id"] for e in actions["elements"]] == [
        "claimwatch_mute", "claimwatch_reject", "claimwatch_stance", "claimwatch_status"]
    assert sum("Reviewed by" in str(b) for b in after) == 1
    # A correction replaces the line; the corrections stay, so a moderator can still change their mind.
    corrected = reviewed_blocks(after, MOD, "mod", "Stance set to refutes by", ":pencil2:")
    assert sum("claimwatch_reviewed" in str(b) for b in corrected) == 1
    assert f":pencil2: Stance set to refutes by <@{MOD}>" in str(corrected[-1])
    assert "<@" not in str(reviewed_blocks(blocks, "<!channel>", "<!here>"))


async def test_secrets_never_reach_the_logs(slack: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await slack.command("status 1")
    await slack.command("add A claim added while debugging", user=MOD)
    await slack.store.enqueue_alert(StatusChange(title="Status change", text="now disputed",
                                                 claim_id=1, claim_text="The northern port"))
    slack.fake.fail("chat.postMessage", 200, "invalid_auth")  # a failure is logged too
    assert await slack.outbox.deliver_once("slack") == 0
    slack.clock.advance(400)
    assert await slack.outbox.deliver_once("slack") >= 1
    assert any(r.levelno == logging.DEBUG for r in caplog.records), "debug logging was captured"
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text


def test_manifest_declares_what_the_adapter_uses() -> None:
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load(Path("deploy/slack-manifest.yml").read_text(encoding="utf-8"))
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {f"/{group}" for group, _ in COMMANDS}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "files:write", "users:read", "usergroups:read"} <= scopes
    assert {"channels:history", "groups:history"} <= scopes  # finding an unrecorded post after a crash
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_alerts_show_zoned_times_and_links_without_tracking() -> None:
    msg = OutboundMessage(4, StatementAlert(title="t", text="s", claim_id=1, stance="refutes",
                                            source="Wire", published_at="2025-12-30T06:10:00+00:00",
                                            link="https://news.example/a?id=7&utm_source=x&fbclid=abc"))
    flat = str(alert_blocks(msg))
    assert "2025-12-30 06:10 UTC" in flat and "2025-12-30T06:10" not in flat
    assert "https://news.example/a?id=7" in flat and "utm_source" not in flat and "fbclid" not in flat
