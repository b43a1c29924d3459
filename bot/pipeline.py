"""One poll cycle: fetch due sources -> dedupe -> extract statements -> judge -> store with alerts."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from bot.alerts import statement_payload
from bot.extract import extract_statements
from bot.judging import JudgeService
from bot.models import Claim, Source
from bot.sources.canonical import canonical_url
from bot.sources.fetcher import FetchOutcome, fetch_source
from bot.sources.items import Item
from storage import Store
from storage.documents import NewDocument, NewMatch, NewStatement

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PipelineOptions:
    """Tunables of the poll loop."""

    tick_s: float = 2.0
    max_item_age_s: int = 7 * 86400
    pause_after_failures: int = 5
    max_backoff_s: int = 6 * 3600
    concurrency: int = 8
    allow_private: bool = False
    moderator_channels: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class CycleStats:
    """What one cycle did."""

    sources: int = 0
    documents: int = 0
    statements: int = 0
    alerts: int = 0
    errors: int = 0


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


class Pipeline:
    """Fetches due sources and turns new documents into matches and queued alerts."""

    def __init__(
        self,
        store: Store,
        judge: JudgeService,
        client: httpx.AsyncClient,
        options: PipelineOptions | None = None,
        clock: Callable[[], datetime] | None = None,
        on_alert: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.judge = judge
        self.client = client
        self.options = options or PipelineOptions()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.on_alert = on_alert

    async def run_cycle(self) -> CycleStats:
        """Fetch every due source once; errors stay with their source."""
        now = self.clock()
        sources = await self.store.due_sources(now.isoformat(timespec="seconds"))
        claims = await self.store.list_claims()
        await self.judge.set_claims(claims)
        stats = CycleStats(sources=len(sources))
        sem = asyncio.Semaphore(self.options.concurrency)

        async def one(src: Source) -> None:
            async with sem:
                try:
                    await self._process_source(src, {c.id: c for c in claims}, stats)
                except Exception as exc:  # a bug on one source must not stop the loop
                    log.exception("source #%s failed", src.id)
                    stats.errors += 1
                    await self._record_failure(src, FetchOutcome(error=f"internal error: {type(exc).__name__}"))

        await asyncio.gather(*(one(s) for s in sources))
        if stats.alerts and self.on_alert:
            self.on_alert()
        return stats

    async def run_forever(self) -> None:
        """Cycle every tick until cancelled."""
        while True:
            stats = await self.run_cycle()
            if stats.documents or stats.errors:
                log.info("cycle: %s", stats)
            await asyncio.sleep(self.options.tick_s)

    async def _process_source(self, src: Source, claims: dict[int, Claim], stats: CycleStats) -> None:
        outcome = await fetch_source(src, self.client, self.options.allow_private)
        if outcome.error:
            stats.errors += 1
            await self._record_failure(src, outcome)
            return
        quiet_source = src.quiet_first and src.fetch_count == 0
        items = sorted(outcome.items, key=lambda it: it.published_at or "")
        for item in items:
            stored = await self._process_item(src, item, claims, quiet_source)
            if stored is not None:
                stats.documents += 1
                stats.statements += stored[0]
                stats.alerts += stored[1]
        await self._record_success(src, outcome)

    async def _process_item(
        self, src: Source, item: Item, claims: dict[int, Claim], quiet_source: bool
    ) -> tuple[int, int] | None:
        if not (item.text or item.title):
            return None
        canon = canonical_url(item.url) if item.url else f"source:{src.id}:{item.guid or item.content_hash}"
        state, version = await self.store.document_state(src.id, canon, item.guid, item.content_hash)
        if state == "same":
            return None
        published = _parse_time(item.published_at)
        too_old = published is not None and (self.clock() - published).total_seconds() > self.options.max_item_age_s
        quiet = quiet_source or too_old
        statements = extract_statements(item.title, item.text)
        verdicts = await self.judge.match([s.text for s in statements])
        matches: list[NewMatch] = []
        sort_key = (published or self.clock()).isoformat(timespec="seconds")
        for st, found in zip(statements, verdicts, strict=True):
            for v in found:
                claim = claims.get(int(v.claim_id))
                if claim is None:
                    continue
                payload = None
                if not quiet and v.alert:
                    payload = statement_payload(
                        claim, st.text, v.stance, v.confidence, st.speaker, item.url, item.title,
                        item.published_at, src,
                    )
                matches.append(NewMatch(st.seq, claim.id, v.score, v.stance, v.confidence, payload, sort_key))
        doc = NewDocument(
            source_id=src.id, url=item.url, canonical_url=canon, title=item.title, text=item.text,
            content_hash=item.content_hash, guid=item.guid, published_at=item.published_at,
            author=item.author, quiet=quiet,
            statements=[
                NewStatement(s.seq, s.text, s.speaker, s.speaker_role, s.cue, s.cue_type, s.figures)
                for s in statements
            ],
            matches=matches,
        )
        result = await self.store.store_document(doc, version)
        return len(statements), len(result.alert_ids)

    def _next_fetch(self, seconds: float) -> str:
        jitter = random.uniform(0.9, 1.1)  # spread sources so they do not fetch in lockstep
        return (self.clock() + timedelta(seconds=seconds * jitter)).isoformat(timespec="seconds")

    async def _record_success(self, src: Source, outcome: FetchOutcome) -> None:
        now = self.clock().isoformat(timespec="seconds")
        await self.store.update_source(
            src.id,
            etag=outcome.etag, last_modified=outcome.last_modified, last_fetch_at=now, last_ok_at=now,
            last_error="; ".join(outcome.warnings)[:300] or None, failures=0,
            fetch_count=src.fetch_count + 1, next_fetch_at=self._next_fetch(src.interval_s),
        )

    async def _record_failure(self, src: Source, outcome: FetchOutcome) -> None:
        failures = src.failures + 1
        delay = outcome.retry_after or min(self.options.max_backoff_s, src.interval_s * 2 ** (failures - 1))
        paused = failures >= self.options.pause_after_failures
        now = self.clock().isoformat(timespec="seconds")
        await self.store.update_source(
            src.id, last_fetch_at=now, last_error=outcome.error, failures=failures,
            next_fetch_at=self._next_fetch(delay), state="paused" if paused else src.state,
        )
        log.warning("source #%s %s: %s", src.id, src.label or src.url, outcome.error)
        if paused and src.state != "paused" and self.options.moderator_channels:
            await self.store.enqueue_alert(
                "source_paused", None,
                {"title": f"Source #{src.id} paused", "text": f"{src.label or src.url} failed {failures} "
                 f"times in a row; last error: {outcome.error}. Re-add it or fix it to resume."},
                destinations=self.options.moderator_channels,
            )
            if self.on_alert:
                self.on_alert()
