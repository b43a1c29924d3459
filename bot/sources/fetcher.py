"""Fetch one source of any kind into items, turning every failure into a one-line reason."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bot.models import Source
from bot.sources import http
from bot.sources.feeds import FeedError, read_feed
from bot.sources.folder import read_folder
from bot.sources.items import Item, bound_item
from bot.sources.pages import extract_page
from bot.sources.ssrf import Network, Policy, UnsafeURLError


@dataclass(slots=True)
class FetchOutcome:
    """The result of fetching one source once."""

    items: list[Item] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    retry_after: float | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely and how safely to fetch."""

    limits: http.Limits = http.DEFAULT_LIMITS
    allow_private: bool = False  # config-file sources only; chat-added ones never get it
    allow_networks: tuple[Network, ...] = ()  # config-file sources only, like allow_private
    global_concurrency: int = 16
    per_host_concurrency: int = 2
    full_text_below: int = 0  # >0: fetch the linked article page when an entry's text is shorter


class HostLimiter:
    """A global and a per-host cap on simultaneous requests."""

    def __init__(self, global_limit: int, per_host: int) -> None:
        self._global = asyncio.Semaphore(max(1, global_limit))
        self._per_host = max(1, per_host)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, url: str) -> AsyncIterator[None]:
        """Hold one global and one per-host slot for `url`'s host."""
        host = (urlsplit(url).hostname or "").lower()
        sem = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with sem, self._global:
            yield


def is_local(url: str) -> bool:
    """True for a filesystem path or file: URL (only allowed from the config file)."""
    scheme = urlsplit(url).scheme
    return scheme in ("", "file") or len(scheme) == 1  # "C:" drive letters


def local_path(url: str) -> Path:
    """The filesystem path of a local source."""
    return Path(urlsplit(url).path) if url.startswith("file:") else Path(url)


def from_config(source: Source) -> bool:
    """True for a source the TOML file declares (bot.seed), never for one added with /source add."""
    return source.created_by == "config"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _bounded(items: list[Item]) -> list[str]:
    """Cut every oversized item (items.bound_item); one note per item cut."""
    return [note for item in items if (note := bound_item(item))]


class Fetcher:
    """Fetches sources and article pages through one client, within the concurrency caps."""

    def __init__(self, client: httpx.AsyncClient, settings: FetchSettings | None = None) -> None:
        self.client = client
        self.settings = settings or FetchSettings()
        self.limiter = HostLimiter(self.settings.global_concurrency, self.settings.per_host_concurrency)

    def policy(self, source: Source) -> Policy:
        """The address policy for `source`: private only when both settings and source allow it, and
        the allowed networks only for the config file's sources. A URL a moderator adds in chat must
        not reach an intranet range by redirecting or rebinding into it."""
        return Policy(allow_private=self.settings.allow_private and source.allow_private,
                      allow_networks=self.settings.allow_networks if from_config(source) else ())

    async def _get(self, url: str, source: Source, etag: str | None = None,
                   last_modified: str | None = None) -> http.Response:
        async with self.limiter.slot(url):
            return await http.get(self.client, url, etag=etag, last_modified=last_modified,
                                  policy=self.policy(source), limits=self.settings.limits)

    async def fetch(self, source: Source) -> FetchOutcome:
        """Fetch and parse `source`; never raises for source problems."""
        try:
            if is_local(source.url):
                items, warnings = await asyncio.to_thread(read_folder, local_path(source.url))
                return FetchOutcome(items=items, warnings=warnings + _bounded(items))
            resp = await self._get(source.url, source, source.etag, source.last_modified)
            if resp.not_modified:
                return FetchOutcome(not_modified=True, etag=resp.etag or source.etag,
                                    last_modified=resp.last_modified or source.last_modified)
            warnings: list[str] = []
            # Parsing is CPU work in proportion to the body (up to limits.max_decoded): off the loop.
            if source.kind == "page":
                items = [await asyncio.to_thread(extract_page, resp.body, resp.url, resp.content_type)]
            else:
                items, warnings = await asyncio.to_thread(read_feed, resp.body, resp.content_type)
            return FetchOutcome(items=items, etag=resp.etag, last_modified=resp.last_modified,
                                warnings=warnings + _bounded(items))
        except http.FetchError as exc:
            return FetchOutcome(error=_reason(exc), retry_after=exc.retry_after)
        except (UnsafeURLError, FeedError, OSError, ValueError) as exc:
            return FetchOutcome(error=_reason(exc))

    def wants_full_text(self, source: Source, item: Item) -> bool:
        """True when a feed entry carries only a short summary and links to a web page."""
        return (source.kind == "feed" and not is_local(source.url) and self.settings.full_text_below > 0
                and item.url.startswith(("http://", "https://"))
                and len(item.text) < self.settings.full_text_below)

    async def full_text(self, source: Source, item: Item) -> str | None:
        """Replace a summary with the linked page's main text; a one-line warning on failure."""
        feed_hash = item.content_hash  # dedupe stays keyed on what the feed published
        try:
            resp = await self._get(item.url, source)
            page = await asyncio.to_thread(extract_page, resp.body, resp.url, resp.content_type)
        except (http.FetchError, UnsafeURLError, FeedError, ValueError) as exc:
            return f"article {item.url}: {_reason(exc)}"
        note = bound_item(page)
        if len(page.text) > len(item.text):
            item.text = page.text
            item.title = item.title or page.title
            item.author = item.author or page.author
            item.published_at = item.published_at or page.published_at
            item.feed_hash = feed_hash
            return note
        return None

