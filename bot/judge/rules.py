"""Rule-based stance: the fallback when no trained model is shipped, and a feature source."""

from __future__ import annotations

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
