"""Prometheus metrics: counters bumped where events happen, gauges read from the store at scrape time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

if TYPE_CHECKING:
    from bot.alert_types import StatementAlert

# One registry for the bot (not prometheus_client's global one), so a test can build many apps.
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)  # process_resident_memory_bytes, cpu seconds, open fds
PlatformCollector(registry=REGISTRY)

FETCHES = Counter("claimwatch_fetches", "Source fetches by outcome (ok, not_modified, error).",
                  ["outcome"], registry=REGISTRY)
DOCUMENTS = Counter("claimwatch_documents", "Documents stored (new stories and new versions).", registry=REGISTRY)
STATEMENTS = Counter("claimwatch_statements", "Statements extracted from stored documents.", registry=REGISTRY)
MATCHES = Counter("claimwatch_matches", "Statement-claim matches recorded, by tier (alert, possible, context).",
                  ["tier"], registry=REGISTRY)
ALERTS = Counter("claimwatch_alerts", "Alerts queued, by kind and stance.", ["kind", "stance"], registry=REGISTRY)
DELIVERIES = Counter("claimwatch_deliveries", "Delivery decisions and attempts by outcome and platform "
                     "(sent, failed, held, filtered, folded).", ["outcome", "platform"], registry=REGISTRY)
SOURCE_BACKOFFS = Counter("claimwatch_source_backoffs", "Failed fetches that put a source into backoff.",
                          registry=REGISTRY)
SOURCE_PAUSES = Counter("claimwatch_source_pauses", "Sources paused after repeated failures.", registry=REGISTRY)
CYCLE_SECONDS = Histogram("claimwatch_cycle_duration_seconds", "Wall time of one poll cycle.",
                          buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
                          registry=REGISTRY)
JUDGE_SECONDS = Histogram("claimwatch_judge_batch_seconds", "Wall time of one judge call (an article's "
                          "statements, or a /claim check text).",
                          buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
                          registry=REGISTRY)
OUTBOX_DEPTH = Gauge("claimwatch_outbox_depth", "Deliveries waiting, by platform and status (pending, held).",
                     ["platform", "status"], registry=REGISTRY)
OLDEST_PENDING = Gauge("claimwatch_outbox_oldest_pending_seconds", "Age of the oldest pending delivery's "
                       "alert, by platform (0 when none waits).", ["platform"], registry=REGISTRY)
SOURCES = Gauge("claimwatch_sources", "Sources by state (active, backing_off, paused).", ["state"],
                registry=REGISTRY)
PLATFORM_UP = Gauge("claimwatch_platform_connected", "1 while a chat platform is connected.", ["platform"],
                    registry=REGISTRY)


class Cycle(Protocol):
    """What a finished poll cycle reports (bot.pipeline.CycleStats)."""

    sources: int
    documents: int
    statements: int
    errors: int
    not_modified: int


class NewMatchLike(Protocol):
    """The parts of a stored match the counters read (storage.documents.NewMatch)."""

    tier: str
    alert: StatementAlert | None


def cycle_done(stats: Cycle, seconds: float) -> None:
    """Count one cycle's fetches, documents and statements, and its duration."""
    ok = max(0, stats.sources - stats.errors - stats.not_modified)
    FETCHES.labels("ok").inc(ok)
    FETCHES.labels("not_modified").inc(stats.not_modified)
    FETCHES.labels("error").inc(stats.errors)
    DOCUMENTS.inc(stats.documents)
    STATEMENTS.inc(stats.statements)
    CYCLE_SECONDS.observe(seconds)


def document_stored(matches: Iterable[NewMatchLike], alerts: int, conflicts: int) -> None:
    """Count a stored document's matches by tier, and its alerts by stance."""
    stances = []
    for m in matches:
        MATCHES.labels(m.tier).inc()
        if m.alert is not None:
            stances.append(m.alert.stance or "none")
    for stance in stances[:alerts]:  # a match the store ignored as a repeat queued no alert
        ALERTS.labels("statement", stance).inc()
    if conflicts:
        ALERTS.labels("conflict", "none").inc(conflicts)


def delivery(outcome: str, platform: str) -> None:
    """Count one delivery outcome."""
    DELIVERIES.labels(outcome, platform).inc()


def source_failed(paused: bool) -> None:
    """Count a failed fetch (a backoff) and, when it paused the source, the pause."""
    SOURCE_BACKOFFS.inc()
    if paused:
        SOURCE_PAUSES.inc()


def exposition() -> bytes:
    """Every metric in the Prometheus text format."""
    return generate_latest(REGISTRY)
