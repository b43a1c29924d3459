"""Statement alerts, and the outbox deliverer: oldest first, once per destination, retried on failure."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.alert_types import Edit, StatementAlert
from bot.leases import OUTBOX_LEASE_S, PROCESS_ID, until
from bot.leases import iso as lease_iso
from bot.models import Claim, PendingDelivery, Source
from bot.ops import metrics
from bot.platform import Attempt, DeliveryError, Destination, OutboundMessage, Platform, Quote
from bot.policy.gate import Decision, Gate, GatePass, iso, story_key
from storage import Store

log = logging.getLogger(__name__)

STANCE_WORD = {"supports": "SUPPORTS", "refutes": "REFUTES", "neutral": "NEUTRAL"}
MAX_BACKOFF_S = 600.0
MAX_QUOTES = 3  # an alert quotes at most this many of the statements that decided it


def statement_alert(
    claim: Claim,
    text: str,
    stance: str,
    confidence: float,
    speaker: str | None,
    url: str,
    title: str,
    published_at: str | None,
    source: Source,
    quotes: Sequence[Quote] = (),
) -> StatementAlert:
    """A claim's alert for one article; `quotes` (default: `text` alone) decided its stance."""
    return StatementAlert(
        title=f"{STANCE_WORD.get(stance, stance)}: claim #{claim.id}",
        text=text,
        claim_id=claim.id,
        claim_text=claim.text,
        stance=stance,
        confidence=round(confidence, 3),
        speaker=speaker,
        quotes=tuple(quotes[:MAX_QUOTES]) or (Quote(text, speaker, stance),),
        source=source.label or source.url,
        speaker_kind=source.speaker_kind,
        link=url or None,
        doc_title=title,
        published_at=published_at,
        # Syndicated copies share the wording; the outbox folds them into the story's first alert.
        story_key=story_key(text),
    )


def dedupe_key(alert_id: int, platform: str, channel: str) -> str:
    """A stable key per (alert, destination): adapters tag posts with it to find them after a crash."""
    return f"claimwatch:{alert_id}:{platform}:{channel}"


