"""Alerts through the real Outbox: threads, buttons, rate limits, outages, injection attempts."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from typing import Any

from bot.alerts import statement_alert
from bot.models import Source
from bot.platform import Quote
from tests.matches import Row, store_rows
from tests.slack.conftest import CHANNEL, MOD, USER, Harness, shown
from tests.slack.fake_slack import FakeSlack

WIRE = Source(id=1, url="https://wire.example/feed.xml", label="Harbour Wire", speaker_kind="independent")


async def queue(h: Harness, text: str, stance: str = "supports", speaker: str | None = "a port official",
                claim_id: int = 1, sort_key: str | None = None, **extra: Any) -> int:
    """Queue a statement alert for a claim's watchers, as the pipeline does."""
    claim = await h.store.get_claim(claim_id)
    assert claim is not None
    alert = statement_alert(claim, text, stance, 0.81, speaker, "https://wire.example/a?x=1&y=2",
                            "Port story", "2026-03-04T10:00:00+00:00", WIRE)
    return await h.store.enqueue_alert(replace(alert, **extra), sort_key=sort_key)


def posts(fake: FakeSlack) -> list[dict[str, Any]]:
    """Messages posted with chat.postMessage, in order."""
    return fake.called("chat.postMessage")


def alert_posts(fake: FakeSlack) -> list[dict[str, Any]]:
    """Posted alerts (thread replies), not thread parents."""
    return [p for p in posts(fake) if p.get("thread_ts")]


async def test_alerts_about_one_claim_share_one_thread(slack: Harness) -> None:
    await queue(slack, "The port stayed shut to cargo vessels all of March, an official said.")
    await queue(slack, "Harbour masters denied any closure in March.", stance="refutes", speaker="harbour office")
    assert await slack.outbox.deliver_once("slack") == 2
    parent, first, second = posts(slack.fake)
    assert "thread_ts" not in parent or not parent["thread_ts"]
    assert "Claim #1" in shown(parent) and "status: *unverified*" in shown(parent)
    assert first["thread_ts"] == second["thread_ts"] == parent_ts(slack)
    assert await slack.store.get_thread("slack", CHANNEL, 1) == parent_ts(slack)
    # Block Kit content: stance, claim, quote, speaker, source, time, link, buttons.
    body = shown(first)
    assert ":large_green_circle:" in body and "supports the claim" in body
    assert "“The port stayed shut to cargo vessels all of March, an official said.”" in body
    assert "a port official" in body and "Harbour Wire" in body and "2026-03-04" in body
    assert "<https://wire.example/a?x=1&y=2|read the article>" in body
    assert [e["action_id"] for e in first["blocks"][-1]["elements"]] == [
        "claimwatch_mute", "claimwatch_review", "claimwatch_reject", "claimwatch_stance", "claimwatch_status"]
    assert ":red_circle:" in shown(second)
    # A later alert goes to the same thread; the parent's tally is refreshed in place.
    await queue(slack, "Shipping agents said cargo moved normally through the port.", stance="refutes")
    assert await slack.outbox.deliver_once("slack") == 1
    assert len([p for p in posts(slack.fake) if not p.get("thread_ts")]) == 1
    assert posts(slack.fake)[-1]["thread_ts"] == parent_ts(slack)
    updates = [u for u in slack.fake.called("chat.update") if u["ts"] == parent_ts(slack)]
    assert updates and "Statements so far" in shown(updates[-1])


def parent_ts(h: Harness) -> str:
    """The ts the fake gave the first top-level message."""
    return "1700000000.000001"


