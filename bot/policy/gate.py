"""The outbox gate: per delivery, send now, hold for a digest, filter out, or fold into its story."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.alert_types import (
    Alert,
    ConflictAlert,
    Digest,
    Edit,
    SourcePaused,
    StatementAlert,
    StatusChange,
)
from bot.models import AlertRecord, PendingDelivery
from bot.policy.schedule import in_quiet, is_due
from bot.policy.settings import Policy, resolve
from bot.text import OTHER_MARK, STANCE_MARK, clip

if TYPE_CHECKING:
    from storage import Store
    from storage.deliveries import HeldDelivery

ALWAYS_SEND: tuple[type, ...] = (Edit, Digest, SourcePaused)
ESCALATIONS: dict[type, str] = {ConflictAlert: "conflicting figure", StatusChange: "moderator status change"}
DIGEST_LINES = 8


def story_key(text: str) -> str:
    """Key of a statement's wording: syndicated copies of one story share it."""
    norm = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return hashlib.sha1(norm.encode()).hexdigest()[:20]


def iso(dt: datetime) -> str:
    """The outbox's time format."""
    return dt.isoformat(timespec="seconds")


@dataclass(slots=True)
class Decision:
    """What to do with one delivery now."""

    action: str  # send | hold | filter | fold
    reason: str = ""
    escalation: str | None = None
    first_alert_id: int | None = None


@dataclass(slots=True)
class GatePass:
    """What one outbox pass reads once: the platform's policies and each channel's recent sends."""

    platform: str
    now: datetime
    settings: dict[tuple[str, int], dict[str, Any]]  # (channel, claim id; 0 = channel-wide) -> stored
    sent: dict[tuple[str, int], int] = field(default_factory=dict)  # (channel, window s) -> messages

    def policy(self, channel: str, claim_id: int | None) -> Policy:
        """The effective policy of a claim's alerts in a channel."""
        claim = self.settings.get((channel, claim_id), {}) if claim_id else {}
        return resolve(self.settings.get((channel, 0), {}), claim)

    def note_sent(self, channel: str, content: Alert | Edit) -> None:
        """Count a message just posted, as the store's sent_since would (edits are not messages)."""
        if isinstance(content, Edit):
            return
        for key in self.sent:
            if key[0] == channel:
                self.sent[key] += 1


