"""The shared sentence splitter: abbreviations stay attached and long paragraphs split in linear time."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.extract.sentences import CHUNK_CHARS, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Kremlin aide Gen. Ivan Petrov spoke. Mr. Jones did not.", ["Kremlin aide Gen. Ivan Petrov spoke.", "Mr. Jones did not."]),
        ("One line\nanother line", ["One line", "another line"]),
        ("  \n\n  ", []),
        ("No end punctuation", ["No end punctuation"]),
    ],
)
def test_split(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_long_paragraph_is_cut_without_breaking_sentences() -> None:
    sents = [f"Sentence number {i} was said by Mr. Smith on Tuesday." for i in range(200)]
    text = " ".join(sents)
    assert len(text) > 4 * CHUNK_CHARS
    assert split_sentences(text) == sents


def test_paragraph_without_boundaries_is_kept_whole() -> None:
    text = "word " * 2000
    assert " ".join(split_sentences(text)) == text.strip()


def test_200kb_splits_fast() -> None:
    text = "Gen. Smith said 91 drones were shot down, i.e. most. Mr. Jones was away. " * 2700
    start = time.perf_counter()
    out = split_sentences(text)
    assert time.perf_counter() - start < 5  # a guard against quadratic pysbd runs, not a benchmark
    assert len(out) == 5400


def test_threads_split_alike() -> None:
    texts = [f"Gen. Smith spoke {i} times. Mr. Jones left." for i in range(40)]
    with ThreadPoolExecutor(4) as pool:
        out = list(pool.map(split_sentences, texts))
    assert out == [split_sentences(t) for t in texts]
