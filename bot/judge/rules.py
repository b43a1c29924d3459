"""Rule-based stance: the fallback when no trained model is shipped, and a feature source."""

from __future__ import annotations

import numpy as np

from .statement import decide
from .text import STRONG_REFUTE, cue_count, is_question

NEG_CUES = ("not", "no ", "never", "nothing", "neither", "nor", "without", "none")
HEDGES = (
    "may", "might", "could", "possibly", "perhaps", "unconfirmed", "unverified", "unclear",
    "not clear", "whether", "speculat", "investigat", "rumor", "rumour", "if ", "appears",
    "seems", "apparently", "purportedly", "not yet known", "remains to be",
)


def cue_profile(claim: str, text: str) -> dict[str, float]:
    """Cue counts in the text beyond those already present in the claim."""
    return {
        "refute": max(cue_count(text, STRONG_REFUTE) - cue_count(claim, STRONG_REFUTE), 0),
        "neg": max(cue_count(text, NEG_CUES) - cue_count(claim, NEG_CUES), 0),
        "hedge": max(cue_count(text, HEDGES) - cue_count(claim, HEDGES), 0),
        "question": float(is_question(text)),
    }


def rule_stance(claim: str, text: str) -> tuple[str, float]:
    """Stance of a short text toward a claim from cue words alone."""
    p = cue_profile(claim, text)
    if p["refute"] > 0:
        return "refutes", 0.8
    if p["question"] or p["hedge"] > 0:
        return "neutral", 0.6
    if p["neg"] > 0:
        return "refutes", 0.6
    return "supports", 0.6


def statement_stance(claim: str, text: str, p: tuple[float, float, float] | None) -> tuple[str, float]:
    """Stance of one statement (attribution counts as support on the speaker's behalf); see statement.decide."""
    d = decide(claim, text, p)
    return d.stance, d.confidence


def sentence_votes(claim: str, sents: list[str], p: tuple[float, float, float]) -> list[float]:
    """Share of the given sentences that the statement policy reads as supports / refutes / neutral."""
    votes = [0.0, 0.0, 0.0]
    for s in sents:
        votes[("supports", "refutes", "neutral").index(statement_stance(claim, s, p)[0])] += 1.0 / len(sents)
    return votes


def article_mix(p: np.ndarray, votes: list[float], weight: float) -> np.ndarray:
    """Blend the model's stance distribution with the sentence votes."""
    return (1.0 - weight) * p + weight * np.asarray(votes, np.float32)
