"""What a number in a statement counts: unit, action, scope and period, so only like compares with like.

"89 drones intercepted overnight" and "91 drones shot down in total" are one quantity
(drone / downed / total / event): two values of it conflict. "41 drones destroyed over the
Novgorod region" has another scope, and "Kyiv launched 91 drones" another action, so neither
conflicts with the totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.models import Figure

ACTIONS = {
    "downed": r"intercept\w*|destroy\w*|shot\s+down|shoot\w*\s+down|(?:brought|bring\w*)\s+down|"
              r"down(?:ed|ing)|neutrali[sz]\w*|repel\w*|"
              r"suppress\w*",
    "launched": r"launch\w*|sent|send\w*|fir(?:ed|ing)|dispatch\w*",
    "hit": r"hit|struck|strik\w*|damag\w*",
    "killed": r"kill\w*|dead|died",
    "injured": r"injur\w*|wound\w*",
}
_ACTION_RES = {name: re.compile(rf"\b(?:{pat})\b", re.I) for name, pat in ACTIONS.items()}
_TOTAL = re.compile(r"\b(?:in\s+total|total|overall|in\s+all|altogether|combined)\b", re.I)
_PERIOD = re.compile(r"\b(?:since|so\s+far|this\s+(?:year|month|week)|to\s+date|cumulative)\b", re.I)
_PLACE = re.compile(r"\b(?:over|above|in|across|near|around|at|on)\s+(?:the\s+)?(?P<place>[A-Z][\w-]+)")
_PART_AFTER = re.compile(r"\s*(?:of\s+(?:them|which|those)|among\s+them)\b", re.I)
_PART_BEFORE = re.compile(r"\b(?:including|among\s+them|of\s+which)\s*$", re.I)
_PARTICIPLE = re.compile(r"\b[a-z]{3,}(?:ed|en)\b")
_REPORTING = {"said", "reported", "claimed", "stated", "added", "noted", "alleged", "confirmed", "denied",
              "accused", "insisted", "announced", "told", "been", "seen", "given", "often", "even"}
_DESIGNATION = re.compile(r"[A-Z][\w-]*\s*$")
_APPROX = re.compile(r"\b(?:about|around|nearly|almost|roughly|some|approximately|more\s+than|over|at\s+least|up\s+to)\s*$",
                     re.I)
NATIONAL = {"russia", "russian", "ukraine", "ukrainian", "country", "europe"}
NOT_COUNTS = {
    "%", "percent", "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "metres",
    "meters", "m", "hours", "hour", "minutes", "minute", "seconds", "days", "day", "weeks", "week", "months",
    "month", "years", "year", "am", "pm", "times", "per", "gmt", "utc", "kg", "tonnes", "tons",
}
SYNONYMS = {"uav": "drone", "unmanned": "drone", "drone": "drone", "person": "people", "civilian": "people"}


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


def quantities(text: str, figures: list[Figure]) -> list[Quantity]:
    """The countable figures of a statement with what each counts."""
    out: list[Quantity] = []
    cursor = 0
    head: Quantity | None = None  # the previous count, which "18 of them" refers back to
    for fig in figures:
        raw_unit = fig.unit
        if "-" in raw_unit and fig.counts:  # "91 long-range drones": the noun follows the modifier
            raw_unit = fig.counts.split()[0]
        unit = _unit(raw_unit) if raw_unit else ""
        if not unit or unit in NOT_COUNTS or raw_unit.lower() in NOT_COUNTS:
            continue
        at = text.find(fig.text, cursor) if fig.text else -1
        if at < 0:
            at = max(0, text.find(str(int(fig.value))))
        cursor = at + 1
        if _DESIGNATION.search(text[max(0, at - 30):at]):
            continue  # "Estlink 2", "Su 27": a name with a number, not a count
        # The clause around the number: up to the previous/next clause break or 80 characters.
        before = re.split(r"[;:]|,\s(?:while|but|and)\s|\d,?\s", text[max(0, at - 80):at])[-1]
        # Skip the rest of this number, then stop at the next one: its place is not this one's.
        tail = re.sub(r"^[\d.,]*", "", text[at + 1: at + 120])
        after = re.split(r"[;:.]|,\s(?:while|but|and|of which)\s|\band\s+\d|\d", tail)[0]
        place = next((m.group("place") for m in _PLACE.finditer(after)), None)
        scope = "total"
        if place and place.lower() not in NATIONAL and not _TOTAL.search(after.split(place)[0]):
            scope = place.lower()
        period = "cumulative" if _PERIOD.search(before + after) else "event"
        action = _nearest_action(before, after)
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
