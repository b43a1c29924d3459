"""Who said a sentence, in what role, and whether the reporting verb asserts, denies, alleges or hedges."""

from __future__ import annotations

import re
from dataclasses import dataclass

CUES: dict[str, str] = {}
for _type, _verbs in {
    "asserts": "said says say stated states confirmed confirms announced announces reported reports "
    "told insisted insists declared declares added adds wrote writes noted notes posted posts "
    "acknowledged acknowledges",
    "denies": "denied denies deny rejected rejects dismissed dismisses refuted refutes disputed "
    "disputes contradicted contradicts",
    "alleges": "alleged alleges claimed claims accused accuses charged charges",
    "hedges": "suggested suggests speculated speculates believed believes suspected suspects "
    "indicated indicates estimated estimates",
}.items():
    for _v in _verbs.split():
        CUES[_v] = _type

_VERB = "|".join(sorted(CUES, key=len, reverse=True))
_CAP = r"[A-Z][\w'’.-]*"
_NAME = rf"(?:the\s+)?(?:{_CAP}(?:\s+(?:of|for|the|and|de|von|van|al|{_CAP}))*)"
_ROLE_WORDS = (
    r"(?:minister|ministry|spokesperson|spokesman|spokeswoman|president|official|officials|"
    r"office|agency|government|army|military|police|residents|witnesses|analysts|lawmakers|"
    r"commission|council|department|embassy|secretary|chief|commander|governor|mayor|"
    r"prosecutors?|investigators|experts|sources|authorities|diplomats?|envoy|ambassador)"
)
_SUBJ = (
    rf"(?P<sp>{_NAME}(?:'s)?(?:\s+[a-z]+)?(?:\s+{_ROLE_WORDS})?|[A-Z][a-z]+\s+{_ROLE_WORDS}"
    rf"|(?:the\s+)?(?:[a-z]+\s+){{0,2}}?{_ROLE_WORDS}(?:\s+of\s+{_NAME})?)"
)
_APPOS = r"(?:,\s*(?P<appos>(?:a|an|the)\s+[^,;\"“”]{2,70}?)\s*(?=,|\.|;|$| on\b| in\b))?"

# "In a later statement the ministry said", "On Tuesday, Peskov said": a time or setting before the subject.
_LEAD = (r"(?:(?:In|On|At|After|Before|Later|Earlier|Meanwhile|Overnight|Today|Yesterday|Separately)\b"
         r"[^,\"“”]{0,40}?(?:,\s*|\s+(?=the\s|[A-Z])))?")

_PATTERNS = [
    # "Lavrov alleged that ...", "Peskov, the Kremlin spokesman, said ...", "US officials found no evidence"
    re.compile(rf"^\s*{_LEAD}{_SUBJ}\s*(?:,\s*(?P<appos>[^,]{{1,80}}),\s*)?(?:has\s+|have\s+|had\s+)?(?P<verb>{_VERB})\b"),
    # '"...," said Gen. Ivan Petrov, a deputy commander.'
    re.compile(rf"[,\"”]\s*(?P<verb>{_VERB})\s+{_SUBJ}{_APPOS}"),
    # '..., Kallas said.' / '..., the governor of Belgorod said on Telegram.'
    re.compile(rf"[,\"”]\s*{_SUBJ}{_APPOS}\s+(?P<verb>{_VERB})\b[^,\"“”]*$"),
    # "US officials found no evidence ..." (a denial with no reporting verb)
    re.compile(rf"^\s*{_LEAD}{_SUBJ}\s+(?P<verb>(?:have\s+|has\s+|had\s+)?(?:found|saw|seen))\s+no\s+"
               r"(?:evidence|sign|proof|trace)"),
]
_ACCORDING = re.compile(r"\b(?:according to|citing)\s+(?P<sp>[^,.;:\"]{2,60}?)(?=,|\.|;|$| that\b)", re.I)
_ROLE_TAIL = re.compile(rf"^(?P<name>.*?)(?:'s)?\s+(?P<role>{_ROLE_WORDS})$", re.I)
# "Russian Foreign Minister Sergei Lavrov", "Gen. Ivan Petrov", "President Macron"
_TITLE = re.compile(
    r"^(?P<role>(?:(?:[A-Z][a-z]+\s+)*?(?:Foreign|Defence|Defense|Prime|Deputy|Interior|Finance)?\s*"
    r"(?:Minister|President|Secretary|Spokesman|Spokeswoman|Spokesperson|Chancellor|Governor|Mayor|"
    r"Ambassador|Commander|Chief|Envoy)|Gen\.|Col\.|Lt\.|Adm\.|Sen\.|Rep\.))\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*)$"
)
_NEGATED_ASSERT = re.compile(r"\b(?:found|saw|see|seen|has|have|had)\s+no\s+(?:evidence|sign|trace|proof)\b", re.I)
_HEDGE = re.compile(
    r"\b(?:may|might|could|reportedly|allegedly|possibly|probably|likely|unconfirmed|appears? to|"
    r"seems? to|it is (?:not )?clear)\b", re.I)


@dataclass(slots=True)
class Attribution:
    """Speaker, role and reporting cue of a sentence (all optional)."""

    speaker: str | None = None
    role: str | None = None
    cue: str | None = None
    cue_type: str | None = None


def _split_role(speaker: str, appos: str | None = None) -> tuple[str, str | None]:
    speaker = re.sub(r"^the\s+", "", speaker.strip(), flags=re.I).rstrip(".,")
    role = re.sub(r"^(?:a|an|the)\s+", "", appos.strip(), flags=re.I) if appos else None
    m = _TITLE.match(speaker)
    if m:
        return m.group("name"), role or m.group("role").strip()
    m = _ROLE_TAIL.match(speaker)
    if m and m.group("name"):
        return speaker, role or m.group("role").lower()
    if re.fullmatch(rf"(?:local\s+|senior\s+|western\s+)?{_ROLE_WORDS}(?:\s+of\s+.+)?", speaker, re.I):
        return speaker, role or re.match(rf".*?({_ROLE_WORDS})", speaker, re.I).group(1).lower()  # type: ignore[union-attr]
    return speaker, role


def _kind(verb: str, sentence: str) -> str:
    kind = CUES.get(verb, "denies" if verb.split()[0] in {"found", "saw", "have", "has"} else "asserts")
    if kind == "asserts" and _NEGATED_ASSERT.search(sentence):
        return "denies"
    if kind == "asserts" and _HEDGE.search(sentence):
        return "hedges"  # "the strike may have hit a depot, residents said" reports a possibility
    return kind


def attribute(sentence: str) -> Attribution:
    """Attribution of one sentence by reporting-verb patterns."""
    for pattern in _PATTERNS:
        m = pattern.search(sentence)
        if m:
            speaker, role = _split_role(m.group("sp"), m.groupdict().get("appos"))
            verb = re.sub(r"\s+", " ", m.group("verb").lower())
            return Attribution(speaker, role, verb, _kind(verb, sentence))
    m = _ACCORDING.search(sentence)
    if m:
        speaker, role = _split_role(m.group("sp"))
        return Attribution(speaker, role, "according to", "hedges" if _HEDGE.search(sentence) else "asserts")
    if _NEGATED_ASSERT.search(sentence):
        return Attribution(cue="no evidence", cue_type="denies")
    if _HEDGE.search(sentence):
        return Attribution(cue_type="hedges")
    return Attribution()
