"""Alerts through the real Outbox and discord.py into the fake Discord: embeds, threads, 429s, errors, mentions."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.adapters.discord_render import EMBED_DESCRIPTION, EMBED_TOTAL
from bot.alert_types import Digest, StatementAlert, StatusChange
from bot.alerts import Outbox, statement_alert
from bot.models import Source
from bot.platform import Destination, OutboundMessage, Quote, Reply
from tests.clock import Clock
from tests.discord.conftest import Rig, settings_for, start_rig, stop_rig
from tests.discord.fake_discord import CHANNEL_ID, MOD_ROLE_ID, FakeDiscord
from tests.matches import Row, store_rows

CHANNEL = str(CHANNEL_ID)



def payload(claim_id: int, text: str, stance: str = "refutes", **extra: Any) -> StatementAlert:
    """A statement alert, as the pipeline builds it."""
    return StatementAlert(**{
        "title": f"{stance.upper()}: claim #{claim_id}", "text": text, "stance": stance, "confidence": 0.9,
        "claim_id": claim_id, "claim_text": "The Old Town bridge was closed on Monday",
        "speaker": "the city council", "source": "City wire", "link": "https://news.example/bridge",
        "published_at": "2026-11-23T08:30:00+00:00", "outlets": 3, **extra,
    })


async def queue(rig: Rig, text: str, **extra: Any) -> int:
    claim = (await rig.store.list_claims())[0]
    return await rig.store.enqueue_alert(payload(claim.id, text, **extra),
                                         destinations=[("discord", CHANNEL)])


async def new_rig(fake: FakeDiscord, tmp_path: Path, threads: bool) -> tuple[Rig, Outbox, Clock]:
    rig = await start_rig(fake, settings_for(fake, tmp_path, CLAIMWATCH_DISCORD_THREADS=threads))
    await rig.store.add_claim("The Old Town bridge was closed on Monday", "test")
    clock = Clock()
    return rig, Outbox(rig.store, {"discord": rig.platform}, clock=clock), clock


async def test_alert_embed_colour_fields_and_no_mentions(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=False)
    try:
        alert_id = await queue(rig, "The bridge never closed, the council said.")
        assert await outbox.deliver_once("discord") == 1
        [msg] = fake.sent(CHANNEL_ID)
        [embed] = msg["embeds"]
        assert embed["color"] == 0xC0392B  # refutes: red
        assert embed["title"] == "REFUTES: claim #1" and embed["url"] == "https://news.example/bridge"
        assert embed["description"] == "“The bridge never closed, the council said.”"
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["Claim"] == "#1 The Old Town bridge was closed on Monday"
        assert (fields["Speaker"], fields["Source"], fields["Outlets"]) == ("the city council", "City wire", "3")
        assert embed["timestamp"].startswith("2026-11-23T08:30:00")
        assert embed["footer"]["text"] == f"Claimwatch alert {alert_id}"
        assert msg["allowed_mentions"] == {"parse": []} and msg["content"] == ""
        assert await rig.store.delivery_counts() == {"sent": 1}
    finally:
        await stop_rig(rig)


async def test_alerts_of_a_claim_go_to_its_thread(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=True)
    try:
        await queue(rig, "First: the bridge was shut.", stance="supports")
        await queue(rig, "Second: traffic crossed the bridge all day.")
        assert await outbox.deliver_once("discord") == 2
        [starter] = fake.sent(CHANNEL_ID)
        [(thread_id, thread)] = fake.threads.items()
        assert thread["message"] == int(starter["id"]) and thread["name"].startswith("Claim #1: The Old Town")
        assert await rig.store.get_thread("discord", CHANNEL, 1) == str(thread_id)
        [inside] = fake.sent(thread_id)
        assert inside["embeds"][0]["description"] == "“Second: traffic crossed the bridge all day.”"
        assert inside["allowed_mentions"] == {"parse": []}
        # The thread is deleted: the next alert starts a fresh one instead of failing forever.
        del fake.messages[thread_id]
        await queue(rig, "Third: the council confirmed a closure.")
        assert await outbox.deliver_once("discord") == 1
        assert len(fake.sent(CHANNEL_ID)) == 2 and len(fake.threads) == 2
    finally:
        await stop_rig(rig)


async def test_article_alert_quotes_each_deciding_statement(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=False)
    try:
        quotes = (Quote("The bridge never closed, the council said.", "the city council", "refutes"),
                  Quote("@everyone traffic crossed all day.", "@here police", "refutes"))
        await queue(rig, quotes[0].text, quotes=quotes)
        assert await outbox.deliver_once("discord") == 1
        [msg] = fake.sent(CHANNEL_ID)
        [embed] = msg["embeds"]
        assert embed["description"] == ("[-] “The bridge never closed, the council said.”\n— the city council, "
                                        "refutes the claim\n\n[-] “@everyone traffic crossed all day.”\n— @here "
                                        "police, refutes the claim")
        assert "Speaker" not in {f["name"] for f in embed["fields"]}
        assert msg["allowed_mentions"] == {"parse": []} and msg["content"] == ""  # quoted @everyone never pings
    finally:
        await stop_rig(rig)


async def test_short_429_is_waited_out_then_sent_once(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=False)
    try:
        await queue(rig, "Rate limited once.")
        fake.fail_next("POST", f"/channels/{CHANNEL_ID}/messages", 429,
                       {"message": "You are being rate limited.", "retry_after": 0.2, "global": False},
                       headers={"Via": "1.1 google", "Retry-After": "1"})
        assert await outbox.deliver_once("discord") == 1
        posts = [r for r in fake.requests if r[0] == "POST" and r[1] == f"/channels/{CHANNEL_ID}/messages"]
        assert len(posts) == 2 and len(fake.sent(CHANNEL_ID)) == 1
    finally:
        await stop_rig(rig)


async def test_long_429_leaves_the_alert_queued_and_later_ones_wait(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=False)
    try:
        await queue(rig, "one")
        await queue(rig, "two")
        fake.fail_next("POST", f"/channels/{CHANNEL_ID}/messages", 429,
                       {"message": "You are being rate limited.", "retry_after": 45.0, "global": False},
                       headers={"Via": "1.1 google"})
        assert await outbox.deliver_once("discord") == 0  # 45 s > what discord.py waits inline
        assert fake.sent(CHANNEL_ID) == []  # "two" waited behind "one": order is kept
        clock.advance(30)
        assert await outbox.deliver_once("discord") == 0  # retry_after honoured
        clock.advance(20)
        assert await outbox.deliver_once("discord") == 2
        assert [m["embeds"][0]["description"] for m in fake.sent(CHANNEL_ID)] == ["“one”", "“two”"]
    finally:
        await stop_rig(rig)


async def test_lost_answer_is_retried_without_a_second_message(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, clock = await new_rig(fake, tmp_path, threads=False)
    try:
        await queue(rig, "Posted, but the answer was lost.")
        fake.fail_next("POST", f"/channels/{CHANNEL_ID}/messages", 500, drop_after_create=True)
        assert await outbox.deliver_once("discord") == 0
        assert await rig.store.delivery_counts() == {"pending": 1}
        clock.advance(60)
        assert await outbox.deliver_once("discord") == 1
        assert len(fake.sent(CHANNEL_ID)) == 1  # the nonce made Discord return the first message
        assert await outbox.deliver_once("discord") == 0
    finally:
        await stop_rig(rig)


async def test_unknown_channel_and_missing_access_are_permanent(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=False)
    try:
        claim = (await rig.store.list_claims())[0]
        await rig.store.enqueue_alert(payload(claim.id, "nowhere"),
                                      destinations=[("discord", "123456789")])
        await queue(rig, "forbidden")
        fake.fail_next("POST", f"/channels/{CHANNEL_ID}/messages", 403, {"message": "Missing Access", "code": 50001})
        assert await outbox.deliver_once("discord") == 0
        assert await rig.store.delivery_counts() == {"failed": 2}
    finally:
        await stop_rig(rig)


async def test_everyone_injection_in_an_alert_pings_nobody(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=False)
    try:
        await queue(rig, "@everyone @here <@&700000000000000300> <@700000000000000400> read this",
                    speaker="@everyone", source="<@&700000000000000300>")
        assert await outbox.deliver_once("discord") == 1
        [msg] = fake.sent(CHANNEL_ID)
        assert msg["allowed_mentions"] == {"parse": []}  # Discord parses no mention of any kind
        assert "@everyone" in msg["embeds"][0]["description"]
    finally:
        await stop_rig(rig)


async def test_long_text_is_split_within_embed_limits(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=False)
    try:
        sentence = "The council published a long account of the closure and the traffic plans. "
        await queue(rig, sentence * 60)  # about 4,600 characters
        await queue(rig, sentence * 200)  # about 15,000: more than one message may carry
        assert await outbox.deliver_once("discord") == 2
        first, second = fake.sent(CHANNEL_ID)
        assert len(first["embeds"]) == 2
        for msg in (first, second):
            sizes = [len(e.get("description", "")) for e in msg["embeds"]]
            assert max(sizes) <= EMBED_DESCRIPTION
            total = sum(len(e.get("title", "")) + len(e.get("description", "")) + len(e["footer"]["text"])
                        if "footer" in e else len(e.get("description", "")) for e in msg["embeds"])
            total += sum(len(f["name"]) + len(f["value"]) for f in msg["embeds"][0]["fields"])
            assert total <= EMBED_TOTAL
        assert second["embeds"][-1]["description"].endswith("(cut; the full text is at the link)")
    finally:
        await stop_rig(rig)


async def test_reply_with_an_image_and_files_uploads_them(rig: Rig) -> None:
    async def charting(command: Any) -> Reply:
        return Reply("Chart attached.", image=b"\x89PNG fake", image_name="claim-1.png",
                     attachments={"claim-1.csv": b"a,b\n1,2\n"})

    rig.platform.inbound.dispatch = charting
    iid, _ = await rig.fake.interaction(2, "claim", "list", [])
    body = await rig.fake.callback(iid)
    assert body["data"]["content"] == "Chart attached."
    assert body["_files"] == {"files[0]": 9, "files[1]": 8}


async def test_alert_image_is_uploaded_and_shown_in_the_embed(rig: Rig) -> None:
    message = OutboundMessage(7, Digest(title="Weekly digest", text="Three claims moved."), image=b"\x89PNG chart")
    receipt = await rig.platform.send(Destination("discord", CHANNEL), message)
    [msg] = rig.fake.sent(CHANNEL_ID)
    assert receipt.message_id == msg["id"] and receipt.thread_id is None  # no claim: no thread
    assert msg["embeds"][0]["image"]["url"] == "attachment://claimwatch-alert.png"
    assert msg["embeds"][0]["color"] == 0x5865F2
    body = [b for m, p, b in rig.fake.requests if m == "POST" and p == f"/channels/{CHANNEL_ID}/messages"][0]
    assert body["_files"] == {"files[0]": len(b"\x89PNG chart")} and body["allowed_mentions"] == {"parse": []}


async def test_locked_thread_falls_back_to_a_new_thread(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=True)
    try:
        await queue(rig, "first")
        assert await outbox.deliver_once("discord") == 1
        [old_thread] = fake.threads
        fake.fail_next("POST", f"/channels/{old_thread}/messages", 403, {"message": "Thread is locked", "code": 50083})
        await queue(rig, "second")
        assert await outbox.deliver_once("discord") == 1
        assert len(fake.sent(CHANNEL_ID)) == 2 and len(fake.threads) == 2
        assert await rig.store.get_thread("discord", CHANNEL, 1) != str(old_thread)
    finally:
        await stop_rig(rig)


async def test_syndicated_copy_edits_the_first_alert_in_place(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=True)
    try:
        claim = (await rig.store.list_claims())[0]
        text = "The council said the Old Town bridge was closed on Monday."

        def copy_from(source: Source) -> StatementAlert:
            return statement_alert(claim, text, "supports", 0.8, "the city council", f"{source.url}/bridge",
                                     "Bridge story", "2026-11-23T09:00:00+00:00", source)

        wire = Source(id=1, url="https://wire.example", label="City wire", speaker_kind="independent")
        radio = Source(id=2, url="https://radio.example", label="Coast Radio", speaker_kind="independent")
        await rig.store.enqueue_alert(copy_from(wire), destinations=[("discord", CHANNEL)])
        assert await outbox.deliver_once("discord") == 1
        [first] = fake.sent(CHANNEL_ID)
        await rig.store.enqueue_alert(copy_from(radio), destinations=[("discord", CHANNEL)])
        await outbox.deliver_once("discord")  # the copy folds into the story: an update is queued
        await outbox.deliver_once("discord")  # ... and edits the first message
        assert fake.sent(CHANNEL_ID) == [first] and all(not fake.sent(t) for t in fake.threads)
        assert first["edited_timestamp"] is not None and first["allowed_mentions"] == {"parse": []}
        fields = {f["name"]: f["value"] for f in first["embeds"][0]["fields"]}
        assert fields["Also carried by"] == "Coast Radio" and fields["Outlets"] == "2"
        # The original was deleted meanwhile: the next update is posted instead of being lost.
        fake.messages[CHANNEL_ID].clear()
        tv = Source(id=3, url="https://tv.example", label="Harbour TV", speaker_kind="independent")
        await rig.store.enqueue_alert(copy_from(tv), destinations=[("discord", CHANNEL)])
        await outbox.deliver_once("discord")
        await outbox.deliver_once("discord")
        [thread_id] = fake.threads
        [posted] = fake.sent(thread_id)
        assert "Harbour TV" in {f["name"]: f["value"] for f in posted["embeds"][0]["fields"]}["Also carried by"]
    finally:
        await stop_rig(rig)


async def review_field(msg: dict[str, Any], expected: str) -> None:
    """Wait until the alert message shows `expected` as its Review field (the edit follows the answer)."""
    async with asyncio.timeout(5):
        while True:
            shown = [f["value"] for f in msg["embeds"][0]["fields"] if f["name"] == "Review"]
            if shown == [expected]:
                return
            await asyncio.sleep(0.02)


def components(msg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The message's buttons and menus by custom_id."""
    return {c["custom_id"]: c for row in msg["components"] for c in row["components"]}