async def test_buttons_mute_review_and_status(slack: Harness) -> None:
    alert_id = await queue(slack, "An official said the port closed in March.")
    await slack.outbox.deliver_once("slack")
    posted = alert_posts(slack.fake)[0]
    message = {"ts": "1700000000.000002", "text": posted["text"], "blocks": posted["blocks"]}

    # Status: an ephemeral answer to the presser.
    await slack.fake.push("interactive", slack.fake.button("claimwatch_status", "1", message))
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 1)
    status = slack.fake.responses[0]
    assert status["response_type"] == "ephemeral" and "Claim #1:" in shown(status)

    # Mark reviewed by a non-moderator: refused, the alert is left as it was.
    await slack.fake.push("interactive", slack.fake.button("claimwatch_review", str(alert_id), message, user=USER))
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 2)
    assert "Only moderators" in shown(slack.fake.responses[1])
    assert not [u for u in slack.fake.called("chat.update") if u["ts"] == message["ts"]]

    # Mark reviewed by a moderator: recorded, and the alert is updated for everyone.
    await slack.fake.push("interactive", slack.fake.button("claimwatch_review", str(alert_id), message, user=MOD))
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 3)
    assert f"Alert {alert_id} marked reviewed" in shown(slack.fake.responses[2])
    update = [u for u in slack.fake.called("chat.update") if u["ts"] == message["ts"]][-1]
    assert update["channel"] == CHANNEL
    assert f"Reviewed by <@{MOD}>" in shown(update)
    assert '"action_id": "claimwatch_review"' not in json.dumps(update["blocks"])
    assert "claimwatch_mute" in json.dumps(update["blocks"])

    # Mute here: this channel stops receiving the claim's alerts.
    await slack.fake.push("interactive", slack.fake.button("claimwatch_mute", "1", message))
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 4)
    assert "No more alerts for claim #1 in this channel" in shown(slack.fake.responses[3])
    assert await slack.store.watches(1) == []


async def test_rate_limit_is_retried_after_retry_after_through_the_outbox(slack: Harness) -> None:
    await queue(slack, "An official said the port closed in March.", sort_key="a")
    await queue(slack, "Port workers said the port was closed.", sort_key="b")
    slack.fake.fail("chat.postMessage", 429, "ratelimited", **{"Retry-After": "7"})
    assert await slack.outbox.deliver_once("slack") == 0
    assert len(posts(slack.fake)) == 1  # one refused attempt; the second alert waited behind it
    slack.clock.advance(5)
    assert await slack.outbox.deliver_once("slack") == 0  # Retry-After not over yet: no call at all
    assert len(posts(slack.fake)) == 1
    slack.clock.advance(3)
    assert await slack.outbox.deliver_once("slack") == 2
    sent = alert_posts(slack.fake)
    assert ["closed in March" in shown(sent[0]), "Port workers" in shown(sent[1])] == [True, True]
    assert len(posts(slack.fake)) == 4  # refused parent, parent, two alerts
    assert await slack.outbox.deliver_once("slack") == 0


async def test_outage_then_recovery_delivers_queued_alerts_once_in_order(slack: Harness) -> None:
    await queue(slack, "First: an official said the port closed in March.", sort_key="1")
    await slack.fake.go_down()
    await queue(slack, "Second: dockers said ships were turned away.", sort_key="2")
    await queue(slack, "Third: the ministry said the port was shut.", sort_key="3")
    for _ in range(3):  # Slack stays down over several passes
        assert await slack.outbox.deliver_once("slack") == 0
        slack.clock.advance(700)
    counts = await slack.store.delivery_counts()
    assert counts.get("pending") == 3 and not counts.get("sent")
    await slack.fake.come_back()
    assert await slack.outbox.deliver_once("slack") == 3
    order = [next(w for w in ("First", "Second", "Third") if f"“{w}:" in shown(p)) for p in alert_posts(slack.fake)]
    assert order == ["First", "Second", "Third"]
    slack.clock.advance(700)
    assert await slack.outbox.deliver_once("slack") == 0
    assert len(alert_posts(slack.fake)) == 3
    assert (await slack.store.delivery_counts()).get("sent") == 3


async def test_server_error_and_missing_invite_are_retried(slack: Harness) -> None:
    await queue(slack, "An official said the port closed in March.")
    slack.fake.fail("chat.postMessage", 503, "service_unavailable")
    assert await slack.outbox.deliver_once("slack") == 0
    slack.fake.fail("chat.postMessage", 200, "not_in_channel")  # fixed by inviting the bot
    slack.clock.advance(5)
    assert await slack.outbox.deliver_once("slack") == 0
    slack.clock.advance(60)
    assert await slack.outbox.deliver_once("slack") == 0  # waits the slow retry (5 minutes)
    slack.clock.advance(300)
    assert await slack.outbox.deliver_once("slack") == 1
    assert len(alert_posts(slack.fake)) == 1


