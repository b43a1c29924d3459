"""The words the quantity parser reads: actions, units, modifiers, places that are not places.

Kept apart from bot/ledger/quantities.py so the parser's logic stays readable; the figure index's
parser version hashes both files, so editing a list here re-indexes every claim.
"""

from __future__ import annotations

import re

ACTIONS = {
    "downed": r"intercept\w*|shot\s+down|shoot\w*\s+down|(?:brought|bring\w*)\s+down|"
              r"down(?:ed|ing)|neutrali[sz]\w*|repel\w*|"
              r"suppress\w*",
    "launched": r"launch\w*|sent|send\w*|fir(?:ed|ing)|dispatch\w*|deploy\w*",
    "cancelled": r"cancel\w*|scrap\w*|axed|grounded",
    "evacuated": r"evacuat\w*|under\s+(?:evacuation\s+)?orders|ordered\s+to\s+leave|displac\w*|fled|flee\w*",
    "destroyed": r"destroy\w*|burn\w*|raz\w*|flatten\w*|gutted|wreck\w*|levell?ed",
    "hit": r"hit|struck|strik\w*|damag\w*",
    "killed": r"kill\w*|dead|died|deaths?|fatalit\w*|perish\w*|drown\w*|lives\s+lost",
    "injured": r"injur\w*|wound\w*|hurt",
    "missing": r"missing|unaccounted",
}
# Units that say what happened as well: "3,958 deaths" counts people killed, whatever verb is near.
CASUALTY_UNITS = {"death": "killed", "dead": "killed", "fatality": "killed", "victim": "killed", "life": "killed",
                  "body": "killed",
                  "injury": "injured", "injured": "injured", "wounded": "injured", "casualty": ""}
# Capitalised words that open a sentence before a count: not the name in "Su 27" or "Estlink 2".
LEAD_WORDS = {"another", "only", "all", "just", "exactly", "the", "those", "these", "by", "and", "but", "of",
              "with", "in", "on", "at", "as", "after", "then", "now", "still", "while", "since", "until"}
FUNCTION_WORDS = {"", "of", "on", "in", "at", "by", "for", "from", "to", "with", "and", "or", "the", "a", "an", "as",
                  "since", "after", "before", "until", "during", "over", "under", "across", "near", "around", "when",
                  "than", "because", "while", "despite", "amid", "among", "so", "but", "that", "which", "who",
                  "based", "according", "could", "would", "will", "may", "might"}
# Words between a number and its noun: "3,958 confirmed deaths", "40 more drones".
MODIFIERS = {"confirmed", "reported", "official", "additional", "more", "further", "new", "known", "recorded",
             "registered", "estimated", "suspected", "other", "separate", "ballistic", "cruise", "hypersonic"}
# Weapons are downed by region ("41 of them over the Novgorod region"): a place stays their part
# even where the claim names it. Anything else counted in the claim's own place counts its event
# (drones launched at Israel for a claim about an attack on Israel).
PER_REGION = {"drone", "missile", "rocket", "shell"}
# "11,300 had died": a bare number that is the subject of a casualty verb counts people.
OWN_VERB = re.compile(r"^\s*(?:[a-z-]+\s+){0,3}?(?:were|was|had|have|has|are|is)\s+(?!been\s+(?:reported|said)\b)",
                       re.I)
# Right after a number these are its verb, not its noun ("5,000 died"): the number counts people.
CASUALTY_VERBS = ("died", "killed", "injured", "wounded", "hurt")
PEOPLE_VERB = re.compile(rf"^\s*(?:(?:had|have|has|were|was|are)\s+)?(?:been\s+)?(?:dead|{'|'.join(CASUALTY_VERBS)})\b",
                          re.I)
# A number with no noun of its own takes it from the clause before: "put the toll at 240",
# "the number of children who had died rose to 70".
TOLL = re.compile(r"\b(?:death\s+|casualty\s+|flood\s+)?toll\b", re.I)
NUMBER_OF = re.compile(r"\bnumber\s+of\s+(?:the\s+)?(?P<noun>[a-z]+)", re.I)
# "483 people, up from 378": the earlier figure of the same count.
FROM = re.compile(r"(?:\b(?:up|down|rising|falling|revised|increased|decreased|lowered|raised)\s+(?:\w+\s+)?from|"
                   r"\bcompared\s+(?:with|to))\s*$", re.I)