class Outbox:
    """Delivers pending alerts per platform; a channel's later alerts wait behind a failed one.

    Before sending, the policy gate decides per delivery: send, hold for the channel's digest,
    filter out (below the channel's confidence or stances), or fold a syndicated copy into its
    story's first alert. Escalations always send. Each pass first turns due held alerts into one
    digest per channel.
    """

    def __init__(
        self, store: Store, platforms: Mapping[str, Platform], clock: Callable[[], datetime] | None = None,
        owner: str = PROCESS_ID, lease_s: float = OUTBOX_LEASE_S,
    ) -> None:
        self.store = store
        self.owner = owner
        self.lease_s = lease_s
        self.platforms = platforms
        self.clock = clock or (lambda: datetime.now(UTC))
        self.gate = Gate(store)
        self.wake = asyncio.Event()
        # One deliverer per platform at a time, or two passes could send the same row twice.
        self._locks = {name: asyncio.Lock() for name in platforms}
        self._holding: dict[str, bool] = {}
        # False for a platform this process cannot send on now (a Discord gateway another holds).
        self.active: Callable[[str], bool] = lambda name: True

    async def deliver_once(self, platform_name: str) -> int:
        """Send what is due on one platform; returns how many were delivered."""
        async with self._locks[platform_name]:
            # One process at a time delivers a platform (its order, rate limits and digests are
            # per channel): the others wait for the lease, which expires if its holder dies.
            if not self.active(platform_name) or not await self._hold(platform_name):
                return 0
            run = await self.gate.begin(platform_name, self.clock())
            await self.gate.flush_digests(run)
            return await self._deliver(platform_name, run)

    async def _hold(self, platform_name: str) -> bool:
        now = self.clock()
        held = await self.store.take_lease(f"outbox:{platform_name}", self.owner, lease_iso(now),
                                           until(now, self.lease_s))
        if held != self._holding.get(platform_name, False):
            log.info("%s %s the %s outbox lease", self.owner, "holds" if held else "does not hold",
                     platform_name)
            self._holding[platform_name] = held
        return held

    async def _message(self, item: PendingDelivery, escalation: str | None, attempt: Attempt) -> OutboundMessage:
        content = item.alert.content
        if isinstance(content, Edit):  # the message to replace is this destination's post of the original
            shown = await self.store.delivery_message(content.of, item.platform, item.channel)
            content = replace(content, message_id=shown[0] if shown else None, thread_id=shown[1] if shown else None)
        return OutboundMessage(item.alert.id, content, escalation, attempt)

    async def _deliver(self, platform_name: str, run: GatePass) -> int:
        platform = self.platforms[platform_name]
        now = iso(run.now)
        blocked = await self.store.blocked_channels(platform_name, now)
        started = await self.store.started_sends(platform_name)
        sent = 0
        for item in await self.store.pending_deliveries(platform_name, now):
            if item.channel in blocked:
                continue
            first_attempt = started.get((item.alert.id, item.channel))
            if first_attempt is not None:
                # The gate already chose to send this one and it may be on screen: send it again (the
                # adapter checks for it first), never hold, filter or fold what may already show.
                decision = Decision("send", escalation=await self.gate.escalation(item.alert))
            else:
                decision = await self.gate.decide(item, run)
            if decision.action == "fold":
                assert decision.first_alert_id is not None
                copy = item.alert.content
                outlet = (copy.source if isinstance(copy, StatementAlert) else None) or "another outlet"
                await self.store.fold_copy(item.alert.id, decision.first_alert_id, platform_name,
                                           item.channel, outlet, now)
                metrics.delivery("folded", platform_name)
                continue
            if decision.action == "filter":
                await self.store.filter_delivery(item.alert.id, platform_name, item.channel, decision.reason)
                metrics.delivery("filtered", platform_name)
                continue
            if decision.action == "hold":
                await self.store.hold_delivery(item.alert.id, platform_name, item.channel, decision.reason, now)
                metrics.delivery("held", platform_name)
                continue
            try:
                attempt = Attempt(dedupe_key(item.alert.id, platform_name, item.channel),
                                  maybe_sent=first_attempt is not None, first_attempt_at=first_attempt or now)
                message = await self._message(item, decision.escalation, attempt)
                if not await self._hold(platform_name):
                    log.warning("%s lost the %s outbox lease; another process delivers", self.owner,
                                platform_name)
                    break
                # Committed before the platform is called: a crash after the post but before record_sent
                # leaves this mark, so the next attempt goes out as maybe_sent instead of blindly again.
                await self.store.begin_send(item.alert.id, platform_name, item.channel, now)
                receipt = await platform.send(Destination(platform_name, item.channel), message)
            except DeliveryError as exc:
                await self._failed(item.alert.id, platform_name, item.channel, item.attempts, exc)
                blocked.add(item.channel)
                continue
            except Exception as exc:  # an adapter bug must not stop delivery to other channels
                log.exception("delivery to %s:%s failed", platform_name, item.channel)
                await self._failed(item.alert.id, platform_name, item.channel, item.attempts,
                                   DeliveryError(f"{type(exc).__name__}: {exc}"))
                blocked.add(item.channel)
                continue
            await self.store.record_sent(
                item.alert.id, platform_name, item.channel, receipt.message_id, receipt.thread_id, now
            )
            run.note_sent(item.channel, item.alert.content)
            metrics.delivery("sent", platform_name)
            sent += 1
        return sent

    async def _failed(self, alert_id: int, platform: str, channel: str, attempts: int, exc: DeliveryError) -> None:
        delay = exc.retry_after if exc.retry_after is not None else min(MAX_BACKOFF_S, 2.0 ** min(attempts, 10))
        retry_at = None if exc.permanent else iso(self.clock() + timedelta(seconds=delay))
        log.warning("delivery of alert %s to %s:%s failed: %s", alert_id, platform, channel, exc)
        metrics.delivery("failed", platform)
        await self.store.mark_failed(alert_id, platform, channel, str(exc), retry_at, exc.permanent)

    async def run(self, interval: float = 1.0) -> None:
        """Deliver forever, waking early whenever new alerts are queued."""
        while True:
            for name in self.platforms:
                try:
                    await self.deliver_once(name)
                except Exception:
                    log.exception("outbox pass for %s failed", name)
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=interval)
            except TimeoutError:
                pass
            self.wake.clear()
