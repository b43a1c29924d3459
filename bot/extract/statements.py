"""Split text into sentences and attribute each to a speaker with its reporting verb."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from bot.extract.attribution import attribute
from bot.extract.figures import find_figures
from bot.extract.sentences import iter_sentences, split_sentences
from bot.models import StatementDraft

__all__ = ["ExtractedStatement", "Extraction", "extract", "extract_statements", "split_sentences"]

MIN_CHARS = 20
MAX_STATEMENTS = 200
# Extraction defends itself too (the fetcher already cuts items to bot.sources.items' caps): the
# title is one statement and never chunked, and the body is read no further than this.
MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 100_000
# A safety net on top of the caps, which alone keep an item to well under a second: past this,
# extraction stops and keeps the statements it has.
BUDGET_S = 10.0


ExtractedStatement = StatementDraft


@dataclass(slots=True)
class Extraction:
    """The statements of a document, and a one-line note when extraction stopped early."""

    statements: list[ExtractedStatement] = field(default_factory=list)
    note: str | None = None


def extract(title: str, text: str, budget_s: float = BUDGET_S) -> Extraction:
    """Statements of a document: the title first, then each sentence of the body, in bounded time."""
    deadline = time.monotonic() + budget_s
    out = Extraction()
    title = title.strip()[:MAX_TITLE_CHARS]
    sentences = iter_sentences(text[:MAX_TEXT_CHARS])
    seen: set[str] = set()
    for sentence in ([title] if title else []):
        _add(out.statements, seen, sentence)
    for sentence in sentences:
        if len(out.statements) >= MAX_STATEMENTS:
            break
        if time.monotonic() > deadline:
            out.note = f"extraction stopped after {budget_s:g} s with {len(out.statements)} statements"
            break
        _add(out.statements, seen, sentence)
    if len(text) > MAX_TEXT_CHARS and out.note is None and len(out.statements) < MAX_STATEMENTS:
        out.note = f"only the first {MAX_TEXT_CHARS:,} of {len(text):,} characters were read"
    return out


def _add(result: list[ExtractedStatement], seen: set[str], sentence: str) -> None:
    key = sentence.lower()
    if len(sentence) < MIN_CHARS or key in seen:
        return
    seen.add(key)
    attr = attribute(sentence)
    result.append(
        ExtractedStatement(
            seq=len(result),
            text=sentence,
            speaker=attr.speaker,
            speaker_role=attr.role,
            cue=attr.cue,
            cue_type=attr.cue_type,
            figures=find_figures(sentence),
        )
    )


def extract_statements(title: str, text: str) -> list[ExtractedStatement]:
    """Statements of a document: the title first, then each sentence of the body."""
    return extract(title, text).statements
