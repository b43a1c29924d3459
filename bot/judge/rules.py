"""Cue lists of the article-stance features, sentence votes and the article mix; statement_stance wraps statement.decide."""

from __future__ import annotations

import numpy as np

from .statement import decide

NEG_CUES = ("not", "no ", "never", "nothing", "neither", "nor", "without", "none")
HEDGES = (
    "may", "might", "could", "possibly", "perhaps", "unconfirmed", "unverified", "unclear",
    "not clear", "whether", "speculat", "investigat", "rumor", "rumour", "if ", "appears",
    "seems", "apparently", "purportedly", "not yet known", "remains to be",
)


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
