"""The outbox reads held alerts in full only when a digest can be due: one grouped look otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.alerts import Outbox
from tests.clock import Clock
from tests.ledger.stories import RecordingPlatform
from tests.ledger.test_policy import setup, statement, statuses


@pytest.fixture
def full_reads(store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = store.held_deliveries

    async def counting(platform: str):  # noqa: ANN202
        calls.append(platform)
        return await real(platform)

    monkeypatch.setattr(store, "held_deliveries", counting)
    return calls


async def test_hourly_digest_reads_held_alerts_once(store, full_reads) -> None:
    claim = await setup(store, mode="hourly")
    clock = Clock(datetime(2026, 1, 5, 10, 20, tzinfo=UTC))
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, clock)
    for i in range(300):
        await statement(store, claim.id, f"Statement number {i} about the residence")
    for minute in range(21, 60, 7):  # passes while nothing can be due
        clock.now = datetime(2026, 1, 5, 10, minute, tzinfo=UTC)
        await outbox.deliver_once("console")
    assert platform.sent == [] and full_reads == []
    clock.now = datetime(2026, 1, 5, 11, 0, tzinfo=UTC)
    await outbox.deliver_once("console")
    await outbox.deliver_once("console")
    assert platform.kinds() == ["digest"] and full_reads == ["console"]
    assert platform.sent[0][1].alert.title == "Digest: 300 alert(s) held back"
    assert sorted((await statuses(store)).values()) == ["digested"] * 300 + ["sent"]  # the 300, then the digest


async def test_rate_held_alerts_wait_for_the_window(store, full_reads) -> None:
    claim = await setup(store, rate="1/1h")
    start = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    clock = Clock(start)
    platform = RecordingPlatform()
    outbox = Outbox(store, {"console": platform}, clock)
    for i in range(4):
        await statement(store, claim.id, f"Statement number {i} about the residence")
    await outbox.deliver_once("console")  # one sent, three held by the rate limit
    for minutes in (5, 30, 59):
        clock.now = start + timedelta(minutes=minutes)
        await outbox.deliver_once("console")
    assert platform.kinds() == ["statement"] and full_reads == []
    clock.now = start + timedelta(hours=1, minutes=1)
    await outbox.deliver_once("console")
    assert platform.kinds() == ["statement", "digest"] and full_reads == ["console"]
