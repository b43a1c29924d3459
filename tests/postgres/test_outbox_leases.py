"""The outbox with several processes: one delivers a platform at a time, a digest goes out once,
and a delivery whose sender died is looked up before it is posted again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.alert_types import StatementAlert
from bot.alerts import Outbox
from bot.policy import parse_changes
from storage import Store
from tests.clock import Clock
from tests.ledger.stories import RecordingPlatform

pytestmark = pytest.mark.both_backends
CHAN = ("console", "newsroom")


async def _alerts(store: Store, n: int, **policy: str) -> list[int]:
    claim = await store.add_claim("The harbour ferry service was suspended after the storm")
    await store.watch(claim.id, *CHAN)
    if policy:
        await store.set_policy_settings(*CHAN, None, parse_changes([f"{k}={v}" for k, v in policy.items()]))
    return [await store.enqueue_alert(
        StatementAlert(title="supports", text=f"Ferry statement {i}", stance="supports", confidence=0.9,
                       claim_id=claim.id, source="Island News", speaker_kind="independent"),
        sort_key=f"2026-01-05T09:00:0{i}+00:00") for i in range(n)]


async def test_two_processes_deliver_each_alert_once(store, other):
    ids = await _alerts(store, 5)
    clock = Clock(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    a, b = RecordingPlatform(), RecordingPlatform()
    sent = await asyncio.gather(Outbox(store, {"console": a}, clock, owner="a:1").deliver_once("console"),
                                Outbox(other, {"console": b}, clock, owner="b:2").deliver_once("console"))
    assert sorted(sent) == [0, 5]
    assert sorted(m.alert_id for _, m in a.sent + b.sent) == ids


async def test_a_digest_is_made_once_across_processes(store, other):
    ids = await _alerts(store, 3, mode="hourly")
    clock = Clock(datetime(2026, 1, 5, 10, 20, tzinfo=UTC))
    a, b = RecordingPlatform(), RecordingPlatform()
    first, second = Outbox(store, {"console": a}, clock, owner="a:1"), Outbox(other, {"console": b}, clock, owner="b:2")
    await first.deliver_once("console")  # holds them for the 11:00 digest; a:1 holds the lease
    clock.now = datetime(2026, 1, 5, 11, 0, 30, tzinfo=UTC)  # a:1 died: its lease (60 s) ran out
    await second.deliver_once("console")
    await first.deliver_once("console")  # back, but b:2 holds the lease now
    assert a.kinds() == [] and b.kinds() == ["digest"]
    assert b.sent[0][1].content.title == "Digest: 3 alert(s) held back"
    rows = await store.run(lambda: [r[0] for r in store.db.execute("SELECT status FROM deliveries WHERE alert_id IN "
                                                                   f"({','.join(map(str, ids))})").fetchall()])
    assert rows == ["digested"] * 3


async def test_a_send_the_dead_holder_began_goes_out_as_maybe_sent(store, other):
    (alert_id,) = await _alerts(store, 1)
    clock = Clock(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    # a:1 noted the send, posted it (or not) and died before recording the outcome.
    assert await store.take_lease("outbox:console", "a:1", "2026-01-05T10:00:00.000+00:00",
                                  "2026-01-05T10:01:00.000+00:00")
    await store.begin_send(alert_id, *CHAN, "2026-01-05T10:00:00+00:00")
    b = RecordingPlatform()
    taker = Outbox(other, {"console": b}, clock, owner="b:2")
    assert await taker.deliver_once("console") == 0  # a:1's lease still runs
    clock.now += timedelta(seconds=61)
    assert await taker.deliver_once("console") == 1
    (message,) = [m for _, m in b.sent]
    assert message.attempt.maybe_sent and message.attempt.first_attempt_at == "2026-01-05T10:00:00+00:00"
