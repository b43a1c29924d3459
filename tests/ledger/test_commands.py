"""/claim evidence, /claim export, /claim alerts through the real dispatcher; console attachments."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re

import pytest

from bot.adapters.console_adapter import ConsoleAdapter, render_alert
from bot.alert_types import Edit, StatementAlert
from bot.ledger.export import CLAIMREVIEW_REQUIRED, missing_claimreview_fields
from bot.platform import OutboundMessage, Reply
from tests.ledger.stories import add_story, load_story, poll_story

pytestmark = pytest.mark.both_backends


@pytest.fixture
async def drone(store, feed_server):
    story = load_story("drone_residence")
    fed = await add_story(store, feed_server, story)
    await poll_story(store, story)
    return fed


async def test_evidence_pages(chat, drone) -> None:
    page1 = await chat("/claim evidence 1", user="reader")
    assert page1.text.startswith("Claim #1 statements, page 1 of 2 (15 in all, newest first):")
    assert page1.text.count("\n") == 9 and page1.text.endswith("Next: /claim evidence 1 2")
    # Rows count from 1 across pages (match ids are shown apart for /claim why and the corrections).
    assert [line.split(".")[0] for line in page1.text.splitlines()[1:9]] == [str(n) for n in range(1, 9)]
    page2 = await chat("/claim evidence 1 2", user="reader")
    assert "page 2 of 2" in page2.text and "Next:" not in page2.text
    assert page2.text.splitlines()[1].startswith("9. [")
    refutes = await chat("/claim evidence 1 refutes", user="reader")
    assert refutes.text.startswith("Claim #1 refutes statements, page 1 of 1 (6 in all")
    assert "[refutes 90%] Kallas (EU External Action, official, 2025-12-30 09:15 UTC)" in refutes.text
    assert re.search(r"\(match \d+\) http://", refutes.text)
    await chat("/claim alerts all tz=Europe/Berlin")
    berlin = await chat("/claim evidence 1 refutes", user="reader")
    assert "[refutes 90%] Kallas (EU External Action, official, 2025-12-30 10:15 CET)" in berlin.text
    for line, reason in [("/claim evidence", "Which claim?"), ("/claim evidence 1 maybe", "neither a stance"),
                         ("/claim evidence 1 9", "Page 9 does not exist"), ("/claim evidence 7", "No claim #7")]:
        reply = await chat(line, user="reader")
        assert not reply.ok and reason in reply.text, line


async def test_export_json_csv_and_claimreview(chat, drone) -> None:
    before = await chat("/claim export 1", user="reader")
    assert set(before.attachments) == {"claim-1-ledger.json", "claim-1-statements.csv"}
    assert "No ClaimReview: status is 'unverified'" in before.text
    data = json.loads(before.attachments["claim-1-ledger.json"])
    assert data["counts"]["by_stance"] == {"neutral": 3, "supports": 6, "refutes": 6}
    assert len(data["statements"]) == 15 and len(data["conflicts"]) == 2
    assert data["sides"]["asserting"]["first"]["speaker"] == "Lavrov"
    assert data["independent_confirmation"]["confirmed"] is False
    rows = list(csv.DictReader(io.StringIO(before.attachments["claim-1-statements.csv"].decode())))
    assert len(rows) == 15 and {r["speaker_kind"] for r in rows} == {"official", "state_media", "independent", "social"}

    assert (await chat("/claim set 1 false Kyiv, the EU and US officials found no evidence")).ok
    after = await chat("/claim export 1 url=https://desk.example.org/reviews/1", user="reader")
    review = json.loads(after.attachments["claim-1-claimreview.jsonld"])
    assert missing_claimreview_fields(review) == []
    assert all(review[k] for k in CLAIMREVIEW_REQUIRED)
    assert review["@type"] == "ClaimReview" and review["url"] == "https://desk.example.org/reviews/1"
    assert review["reviewRating"]["ratingValue"] == 1
    # alternateName is the public verdict phrase only; the moderator's note stays in the team's ledger JSON
    assert review["reviewRating"]["alternateName"] == "False"
    assert "Kyiv, the EU" not in after.attachments["claim-1-claimreview.jsonld"].decode()
    assert "(verdict: False)" in after.text
    assert json.loads(after.attachments["claim-1-ledger.json"])["claim"]["note"].startswith("Kyiv, the EU")
    assert review["itemReviewed"]["author"]["name"] == "Lavrov"
    assert review["itemReviewed"]["datePublished"] == "2025-12-29"
    bad = await chat("/claim export 1 url=ftp://x", user="reader")
    assert not bad.ok and "url= must be" in bad.text


async def test_alerts_settings_commands(chat, store, drone) -> None:
    shown = await chat("/claim alerts", user="reader")
    assert shown.text.startswith("Alerts in this channel: min confidence 0%; stances supports,refutes,neutral; instant")
    refused = await chat("/claim alerts all mode=hourly", user="reader")
    assert not refused.ok and "Only moderators" in refused.text
    ok = await chat("/claim alerts all mode=daily@08:00 quiet=22:00-07:00 rate=5/30m")
    assert ok.ok and "daily digest at 08:00; quiet 22:00-07:00; rate 5 per 30m" in ok.text
    per_claim = await chat("/claim alerts 1 stances=refutes min=0.8")
    assert "Alerts for claim #1 in this channel" in per_claim.text and "stances refutes" in per_claim.text
    listing = await chat("/claim alerts", user="reader")
    assert "  claim #1: min confidence 80%; stances refutes; daily digest at 08:00" in listing.text
    bad = await chat("/claim alerts 1 mode=weekly")
    assert not bad.ok and "mode= must be instant, hourly or daily" in bad.text
    assert (await chat("/claim alerts 1 reset")).ok
    assert await store.channel_policies("console", "newsroom") == {0: {
        "mode": "daily", "daily_at": "08:00", "quiet": ["22:00", "07:00"], "rate": [5, 1800]}}
    audit = await store.audit_log()
    assert [(a.action, a.allowed) for a in audit[:2]] == [("/claim alerts", True), ("/claim alerts", True)]
    assert ("/claim alerts", False) in [(a.action, a.allowed) for a in audit]


async def test_console_writes_attachments_and_prints_updates(tmp_path) -> None:
    out = io.StringIO()
    console = ConsoleAdapter(stdin=io.StringIO("/claim export 1\n"), stdout=out, prompt=False,
                             files_dir=tmp_path / "files")

    async def dispatch(_command) -> Reply:
        return Reply("exported", attachments={"claim-1-ledger.json": b"{}"}, image=b"\x89PNG..",
                     image_name="claim-1-timeline.png")

    with pytest.raises(TimeoutError):  # serve() keeps watching after input ends; stop it after the reply
        await asyncio.wait_for(console.serve(dispatch), timeout=1.0)
    text = out.getvalue()
    assert "exported" in text
    assert f"(attached: {tmp_path / 'files' / 'claim-1-ledger.json'})" in text
    assert (tmp_path / "files" / "claim-1-timeline.png").read_bytes() == b"\x89PNG.."
    edited = StatementAlert(title="REFUTES: claim #1", text="US officials found no evidence", stance="refutes",
                            source="Example Wire", also_carried_by=("Northern Daily",), outlets=2)
    update = OutboundMessage(9, Edit(4, edited, message_id="m4"))
    rendered = render_alert(update)
    assert rendered.startswith("[-] UPDATE of alert 4 (message m4): REFUTES: claim #1")
    assert "also carried by Northern Daily" in rendered
