"""Narrow views of the store: what each outer layer may read and write, as typing protocols."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from bot.models import AuditEntry, Claim, Source

if TYPE_CHECKING:  # storage modules import this one's siblings, not the other way round
    from bot.alert_types import Alert, Edit
    from storage.ledger import EvidenceRow
    from storage.reviews import AlertRef, Correction, MatchInfo


class AdapterStore(Protocol):
    """What the Slack and Discord adapters use: threads for alerts, and lookups for choices and buttons."""

    async def get_claim(self, claim_id: int) -> Claim | None:
        """A live claim by id."""

    async def list_claims(self) -> list[Claim]:
        """Every live claim (autocomplete)."""

    async def list_sources(self) -> list[Source]:
        """Every source (autocomplete)."""

    async def stance_counts(self, claim_id: int) -> dict[str, int]:
        """Counted statements per stance (a claim's summary line)."""

    async def get_thread(self, platform: str, channel: str, claim_id: int) -> str | None:
        """The thread holding a claim's alerts in a channel."""

    async def set_thread(self, platform: str, channel: str, claim_id: int, thread_id: str) -> None:
        """Remember that thread."""


class HandlerStore(Protocol):
    """What the command handlers use (and the backfill they start): 35 of the store's methods.

    Generated from the store's own signatures; `tests/test_structure.py` fails when a handler calls a
    method missing here or when a signature here drifts from the store's.
    """

    async def add_claim(self, text: str, created_by: str = "", *, slug: str | None = None, status: str = "unverified", keywords: list[str] | None = None, threshold: float | None = None,) -> Claim:
        """Insert a claim and return it."""

    async def add_source(self, url: str, *, kind: str = "feed", label: str = "", speaker_kind: str = "unknown", interval_s: int = 600, quiet_first: bool = True, allow_private: bool = False, created_by: str = "",) -> Source:
        """Insert a source; DuplicateSourceError if the URL is already watched."""

    async def alert_match(self, alert_id: int) -> AlertRef | None:
        """The match an alert was raised for (an edit in place stands for the alert it edits)."""

    async def article_matches(self, match_id: int) -> list[int]:
        """Alert-tier matches of a match's claim in the match's document (version), in statement order:"""

    async def document_claim_statements(self, match_ids: list[int]) -> list[int]:
        """Statements matched to a match's claim in the match's document, for each of the matches."""

    async def audit(self, platform: str, user_id: str, action: str, target: str, allowed: bool, detail: str = "") -> None:
        """Record a moderator action or a refused attempt."""

    async def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """Most recent audit entries first."""

    async def channel_policies(self, platform: str, channel: str) -> dict[int, dict[str, Any]]:
        """Every stored setting in a channel: claim id (0 = channel-wide) -> settings."""

    async def clear_policy(self, platform: str, channel: str, claim_id: int | None) -> bool:
        """Drop the settings of a channel (claim None) or of one claim there; False if none were set."""

    async def enqueue_alert(self, alert: Alert | Edit, destinations: list[tuple[str, str]] | None = None, sort_key: str | None = None,) -> int:
        """Queue an alert to `destinations` (default: its claim's watchers)."""

    async def evidence(self, claim_id: int, stance: str | None = None, limit: int = 10, offset: int = 0) -> list[EvidenceRow]:
        """Matched statements, newest first, optionally of one stance."""

    async def evidence_count(self, claim_id: int, stance: str | None = None) -> int:
        """How many statements `evidence` can page through."""

    async def find_claims(self, words: str, limit: int = 5) -> list[Claim]:
        """Live claims best matching `words` (FTS5 BM25)."""

    async def get_claim(self, claim_id: int, with_removed: bool = False) -> Claim | None:
        """A live claim by id (or a removed one too, with_removed), or None."""

    async def get_match(self, match_id: int) -> MatchInfo | None:
        """One match by id, or None."""

    async def get_source(self, source_id: int) -> Source | None:
        """A source by id, or None."""

    async def get_source_by_url(self, url: str) -> Source | None:
        """A source by URL, or None."""

    async def lease_holders(self) -> dict[str, tuple[str, str]]:
        """Named leases: name -> (owner, until)."""

    async def list_claims(self) -> list[Claim]:
        """Every live claim, oldest first."""

    async def list_sources(self) -> list[Source]:
        """Every source, oldest first."""

    async def mark_reviewed(self, alert_id: int, by: str) -> bool:
        """Mark an alert reviewed; False if it does not exist or was already reviewed."""

    async def policy_settings(self, platform: str, channel: str, claim_id: int | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """(channel-wide settings, this claim's settings) as stored; empty dicts when unset."""

    async def possible_count(self, claim_id: int) -> int:
        """Possible-tier matches of a claim that no moderator has reviewed yet."""

    async def possible_matches(self, claim_id: int, limit: int = 10, offset: int = 0) -> list[MatchInfo]:
        """Unreviewed possible-tier matches of a claim, most related first."""

    async def remove_claim(self, claim_id: int) -> bool:
        """Retire a claim (kept for history) and drop its watches."""

    async def remove_source(self, source_id: int) -> bool:
        """Stop fetching a source; its documents stay for the ledger."""

    async def review_match(self, match_id: int, review: str, by: str, stance: str | None = None) -> Correction | None:
        """Confirm or reject a match, or (with `stance`) confirm it with a corrected stance."""

    async def review_matches(self, match_ids: list[int], review: str, by: str, stance: str | None = None) -> list[Correction]:
        """review_match for several matches in one transaction (an article alert's statements); unknown ids are skipped."""

    async def set_policy_settings(self, platform: str, channel: str, claim_id: int | None, changes: dict[str, Any], by: str = "") -> dict[str, Any]:
        """Merge `changes` into the stored settings (a None value clears that field); returns the result."""

    async def stance_counts(self, claim_id: int) -> dict[str, int]:
        """Counted matched statements per stance."""

    async def unwatch(self, claim_id: int, platform: str, channel: str) -> bool:
        """Stop this claim's alerts to a channel; False if it was not watched there."""

    async def update_claim(self, claim_id: int, **changes: Any) -> Claim | None:
        """Change status, note, keywords or threshold; returns the new claim."""

    async def update_source(self, source_id: int, **changes: Any) -> None:
        """Write fetch state (etag, last_error, failures, next_fetch_at, state ...)."""

    async def watch(self, claim_id: int, platform: str, channel: str, by: str = "") -> bool:
        """Send this claim's alerts to a channel; False if it already did."""

    async def add_matches(self, claim_id: int, rows: list[tuple[int, float, str, float]], details: list[dict[str, Any] | None] | None = None, tiers: list[str] | None = None) -> int:
        """Record (statement id, score, stance, confidence) matches for a claim (the backfill a new claim starts)."""

    async def recent_statements(self, since: str, limit: int = 20000) -> list[tuple[int, str]]:
        """(statement id, text) of documents fetched since `since`, newest first."""
