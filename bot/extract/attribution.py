"""Who said a sentence, and whether the reporting verb asserts, denies, alleges or hedges."""

from __future__ import annotations

import re
from dataclasses import dataclass

CUES: dict[str, str] = {}
for _type, _verbs in {
    "asserts": "said says say stated states confirmed confirms announced announces reported reports "
    "told insisted insists declared declares added adds wrote writes noted notes",
    "denies": "denied denies deny rejected rejects dismissed dismisses refuted refutes disputed "
    "disputes contradicted contradicts",
    "alleges": "alleged alleges claimed claims accused accuses charged charges",
    "hedges": "suggested suggests speculated speculates believed believes suspected suspects "
    "indicated indicates",
}.items():
    for _v in _verbs.split():
        CUES[_v] = _type

_VERB = "|".join(sorted(CUES, key=len, reverse=True))
_NAME = r"(?:the\s+)?(?:[A-Z][\w'.-]*(?:\s+(?:of|for|the|and|[A-Z][\w'.-]*))*)"
_ROLE_WORDS = (
    r"(?:minister|ministry|spokesperson|spokesman|spokeswoman|president|official|officials|"
    r"office|agency|government|army|military|police|residents|witnesses|analysts|lawmakers|"
    r"commission|council|department|embassy|secretary|chief|commander|governor|mayor)"
)
_SUBJ = rf"(?P<sp>{_NAME}(?:'s)?(?:\s+[a-z]+)?(?:\s+{_ROLE_WORDS})?|[A-Z][a-z]+\s+{_ROLE_WORDS}|(?:local\s+)?{_ROLE_WORDS})"

_PATTERNS = [
    # "Lavrov alleged that ...", "The ministry said ...", "US officials found no evidence"
    re.compile(rf"^\s*{_SUBJ}\s*(?:,[^,]{{1,80}},\s*)?(?:has\s+|have\s+|had\s+)?(?P<verb>{_VERB})\b"),
    # '"...," said Kallas' / '..., Kallas said.'
    re.compile(rf"[,\"”]\s*(?P<verb>{_VERB})\s+{_SUBJ}\s*[.,]?\s*$"),
    re.compile(rf",\s*{_SUBJ}\s+(?P<verb>{_VERB})\s*\.?\s*$"),
]
_ACCORDING = re.compile(r"\b(?:according to|citing)\s+(?P<sp>[^,.;:\"]{2,60}?)(?=,|\.|;|$| that\b)", re.I)
_ROLE_TAIL = re.compile(rf"^(?P<name>.*?)(?:'s)?\s+(?P<role>{_ROLE_WORDS})$", re.I)
_NEGATED_ASSERT = re.compile(r"\b(?:found|saw|see|has|have|had)\s+no\s+(?:evidence|sign|trace|proof)\b", re.I)
_HEDGE = re.compile(r"\b(?:may|might|could|reportedly|allegedly|possibly|unconfirmed|appears? to)\b", re.I)


@dataclass(slots=True)
class Attribution:
    """Speaker, role and reporting cue of a sentence (all optional)."""

    speaker: str | None = None
    role: str | None = None
    cue: str | None = None
    cue_type: str | None = None


def _split_role(speaker: str) -> tuple[str, str | None]:
    speaker = re.sub(r"^the\s+", "", speaker.strip(), flags=re.I).rstrip(".,")
    m = _ROLE_TAIL.match(speaker)
    if m and m.group("name"):
        return speaker, m.group("role").lower()
    if re.fullmatch(rf"(?:local\s+)?{_ROLE_WORDS}", speaker, re.I):
        return speaker, speaker.split()[-1].lower()
    return speaker, None


def attribute(sentence: str) -> Attribution:
    """Attribution of one sentence by reporting-verb patterns."""
    for pattern in _PATTERNS:
        m = pattern.search(sentence)
        if m:
            speaker, role = _split_role(m.group("sp"))
            verb = m.group("verb").lower()
            cue_type = CUES[verb]
            if cue_type == "asserts" and _NEGATED_ASSERT.search(sentence):
                cue_type = "denies"
            return Attribution(speaker, role, verb, cue_type)
    m = _ACCORDING.search(sentence)
    if m:
        speaker, role = _split_role(m.group("sp"))
        return Attribution(speaker, role, "according to", "hedges" if _HEDGE.search(sentence) else "asserts")
    if _NEGATED_ASSERT.search(sentence):
        return Attribution(cue="no evidence", cue_type="denies")
    if _HEDGE.search(sentence):
        return Attribution(cue_type="hedges")
    return Attribution()