async def test_permanent_error_is_not_retried(slack: Harness) -> None:
    await queue(slack, "An official said the port closed in March.")
    slack.fake.fail("chat.postMessage", 200, "channel_not_found")
    assert await slack.outbox.deliver_once("slack") == 0
    slack.clock.advance(3600)
    assert await slack.outbox.deliver_once("slack") == 0
    assert len(posts(slack.fake)) == 1
    assert (await slack.store.delivery_counts()).get("failed") == 1


async def test_injection_attempts_render_harmlessly(slack: Harness) -> None:
    evil = "<!channel> wake up <@U0BOSS> see <https://evil.example|the port> & @here now"
    await queue(slack, evil, speaker="<!here>")
    await slack.outbox.deliver_once("slack")
    raw = json.dumps(alert_posts(slack.fake)[0])
    for bad in ("<!channel>", "<!here>", "<@U0BOSS>", "<https://evil.example", "@here"):
        assert bad not in raw, bad
    assert "&lt;!channel&gt;" in raw and "&amp;" in raw
    # The text still reads as written once Slack un-escapes it.
    assert "<!channel> wake up <@U0BOSS>" in html.unescape(raw).replace("\u2060", "")
    # The same through a slash command: a moderator adds a claim with a mention in it.
    answer = await slack.command("add <!channel> the port <@U0BOSS> closed", user=MOD)
    raw = json.dumps(answer)
    assert "<!channel>" not in raw and "<@U0BOSS>" not in raw and "&lt;!channel&gt;" in raw


async def test_article_alert_quotes_each_deciding_statement(slack: Harness) -> None:
    quotes = (Quote("Harbour masters denied any closure in March.", "harbour office", "refutes"),
              Quote("<!channel> Shipping agents said cargo moved normally.", "@everyone agents", "refutes"))
    await queue(slack, quotes[0].text, stance="refutes", speaker="harbour office", quotes=quotes)
    assert await slack.outbox.deliver_once("slack") == 1
    [post] = alert_posts(slack.fake)
    body = shown(post)
    assert "> “Harbour masters denied any closure in March.”\n— *harbour office* · :red_circle: _refutes the claim_" in body
    assert "“<!channel> Shipping agents said cargo moved normally.”" in body  # shown as text once unescaped
    raw = json.dumps(post)
    assert "<!channel>" not in raw and "@everyone" not in raw


async def test_syndicated_copy_edits_the_first_alert_in_place(slack: Harness) -> None:
    text = "The port authority said the northern port closed to cargo ships on 3 March."
    await queue(slack, text)
    assert await slack.outbox.deliver_once("slack") == 1
    first = alert_posts(slack.fake)[0]
    first_ts = "1700000000.000002"
    claim = await slack.store.get_claim(1)
    assert claim is not None
    radio = Source(id=2, url="https://radio.example/rss", label="Coast Radio", speaker_kind="independent")
    copy = statement_alert(claim, text, "supports", 0.8, "a port official", "https://radio.example/b",
                           "Port story", "2026-03-04T11:00:00+00:00", radio)
    await slack.store.enqueue_alert(copy)
    await slack.outbox.deliver_once("slack")
    await slack.outbox.deliver_once("slack")
    assert alert_posts(slack.fake) == [first]  # no second post for the copy
    edits = [u for u in slack.fake.called("chat.update") if u["ts"] == first_ts]
    assert edits and "also carried by Coast Radio" in shown(edits[-1])
    actions = edits[-1]["blocks"][-1]
    review = [e for e in actions["elements"] if e["action_id"] == "claimwatch_review"][0]
    assert review["value"] == first["blocks"][-1]["elements"][1]["value"]  # still reviews the original