# "241 of the 242 people": the part takes the whole's noun.
OF_WHOLE = re.compile(r"^\s*of\s+(?:the|them|those|all)?\s*[\d,.]+\s+(?P<noun>[a-z]+)", re.I)
# ... or, with no noun at all ("the earlier figure of 11,300"), the claim's own quantity.
BARE = re.compile(r"\b(?:number|figure|tally|count|estimate|total)\b(?!\s+of\s+(?:the\s+)?[a-z])", re.I)
ACTION_RES = {name: re.compile(rf"\b(?:{pat})\b", re.I) for name, pat in ACTIONS.items()}
TOTAL = re.compile(r"\b(?:in\s+total|total|overall|in\s+all|altogether|combined)\b", re.I)
PERIOD = re.compile(r"\b(?:since|so\s+far|this\s+(?:year|month|week)|to\s+date|cumulative)\b", re.I)
TOLL_PERIOD = re.compile(r"\b(?:since|this\s+(?:year|month|week)|last\s+(?:year|month)|cumulative)\b", re.I)
TOLLS = {"killed", "injured", "missing"}
PLACE = re.compile(r"\b(?:over|above|in|across|near|around|at|on)\s+(?:the\s+)?(?P<place>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)")
# A place that opens the clause before the number: "In Mandalay alone, the toll stood at 400".
PLACE_FIRST = re.compile(r"(?:^|[.!?]\s+)\s*In\s+(?:the\s+)?(?P<place>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)(?P<alone>\s+alone)?\s*,")
# ... unless someone speaks there between it and the number ("In Geneva, the UN said the toll ..."):
# then it is where the words were said, not what was counted.
SPEECH = re.compile(r"\b(?:said|says|say|told|tells|reported|reports|announced|stated|added|wrote|according\s+to)\b", re.I)
PART_AFTER = re.compile(r"\s*(?:of\s+(?:them|which|those)|among\s+them)\b", re.I)
PART_BEFORE = re.compile(r"\b(?:including|among\s+them|of\s+which)\s*$", re.I)
# "-ed" forms and the common "-en" participles; a bare "-en" would take "children" or "women" for a verb.
PARTICIPLE = re.compile(r"\b(?:[a-z]{3,}ed|taken|given|shown|broken|stolen|fallen|driven|beaten|hidden|written|"
                         r"spoken|chosen|frozen|forgotten|risen|thrown|drawn|eaten|proven|sworn)\b")
REPORTING = {"said", "reported", "claimed", "stated", "added", "noted", "alleged", "confirmed", "denied",
              "accused", "insisted", "announced", "told", "been", "seen", "given", "often", "even",
              "included", "involved", "contained", "comprised", "risen"}
DESIGNATION = re.compile(r"[A-Z][\w-]*\s*$")
NATIONAL = {"russia", "russian", "ukraine", "ukrainian", "country", "europe"}
# Capitalised words after "on"/"in"/"at" that name a time or an organisation, not a place.
NOT_PLACES = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
              "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
              "christmas", "easter", "world", "twitter", "telegram", "x", "facebook", "instagram", "tiktok"}
ORG_AFTER = re.compile(r"^(?:\s+[A-Z][\w-]*)*?\s+(?:Organi[sz]ation|Bank|Council|Ministry|Agency|Office|Programme|Program|"
                        r"Union|Crescent|Cross|Party|Committee|Commission|Service|Department|Institute|University|Rights|Watch|"
                        r"Fund|Group|Times|Post|News|Herald|Press)\b")
PLACE_OF = re.compile(r"^\s+(?:city|town|village|port|province|district|region)\s+of\s+(?P<place>[A-Z][\w-]+)")
NOT_COUNTS = {
    "%", "percent", "km", "kilometres", "kilometers", "kilometre", "kilometer", "miles", "mile", "metres",
    "meters", "m", "hours", "hour", "minutes", "minute", "seconds", "days", "day", "weeks", "week", "months",
    "month", "years", "year", "am", "pm", "times", "per", "gmt", "utc", "kg", "tonnes", "tons", "magnitude",
}
SYNONYMS = {"uav": "drone", "unmanned": "drone", "drone": "drone", "person": "people", "civilian": "people",
            "resident": "people", "child": "children", "live": "life", "troop": "soldier"}
