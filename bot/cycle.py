"""What a poll cycle and each item in it came to: counts for the log and the metrics."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal


@dataclass(slots=True)
class CycleStats:
    """What one cycle did."""

    sources: int = 0
    documents: int = 0
    statements: int = 0
    alerts: int = 0
    errors: int = 0
    bad_items: int = 0  # entries skipped with a note, their feed's other entries kept
    not_modified: int = 0
    copies: int = 0  # syndicated copies recorded as outlets of an earlier story

    def summary(self) -> str:
        """One readable line, e.g. '3 sources, 2 documents, 14 statements, 1 alert(s), 0 errors'."""
        return ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in asdict(self).items())


@dataclass(frozen=True, slots=True)
class ItemResult:
    """What became of one fetched item."""

    outcome: Literal["skipped", "copy", "stored"]  # skipped: empty or already stored unchanged
    statements: int = 0
    alerts: int = 0


SKIPPED, COPY = ItemResult("skipped"), ItemResult("copy")
