"""The one sentence splitter (pysbd), shared by extraction and the judge."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pysbd

# pysbd builds a regex per abbreviation it meets; with the stdlib's 512-entry pattern cache that
# evicts every other module's compiled patterns on each document, and recompiling them was half
# of ingestion time in bench/ingest.py. A larger cache keeps them all (a few MB at most).
if getattr(re, "_MAXCACHE", 4096) < 4096:
    re._MAXCACHE = 4096  # type: ignore[attr-defined]

# pysbd is roughly quadratic in the length of what it is given (a 168 KB paragraph took 9 s), so
# it only ever sees pieces of about this many characters.
CHUNK_CHARS = 2000

_PARAGRAPH = re.compile(r"[^\n]+")  # lines: a paragraph break never joins two of them
_SPACE = re.compile(r"\s")


# A pysbd Segmenter keeps per-call state, so each thread gets its own (extraction and the judge share
# this splitter and may run on different threads).
_LOCAL = threading.local()


def _segmenter() -> pysbd.Segmenter:
    seg = getattr(_LOCAL, "segmenter", None)
    if seg is None:
        seg = _LOCAL.segmenter = pysbd.Segmenter(language="en", clean=False)
    return seg


def _segment(text: str) -> list[str]:
    return [s.strip() for s in _segmenter().segment(text) if s.strip()]


def _cut(text: str, limit: int) -> int:
    """Index of the last whitespace before `limit` (or `limit` when there is none)."""
    for i in range(limit, limit // 2, -1):
        if _SPACE.match(text, i):
            return i
    return limit


def _split_paragraph(para: str) -> Iterator[str]:
    """Sentences of one paragraph, fed to pysbd in pieces so the cost stays linear."""
    rest = para
    while len(rest) > CHUNK_CHARS:
        cut = _cut(rest, CHUNK_CHARS)
        segs = _segment(rest[:cut])
        tail = rest[cut:].lstrip()
        # The piece's last sentence may run on past the cut: give it back to the next piece,
        # unless it is so long that carrying it would stall progress.
        if len(segs) > 1 and len(segs[-1]) < CHUNK_CHARS // 2:
            tail = segs.pop() + " " + tail
        yield from segs
        rest = tail
    yield from _segment(rest)


def iter_sentences(text: str) -> Iterator[str]:
    """Sentences of `text` one at a time, so a caller that has enough stops the splitting early."""
    for para in _PARAGRAPH.finditer(text):
        para_text = para.group().strip()
        if para_text:
            yield from _split_paragraph(para_text)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text` (pysbd handles abbreviations, decimals and quotes); lines never join."""
    return list(iter_sentences(text))
