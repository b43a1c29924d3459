"""Parse RSS/Atom (feedparser) and JSON Feed bodies into items."""

from __future__ import annotations

import calendar
import html
import json
import re
from datetime import UTC, datetime
from typing import Any

import feedparser

from bot.sources.canonical import clean_link
from bot.sources.items import Item


class FeedError(ValueError):
    """A body that is not a usable feed, with a one-line reason."""


_TAG = re.compile(r"<[^<>]+>")  # not [^>]+: on "<<<<..." that rescans the rest from every "<"


_RAW_OPEN = re.compile(r"<(script|style)\b", re.I)


def _drop_raw_text(text: str) -> str:
    """`text` without <script> and <style> elements, in one pass (an unclosed one runs to the end)."""
    if "<" not in text:
        return text
    lower = text.lower()
    out: list[str] = []
    pos = 0
    while m := _RAW_OPEN.search(text, pos):
        out.append(text[pos:m.start()])
        end = lower.find("</" + m.group(1).lower(), m.end())
        close = text.find(">", end) if end >= 0 else -1
        pos = close + 1 if close >= 0 else len(text)
    out.append(text[pos:])
    return " ".join(out)


def strip_html(text: str) -> str:
    """Plain text from an HTML fragment (linear in its length, whatever the markup)."""
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", _drop_raw_text(text))
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


def _text(value: Any) -> str:
    """A JSON Feed string field; any other type (a number, an object) counts as absent."""
    if not isinstance(value, str):
        return ""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\\ud800" is valid JSON) cannot be stored
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def _json_author(raw: dict[str, Any]) -> str | None:
    """The first author's name: JSON Feed 1.1 `authors` objects, 1.0 `author`, or a bare string."""
    authors = raw.get("authors")
    candidates = authors if isinstance(authors, list) else [raw.get("author")]
    for author in candidates:
        name = author.get("name") if isinstance(author, dict) else author
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def _json_item(raw: dict[str, Any]) -> Item:
    """One JSON Feed item, reading each field only when it has the type the spec gives it."""
    text = _text(raw.get("content_text")) or strip_html(_text(raw.get("content_html")) or _text(raw.get("summary")))
    guid = raw.get("id")
    return Item(
        url=clean_link(_text(raw.get("url")) or _text(raw.get("external_url"))),
        title=_text(raw.get("title")),
        text=text,
        guid=str(guid) if isinstance(guid, str | int) and not isinstance(guid, bool) else None,
        published_at=_text(raw.get("date_published")) or _text(raw.get("date_modified")) or None,
        author=_json_author(raw),
    )


def read_json_feed(body: bytes) -> tuple[list[Item], list[str]]:
    """Items of a JSON Feed (https://jsonfeed.org) document, plus one warning per unreadable item."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"invalid JSON: {exc}") from None
    except RecursionError:
        raise FeedError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # an integer of more than 4,300 digits, say
        raise FeedError(f"invalid JSON: {_one_line(exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedError("JSON is not a JSON Feed (no items list)")
    items: list[Item] = []
    skipped = 0
    for raw in data["items"]:
        if not isinstance(raw, dict):
            skipped += 1
            continue
        items.append(_json_item(raw))
    return items, [f"{skipped} items that are not JSON objects skipped"] if skipped else []


def parse_json_feed(body: bytes) -> list[Item]:
    """Items of a JSON Feed document (warnings dropped)."""
    return read_json_feed(body)[0]


# Byte-order marks, longest first (UTF-32LE's starts with UTF-16LE's), then the null-byte patterns of
# BOM-less UTF-16/32 text whose first character is ASCII (XML 1.0 appendix F, RFC 8259 section 8.1).
_BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xef\xbb\xbf", "utf-8"),
         (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))


def sniff_encoding(body: bytes) -> str:
    """The Unicode encoding family of `body` from its BOM or null bytes; utf-8 (ASCII-compatible) otherwise."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    nulls = tuple(b == 0 for b in body[:4].ljust(4, b"\x01"))
    return {
        (True, True, True, False): "utf-32-be",
        (False, True, True, True): "utf-32-le",
        (True, False, True, False): "utf-16-be",
        (False, True, False, True): "utf-16-le",
    }.get(nulls, "utf-8")


