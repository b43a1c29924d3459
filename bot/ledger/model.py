"""The claim ledger: who asserts and who denies, first and latest on each side, confirmation, trend."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bot.models import SPEAKER_KINDS, STANCES, Claim
from storage.conflicts import ConflictRecord
from storage.ledger import LedgerRow

SIDE_NAMES = {"supports": "asserting", "refutes": "denying", "neutral": "reporting"}
OWN_SPEAKER = re.compile(r"\b(?:our|reporters?|correspondents?|journalists?|staff)\b", re.I)
REPORTED = re.compile(r"\b(?:said|says|say|told|claimed|claims|alleged|alleges|stated|according\s+to|insisted|"
                      r"announced|accused|reported|reports)\b", re.I)
RELAYING_CUES = {"alleges", "hedges"}
MIN_CONFIRM_CONFIDENCE = 0.5
# A match this sure (relatedness score; the alert threshold is lower) or confirmed by a moderator can
# confirm a claim: one weak match from an independent outlet must not declare it confirmed.
MIN_CONFIRM_SCORE = 0.5
KIND_RANK = {"official": 0, "state_media": 1, "independent": 2, "social": 3, "unknown": 4}
TREND_DAYS = 3


def voice_key(row: LedgerRow) -> str:
    """Who is speaking: the attributed speaker, else the outlet itself."""
    if row.speaker:
        return "sp:" + re.sub(r"^(?:the|local)\s+", "", row.speaker.lower()).strip()
    return f"src:{row.source_id}"


@dataclass(slots=True)
class Voice:
    """One speaker (or unattributed outlet) on one side."""

    name: str
    role: str | None
    kinds: Counter[str] = field(default_factory=Counter)
    outlets: Counter[str] = field(default_factory=Counter)
    count: int = 0
    first: LedgerRow | None = None
    latest: LedgerRow | None = None

    @property
    def kind(self) -> str:
        """The most official kind of source this voice appeared in."""
        return min(self.kinds, key=lambda k: KIND_RANK.get(k, 9)) if self.kinds else "unknown"


@dataclass(slots=True)
class Side:
    """Everything said on one side of a claim."""

    stance: str
    count: int = 0
    first: LedgerRow | None = None
    latest: LedgerRow | None = None
    voices: list[Voice] = field(default_factory=list)


@dataclass(slots=True)
class Confirmation:
    """Whether an independent source supports the claim in its own voice, and why we say so."""

    confirmed: bool
    reason: str
    evidence: LedgerRow | None = None


@dataclass(slots=True)
class Ledger:
    """Where a claim stands, built from its matched statements."""

    claim: Claim
    total: int
    by_stance: Counter[str]
    by_kind: dict[str, Counter[str]]
    sides: dict[str, Side]
    daily: list[tuple[str, Counter[str]]]
    first_seen: str | None
    last_activity: str | None
    confirmation: Confirmation
    trend: str
    conflicts: list[ConflictRecord]


def _voices(rows: list[LedgerRow]) -> list[Voice]:
    voices: dict[str, Voice] = {}
    for r in rows:
        v = voices.get(voice_key(r))
        if v is None:
            v = voices[voice_key(r)] = Voice(r.speaker or r.source_label, r.speaker_role, first=r)
        v.kinds[r.speaker_kind] += 1
        v.outlets[f"{r.source_label} ({r.speaker_kind.replace('_', ' ')})"] += 1
        v.count += 1
        v.latest = r
        v.role = v.role or r.speaker_role
    # Key voices: the most official first, then the most vocal, then the most recent.
    return sorted(voices.values(), key=lambda v: (KIND_RANK.get(v.kind, 9), -v.count, v.latest.at if v.latest else ""))


def own_voice(row: LedgerRow) -> bool:
    """True when an outlet states something itself rather than reporting what someone said.

    Its own voice: no attributed speaker (or its own reporters) and no reporting verb of a third
    party left in the sentence ("... the ministry said 91 drones ...").
    """
    if row.cue_type in RELAYING_CUES:
        return False
    if row.speaker and not OWN_SPEAKER.search(row.speaker):
        return False
    return bool(row.speaker) or not REPORTED.search(row.text)


def confirmation(rows: list[LedgerRow]) -> Confirmation:
    """Independent confirmation: a supporting statement from an independent source in its own voice.

    Not confirmation: an independent outlet relaying a speaker (Lavrov said ..., officials
    alleged ...), a social post, or a weak stance reading (confidence under 0.5) or weak match
    (score under MIN_CONFIRM_SCORE) that no moderator confirmed.
    """
    relayed = weak = 0
    for r in rows:
        if r.stance != "supports" or r.speaker_kind != "independent":
            continue
        if not own_voice(r):
            relayed += 1
            continue
        if r.confidence < MIN_CONFIRM_CONFIDENCE and not r.confirmed:  # a moderator's word outranks the reading
            continue
        if r.score < MIN_CONFIRM_SCORE and not r.confirmed:
            weak += 1
            continue
        return Confirmation(True, f"{r.source_label} supports it in its own reporting", r)
    if weak:
        return Confirmation(False, f"{weak} independent statement(s) in their own voice are weak matches; "
                                   "a moderator's /claim confirm would count them")
    if relayed:
        return Confirmation(False, f"independent outlets only relay what others said, in {relayed} statement(s)")
    return Confirmation(False, "no independent source supports it")


def trend(daily: list[tuple[str, Counter[str]]]) -> str:
    """Compare the last few active days with before: which side is gaining."""
    if len(daily) < 2:
        return "too little history for a trend"
    recent, before = daily[-TREND_DAYS:], daily[:-TREND_DAYS]
    if not before:
        recent, before = daily[-1:], daily[:-1]

    def balance(days: list[tuple[str, Counter[str]]]) -> tuple[int, int, float]:
        sup = sum(c["supports"] for _, c in days)
        ref = sum(c["refutes"] for _, c in days)
        return sup, ref, (sup - ref) / (sup + ref) if sup + ref else 0.0

    s1, r1, b1 = balance(before)
    s2, r2, b2 = balance(recent)
    span = f"since {recent[0][0]}: {s2} asserting, {r2} denying (before: {s1} asserting, {r1} denying)"
    if b2 - b1 <= -0.2:
        return "shifting toward denial; " + span
    if b2 - b1 >= 0.2:
        return "shifting toward assertion; " + span
    return "balance steady; " + span


def build_ledger(claim: Claim, rows: list[LedgerRow], conflicts: list[ConflictRecord]) -> Ledger:
    """The ledger of one claim from its rows (oldest first)."""
    by_stance: Counter[str] = Counter()
    by_kind: dict[str, Counter[str]] = {k: Counter() for k in SPEAKER_KINDS}
    per_side: dict[str, list[LedgerRow]] = defaultdict(list)
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        by_stance[r.stance] += 1
        by_kind.setdefault(r.speaker_kind, Counter())[r.stance] += 1
        per_side[r.stance].append(r)
        per_day[r.at[:10]][r.stance] += 1
    sides = {}
    for stance in STANCES:
        side_rows = per_side.get(stance, [])
        sides[stance] = Side(stance, len(side_rows), side_rows[0] if side_rows else None,
                             side_rows[-1] if side_rows else None, _voices(side_rows))
    daily = sorted(per_day.items())
    return Ledger(
        claim=claim, total=len(rows), by_stance=by_stance,
        by_kind={k: c for k, c in by_kind.items() if c}, sides=sides, daily=daily,
        first_seen=rows[0].at if rows else None, last_activity=max((r.at for r in rows), default=None),
        confirmation=confirmation(rows), trend=trend(daily), conflicts=conflicts,
    )