class Gate:
    """Applies the alert policy to deliveries; reads settings once per pass through the store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def begin(self, platform: str, now: datetime) -> GatePass:
        """Start a pass: one query for the platform's policies instead of one per delivery."""
        return GatePass(platform, now, await self.store.platform_policies(platform))

    async def escalation(self, alert: AlertRecord) -> str | None:
        """Why this alert must go out whatever the policy says, or None."""
        p = alert.content
        if type(p) in ESCALATIONS:
            return ESCALATIONS[type(p)]
        # A side read at a coin flip (no cue, and the model no surer) overrides no channel's policy.
        if isinstance(p, StatementAlert) and p.speaker_kind == "official" and p.stance in (
            "supports", "refutes"
        ) and p.confidence > 0.5 and alert.claim_id is not None and alert.match_id is not None:
            first = await self.store.first_official_match(alert.claim_id, p.stance)
            if first is not None and await self._of_article(alert, p, first):
                side = "asserting" if p.stance == "supports" else "denying"
                return f"first official source {side} the claim"
        return None

    async def _of_article(self, alert: AlertRecord, content: StatementAlert, match_id: int) -> bool:
        """Whether a match is the alert's own or one of its article's other statements."""
        # An alert stands for its whole article but rides on its most decisive statement, which need
        # not be the article's first on a side: the article holding the first official one escalates.
        if match_id == alert.match_id:
            return True
        doc = content.document_id
        return doc is not None and await self.store.match_document(match_id) == doc

    async def decide(self, item: PendingDelivery, run: GatePass) -> Decision:
        """The gate's verdict on one pending delivery."""
        now = run.now
        alert = item.alert
        p = alert.content
        if isinstance(p, ALWAYS_SEND):
            return Decision("send")
        if isinstance(p, StatementAlert) and alert.claim_id is not None and p.story_key:
            first = await self.store.register_story(alert.claim_id, p.story_key, alert.id, iso(now))
            # Fold only into an alert of the story this channel shows (or will): where the channel's
            # filter dropped the first alert, the copy (maybe official, or surer) is judged on its own.
            shown = None if first == alert.id else await self.store.story_shown_in(
                alert.id, alert.claim_id, p.story_key, run.platform, item.channel)
            if shown is not None:
                return Decision("fold", f"copy of alert {shown}", first_alert_id=shown)
        escalation = await self.escalation(alert)
        if escalation:
            return Decision("send", escalation=escalation)
        policy = run.policy(item.channel, alert.claim_id)
        if isinstance(p, StatementAlert):
            if p.stance and p.stance not in policy.stances:
                return Decision("filter", f"stance {p.stance} not alerted in this channel")
            if p.confidence < policy.min_confidence:
                return Decision("filter", f"confidence below {policy.min_confidence:.0%}")
        if policy.mode != "instant":
            return Decision("hold", "digest")
        if in_quiet(policy, now):
            return Decision("hold", "quiet")
        if not await self.rate_ok(run, item.channel, policy):
            return Decision("hold", "rate")
        return Decision("send")

    async def rate_ok(self, run: GatePass, channel: str, policy: Policy) -> bool:
        """True while the channel is under its message rate (counted once a pass, then kept by note_sent)."""
        if policy.rate is None:
            return True
        key = (channel, policy.rate_window_s)
        if key not in run.sent:
            since = iso(run.now - timedelta(seconds=policy.rate_window_s))
            run.sent[key] = await self.store.sent_since(run.platform, channel, since)
        return run.sent[key] < policy.rate

    async def any_due(self, run: GatePass) -> bool:
        """Whether any held alert could go out in a digest now, from one grouped look at what is held.

        Every outbox pass asks, and under load thousands of alerts are held (17,126 in one field
        test): reading and decoding them all took 0.26 s of the store thread per pass, once a second.
        Due-ness only grows with time held, so the earliest of each group decides for the group."""
        for channel, claim_id, reason, held_at in await self.store.held_groups(run.platform):
            rate_ok = await self.rate_ok(run, channel, run.policy(channel, None))
            if is_due(run.policy(channel, claim_id), reason, datetime.fromisoformat(held_at), run.now, rate_ok):
                return True
        return False

    async def flush_digests(self, run: GatePass) -> list[int]:
        """Turn each channel's due held alerts into one digest; returns the digest alert ids."""
        if not await self.any_due(run):
            return []
        by_channel: dict[str, list[HeldDelivery]] = defaultdict(list)
        for held in await self.store.held_deliveries(run.platform):
            by_channel[held.channel].append(held)
        digests = []
        for channel, items in by_channel.items():
            rate_ok = await self.rate_ok(run, channel, run.policy(channel, None))
            due = [h for h in items if is_due(run.policy(channel, h.alert.claim_id), h.reason,
                                              datetime.fromisoformat(h.held_at), run.now, rate_ok)]
            if due:
                digests.append(await self.store.make_digest(
                    run.platform, channel, [h.alert.id for h in due], digest_of(due, run.now), iso(run.now)))
        return digests


_REASON = {"rate": "rate limit", "quiet": "quiet hours", "digest": "digest schedule"}


def digest_of(items: list[HeldDelivery], now: datetime) -> Digest:
    """One message summing up held alerts: per claim tallies, then the first few lines."""
    reasons = Counter(_REASON.get(h.reason, h.reason) for h in items)
    per_claim: dict[int | None, Counter[str]] = defaultdict(Counter)
    for h in items:
        per_claim[h.alert.claim_id][_stance(h.alert.content) or h.alert.content.kind] += 1
    fields = []
    for claim_id, tally in per_claim.items():
        name = f"Claim #{claim_id}" if claim_id else "Other"
        fields.append((name, ", ".join(f"{n} {s}" for s, n in tally.most_common())))
    lines = []
    for h in items[:DIGEST_LINES]:
        p = h.alert.content
        shown = p.alert if isinstance(p, Edit) else p
        said = shown if isinstance(shown, StatementAlert) else None
        who = (said and (said.speaker or said.source)) or "unattributed"
        text = " ".join(shown.text.split())
        mark = STANCE_MARK.get(_stance(p) or "", OTHER_MARK)
        lines.append(f"{mark} #{h.alert.claim_id} {who}: {clip(text, 140)}")
    if len(items) > DIGEST_LINES:
        lines.append(f"… and {len(items) - DIGEST_LINES} more (see /claim evidence <id>)")
    return Digest(
        title=f"Digest: {len(items)} alert(s) held back",
        text="\n".join(lines),
        fields=(*fields, ("Held by", ", ".join(f"{r} ({n})" for r, n in reasons.items()))),
        items=len(items),
        claim_id=next(iter(per_claim)) if len(per_claim) == 1 else None,
        created=iso(now),
    )


def _stance(content: Alert | Edit) -> str | None:
    shown = content.alert if isinstance(content, Edit) else content
    return shown.stance if isinstance(shown, StatementAlert) else None
