"""What a number in a statement counts: unit, action, scope and period, so only like compares with like.

"89 drones intercepted overnight" and "91 drones shot down in total" are one quantity
(drone / downed / total / event): two values of it conflict. "41 drones destroyed over the
Novgorod region" has another scope, and "Kyiv launched 91 drones" another action, so neither
conflicts with the totals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.extract.figures import find_figures, qualified
from bot.ledger.count_words import (
    ACTION_RES,
    BARE,
    CASUALTY_UNITS,
    CASUALTY_VERBS,
    DESIGNATION,
    FROM,
    FUNCTION_WORDS,
    LEAD_WORDS,
    MODIFIERS,
    NATIONAL,
    NOT_COUNTS,
    NOT_PLACES,
    NUMBER_OF,
    OF_WHOLE,
    ORG_AFTER,
    OWN_VERB,
    PART_AFTER,
    PART_BEFORE,
    PARTICIPLE,
    PEOPLE_VERB,
    PER_REGION,
    PERIOD,
    PLACE,
    PLACE_FIRST,
    PLACE_OF,
    REPORTING,
    SPEECH,
    SYNONYMS,
    TOLL,
    TOLL_PERIOD,
    TOLLS,
    TOTAL,
)
from bot.models import Figure


@dataclass(frozen=True, slots=True)
class Quantity:
    """One counted number with the context that says what it counts."""

    value: float
    unit: str
    action: str
    scope: str
    period: str
    approximate: bool
    was: float | None = None  # the earlier value the statement itself gives: "1,644, up from 1,002"

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


def unit_of(raw: str) -> str:
    word = raw.lower().strip("-")
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return SYNONYMS.get(word, word)


def _verb(before: str, after: str) -> str:
    """Fallback action: the nearest past participle that is not a reporting verb ("questioned")."""
    for m in PARTICIPLE.finditer(after):
        if m.group(0) not in REPORTING:
            return m.group(0)
    for m in reversed(list(PARTICIPLE.finditer(before))):
        if m.group(0) not in REPORTING:
            return m.group(0)
    return ""


def _nearest_action(before: str, after: str) -> str:
    best, dist = "", 10**6
    if OWN_VERB.match(after):  # "... and 90 were hurt": the number's own verb, not the clause's before it
        before = ""
    for name, rx in ACTION_RES.items():
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


def _noun(fig: Figure, text: str, at: int) -> tuple[str, int]:
    """The counted noun as written ('' for a bare number) and where the text after the count starts."""
    raw = fig.unit
    if "-" in raw and fig.counts:  # "91 long-range drones": the noun follows the modifier
        raw = fig.counts.split()[0]
    if raw and fig.counts and (_capitalised(raw, fig.text) or raw in MODIFIERS):
        # "11,000 North Korean soldiers", "3,958 confirmed deaths": the noun comes later
        raw = next((w for w in fig.counts.split()[:3] if w[:1].islower() and w not in MODIFIERS), "")
    start = at + len(fig.text.split()[0]) if fig.text else at
    if raw in CASUALTY_VERBS:
        return "", start  # "5,000 died": a verb, so the number counts people (PEOPLE_VERB)
    if raw in MODIFIERS or raw in FUNCTION_WORDS:
        whole = OF_WHOLE.match(text[start:]) if raw in ("", "of") else None
        if whole:  # "241 of the 242 people": the part counts the whole's noun
            return whole.group("noun"), start + whole.end()
        raw = ""
    return raw, start


def _unit_before(before: str) -> str:
    """The noun a bare number takes from its clause: the nearest "number of <noun>" or "toll"."""
    found = [(m.start(), unit_of(m.group("noun"))) for m in NUMBER_OF.finditer(before)]
    found += [(m.start(), "death") for m in TOLL.finditer(before)]
    return max(found)[1] if found else ""


def _place(after: str) -> str | None:
    """The first place named after a number: not a weekday, a month or an organisation's first word."""
    for m in PLACE.finditer(after):
        rest = after[m.end():]
        first, *more = m.group("place").split()
        if first.lower() in NOT_PLACES or ORG_AFTER.match("".join(f" {w}" for w in more) + rest):
            continue
        of = PLACE_OF.match(rest)  # "in the Libyan city of Derna": the city is the place
        return of.group("place") if of else m.group("place")
    return None


def _names(claim_places: set[str], scope: str) -> bool:
    """Whether a place is one the claim names, or a part of its name ("los angeles county" for "Los Angeles")."""
    return any(scope == p or scope.startswith(p + " ") for p in claim_places)