def _head(body: bytes, size: int = 2048) -> str:
    """The start of `body` as text, BOM and leading whitespace removed (for sniffing only)."""
    enc = sniff_encoding(body)
    width = 4 if "32" in enc else 2 if "16" in enc else 1
    return body[: size * width].decode(enc, errors="ignore").lstrip("\ufeff \t\r\n")


# A comment ends at its first "-->": with ".*?" there, a head of many comments backtracked exponentially.
_HTML_HEAD = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--(?:(?!-->).)*-->\s*)*<(?:!doctype\s+html|html)\b",
                        re.I | re.S)
# xml.sax looks attributes up by a linear search (AttributesNSImpl.getValueByQName), so one element
# with 50,000 attributes took 20 s. Real feeds have a handful per element.
MAX_ATTRIBUTES = 1000
_LONG_TAG = re.compile(r"<[^<>!?][^<>]{8191,}")
_ATTRIBUTE = re.compile(r"\s[\w:.-]+\s*=\s*[\"']")
_ENCODING_ONLY = ("CharacterEncodingOverride", "NonXMLContentType")


def _one_line(exc: object) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:160] if text else type(exc).__name__


def _check_attributes(body: bytes) -> None:
    """FeedError when one element carries more than MAX_ATTRIBUTES attributes (linear scan)."""
    text = body.decode(sniff_encoding(body), errors="replace")
    for tag in _LONG_TAG.finditer(text):
        if len(_ATTRIBUTE.findall(tag.group())) > MAX_ATTRIBUTES:
            raise FeedError(f"an element with more than {MAX_ATTRIBUTES:,} attributes")


def read_feed(body: bytes, content_type: str = "") -> tuple[list[Item], list[str]]:
    """Items of an RSS 0.9x/1.0/2.0, Atom or JSON feed plus warnings; FeedError if not a feed."""
    head = _head(body)
    if not head.strip():
        raise FeedError("empty response body")
    if "json" in content_type or head[:1] in ("{", "["):
        return read_json_feed(body)
    if not head.startswith("<"):
        raise FeedError("not a feed: the body is neither XML nor JSON")
    if _HTML_HEAD.match(head):
        raise FeedError("an HTML page was served where a feed was expected")
    _check_attributes(body)
    headers = {"content-type": content_type} if content_type else None
    # No sanitizing or URI rewriting of entry HTML: only its plain text is kept (strip_html), and
    # feedparser's pure-Python HTML pass cost 12 s on a 4 MB entry of markup.
    parsed = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
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
    items = []
    for n, entry in enumerate(parsed.entries, 1):
        try:
            items.append(_item(entry))
        except (TypeError, ValueError, AttributeError) as exc:  # one odd entry must not cost the others
            warnings.append(f"entry {n} skipped: {type(exc).__name__}: {_one_line(exc)}")
    missing = sum(1 for it in items if not it.url)
    if missing:
        warnings.append(f"{missing} entries without a link")
    return items, warnings


def _item(entry: Any) -> Item:
    return Item(
        url=clean_link(entry.get("link", "") or ""),
        title=strip_html(entry.get("title", "") or ""),
        text=_entry_text(entry),
        guid=entry.get("id") or None,
        # dict.get: FeedParserDict's own get warns when it falls back from updated_ to published_parsed.
        published_at=_iso(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")),
        author=entry.get("author") or None,
    )


def parse_feed(body: bytes, content_type: str = "") -> list[Item]:
    """Items of a feed (warnings dropped); FeedError when it is not a feed."""
    return read_feed(body, content_type)[0]
