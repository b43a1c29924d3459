"""Neutral value types of the judge: claims in, verdicts out."""

from __future__ import annotations

from dataclasses import dataclass

STANCES = ("supports", "refutes", "neutral")
LABELS = ("unrelated", "supports", "refutes", "neutral")


@dataclass(frozen=True)
class ClaimRef:
    """A watched claim as the judge sees it."""

    id: str
    text: str
    keywords: tuple[str, ...] = ()
    threshold: float | None = None


@dataclass(frozen=True)
class Verdict:
    """How one text relates to one claim."""

    claim_id: str
    score: float
    stance: str
    confidence: float
    alert: bool
