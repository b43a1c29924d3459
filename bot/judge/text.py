"""Pure text helpers: tokens, sentences, numbers, names and cue words."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import Stemmer

from bot.extract.sentences import split_sentences

_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['’.-][A-Za-z0-9]+)*")
_NUMBER_RE = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_NAME_RE = re.compile(r"\b[A-Z][a-zA-Z'’-]+")
_POSSESSIVE_RE = re.compile(r"['’]s?$")

_STEMMER = Stemmer.Stemmer("english")
_STEMMER.maxCacheSize = 0  # stem() memoises; a second cache would only double the memory
_STEMMER_LOCK = threading.Lock()  # a PyStemmer object is not thread-safe

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves said says say saying told tells tell new one two s t ll re ve d m mr mrs ms
    """.split()
)

REFUTE_CUES = (
    "deny", "denies", "denied", "denial", "reject", "rejects", "rejected", "dismiss",
    "dismisses", "dismissed", "fabricat", "fake", "false", "falsely", "hoax", "lie", "lies",
    "lying", "untrue", "baseless", "unfounded", "no evidence", "debunk", "refute", "rebut",
    "disinformation", "misinformation", "propaganda", "nonsense", "not true", "fiction",
    "myth", "bogus", "retract", "contradict", "disprove", "dispute", "no sign", "no proof",
    "made up", "doctored", "staged", "satire", "prank", "never", "not", "n't", "no ",
    "neither", "nor", "nothing", "found no", "no indication", "groundless", "absurd",
    "spurious", "invented", "not happen", "misleading", "erroneous", "incorrect", "wrong",
)
HEDGE_CUES = (
    "reportedly", "allegedly", "alleged", "allege", "claim", "according to", "unconfirmed",
    "rumor", "rumour", "may", "might", "could", "possibly", "apparently", "purportedly",
    "unverified", "suggest", "speculat", "unclear", "not clear", "investigat", "sources",
    "appears", "seems", "perhaps", "whether", "if ", "report", "said to", "believed",
)
SUPPORT_CUES = (
    "confirm", "verified", "proved", "proof", "evidence shows", "admitted", "acknowledg",
    "indeed", "true", "official", "announced", "revealed", "shows", "found that",
)
STRONG_REFUTE = (
    "deny", "denies", "denied", "denial", "fabricat", "fake", "false", "hoax", "untrue",
    "baseless", "unfounded", "no evidence", "debunk", "refute", "disinformation", "bogus",
    "not true", "no proof", "made up", "groundless", "found no", "no indication",
    "reject", "dismiss", "lie", "lies", "myth", "propaganda", "nonsense", "no sign",
    "did not happen", "never happened", "retract", "prank", "satire", "doctored", "staged",
)


@lru_cache(maxsize=1 << 16)
def stem(tok: str) -> str:
    """Snowball (Porter2) stem of a lower-cased token, possessive 's dropped ("ukraine's" -> "ukrain")."""
    tok = _POSSESSIVE_RE.sub("", tok) or tok
    if tok.isdigit():
        return tok
    with _STEMMER_LOCK:
        return _STEMMER.stemWord(tok)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, stopwords kept."""
    return [t.replace("’", "'") for t in _TOKEN_RE.findall(text.lower())]


def tokens(text: str) -> list[str]:
    """Content tokens: lower-cased, stopwords dropped, Snowball-stemmed."""
    return [stem(t) for t in words(text) if t not in STOPWORDS and len(t) > 1 or t.isdigit()]


def numbers(text: str) -> set[str]:
    """Numbers mentioned in the text, normalised without separators."""
    return {n.replace(",", "") for n in _NUMBER_RE.findall(text)}


def names(text: str) -> set[str]:
    """Capitalised words that are not stopwords (a cheap proxy for named entities)."""
    return {m.lower() for m in _NAME_RE.findall(text) if m.lower() not in STOPWORDS}


def sentences(text: str, max_chars: int = 600) -> list[str]:
    """Split text into sentences (the extractor's splitter); long ones are cut into pieces of at most max_chars."""
    out: list[str] = []
    for part in split_sentences(text):
        part = " ".join(part.split())
        while len(part) > max_chars:
            cut = part.rfind(" ", 0, max_chars)
            cut = cut if cut > 0 else max_chars
            out.append(part[:cut])
            part = part[cut:].strip()
        if len(part) > 1:
            out.append(part)
    return out


def cue_count(text: str, cues: tuple[str, ...]) -> int:
    """How many cue occurrences (prefix match on word starts) the text holds."""
    low = " " + " ".join(words(text)) + " "
    low = low.replace("n't ", " not ").replace("cannot ", "can not ")
    return sum(low.count(" " + c) for c in cues)


def is_question(text: str) -> bool:
    """A question mark at the end or a leading auxiliary verb."""
    t = text.strip()
    first = words(t[:20])[:1]
    return t.endswith("?") or (bool(first) and first[0] in {"did", "does", "is", "are", "was", "will", "could", "can", "has", "have"} and "?" in t)
