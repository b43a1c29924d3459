"""Neutral value types of the judge: claims in, verdicts out."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

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
class Reasons:
    """Why the judge decided as it did: relatedness parts and what decided the stance."""

    # Relatedness parts: similarity, word coverage, keyword, numbers, names, article context (0..1 each).
    parts: dict[str, float] = field(default_factory=dict)
    shared_words: tuple[str, ...] = ()
    shared_names: tuple[str, ...] = ()
    shared_numbers: tuple[str, ...] = ()
    context: str | None = None  # e.g. "the article concerns this claim; the sentence refers back ('the allegation')"
    anchor: tuple[str, ...] = ()  # rare shared words that let the pair model weigh more (bot/judge/anchor.py)
    stance_rule: str = ""  # e.g. 'denial wording "fabrication"', 'model p(refutes)=0.71'
    stance_probs: tuple[float, float, float] | None = None  # model (supports, refutes, neutral), if run

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (stored with the match for /claim why)."""
        return asdict(self)


@dataclass(frozen=True)
class Verdict:
    """How one text relates to one claim."""

    claim_id: str
    score: float
    stance: str
    confidence: float
    alert: bool
    reasons: Reasons | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Builtin numbers only: numpy scalars from the models would be stored by SQLite as raw bytes.
        object.__setattr__(self, "score", float(self.score))
        object.__setattr__(self, "confidence", float(self.confidence))
        object.__setattr__(self, "alert", bool(self.alert))


@dataclass(frozen=True)
class ArticleVerdict:
    """How a whole article (title + statements) relates to one claim; one alert per such verdict."""

    claim_id: str
    score: float
    stance: str
    confidence: float
    alert: bool
    # Indices (into the statements given to match_document) that decided it, most decisive first.
    evidence: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "score", float(self.score))
        object.__setattr__(self, "confidence", float(self.confidence))
        object.__setattr__(self, "alert", bool(self.alert))
        object.__setattr__(self, "evidence", tuple(int(i) for i in self.evidence))


@dataclass(frozen=True)
class DocumentJudgement:
    """Verdicts for every statement of one article (in context), and per claim for the article."""

    # Per statement: alert-tier (Verdict.alert True) and possible-tier (alert False) verdicts.
    statements: list[list[Verdict]]
    articles: list[ArticleVerdict]