async def test_correction_buttons_reject_and_set_the_stance(slack: Harness) -> None:
    # The alert stands for its article: its corrections reach every alert-tier statement of the claim there.
    match_id, second, maybe = await store_rows(slack.store, [
        Row("An official said the port closed in March.", alert=True),
        Row("The harbour office said the closure lasted all March."),
        Row("Cargo rates rose in March.", tier="possible", score=0.33),
    ])
    await slack.outbox.deliver_once("slack")
    posted = alert_posts(slack.fake)[0]
    actions = posted["blocks"][-1]["elements"]
    reject = next(e for e in actions if e["action_id"] == "claimwatch_reject")
    menu = next(e for e in actions if e["action_id"] == "claimwatch_stance")
    alert_id = int(reject["value"])
    assert reject["text"]["text"] == "Not about this claim" and menu["type"] == "static_select"
    assert [o["value"] for o in menu["options"]] == [f"{alert_id}:{s}" for s in ("supports", "refutes", "neutral")]
    message = {"ts": "1700000000.000002", "text": posted["text"], "blocks": posted["blocks"]}

    # Wrong stance, chosen by a member who is not a moderator: refused, nothing changes.
    await slack.fake.push("interactive", slack.fake.menu("claimwatch_stance", f"{alert_id}:refutes", message,
                                                         user=USER))
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 1)
    assert "Only moderators can use /claim stance" in shown(slack.fake.responses[0])
    assert (await slack.store.get_match(match_id)).stance == "supports"

    # By a moderator: the article's statements now count as refutes, the judge's stance is kept, the alert says so.
    await slack.fake.push("interactive", slack.fake.menu("claimwatch_stance", f"{alert_id}:refutes", message,
                                                         user=MOD))
    await slack.fake.wait_for(lambda: len(slack.fake.responses) == 2)
    answer = slack.fake.responses[1]
    assert answer["response_type"] == "ephemeral"
    assert (f"Alert {alert_id}: 2 statement(s) set to refutes by alice (matches {match_id}, {second}; the judge "
            "said supports): claim #1 counts them as refutes.") in shown(answer)
    for m in (match_id, second):
        info = await slack.store.get_match(m)
        assert (info.stance, info.judged_stance, info.review) == ("refutes", "supports", "confirmed")
    assert (await slack.store.get_match(maybe)).review is None  # a possible match is not the article's evidence
    assert await slack.store.stance_counts(1) == {"refutes": 2}
    update = [u for u in slack.fake.called("chat.update") if u["ts"] == message["ts"]][-1]
    assert f"Stance set to refutes by <@{MOD}>" in shown(update)
    assert '"action_id": "claimwatch_review"' not in json.dumps(update["blocks"])  # a correction reviews it

    # Not about this claim: the article's statements stop counting; pressing again changes nothing.
    message["blocks"] = update["blocks"]
    for expected in (f"Alert {alert_id}: 2 statement(s) rejected by alice (matches {match_id}, {second})",
                     f"Alert {alert_id}: all 2 statement(s) are already rejected"):
        before = len(slack.fake.responses)
        await slack.fake.push("interactive", slack.fake.button("claimwatch_reject", str(alert_id), message, user=MOD))
        await slack.fake.wait_for(lambda n=before: len(slack.fake.responses) == n + 1)
        assert expected in shown(slack.fake.responses[-1])
    assert await slack.store.stance_counts(1) == {}
    update = [u for u in slack.fake.called("chat.update") if u["ts"] == message["ts"]][-1]
    assert f"Marked not about this claim by <@{MOD}>" in shown(update) and "Stance set to" not in shown(update)
    audit = [(e.action, e.target, e.allowed) for e in await slack.store.audit_log()]
    assert ("/claim reject", f"alert={alert_id}", True) in audit
    assert ("/claim stance", f"alert={alert_id} refutes", False) in audit

    # A stale or forged menu value is refused without reaching the commands.
    await slack.fake.push("interactive", slack.fake.menu("claimwatch_stance", f"{alert_id}:sideways", message,
                                                         user=MOD))
    await slack.fake.wait_for(lambda: "out of date" in shown(slack.fake.responses[-1]))
