"""Judgement: which watched claims a text concerns, and which side it takes."""

from __future__ import annotations

from .judge import Judge, JudgeConfig
from .loader import load_judge
from .types import LABELS, STANCES, ArticleVerdict, ClaimRef, DocumentJudgement, Reasons, Verdict

__all__ = ["ArticleVerdict", "ClaimRef", "DocumentJudgement", "Judge", "JudgeConfig", "LABELS", "Reasons", "STANCES", "Verdict", "load_judge"]
