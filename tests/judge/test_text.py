"""Table-driven tests of the judge's text helpers: Snowball stems, tokens, numbers, names, sentences."""

from __future__ import annotations

import time

import pytest

from bot.extract.statements import split_sentences
from bot.judge.text import names, numbers, sentences, stem, tokens, words


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ukraine's", "ukraine"),
        ("ukraine’s", "ukraine"),
        ("putin's", "putin"),
        ("denied", "denies"),
        ("denied", "deny"),
        ("drones", "drone"),
        ("attacked", "attacking"),
        ("residences", "residence"),
        ("ministries", "ministry"),
        ("strikes", "strike"),
    ],
)
def test_stem_conflates(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("drone", "dragon"), ("news", "new"), ("us", "use"), ("general", "generous")],
)
def test_stem_keeps_apart(a: str, b: str) -> None:
    assert stem(a) != stem(b)


@pytest.mark.parametrize(("tok", "out"), [("91", "91"), ("2025", "2025"), ("ukraine's", "ukrain")])
def test_stem_values(tok: str, out: str) -> None:
    assert stem(tok) == out


@pytest.mark.parametrize(
    ("text", "out"),
    [
        ("The drones attacked a drone", ["drone", "attack", "drone"]),
        ("Ukraine's drones", ["ukrain", "drone"]),
        ("Kyiv denied; Kyiv denies", ["kyiv", "deni", "kyiv", "deni"]),
        ("He said 91 were hit", ["91", "hit"]),
    ],
)
def test_tokens(text: str, out: list[str]) -> None:
    assert tokens(text) == out


def test_words_numbers_names() -> None:
    assert words("Ukraine’s long-range drones") == ["ukraine's", "long-range", "drones"]
    assert numbers("from 89 to 91, then 1,200 and 3.5") == {"89", "91", "1200", "3.5"}
    assert names("The Kremlin said Peskov spoke") == {"kremlin", "peskov"}


@pytest.mark.parametrize(
    ("text", "out"),
    [
        ("Kyiv denied it. Moscow said 91 drones. \"Really?\" Yes.",
         ["Kyiv denied it.", "Moscow said 91 drones.", "\"Really?\"", "Yes."]),
        ("Gen. Smith arrived on Monday. Mr. Jones left.", ["Gen. Smith arrived on Monday.", "Mr. Jones left."]),
        ("Prices rose 3.5 percent.   It   fell.", ["Prices rose 3.5 percent.", "It fell."]),
        ("- first point\n- second point", ["- first point", "- second point"]),
        ("", []),
    ],
)
def test_sentences(text: str, out: list[str]) -> None:
    assert sentences(text) == out


def test_sentences_is_the_extraction_splitter() -> None:
    text = "The U.S. Defense Dept. said Gen. Smith would visit. Mr. Jones was not available.\n\nNext one."
    assert sentences(text) == split_sentences(text)


def test_sentences_cuts_long_ones_at_spaces() -> None:
    out = sentences("word " * 300, max_chars=100)
    assert all(len(s) <= 100 for s in out) and " ".join(out) == ("word " * 300).strip()


def test_splitting_is_linear_in_length() -> None:
    base = "Gen. Smith said on Tuesday that 91 drones were shot down, i.e. most. Mr. Jones was away. "
    text = base * (200_000 // len(base))  # one 200 KB paragraph
    start = time.perf_counter()
    out = split_sentences(text)
    assert time.perf_counter() - start < 5  # a guard against quadratic pysbd runs, not a benchmark
    # cutting into pieces before pysbd must not break sentences at the cuts
    assert set(out) == {"Gen. Smith said on Tuesday that 91 drones were shot down, i.e. most.",
                        "Mr. Jones was away."}
