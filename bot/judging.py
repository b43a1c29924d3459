"""Async front of the judge: keeps its claim index in sync and runs it off the event loop."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from bot.judge import ClaimRef, DocumentJudgement, Judge, Verdict, load_judge
from bot.models import Claim
from bot.ops import metrics

T = TypeVar("T")
log = logging.getLogger(__name__)


def claim_ref(claim: Claim) -> ClaimRef:
    """The judge's view of a stored claim."""
    return ClaimRef(str(claim.id), claim.text, tuple(claim.keywords), claim.threshold)


def verdict_detail(v: Verdict) -> dict[str, Any] | None:
    """A verdict's reasons in the form stored with its match (for /claim why); None when the judge gave none."""
    return v.reasons.as_dict() if v.reasons is not None else None


class JudgeService:
    """One judge, one worker thread (the model is not re-entrant), async methods."""

    def __init__(self, judge: Judge) -> None:
        self.judge = judge
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claimwatch-judge")
        self._claims: tuple[ClaimRef, ...] = ()
        self.following = False  # follow_claims keeps the index; other callers then leave it alone

    @classmethod
    async def load(cls, model_dir: Path | None = None, cache_path: Path | None = None) -> JudgeService:
        """Load the shipped model in a thread (start-up stays responsive); claim embeddings persist in cache_path."""
        judge = await asyncio.to_thread(load_judge, model_dir, cache_path)
        return cls(judge)

    async def _call(self, fn, *args):  # type: ignore[no-untyped-def]
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def _judged(self, fn, *args):  # type: ignore[no-untyped-def]
        # Judge calls (not extraction or index rebuilds) feed the batch latency histogram.
        started = time.monotonic()
        try:
            return await self._call(fn, *args)
        finally:
            metrics.JUDGE_SECONDS.observe(time.monotonic() - started)

    async def run_serial(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn` on the judge's worker thread, never alongside a judgement (for shared, non-thread-safe state)."""
        return await self._call(fn, *args)

    async def set_claims(self, claims: Sequence[Claim]) -> None:
        """Rebuild the claim index when the set of claims changed."""
        refs = tuple(claim_ref(c) for c in claims)
        if refs != self._claims:
            self._claims = refs
            await self._call(self.judge.set_claims, list(refs))

    async def follow_claims(self, store: Any, interval_s: float = 1.0) -> None:
        """Rebuild the index whenever the stored claims version moves (an edit in any process)."""
        seen: int | None = None
        self.following = True
        try:
            await self._follow(store, interval_s, seen)
        finally:
            self.following = False

    async def _follow(self, store: Any, interval_s: float, seen: int | None) -> None:
        polls = 0
        while True:
            polls += 1
            try:
                version = await store.claims_version()
                # Every 30th poll re-reads anyway: set_claims from a backfill holding an older
                # list cannot leave the index behind for longer than that.
                if version != seen or polls % 30 == 0:
                    await self.set_claims(await store.list_claims())
                    seen = version
            except Exception:  # a database hiccup must not end the follower; the next poll retries
                log.exception("claim sync failed")
            await asyncio.sleep(interval_s)

    async def match(self, texts: Sequence[str], top_k: int | None = None,
                    possible: bool = False) -> list[list[Verdict]]:
        """Per text, the verdicts worth alerting on, possible-tier ones too when `possible` (or the top K)."""
        if not texts or not self._claims:
            return [[] for _ in texts]
        return await self._judged(self.judge.match, list(texts), top_k, possible)

    def thresholds(self) -> tuple[float, float]:
        """(alert, possible): the judge's default alert threshold and where its possible band starts."""
        config = self.judge.config
        return float(config.threshold), float(config.possible_threshold)

    async def match_document(self, texts: Sequence[str], title_first: bool = True) -> DocumentJudgement:
        """An article's statements judged in context (alert and possible tiers), and one verdict per claim."""
        if not texts or not self._claims:
            return DocumentJudgement([[] for _ in texts], [])
        return await self._judged(self.judge.match_document, list(texts), title_first)

    async def check_article(self, text: str, top_k: int | None = None) -> list[Verdict]:
        """Which watched claims a whole text concerns, with stance."""
        if not self._claims:
            return []
        return await self._judged(self.judge.classify_article, text, top_k)

    def close(self) -> None:
        """Stop the worker thread."""
        self._executor.shutdown(wait=False, cancel_futures=True)
