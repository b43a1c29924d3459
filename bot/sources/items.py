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