async def press(rig: Rig, msg: dict[str, Any], custom_id: str, values: list[str] | None = None,
                roles: list[int] | None = None) -> dict[str, Any]:
    """Press a component on a posted message as a member; returns the bot's answer to the presser."""
    iid, _ = await rig.fake.press(msg, custom_id, values, roles)
    return (await rig.fake.callback(iid))["data"]


async def test_review_and_correction_buttons(fake: FakeDiscord, tmp_path: Path) -> None:
    rig, outbox, _ = await new_rig(fake, tmp_path, threads=False)
    try:
        await rig.store.watch(1, "discord", CHANNEL)
        # The alert stands for its article: its corrections reach every alert-tier statement of the claim there.
        match_id, second, maybe = await store_rows(rig.store, [
            Row("The council said the bridge closed on Monday.", alert=True),
            Row("Police said the bridge stayed closed all Monday.", stance="neutral"),
            Row("Traffic was heavy in the Old Town.", tier="possible", score=0.33),
        ])
        [alert] = [p.alert for p in await rig.store.pending_deliveries("discord", "9999")]
        notice = await rig.store.enqueue_alert(StatusChange(title="Status change", text="x", claim_id=1),
                                               destinations=[("discord", CHANNEL)])
        assert await outbox.deliver_once("discord") == 2
        posted, status = fake.sent(CHANNEL_ID)
        buttons = components(posted)
        assert set(buttons) == {f"claimwatch:{a}:{alert.id}" for a in ("review", "reject", "stance")}
        assert buttons[f"claimwatch:reject:{alert.id}"]["label"] == "Not about this claim"
        menu = buttons[f"claimwatch:stance:{alert.id}"]
        assert menu["type"] == 3 and [o["value"] for o in menu["options"]] == ["supports", "refutes", "neutral"]
        assert set(components(status)) == {f"claimwatch:review:{notice}"}  # nothing to correct on a status change

        # Not a moderator: refused privately, nothing changes, the alert stays as it was.
        refused = await press(rig, posted, f"claimwatch:stance:{alert.id}", ["refutes"], roles=[])
        assert refused["content"] == "Only moderators can use /claim stance." and refused["flags"] & 64
        assert (await rig.store.get_match(match_id)).stance == "supports" and posted["edited_timestamp"] is None

        answer = await press(rig, posted, f"claimwatch:stance:{alert.id}", ["refutes"], roles=[MOD_ROLE_ID])
        assert answer["content"] == (f"Alert {alert.id}: 2 statement(s) set to refutes by Reporter (matches "
                                     f"{match_id}, {second}; the judge said supports 1, neutral 1): claim #1 "
                                     "counts them as refutes.")
        assert answer["flags"] & 64 and answer["allowed_mentions"] == {"parse": []}
        assert await rig.store.stance_counts(1) == {"refutes": 2}
        assert (await rig.store.get_match(maybe)).review is None  # a possible match is not the article's evidence
        await review_field(posted, "Stance set to refutes by Reporter")

        answer = await press(rig, posted, f"claimwatch:reject:{alert.id}", roles=[MOD_ROLE_ID])
        assert answer["content"].startswith(f"Alert {alert.id}: 2 statement(s) rejected by Reporter (matches "
                                            f"{match_id}, {second}): not about claim #1")
        assert await rig.store.stance_counts(1) == {}
        await review_field(posted, "Not about this claim (marked by Reporter)")  # replaces the earlier line

        answer = await press(rig, status, f"claimwatch:review:{notice}", roles=[MOD_ROLE_ID])
        assert answer["content"] == f"Alert {notice} marked reviewed by Reporter."
        await review_field(status, "Reviewed by Reporter")
        assert posted["allowed_mentions"] == {"parse": []}
        audit = [(e.action, e.target, e.allowed) for e in await rig.store.audit_log()]
        assert ("/claim reject", f"alert={alert.id}", True) in audit
        assert ("/claim stance", f"alert={alert.id} refutes", False) in audit
    finally:
        await stop_rig(rig)
