"""Split text into sentences and attribute each to a speaker with its reporting verb."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from bot.extract.attribution import attribute
from bot.extract.figures import find_figures
from bot.models import StatementDraft

# pysbd builds a regex per abbreviation it meets; with the stdlib's 512-entry pattern cache that
# evicts every other module's compiled patterns on each document, and recompiling them was half
# of ingestion time in bench/ingest.py. A larger cache keeps them all (a few MB at most).
if getattr(re, "_MAXCACHE", 4096) < 4096:
    re._MAXCACHE = 4096  # type: ignore[attr-defined]

MIN_CHARS = 20
MAX_STATEMENTS = 200


ExtractedStatement = StatementDraft


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` (pysbd handles abbreviations, decimals and quotes)."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n|\n", text):
        para = para.strip()
        if para:
            out.extend(s.strip() for s in _segmenter().segment(para) if s.strip())
    return out


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
