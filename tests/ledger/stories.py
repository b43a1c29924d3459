"""Fixture stories fed through the real pipeline: local RSS feeds on 127.0.0.1, a story-aware judge."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import Any

from bot.judge import ArticleVerdict, ClaimRef, DocumentJudgement, Verdict
from bot.judging import JudgeService
from bot.models import Claim
from bot.pipeline import Pipeline, PipelineOptions
from bot.platform import DeliveryError, DeliveryReceipt, Destination, OutboundMessage
from bot.sources.fetcher import FetchSettings
from bot.sources.http import make_client
from bot.sources.ssrf import networks
from storage import Store
from tests.conftest import FeedServer, Route

STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
NAMES = ("drone_residence", "iberian_blackout", "baltic_cable")


def load_story(name: str) -> dict[str, Any]:
    """A story file as data."""
    return json.loads((STORIES / f"{name}.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


class StoryJudge:
    """A Judge double with exact stances: the stance each story sentence is annotated with."""

    def __init__(self, stories: Sequence[dict[str, Any]], confidence: float = 0.9) -> None:
        self.table: dict[str, tuple[str, str]] = {}
        for story in stories:
            for doc in story["documents"]:
                for stance, sentence in doc["sentences"]:
                    if stance:
                        self.table[_norm(sentence)] = (story["claim"]["text"], stance)
        self.confidence = confidence
        self.claim_ids: dict[str, str] = {}

    def set_claims(self, claims: list[ClaimRef]) -> None:
        """Map claim texts to ids."""
        self.claim_ids = {c.text: c.id for c in claims}

    def match(self, texts: list[str], top_k: int | None = None) -> list[list[Verdict]]:
        """The annotated verdict of each known sentence; nothing for the rest."""
        out = []
        for text in texts:
            hit = self.table.get(_norm(text))
            if hit and hit[0] in self.claim_ids:
                out.append([Verdict(self.claim_ids[hit[0]], 0.9, hit[1], self.confidence, True)])
            else:
                out.append([])
        return out

    def match_document(self, texts: list[str], title_first: bool = True) -> DocumentJudgement:
        """Each sentence's annotation; per claim, the article takes its statements' most common stance."""
        per = self.match(texts)
        hits: dict[str, list[tuple[int, Verdict]]] = {}
        for i, found in enumerate(per):
            for v in found:
                hits.setdefault(v.claim_id, []).append((i, v))
        articles = []
        for claim_id, found in hits.items():
            stance = Counter(v.stance for _, v in found).most_common(1)[0][0]  # ties: the first seen
            evidence = sorted(found, key=lambda iv: iv[1].stance != stance)  # that side first, in article order
            articles.append(ArticleVerdict(claim_id, 0.9, stance, self.confidence, True,
                                           tuple(i for i, _ in evidence[:3])))
        return DocumentJudgement(per, articles)

    def classify_article(self, text: str, top_k: int | None = None) -> list[Verdict]:
        """Not used by these tests."""
        return []


def rss(docs: list[dict[str, Any]], server: FeedServer) -> bytes:
    """An RSS 2.0 body for some story documents."""
    out = ["<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><link>http://x</link>"]
    for d in docs:
        when = datetime.fromisoformat(d["published"].replace("Z", "+00:00"))
        link = server.url(f"/article/{d['slug']}")
        body = " ".join(s for _, s in d["sentences"])
        out.append(f"<item><guid>{d['slug']}</guid><link>{escape(link)}</link><title>{escape(d['title'])}</title>"
                   f"<description>{escape(body)}</description><pubDate>{format_datetime(when)}</pubDate></item>")
    return ("".join(out) + "</channel></rss>").encode()


@dataclass
class Fed:
    """What feeding a story set up."""

    claim: Claim
    story: dict[str, Any]
    source_ids: dict[str, int] = field(default_factory=dict)


async def add_story(store: Store, server: FeedServer, story: dict[str, Any], docs: list[dict[str, Any]] | None = None,
                    watchers: Sequence[tuple[str, str]] = (("console", "newsroom"),)) -> Fed:
    """Create the claim, its watches and one local feed source per story source."""
    c = story["claim"]
    claim = await store.add_claim(c["text"], "test", slug=c["key"], keywords=c["keywords"])
    for platform, channel in watchers:
        await store.watch(claim.id, platform, channel)
    fed = Fed(claim, story)
    for key, meta in story["sources"].items():
        url = server.url(f"/{c['key']}/{key}.xml")
        existing = await store.get_source_by_url(url)
        src = existing or await store.add_source(url, label=meta["label"], speaker_kind=meta["speaker_kind"],
                                                 quiet_first=False, interval_s=3600, created_by="config")
        fed.source_ids[key] = src.id
    publish(server, story, docs if docs is not None else story["documents"])
    return fed


def publish(server: FeedServer, story: dict[str, Any], docs: list[dict[str, Any]]) -> None:
    """Serve `docs` on each source's feed (replacing what was served)."""
    key = story["claim"]["key"]
    for src in story["sources"]:
        server.routes[f"/{key}/{src}.xml"] = Route(rss([d for d in docs if d["source"] == src], server))


def make_pipeline(store: Store, judge: JudgeService) -> Pipeline:
    """The real pipeline, allowed to fetch from 127.0.0.1 only, with an old-news window wide enough."""
    fetch = FetchSettings(allow_networks=networks(["127.0.0.1/32"]))
    opts = PipelineOptions(max_item_age_s=20 * 365 * 86400, fetch=fetch)
    return Pipeline(store, judge, make_client(connect_s=2, read_s=2), opts)


async def poll_once(store: Store, judge: JudgeService) -> None:
    """One poll cycle of a fresh real pipeline; its HTTP client is closed after."""
    pipeline = make_pipeline(store, judge)
    try:
        await cycle(pipeline)
    finally:
        await pipeline.client.aclose()


async def poll_story(store: Store, story: dict[str, Any]) -> None:
    """One poll cycle judged by a StoryJudge that knows `story` (closed after)."""
    judge = JudgeService(StoryJudge([story]))
    try:
        await poll_once(store, judge)
    finally:
        judge.close()


async def feed(store: Store, server: FeedServer, judge: JudgeService, name: str) -> Fed:
    """Set up a fixture story's claim and feeds, and run one poll cycle of the real pipeline over them."""
    fed = await add_story(store, server, load_story(name))
    await poll_once(store, judge)
    return fed


async def cycle(pipeline: Pipeline) -> None:
    """Make every source due, then run one poll cycle."""
    store = pipeline.store
    for s in await store.list_sources():
        await store.update_source(s.id, next_fetch_at="2000-01-01T00:00:00+00:00")
    stats = await pipeline.run_cycle()
    assert stats.errors == 0, stats


class RecordingPlatform:
    """A Platform double that records sends; it can fail a channel on demand."""

    name = "console"

    def __init__(self) -> None:
        self.sent: list[tuple[str, OutboundMessage]] = []
        self.fail: dict[str, DeliveryError] = {}

    async def serve(self, dispatch: Any) -> None:
        """Not used."""

    async def send(self, dest: Destination, message: OutboundMessage) -> DeliveryReceipt:
        """Record or fail."""
        if dest.channel in self.fail:
            raise self.fail[dest.channel]
        self.sent.append((dest.channel, message))
        return DeliveryReceipt(self.name, dest.channel, message_id=f"m{message.alert_id}")

    def kinds(self, channel: str | None = None) -> list[str]:
        """Stored kind names of the messages sent (to one channel): 'statement', 'update', 'digest' ..."""
        return [m.content.kind for c, m in self.sent if channel is None or c == channel]
