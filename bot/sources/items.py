"""The neutral item every reader yields: one article or feed entry."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass


@dataclass(slots=True)
class Item:
    """An article as read from a source, before dedupe."""

    url: str
    title: str
    text: str
    guid: str | None = None
    published_at: str | None = None
    author: str | None = None
    feed_hash: str | None = None  # set when the text was replaced by the linked page's

    @property
    def content_hash(self) -> str:
        """Hash of the normalised title and text: whitespace and case changes are not edits."""
        if self.feed_hash:
            return self.feed_hash
        norm = re.sub(r"\s+", " ", f"{self.title}\n{self.text}").strip().lower()
        return hashlib.sha256(norm.encode()).hexdigest()[:32]


# One entry must not cost more than an article's worth of work: every later stage (hashing, MinHash,
# sentence splitting, judging, the store) is linear in these, so capping them bounds the time per item.
# 100,000 characters is about 15,000 words, longer than nearly any article.
MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 100_000


def _cut_at_space(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at the last whitespace when there is one nearby."""
    head = text[:limit]
    space = head.rfind(" ", limit - 200)
    return head[:space] if space > 0 else head


def bound_item(item: Item) -> str | None:
    """Cut an oversized title or text in place; a one-line note saying what was cut, or None."""
    cut = []
    if len(item.title) > MAX_TITLE_CHARS:
        cut.append(f"title {len(item.title):,} -> {MAX_TITLE_CHARS:,}")
        item.title = _cut_at_space(item.title, MAX_TITLE_CHARS)
    if len(item.text) > MAX_TEXT_CHARS:
        cut.append(f"text {len(item.text):,} -> {MAX_TEXT_CHARS:,}")
        item.text = _cut_at_space(item.text, MAX_TEXT_CHARS)
    if not cut:
        return None
    name = item.url or item.guid or item.title[:60]
    return f"entry {name[:120]} truncated ({', '.join(cut)} characters)"
