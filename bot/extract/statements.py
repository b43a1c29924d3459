"""Split text into sentences and attribute each to a speaker with its reporting verb."""

from __future__ import annotations

from bot.extract.attribution import attribute
from bot.extract.figures import find_figures
from bot.extract.sentences import split_sentences
from bot.models import StatementDraft

__all__ = ["ExtractedStatement", "extract_statements", "split_sentences"]

MIN_CHARS = 20
MAX_STATEMENTS = 200


ExtractedStatement = StatementDraft


def extract_statements(title: str, text: str) -> list[ExtractedStatement]:
    """Statements of a document: the title first, then each sentence of the body."""
    sentences = ([title.strip()] if title.strip() else []) + split_sentences(text)
    seen: set[str] = set()
    result: list[ExtractedStatement] = []
    for sentence in sentences:
        key = sentence.lower()
        if len(sentence) < MIN_CHARS or key in seen:
            continue
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
        if len(result) >= MAX_STATEMENTS:
            break
    return result
