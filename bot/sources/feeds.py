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
    text = html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r" *\n[\n ]*", "\n", text).strip()


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


_HTML_HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_ENCODING_ONLY = ("CharacterEncodingOverride", "NonXMLContentType")


def _one_line(exc: object) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__


def read_feed(body: bytes, content_type: str = "") -> tuple[list[Item], list[str]]:
    """Items of an RSS 0.9x/1.0/2.0, Atom or JSON feed plus warnings; FeedError if not a feed."""
    if not body.strip():
        raise FeedError("empty response body")
    head = body.lstrip()[:1]
    if "json" in content_type or head in (b"{", b"["):
        return parse_json_feed(body), []
    if not body.lstrip().lstrip(b"\xef\xbb\xbf").startswith((b"<", b"\xff\xfe", b"\xfe\xff")):
        raise FeedError("not a feed: the body is neither XML nor JSON")
    if _HTML_HEAD.match(body[:2048]):
        raise FeedError("an HTML page was served where a feed was expected")
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(body, response_headers=headers)
    exc = parsed.get("bozo_exception") if parsed.bozo else None
    if not parsed.entries:
        if exc is not None and type(exc).__name__ not in _ENCODING_ONLY:
            raise FeedError(f"invalid XML: {_one_line(exc)}")
        if not parsed.get("version"):
            raise FeedError("not a feed (no RSS/Atom root element)")
        return [], ["feed has no entries"]
    warnings = []
    if exc is not None:
        kind = "charset" if type(exc).__name__ in _ENCODING_ONLY else "malformed XML"
        warnings.append(f"{kind}: {_one_line(exc)}; read {len(parsed.entries)} entries")
    items = [_item(entry) for entry in parsed.entries]
    missing = sum(1 for it in items if not it.url)
    if missing:
        warnings.append(f"{missing} entries without a link")
    return items, warnings


def _item(entry: Any) -> Item:
    return Item(
        url=(entry.get("link", "") or "").strip(),
        title=strip_html(entry.get("title", "") or ""),
        text=_entry_text(entry),
        guid=entry.get("id") or None,
        published_at=_iso(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=entry.get("author") or None,
    )


def parse_feed(body: bytes, content_type: str = "") -> list[Item]:
    """Items of a feed (warnings dropped); FeedError when it is not a feed."""
    return read_feed(body, content_type)[0]
