"""Numbers in a sentence with their unit and what they count ("91 drones", "41 over Novgorod")."""

from __future__ import annotations

import re

from bot.models import Figure

# English number words, parsed here rather than with text2num: its alpha2digit rewrites the whole
# sentence, and a Figure needs the span and wording of the number it found ("twenty-one drones").
_ONES = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SMALL_VALUES = {w: i + 1 for i, w in enumerate(_ONES)} | {w: i + 10 for i, w in enumerate(_TEENS)} | {
    w: 10 * (i + 2) for i, w in enumerate(_TENS)}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
NUMBER_WORDS = frozenset(_SMALL_VALUES) | frozenset(_SCALE) | {"hundred", "dozen"}

_SMALL = rf"(?:(?:{'|'.join(_TENS)})\b(?:[\s-]+(?:{'|'.join(_ONES)})\b)?|(?:{'|'.join(_TEENS + _ONES)})\b)"
_HUNDREDS = rf"(?:(?:{_SMALL}|a)\s+hundred\b(?:\s+(?:and\s+)?{_SMALL})?|{_SMALL})"
_BIG = r"(?:thousand|million|billion)\b"
# "twenty-one", "a hundred and twelve", "two thousand three hundred", "a dozen"; never "dozens".
_WORD_NUMBER = (rf"(?:(?:{_HUNDREDS}|a)\s+{_BIG},?\s+(?:and\s+)?)*"
                rf"(?:(?:(?:{_SMALL}|a)\s+)?dozen\b|a\s+{_BIG}|{_HUNDREDS}(?:\s+{_BIG})?)(?![\w-])")

_NUM = re.compile(
    r"(?<![\w.-])(?P<cur>(?:US|A|C|NZ|HK)?[$€£¥]\s?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + _WORD_NUMBER + r")"
    # "$30bn", "$600M": money written short; "1,700+" and "1,700-plus": at least that many
    r"(?:(?P<abbr>bn|mn|m|k)(?![\w]))?(?P<plus>\+|-plus\b)?"
    r"(?:\s*(?P<scale>thousand|million|billion|%|percent|per cent))?"
    # the tail stops at a number word, so "seventeen tanks and seven trucks" finds both
    r"(?P<tail>(?:\s+(?!" + _WORD_NUMBER + r")[a-zA-Z-]+){0,6})",
    re.I,
)
_STOP = {"the", "a", "an", "and", "or", "of", "in", "on", "over", "at", "to", "by", "were", "was",
         "had", "have", "has", "that", "which", "said", "from", "with", "for", "as", "into",
         # words that follow a number without naming what it counts ("put the dead at 47 late on Sunday")
         "late", "early", "out", "after", "before", "since", "during", "across", "when", "until", "amid"}
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
_MONEY_WORDS = {"dollars": "dollars", "dollar": "dollars", "euros": "euros", "euro": "euros", "pounds": "pounds",
                "yuan": "yuan", "yen": "yen"}
MONEY = frozenset(_MONEY_WORDS.values())  # the units of money figures
_ABBR = {"bn": 1e9, "mn": 1e6, "m": 1e6, "k": 1e3}
_YEAR = re.compile(r"^(19|20)\d\d$")
_SUBSET = re.compile(r"(?:including|of them|of which|among them|and|while|with)\s*$|,\s*$", re.I)


# Describing words between a number and what it counts ("89 Ukrainian drones", "40 long-range missiles").
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ian|ean|ese|ish|i|an)$")
_ADJ = {"long-range", "short-range", "unmanned", "enemy", "hostile", "more", "new", "additional", "further",
        "attack", "combat", "kamikaze", "armed", "small", "large", "other"}


def _counts(tail: str) -> tuple[str, str]:
    words = tail.split()
    while len(words) > 1 and (_DEMONYM.match(words[0]) or words[0].lower() in _ADJ):
        words = words[1:]
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


