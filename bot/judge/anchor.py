"""Anchors: the words a statement shares with a claim that are rare in news ("Valdai", "M23").

The pair model reads topics as readily as events: "No one has died more times than Fidel Castro"
reads as related to a flood toll. Retrieval keeps such sentences out, and with them statements
that name the claim in other words ("Kigali insists its only aim ..."). A statement that shares
at least one word with the claim that is rare in news (not on models/common_words.txt) is
anchored to it, and the judge may then let the pair model weigh more (PairConfig.anchor_w_rel).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .aliases import canon_tokens
from .text import tokens


@lru_cache(maxsize=1 << 14)  # a claim recurs for every statement, a statement for each of its candidates
def content_stems(text: str) -> frozenset[str]:
    """Content stems of a text with metonyms mapped to their state ("Moscow" -> "russia")."""
    return frozenset(canon_tokens(tokens(text)))


class Anchors:
    """Shared rare stems of (claim, statement) pairs."""

    def __init__(self, common: Iterable[str]) -> None:
        """common: stems too frequent in news to anchor anything."""
        self.common = frozenset(common)

    @classmethod
    def load(cls, path: Path) -> Anchors | None:
        """The list written by scripts/common_words.py ("#" lines are comments); None when absent."""
        if not path.exists():
            return None
        lines = (ln.strip() for ln in path.read_text().splitlines())
        return cls(ln for ln in lines if ln and not ln.startswith("#"))

    def shared(self, claim: str, text: str) -> tuple[str, ...]:
        """The rare stems both texts use, sorted."""
        return tuple(sorted((content_stems(claim) & content_stems(text)) - self.common))
