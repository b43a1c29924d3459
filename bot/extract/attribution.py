"""Who said a sentence, in what role, and whether the reporting verb asserts, denies, alleges or hedges."""

from __future__ import annotations

import re
from dataclasses import dataclass

CUES: dict[str, str] = {}
for _type, _verbs in {
    "asserts": "said says say stated states confirmed confirms announced announces reported reports "
    "told insisted insists declared declares added adds wrote writes noted notes posted posts "
    "acknowledged acknowledges stressed stresses warned warns argued argues explained explains "
    "maintained maintains reiterated reiterates admitted admits tweeted tweets replied replies",
    "denies": "denied denies deny rejected rejects dismissed dismisses refuted refutes disputed "
    "disputes contradicted contradicts rebutted rebuts debunked debunks rebuffed rebuffs "
    "ruled_out rules_out rule_out",  # "_" joins a two-word cue
    "alleges": "alleged alleges claimed claims accused accuses charged charges",
    "hedges": "suggested suggests speculated speculates believed believes suspected suspects "
    "indicated indicates estimated estimates",
}.items():
    for _v in _verbs.split():
        CUES[_v.replace("_", " ")] = _type

# "called the claim a fabrication": a labelling verb is a cue only when the label is a denial.
_LABEL_VERBS = "called|calls|branded|brands|labelled|labeled|labels|termed|terms|described|describes|dubbed"
_DENIAL_LABEL = (r"(?:lies?|lying|fabricat\w*|fake|false|falsehoods?|hoax|nonsense|propaganda|baseless|"
                 r"unfounded|untrue|absurd|fiction|fictitious|invented|invention|disinformation|"
                 r"misinformation|bogus|groundless|ridiculous)")

_VERB = "|".join(sorted(CUES, key=len, reverse=True)).replace(" ", r"\s+")
_CAP = r"[A-Z][\w'’.-]*"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# A name never starts with a pronoun ("He said" has an unknown speaker, not one called "He").
_NOT_PRONOUN = r"(?!(?:He|She|It|They|We|I|You|This|That|These|Those|There)\b)"
_NAME = rf"(?:the\s+)?{_NOT_PRONOUN}(?:{_CAP}(?:\s+(?:of|for|the|and|de|von|van|al|{_CAP}))*)"
# A person's name after a role: "Dmitry Peskov", "Ursula von der Leyen"; never a weekday.
_PERSON_WORD = rf"(?!{_WEEKDAY}\b)[A-Z][\w'’-]+"
_PERSON = rf"{_NOT_PRONOUN}{_PERSON_WORD}(?:\s+(?:(?:de|der|van|von|al|bin|da)\s+)*{_PERSON_WORD}){{0,3}}"
_ROLE_WORDS = (
    r"(?:ministry|ministers?|spokesperson|spokesman|spokeswoman|president|officials?|"
    r"office|agency|government|army|military|police|residents|witnesses|analysts|lawmakers|"
    r"commission|council|department|embassy|secretary|chief|commander|governor|mayor|"
    r"prosecutors?|investigators|experts|sources|authorities|diplomats?|envoy|ambassador|"
    r"advis[eo]r|aide|head|leader|director|chair(?:man|woman)?|negotiator|representative|premier|"
    # organisations and groups that news quotes at the end of a sentence ("..., the operator said.")
    r"operators?|company|companies|airlines?|airport|carrier|regulators?|watchdog|utility|firm|"
    r"hospitals?|rescuers|medics|doctors|officers|observers|monitors|researchers|scientists|"
    r"survivors|relatives|families|protesters|activists|organi[sz]ers|unions?|court|judge|board|"
    r"lawyers?|attorneys?|owners?|crew|captain)\b"
)
# "Kremlin spokesman", "EU foreign policy chief", "Secretary of State" before a person's name
_ROLE_OF = r"(?:\s+of\s+(?:State|Defen[cs]e|Foreign\s+Affairs|the\s+Interior|Justice|Staff))?"
_ROLE_PREFIX = rf"(?:{_CAP}\s+){{0,4}}(?:[a-z]+\s+){{0,3}}(?i:{_ROLE_WORDS}){_ROLE_OF}"
_ROLE_PERSON = rf"{_ROLE_PREFIX}\s+{_PERSON}"
# "Peskov also said", "Moscow has repeatedly denied", "officials on Monday said"
_ADV_WORDS = (r"also|later|again|previously|earlier|repeatedly|flatly|firmly|strongly|publicly|"
              r"categorically|immediately|quickly|swiftly|has|have|had")
_ADV = rf"(?:(?:{_ADV_WORDS}|(?:on\s+)?{_WEEKDAY})\s+){{0,3}}"

