"""Fetch one source of any kind into items, turning every failure into a one-line reason."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bot.models import Source
from bot.sources import http
from bot.sources.feeds import FeedError, parse_feed
from bot.sources.folder import read_folder
from bot.sources.items import Item
from bot.sources.pages import extract_page
from bot.sources.ssrf import UnsafeURLError


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


def is_local(url: str) -> bool:
    """True for a filesystem path or file: URL (only allowed from the config file)."""
    scheme = urlsplit(url).scheme
    return scheme in ("", "file") or len(scheme) == 1  # "C:" drive letters


def local_path(url: str) -> Path:
    """The filesystem path of a local source."""
    return Path(urlsplit(url).path) if url.startswith("file:") else Path(url)


async def fetch_source(source: Source, client: httpx.AsyncClient, allow_private: bool = False) -> FetchOutcome:
    """Fetch and parse `source`; never raises for source problems."""
    try:
        if is_local(source.url):
            items, warnings = await asyncio.to_thread(read_folder, local_path(source.url))
            return FetchOutcome(items=items, warnings=warnings)
        resp = await http.get(
            client, source.url, etag=source.etag, last_modified=source.last_modified,
            allow_private=allow_private or source.allow_private,
        )
        if resp.not_modified:
            return FetchOutcome(not_modified=True, etag=source.etag, last_modified=source.last_modified)
        if source.kind == "page":
            items = [await asyncio.to_thread(extract_page, resp.body, resp.url)]
        else:
            items = parse_feed(resp.body, resp.content_type)
        return FetchOutcome(items=items, etag=resp.etag, last_modified=resp.last_modified)
    except http.FetchError as exc:
        return FetchOutcome(error=str(exc), retry_after=exc.retry_after)
    except (UnsafeURLError, FeedError, FileNotFoundError, ValueError) as exc:
        return FetchOutcome(error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
