"""What a number in a statement counts: unit, action, scope and period, so only like compares with like.

"89 drones intercepted overnight" and "91 drones shot down in total" are one quantity
(drone / downed / total / event): two values of it conflict. "41 drones destroyed over the
Novgorod region" has another scope, and "Kyiv launched 91 drones" another action, so neither
conflicts with the totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.extract.figures import find_figures
from bot.models import Figure

ACTIONS = {
    "downed": r"intercept\w*|destroy\w*|shot\s+down|shoot\w*\s+down|(?:brought|bring\w*)\s+down|"
              r"down(?:ed|ing)|neutrali[sz]\w*|repel\w*|"
              r"suppress\w*",
    "launched": r"launch\w*|sent|send\w*|fir(?:ed|ing)|dispatch\w*|deploy\w*",
    "cancelled": r"cancel\w*|scrap\w*|axed|grounded",
    "hit": r"hit|struck|strik\w*|damag\w*",
    "killed": r"kill\w*|dead|died|deaths?|fatalit\w*|perish\w*|drown\w*|lives\s+lost",
    "injured": r"injur\w*|wound\w*|hurt",
}
# Units that say what happened as well: "3,958 deaths" counts people killed, whatever verb is near.
CASUALTY_UNITS = {"death": "killed", "dead": "killed", "fatality": "killed", "victim": "killed", "life": "killed",
                  "injury": "injured", "injured": "injured", "wounded": "injured", "casualty": ""}
# Words between a number and its noun: "3,958 confirmed deaths", "40 more drones".
MODIFIERS = {"confirmed", "reported", "official", "additional", "more", "further", "new", "known", "recorded",
             "registered", "estimated", "suspected", "other", "separate"}
# Weapons are counted by region ("41 of them over the Novgorod region"): a place stays their part
# even where the claim names it. Anything else counted in the claim's own place counts its event.
PER_REGION = {"drone", "missile", "rocket", "shell"}
# "11,300 had died": a bare number that is the subject of a casualty verb counts people.
_PEOPLE_VERB = re.compile(r"^\s*(?:(?:had|have|has|were|was|are)\s+)?(?:been\s+)?(?:died|dead|killed|injured|wounded|hurt)\b",
                          re.I)
# A number with no noun of its own takes it from the clause before: "put the toll at 240",
# "the number of children who had died rose to 70".
_TOLL = re.compile(r"\b(?:death\s+|casualty\s+|flood\s+)?toll\b", re.I)
_NUMBER_OF = re.compile(r"\bnumber\s+of\s+(?:the\s+)?(?P<noun>[a-z]+)", re.I)
# ... or, with no noun at all ("the earlier figure of 11,300"), the claim's own quantity.
_BARE = re.compile(r"\b(?:number|figure|tally|count|estimate|total)\b(?!\s+of\s+(?:the\s+)?[a-z])", re.I)
_ACTION_RES = {name: re.compile(rf"\b(?:{pat})\b", re.I) for name, pat in ACTIONS.items()}
_TOTAL = re.compile(r"\b(?:in\s+total|total|overall|in\s+all|altogether|combined)\b", re.I)
_PERIOD = re.compile(r"\b(?:since|so\s+far|this\s+(?:year|month|week)|to\s+date|cumulative)\b", re.I)
_PLACE = re.compile(r"\b(?:over|above|in|across|near|around|at|on)\s+(?:the\s+)?(?P<place>[A-Z][\w-]+)")
_PART_AFTER = re.compile(r"\s*(?:of\s+(?:them|which|those)|among\s+them)\b", re.I)
_PART_BEFORE = re.compile(r"\b(?:including|among\s+them|of\s+which)\s*$", re.I)
# "-ed" forms and the common "-en" participles; a bare "-en" would take "children" or "women" for a verb.
_PARTICIPLE = re.compile(r"\b(?:[a-z]{3,}ed|taken|given|shown|broken|stolen|fallen|driven|beaten|hidden|written|"
                         r"spoken|chosen|frozen|forgotten|risen|thrown|drawn|eaten|proven|sworn)\b")
_REPORTING = {"said", "reported", "claimed", "stated", "added", "noted", "alleged", "confirmed", "denied",
              "accused", "insisted", "announced", "told", "been", "seen", "given", "often", "even"}
_DESIGNATION = re.compile(r"[A-Z][\w-]*\s*$")
_APPROX = re.compile(r"\b(?:about|around|nearly|almost|roughly|some|approximately|more\s+than|over|at\s+least|up\s+to)\s*$",
                     re.I)
NATIONAL = {"russia", "russian", "ukraine", "ukrainian", "country", "europe"}
# Capitalised words after "on"/"in"/"at" that name a time or an organisation, not a place.
NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
              "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
              "christmas", "easter", "world", "twitter", "telegram", "x", "facebook", "instagram", "tiktok"}
_ORG_AFTER = re.compile(r"^(?:\s+[A-Z][\w-]*)*?\s+(?:Organi[sz]ation|Bank|Council|Ministry|Agency|Office|Programme|Program|"
                        r"Union|Crescent|Cross|Party|Committee|Commission|Service|Department|Institute|University|"
                        r"Fund|Group|Times|Post|News|Herald|Press)\b")
_PLACE_OF = re.compile(r"^\s+(?:city|town|village|port|province|district|region)\s+of\s+(?P<place>[A-Z][\w-]+)")
NOT_COUNTS = {
    "%", "percent", "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "metres",
    "meters", "m", "hours", "hour", "minutes", "minute", "seconds", "days", "day", "weeks", "week", "months",
    "month", "years", "year", "am", "pm", "times", "per", "gmt", "utc", "kg", "tonnes", "tons",
}
SYNONYMS = {"uav": "drone", "unmanned": "drone", "drone": "drone", "person": "people", "civilian": "people",
            "resident": "people", "child": "children", "live": "life", "troop": "soldier"}


@dataclass(frozen=True, slots=True)
class Quantity:
    """One counted number with the context that says what it counts."""

    value: float
    unit: str
    action: str
    scope: str
    period: str
    approximate: bool

    @property
    def key(self) -> str:
        """Identity of what is counted: equal keys with different values conflict."""
        return f"{self.unit}|{self.action}|{self.scope}|{self.period}"

    @property
    def label(self) -> str:
        """Readable name of the quantity: 'drones downed (Novgorod)'."""
        scope = "" if self.scope == "total" else f" ({self.scope.title()})"
        period = " (cumulative)" if self.period == "cumulative" else ""
        return f"{self.unit}s {self.action or 'counted'}{scope}{period}".replace("peoples", "people")


def _unit(raw: str) -> str:
    word = raw.lower().strip("-")
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return SYNONYMS.get(word, word)


def _verb(before: str, after: str) -> str:
    """Fallback action: the nearest past participle that is not a reporting verb ("questioned")."""
    for m in _PARTICIPLE.finditer(after):
        if m.group(0) not in _REPORTING:
            return m.group(0)
    for m in reversed(list(_PARTICIPLE.finditer(before))):
        if m.group(0) not in _REPORTING:
            return m.group(0)
    return ""


def _nearest_action(before: str, after: str) -> str:
    best, dist = "", 10**6
    for name, rx in _ACTION_RES.items():
        for m in rx.finditer(after):
            if m.start() < dist:
                best, dist = name, m.start()
        for m in rx.finditer(before):
            d = len(before) - m.end()
            if d < dist:
                best, dist = name, d
    return best or _verb(before, after)


def _capitalised(word: str, text: str) -> bool:
    """Whether `word` is written with a capital in `text` (the figure finder lowercases units)."""
    m = re.search(rf"\b{re.escape(word)}\b", text, re.I)
    return bool(m and m.group(0)[:1].isupper())


def _unit_before(before: str) -> str:
    """The noun a bare number takes from its clause: the nearest "number of <noun>" or "toll"."""
    found = [(m.start(), _unit(m.group("noun"))) for m in _NUMBER_OF.finditer(before)]
    found += [(m.start(), "death") for m in _TOLL.finditer(before)]
    return max(found)[1] if found else ""


def _place(after: str) -> str | None:
    """The first place named after a number: not a weekday, a month or an organisation's first word."""
    for m in _PLACE.finditer(after):
        rest = after[m.end():]
        if m.group("place").lower() in NOT_PLACES or _ORG_AFTER.match(rest):
            continue
        of = _PLACE_OF.match(rest)  # "in the Libyan city of Derna": the city is the place
        return of.group("place") if of else m.group("place")
    return None