# "The company said", "Local media reported": one lowercase word, but not "Peskov also said".
_NOUN = rf"(?!(?:{_ADV_WORDS}|{_VERB}|{_LABEL_VERBS}|found|saw|seen)\b)[a-z]+"
_SUBJ = (
    rf"(?P<sp>(?:the\s+)?{_ROLE_PERSON}"
    rf"|{_NAME}(?:'s)?(?:(?:\s+[a-z]+){{0,2}}\s+{_ROLE_WORDS}|\s+{_NOUN})?"
    # "the ministry", "The operator of the Eagle S", "A lawyer for the operator": a role, what it is of
    rf"|(?:[Tt]he\s+|[Aa]n?\s+)?(?:(?:{_CAP}|[a-z]+)\s+){{0,2}}?(?i:{_ROLE_WORDS})"
    rf"(?:\s+(?:of|in|for)\s+(?:{_NAME}|the\s+[a-z]+))?)"
)
_APPOS = r"(?:,\s*(?P<appos>(?:a|an|the)\s+[^,;\"“”]{2,70}?)\s*(?=,|\.|;|$| on\b| in\b))?"
_MID_APPOS = r"(?:,\s*(?P<appos>[^,]{1,80}),\s*)?"

# "In a later statement the ministry said", "On Tuesday, Peskov said": a time or setting before the subject.
_LEAD = (r"(?:(?:In|On|At|After|Before|Later|Earlier|Meanwhile|Overnight|Today|Yesterday|Separately)\b"
         r"[^,\"“”]{0,40}?(?:,\s*|\s+(?=the\s|[A-Z])))?")

_PATTERNS = [
    # "Lavrov alleged that ...", "Peskov, the Kremlin spokesman, said ...", "Kremlin spokesman Dmitry Peskov insisted"
    re.compile(rf"^\s*{_LEAD}{_SUBJ}\s*{_MID_APPOS}{_ADV}(?P<verb>{_VERB})\b"),
    # "Sybiha called the claim a fabrication", 'Zelensky called it "typical Russian lies"'
    re.compile(rf"^\s*{_LEAD}{_SUBJ}\s*{_MID_APPOS}{_ADV}(?P<verb>{_LABEL_VERBS})\s+"
               rf"(?:[^.;:!?]{{0,80}}?[\s\"“'‘])?{_DENIAL_LABEL}\b"),
    # '"...," said Gen. Ivan Petrov, a deputy commander.'
    re.compile(rf"[,\"”]\s*(?P<verb>{_VERB})\s+{_SUBJ}{_APPOS}"),
    # '..., Kallas said.' / '..., the governor of Belgorod said on Telegram.' / '..., Peskov said, adding ...'
    re.compile(rf"[,\"”]\s*{_SUBJ}{_APPOS}\s+{_ADV}(?P<verb>{_VERB})\b"
               r"(?:[^,\"“”]*$|,\s*(?:adding|saying|noting|citing|insisting|arguing|calling|according)\b)"),
    # "US officials found no evidence ..." (a denial with no reporting verb)
    re.compile(rf"^\s*{_LEAD}{_SUBJ}\s+(?P<verb>(?:have\s+|has\s+|had\s+)?(?:found|saw|seen))\s+no\s+"
               r"(?:evidence|sign|proof|trace)"),
    # "He denied that ...", '"...," she added.': the cue is known, the speaker is not
    re.compile(rf"^\s*{_LEAD}(?:He|She|They|It)\s+{_ADV}(?P<verb>{_VERB})\b"),
    re.compile(rf"[,\"”]\s*(?:he|she|they|it)\s+{_ADV}(?P<verb>{_VERB})\b"),
]
_LABEL_RE = re.compile(rf"(?:{_LABEL_VERBS})$")
_ACCORDING = re.compile(r"\b(?:according to|citing)\s+(?P<sp>[^,.;:\"]{2,60}?)(?=,|\.|;|$| that\b)", re.I)
_ROLE_TAIL = re.compile(rf"^(?P<name>.*?)(?:'s)?\s+(?P<role>{_ROLE_WORDS})$", re.I)
_ROLE_ONLY = re.compile(rf"(?:local\s+|senior\s+|western\s+)?(?P<role>{_ROLE_WORDS})(?:\s+(?:of|in|for)\s+.+)?", re.I)
_ROLE_FIRST = re.compile(rf"^(?P<role>{_ROLE_PREFIX})\s+(?P<name>{_PERSON})$")
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
    speaker = re.sub(r"^(?:the|an?)\s+", "", speaker.strip(), flags=re.I).rstrip(".,")
    role = re.sub(r"^(?:a|an|the)\s+", "", appos.strip(), flags=re.I) if appos else None
    m = _TITLE.match(speaker) or _ROLE_FIRST.match(speaker)
    if m:
        return m.group("name"), role or m.group("role").strip()
    # "lawyer for the operator", "governor of Belgorod": the role is the head word, before the tail's
    m = _ROLE_ONLY.fullmatch(speaker)
    if m is None:
        tail = _ROLE_TAIL.match(speaker)  # "Belgorod police": a name, then its role
        m = tail if tail and tail.group("name") else None
    if m:
        return speaker, role or m.group("role").lower()
    return speaker, role


def _kind(verb: str, sentence: str) -> str:
    if _LABEL_RE.match(verb):
        return "denies"  # the label pattern only matches when the label is a denial
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
            sp = m.groupdict().get("sp")
            speaker, role = _split_role(sp, m.groupdict().get("appos")) if sp else (None, None)
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
