"""Extract the main text and metadata of an article page with trafilatura."""

from __future__ import annotations

import re

import trafilatura
from charset_normalizer import from_bytes

from bot.sources.feeds import FeedError
from bot.sources.items import Item

_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.I)


def decode_html(body: bytes, content_type: str = "") -> str:
    """Text of an HTML body: declared charset if it decodes cleanly, else detected."""
    for source in (content_type, body[:2048].decode("ascii", errors="ignore")):
        m = _CHARSET.search(source)
        if m:
            try:
                return body.decode(m.group(1))
            except (LookupError, UnicodeDecodeError):
                break  # a wrong declaration: fall through to detection
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(body).best()
        return str(best) if best is not None else body.decode("utf-8", errors="replace")


def extract_page(body: bytes, url: str, content_type: str = "") -> Item:
    """Title, author, date and main text of an HTML page; FeedError if nothing readable."""
    html = decode_html(body, content_type)
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None or not getattr(doc, "text", None):
        raise FeedError("no readable article text on the page")
    return Item(
        url=url,
        title=doc.title or "",
        text=doc.text or "",
        published_at=doc.date or None,
        author=doc.author or None,
    )
