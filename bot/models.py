"""Neutral domain models shared by the core, the handlers and the storage layer."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.alert_types import Alert, Edit

CLAIM_STATUSES = ("unverified", "disputed", "confirmed", "false", "resolved")
STANCES = ("supports", "refutes", "neutral")
SPEAKER_KINDS = ("official", "state_media", "independent", "social", "unknown")


@dataclass(slots=True)
class Claim:
    """A watched claim."""

    id: int
    text: str
    status: str = "unverified"
    note: str = ""
    keywords: list[str] = field(default_factory=list)
    threshold: float | None = None
    slug: str | None = None
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    removed: bool = False  # no longer watched; its history stays readable (/claim status, evidence, export)


@dataclass(slots=True)
class Source:
    """A configured place the bot fetches documents from."""

    id: int
    url: str
    kind: str = "feed"  # feed | page | folder
    label: str = ""
    speaker_kind: str = "unknown"
    interval_s: int = 600
    state: str = "active"  # active | paused
    quiet_first: bool = True
    allow_private: bool = False
    etag: str | None = None
    last_modified: str | None = None
    last_fetch_at: str | None = None
    last_ok_at: str | None = None
    last_error: str | None = None
    failures: int = 0
    next_fetch_at: str | None = None
    fetch_count: int = 0
    created_at: str = ""
    created_by: str = ""
    lease_owner: str | None = None  # the process fetching it now (several processes share sources)
    lease_until: str | None = None


@dataclass(slots=True)
class Figure:
    """A number in a statement, with its unit and what it counts."""

    value: float
    unit: str = ""
    counts: str = ""
    text: str = ""


@dataclass(slots=True)
class StatementDraft:
    """A sentence with who said it and how, before it is stored (extract makes it, storage writes it)."""

    seq: int
    text: str
    speaker: str | None = None
    speaker_role: str | None = None
    cue: str | None = None
    cue_type: str | None = None
    figures: list[Figure] = field(default_factory=list)


@dataclass(slots=True)
class Watch:
    """A channel that receives alerts for a claim."""

    claim_id: int
    platform: str
    channel: str
    created_by: str = ""


@dataclass(slots=True)
class AlertRecord:
    """An alert in the outbox: what it says (typed, `bot.alert_types`) and where it sits."""

    id: int
    claim_id: int | None
    content: Alert | Edit
    created_at: str
    match_id: int | None = None


@dataclass(slots=True)
class PendingDelivery:
    """One (alert, destination) pair still to be delivered."""

    alert: AlertRecord
    platform: str
    channel: str
    attempts: int


@dataclass(slots=True)
class AuditEntry:
    """One moderator action (or refused attempt)."""

    id: int
    at: str
    platform: str
    user_id: str
    action: str
    target: str
    allowed: bool
    detail: str = ""
