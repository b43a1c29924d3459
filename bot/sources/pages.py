"""Extract the main text and metadata of an article page with trafilatura."""

from __future__ import annotations

import trafilatura

from bot.sources.feeds import FeedError
from bot.sources.items import Item


def extract_page(body: bytes, url: str) -> Item:
    """Title, author, date and main text of an HTML page; FeedError if nothing readable."""
    html = body.decode("utf-8", errors="replace")
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