def _word_value(text: str) -> float:
    """Value of a number phrase matched by _WORD_NUMBER ("a hundred and twelve" -> 112)."""
    total, current = 0.0, 0.0
    for w in re.findall(r"[a-z]+", text.lower()):
        if w in _SMALL_VALUES:
            current += _SMALL_VALUES[w]
        elif w in ("hundred", "dozen"):
            current = (current or 1) * (100 if w == "hundred" else 12)
        elif w in _SCALE:
            total += (current or 1) * _SCALE[w]
            current = 0.0
    return total + current


# What a figure's qualifier says it covers: "at least 80" allows 120, "about 115" allows 120.
_AT_LEAST = re.compile(r"\b(?:at\s+least|more\s+than|over|upwards\s+of|in\s+excess\s+of|no\s+fewer\s+than)\s*$", re.I)
_AT_MOST = re.compile(r"\b(?:up\s+to|at\s+most|fewer\s+than|less\s+than|under|no\s+more\s+than)\s*$", re.I)
_ABOUT = re.compile(r"\b(?:about|around|some|roughly|approximately|nearly|almost|close\s+to|an\s+estimated)\s*$", re.I)


_PLUS = re.compile(r"^\S*?\d(?:bn|mn|m|k)?(?:\+|-plus\b)", re.I)  # a Figure's text: "1,700+ dead", "$600M+"


def _month(words: list[str]) -> bool:
    """Whether the one word given is a month name as dates write it (capitalised: "May", not "may")."""
    return bool(words) and words[0][:1].isupper() and words[0].lower().rstrip(".,") in _MONTHS


def allowed_range(value: float, before: str, figure_text: str = "") -> tuple[float, float]:
    """The values a figure allows, from the words just before it ("more than 100": 100 and up) or a "+"."""
    if _AT_LEAST.search(before) or _PLUS.match(figure_text):
        return value, float("inf")
    if _AT_MOST.search(before):
        return 0.0, value
    if _ABOUT.search(before):
        return 0.9 * value, 1.1 * value
    return value, value


def qualified(before: str, figure_text: str = "") -> bool:
    """Whether the words just before a figure (or its "+") make it a bound or an estimate, not an exact count."""
    return allowed_range(1.0, before, figure_text) != (1.0, 1.0)


def find_figures(sentence: str) -> list[Figure]:
    """Figures in `sentence`, skipping years and dates."""
    out: list[Figure] = []
    last_unit = ""
    for m in _NUM.finditer(sentence):
        raw = m.group("num")
        if _YEAR.match(raw):
            continue
        in_words = not raw[0].isdigit()
        value = _word_value(raw) if in_words else float(raw.replace(",", ""))
        scale = (m.group("scale") or "").lower()
        unit, counts = _counts(m.group("tail") or "")
        abbr = (m.group("abbr") or "").lower()
        cur = (m.group("cur") or "").strip()
        if abbr and (cur or abbr == "bn"):  # "9m" alone may be metres; "$9m" and "9bn" are money
            value *= _ABBR[abbr]
        elif abbr:
            continue
        if scale in _SCALE:
            value *= _SCALE[scale]
        elif scale:
            unit = "%"
        if not cur and not in_words and (_month(m.group("tail").split()[:1]) or
                                         _month(sentence[:m.start()].rstrip(" ,").split()[-1:])):
            continue  # "9 March", "30 October 2022", "March 9": a date, not a count ("12 may have died" is one)
        if cur or unit in _MONEY_WORDS:
            unit = _CURRENCY[cur[-1]] if cur else _MONEY_WORDS[unit]  # "$5m" and "5 million dollars" are one unit
        if not unit and last_unit and _SUBSET.search(sentence[:m.start()][-40:]):
            # "91 drones, including 41 over the Novgorod region": the 41 are drones too.
            unit = last_unit
        if in_words and (not unit or unit.split("-")[0] in NUMBER_WORDS):
            continue  # "one of them", "in twenty twenty-four": words that count nothing
        if unit and unit != "%":
            last_unit = unit
        out.append(Figure(value=value, unit=unit, counts=counts, text=m.group(0).strip()))
    return out
