"""Numbers in a sentence with their unit and what they count ("91 drones", "41 over Novgorod")."""

from __future__ import annotations

import re

from bot.models import Figure

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozen": 12, "twenty": 20, "hundred": 100,
}
_NUM = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(_WORDS) + r")"
    r"(?:\s*(?P<scale>thousand|million|billion|%|percent|per cent))?"
    r"(?P<tail>(?:\s+[a-zA-Z-]+){0,6})",
    re.I,
)
_STOP = {"the", "a", "an", "and", "or", "of", "in", "on", "over", "at", "to", "by", "were", "was",
         "had", "have", "has", "that", "which", "said", "from", "with", "for", "as", "into"}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_YEAR = re.compile(r"^(19|20)\d\d$")
_SUBSET = re.compile(r"(?:including|of them|of which|among them|and|while|with)\s*$|,\s*$", re.I)


def _counts(tail: str) -> tuple[str, str]:
    words = tail.split()
    unit = ""
    if words and words[0].lower() not in _STOP:
        unit = words[0].lower()
        words = words[1:]
    # Keep a location or qualifier phrase ("over the Novgorod region") as what is counted.
    qual: list[str] = []
    for w in words:
        if w.lower() in {"said", "says", "and", "but", "while"}:
            break
        qual.append(w)
    qual = qual[:5]
    while qual and (qual[-1].lower() in _STOP or _YEAR.match(qual[-1])):
        qual.pop()  # "3.5% in 2025" counts nothing useful after "in"
    return unit, " ".join(qual)


def find_figures(sentence: str) -> list[Figure]:
    """Figures in `sentence`, skipping years and dates."""
    out: list[Figure] = []
    last_unit = ""
    for m in _NUM.finditer(sentence):
        raw = m.group("num")
        if _YEAR.match(raw):
            continue
        low = raw.lower()
        value = float(_WORDS[low]) if low in _WORDS else float(raw.replace(",", ""))
        scale = (m.group("scale") or "").lower()
        unit, counts = _counts(m.group("tail") or "")
        if scale in _SCALE:
            value *= _SCALE[scale]
        elif scale:
            unit = "%"
        if not unit and last_unit and _SUBSET.search(sentence[:m.start()][-40:]):
            # "91 drones, including 41 over the Novgorod region": the 41 are drones too.
            unit = last_unit
        if low in _WORDS and not unit:
            continue
        if unit and unit != "%":
            last_unit = unit
        out.append(Figure(value=value, unit=unit, counts=counts, text=m.group(0).strip()))
    return out
