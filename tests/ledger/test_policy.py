"""Alert policy through the real Outbox with a controllable clock: filters, digests, quiet hours, rate, copies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.alert_types import ConflictAlert, StatementAlert
from bot.alerts import Outbox
from bot.judging import JudgeService
from bot.platform import DeliveryError
from bot.policy import parse_changes, resolve
from bot.policy.gate import story_key
from bot.policy.schedule import digest_due_at, in_quiet, next_at
from tests.clock import Clock
from tests.ledger.stories import (
    RecordingPlatform,
    StoryJudge,
    add_story,
    cycle,
    load_story,
    make_pipeline,
    poll_story,
    publish,
)

pytestmark = pytest.mark.both_backends

CHAN = ("console", "newsroom")



async def setup(store, **settings: str):
    claim = await store.add_claim("Ukraine launched a drone attack on Putin's residence in the Novgorod region")
    await store.watch(claim.id, *CHAN)
    if settings:
        await store.set_policy_settings(*CHAN, None, parse_changes([f"{k}={v}" for k, v in settings.items()]))
    return claim


async def statement(store, claim_id: int, text: str, stance: str = "supports", confidence: float = 0.9,
                    at: str = "2026-01-05T09:00:00+00:00") -> int:
    alert = StatementAlert(title=f"{stance}: claim #{claim_id}", text=text, stance=stance, confidence=confidence,
                           claim_id=claim_id, source="Example Wire", speaker_kind="independent")
    return await store.enqueue_alert(alert, sort_key=at)


async def statuses(store) -> dict[int, str]:
    rows = await store.run(lambda: list(store.db.query("SELECT alert_id, status FROM deliveries")))
    return {r["alert_id"]: r["status"] for r in rows}


def test_settings_parse_resolve_and_errors() -> None:
    chan = parse_changes(["min=70%", "stances=supports,refutes", "mode=daily@7:30", "quiet=22:00-07:00",
                          "rate=5/10m", "tz=Europe/Berlin"])
    claim = parse_changes(["mode=instant", "stances=all"])
    p = resolve(chan, claim)
    assert (p.min_confidence, p.mode, p.daily_at, p.quiet, p.rate, p.rate_window_s, p.tz) == (
        0.7, "instant", "07:30", ("22:00", "07:00"), 5, 600, "Europe/Berlin")
    assert p.stances == ("supports", "refutes", "neutral")  # the claim's own 'all' beats the channel's list
    assert resolve(chan, {}).stances == ("supports", "refutes")
    assert resolve({}, {}).rate == 10 and resolve(parse_changes(["rate=off"]), {}).rate is None
    for bad, reason in [("min=2", "between 0 and 1"), ("stances=maybe", "comma list"), ("mode=weekly", "instant"),
                        ("quiet=22:00", "HH:MM-HH:MM"), ("rate=x/1h", "N/window"), ("tz=Mars/Olympus", "time zone"),
                        ("at=25:00", "HH:MM"), ("colour=red", "not a setting")]:
        with pytest.raises(ValueError, match=reason):
            parse_changes([bad])


def test_schedule_math() -> None:
    p = resolve(parse_changes(["quiet=22:00-07:00"]), {})
    assert in_quiet(p, datetime(2026, 1, 5, 23, 30, tzinfo=UTC))
    assert in_quiet(p, datetime(2026, 1, 6, 6, 59, tzinfo=UTC))
    assert not in_quiet(p, datetime(2026, 1, 6, 7, 0, tzinfo=UTC))
    hourly = resolve(parse_changes(["mode=hourly"]), {})
    assert digest_due_at(hourly, datetime(2026, 1, 5, 10, 20, tzinfo=UTC)) == datetime(2026, 1, 5, 11, tzinfo=UTC)
    berlin = resolve(parse_changes(["mode=daily@08:00", "tz=Europe/Berlin"]), {})
    due = digest_due_at(berlin, datetime(2026, 1, 5, 7, 30, tzinfo=UTC))  # 08:30 in Berlin: tomorrow 08:00
    assert due.astimezone(UTC) == datetime(2026, 1, 6, 7, 0, tzinfo=UTC)
    assert next_at("08:00", datetime(2026, 1, 5, 6, 0, tzinfo=UTC), berlin).astimezone(UTC).hour == 7


async def test_hourly_digest_timing(store) -> None:
    claim = await setup(store, mode="hourly")
    clock = Clock(datetime(2026, 1, 5, 10, 20, tzinfo=UTC))
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, clock)
    ids = [await statement(store, claim.id, f"Statement number {i} about the residence") for i in range(3)]
    await outbox.deliver_once("console")
    assert platform.sent == [] and set((await statuses(store)).values()) == {"held"}
    clock.now = datetime(2026, 1, 5, 10, 59, 59, tzinfo=UTC)
    await outbox.deliver_once("console")
    assert platform.sent == []
    clock.now = datetime(2026, 1, 5, 11, 0, tzinfo=UTC)
    await outbox.deliver_once("console")
    await outbox.deliver_once("console")  # a second pass sends nothing again
    assert platform.kinds() == ["digest"]
    digest = platform.sent[0][1]
    assert digest.alert.title == "Digest: 3 alert(s) held back"
    assert ("Claim #1", "3 supports") in digest.alert.fields
    final = await statuses(store)
    assert all(final[i] == "digested" for i in ids)


async def test_daily_digest_and_quiet_hours_with_escalations(store, chat) -> None:
    claim = await setup(store, quiet="22:00-07:00")
    clock = Clock(datetime(2026, 1, 5, 23, 0, tzinfo=UTC))
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, clock)
    await statement(store, claim.id, "A statement at night")
    conflict = await store.enqueue_alert(ConflictAlert(title="Conflicting figures: claim #1",
                                                       text="drones downed: 89 then 91", claim_id=claim.id))
    await outbox.deliver_once("console")
    assert platform.kinds() == ["conflict"]  # the escalation goes out in quiet hours, the statement waits
    assert platform.sent[0][1].escalation == "conflicting figure" and platform.sent[0][1].alert_id == conflict
    clock.now = datetime(2026, 1, 6, 6, 59, tzinfo=UTC)
    await outbox.deliver_once("console")
    assert platform.kinds() == ["conflict"]
    clock.now = datetime(2026, 1, 6, 7, 0, tzinfo=UTC)
    await outbox.deliver_once("console")
    assert platform.kinds() == ["conflict", "digest"]
    # Daily at 08:00 Berlin time for this claim; a moderator's status change still alerts at once.
    await store.set_policy_settings(*CHAN, claim.id, parse_changes(["mode=daily@08:00", "tz=Europe/Berlin"]))
    clock.now = datetime(2026, 1, 6, 9, 0, tzinfo=UTC)
    await statement(store, claim.id, "A statement in the morning")
    reply = await chat(f"/claim set {claim.id} false Kyiv and the EU call it a fabrication")
    assert reply.ok
    await outbox.deliver_once("console")
    assert platform.kinds()[2:] == ["status"]
    assert platform.sent[2][1].escalation == "moderator status change"
    clock.now = datetime(2026, 1, 7, 6, 59, tzinfo=UTC)
    await outbox.deliver_once("console")
    assert len(platform.sent) == 3
    clock.now = datetime(2026, 1, 7, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    await outbox.deliver_once("console")
    assert platform.kinds()[3:] == ["digest"] and "1 alert(s)" in platform.sent[3][1].alert.title


async def test_filters_by_stance_and_confidence(store) -> None:
    claim = await setup(store, stances="refutes", min="0.95")
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC)))
    sup = await statement(store, claim.id, "They did attack it", "supports", 0.99)
    weak = await statement(store, claim.id, "They did not attack it", "refutes", 0.9)
    strong = await statement(store, claim.id, "There was no attack at all", "refutes", 0.97)
    await outbox.deliver_once("console")
    assert [m.alert_id for _, m in platform.sent] == [strong]
    st = await statuses(store)
    assert (st[sup], st[weak], st[strong]) == ("filtered", "filtered", "sent")


async def test_failed_channel_keeps_order_under_policy(store) -> None:
    claim = await setup(store)
    clock = Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, clock)
    first = await statement(store, claim.id, "First", at="2026-01-05T09:00:00+00:00")
    second = await statement(store, claim.id, "Second", at="2026-01-05T09:05:00+00:00")
    platform.fail["newsroom"] = DeliveryError("rate limited", retry_after=30)
    await outbox.deliver_once("console")
    del platform.fail["newsroom"]
    await outbox.deliver_once("console")  # still waiting for the retry time: nothing jumps the queue
    assert platform.sent == []
    clock.now += timedelta(seconds=31)
    await outbox.deliver_once("console")
    await outbox.deliver_once("console")
    assert [m.alert_id for _, m in platform.sent] == [first, second]


def burst_story(n: int) -> dict:
    return {
        "claim": {"key": "burst", "text": "The tanker Eagle S deliberately cut the Estlink 2 cable in the Baltic Sea",
                  "keywords": ["Estlink"]},
        "sources": {"posts": {"label": "Trending Posts", "speaker_kind": "social"}},
        "documents": [
            {"source": "posts", "published": f"2024-12-26T{10 + i // 60:02d}:{i % 60:02d}:00Z", "slug": f"post-{i}",
             "title": f"Post {i}", "sentences": [["supports", f"Post {i} says the Estlink cut was deliberate, "
                                                  f"reason {i} of {n}."]]}
            for i in range(n)
        ],
    }


async def test_burst_of_200_becomes_one_digest(store, feed_server) -> None:
    story = burst_story(200)
    await add_story(store, feed_server, story)
    await poll_story(store, story)
    clock = Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, clock)  # default policy: 10 messages per hour
    for _ in range(4):
        await outbox.deliver_once("console")
    assert platform.kinds() == ["statement"] * 10
    clock.now += timedelta(minutes=30)
    await outbox.deliver_once("console")
    assert len(platform.sent) == 10
    clock.now = datetime(2026, 1, 5, 13, 0, 1, tzinfo=UTC)
    for _ in range(3):
        await outbox.deliver_once("console")
    assert platform.kinds() == ["statement"] * 10 + ["digest"]
    digest = platform.sent[-1][1]
    assert digest.alert.title == "Digest: 190 alert(s) held back"
    assert "… and 182 more" in digest.alert.text
    assert ("Held by", "rate limit (190)") in digest.alert.fields
    assert set((await statuses(store)).values()) == {"sent", "digested"}


async def test_syndicated_copy_edits_the_first_alert(store, feed_server) -> None:
    story = load_story("drone_residence")
    wire = next(d for d in story["documents"] if d["slug"] == "us-officials")
    judge = JudgeService(StoryJudge([story]))
    await add_story(store, feed_server, story, docs=[wire])
    pipeline = make_pipeline(store, judge)
    platform = RecordingPlatform()
    clock = Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))
    outbox = Outbox(store, {"console": platform}, clock)
    try:
        await cycle(pipeline)
        await outbox.deliver_once("console")
        first = [m for _, m in platform.sent if m.alert.text.startswith("US officials")]
        assert len(first) == 1
        # The same article, carried by another outlet under its own URL: an outlet of one story.
        publish(feed_server, story, [wire, dict(wire, source="daily", slug="us-officials-syndicated")])
        await cycle(pipeline)
        await outbox.deliver_once("console")
        # The wire article is one alert, quoting both its matched statements, and it is edited once.
        assert [m.alert_id for _, m in platform.sent if m.content.kind == "statement"] == [first[0].alert_id]
        assert [(q.text[:12], q.stance) for q in first[0].alert.quotes] == [("US officials", "refutes"),
                                                                      ("Lavrov said ", "supports")]
        assert [m.edit.of for _, m in platform.sent if m.content.kind == "update"] == [first[0].alert_id]
        updates = [m for _, m in platform.sent if m.content.kind == "update" and m.edit.of == first[0].alert_id]
        assert len(updates) == 1
        assert updates[0].edit.of == first[0].alert_id
        assert updates[0].edit.message_id == f"m{first[0].alert_id}"
        assert updates[0].alert.also_carried_by == ("Northern Daily",) and updates[0].alert.outlets == 2
        # A different article repeating the same sentence folds into that alert too (no second ping).
        daily = next(d for d in story["documents"] if d["slug"] == "us-officials-copy")
        publish(feed_server, story, [wire, daily])
        await cycle(pipeline)
        await outbox.deliver_once("console")
    finally:
        await pipeline.client.aclose()
        judge.close()
    pings = [m for _, m in platform.sent if m.content.kind == "statement" and m.alert.text.startswith("US officials")]
    assert len(pings) == 1
    assert "folded" in set((await statuses(store)).values())


async def test_first_official_statement_on_a_side_escalates(store, feed_server) -> None:
    story = load_story("drone_residence")
    await add_story(store, feed_server, story)
    await store.set_policy_settings(*CHAN, None, parse_changes(["mode=daily@08:00"]))
    await poll_story(store, story)
    platform = RecordingPlatform()
    await Outbox(store, {"console": platform}, Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC))).deliver_once("console")
    escalated = [(m.content.kind, getattr(m.alert, "stance", None), m.escalation) for _, m in platform.sent]
    assert escalated.count(("conflict", None, "conflicting figure")) == 2
    assert ("statement", "supports", "first official source asserting the claim") in escalated
    assert ("statement", "refutes", "first official source denying the claim") in escalated
    assert len([e for e in escalated if e[0] == "statement"]) == 2  # everything else waits for 08:00


async def test_copy_is_judged_on_its_own_where_the_first_alert_was_filtered(store) -> None:
    claim = await setup(store, min="0.95")  # the newsroom wants sure alerts only
    desk = ("console", "desk")  # default policy: everything
    await store.watch(claim.id, *desk)
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, Clock(datetime(2026, 1, 5, 12, 0, tzinfo=UTC)))
    text = "Officials said drones were launched at the residence overnight."

    async def carried(source: str, confidence: float, at: str) -> int:
        alert = StatementAlert(title=f"supports: claim #{claim.id}", text=text, stance="supports",
                               confidence=confidence, claim_id=claim.id, source=source,
                               speaker_kind="independent", story_key=story_key(text))
        return await store.enqueue_alert(alert, sort_key=at)

    first = await carried("Example Wire", 0.6, "2026-01-05T09:00:00+00:00")
    await outbox.deliver_once("console")
    assert [(c, m.alert_id) for c, m in platform.sent] == [("desk", first)]

    # The same sentence from a surer source: the newsroom never saw the story, so it gets this copy;
    # the desk, which shows the first alert, gets that alert edited instead of a second ping.
    copy = await carried("Official Gazette", 0.97, "2026-01-05T10:00:00+00:00")
    await outbox.deliver_once("console")
    await outbox.deliver_once("console")  # the edit a fold queues goes out on the next pass
    rows = await store.run(lambda: list(store.db.query(
        "SELECT alert_id, channel, status FROM deliveries WHERE alert_id IN (?, ?)", [first, copy])))
    assert {(r["alert_id"], r["channel"]): r["status"] for r in rows} == {
        (first, "newsroom"): "filtered", (first, "desk"): "sent", (copy, "newsroom"): "sent", (copy, "desk"): "folded"}
    news = [m for c, m in platform.sent if c == "newsroom"]
    assert [(m.content.kind, m.alert_id, m.alert.source) for m in news] == [("statement", copy, "Official Gazette")]
    [edit] = [m for c, m in platform.sent if c == "desk" and m.content.kind == "update"]
    assert edit.edit.of == first and edit.alert.also_carried_by == ("Official Gazette",)

    # A third outlet folds into what each channel shows: the copy in the newsroom, the first at the desk.
    third = await carried("Northern Daily", 0.99, "2026-01-05T11:00:00+00:00")
    await outbox.deliver_once("console")
    await outbox.deliver_once("console")
    st = await statuses(store)
    assert st[third] == "folded"
    updates = {c: m for c, m in platform.sent[-2:] if m.content.kind == "update"}
    assert updates["newsroom"].edit.of == copy and updates["newsroom"].alert.also_carried_by == ("Northern Daily",)
    assert updates["desk"].edit.of == first
    assert updates["desk"].alert.also_carried_by == ("Official Gazette", "Northern Daily",)
    assert [m.content.kind for c, m in platform.sent if c == "newsroom"] == ["statement", "update"]


async def test_a_coin_flip_side_does_not_escalate(store) -> None:
    """An official statement whose side no cue decided and the model doubts follows the channel's policy."""
    from bot.models import AlertRecord
    from bot.policy.gate import Gate

    claim = await setup(store)
    gate = Gate(store)

    async def first(confidence: float) -> str | None:
        alert = StatementAlert(title="t", text="EU ministers ask for a full report on the drone incident.",
                               stance="supports", confidence=confidence, claim_id=claim.id,
                               speaker_kind="official")
        alert_id = await store.enqueue_alert(alert, sort_key="2026-01-05T09:00:00+00:00")
        return await gate.escalation(AlertRecord(alert_id, claim.id, alert, "2026-01-05T09:00:00+00:00", match_id=1))

    assert await first(0.5) is None
