"""Parse RSS/Atom (feedparser) and JSON Feed bodies into items."""

from __future__ import annotations

import calendar
import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import feedparser

from bot.sources.items import Item


class FeedError(ValueError):
    """A body that is not a usable feed, with a one-line reason."""


_TAG = re.compile(r"<[^>]+>")


def strip_html(text: str) -> str:
    """Plain text from an HTML fragment."""
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", text)
    return re.sub(r"[ \t]+", " ", html.unescape(_TAG.sub(" ", text))).strip()


def _iso(struct: Any) -> str | None:
    if not struct:
        return None
    return datetime.fromtimestamp(calendar.timegm(struct), UTC).isoformat(timespec="seconds")


def _entry_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return strip_html(content["value"])
    return strip_html(entry.get("summary", "") or "")


def parse_json_feed(body: bytes) -> list[Item]:
    """Items of a JSON Feed (https://jsonfeed.org) document."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"invalid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError("JSON is not a JSON Feed (no items list)")
    items = []
    for raw in data["items"]:
        if not isinstance(raw, dict):
            continue
        text = raw.get("content_text") or strip_html(raw.get("content_html") or raw.get("summary") or "")
        authors = raw.get("authors") or ([raw["author"]] if raw.get("author") else [])
        items.append(
            Item(
                url=str(raw.get("url") or raw.get("external_url") or ""),
                title=str(raw.get("title") or ""),
                text=str(text),
                guid=str(raw["id"]) if raw.get("id") is not None else None,
                published_at=raw.get("date_published") or raw.get("date_modified"),
                author=(authors[0] or {}).get("name") if authors else None,
            )
        )
    return items


def parse_feed(body: bytes, content_type: str = "") -> list[Item]:
    """Items of an RSS 0.9x/1.0/2.0, Atom or JSON feed; FeedError when it is not a feed."""
    head = body.lstrip()[:1]
    if "json" in content_type or head in (b"{", b"["):
        return parse_json_feed(body)
    parsed = feedparser.parse(body)
    if not parsed.entries:
        if parsed.bozo and not parsed.get("version"):
            reason = str(parsed.get("bozo_exception", "unreadable")).splitlines()[0]
            raise FeedError(f"not a feed: {reason}")
        if not parsed.get("version"):
            raise FeedError("not a feed (no RSS/Atom root element)")
        return []
    items = []
    for entry in parsed.entries:
        items.append(
            Item(
                url=entry.get("link", "") or "",
                title=strip_html(entry.get("title", "") or ""),
                text=_entry_text(entry),
                guid=entry.get("id") or None,
                published_at=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=entry.get("author") or None,
            )
        )
    return items
