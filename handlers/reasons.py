"""The judge's reasons as chat text: in full for /claim why, in one line for /claim check.

Works on the plain form (`Reasons.as_dict()`, as stored with each match), so stored rows and
fresh verdicts read the same; unknown or missing keys are skipped, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.models import STANCES

PART_NAMES = {"cos": "similarity", "cov": "word coverage", "kw": "keyword", "num": "numbers", "name": "names",
              "fcos": "fragment similarity", "context": "article context", "retrieval": "retrieval",
              "pair_related": "pair model related"}
MAX_SHARED = 8


def _words(values: Any, limit: int = MAX_SHARED) -> str:
    items = [str(v) for v in values] if isinstance(values, Sequence) and not isinstance(values, str) else []
    if not items:
        return "none"
    more = f" (+{len(items) - limit} more)" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def parts_text(parts: Any) -> str:
    """'similarity 0.71, word coverage 0.45, ...' (the relatedness parts, 0..1 each)."""
    if not isinstance(parts, Mapping) or not parts:
        return "none recorded"
    out = []
    for key, value in parts.items():
        try:
            out.append(f"{PART_NAMES.get(key, key)} {float(value):.2f}")
        except (TypeError, ValueError):
            continue
    return ", ".join(out) or "none recorded"


def probs_text(probs: Any) -> str | None:
    """'supports 0.10, refutes 0.80, neutral 0.10', or None when the model did not run."""
    if not isinstance(probs, Sequence) or isinstance(probs, str) or len(probs) != len(STANCES):
        return None
    try:
        return ", ".join(f"{s} {float(p):.2f}" for s, p in zip(STANCES, probs, strict=True))
    except (TypeError, ValueError):
        return None


def stance_basis(detail: Mapping[str, Any]) -> str:
    """What decided the stance: the rule, else the model's probabilities."""
    rule = str(detail.get("stance_rule") or "").strip()
    probs = probs_text(detail.get("stance_probs"))
    if rule and probs:
        return f"{rule} (model: {probs})"
    return rule or (f"model probabilities {probs}" if probs else "not recorded")


def reason_lines(detail: Mapping[str, Any]) -> list[str]:
    """The reasons in full, one aspect per line."""
    lines = [
        f"Relatedness parts: {parts_text(detail.get('parts'))}",
        f"Shared words: {_words(detail.get('shared_words'))}",
        f"Shared names: {_words(detail.get('shared_names'))}",
        f"Shared numbers: {_words(detail.get('shared_numbers'))}",
    ]
    if detail.get("context"):
        lines.append(f"Article context: {detail['context']}")
    if detail.get("anchor"):
        lines.append(f"Anchored by rare shared words: {_words(detail['anchor'])} (the pair model weighed more)")
    lines.append(f"Stance decided by: {stance_basis(detail)}")
    return lines


def reason_brief(detail: Mapping[str, Any]) -> str:
    """The reasons in one compact line: the strongest parts, what is shared, what decided the stance."""
    bits = []
    parts = detail.get("parts")
    if isinstance(parts, Mapping):
        numeric = [(k, float(v)) for k, v in parts.items() if isinstance(v, int | float)]
        top = sorted((kv for kv in numeric if kv[1] > 0), key=lambda kv: -kv[1])[:3]
        if top:
            bits.append(", ".join(f"{PART_NAMES.get(k, k)} {v:.2f}" for k, v in top))
    for key, label in (("shared_names", "names"), ("shared_numbers", "numbers"), ("shared_words", "words")):
        shown = _words(detail.get(key), 4)
        if shown != "none":
            bits.append(f"{label}: {shown}")
    if detail.get("context"):
        bits.append(f"context: {detail['context']}")
    basis = stance_basis(detail)
    if basis != "not recorded":
        bits.append(f"stance: {basis}")
    return "; ".join(bits)