@lru_cache(maxsize=1024)
def _claim_context(claim: str) -> tuple[set[str], Quantity | None]:
    """Prefixes of the claim's capitalised words ("Libya" also covers "Libyan") and its one quantity, if one."""
    places = {w.lower()[:5] for w in re.findall(r"\b[A-Z][\w-]{3,}", claim)}
    own = {q.key: q for q in quantities(claim, find_figures(claim))} if claim else {}
    return places, next(iter(own.values())) if len(own) == 1 else None


def quantities(text: str, figures: list[Figure], claim: str = "") -> list[Quantity]:
    """The countable figures of a statement with what each counts (`claim`: the claim they are read for).

    A death or injury count in a place the claim names counts the claim's whole event ("11,300
    killed in Derna" for a claim about the Derna floods); drone counts keep the place as a part
    ("41 over the Novgorod region" of 91 in all), as ministries report them by region.
    """
    out: list[Quantity] = []
    cursor = 0
    head: Quantity | None = None  # the previous count, which "18 of them" refers back to
    claim_places, claim_quantity = _claim_context(claim)
    for fig in figures:
        raw_unit = fig.unit
        if "-" in raw_unit and fig.counts:  # "91 long-range drones": the noun follows the modifier
            raw_unit = fig.counts.split()[0]
        if raw_unit.lower() in NOT_COUNTS:
            continue
        at = text.find(fig.text, cursor) if fig.text else -1
        if at < 0:
            at = max(0, text.find(str(int(fig.value))))
        cursor = at + 1
        lead = text[max(0, at - 30):at]
        name = _DESIGNATION.search(lead)
        if name and name.group(0).strip().lower() not in NOT_PLACES and not _APPROX.search(lead):
            continue  # "Estlink 2", "Su 27": a name with a number, not a count ("Some 300", "By Friday 300" are)
        # The clause around the number: up to the previous/next clause break or 80 characters.
        before = re.split(r"[;:]|,\s(?:while|but|and)\s|\band\s|\d,?\s", text[max(0, at - 80):at])[-1]
        # Skip the rest of this number, then stop at the next one: its place is not this one's.
        tail = re.sub(r"^[\d.,]*", "", text[at + 1: at + 120])
        after = re.split(r"[;:.]|,\s(?:while|but|and|of which)\s|\band\s+\d|\d", tail)[0]
        if raw_unit and fig.counts and (_capitalised(raw_unit, fig.text) or raw_unit in MODIFIERS):
            # "11,000 North Korean soldiers", "3,958 confirmed deaths": the noun comes later
            raw_unit = next((w for w in fig.counts.split()[:3] if w[:1].islower() and w not in MODIFIERS), "")
        unit = _unit(raw_unit) if raw_unit else _unit_before(before) or ("people" if _PEOPLE_VERB.match(after) else "")
        implied = CASUALTY_UNITS.get(unit)
        if implied is not None:
            unit = "people"
        elif not unit and claim_quantity is not None and _BARE.search(before):
            unit, implied = claim_quantity.unit, claim_quantity.action
        if not unit or unit in NOT_COUNTS:
            continue
        action = implied or _nearest_action(before, after)
        if not action and claim_quantity is not None and unit == claim_quantity.unit:
            action = claim_quantity.action  # "11,000 soldiers were already there": the claim's count
        place = _place(after)
        scope = "total"
        if place and place.lower() not in NATIONAL and not _TOTAL.search(after.split(place)[0]):
            scope = place.lower()
            if unit not in PER_REGION and scope[:5] in claim_places:
                scope = "total"
        period = "cumulative" if _PERIOD.search(before + after) else "event"
        if head is not None and head.unit == unit and (_PART_AFTER.match(after) or _PART_BEFORE.search(before)):
            # "89 drones shot down, 18 of them over Novgorod": the part shares the whole's action.
            action, period = head.action, head.period
        quantity = Quantity(fig.value, unit, action, scope, period, bool(_APPROX.search(before)))
        out.append(quantity)
        head = quantity
    return out


def conflicting(a: Quantity, b: Quantity) -> bool:
    """Same quantity, different values (approximate figures within 10% agree)."""
    if a.key != b.key or a.value == b.value:
        return False
    if (a.approximate or b.approximate) and abs(a.value - b.value) <= 0.1 * max(a.value, b.value):
        return False
    return True
