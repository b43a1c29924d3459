"""One poll cycle: fetch due sources -> dedupe -> extract statements -> judge -> store with alerts."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import httpx

from bot import neardup
from bot.article_alerts import ArticleMeta, document_matches, new_document
from bot.cycle import COPY, SKIPPED, CycleStats, ItemResult
from bot.durations import parse_time
from bot.extract import extract
from bot.judging import JudgeService
from bot.leases import PROCESS_ID, SOURCE_LEASE_S, iso, until
from bot.ledger.conflicts import record_new_conflicts
from bot.models import Claim, Source
from bot.ops import metrics
from bot.sources import schedule
from bot.sources.canonical import canonical_url
from bot.sources.fetcher import Fetcher, FetchOutcome, FetchSettings
from bot.sources.items import Item
from storage import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PipelineOptions:
    """Tunables of the poll loop."""

    tick_s: float = 2.0
    max_item_age_s: int = 7 * 86400
    pause_after_failures: int = 5
    max_backoff_s: int = 6 * 3600
    concurrency: int = 8
    moderator_channels: list[tuple[str, str]] = field(default_factory=list)
    fetch: FetchSettings | None = None  # limits, concurrency caps, address policy
    owner: str = PROCESS_ID  # who leases the due sources (several processes share one PostgreSQL)
    lease_s: float = SOURCE_LEASE_S

    @property
    def backoff(self) -> schedule.Backoff:
        """The failure policy."""
        return schedule.Backoff(self.pause_after_failures, self.max_backoff_s)


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
        self.fetcher = Fetcher(client, self.options.fetch or FetchSettings())
        # One thread: extraction is pure Python, so more would only contend for the GIL.
        self._extractor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimwatch-extract")

    async def run_cycle(self, limit: int | None = None) -> CycleStats:
        """Fetch every due source once (at most `limit` of them); errors stay with their source."""
        now = self.clock()
        # Leased, not owned: another process on the same PostgreSQL gets the sources this one took.
        sources = await self.store.lease_due_sources(
            self.options.owner, iso(now), until(now, self.options.lease_s), limit=limit or 1_000_000)
        if sources:
            log.debug("%s leased %d due source(s)", self.options.owner, len(sources))
        claims = await self.store.list_claims()
        if not self.judge.following:
            # Else the claim follower keeps the index: this list may already be older than its own.
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

        started = time.monotonic()
        await asyncio.gather(*(one(s) for s in sources))
        if stats.alerts and self.on_alert:
            self.on_alert()
        self._warn_if_overrun(sources, time.monotonic() - started)
        return stats

    @staticmethod
    def _warn_if_overrun(sources: list[Source], duration_s: float) -> None:
        """Say so when a cycle took longer than a source it fetched waits between fetches."""
        if not sources:
            return
        shortest = min(sources, key=lambda s: s.interval_s)
        if duration_s > shortest.interval_s:
            log.warning(
                "cycle took %.0f s for %d sources, longer than the shortest interval (%d s, source #%s): "
                "sources are fetched later than their interval says; fewer sources, longer intervals or "
                "a faster machine would keep up", duration_s, len(sources), shortest.interval_s, shortest.id)

    async def run_forever(self) -> None:
        """Cycle every tick until cancelled."""
        # Lease a few batches' worth at a time, not every due source: the others stay free for other
        # processes, and a batch is done well within its lease.
        batch = self.options.concurrency * 4
        while True:
            started = time.monotonic()
            stats = await self.run_cycle(limit=batch)
            elapsed = time.monotonic() - started
            metrics.cycle_done(stats, elapsed)
            if stats.documents or stats.errors:
                # Fields, not a repr: JSON logs carry them as numbers (cycle.documents ...).
                log.info("cycle: %s in %.1fs (sources leased by %s)", stats.summary(), elapsed, self.options.owner,
                         extra={"cycle": asdict(stats) | {"seconds": round(elapsed, 3)}})
            if stats.sources < batch:  # a full batch means more may be due: go on at once
                await asyncio.sleep(self.options.tick_s)

    async def _process_source(self, src: Source, claims: dict[int, Claim], stats: CycleStats) -> None:
        outcome = await self.fetcher.fetch(src)
        if outcome.error:
            stats.errors += 1
            await self._record_failure(src, outcome)
            return
        stats.not_modified += outcome.not_modified
        quiet_source = src.quiet_first and src.fetch_count == 0
        # Oldest first, so alerts go out in publication order; undated entries keep feed order.
        items = sorted(outcome.items, key=lambda it: parse_time(it.published_at) or self.clock())
        bad = 0
        for item in items:
            try:
                stored = await self._process_item(src, item, claims, quiet_source, outcome.warnings)
            except Exception as exc:  # one bad entry must not cost the entries after it
                bad += 1
                note = _skip_note(item, exc)
                log.warning("source #%s %s", src.id, note)
                log.debug("source #%s entry failed", src.id, exc_info=True)
                outcome.warnings.append(note)
                continue
            if stored.outcome == "copy":
                stats.copies += 1
            elif stored.outcome == "stored":
                stats.documents += 1
                stats.statements += stored.statements
                stats.alerts += stored.alerts
        stats.bad_items += bad
        if bad:
            # Forget the validators so the next fetch reads the whole feed again: a skipped entry whose
            # failure was passing (the store, a bug fixed since) gets another try instead of a 304.
            outcome.etag = outcome.last_modified = None
        await self._record_success(src, outcome)

    async def _process_item(
        self, src: Source, item: Item, claims: dict[int, Claim], quiet_source: bool,
        warnings: list[str] | None = None,
    ) -> ItemResult:
        """Dedupe, extract, judge and store one item."""
        if not (item.text or item.title):
            return SKIPPED
        canon = canonical_url(item.url) if item.url else f"source:{src.id}:{item.guid or item.content_hash}"
        full_text = self.fetcher.wants_full_text(src, item)
        # Without a page to fetch, the copy check rides along with the state lookup (one store hop).
        signature = None if full_text else neardup.signature(item.text or item.title)
        bands = neardup.bands(signature) if signature else []
        known = await self.store.document_state(src.id, canon, item.guid, item.content_hash, signature, bands)
        if known.state == "same":
            return SKIPPED
        version = known.version
        if full_text:
            problem = await self.fetcher.full_text(src, item)
            if problem and warnings is not None:
                warnings.append(problem)
            signature = neardup.signature(item.text or item.title)
            bands = neardup.bands(signature) if signature else []
        if known.state == "new":
            copy = known.copy if not full_text else await self.store.find_copy(
                canon, item.content_hash, signature, bands)
            if copy is not None:  # a syndicated copy: one more outlet, no statements, no alerts
                await self.store.add_outlet(copy[0], src.id, item.url, canon, item.title,
                                            item.published_at, copy[1])
                await self._fold_copy(copy[0])
                return COPY
        # An edited article alerts for a claim only if one of the statements that decided it is new.
        earlier = await self.store.story_statement_texts(known.story_id) if known.story_id else set()
        published = parse_time(item.published_at)
        too_old = published is not None and (self.clock() - published).total_seconds() > self.options.max_item_age_s
        quiet = quiet_source or too_old
        # Extraction is CPU-bound: off the event loop, on its own thread (pysbd segmenters are per
        # thread, bot.extract.sentences). Not on the judge's thread: with the shipped model the judge
        # thread is the bottleneck (bench/ingest.py --profile: busy throughout, 85 % in onnxruntime),
        # and onnxruntime releases the GIL, so the next document's extraction overlaps this one's judging.
        # Extraction is bounded in size and time (bot.extract).
        extraction = await asyncio.get_running_loop().run_in_executor(
            self._extractor, extract, item.title, item.text)
        statements = extraction.statements
        if extraction.note and warnings is not None:
            warnings.append(f"entry {_label(item)}: {extraction.note}")
        title_first = bool(statements) and statements[0].text == item.title.strip()
        judged = await self.judge.match_document([s.text for s in statements], title_first)
        sort_key = (published or self.clock()).isoformat(timespec="seconds")
        meta = ArticleMeta(item.url, item.title, item.published_at, src, sort_key)
        matches = document_matches(statements, judged, claims, meta, not quiet, earlier)
        # dedupe (above), build the document (pure), store it
        doc = new_document(item, src.id, canon, statements, matches, quiet, known.story_id, signature, bands)
        result = await self.store.store_document(doc, version)
        if result.copy_of is not None:
            await self._fold_copy(result.copy_of)
            return COPY
        # Ledger: conflicting figures against the claim's earlier statements, each alerted once. The
        # figure reads keep storage.tiers.FIGURES (counted matches, and the possible and context ones
        # of an article that counts), so a claim this document gave no alert-tier match is not checked.
        conflict_alerts = await record_new_conflicts(
            self.store, claims, {m.claim_id for m in matches if m.tier == "alert"},
            list(result.statement_ids.values()), quiet, sort_key,
        )
        metrics.document_stored(matches, len(result.alert_ids), len(conflict_alerts))
        return ItemResult("stored", len(statements), len(result.alert_ids) + len(conflict_alerts))

    async def _fold_copy(self, story_id: int) -> None:
        # Ledger/alerts: the story's first alert shows "also carried by ...", edited in place.
        if await self.store.fold_outlets(story_id, self.clock().isoformat(timespec="seconds")) and self.on_alert:
            self.on_alert()

    async def _record_success(self, src: Source, outcome: FetchOutcome) -> None:
        await self.store.update_source(src.id, **schedule.success_changes(
            src, outcome.etag, outcome.last_modified, outcome.warnings, self.clock(), self.options.backoff))

    async def _record_failure(self, src: Source, outcome: FetchOutcome) -> None:
        error = outcome.error or "unknown error"
        changes, pause_now = schedule.failure_changes(
            src, error, outcome.retry_after, self.clock(), self.options.backoff)
        log.warning("source #%s %s: %s", src.id, src.label or src.url, error)
        metrics.source_failed(pause_now)
        alert = schedule.pause_alert(src, changes["failures"], error) if pause_now else None
        alert_id = await self.store.record_fetch_failure(
            src.id, changes, alert, self.options.moderator_channels)
        if alert_id is not None and self.on_alert:
            self.on_alert()


def _label(item: Item) -> str:
    """How a note names an entry: its link, else its id, else its title."""
    return repr((item.url or item.guid or item.title)[:120])


def _skip_note(item: Item, exc: BaseException) -> str:
    """One line saying which entry was skipped and why."""
    lines = str(exc).strip().splitlines()
    reason = f": {lines[0][:160]}" if lines else ""
    return f"entry {_label(item)} skipped ({type(exc).__name__}{reason})"