@lru_cache(maxsize=1024)
def _claim_context(claim: str) -> tuple[set[str], Quantity | None]:
    """The claim's capitalised names, lower case ("los angeles", "novgorod"), and its one quantity, if one."""
    places = {w.lower() for w in re.findall(r"\b[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*", claim)}
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
    skip_until = 0
    openings = list(PLACE_FIRST.finditer(text))  # "In Benghazi, ...": scopes the counts of its sentence
    for fig in figures:
        if fig.unit.lower() in NOT_COUNTS:
            continue
        at = text.find(fig.text, cursor) if fig.text else -1
        if at < 0:
            at = max(0, text.find(str(int(fig.value))))
        cursor = at + 1
        if at < skip_until:
            continue  # the whole of "241 of the 242 people": what the part is counted among
        lead = text[max(0, at - 30):at]
        name = DESIGNATION.search(lead)
        if name and name.group(0).strip().lower() not in NOT_PLACES | LEAD_WORDS and not qualified(lead):
            continue  # "Estlink 2", "Su 27": a name with a number, not a count ("Some 300", "By Friday 300" are)
        # The clause around the number: up to the previous/next clause break or 80 characters.
        before = re.split(r"[;:]|,\s(?:while|but|and)\s|\d,?\s", text[max(0, at - 80):at])[-1]
        raw_unit, rest = _noun(fig, text, at)
        if rest > at + len(fig.text):
            skip_until = rest
        # Skip the rest of this number, then stop at the next one: its place is not this one's.
        tail = re.sub(r"^[\d.,]*", "", text[rest: rest + 120])
        after = re.split(r"[;:.]|,\s(?:while|but|and|of which)\s|\band\s+\d|\d", tail)[0]
        approximate = qualified(before, fig.text)  # "1,700+ dead" agrees with 1,739
        if not raw_unit and FROM.search(before):
            # "483 people, up from 378": the count's earlier value, a revision of a count that is
            # revised (a toll, arrests). For weapons it compares one night with another: not kept.
            if out and out[-1] is head and head.unit not in PER_REGION:
                out[-1] = head = replace(head, was=fig.value)
            continue
        unit = unit_of(raw_unit) if raw_unit else _unit_before(before) or ("people" if PEOPLE_VERB.match(after) else "")
        implied = CASUALTY_UNITS.get(unit)
        if implied is not None:
            unit = "people"
        elif not unit and claim_quantity is not None and BARE.search(before):
            unit, implied = claim_quantity.unit, claim_quantity.action
        if not unit or unit in NOT_COUNTS:
            continue
        part = head is not None and head.unit == unit and (PART_AFTER.match(after) or PART_BEFORE.search(before))
        # A part has its own verb after it ("41 of which were downed") or shares the whole's
        # ("89 drones shot down, 18 of them over Novgorod"); the clause before it is the whole's.
        action = implied or _nearest_action("" if part else before, after) or (head.action if part else "")
        if action == "destroyed" and unit in PER_REGION:
            action = "downed"  # "destroyed 40 drones" is a count of drones brought down
        # The last sentence opening before the number: it scopes every count of its sentence.
        first = next((m for m in reversed(openings) if m.end() <= at), None)
        if first and (first.group("place").split()[0].lower() in NOT_PLACES  # "In December, ..."
                      or SPEECH.search(text[first.end():at]) or PLACE.search(text[first.end():at])):
            first = None  # where it was said ("In Geneva, the UN said ..."), or another place nearer the number
        place = _place(after) or (first.group("place") if first else None)
        scope = "total"
        if place and place.lower() not in NATIONAL and not TOTAL.search(after.split(place)[0]):
            scope = place.lower()
            alone = bool(first and first.group("alone") and place == first.group("place"))
            if (unit not in PER_REGION or action != "downed") and _names(claim_places, scope) and not alone:
                scope = "total"  # ("In Mandalay alone, ..." is a part even where the claim names Mandalay)
        # A toll "so far" or "to date" is the event's toll; one "since" a war began or this year is not.
        period = "cumulative" if (TOLL_PERIOD if action in TOLLS else PERIOD).search(before + after) else "event"
        if part:
            period = head.period
        if not action:
            continue  # "the barrage included 120 missiles": what happened to them is not said, so nothing to compare
        quantity = Quantity(fig.value, unit, action, scope, period, approximate)
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
