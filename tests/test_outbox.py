"""The outbox: oldest first, once per destination, retries in order after failures."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.alert_types import StatementAlert
from bot.alerts import Outbox
from bot.platform import DeliveryError, DeliveryReceipt, Destination, OutboundMessage
from bot.policy import parse_changes
from tests.clock import Clock

pytestmark = pytest.mark.both_backends


class FlakyPlatform:
    """Records sends; fails while `down` is set, optionally with a Retry-After."""

    name = "fake"

    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []
        self.down = False
        self.retry_after: float | None = None
        self.permanent_for: set[str] = set()

    async def serve(self, dispatch) -> None:  # pragma: no cover - not used here
        await asyncio.Event().wait()

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        if dest.channel in self.permanent_for:
            raise DeliveryError("channel_not_found", permanent=True)
        if self.down:
            raise DeliveryError("service unavailable", retry_after=self.retry_after)
        await asyncio.sleep(0)
        self.sent.append((dest.channel, message.alert_id))
        return DeliveryReceipt(self.name, dest.channel, message_id=f"m{message.alert_id}")



async def _queue(store, n: int, channels=("a", "b")) -> list[int]:
    ids = []
    for i in range(n):
        # Sort keys out of insertion order: delivery must follow the story time, not the id.
        key = f"2025-12-{29 - i:02d}T10:00:00+00:00"
        ids.append(await store.enqueue_alert(StatementAlert(title=f"t{i}", text="x"),
                                             destinations=[("fake", c) for c in channels], sort_key=key))
    return ids


async def test_oldest_first_and_once(store):
    platform, clock = FlakyPlatform(), Clock(datetime(2026, 1, 1, tzinfo=UTC))
    ids = await _queue(store, 3)
    outbox = Outbox(store, {"fake": platform}, clock)
    await asyncio.gather(outbox.deliver_once("fake"), outbox.deliver_once("fake"))
    await outbox.deliver_once("fake")
    assert [a for c, a in platform.sent if c == "a"] == list(reversed(ids))
    assert len(platform.sent) == 6
    assert (await store.delivery_counts()) == {"sent": 6}


async def test_outage_then_recovery_keeps_order(store):
    platform, clock = FlakyPlatform(), Clock(datetime(2026, 1, 1, tzinfo=UTC))
    ids = await _queue(store, 4, channels=("a",))
    outbox = Outbox(store, {"fake": platform}, clock)
    platform.down, platform.retry_after = True, 30
    assert await outbox.deliver_once("fake") == 0
    clock.now += timedelta(seconds=10)
    assert await outbox.deliver_once("fake") == 0  # still inside Retry-After: nothing jumps the queue
    platform.down = False
    clock.now += timedelta(seconds=30)
    assert await outbox.deliver_once("fake") == 4
    assert [a for _, a in platform.sent] == list(reversed(ids))
    assert await outbox.deliver_once("fake") == 0


async def test_backoff_without_retry_after_grows(store):
    platform, clock = FlakyPlatform(), Clock(datetime(2026, 1, 1, tzinfo=UTC))
    await _queue(store, 1, channels=("a",))
    outbox = Outbox(store, {"fake": platform}, clock)
    platform.down = True
    for _ in range(3):
        await outbox.deliver_once("fake")
        clock.now += timedelta(seconds=600)
    pending = await store.pending_deliveries("fake", "9999")
    assert pending[0].attempts == 3


async def test_permanent_failure_does_not_block_other_channels(store):
    platform, clock = FlakyPlatform(), Clock(datetime(2026, 1, 1, tzinfo=UTC))
    platform.permanent_for = {"gone"}
    await _queue(store, 2, channels=("gone", "ok"))
    outbox = Outbox(store, {"fake": platform}, clock)
    await outbox.deliver_once("fake")
    clock.now += timedelta(hours=1)
    await outbox.deliver_once("fake")
    assert [c for c, _ in platform.sent] == ["ok", "ok"]
    assert (await store.delivery_counts()) == {"failed": 2, "sent": 2}


class Remembering(FlakyPlatform):
    """Also keeps each message's dedupe fields."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[OutboundMessage] = []

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        self.messages.append(message)
        return await super().send(dest, message)


async def test_unrecorded_send_is_retried_as_maybe_sent_past_the_gate(store):
    platform, clock = Remembering(), Clock(datetime(2026, 1, 1, tzinfo=UTC))
    claim = await store.add_claim("The bridge closed on Monday", "test")
    alert_id = await store.enqueue_alert(
        StatementAlert(title="t", text="x", stance="supports", confidence=0.5, claim_id=claim.id),
        destinations=[("fake", "a")])
    real = store.record_sent

    async def killed(*args, **kwargs):  # the process dies after the platform answered
        raise RuntimeError("killed")

    store.record_sent = killed
    try:
        await Outbox(store, {"fake": platform}, clock).deliver_once("fake")
    except RuntimeError:
        pass
    store.record_sent = real
    # Meanwhile the channel's policy changed so that this alert would now be filtered out: it may be
    # on screen already, so it is delivered (checked by the adapter), not filtered.
    await store.set_policy_settings("fake", "a", None, parse_changes(["min=0.9"]))
    clock.now += timedelta(minutes=5)
    assert await Outbox(store, {"fake": platform}, clock).deliver_once("fake") == 1
    first, again = platform.messages
    assert (first.attempt.maybe_sent, again.attempt.maybe_sent) == (False, True)
    assert first.attempt.dedupe_key == again.attempt.dedupe_key == f"claimwatch:{alert_id}:fake:a"
    assert again.attempt.first_attempt_at == first.attempt.first_attempt_at == "2026-01-01T00:00:00+00:00"
    assert await Outbox(store, {"fake": platform}, clock).deliver_once("fake") == 0
    assert await store.delivery_counts() == {"sent": 1}
