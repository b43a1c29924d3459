"""What an alert says, one frozen type per kind; an `Edit` envelope for changing one already posted.

These are content only. How one delivery of an alert goes (dedupe key, maybe sent, the message an
edit replaces) travels beside them in `bot.platform.OutboundMessage`. `kind` names the type where it
is stored (`storage/alert_codec.py` encodes and decodes them); code dispatches on the type itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Quote:
    """One statement an alert quotes: its words, who said it and its own stance toward the claim."""

    text: str
    speaker: str | None = None
    stance: str | None = None


@dataclass(frozen=True, slots=True)
class StatementAlert:
    """An article's alert for one claim: the statements that decided it, each with speaker and stance.

    `quotes` are most decisive first; `text` and `speaker` repeat the first (alerts stored before
    quotes existed have none). `story_key` is shared by syndicated copies of the same wording.
    """

    kind: ClassVar[str] = "statement"
    title: str = ""
    text: str = ""
    claim_id: int | None = None
    claim_text: str = ""
    stance: str | None = None
    confidence: float = 1.0
    speaker: str | None = None
    quotes: tuple[Quote, ...] = ()
    source: str | None = None
    speaker_kind: str = "unknown"
    link: str | None = None
    doc_title: str = ""
    published_at: str | None = None
    outlets: int = 1
    also_carried_by: tuple[str, ...] = ()
    story_key: str = ""
    statement_id: int | None = None
    document_id: int | None = None


@dataclass(frozen=True, slots=True)
class ConflictAlert:
    """Two statements about a claim giving different figures for the same quantity."""

    kind: ClassVar[str] = "conflict"
    title: str = ""
    text: str = ""
    claim_id: int | None = None
    claim_text: str = ""
    link: str | None = None
    fields: tuple[tuple[str, str], ...] = ()  # (earlier value, who and what), (later value, ...)
    conflict_id: int | None = None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A moderator set a claim's status."""

    kind: ClassVar[str] = "status"
    title: str = ""
    text: str = ""
    claim_id: int | None = None
    claim_text: str = ""
    status: str = ""


@dataclass(frozen=True, slots=True)
class Digest:
    """One message summing up the alerts a channel's policy held back."""

    kind: ClassVar[str] = "digest"
    title: str = ""
    text: str = ""
    claim_id: int | None = None  # set when every held alert is about one claim
    fields: tuple[tuple[str, str], ...] = ()
    items: int = 0
    created: str = ""


@dataclass(frozen=True, slots=True)
class SourcePaused:
    """A source paused after failing too often, told to the moderators' channels."""

    kind: ClassVar[str] = "source_paused"
    title: str = ""
    text: str = ""
    claim_id: int | None = None  # never set: a source belongs to no claim
    source_id: int | None = None


@dataclass(frozen=True, slots=True)
class Notice:
    """A note to one channel about a claim (what a new claim's backfill found)."""

    kind: ClassVar[str] = "notice"
    title: str = ""
    text: str = ""
    claim_id: int | None = None


Alert = StatementAlert | ConflictAlert | StatusChange | Digest | SourcePaused | Notice
ALERT_TYPES: tuple[type[Alert], ...] = (StatementAlert, ConflictAlert, StatusChange, Digest, SourcePaused, Notice)


@dataclass(frozen=True, slots=True)
class Edit:
    """The current content of alert `of`, to replace its message `message_id` (in `thread_id`) in place.

    Queued when syndicated copies fold into a statement alert already shown. The outbox fills
    `message_id` and `thread_id` from that alert's delivery to the destination; an adapter that
    cannot edit (or finds the message gone) posts `alert` as a new message.
    """

    kind: ClassVar[str] = "update"
    of: int
    alert: Alert
    message_id: str | None = None
    thread_id: str | None = None


def claim_words(alert: Alert) -> str:
    """The words of the claim an alert is about; empty for kinds that carry none (digests, notices)."""
    return alert.claim_text if isinstance(alert, StatementAlert | ConflictAlert | StatusChange) else ""
